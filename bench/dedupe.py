"""Benchmark the dedupe stage at archive sizes up to a million articles.

Generates Chinese-like news (words drawn with the frequencies of the demo corpus, per-site lead-ins
and footers, a pool of stock paragraphs many articles share) with 10 % planted republications:
another site's boilerplate, word edits, a dropped paragraph, a cut tail, some published before
their original. Every item goes through the real `classify` and `record_article` into one growing
archive, in the crawl's batched transactions; at each checkpoint size the script prints the time
per article, precision and recall on the planted pairs, the archive's size on disk and the peak
RSS so far. Two times: dedupe (classify, the lookup, plus indexing the fingerprint, the insert) and
the whole store (wall and CPU: the dedupe stage, then the page, article, full-text index entry and
sighting, and the commits), whose full-text part the archive benchmark measures on its own. Times
are averaged over the last two whole fold cycles before the size (the index folds its recent keys
into the main tables every FOLD_ARTICLES new articles), so folds count at their true share; before
the third fold, over the last WINDOW items.

    python bench/dedupe.py                       # checkpoints 10k, 100k, 1M
    python bench/dedupe.py --sizes 2000,20000     # a quick look
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive import dedupe_index
from archive.db import open_archive
from archive.records import record_article
from crawler import settings
from crawler.demoweb.stories import load_stories
from crawler.items import ArticleItem, PageItem
from pipelines.clean import content_hash
from pipelines.dedupe import classify

WINDOW = 5000
SITES = 40
COPY_SHARE = 0.10


@dataclass
class Story:
    """A generated article: the story it tells (ground truth), where and when, and its paragraphs."""

    story: int
    site: int
    published: datetime
    paragraphs: list[str]


class Writer:
    """Chinese-like text: words with the demo corpus's frequencies, numbers, full-width punctuation."""

    def __init__(self, seed: int):
        text = "".join(p for s in load_stories() for p in s["paragraphs"])
        runs = re.findall(r"[\u4e00-\u9fff]+", text)
        counts: Counter[str] = Counter()
        for run in runs:
            i = 0
            rng = random.Random(len(run))
            while i < len(run):
                n = rng.choice((1, 2, 2, 2, 3, 4))
                counts[run[i : i + n]] += 1
                i += n
        words, freq = zip(*counts.most_common(), strict=True)
        self.words = np.array(words, dtype=object)
        self.cdf = np.cumsum(np.array(freq, dtype=float) / sum(freq))
        self.rng = np.random.default_rng(seed)

    def draw(self, n: int) -> list[str]:
        picks = np.minimum(np.searchsorted(self.cdf, self.rng.random(n)), len(self.words) - 1)
        return list(self.words[picks])

    def sentence(self) -> str:
        n = int(self.rng.integers(6, 16))
        words = self.draw(n)
        if self.rng.random() < 0.5:
            words.insert(int(self.rng.integers(0, n)), f"{self.rng.integers(1, 999)}.{self.rng.integers(0, 99)}")
        return "".join(words) + ("，" if self.rng.random() < 0.4 else "。")

    def paragraph(self, sentences: tuple[int, int] = (3, 7)) -> str:
        return "".join(self.sentence() for _ in range(int(self.rng.integers(*sentences)))).rstrip("，") + "。"

    def word(self) -> str:
        return str(self.draw(1)[0])


