"""Ways to index Chinese for FTS5, compared: insert rate, index size, and which test words each finds.

    python bench/segmentation.py [--articles 20000]

bigram: the archive's choice (archive/fts.py). trigram: FTS5's trigram tokenizer over the raw text.
jieba: jieba.cut_for_search words, if jieba is installed (pip install jieba). Each index is built in
a fresh on-disk SQLite file in WAL mode, 100 rows a transaction, as the archive writes.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.fts import query_phrase, segment
from crawler.demoweb.synthetic import synthetic_articles

WORDS = ("停电", "电网", "满意", "满意度", "度夏", "营商", "客户年平均停电时间")


def build(path: Path, create: str, prepare: Callable[[str], str], docs: list[tuple[str, str]]) -> float:
    """Fill an index; return rows per second, segmentation included."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(create)
    started = time.perf_counter()
    for start in range(0, len(docs), 100):
        conn.execute("BEGIN")
        for rowid, (title, body) in enumerate(docs[start : start + 100], start + 1):
            conn.execute("INSERT INTO f (rowid, title, body) VALUES (?, ?, ?)", [rowid, prepare(title), prepare(body)])
        conn.execute("COMMIT")
    rate = len(docs) / (time.perf_counter() - started)
    conn.close()
    return rate


def found(path: Path, match: Callable[[str], str | None]) -> str:
    """Which test words the index finds (as many documents as a plain substring scan)."""
    conn = sqlite3.connect(path)
    words = []
    for word in WORDS:
        expression = match(word)
        hits = conn.execute("SELECT count(*) FROM f WHERE f MATCH ?", [expression]).fetchone()[0] if expression else 0
        words.append(f"{word}:{hits}")
    conn.close()
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20000)
    args = parser.parse_args()
    docs = [(a.title, "\n".join(a.paragraphs)) for a in synthetic_articles(args.articles)]
    texts = [f"{title}\n{body}" for title, body in docs]
    truth = " ".join(f"{word}:{sum(word in text for text in texts)}" for word in WORDS)
    ways: list[tuple[str, str, Callable[[str], str], Callable[[str], str | None]]] = [
        ("bigram", "CREATE VIRTUAL TABLE f USING fts5(title, body, content='')", segment, query_phrase),
        ("trigram", "CREATE VIRTUAL TABLE f USING fts5(title, body, tokenize='trigram')", str, lambda w: f'"{w}"'),
    ]
    try:
        import jieba

        jieba.initialize()
        cut = " ".join
        ways.append(
            ("jieba", "CREATE VIRTUAL TABLE f USING fts5(title, body, content='')",
             lambda text: cut(jieba.cut_for_search(text)), lambda w: '"' + cut(jieba.cut(w)) + '"')
        )  # fmt: skip
    except ImportError:
        print("jieba not installed: skipped", file=sys.stderr)
    print(f"substring scan (truth): {truth}")
    with tempfile.TemporaryDirectory() as folder:
        for name, create, prepare, match in ways:
            path = Path(folder, f"{name}.db")
            rate = build(path, create, prepare, docs)
            size = path.stat().st_size
            print(f"{name}: {rate:,.0f} rows/s, {size / len(docs):,.0f} bytes/article, found {found(path, match)}")


if __name__ == "__main__":
    main()
