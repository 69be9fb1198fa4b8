"""An industry portal in the manner of 电力18: GBK pages, heavy navigation, a hot list, a comment form.

It also serves an RSS feed, a sitemap and a robots.txt that shuts one channel off, so a crawl has
every discovery route to use. One article is only in the feed and one only in the sitemap.
"""

from __future__ import annotations

from functools import cached_property

from crawler.demoweb.site import Channel, DemoSite, Page, esc, pager, paragraphs_html, stamp
from crawler.demoweb.stories import DemoArticle

NAV = """<ul class="nav">
<li><a href="/">网站首页</a></li><li><a href="/news/yaowen/index.html">最新</a></li>
<li>新闻 <a href="/news/yaowen/index.html">要闻</a> 国内 电企 国外 <a href="/news/dianwang/index.html">电网</a>
 发电 深度 财经 评论</li>
<li>管理 安全生产 经营管理 党建政工 人力资源 <a href="/news/qiye/index.html">企业风采</a> 管理创新</li>
<li>政策 公告通知 政策监管 电力法规 资料报告 访谈观点</li>
<li>行业 电网 发电 可再生能源 风电 光伏 氢能 储能 售电 核电 农电</li>
<li><a href="/news/neibu/index.html">内部交流</a></li><li><a href="/member/login.html">会员登录</a></li>
<li>热点 电力新基建 “十四五”电力规划 电力安全生产月</li>
</ul>"""

COMMENTS = """<div class="tougao">在线投稿 投稿信箱:tougao@dianlizixun.demo 请赐稿件</div>
<form class="comment" action="/member/comment.php" method="post"><h3>评论</h3>
<p>用户名:<input name="u"> 匿名发表 <input type="checkbox" name="anon"></p>
<p>密码:<input type="password" name="p"></p><p>验证码:<input name="code"> <img src="/member/code.php"></p>
<p><input type="submit" value="发表评论"></p></form>
<div class="comments">最新评论(0)</div><div class="related">相关新闻:<ul><li>无相关信息</li></ul></div>"""

FOOTER = """<div class="footer"><a href="/">手机版</a> - 关于我们 - 投稿信箱 - 联系我们 - 友情链接
©2024 电力资讯网 版权所有 京ICP备13053787号-1 北京电讯八方旗下网站</div>"""


class PortalSite(DemoSite):
    """电力资讯网: the republishing industry portal."""

    kind = "portal"
    encoding = "gbk"
    per_page = 5
    public = (("yaowen", "要闻"), ("dianwang", "电网"), ("qiye", "企业风采"))

    def article_path(self, article: DemoArticle, number: int) -> str:
        return f"/news/{article.published:%Y%m}/{article.published:%d}/{number}.html"

    def list_path(self, channel: Channel, page: int) -> str:
        suffix = "" if page == 1 else f"_{page}"
        return f"/news/{channel.slug}/index{suffix}.html"

    @cached_property
    def special(self) -> tuple[DemoArticle | None, DemoArticle | None]:
        """The article only the feed carries (the newest flash) and the one only the sitemap has."""
        own = [a for a in self.articles if a.original]
        feed_only = own[0] if len(self.articles) > 2 and own else None
        sitemap_only = self.articles[-1] if len(self.articles) > 2 else None
        return feed_only, sitemap_only

    def channels(self) -> list[Channel]:
        hidden = set(filter(None, self.special))
        listed = [a for a in self.articles if a not in hidden]
        channels = [
            Channel(slug, name, tuple(listed[i :: len(self.public)])) for i, (slug, name) in enumerate(self.public)
        ]
        return [*channels, Channel("neibu", "内部交流", tuple(listed[:3]))]

    def build_routes(self) -> None:
        super().build_routes()
        self.routes["/robots.txt"] = self.robots
        self.routes["/rss.xml"] = self.rss
        self.routes["/sitemap.xml"] = self.sitemap
        self.routes["/member/login.html"] = lambda: self.html("<html><body><form>用户名 密码</form></body></html>")

    def hot(self) -> str:
        listed = [a for a in self.articles if a not in self.special]
        items = "".join(f"<li>· {self.link(a)}</li>" for a in listed[:10])
        return (
            f'<div class="side"><h3>编辑推荐</h3><h3>热点排行</h3><ul class="hot">{items}</ul><h3>推荐阅读</h3></div>'
        )

    def page_frame(self, title: str, main: str) -> str:
        return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>{esc(title)}_电力资讯网</title><meta name="keywords" content="电力,电网,供电"></head>
