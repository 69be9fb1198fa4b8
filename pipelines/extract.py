"""Stage 1: read the raw page into an article (encoding, title, date, bylines, body)."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.items import ArticleItem, PageItem
from crawler.sites import SiteDefinition, known_site
from crawler.urls import NO_RULES, UrlRules, canonical_url
from pipelines.clean import normalise_article
from pipelines.errors import ErrorPage, NotAnArticle
from pipelines.extraction import Article, extract_article
from pipelines.extraction.encoding import canonical_codec, header_charset
from pipelines.facts import article_facts
from pipelines.workers import run, worker_count

# headlines of error pages that servers send with status 200
ERROR_TITLE = re.compile(
    r"^\W*(404|403|500|50[23])\b|页面不存在|页面未找到|找不到(该|您要访问的)?页面|not found|页面已删除", re.I
)


def page_to_article(page: PageItem, site: SiteDefinition | None = None) -> ArticleItem:
    """Extract an article from a raw page (and its continuation pages); raises NotAnArticle when there is none."""
    article = read_article(page, site.overrides if site else None)
    return checked_item(page, article, site.url_rules if site else NO_RULES)


def checked_item(page: PageItem, article: Article, rules: UrlRules = NO_RULES) -> ArticleItem:
    """The item for an extracted page; ErrorPage for a soft 404, NotAnArticle when the page holds none."""
    if article.reason == "not_found_page" or is_error_page(article):
        raise ErrorPage(f"error page served with status {page.status} at {page.final_url}: {article.title}")
    if not article.is_article:
        raise NotAnArticle(f"no article on {page.final_url}: {article.reason}", article.reason)
    return article_item(page, article, rules)


def is_error_page(article: Article) -> bool:
    """Tell whether a page is an error message rather than content: an error headline over a short body."""
    return bool(article.title and ERROR_TITLE.search(article.title) and len(article.body) < 200)


def read_article(page: PageItem, overrides: dict[str, str] | None = None) -> Article:
    """Extract a page, then append the body and images of each continuation page it has."""
    article = extract_article(page.body, page.final_url, page.headers, overrides)
    paragraphs = article.body.split("\n") if article.body else []
    for part in page.parts:
        more = extract_article(part.body, part.final_url, part.headers, overrides)
        paragraphs += [p for p in more.body.split("\n") if p and p not in paragraphs]  # leads are often reprinted
        article.images += [image for image in more.images if image not in article.images]
    article.body = "\n".join(paragraphs)
    return article


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

    def __init__(self, sites_paths: list[str], workers: int, stats: StatsCollector):
        self.sites_paths, self.workers, self.stats = tuple(sites_paths), workers, stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        workers = worker_count(settings.getint("PIPELINE_WORKERS", -1))
        return cls(settings.getlist("SITES_PATHS"), workers, crawler.stats)

    async def process_item(self, item: object) -> object:
        if not isinstance(item, PageItem):
            return item
        site = known_site(item.site, self.sites_paths)
        article = await run(self.workers, read_article, item, dict(site.overrides) if site else None)
        self.stats.inc_value("extract/pages")
        claimed = header_charset(item.headers)
        if claimed and article.encoding and canonical_codec(article.encoding) != canonical_codec(claimed):
            self.stats.inc_value("extract/charset_header_wrong")  # the server's charset lied
        try:
            return checked_item(item, article, site.url_rules if site else NO_RULES)
        except NotAnArticle as exc:
            self.stats.inc_value(f"extract/not_article/{exc.reason}")
            raise


def extract_fields(page: PageItem, site: SiteDefinition | None = None) -> dict[str, Any]:
    """Everything the pipeline reads from one page, as a JSON-ready dict (for `newsarchive extract`)."""
    article = read_article(page, site.overrides if site else None)
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
