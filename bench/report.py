"""Report build time and size on a large synthetic archive: years of articles, facts and republications.

    python bench/report.py [--articles 20000] [--sites 20] [--utilities 300]

Writes an archive of --articles articles over 2014–2024 (three facts each: streak, score, outage hours,
for one of --utilities utilities; a sighting per article and a few republications on other sites),
then times `build_report` on it and prints the seconds and the page's size.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # not bench/: its archive.py would shadow the package

from archive.db import open_archive, open_reader
from archive.report import build_report


def fill(path: Path, articles: int, sites: int, utilities: int) -> dict[str, int]:
    """Writes the synthetic archive; returns its row counts."""
    rng = random.Random(1)
    names = [f"site{i:02d}" for i in range(sites)]
    subjects = [f"城{i:03d}供电局" for i in range(utilities)]
    rows: dict[str, list[dict]] = {"articles": [], "facts": [], "sightings": []}
    for i in range(1, articles + 1):
        year, month, site = rng.randint(2014, 2024), rng.randint(1, 12), rng.choice(names)
        published = f"{year}-{month:02d}-{rng.randint(1, 28):02d}T08:00:00+08:00"
        url = f"http://{site}.test/{i}.html"
        rows["articles"].append(
            {"id": i, "url": url, "site": site, "title": f"供电服务满意度 {i}", "published_at": published}
        )
        subject = rng.choice(subjects)
        for kind, value in (
            ("satisfaction_streak", rng.randint(1, 15)),
            ("satisfaction_score", round(rng.uniform(75, 95), 2)),
            ("outage_hours", round(rng.uniform(0.5, 20), 2)),
        ):
            fact = {"article_id": i, "kind": kind, "subject": subject, "year": year, "value": value}
            rows["facts"].append({**fact, "evidence": "该局供电服务满意度连续多年位居全市第一", "start": 0, "end": 19})
        rows["sightings"].append(
            {"article_id": i, "url": url, "site": site, "kind": "original", "published_at": published}
        )
        for copy in range(rng.choice([0, 0, 0, 1, 2, 5])):
            other = rng.choice(names)
            rows["sightings"].append(
                {"article_id": i, "url": f"http://{other}.test/c/{i}/{copy}.html", "site": other, "kind": "exact"}
            )
    archive = open_archive(path)
    with archive.batch():
        for table, batch in rows.items():
            archive.db.table(table).insert_all(batch, batch_size=2000)
    archive.close()
    return {table: len(batch) for table, batch in rows.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--utilities", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "archive.db"
        counts = fill(path, args.articles, args.sites, args.utilities)
        started = time.perf_counter()
        page = build_report(open_reader(path))
        seconds = time.perf_counter() - started
    print(", ".join(f"{v} {k}" for k, v in counts.items()))
    print(f"report: {seconds:.2f} s, {len(page.encode()) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
