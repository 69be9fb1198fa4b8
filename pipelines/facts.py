"""Stage 3: find the utility facts an article states, each with the sentence it came from."""

from __future__ import annotations

from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.items import ArticleItem
from pipelines.workers import facts_of, run, worker_count


def article_facts(item: ArticleItem, vocabulary_paths: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The facts of one article as plain dicts, ready for the archive and for JSON."""
    return facts_of(item.title, item.body, item.published_at, vocabulary_paths)


class FactsPipeline:
    """Attach facts to every article; the vocabulary can be extended with analysts' own TOML files."""

    def __init__(self, vocabulary_paths: list[str], workers: int, stats: StatsCollector):
        self.paths, self.workers, self.stats = tuple(vocabulary_paths), workers, stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        workers = worker_count(settings.getint("PIPELINE_WORKERS", -1))
        return cls(settings.getlist("FACTS_VOCABULARY_PATHS"), workers, crawler.stats)

    async def process_item(self, item: object) -> object:
        if isinstance(item, ArticleItem):
            item.facts = await run(self.workers, facts_of, item.title, item.body, item.published_at, self.paths)
            for fact in item.facts:
                self.stats.inc_value(f"facts/{fact['kind']}")
        return item
