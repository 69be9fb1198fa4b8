"""Stage 3: find the utility facts an article states, each with the sentence it came from."""

from __future__ import annotations

from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.items import ArticleItem
from pipelines.utilityfacts import Vocabulary, find_facts, load_vocabulary


def article_facts(item: ArticleItem, vocabulary: Vocabulary | None = None) -> list[dict[str, Any]]:
    """The facts of one article as plain dicts, ready for the archive and for JSON."""
    return [fact.to_dict() for fact in find_facts(item.title, item.body, item.published_at, vocabulary)]


class FactsPipeline:
    """Attach facts to every article; the vocabulary can be extended with analysts' own TOML files."""

    def __init__(self, vocabulary: Vocabulary, stats: StatsCollector):
        self.vocabulary, self.stats = vocabulary, stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(load_vocabulary(*crawler.settings.getlist("FACTS_VOCABULARY_PATHS")), crawler.stats)

    def process_item(self, item: object) -> object:
        if isinstance(item, ArticleItem):
            item.facts = article_facts(item, self.vocabulary)
            for fact in item.facts:
                self.stats.inc_value(f"facts/{fact['kind']}")
        return item
