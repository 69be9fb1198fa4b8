"""A power utility's own site, laid out like the CMS most state companies use (TRS paths, t2021…_N.html).

It publishes the press releases that the portal and the daily rerun, and an Atom feed of them.
"""

from __future__ import annotations

from crawler.demoweb.site import Channel, DemoSite, Page, esc, pager, paragraphs_html
from crawler.demoweb.stories import DemoArticle

TOP = """<div class="head"><img src="/images/logo.png" alt="南方电网"> 广东电网有限责任公司东江供电局</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/xwzx/gsyw/index.html">公司要闻</a></li>
<li><a href="/xwzx/jcdt/index.html">基层动态</a></li><li>信息公开</li><li>客户服务</li><li>党建工作</li></ul>"""

BOTTOM = """<div class="tools">【<a href="javascript:window.print()">打印本页</a>】
【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="foot">版权所有:广东电网有限责任公司东江供电局 粤ICP备11012345号-2 粤公网安备44160202000123号
供电服务热线:95598</div>"""


class UtilitySite(DemoSite):
    """东江供电局: the utility that issues the releases."""

    kind = "utility"
    encoding = "utf-8"
    per_page = 4
    columns = (("gsyw", "公司要闻"), ("jcdt", "基层动态"))

    def article_path(self, article: DemoArticle, number: int) -> str:
        channel = self.columns[number % 2][0]
        return f"/xwzx/{channel}/{article.published:%Y%m}/t{article.published:%Y%m%d}_{number}.html"

    def list_path(self, channel: Channel, page: int) -> str:
        suffix = "" if page == 1 else f"_{page - 1}"  # TRS counts the second page as index_1
        return f"/xwzx/{channel.slug}/index{suffix}.html"

    def channels(self) -> list[Channel]:
        return [
            Channel(slug, name, tuple(a for p, a in self.paths.items() if f"/xwzx/{slug}/" in p))
            for slug, name in self.columns
        ]

    def build_routes(self) -> None:
        super().build_routes()
        self.routes["/atom.xml"] = self.atom

    def frame(self, title: str, main: str) -> str:
        return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)}</title></head>
<body>{TOP}{main}{BOTTOM}</body></html>"""

    def render_article(self, article: DemoArticle) -> str:
        channel = self.channel_of.get(article.key)
        byline = f"作者:{esc(' '.join(article.authors))}" if article.authors else ""
        column = esc(channel.name if channel else "")
        subtitle = f'<div class="article-subtitle">{esc(article.subtitle)}</div>' if article.subtitle else ""
        editor = f'<div class="editor">(责任编辑:{esc(article.editor)})</div>' if article.editor else ""
        main = f"""<div class="location">当前位置:<a href="/">首页</a> &gt; 新闻中心 &gt; {column}</div>
<div class="article-title">{esc(article.title)}</div>{subtitle}
<div class="article-info">发布时间:{article.published:%Y-%m-%d} 来源:{esc(article.source)} {byline}
【字体:大 中 小】</div><div class="TRS_Editor">
{paragraphs_html(article)}
</div>{editor}"""
        return self.frame(article.title, main)

    def render_list(self, channel: Channel, page: int, pages: int) -> str:
        rows = "".join(
            f"<li>{self.link(a)}<span>{a.published:%Y-%m-%d}</span></li>" for a in self.page_slice(channel, page)
        )
        prev_href = self.list_path(channel, page - 1) if page > 1 else None
        next_href = self.list_path(channel, page + 1) if page < pages else None
        main = f'<div class="location">当前位置:首页 &gt; {esc(channel.name)}</div><ul class="list">{rows}</ul>'
        return self.frame(channel.name, main + pager(prev_href, next_href, page, pages))

    def render_home(self) -> str:
        rows = "".join(f"<li>{self.link(a)}</li>" for a in self.articles[:5])
        return self.frame("广东电网有限责任公司东江供电局", f'<div class="news"><h2>公司要闻</h2><ul>{rows}</ul></div>')

    def atom(self) -> Page:
        entries = "".join(
            f'<entry><title>{esc(a.title)}</title><link href="{self.origin}{self.path_of[a.key]}"/>'
            f"<id>{self.origin}{self.path_of[a.key]}</id><updated>{a.published:%Y-%m-%dT%H:%M:%S}+08:00</updated></entry>"
            for a in self.articles[:10]
        )
        xml = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>东江供电局 公司要闻</title><id>{self.origin}/</id><updated>2024-01-01T00:00:00+08:00</updated>{entries}</feed>"""
        return Page(xml.encode(), "application/atom+xml; charset=utf-8")
