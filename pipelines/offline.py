"""The crawl's stages run without Scrapy, so reprocess, import and ingest store pages exactly as a crawl does.

The order here mirrors ITEM_PIPELINES; tests/test_offline.py checks that an offline pass over the
pages of a crawl gives the same archive as the crawl.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self

from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings
from sqlite_utils import Database

from archive.compression import DEFAULT_LEVEL
from archive.records import Recorded, record_article, record_dropped
from crawler.items import ArticleItem, PageItem
from crawler.sites import SiteDefinition, known_site
from pipelines.clean import clean_article
from pipelines.dedupe import DEFAULT, Thresholds, classify, thresholds_from
from pipelines.extract import page_to_article
from pipelines.facts import article_facts


@dataclass
class Outcome:
    """What happened to one page: stored (with what changed) or dropped (with the reason)."""

    recorded: Recorded | None = None
    dropped: str | None = None
    item: ArticleItem | None = None  # the stored item, with how dedupe classified it


@dataclass
class Stages:
    """Extract, clean, facts, dedupe and store, configured from the same settings a crawl reads."""

    sites_paths: list[str] = field(default_factory=list)
    vocabulary_paths: tuple[str, ...] = ()
    min_chars: int = 60
    require_title: bool = True
    level: int = DEFAULT_LEVEL
    thresholds: Thresholds = DEFAULT

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        return cls(
            sites_paths=settings.getlist("SITES_PATHS"),
            vocabulary_paths=tuple(settings.getlist("FACTS_VOCABULARY_PATHS")),
            min_chars=settings.getint("CLEAN_MIN_BODY_CHARS"),
            require_title=settings.getbool("CLEAN_REQUIRE_TITLE"),
            level=settings.getint("ARCHIVE_COMPRESS_LEVEL"),
            thresholds=thresholds_from(settings),
        )

    def process(self, db: Database, page: PageItem, run_id: int | None = None) -> Outcome:
        """Run one raw page through every stage and store the result; the caller owns the transaction."""
        return self.store(db, page, self.prepare(page), run_id)

    def prepare(self, page: PageItem) -> ArticleItem | str:
        """Extract, clean and find facts: the article, or why the page is dropped. Needs no archive, so it
        can run in another process."""
        try:
            item = page_to_article(page, self.site(page.site))
            clean_article(item, self.min_chars, self.require_title)
            item.facts = article_facts(item, self.vocabulary_paths)
        except DropItem as exc:
            return type(exc).__name__
        return item

    def store(self, db: Database, page: PageItem, prepared: ArticleItem | str, run_id: int | None) -> Outcome:
        """Dedupe and store what prepare() made of a page; the caller owns the transaction."""
        if isinstance(prepared, str):
            record_dropped(db, page, run_id, prepared, self.level)
            return Outcome(dropped=prepared)
        classify(db, prepared, self.thresholds)
        return Outcome(recorded=record_article(db, prepared, run_id, self.level), item=prepared)

    def keep_raw(self, db: Database, page: PageItem, run_id: int | None, reason: str) -> int:
        """Keep a page no stage could read, with the reason, for a later reprocess."""
        return record_dropped(db, page, run_id, reason, self.level)

    def site(self, name: str) -> SiteDefinition | None:
        """The site definition a page came from, when it still exists."""
        return known_site(name, tuple(self.sites_paths))
