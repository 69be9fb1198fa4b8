"""Incremental crawling for workers, which have no archive: what it holds is asked of Redis instead.

An article URL is skipped when the known-URL Bloom filter has its canonical form (the ingester adds
every URL it stores, and seeds the filter from the archive). Lists, feeds and sitemaps are fetched
conditionally with the validators the ingester published, once the site's last run walked everything;
the validators this crawl meets go to Redis, and the ingester keeps them when the whole crawl (all
workers) walked everything. Revisits (revisit_days, a newer sitemap lastmod) need each page's fetch
time, which only the archive has: workers leave them to single-machine crawls.
"""

from __future__ import annotations

import json
from typing import Any, Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.distributed.bloom import RedisBloom
from crawler.distributed.connection import Keys, connect
from crawler.incremental import LISTS, IncrementalMiddleware, KnownPage
from crawler.urls import canonical_url


class RedisIncrementalMiddleware(IncrementalMiddleware):
    """Downloader middleware: skip known articles and ask lists "anything new?", from what Redis holds."""

    def __init__(self, crawler: Crawler, server: Any, keys: Keys, refresh: bool):
        super().__init__(crawler, "", refresh)
        self.server, self.keys = server, keys
        self.bloom: RedisBloom | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("INCREMENTAL_ENABLED"):
            raise NotConfigured("INCREMENTAL_ENABLED is off")
        server = connect(settings["REDIS_URL"], settings.getfloat("REDIS_RETRY_SECONDS"))
        middleware = cls(crawler, server, Keys(settings["REDIS_KEY_PREFIX"]), settings.getbool("INCREMENTAL_REFRESH"))
        if middleware.refresh:
            crawler.stats.set_value("incremental/refresh", True)
        return middleware

    def reader(self) -> Any:
        """The known-URL filter, found on first use; None (fetch everything) when it is not there."""
        if self.bloom is None:
            self.bloom = RedisBloom.existing(self.server, self.keys.known)
        return self.bloom

    def check_article(self, db: Any, request: Request) -> None:
        if canonical_url(request.url) in db:
            self.stats.inc_value("incremental/skipped_known")
            raise KnownPage(f"already archived: {request.url}")

    def all_known(self, db: Any, urls: list[str]) -> bool:
        return all(db.contains([canonical_url(url) for url in urls])) if urls else True

    def validators(self, db: Any, url: str) -> tuple[str | None, str | None]:
        found = self.server.hget(self.keys.validators, url)
        etag, modified = json.loads(found) if found else (None, None)
        return etag, modified

    def trust(self, db: Any) -> bool:
        if self.trusted is None:
            site = getattr(self.crawler.spider, "site", None)
            self.trusted = site is not None and self.server.hget(self.keys.trusted, site.name) == b"1"
            self.stats.set_value("incremental/trusted", self.trusted)
        return self.trusted

    def process_response(self, request: Request, response: Response) -> Response:
        response = super().process_response(request, response)
        if request.meta.get("kind") in LISTS and request.url in self.found and any(self.found[request.url]):
            self.server.hset(self.found_key(), request.url, json.dumps(self.found[request.url]))
        return response

    def found_key(self) -> str:
        site = self.crawler.spider.site.name  # type: ignore[union-attr]
        return self.keys.crawl(site, self.stats.get_value("redis/crawl")).found_validators

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Nothing to write here: the ingester keeps the validators when the whole crawl walked everything."""
