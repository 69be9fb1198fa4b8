"""A one-line live status of a crawl on stderr, for people watching a terminal."""

from __future__ import annotations

import sys
from typing import Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class ProgressLine:
    """Print pages fetched and articles stored, every second on a terminal, and once at the end."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.live = sys.stderr.isatty()
        self.ticker = task.LoopingCall(self.show)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured("PROGRESS_ENABLED is off")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        if self.live:
            self.ticker.start(1.0)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.ticker.running:
            self.ticker.stop()
        self.show(end="\n")

    def show(self, end: str = "") -> None:
        get = self.crawler.stats.get_value
        site = getattr(getattr(self.crawler.spider, "site", None), "name", "?")
        line = (
            f"{site}: {get('response_received_count', 0)} responses, {get('archive/pages', 0)} article pages, "
            f"{get('archive/articles_new', 0)} new articles, {get('item_dropped_count', 0)} dropped"
        )
        sys.stderr.write(("\r" if self.live else "") + line + "\033[K" * self.live + end)
        sys.stderr.flush()
