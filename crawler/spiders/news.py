"""The one generic spider: walks a site's lists, feeds and sitemaps and yields raw article pages.

What to crawl comes from the site definition (crawler/sites/*.toml); the spider discovers and
fetches, and leaves every reading of an article to the pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, Self

import scrapy
from lxml import etree
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from crawler.continuation import first_page, next_part
from crawler.items import PageItem
from crawler.sites import SiteDefinition, load_site

MAX_PARTS = 30  # pages of one article; beyond that it is a trap, not an article
NEXT_PAGE = ("下一页", "下页", "后页", "下一頁", "下一页>", "下一页>>", "»", "›", ">", ">>", "next", "Next")
ATOM = "{http://www.w3.org/2005/Atom}"


class NewsSpider(scrapy.Spider):
    """Crawl one site from its definition: `scrapy crawl news -a site=NAME`."""

    name = "news"
    site: SiteDefinition
    allowed_domains: list[str]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        site = load_site(kwargs.get("site", ""), crawler.settings.getlist("SITES_PATHS"))
        spider.site = site
        spider.allowed_domains = list(site.allowed_domains)
        apply_site_settings(crawler, site)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.site.start_urls:
            yield scrapy.Request(url, self.parse_list, meta={"hops": 0, "list_page": 1})
        for url in self.site.feeds:
            yield scrapy.Request(url, self.parse_feed)
        for url in self.site.sitemaps:
            yield scrapy.Request(url, self.parse_sitemap)

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
        for url in self.links(response):
            if self.is_article(url):
                yield self.article_request(url, "list")
            elif self.site.is_list(url) and hops < self.site.max_depth:
                yield scrapy.Request(url, self.parse_list, meta={"hops": hops + 1, "list_page": 1})
        next_url = self.next_page(response)
        if next_url and page < self.site.max_list_pages:
            yield scrapy.Request(next_url, self.parse_list, meta={"hops": hops, "list_page": page + 1})

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
                yield scrapy.Request(url, self.parse_sitemap)
            elif self.is_article(url):
                yield self.article_request(url, "sitemap", {"lastmod": entry.get("lastmod", "")})

    def article_request(self, url: str, via: str, hints: dict[str, str] | None = None) -> scrapy.Request:
        """A request for an article page."""
        self.crawler.stats.inc_value(f"news/found_via_{via}")
        return scrapy.Request(url, self.parse_article, meta={"via": via, "hints": hints or {}})

    # --- fetching -----------------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[PageItem | scrapy.Request]:
        """Hand the raw page on, untouched (reading it is the pipelines' job), once all its pages are in."""
        yield from self.follow_parts(response, self.page_item(response))

    def parse_part(self, response: Response) -> Iterator[PageItem | scrapy.Request]:
        """Add a continuation page to its article and look for the next one."""
        article: PageItem = response.meta["article"]
        article.parts.append(self.page_item(response))
        yield from self.follow_parts(response, article)

    def follow_parts(self, response: Response, article: PageItem) -> Iterator[PageItem | scrapy.Request]:
        """Request the next page of the article if this one links to it, else yield the article."""
        seen = {article.final_url, *(part.final_url for part in article.parts)}
        following = next_part(response.url, self.links(response)) if hasattr(response, "css") else None
        if following and following not in seen and len(article.parts) < MAX_PARTS:
            self.crawler.stats.inc_value("news/article_parts")
            yield scrapy.Request(following, self.parse_part, errback=self.part_failed, meta={"article": article})
        else:
            yield article

    def part_failed(self, failure: Failure) -> Iterator[PageItem]:
        """A continuation page that cannot be fetched: keep the article with the pages it has."""
        self.crawler.stats.inc_value("news/article_parts_missing")
        yield failure.request.meta["article"]  # type: ignore[attr-defined]  # Scrapy sets it on errbacks

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
    if site.max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", site.max_pages, priority="spider")
