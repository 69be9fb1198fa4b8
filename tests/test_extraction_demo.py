"""Every demo article read back field by field, and no page furniture in any body."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import served

from crawler.demoweb.site import DemoSite
from crawler.demoweb.stories import DemoArticle
from crawler.demoweb.web import demo_web
from pipelines.extract import read_article
from pipelines.extraction import Article, extract_article

WEB = demo_web()
PAGES = [(name, path) for name, site in WEB.items() for path in site.paths]
# lines of the seeds' page furniture, as the demo sites print them
FURNITURE = (
    "网站首页",
    "热点排行",
    "编辑推荐",
    "推荐阅读",
    "验证码",
    "用户名",
    "京ICP备",
    "粤ICP备",
    "投稿信箱",
    "版权所有",
    "A- A+",
    "最新评论",
    "相关新闻",
    "打印本页",
    "关闭窗口",
    "分享到",
    "您的当前位置",
    "当前位置",
)


def read(site: DemoSite, path: str) -> tuple[DemoArticle, Article]:
    """Extract a demo page as the crawl does: with its continuation page when the article has one."""
    page = served(site, path)
    continued = path.replace(".htm", "_2.htm")
    if path.endswith(".htm") and site.get(continued):
        page.parts.append(served(site, continued))
    return site.paths[path], read_article(page)


def tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"[\u4e00-\u9fff]|[a-z0-9]+|[^\s\u4e00-\u9fffa-z0-9]", text.lower()))


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[f"{n}{p}" for n, p in PAGES])
def test_fields_of_every_demo_article(name: str, path: str) -> None:
    expected, article = read(WEB[name], path)
    assert article.is_article
    assert article.title == expected.title
    assert article.subtitle == (expected.subtitle or None)
    assert article.published_at is not None
    assert article.published_at.startswith(expected.published.strftime("%Y-%m-%d"))
    assert article.published_at.endswith("+08:00")
    if name != "demo_utility":  # the utility's CMS prints the date only
        assert article.published_at[11:19] == expected.published.strftime("%H:%M:%S")
    assert article.source == (expected.source or ("东江日报" if name == "demo_daily" else None))
    assert article.editor == (expected.editor or None)
    assert set(expected.authors) <= set(article.authors)
    page_text = WEB[name].get(path).body.decode(WEB[name].encoding)  # type: ignore[union-attr]
    assert all(author in page_text for author in article.authors)


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[f"{n}{p}" for n, p in PAGES])
def test_body_is_the_article_and_nothing_else(name: str, path: str) -> None:
    expected, article = read(WEB[name], path)
    got, want = tokens(article.body), tokens(expected.body_text)
    overlap = sum((got & want).values())
    assert overlap == sum(got.values()), "the body holds text that is not the article's"
    # 0.94, not 1: a roundup's closing editor's note (…欢迎…通过投稿信箱提供新闻线索) is read as site
    # furniture, which is the right call on real pages that print 投稿信箱 lines under every article
    assert overlap / sum(want.values()) >= 0.94
    for line in article.body.split("\n"):
        assert not any(word in line for word in FURNITURE), line
    for caption in expected.captions:
        assert caption.lstrip("■") not in article.body
        assert any(caption.lstrip("■") in (image.caption or "") for image in article.images)
    assert not any(credit in article.body for credit in expected.credits)


@pytest.mark.parametrize("name", ["heyuan_gbk.html", "ep18_utf8_declared_gb2312.html"])
def test_seed_pages_leave_their_furniture_behind(name: str, page: object) -> None:
    article = extract_article(page(name))  # type: ignore[operator]
    assert article.is_article
    for line in article.body.split("\n"):
        assert not line.startswith("■"), line
        assert not any(word in line for word in FURNITURE), line