<body><div class="top">数字报 <a href="/">Top电力资讯网</a></div>{NAV}
<div class="wrap">{main}{self.hot()}</div>{FOOTER}</body></html>"""

    def render_article(self, article: DemoArticle) -> str:
        channel = self.channel_of.get(article.key)
        crumb = f"首页 &gt; 专题 &gt; {esc(channel.name if channel else '快讯')} &gt; 正文"
        byline = (
            f"<span>作者: {esc(article.author_role)} {esc(' '.join(article.authors))}</span>" if article.authors else ""
        )
        editor = f'<div class="editor">责任编辑: {esc(article.editor)}</div>' if article.editor else ""
        subtitle = f'<h2 class="subtitle">{esc(article.subtitle)}</h2>' if article.subtitle else ""
        main = f"""<div class="position">{crumb}</div><div class="main"><h1>{esc(article.title)}</h1>{subtitle}
<div class="info"><span>{stamp(article)}</span> <span>来源: {esc(article.source)}</span> {byline}
<span class="font">A- A+</span></div>
<div class="content" id="content">
{paragraphs_html(article, "　　")}
</div>{editor}{COMMENTS}</div>"""
        return self.page_frame(article.title, main)

    def render_list(self, channel: Channel, page: int, pages: int) -> str:
        rows = "".join(
            f"<li>{self.link(a)} <span>{a.published:%Y-%m-%d}</span></li>" for a in self.page_slice(channel, page)
        )
        prev_href = self.list_path(channel, page - 1) if page > 1 else None
        next_href = self.list_path(channel, page + 1) if page < pages else None
        main = f"""<div class="position">首页 &gt; {esc(channel.name)}</div>
<ul class="list">{rows}</ul>{pager(prev_href, next_href, page, pages)}"""
        return self.page_frame(channel.name, main)

    def render_home(self) -> str:
        rows = "".join(f"<li>{self.link(a)}</li>" for a in self.articles[:8] if a not in self.special)
        return self.page_frame("首页", f'<div class="latest"><h2>最新</h2><ul>{rows}</ul></div>')

    def robots(self) -> Page:
        text = f"User-agent: *\nDisallow: /member/\nDisallow: /news/neibu/\nSitemap: {self.origin}/sitemap.xml\n"
        return Page(text.encode(), "text/plain; charset=utf-8")

    def rss(self) -> Page:
        sitemap_only = self.special[1]
        items = "".join(
            f"<item><title>{esc(a.title)}</title><link>{self.origin}{self.path_of[a.key]}</link>"
            f"<pubDate>{a.published:%a, %d %b %Y %H:%M:%S} +0800</pubDate></item>"
            for a in [a for a in self.articles if a is not sitemap_only][:10]
        )
        xml = f"""<?xml version="1.0" encoding="gbk"?><rss version="2.0"><channel><title>电力资讯网</title>
<link>{self.origin}/</link><description>电力行业资讯</description>{items}</channel></rss>"""
        return Page(xml.encode("gbk", "xmlcharrefreplace"), "application/rss+xml; charset=gbk")

    def sitemap(self) -> Page:
        feed_only = self.special[0]
        urls = "".join(
            f"<url><loc>{self.origin}{path}</loc><lastmod>{a.published:%Y-%m-%d}</lastmod></url>"
            for path, a in self.paths.items()
            if a is not feed_only
        )
        xml = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        return Page(xml.encode(), "application/xml")
