"""What every demo site shares: a route table of pages, encoding, paginated lists, conditional GET."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from functools import partial

from crawler.demoweb.stories import DemoArticle

esc = html.escape
CHINA = timezone(timedelta(hours=8))


@dataclass
class Page:
    """One HTTP response of a demo site."""

    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    fault: str = ""  # how the server misbehaves sending it: slow:SECONDS, truncate, reset (the chaos site)


@dataclass(frozen=True)
class Channel:
    """A section of a site with its own paginated list of articles."""

    slug: str
    name: str
    articles: tuple[DemoArticle, ...]


class DemoSite:
    """A site: articles at stable paths, list pages, and whatever extra files its kind serves."""

    kind = "site"
    encoding = "utf-8"
    per_page = 5

    def __init__(self, name: str, title: str, origin: str, articles: Sequence[DemoArticle]):
        self.name, self.title, self.origin = name, title, origin
        oldest_first = sorted(articles, key=lambda a: (a.published, a.key))
        self.articles = oldest_first[::-1]
        # a CMS numbers articles in the order they were published
        self.paths = {self.article_path(a, 10001 + i): a for i, a in enumerate(oldest_first)}
        self.path_of = {a.key: p for p, a in self.paths.items()}
        self.routes: dict[str, Callable[[], Page]] = {}
        self.build_routes()

    # --- what each kind of site defines ---------------------------------------------------------
    def article_path(self, article: DemoArticle, number: int) -> str:
        raise NotImplementedError

    def list_path(self, channel: Channel, page: int) -> str:
        raise NotImplementedError

    def render_article(self, article: DemoArticle) -> str:
        raise NotImplementedError

    def render_list(self, channel: Channel, page: int, pages: int) -> str:
        raise NotImplementedError

    def render_home(self) -> str:
        raise NotImplementedError

    def channels(self) -> list[Channel]:
        raise NotImplementedError

    # --- shared machinery ---------------------------------------------------------------------
    def build_routes(self) -> None:
        """Fill the route table; kinds add their own extra files after calling this."""
        self.routes["/"] = lambda: self.html(self.render_home())
        for path, article in self.paths.items():
            self.routes[path] = partial(self.article_page, article)
        self.channel_list = self.channels()
        self.channel_of: dict[str, Channel] = {}
        for channel in self.channel_list:
            for article in channel.articles:
                self.channel_of.setdefault(article.key, channel)
            pages = max(1, -(-len(channel.articles) // self.per_page))
            for n in range(1, pages + 1):
                self.routes[self.list_path(channel, n)] = partial(self.list_page, channel, n, pages)

    def article_page(self, article: DemoArticle) -> Page:
        """An article as served, last modified when it was published."""
        return self.html(self.render_article(article), article.published)

    def list_page(self, channel: Channel, page: int, pages: int) -> Page:
        """One page of a channel's list."""
        return self.html(self.render_list(channel, page, pages))

    def get(self, path: str) -> Page | None:
        """Answer a path, or None for a 404."""
        route = self.routes.get(path)
        return route() if route else None

    def html(self, text: str, modified: datetime | None = None) -> Page:
        """Encode a page the way this site serves it."""
        body = text.encode(self.encoding, errors="xmlcharrefreplace")
        newest = self.articles[0].published if self.articles else datetime(2016, 1, 1)
        return Page(body, f"text/html; charset={self.encoding}", headers=validators(body, modified or newest))

    def page_slice(self, channel: Channel, page: int) -> tuple[DemoArticle, ...]:
        """The articles on one list page."""
        start = (page - 1) * self.per_page
        return channel.articles[start : start + self.per_page]

    def link(self, article: DemoArticle) -> str:
        """An <a> to an article."""
        return f'<a href="{self.path_of[article.key]}">{esc(article.title)}</a>'


def validators(body: bytes, modified: datetime) -> dict[str, str]:
    """ETag and Last-Modified, so crawlers can ask "anything new?" with a conditional GET."""
    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
    local = modified.replace(tzinfo=CHINA) if modified.tzinfo is None else modified
    return {"ETag": etag, "Last-Modified": format_datetime(local.astimezone(UTC), usegmt=True)}


def paragraphs_html(article: DemoArticle, indent: str = "") -> str:
    """The article's paragraphs as <p> elements."""
    return "\n".join(f"<p>{indent}{esc(p)}</p>" for p in article.shown_paragraphs)


def stamp(article: DemoArticle) -> str:
    """The publication time as Chinese sites print it."""
    return article.published.strftime("%Y-%m-%d %H:%M:%S")


def pager(prev_href: str | None, next_href: str | None, page: int, pages: int) -> str:
    """A pagination bar with 上一页 / 下一页 links."""
    parts = [f"<span>共{pages}页 当前第{page}页</span>"]
    if prev_href:
        parts.append(f'<a href="{prev_href}">上一页</a>')
    if next_href:
        parts.append(f'<a href="{next_href}">下一页</a>')
    return '<div class="pages">' + " ".join(parts) + "</div>"
