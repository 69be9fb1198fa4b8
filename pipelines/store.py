"""Stage 5: write pages, articles and sightings to the SQLite archive, and the run's record."""

from __future__ import annotations

from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import Response
from twisted.internet import task

from archive.db import Archive, open_archive
from archive.records import record_article, record_dropped
from crawler.items import ArticleItem, PageItem

# how Scrapy's finish reasons map onto the states a user sees in `newsarchive runs`
RUN_STATUS = {"finished": "finished", "shutdown": "interrupted", "cancelled": "interrupted"}


def run_status(reason: str) -> str:
    """The run status for a Scrapy finish reason; reaching a page or time limit is a normal finish."""
    if reason.startswith("closespider_"):
        return "finished"
    return RUN_STATUS.get(reason, "failed")


class ArchivePipeline:
    """Store every item in the archive in batched transactions; keep the raw page of dropped ones too."""

    archive: Archive

    def __init__(self, crawler: Crawler, path: str, batch: tuple[int, float], level: int):
        self.crawler, self.path, self.batch, self.level = crawler, path, batch, level
        self.run_id: int | None = None
        self.ticker = task.LoopingCall(self.commit_if_due)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        batch = (settings.getint("ARCHIVE_BATCH_SIZE"), settings.getfloat("ARCHIVE_BATCH_SECONDS"))
        pipeline = cls(crawler, settings.get("ARCHIVE_DB"), batch, settings.getint("ARCHIVE_COMPRESS_LEVEL"))
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.archive = open_archive(self.path, *self.batch)
        site = getattr(self.crawler.spider, "site", None)
        name = site.name if site else getattr(self.crawler.spider, "name", "")
        self.run_id = self.archive.start_run(name, {"base_url": site.base_url if site else None})
        self.crawler.stats.set_value("archive/run_id", self.run_id)
        self.ticker.start(self.batch[1], now=False)

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        with self.archive.batch():
            recorded = record_article(self.archive.db, item, self.run_id, self.level)
        stats = self.crawler.stats
        stats.inc_value("archive/pages")
        if recorded.new_article:
            stats.inc_value("archive/articles_new")
        if recorded.updated:
            stats.inc_value("archive/articles_updated")
        if recorded.new_sighting:
            stats.inc_value("archive/sightings_new")
        return item

    def item_dropped(self, item: Any, response: Response, exception: BaseException, spider: Spider) -> None:
        """Keep the raw page of a dropped item: a better extractor may read it later, without refetching."""
        page = item.page if isinstance(item, ArticleItem) else item
        if isinstance(page, PageItem) and isinstance(exception, DropItem):
            with self.archive.batch():
                record_dropped(self.archive.db, page, self.run_id, type(exception).__name__, self.level)
            self.crawler.stats.inc_value("archive/pages_dropped")

    def commit_if_due(self) -> None:
        self.archive.commit_if_due()

    def close_spider(self) -> None:
        if self.ticker.running:
            self.ticker.stop()
        self.archive.commit()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Write the run's final record with its stats, then let go of the archive."""
        if self.run_id is None:
            return
        stats = dict(self.crawler.stats.get_stats())
        self.archive.finish_run(self.run_id, run_status(reason), reason, stats)
        self.archive.close()
