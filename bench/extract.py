"""Score and time the extractor on the dev set, beside GNE, trafilatura and magic-html, in one run.

    python bench/extract.py                  # ours only
    make bench-anchors && python bench/extract.py --anchors

The anchors are bench extras installed by `make bench-anchors` into their own interpreters under
bench/.anchors/ (magic-html needs Python 3.12), never imports of the package. Every extractor gets
the same text (decoded by decode_html); times cover the extraction call only. Then the time of the
worst inputs the robustness tests feed, and of fact finding per dev-set article.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from pipelines.extraction import decode_html, extract_article
from pipelines.utilityfacts import find_facts

HERE = Path(__file__).resolve().parent
DEVSET = Path(os.environ.get("NEWSARCHIVE_SHARED", HERE.parent.parent / "shared")) / "devset"
ANCHORS = {
    "gne": (
        HERE / ".anchors/py311/bin/python",
        """
from gne import GeneralNewsExtractor
extractor = GeneralNewsExtractor()
def run(html, url):
    r = extractor.extract(html)
    return dict(title=r.get("title"), published_at=r.get("publish_time"), author=r.get("author"),
                source=None, body=r.get("content"))
""",
    ),
    "trafilatura": (
        HERE / ".anchors/py311/bin/python",
        """
import trafilatura
def run(html, url):
    d = trafilatura.bare_extraction(html, url=url or None, with_metadata=True)
    d = d.as_dict() if hasattr(d, "as_dict") else (d or {})
    return dict(title=d.get("title"), published_at=d.get("date"), author=d.get("author"),
                source=d.get("sitename"), body=d.get("text"))
""",
    ),
    "magic-html": (
        HERE / ".anchors/py312/bin/python",
        """
import lxml.html
from magic_html import GeneralExtractor
extractor = GeneralExtractor()
def run(html, url):
    r = extractor.extract(html, base_url=url or "")
    body = lxml.html.fromstring(r["html"]).text_content() if r.get("html") else ""
    return dict(title=r.get("title"), published_at=None, author=None, source=None, body=body)
""",
    ),
}
RUNNER = """
import json, sys, time
{code}
for line in sys.stdin:
    job = json.loads(line)
    started = time.perf_counter()
    try:
        row = run(job["html"], job["url"])
    except Exception as error:
        row = dict(error=repr(error)[:200])
    row.update(file=job["file"], elapsed_ms=(time.perf_counter() - started) * 1000)
    print(json.dumps(row, ensure_ascii=False, default=str), flush=True)
"""


def load_scorer():
    """Loads the dev set's own score.py so every extractor meets the same metrics."""
    spec = importlib.util.spec_from_file_location("devset_score", DEVSET / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_ours(labels: list[dict]) -> dict[str, dict]:
    """Extracts every page in-process, timing extract_article alone."""
    rows = {}
    for gold in labels:
        raw = (DEVSET / "pages" / gold["file"]).read_bytes()
        started = time.perf_counter()
        article = extract_article(raw)
        elapsed = (time.perf_counter() - started) * 1000
        rows[gold["file"]] = {
            "title": article.title,
            "published_at": article.published_at,
            "author": article.authors,
            "source": article.source,
            "body": article.body,
            "elapsed_ms": elapsed,
        }
    return rows


def run_anchor(name: str, labels: list[dict]) -> dict[str, dict] | None:
    """Runs one anchor in its own interpreter over the same decoded pages."""
    python, code = ANCHORS[name]
    if not python.exists():
        return None
    jobs = "".join(
        json.dumps(
            {
                "file": g["file"],
                "url": g.get("url", ""),
                "html": decode_html((DEVSET / "pages" / g["file"]).read_bytes())[0],
            },
            ensure_ascii=False,
        )
        + "\n"
        for g in labels
    )
    done = subprocess.run(
        [str(python), "-c", RUNNER.format(code=code)], input=jobs, text=True, capture_output=True, check=False
    )
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if not rows:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"{name}: did not run ({last})", file=sys.stderr)
    return {row["file"]: row for row in rows} or None


