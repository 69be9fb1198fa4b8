"""Pipeline stages built by Scrapy's own get_crawler, fed real demo pages, writing a real archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler import settings as project_module
from crawler.demoweb.site import DemoSite
from crawler.items import ArticleItem, PageItem
from crawler.spiders.news import NewsSpider
from pipelines.clean import CleanPipeline, content_hash, normalise_text
from pipelines.errors import BodyTooShort, MissingTitle, NotAnArticle
from pipelines.extract import ExtractPipeline


def served(site: DemoSite, path: str) -> PageItem:
    page = site.get(path)
    assert page is not None
    url = site.origin + path
    return PageItem(
        url=url,
        final_url=url,
        site=site.name,
        status=200,
        headers={"Content-Type": page.content_type},
        body=page.body,
        fetched_at="",
    )


def build(cls: type, **settings: object) -> object:
    """A pipeline component built the way a crawl builds it: project settings, plus overrides."""
    project = {k: v for k, v in vars(project_module).items() if k.isupper()}
    crawler = get_crawler(NewsSpider, settings_dict={**project, **settings})
    return cls.from_crawler(crawler)


def test_extract_turns_a_gbk_page_into_an_article(demo_sites: dict[str, DemoSite]) -> None:
    portal = demo_sites["demo_portal"]
    path, expected = next(iter(portal.paths.items()))
    item = build(ExtractPipeline).process_item(served(portal, path))  # type: ignore[attr-defined]
    assert isinstance(item, ArticleItem)
    assert item.title == expected.title
    assert item.encoding == "gb18030"  # GBK is read as its superset, never losing a character
    assert expected.paragraphs[-1] in item.body


def test_extract_drops_a_list_page_with_a_reason(demo_sites: dict[str, DemoSite]) -> None:
    portal = demo_sites["demo_portal"]
    with pytest.raises(NotAnArticle, match="no article"):
        build(ExtractPipeline).process_item(served(portal, "/member/login.html"))  # type: ignore[attr-defined]


def test_clean_normalises_spacing_and_keeps_full_width_punctuation() -> None:
    assert normalise_text("　　第一段，内容。 \n\n\t第二段：  内容\xa0！ ") == "第一段，内容。\n第二段： 内容 ！"


@pytest.mark.parametrize(
    ("title", "body", "error"),
    [(None, "这是一篇足够长的文章正文。" * 10, MissingTitle), ("标题", "太短了", BodyTooShort)],
)
def test_clean_drops_unusable_articles_by_reason(title: str | None, body: str, error: type[Exception]) -> None:
    page = PageItem(
        url="http://x.test/1",
        final_url="http://x.test/1",
        site="x",
        status=200,
        headers={},
        body=b"",
        fetched_at="",
    )
    item = ArticleItem(page=page, url=page.url, site="x", title=title, body=body)
    with pytest.raises(error):
        build(CleanPipeline, CLEAN_MIN_BODY_CHARS=60).process_item(item)  # type: ignore[attr-defined]


def test_content_hash_ignores_layout_width_and_punctuation_but_not_words() -> None:
    original = "东江供电局连续九年位居第一。\n据统计，停电时间4.85小时。"
    assert content_hash(original) == content_hash("东江供电局连续九年位居第一.  据统计,停电时间４.８５小时.")
    assert content_hash(original) != content_hash(original.replace("九", "十"))


def test_stages_run_in_order_from_settings() -> None:
    from crawler import settings

    order = sorted(settings.ITEM_PIPELINES, key=settings.ITEM_PIPELINES.__getitem__)
    assert [name.rsplit(".", 1)[1] for name in order] == [
        "ExtractPipeline",
        "CleanPipeline",
        "FactsPipeline",
        "DedupePipeline",
        "ArchivePipeline",
    ]


def test_dedupe_recognises_an_exact_copy_at_another_url(tmp_path: Path) -> None:
    from archive.db import open_archive
    from archive.records import record_article
    from pipelines.dedupe import classify

    archive = open_archive(tmp_path / "a.db")
    body = "东江供电局供电服务满意度连续九年位居全市第一。" * 5
    page = PageItem(
        url="http://a.test/1",
        final_url="http://a.test/1",
        site="a",
        status=200,
        headers={},
        body=b"1",
        fetched_at="",
    )
    first = classify(
        archive.db,
        ArticleItem(page=page, url=page.url, site="a", title="t", body=body, content_hash=content_hash(body)),
    )
    assert first.sighting == "original"
    with archive.batch():
        stored = record_article(archive.db, first, None)
    copy_page = PageItem(
        url="http://b.test/9",
        final_url="http://b.test/9",
        site="b",
        status=200,
        headers={},
        body=b"2",
        fetched_at="",
    )
    copy = classify(
        archive.db,
        ArticleItem(
            page=copy_page,
            url=copy_page.url,
            site="b",
            title="t2",
            body=body.replace("。", "."),
            content_hash=content_hash(body),
        ),
    )
    assert (copy.sighting, copy.duplicate_of) == ("exact", stored.article_id)
    again = classify(
        archive.db,
        ArticleItem(page=page, url=page.url, site="a", title="t", body=body, content_hash=content_hash(body)),
    )
    assert again.sighting == "url"
    archive.close()


def test_extract_keeps_a_roundups_bracketed_item_headings(demo_sites: dict[str, DemoSite]) -> None:
    portal = demo_sites["demo_portal"]
    path, roundup = next((p, a) for p, a in portal.paths.items() if any(x.startswith("【") for x in a.paragraphs))
    item = build(ExtractPipeline).process_item(served(portal, path))  # type: ignore[attr-defined]
    headed = [p for p in roundup.paragraphs if p.startswith("【")]
    assert all(p in item.body.split("\n") for p in headed)
    assert "打印" not in item.body
