"""Stage 4: recognise articles the archive already holds, by canonical URL or by identical body."""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from sqlite_utils import Database

from archive.records import find_article
from crawler.items import ArticleItem
from pipelines.store import ArchivePipeline


def classify(db: Database, item: ArticleItem) -> ArticleItem:
    """Mark how the item relates to the archive: original, url (same page again) or exact (same body elsewhere)."""
    if find_article(db, url=item.url) is not None:
        item.sighting = "url"  # stored again at its own URL, where the store updates it if it changed
    elif (match := find_article(db, content_hash=item.content_hash)) is not None:
        item.sighting, item.duplicate_of, item.similarity = "exact", match, 1.0
    else:
        item.sighting = "original"
    return item


class DedupePipeline:
    """Classify every article against the archive; the store then records one sighting per place."""

    def __init__(self, crawler: Crawler, stats: StatsCollector):
        self.crawler, self.stats = crawler, stats
        self.store: ArchivePipeline | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.stats)

    def open_spider(self) -> None:
        self.store = self.crawler.get_item_pipeline(ArchivePipeline)
        if self.store is None:
            raise NotConfigured("DedupePipeline looks articles up in the archive: enable ArchivePipeline")

    def process_item(self, item: object) -> object:
        if isinstance(item, ArticleItem) and self.store is not None:
            classify(self.store.archive.db, item)
            self.stats.inc_value(f"dedupe/{item.sighting}")
        return item
