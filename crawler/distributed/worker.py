"""A crawl as one worker of a distributed crawl: the add-on that switches it on, and the item pipeline
that hands raw pages to the ingester through a Redis stream instead of writing the archive.
"""

from __future__ import annotations

from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.distributed.codec import dump_page
from crawler.distributed.connection import Keys, connect, require_extra
from crawler.items import PageItem

# the stages that read pages and write the archive run in the ingester; a worker only fetches
LOCAL_PIPELINES = (
    "pipelines.extract.ExtractPipeline",
    "pipelines.clean.CleanPipeline",
    "pipelines.facts.FactsPipeline",
    "pipelines.dedupe.DedupePipeline",
    "pipelines.store.ArchivePipeline",
)


class Distributed:
    """Scrapy add-on: with REDIS_URL set, the crawl runs on the shared frontier and pushes pages to Redis."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("REDIS_URL"):
            return
        require_extra()
        settings.set("SCHEDULER", "crawler.distributed.scheduler.DistributedScheduler", "addon")
        pipelines = settings["ITEM_PIPELINES"]
        for name in LOCAL_PIPELINES:
            pipelines[name] = None
        pipelines["crawler.distributed.worker.PagesToRedis"] = 900
        middlewares = settings["DOWNLOADER_MIDDLEWARES"]
        middlewares["crawler.incremental.IncrementalMiddleware"] = None
        middlewares["crawler.distributed.known.RedisIncrementalMiddleware"] = 50


class PagesToRedis:
    """Push each raw page (with its continuation pages) to the ingester's stream."""

    def __init__(self, crawler: Crawler, server: Any, keys: Keys, level: int):
        self.crawler, self.server, self.keys, self.level = crawler, server, keys, level

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        server = connect(settings["REDIS_URL"], settings.getfloat("REDIS_RETRY_SECONDS"))
        return cls(crawler, server, Keys(settings["REDIS_KEY_PREFIX"]), settings.getint("REDIS_COMPRESS_LEVEL"))

    def process_item(self, item: object) -> object:
        if isinstance(item, PageItem):
            stats = self.crawler.stats
            crawl = stats.get_value("redis/crawl")
            entry = {"type": "page", "site": item.site, "crawl": crawl, "data": dump_page(item, self.level)}
            self.server.xadd(self.keys.items, entry)
            stats.inc_value("redis/pages_pushed")
        return item
