"""Run crawls in this process, one site after another, with the project's settings."""

from __future__ import annotations

import shutil
from collections.abc import Generator, Iterable, Mapping
from pathlib import Path
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
            stats = dict(crawler.stats.get_stats()) | {"site": site}
            results.append(stats)
            if stats.get("finish_reason") == "shutdown":
                break  # Ctrl-C stops the whole command, not only the site being crawled
            if stats.get("finish_reason") == "finished" and crawler.settings.get("JOBDIR"):
                shutil.rmtree(Path(crawler.settings["JOBDIR"]), ignore_errors=True)  # done: nothing to resume

    one_after_another()
    process.start()
    return results
