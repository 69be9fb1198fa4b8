"""Archive benchmark: ingest rate with the search index on, export rate and peak memory, search latency.

    python bench/archive.py                       # 100k and 1M synthetic articles (about 20 minutes)
    python bench/archive.py --sizes 20000         # a quick look

Articles come from crawler/demoweb/synthetic.py, rendered as the demo daily's pages; each is stored
through record_article (raw page compressed, article, facts, sighting, index entry) in the archive's
default batches. The ingest rate is in wall time, with the CPU time per article beside it;
generating the text is not counted. Each export runs in its own process, which reports its peak
RSS. Search latency is over a fixed mix of queries, in-process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.db import open_archive, open_reader
from archive.query import parse_query
from archive.records import record_article
from archive.search import search
from archive.selection import Selection
from crawler.demoweb.daily import DailySite
from crawler.demoweb.stories import DemoArticle
from crawler.demoweb.synthetic import synthetic_articles
from crawler.items import ArticleItem, PageItem
from pipelines.clean import content_hash

QUERIES = (
    ("停电", {}),
    ("电网", {}),
    ("满意", {}),
    ("抢修", {}),
    ("负荷", {}),
    ("供电服务满意度", {}),
    ("配网自动化", {}),
    ('"客户年平均停电时间"', {}),
    ("云浮山", {}),
    ("李明", {}),
    ("停电 OR 抢修", {}),
    ("电网 负荷", {}),
    ("电网 -负荷", {}),
    ("带电作业", {"since": "2020-01-01", "until": "2020-12-31"}),
    ("智能电表", {"site": "other"}),
)
# the peak is read from VmHWM: ru_maxrss would carry over the parent's peak across the exec
EXPORT = """
import re, sys, time
from pathlib import Path
from archive.export import export
from archive.selection import Selection
started = time.perf_counter()
count = export(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Selection())
peak_kb = re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)
print(count, time.perf_counter() - started, peak_kb)
"""


def items(count: int) -> Iterator[ArticleItem]:
    """Synthetic articles as the pipeline would hand them to the store."""
    site = DailySite("demo_daily", "东江日报", "http://www.djrb.test", [])
    for number, article in enumerate(synthetic_articles(count, seed=11, site="daily"), 1):
        path = site.path_of[article.key] = site.article_path(article, number)  # a long one is split in two
        url = site.origin + path
        body = "\n".join(article.paragraphs)
        page = PageItem(url, url, "demo_daily", 200, {"Content-Type": "text/html; charset=utf-8"}, b"", "")
        page.body = site.html(site.render_article(article)).body
        page.fetched_at = article.published.isoformat() + "+00:00"
        item = ArticleItem(page=page, url=url, site="demo_daily", title=article.title, body=body)
        item.published_at, item.authors, item.source = (
            article.published.isoformat() + "+08:00",
            list(article.authors),
            article.source,
        )
        item.content_hash, item.facts = content_hash(body), facts(article)
        yield item


def facts(article: DemoArticle) -> list[dict[str, object]]:
    """Two facts per article, shaped as the facts stage makes them."""
    sentence = article.paragraphs[0][:60]
    year = article.published.year
    return [
        {"kind": kind, "subject": article.source, "region": None, "year": year, "value": value, "unit": unit,
         "evidence": sentence, "start": 0, "end": 10}
        for kind, value, unit in (("outage_hours", 4.12, "小时"), ("satisfaction_score", 86.4, "分"))
    ]  # fmt: skip


def ingest(path: Path, count: int) -> tuple[float, float]:
    """Store `count` articles; return articles per second spent storing them, and CPU ms per article.

    Wall time well above CPU time means storing waits on the disk; the two together tell a slow disk
    from more work per article.
    """
    archive = open_archive(path)
    storing = cpu = 0.0
    for item in items(count):
        started, cpu_started = time.perf_counter(), time.process_time()
        with archive.batch():
            record_article(archive.db, item, None)
        storing += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
        if item.url.endswith("0000.htm"):
            print(f"  {item.url.rsplit('_', 1)[-1]} …", file=sys.stderr, flush=True)
    started, cpu_started = time.perf_counter(), time.process_time()
    archive.close()
    storing += time.perf_counter() - started
    cpu += time.process_time() - cpu_started
    return count / storing, 1000 * cpu / count


def export_run(db: Path, fmt: str, out: Path) -> tuple[float, float]:
    """Export in a fresh process; return (articles per second, peak RSS in MB)."""
    result = subprocess.run(
        [sys.executable, "-c", EXPORT, str(db), fmt, str(out)], capture_output=True, text=True, cwd=ROOT, check=True
    )
    count, seconds, rss_kb = result.stdout.split()
    out.unlink()
    return int(count) / float(seconds), int(rss_kb) / 1024


def latencies(db_path: Path, window: int | None, rounds: int = 5) -> tuple[float, float]:
    """p50 and p95 milliseconds of the query mix, each query run `rounds` times after a warm-up."""
    db = open_reader(db_path)
    times = []
    for text, selection in QUERIES:
        query = parse_query(text)
        kwargs = {} if window is None else {"window": window}
        search(db, query, Selection(**selection), 20, **kwargs)
        for _ in range(rounds):
            started = time.perf_counter()
            search(db, query, Selection(**selection), 20, **kwargs)
            times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=20)
    return statistics.median(times), cuts[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--dir", type=Path, default=None, help="where to build the archives (default: a temp dir)")
    parser.add_argument("--search-only", action="store_true", help="only time searches, on archives already in --dir")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="bench-archive-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        db = folder / f"bench-{size}.db"
        row: dict[str, float] = {"articles": size}
        if args.search_only:
            open_archive(db).close()  # bring an older bench archive's schema up to date
        else:
            build(db, size, folder, row)
        print(f"{size}: search", file=sys.stderr, flush=True)
        row["search_p50_ms"], row["search_p95_ms"] = (round(v, 1) for v in latencies(db, None))
        row["window_10k_p50_ms"], row["window_10k_p95_ms"] = (round(v, 1) for v in latencies(db, 10_000, rounds=2))
        print(json.dumps(row), flush=True)
        rows.append(row)
    print(table(rows))


def build(db: Path, size: int, folder: Path, row: dict[str, float]) -> None:
    """Ingest a fresh archive of `size` articles and time exports of it, into `row`."""
    db.unlink(missing_ok=True)
    print(f"{size}: ingest", file=sys.stderr, flush=True)
    rate, cpu_ms = ingest(db, size)
    row.update(ingest_per_s=round(rate), ingest_cpu_ms=round(cpu_ms, 3), db_mb=round(db.stat().st_size / 1e6))
    for fmt in ("jsonl", "parquet"):
        print(f"{size}: export {fmt}", file=sys.stderr, flush=True)
        per_s, rss = export_run(db, fmt, folder / f"out.{fmt}")
        row[f"{fmt}_per_s"], row[f"{fmt}_rss_mb"] = round(per_s), round(rss)


def table(rows: list[dict[str, float]]) -> str:
    """The figures as a Markdown table."""
    heads = list(rows[0])
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(f"{row[h]:,}" for h in heads) + " |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
