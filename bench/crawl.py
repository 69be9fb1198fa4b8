"""Crawl throughput: the full pipeline against a bare spider that only yields URLs, on one generated web.

    python bench/crawl.py [--pages 5000] [--rounds 2]

A demo server process serves a generated web of --pages articles; each round crawls it once with the
full pipeline (extract, clean, facts, dedupe, store into a fresh archive) and once with a spider that
discovers the same pages the same way but yields only their URL, with no pipeline. Both run in fresh
processes with the same settings. Prints article pages per second for both, and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its archive.py would shadow the package


def serve(pages: int) -> tuple[subprocess.Popen[str], str]:
    """Start the generated web in its own process; return it and its proxy URL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.demoweb", "--pages", str(pages)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert server.stdout is not None
    return server, json.loads(server.stdout.readline())["proxy"]


def crawl(mode: str, proxy: str, db: Path) -> dict[str, Any]:
    """One crawl in a fresh process; returns its final Scrapy stats."""
    env = {**os.environ, "http_proxy": proxy}
    env.pop("no_proxy", None)
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--db", str(db)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(mode: str, db: str) -> None:
    """Run one crawl of demo_portal in this process and print its stats as JSON."""
    from scrapy.http import Response

    from crawler.runner import project_settings, run_crawls
    from crawler.spiders.news import NewsSpider

    class BareSpider(NewsSpider):
        """The same discovery, but an article page becomes just its URL."""

        def parse_article(self, response: Response) -> Iterator[dict[str, str]]:  # type: ignore[override]
            yield {"url": response.url}

    overrides: dict[str, Any] = {"ARCHIVE_DB": db, "LOG_LEVEL": "ERROR"}
    if mode == "bare":
        overrides["ITEM_PIPELINES"] = {}
    stats = run_crawls(["demo_portal"], project_settings(overrides), BareSpider if mode == "bare" else NewsSpider)[0]
    print(json.dumps({k: v for k, v in stats.items() if isinstance(v, int | float | str)}, default=str))


def rate(stats: dict[str, Any]) -> float:
    """Article pages per second of crawl time."""
    pages = stats.get("item_scraped_count", 0) + stats.get("item_dropped_count", 0)
    return pages / float(stats["elapsed_time_seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", choices=["full", "bare"])
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db)
        return
    server, proxy = serve(args.pages)
    rates: dict[str, list[float]] = {"full": [], "bare": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(args.rounds):
                for mode in ("bare", "full"):
                    stats = crawl(mode, proxy, Path(tmp) / f"{mode}{n}.db")
                    rates[mode].append(rate(stats))
                    print(
                        f"round {n + 1} {mode:4}: {stats.get('item_scraped_count', 0)} pages "
                        f"in {float(stats['elapsed_time_seconds']):.1f} s = {rates[mode][-1]:.0f} pages/s",
                        file=sys.stderr,
                    )
    finally:
        server.terminate()
    full, bare = statistics.median(rates["full"]), statistics.median(rates["bare"])
    print(
        f"pages {args.pages}  bare spider {bare:.0f} pages/s  full pipeline {full:.0f} pages/s  ratio {full / bare:.2f}"
    )


if __name__ == "__main__":
    main()