class Corpus:
    """The stream of items: originals and planted copies, with the story each one tells."""

    def __init__(self, seed: int = 11):
        self.w = Writer(seed)
        self.rng = random.Random(seed)
        self.leads = [f"{self.w.word()}{self.w.word()}网讯：" for _ in range(SITES)]
        self.footers = [self.w.paragraph((2, 3)) for _ in range(SITES)]
        self.stock = [self.w.paragraph((3, 5)) for _ in range(300)]
        self.recent: deque[Story] = deque(maxlen=20000)
        self.clock = datetime(2015, 1, 1, 8, 0)

    def items(self, count: int) -> Iterator[tuple[Story, bool]]:
        for n in range(count):
            self.clock += timedelta(minutes=self.rng.randint(1, 30))
            if self.recent and self.rng.random() < COPY_SHARE:
                yield self.copy(self.rng.choice(self.recent)), True
            else:
                story = self.original(n)
                self.recent.append(story)
                yield story, False

    def original(self, n: int) -> Story:
        paragraphs = [self.w.paragraph() for _ in range(self.rng.randint(3, 8))]
        if self.rng.random() < 0.1:
            paragraphs.insert(0, self.rng.choice(self.stock))  # a standard opening shared with other stories
        return Story(n, self.rng.randrange(SITES), self.clock, paragraphs)

    def copy(self, source: Story) -> Story:
        body = list(source.paragraphs)
        if len(body) > 2 and self.rng.random() < 0.4:
            del body[self.rng.randrange(len(body))]
        if len(body) > 3 and self.rng.random() < 0.2:
            body = body[: max(2, int(len(body) * self.rng.uniform(0.6, 0.9)))]
        for _ in range(self.rng.randint(1, 6)):
            i = self.rng.randrange(len(body))
            words = re.findall(r"[\u4e00-\u9fff]{2}", body[i])
            if words:
                body[i] = body[i].replace(self.rng.choice(words), self.w.word(), 1)
        hours = self.rng.uniform(1, 72) * (-0.2 if self.rng.random() < 0.1 else 1)
        site = (source.site + self.rng.randrange(1, SITES)) % SITES
        return Story(source.story, site, source.published + timedelta(hours=hours), body)

    def item(self, story: Story, n: int) -> ArticleItem:
        paragraphs = list(story.paragraphs)
        paragraphs[0] = self.leads[story.site] + paragraphs[0]
        if story.site % 2:
            paragraphs.append(self.footers[story.site])
        body = "\n".join(paragraphs)
        url = f"http://site{story.site}.test/news/{n}.html"
        page = PageItem(url, url, f"site{story.site}", 200, {}, body.encode(), story.published.isoformat())
        return ArticleItem(
            page=page,
            url=url,
            site=page.site,
            title=f"标题{n}",
            published_at=story.published.isoformat(timespec="seconds") + "+08:00",
            body=body,
            content_hash=content_hash(body),
        )


@dataclass
class Tally:
    """Counts for precision and recall on the planted pairs."""

    copies: int = 0
    found: int = 0  # copies merged into their own story's article
    merged: int = 0  # items merged into any article (exact or near)
    right: int = 0  # ... into their own story's article
    contained: int = 0

    def add(self, story: Story, is_copy: bool, item: ArticleItem, article_story: int) -> None:
        merged = item.sighting in ("exact", "near")
        self.copies += is_copy
        self.merged += merged
        self.right += merged and article_story == story.story
        self.found += is_copy and merged and article_story == story.story
        self.contained += len(item.contains) + len(item.within)


class FoldLog:
    """Stands in for dedupe_index.fold, noting which item each fold came with."""

    def __init__(self, fold: Callable[[Database], None]):
        self.fold, self.item, self.items, self.seconds = fold, 0, list[int](), list[float]()

    def __call__(self, db: Database) -> None:
        started = time.perf_counter()
        self.fold(db)
        self.items.append(self.item)
        self.seconds.append(time.perf_counter() - started)

    def window(self, size: int) -> slice:
        """The items of the last two whole fold cycles before `size`; before that, the last WINDOW items."""
        done = [item for item in self.items if item < size]
        if len(done) < 3:
            return slice(max(0, size - WINDOW), size)
        return slice(done[-3] + 1, done[-1] + 1)


class Stopwatch:
    """Stands in for a function, adding the wall time of each call to `seconds`."""

    def __init__(self, func: Callable[..., None]):
        self.func, self.seconds = func, 0.0

    def __call__(self, *args: object) -> None:
        started = time.perf_counter()
        try:
            self.func(*args)
        finally:
            self.seconds += time.perf_counter() - started


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(sizes: list[int], path: Path) -> list[dict[str, object]]:
    corpus, tally = Corpus(), Tally()
    archive = open_archive(path, batch_size=settings.ARCHIVE_BATCH_SIZE, batch_seconds=settings.ARCHIVE_BATCH_SECONDS)
    story_of = np.full(max(sizes) + 2, -1, dtype=np.int64)
    wall, cpu, dedupe = np.zeros(max(sizes)), np.zeros(max(sizes)), np.zeros(max(sizes))
    results: list[dict[str, object]] = []
    folds = dedupe_index.fold = FoldLog(dedupe_index.fold)
    indexing = dedupe_index.index_article = Stopwatch(dedupe_index.index_article)
    for n, (story, is_copy) in enumerate(corpus.items(max(sizes))):
        folds.item = n
        item = corpus.item(story, n)
        indexing.seconds, w0, c0 = 0.0, time.perf_counter(), time.process_time()
        with archive.batch():
            classify(archive.db, item)
            classified = time.perf_counter()
            article_id = record_article(archive.db, item, None).article_id
        wall[n], cpu[n] = time.perf_counter() - w0, time.process_time() - c0
        dedupe[n] = classified - w0 + indexing.seconds
        if story_of[article_id] < 0:
            story_of[article_id] = story.story
        tally.add(story, is_copy, item, int(story_of[article_id]))
        if n + 1 in sizes:
            archive.commit()
            results.append(checkpoint(n + 1, folds.window(n + 1), (wall, cpu, dedupe), tally, path))
            results[-1]["last_fold_s"] = folds.seconds[-1] if folds.seconds else 0.0
            print(row(results[-1]), flush=True)
    archive.close()
    return results


def checkpoint(
    size: int, window: slice, times: tuple[np.ndarray, np.ndarray, np.ndarray], tally: Tally, path: Path
) -> dict[str, object]:
    wall, cpu, dedupe = times
    disk = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return {
        "articles": size,
        "ms_dedupe": 1000 * float(np.mean(dedupe[window])),
        "ms_wall": 1000 * float(np.mean(wall[window])),
        "ms_cpu": 1000 * float(np.mean(cpu[window])),
        "precision": tally.right / max(tally.merged, 1),
        "recall": tally.found / max(tally.copies, 1),
        "planted": tally.copies,
        "contained": tally.contained,
        "db_mb": disk / 1e6,
        "rss_mb": rss_mb(),
        "total_s": float(np.sum(wall[:size])),
        "total_dedupe_s": float(np.sum(dedupe[:size])),
    }


HEADER = (
    "| articles | dedupe ms/article | stored ms/article (wall) | stored ms/article (CPU) | precision | recall"
    " | planted copies | contained links | archive MB | peak RSS MB | total s | last fold s |\n" + "|---:" * 12 + "|"
)


def row(r: dict[str, object]) -> str:
    return (
        f"| {r['articles']:,} | {r['ms_dedupe']:.2f} | {r['ms_wall']:.2f} | {r['ms_cpu']:.2f}"
        f" | {r['precision']:.4f} | {r['recall']:.4f}"
        f" | {r['planted']:,} | {r['contained']} | {r['db_mb']:.0f} | {r['rss_mb']:.0f}"
        f" | {r['total_s']:.0f} ({r['total_dedupe_s']:.0f} dedupe)"
        f" | {r['last_fold_s']:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="checkpoint sizes, comma-separated")
    parser.add_argument("--db", help="archive path (default: a temporary file, removed afterwards)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-dedupe-") as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "bench.db"
        print(HEADER, flush=True)
        started = time.perf_counter()
        run(sizes, path)
        print(f"\nrun took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
