"""Stage 1: read the raw page into an article (encoding, title, date, bylines, body)."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.items import ArticleItem, PageItem
from crawler.sites import SiteDefinition, known_site
from crawler.urls import NO_RULES, UrlRules, canonical_url
from pipelines.clean import normalise_article
from pipelines.errors import NotAnArticle
from pipelines.extraction import Article, extract_article
from pipelines.facts import article_facts


def page_to_article(page: PageItem, site: SiteDefinition | None = None) -> ArticleItem:
    """Extract an article from a raw page; raises NotAnArticle when there is none."""
    article = extract_article(page.body, page.final_url, page.headers, site.overrides if site else None)
    if not article.is_article:
        raise NotAnArticle(f"no article on {page.final_url}: {article.reason}")
    return article_item(page, article, site.url_rules if site else NO_RULES)


def article_item(page: PageItem, article: Article, rules: UrlRules = NO_RULES) -> ArticleItem:
    """The pipeline item for an extracted article, at the canonical spelling of the URL it was redirected to."""
    return ArticleItem(
        page=page,
        url=canonical_url(page.final_url, rules),
        site=page.site,
        title=article.title,
        subtitle=article.subtitle,
        published_at=article.published_at,
        authors=list(article.authors),
        source=article.source,
        editor=article.editor,
        section=article.section,
        body=article.body,
        images=[asdict(image) for image in article.images],
        lang=article.lang,
        encoding=article.encoding,
    )


class ExtractPipeline:
    """Turn each PageItem into an ArticleItem, with the site's selector overrides applied."""

    def __init__(self, sites_paths: list[str], stats: StatsCollector):
        self.stats = stats
        self.sites_paths = tuple(sites_paths)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.getlist("SITES_PATHS"), crawler.stats)

    def process_item(self, item: object) -> object:
        if not isinstance(item, PageItem):
            return item
        started = time.perf_counter()
        try:
            return page_to_article(item, known_site(item.site, self.sites_paths))
        finally:
            self.stats.inc_value("extract/ms_total", round((time.perf_counter() - started) * 1000))
            self.stats.inc_value("extract/pages")


def extract_fields(page: PageItem, site: SiteDefinition | None = None) -> dict[str, Any]:
    """Everything the pipeline reads from one page, as a JSON-ready dict (for `newsarchive extract`)."""
    article = extract_article(page.body, page.final_url, page.headers, site.overrides if site else None)
    item = normalise_article(article_item(page, article, site.url_rules if site else NO_RULES))
    item.facts = article_facts(item) if article.is_article else []
    return {
        "url": item.url,
        "title": item.title,
        "subtitle": item.subtitle,
        "published_at": item.published_at,
        "author": item.authors,
        "source": item.source,
        "editor": item.editor,
        "section": item.section,
        "body": item.body,
        "images": item.images,
        "lang": item.lang,
        "encoding": item.encoding,
        "is_article": article.is_article,
        "reason": article.reason,
        "facts": item.facts,
    }
