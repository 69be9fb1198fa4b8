"""A site whose server misbehaves in every way a crawler meets in the wild, so that crawls prove they cope.

Good articles sit behind transient faults (503 and 429 with Retry-After, 500, a response slower than
the crawl's timeout, a truncated body, a connection reset): each fails on every odd request and works
on the next, so a crawl that retries politely gets them all. Beside them: a page whose HTTP charset
lies, a 20 MB page, a PNG named .html, a redirect loop, a 404 page served with 200, an endless
calendar and an endless pagination, which a crawl must stop at its site definition's limits.
"""

from __future__ import annotations

import re
import struct
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from crawler.demoweb.daily import DailySite
from crawler.demoweb.site import Page, esc, pager
from crawler.demoweb.stories import DemoArticle
from crawler.demoweb.synthetic import synthetic_articles

TRANSIENT = ("http_503", "http_429", "http_500", "slow", "truncated", "reset")
CALENDAR = re.compile(r"^/calendar/(\d{4})-(\d{2})\.htm$")
ENDLESS = re.compile(r"^/node_900_(\d+)\.htm$")
BIG = 20 * 1024 * 1024


class ChaosSite(DailySite):
    """混沌新闻网: a daily's layout on a server that injects faults."""

    per_page = 20
    slow_seconds = 4.0  # longer than demo_chaos.toml's download_timeout

    def __init__(self, name: str, title: str, origin: str, articles: list[DemoArticle] | None = None):
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.faults: dict[str, str] = {}  # path -> the fault it injects, for tests
        super().__init__(name, title, origin, articles or list(synthetic_articles(12, seed=31, site="daily")))

    def build_routes(self) -> None:
        super().build_routes()
        paths = sorted(self.paths)
        for fault, path in zip(TRANSIENT, paths, strict=False):
            self.routes[path] = self.flaky(path, fault, self.routes[path])
            self.faults[path] = fault
        lying = paths[len(TRANSIENT)]
        self.routes[lying] = lambda: self.lying_charset(self.paths[lying])
        self.faults[lying] = "lying_charset"
        for number, (fault, route) in enumerate(self.broken_pages().items(), start=90001):
            path = f"/content/2019-01/01/content_{number}.htm"
            self.routes[path], self.faults[path] = route, fault
        self.loop = [p for p, f in self.faults.items() if f.startswith("redirect_loop")]
        self.routes["/"] = lambda: self.html(self.render_home())

    def good_paths(self) -> list[str]:
        """The article pages a crawl can and must archive, faults and all."""
        return sorted(self.paths)

    # --- faults -------------------------------------------------------------------------------
    def flaky(self, path: str, fault: str, route: Callable[[], Page]) -> Callable[[], Page]:
        """A route that injects `fault` on every odd request and answers well on every even one."""

        def answer() -> Page:
            with self.lock:
                self.counts[path] += 1
                failing = self.counts[path] % 2 == 1
            page = route()
            if not failing:
                return page
            if fault.startswith("http_"):
                status = int(fault[5:])
                headers = {"Retry-After": "1"} if status in (429, 503) else {}
                return Page(f"<h1>{status}</h1>".encode(), "text/html", status, headers)
            return Page(page.body, page.content_type, page.status, page.headers, fault=_SERVER_FAULT[fault](self))

        return answer

    def lying_charset(self, article: DemoArticle) -> Page:
        """GBK bytes with a correct <meta> but an HTTP header that claims ISO-8859-1."""
        text = self.render_article(article).replace('<meta charset="utf-8">', '<meta charset="gbk">')
        body = text.encode("gbk", errors="xmlcharrefreplace")
        return Page(body, "text/html; charset=iso-8859-1")

    def broken_pages(self) -> dict[str, Callable[[], Page]]:
        """Pages with no article to get, each broken its own way."""
        return {
            "too_large": lambda: Page(b"<html><body>" + b" " * BIG + b"</body></html>", "text/html"),
            "binary_body": lambda: Page(png(), "text/html"),
            "redirect_loop": lambda: self.redirect(1),
            "redirect_loop_back": lambda: self.redirect(0),
            "soft_404": lambda: self.html(
                self.frame("404 页面不存在", "<h1>404 页面不存在</h1><p>您访问的页面不存在或已被删除。</p>")
            ),
        }

    def redirect(self, to: int) -> Page:
        return Page(b"", "text/html", 302, {"Location": self.origin + self.loop[to]})

    # --- traps --------------------------------------------------------------------------------
    def get(self, path: str) -> Page | None:
        if match := CALENDAR.match(path):
            return self.html(self.calendar(int(match[1]), int(match[2])))
        if match := ENDLESS.match(path):
            page = int(match[1])
            main = pager(f"/node_900_{page - 1}.htm" if page > 1 else None, f"/node_900_{page + 1}.htm", page, 9999)
            return self.html(self.frame(f"往期 第{page}页", main))
        return super().get(path)

    def calendar(self, year: int, month: int) -> str:
        """A month of an archive calendar that links the months either side, for ever."""
        before = datetime(year - (month == 1), 12 if month == 1 else month - 1, 1)
        after = datetime(year + (month == 12), 1 if month == 12 else month + 1, 1)
        links = "".join(f'<a href="/calendar/{d:%Y-%m}.htm">{d:%Y年%m月}</a> ' for d in (before, after))
        return self.frame(f"{year}年{month}月", f'<div class="calendar">{links}</div>')

    def render_home(self) -> str:
        rows = "".join(f"<li>{self.link(a)}</li>" for a in self.articles)
        linked = [p for p, f in self.faults.items() if p not in self.paths and f != "redirect_loop_back"]
        broken = "".join(f'<li><a href="{p}">{esc(self.faults[p])}</a></li>' for p in linked)
        traps = '<a href="/calendar/2024-01.htm">往期日历</a> <a href="/node_900_1.htm">往期列表</a>'
        return self.frame("首页", f"<ul>{rows}{broken}</ul><div>{traps}</div>")


_SERVER_FAULT: dict[str, Callable[[ChaosSite], str]] = {
    "slow": lambda site: f"slow:{site.slow_seconds}",
    "truncated": lambda site: "truncate",
    "reset": lambda site: "reset",
}


def png() -> bytes:
    """A valid one-pixel PNG: a binary file, whatever the URL says."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )
