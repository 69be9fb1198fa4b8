"""Stage 4: recognise what the archive already holds: the same page, the same body, or the same story retold.

In order: the canonical URL (url), the normalised body's hash (exact), then near duplicates found
through the archive's MinHash/LSH and passage index and confirmed on the exact shingle sets
(near). Texts quoting another whole are linked both ways (contained) without being merged.
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from sqlite_utils import Database

from archive.dedupe_index import StoredText, candidates, common_passages, stored_texts
from archive.records import find_copy, find_sighting
from crawler.items import ArticleItem
from pipelines.fingerprint import fingerprint, kept_text, passages, shingles, sign
from pipelines.similarity import Relation, Text, Thresholds, earlier, relate
from pipelines.store import ArchivePipeline

DEFAULT = Thresholds()


def thresholds_from(settings: BaseSettings) -> Thresholds:
    """The DEDUPE_* settings as Thresholds."""
    return Thresholds(
        near=settings.getfloat("DEDUPE_NEAR_THRESHOLD"),
        contained=settings.getfloat("DEDUPE_CONTAINED_THRESHOLD"),
        cut=settings.getfloat("DEDUPE_CUT_THRESHOLD"),
        boilerplate=settings.getint("DEDUPE_BOILERPLATE_ARTICLES"),
    )


def classify(db: Database, item: ArticleItem, thresholds: Thresholds = DEFAULT) -> ArticleItem:
    """Mark how the item relates to the archive: original, url, exact or near, and what it quotes or is quoted in."""
    if _same_page(db, item, thresholds):
        return item
    item.sighting, item.duplicate_of = "original", None
    parts = passages(item.body)
    common = common_passages(db, (h for h, _ in parts), thresholds.boilerplate)
    mine = Text(shingles(kept_text(parts, common)), item.published_at)
    item.fingerprint = sign(mine.shingles, parts)
    if (copy_of := find_copy(db, item.content_hash)) is not None:
        item.sighting, item.duplicate_of, item.similarity, item.reverse_similarity = "exact", copy_of, 1.0, 1.0
        item.earlier = earlier(item.published_at, _published(db, copy_of))
        return item
    found = [(stored, relation) for stored, relation in _compare(db, mine, item, common, thresholds) if relation]
    near = [(s, r) for s, r in found if r.kind == "near"]
    if near:
        stored, best = max(near, key=lambda pair: pair[1].resemblance)
        item.sighting, item.duplicate_of = "near", stored.article_id
        item.similarity, item.reverse_similarity = best.of_theirs, best.of_mine
        item.earlier = earlier(item.published_at, stored.published_at)
    item.contains = [(s.article_id, r.of_theirs) for s, r in found if r.kind == "contains"]
    item.within = [(s.article_id, r.of_mine) for s, r in found if r.kind == "within"]
    return item


def dedupe_counts(item: ArticleItem) -> dict[str, int]:
    """The run's stats for one classified item: new, url, exact or near; quotations; canonical moves."""
    counts = {f"dedupe/{'new' if item.sighting == 'original' else item.sighting}": 1}
    if item.contains or item.within:
        counts["dedupe/contained"] = len(item.contains) + len(item.within)
    if item.earlier:
        counts["dedupe/canonical_moved"] = 1
    return counts


def _same_page(db: Database, item: ArticleItem, thresholds: Thresholds) -> bool:
    """Recognise a page seen before at this canonical URL; its own article is re-indexed by the store if it changed."""
    found = db.execute("SELECT id, content_hash FROM articles WHERE url = ?", [item.url]).fetchone()
    if found is not None:
        item.sighting, item.duplicate_of = "url", None
        if found[1] != item.content_hash:
            parts = passages(item.body)
            item.fingerprint = fingerprint(parts, common_passages(db, (h for h, _ in parts), thresholds.boilerplate))
        return True
    seen = find_sighting(db, item.url)
    if seen is not None:
        item.sighting, item.duplicate_of = "url", seen
        return True
    return False


def _compare(
    db: Database, mine: Text, item: ArticleItem, common: set[int], thresholds: Thresholds
) -> list[tuple[StoredText, Relation | None]]:
    """Each candidate the index offers (boilerplate is no clue), with its relation to the item's text."""
    fp = item.fingerprint
    if fp is None or not fp.signed:
        return []
    ids = candidates(db, fp.bands, [h for h in fp.passages if h not in common])
    texts = stored_texts(db, ids)
    parts = {t.article_id: passages(t.body) for t in texts}
    common = common_passages(db, (h for p in parts.values() for h, _ in p), thresholds.boilerplate)
    return [
        (t, relate(mine, Text(shingles(kept_text(parts[t.article_id], common)), t.published_at), thresholds))
        for t in texts
    ]


def _published(db: Database, article_id: int) -> str | None:
    row = db.execute("SELECT published_at FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row else None


class DedupePipeline:
    """Classify every article against the archive; the store then records one sighting per place."""

    def __init__(self, crawler: Crawler, stats: StatsCollector, thresholds: Thresholds):
        self.crawler, self.stats, self.thresholds = crawler, stats, thresholds
        self.store: ArchivePipeline | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.stats, thresholds_from(crawler.settings))  # a bad threshold stops the crawl

    def open_spider(self) -> None:
        self.store = self.crawler.get_item_pipeline(ArchivePipeline)
        if self.store is None:
            raise NotConfigured("DedupePipeline looks articles up in the archive: enable ArchivePipeline")

    def process_item(self, item: object) -> object:
        if isinstance(item, ArticleItem) and self.store is not None:
            classify(self.store.archive.db, item, self.thresholds)
            for key, count in dedupe_counts(item).items():
                self.stats.inc_value(key, count)
        return item
