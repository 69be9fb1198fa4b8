"""The one generic spider: walks a site's lists, feeds and sitemaps and yields raw article pages.

What to crawl comes from the site definition (crawler/sites/*.toml); the spider discovers and
fetches, and leaves every reading of an article to the pipelines.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import scrapy
from lxml import etree
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from crawler.continuation import first_page, next_part
from crawler.faults import fault_name
from crawler.items import PageItem
from crawler.sites import SiteDefinition, load_site

logger = logging.getLogger(__name__)
MAX_PARTS = 30  # pages of one article; beyond that it is a trap, not an article
NEXT_PAGE = ("下一页", "下页", "后页", "下一頁", "下一页>", "下一页>>", "»", "›", ">", ">>", "next", "Next")
ATOM = "{http://www.w3.org/2005/Atom}"


class NewsSpider(scrapy.Spider):
    """Crawl one site from its definition: `scrapy crawl news -a site=NAME`."""

    name = "news"
    site: SiteDefinition
    allowed_domains: list[str]
    seen_articles: set[str]  # article links met on list pages this run, to tell a page's own from its sidebar

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        site = load_site(kwargs.get("site", ""), crawler.settings.getlist("SITES_PATHS"))
        spider.site = site
        spider.seen_articles = set()
        spider.allowed_domains = list(site.allowed_domains)
        apply_site_settings(crawler, site)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.crawler.settings.get("JOBDIR") and any(Path(self.crawler.settings["JOBDIR"]).glob("requests.*")):
            self.crawler.stats.set_value("incremental/resumed", True)
        for url in self.site.start_urls:
            yield self.list_request(url, hops=0, page=1)
        for url in self.site.feeds:
            yield self.request(url, self.parse_feed, "feed")
        for url in self.site.sitemaps:
            yield self.request(url, self.parse_sitemap, "sitemap")

    def request(self, url: str, callback: Any, kind: str, **meta: Any) -> scrapy.Request:
        """A request of one kind (list, feed, sitemap, article); a failure is counted, never a traceback."""
        return scrapy.Request(url, callback, errback=self.lost, meta={"kind": kind, **meta})

    def list_request(self, url: str, hops: int, page: int, listed: list[str] | None = None) -> scrapy.Request:
        """A list page; `listed` (the articles on the page before it) lets a rerun stop paging early."""
        return self.request(url, self.parse_list, "list", hops=hops, list_page=page, listed=listed)

    def lost(self, failure: Failure) -> None:
        """Count a request given up on (after retries) under the fault's name; skips are not losses."""
        if failure.check(IgnoreRequest) or failure.value is None:
            return
        name = fault_name(failure.value)
        self.crawler.stats.inc_value(f"news/lost/{name}")
        request = getattr(failure, "request", None)
        logger.warning("lost %s: %s", getattr(request, "url", "?"), name)

    # --- discovery ----------------------------------------------------------------------------
    def links(self, response: Response) -> list[str]:
        """Every link on a page, absolute and without fragment."""
        return [response.urljoin(href.strip()).split("#")[0] for href in response.css("a::attr(href)").getall()]

    def is_article(self, url: str) -> bool:
        """An article page of this site, and not page 2 of another one."""
        start = first_page(url)
        return self.site.is_article(url) and not (start and self.site.is_article(start))

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow article links, section lists and the next page of a list."""
        if not hasattr(response, "css"):
            return
        hops, page = response.meta.get("hops", 0), response.meta.get("list_page", 1)
        stats = self.crawler.stats
        articles = []
        next_url = self.next_page(response)  # followed below, with what this page listed, not as a plain list
        for url in self.links(response):
            if self.is_article(url):
                articles.append(url)
                yield self.article_request(url, "list")
            elif self.site.is_list(url) and url != next_url:
                if hops < self.site.max_depth:
                    yield self.list_request(url, hops=hops + 1, page=1)
                else:
                    stats.inc_value("limits/max_depth")
        if next_url and page < self.site.max_list_pages:
            # what this page added to the run (not its sidebar of articles every page shows)
            fresh = [url for url in dict.fromkeys(articles) if url not in self.seen_articles]
            self.seen_articles.update(fresh)
            yield self.list_request(next_url, hops=hops, page=page + 1, listed=fresh)
        elif next_url:
            stats.inc_value("limits/max_list_pages")

    def next_page(self, response: Response) -> str | None:
        """The list's next page: the site's own selector, else a link labelled 下一页 or the like."""
        if self.site.next_page:
            sel = self.site.next_page
            found = response.xpath(sel) if sel.startswith(("/", "(")) else response.css(sel)
            href = found.xpath("(@href | .//@href)").get() if found else None
        else:
            href = next(
                (
                    a.attrib.get("href")
                    for a in response.css("a[href]")
                    if "".join(a.css("::text").getall()).strip() in NEXT_PAGE
                ),
                None,
            )
        return response.urljoin(href) if href and not href.startswith("javascript") else None

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """Read an RSS or Atom feed: every entry is an article candidate, with its title and date as hints."""
        try:
            root = etree.fromstring(response.body, etree.XMLParser(recover=True, resolve_entities=False))
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            self.crawler.stats.inc_value("news/feed_unreadable")
            return
        for entry in root.iter("item", f"{ATOM}entry"):
            link = entry.findtext("link") or next((e.get("href") for e in entry.iter(f"{ATOM}link")), None)
            if link:
                hints = {
                    "title": entry.findtext("title") or entry.findtext(f"{ATOM}title") or "",
                    "published": entry.findtext("pubDate") or entry.findtext(f"{ATOM}updated") or "",
                }
                yield self.article_request(response.urljoin(link.strip()), "feed", hints)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Read a sitemap or sitemap index; article URLs become requests."""
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body)
        try:
            sitemap = Sitemap(body)
        except (etree.XMLSyntaxError, StopIteration):
            self.crawler.stats.inc_value("news/sitemap_unreadable")
            return
        for entry in sitemap:
            url = response.urljoin(entry.get("loc", "").strip())
            if sitemap.type == "sitemapindex":
                yield self.request(url, self.parse_sitemap, "sitemap")
            elif self.is_article(url):
                yield self.article_request(url, "sitemap", {"lastmod": entry.get("lastmod", "")})

    def article_request(self, url: str, via: str, hints: dict[str, str] | None = None) -> scrapy.Request:
        """A request for an article page."""
        self.crawler.stats.inc_value(f"news/found_via_{via}")
        return self.request(url, self.parse_article, "article", via=via, hints=hints or {})

    # --- fetching -----------------------------------------------------------------------------
    async def parse_article(self, response: Response) -> AsyncIterator[PageItem]:
        """Hand the raw page on, untouched (reading it is the pipelines' job), with all its pages.

        Continuation pages are downloaded here rather than scheduled, so an article is never held in a
        queued request that a closing crawl (page limit, shutdown) would throw away.
        """
        article, current = self.page_item(response), response
        while following := self.next_part(current, article):
            self.crawler.stats.inc_value("news/article_parts")
            try:
                current = await self.crawler.engine.download_async(scrapy.Request(following, meta={"kind": "part"}))
            except Exception as exc:  # any failure: keep the article with the pages it has
                self.crawler.stats.inc_value(f"news/article_parts_missing/{fault_name(exc)}")
                break
            if current.status >= 400:
                self.crawler.stats.inc_value(f"news/article_parts_missing/http_{current.status}")
                break
            article.parts.append(self.page_item(current))
        yield article

    def next_part(self, response: Response, article: PageItem) -> str | None:
        """The article's next page, when this one links to it and it is not already in."""
        if not hasattr(response, "css") or len(article.parts) >= MAX_PARTS:
            return None
        seen = {article.final_url, *(part.final_url for part in article.parts)}
        following = next_part(response.url, self.links(response))
        return following if following not in seen else None

    def page_item(self, response: Response) -> PageItem:
        """The raw page as fetched."""
        return PageItem(
            url=response.meta.get("redirect_urls", [response.url])[0],
            final_url=response.url,
            site=self.site.name,
            status=response.status,
            headers={k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()},
            body=response.body,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            via=response.meta.get("via", "list"),
            hints=response.meta.get("hints", {}),
        )


