"""Run crawls in this process, one site after another, with the project's settings."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Mapping
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.internet import defer
from twisted.internet.defer import Deferred

from crawler.spiders.news import NewsSpider


def project_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """The settings `scrapy crawl` would use, plus overrides given on the command line."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawls(sites: Iterable[str], settings: Settings, spider: type[NewsSpider] = NewsSpider) -> list[dict[str, Any]]:
    """Crawl each site in turn and return each crawl's final stats."""
    process = CrawlerProcess(settings)
    results: list[dict[str, Any]] = []

    @defer.inlineCallbacks
    def one_after_another() -> Generator[Deferred[None], Any, None]:
        for site in sites:
            crawler = process.create_crawler(spider)
            yield process.crawl(crawler, site=site)
            results.append(dict(crawler.stats.get_stats()) | {"site": site})

    one_after_another()
    process.start()
    return results
