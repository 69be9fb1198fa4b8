"""How fast the incremental skip asks "is this URL archived?" as the archive grows, and what it costs in memory.

    python bench/rerun.py [--pages 200000] [--lookups 20000]

Builds an archive of synthetic page rows (no bodies: the lookup reads only the indexes), then times
is_archived for known and unknown URLs through a read-only connection, as IncrementalMiddleware does.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # not bench/: its archive.py would shadow the package

from archive.db import open_archive, open_reader
from archive.incremental import is_archived


def build(path: Path, pages: int) -> None:
    archive = open_archive(path)
    rows = (
        {"url": f"http://www.example.test/news/{i}.html", "site": "bench", "run_id": None, "outcome": "article"}
        for i in range(pages)
    )
    with archive.batch():
        archive.db.table("pages").insert_all(rows, batch_size=5000)
    archive.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build(path, args.pages)
        db = open_reader(path)
        rng = random.Random(1)
        urls = [f"http://www.example.test/news/{rng.randrange(args.pages * 2)}.html" for _ in range(args.lookups)]
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        known = sum(is_archived(db, url, url, current_run=1) for url in urls)
        elapsed = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"archive of {args.pages} pages ({path.stat().st_size / 1e6:.1f} MB): {args.lookups} lookups "
            f"({known} known) in {elapsed:.2f} s = {elapsed / args.lookups * 1e6:.0f} µs each; "
            f"peak RSS grew {(rss_after - rss_before) / 1024:.1f} MB during the lookups"
        )


if __name__ == "__main__":
    main()
