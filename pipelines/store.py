"""Stage 5: write pages, articles and sightings to the SQLite archive, and the run's record.

The store also owns the run: it takes the site's lock (one crawl per site and archive), records the
run, checks the site's health rules at the end, and stops the crawl cleanly, in one line, when the
archive cannot be written (full disk, locked or read-only file), with the failed batch rolled back.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from archive.db import Archive, ArchiveError, explain, open_archive
from archive.locks import SiteLock
from archive.records import record_article, record_dropped
from archive.runs import recent_stats
from crawler.health import figures, health_problems
from crawler.items import ArticleItem, PageItem

logger = logging.getLogger(__name__)

# how Scrapy's finish reasons map onto the states a user sees in `newsarchive runs`
RUN_STATUS = {"finished": "finished", "shutdown": "interrupted", "cancelled": "interrupted"}


def run_status(reason: str) -> str:
    """The run status for a Scrapy finish reason; reaching a page or time limit is a normal finish."""
    if reason.startswith("closespider_"):
        return "finished"
    return RUN_STATUS.get(reason, "failed")


class NotStored(DropItem):
    """The archive could not take the item (its batch was rolled back); the next run fetches it again."""


class ArchivePipeline:
    """Store every item in the archive in batched transactions; keep the raw page of dropped ones too."""

    archive: Archive

    def __init__(self, crawler: Crawler, path: str, batch: tuple[int, float], level: int):
        self.crawler, self.path, self.batch, self.level = crawler, path, batch, level
        self.run_id: int | None = None
        self.ticker = task.LoopingCall(self.commit_if_due)
        self.lock: SiteLock | None = None
        self.broken = ""  # why the archive stopped taking writes, once it has

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        batch = (settings.getint("ARCHIVE_BATCH_SIZE"), settings.getfloat("ARCHIVE_BATCH_SECONDS"))
        pipeline = cls(crawler, settings.get("ARCHIVE_DB"), batch, settings.getint("ARCHIVE_COMPRESS_LEVEL"))
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        settings, stats = self.crawler.settings, self.crawler.stats
        site = getattr(self.crawler.spider, "site", None)
        name = site.name if site else getattr(self.crawler.spider, "name", "")
        try:
            self.take_lock(name)
            self.archive = open_archive(
                self.path,
                *self.batch,
                max_size_mb=settings.getfloat("ARCHIVE_MAX_SIZE_MB"),
                timeout=settings.getfloat("ARCHIVE_LOCK_TIMEOUT"),
            )
            self.run_id = self.archive.start_run(name, {"base_url": site.base_url if site else None})
        except (ArchiveError, sqlite3.Error) as exc:
            message = str(exc) if isinstance(exc, ArchiveError) else explain(self.path, exc)
            stats.set_value("archive/error", message)
            logger.error("%s", message)
            self.release_lock()
            raise CloseSpider("archive_error") from None
        stats.set_value("archive/run_id", self.run_id)
        self.ticker.start(self.batch[1], now=False)

    def take_lock(self, name: str) -> None:
        """Hold the site's lock for the length of the crawl; refuse to start when another crawl holds it."""
        if not self.crawler.settings.getbool("ARCHIVE_LOCKS"):
            return
        lock = SiteLock(self.path, name)
        if not lock.acquire():
            message = f"{name} is already being crawled into {self.path} ({lock.holder()})"
            self.crawler.stats.set_value("archive/refused", message)
            logger.error("%s", message)
            raise CloseSpider("already_running")
        self.lock = lock

    def release_lock(self) -> None:
        if self.lock:
            self.lock.release()
            self.lock = None

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleItem):
            return item
        recorded = self.write(record_article, item, self.run_id, self.level)
        stats = self.crawler.stats
        stats.inc_value("archive/pages")
        stats.inc_value("archive/with_date", int(bool(item.published_at)))
        stats.inc_value("archive/with_author", int(bool(item.authors)))
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
        if isinstance(page, PageItem) and isinstance(exception, DropItem) and not isinstance(exception, NotStored):
            try:
                self.write(record_dropped, page, self.run_id, type(exception).__name__, self.level)
            except NotStored:
                return
            self.crawler.stats.inc_value("archive/pages_dropped")

    def write(self, func: Any, *args: Any) -> Any:
        """Run a named write in the open batch; when the archive refuses it, stop the crawl in one line."""
        if self.broken:
            raise NotStored(self.broken)
        try:
            with self.archive.batch():
                return func(self.archive.db, *args)
        except sqlite3.Error as exc:
            self.fail(explain(self.path, exc))
            raise NotStored(self.broken) from None

    def fail(self, message: str) -> None:
        """Remember why the archive stopped taking writes, and close the spider (once)."""
        if self.broken:
            return
        self.broken = message
        self.crawler.stats.set_value("archive/error", message)
        logger.error("%s; the open batch was rolled back and the crawl stops", message)
        if self.crawler.engine and self.crawler.engine.spider:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_error"))

    def commit_if_due(self, force: bool = False) -> None:
        """Commit the open batch when it is old enough (or now, when forced)."""
        if self.broken:
            return
        try:
            if force:
                self.archive.commit()
            else:
                self.archive.commit_if_due()
        except sqlite3.Error as exc:
            self.archive.rollback()
            self.fail(explain(self.path, exc))

    def close_spider(self) -> None:
        if self.ticker.running:
            self.ticker.stop()
        if self.run_id is not None:
            self.commit_if_due(force=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Write the run's final record with its stats and health, then let go of the archive and the lock."""
        if self.run_id is None:
            return
        stats = dict(self.crawler.stats.get_stats())
        status, problem = run_status(reason), None
        try:
            if status == "finished" and (problems := self.check_health(spider, stats)):
                status, problem = "failed", "; ".join(problems)
                self.crawler.stats.set_value("health/problem", problem)
                logger.error("%s: %s", getattr(getattr(spider, "site", None), "name", spider.name), problem)
            self.archive.finish_run(self.run_id, status, reason, stats, problem)
        except sqlite3.Error as exc:  # the run stays 'running'; the next run marks it interrupted
            self.archive.rollback()
            logger.error("could not record the end of the run: %s", explain(self.path, exc))
        finally:
            self.archive.close()
            self.release_lock()

    def check_health(self, spider: Spider, stats: dict[str, Any]) -> list[str]:
        """The site's health rules broken by this run, compared with the site's recent runs."""
        site = getattr(spider, "site", None)
        if site is None:
            return []
        recent = [figures(s) for s in recent_stats(self.archive.db, site.name, self.run_id, limit=10)]
        return health_problems(site.health, figures(stats), recent)