def score(scorer, preds: dict[str, dict], labels: list[dict]) -> dict[str, float]:
    """Applies score.py's metrics to one extractor's rows over some labels."""
    sums = {"title": [], "date": [], "author": [], "body": [], "p": [], "r": []}
    for gold in labels:
        pred = preds.get(gold["file"], {})
        if gold.get("title"):
            sums["title"].append(scorer.nows(pred.get("title")) == scorer.nows(gold["title"]))
        if gold.get("publish_time"):
            found = scorer.to_date(pred.get("published_at"))
            sums["date"].append(found == scorer.to_date(gold["publish_time"]))
        wanted = [scorer.nows(x) for x in (gold.get("author"), gold.get("source")) if x]
        if wanted:
            who = pred.get("author")
            who = who if isinstance(who, list) else [who]
            found = [scorer.nows(x) for x in [*who, pred.get("source")] if x]
            sums["author"].append(any(c in w or w in c for c in found for w in wanted))
        p, r, f = scorer.bag_prf(scorer.tokens(pred.get("body") or ""), scorer.tokens(gold["content"]))
        sums["body"].append(f), sums["p"].append(p), sums["r"].append(r)
    result = {key: sum(values) / len(values) for key, values in sums.items()}
    result["ms"] = statistics.median(preds[g["file"]]["elapsed_ms"] for g in labels if g["file"] in preds)
    return result


def main() -> None:
    """Prints one table row per extractor and dev-set half."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anchors", action="store_true", help="also run GNE, trafilatura, magic-html")
    args = parser.parse_args()
    scorer = load_scorer()
    labels = [json.loads(line) for line in (DEVSET / "labels.jsonl").read_text().splitlines() if line]
    halves = {
        "odd": [g for g in labels if int(g["file"][:3]) % 2],
        "even": [g for g in labels if not int(g["file"][:3]) % 2],
        "all": labels,
    }
    runs = {"ours": run_ours(labels)}
    for name in ANCHORS if args.anchors else ():
        rows = run_anchor(name, labels)
        if rows:
            runs[name] = rows
    print(
        f"{'extractor':<12} {'half':<5} {'title':>6} {'date':>6} {'author':>6} {'body':>6} "
        f"{'P':>6} {'R':>6} {'med ms':>7}"
    )
    for name, rows in runs.items():
        for half, part in halves.items():
            s = score(scorer, rows, part)
            print(
                f"{name:<12} {half:<5} {s['title']:6.3f} {s['date']:6.3f} {s['author']:6.3f} "
                f"{s['body']:6.3f} {s['p']:6.3f} {s['r']:6.3f} {s['ms']:7.1f}"
            )
    worst_cases()
    facts_timing(runs["ours"])


PROSE = "<p>这是一个用于压力测试的段落，内容足够长，带有标点符号。</p>"
WORST = {
    "nested 10k deep": ("<div>" * 10_000 + PROSE + "</div>" * 10_000).encode(),
    "10 MB of paragraphs": ("<html><body><h1>巨大的页面</h1>" + PROSE * 170_000 + "</body></html>").encode(),
    "300k links": ("<html><body>" + '<a href="/x">链接</a>' * 300_000 + "</body></html>").encode(),
    "one 30 MB text node": ("<html><body><p>" + "字" * 10_000_000 + "</p></body></html>").encode(),
}


def worst_cases() -> None:
    """Prints how long the pathological inputs take: the bound the robustness tests rely on."""
    for name, raw in WORST.items():
        started = time.perf_counter()
        extract_article(raw)
        print(f"worst input  {name:<22} {(time.perf_counter() - started) * 1000:8.0f} ms")


def facts_timing(rows: dict[str, dict]) -> None:
    """Prints the median time of fact finding per dev-set article (the facts stage's cost)."""
    times = []
    for row in rows.values():
        started = time.perf_counter()
        find_facts(row["title"], row["body"], row["published_at"])
        times.append((time.perf_counter() - started) * 1000)
    print(f"facts        median {statistics.median(times):.2f} ms, max {max(times):.2f} ms per dev-set article")


if __name__ == "__main__":
    main()