def apply_site_settings(crawler: Crawler, site: SiteDefinition) -> None:
    """Let the site definition set politeness and limits, above the project's defaults."""
    settings = crawler.settings
    settings.set("ROBOTSTXT_OBEY", site.obey_robots, priority="spider")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", site.concurrency, priority="spider")
    settings.set("DOWNLOAD_DELAY", site.download_delay, priority="spider")
    settings.set("AUTOTHROTTLE_ENABLED", site.autothrottle and settings.getbool("AUTOTHROTTLE_ENABLED"), "spider")
    agent = site.user_agent or user_agent(settings["USER_AGENT"], settings.get("USER_AGENT_CONTACT", ""))
    settings.set("USER_AGENT", agent, priority="spider")
    if site.download_timeout:
        settings.set("DOWNLOAD_TIMEOUT", site.download_timeout, priority="spider")
    if site.max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", site.max_pages, priority="spider")
    if settings.get("INCREMENTAL_JOBS_DIR"):
        settings.set("JOBDIR", str(Path(settings["INCREMENTAL_JOBS_DIR"]) / site.name), priority="spider")


def user_agent(base: str, contact: str) -> str:
    """The project's User-Agent, with the contact of whoever runs the crawls when one is set."""
    if not contact:
        return base
    return f"{base[:-1]}; contact: {contact})" if base.endswith(")") else f"{base} (contact: {contact})"
