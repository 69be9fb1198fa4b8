"""A city daily in the manner of 河源日报: UTF-8, a "您的当前位置" breadcrumb, photo captions, staff credits.

Its channels are numbered node pages (node_101.htm, node_101_2.htm) with page-number links and no
"下一页", so a crawl has to follow the list pattern from the site definition. Long features are split
over two pages (content_N.htm, content_N_2.htm), as papers' CMSs do, joined again by the crawl.
"""

from __future__ import annotations

from functools import partial

from crawler.demoweb.site import Channel, DemoSite, Page, esc, paragraphs_html, stamp
from crawler.demoweb.stories import DemoArticle

HEADER = """<div class="masthead"><a href="/">东江日报</a> 东江新闻网 <a href="/epaper/">数字报</a></div>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/node_101.htm">本地新闻</a></li>
<li><a href="/node_102.htm">深度报道</a></li><li>政务 民生 文体 图片 视频 专题</li></ul>"""

FOOTER = """<div class="foot">主办:东江日报社 地址:东江市新城大道8号 新闻热线:0762-3388110
本网站所刊登的东江日报社各种新闻﹑信息和各种专题专栏资料,均为东江新闻网版权所有,未经协议授权禁止下载使用。
粤ICP备05012345号 互联网新闻信息服务许可证44120170008</div>"""


class DailySite(DemoSite):
    """东江日报: the city daily."""

    kind = "daily"
    encoding = "utf-8"
    per_page = 4
    nodes = (("101", "本地新闻"), ("102", "深度报道"))
    split_from = 8  # paragraphs from which an article is printed over two pages

    def build_routes(self) -> None:
        super().build_routes()
        for path, article in self.paths.items():
            if self.is_split(article):
                self.routes[second_page(path)] = partial(self.second_page, article)

    def is_split(self, article: DemoArticle) -> bool:
        """Whether the article runs over two pages."""
        return len(article.paragraphs) >= self.split_from

    def second_page(self, article: DemoArticle) -> Page:
        """The continuation page of a split article."""
        return self.html(self.render_article(article, part=2), article.published)

    def article_path(self, article: DemoArticle, number: int) -> str:
        return f"/content/{article.published:%Y-%m}/{article.published:%d}/content_{number}.htm"

    def list_path(self, channel: Channel, page: int) -> str:
        suffix = "" if page == 1 else f"_{page}"
        return f"/node_{channel.slug}{suffix}.htm"

    def channels(self) -> list[Channel]:
        deep = tuple(a for a in self.articles if a.original and a.captions)
        local = tuple(a for a in self.articles if a not in deep)
        return [Channel(slug, name, group) for (slug, name), group in zip(self.nodes, (local, deep), strict=True)]

    def frame(self, title: str, main: str) -> str:
        return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{esc(title)} - 东江新闻网</title></head><body>{HEADER}{main}{FOOTER}</body></html>"""

    def render_article(self, article: DemoArticle, part: int = 1) -> str:
        channel = self.channel_of.get(article.key)
        crumb = f'您的当前位置:<a href="/">主页</a> &gt; 新闻频道 &gt; {esc(channel.name if channel else "本地新闻")}'
        subtitle = f'<h2 class="subtitle">{esc(article.subtitle)}</h2>' if article.subtitle else ""
        byline = f" 作者:{esc(article.author_role)} {esc(' '.join(article.authors))}" if article.authors else ""
        figures = "".join(
            f'<div class="pic"><img src="/pic/{i}.jpg"><p class="caption">{esc(c)}</p></div>'
            for i, c in enumerate(article.captions)
        )
        credits = "".join(f'<p class="credit">{esc(c)}</p>' for c in article.credits)
        shown, pager = paragraphs_html(article), ""
        if self.is_split(article):
            half = len(article.shown_paragraphs) // 2
            kept = article.shown_paragraphs[:half] if part == 1 else article.shown_paragraphs[half:]
            shown = "\n".join(f"<p>{esc(p)}</p>" for p in kept)
            figures, credits = (figures, "") if part == 1 else ("", credits)
            pager = self.part_pager(self.path_of[article.key], part)
        editor = f'<div class="editor">责任编辑:{esc(article.editor)}</div>' if article.editor else ""
        main = f"""<div class="crumb">{crumb}</div><div class="article"><h1>{esc(article.title)}</h1>{subtitle}
<div class="meta">{stamp(article)} 来源:{esc(article.source or "东江日报")}{byline}</div>
<div class="text">{figures}
{shown}
{credits}</div>{pager}{editor}<div class="share">分享到: 微信 微博 QQ空间</div></div>"""
        return self.frame(article.title, main)

    def part_pager(self, path: str, part: int) -> str:
        """The 上一页 1 2 下一页 bar of a split article."""
        first, second = path, second_page(path)
        if part == 1:
            return f'<div class="page-nav"><b>1</b> <a href="{second}">2</a> <a href="{second}">下一页</a></div>'
        return f'<div class="page-nav"><a href="{first}">上一页</a> <a href="{first}">1</a> <b>2</b></div>'

    def render_list(self, channel: Channel, page: int, pages: int) -> str:
        rows = "".join(f"<li>{self.link(a)} [{a.published:%m-%d}]</li>" for a in self.page_slice(channel, page))
        numbers = " ".join(
            f'<a href="{self.list_path(channel, n)}">{n}</a>' if n != page else f"<b>{n}</b>"
            for n in range(1, pages + 1)
        )
        crumb = f'<div class="crumb">您的当前位置:主页 &gt; {esc(channel.name)}</div>'
        main = f'{crumb}<ul>{rows}</ul><div class="pages">{numbers}</div>'
        return self.frame(channel.name, main)

    def render_home(self) -> str:
        rows = "".join(f"<li>{self.link(a)}</li>" for a in self.articles[:6])
        return self.frame("首页", f'<div class="focus"><h2>要闻</h2><ul>{rows}</ul></div>')


def second_page(path: str) -> str:
    """content_10010.htm -> content_10010_2.htm"""
    stem, dot, ext = path.rpartition(".")
    return f"{stem}_2{dot}{ext}"
