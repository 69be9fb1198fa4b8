"""Pipeline stages built by Scrapy's own get_crawler, fed real demo pages, writing a real archive."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from conftest import raw_page, served
from scrapy.utils.test import get_crawler

from crawler import settings as project_module
from crawler.demoweb.site import DemoSite
from crawler.items import ArticleItem
from crawler.spiders.news import NewsSpider
from pipelines.clean import CleanPipeline, content_hash, normalise_text
from pipelines.errors import BodyTooShort, MissingTitle, NotAnArticle
from pipelines.extract import ExtractPipeline, page_to_article


def build(cls: type, **settings: object) -> Any:
    """A pipeline component built the way a crawl builds it: project settings, plus overrides.

    Stages run in-process here; test_worker_processes_read_pages_as_in_process covers the pool.
    """
    project = {k: v for k, v in vars(project_module).items() if k.isupper()}
    crawler = get_crawler(NewsSpider, settings_dict={**project, "PIPELINE_WORKERS": 0, **settings})
    return cls.from_crawler(crawler)


def process(stage: Any, item: object) -> object:
    """Run a stage's process_item to its end, awaiting it when it is a coroutine."""
    result = stage.process_item(item)
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


def test_extract_turns_a_gbk_page_into_an_article(demo_sites: dict[str, DemoSite]) -> None:
    portal = demo_sites["demo_portal"]
    path, expected = next(iter(portal.paths.items()))
    item = process(build(ExtractPipeline), served(portal, path))
    assert isinstance(item, ArticleItem)
    assert item.title == expected.title
    assert item.encoding == "gb18030"  # GBK is read as its superset, never losing a character
    assert expected.paragraphs[-1] in item.body


def test_extract_drops_a_list_page_with_a_reason(demo_sites: dict[str, DemoSite]) -> None:
    portal = demo_sites["demo_portal"]
    pipeline = build(ExtractPipeline)
    for path in ("/member/login.html", "/news/yaowen/index.html"):
        with pytest.raises(NotAnArticle, match="no article"):
            process(pipeline, served(portal, path))
    counted = {k: v for k, v in pipeline.stats.get_stats().items() if k.startswith("extract/not_article/")}  # type: ignore[attr-defined]
    assert sum(counted.values()) == 2, counted


def test_clean_normalises_spacing_and_keeps_full_width_punctuation() -> None:
    assert normalise_text("　　第一段，内容。 \n\n\t第二段：  内容\xa0！ ") == "第一段，内容。\n第二段： 内容 ！"


@pytest.mark.parametrize(
    ("title", "body", "error"),
    [(None, "这是一篇足够长的文章正文。" * 10, MissingTitle), ("标题", "太短了", BodyTooShort)],
)
def test_clean_drops_unusable_articles_by_reason(title: str | None, body: str, error: type[Exception]) -> None:
    page = raw_page("http://x.test/1", b"")
    item = ArticleItem(page=page, url=page.url, site="x", title=title, body=body)
    with pytest.raises(error):
        process(build(CleanPipeline, CLEAN_MIN_BODY_CHARS=60), item)


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
    page = raw_page("http://a.test/1", b"1", "a")
    first = classify(
        archive.db,
        ArticleItem(page=page, url=page.url, site="a", title="t", body=body, content_hash=content_hash(body)),
    )
    assert first.sighting == "original"
    with archive.batch():
        stored = record_article(archive.db, first, None)
    copy_page = raw_page("http://b.test/9", b"2", "b")
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


def test_worker_processes_read_pages_as_in_process(demo_sites: dict[str, DemoSite]) -> None:
    from pipelines.extract import read_article
    from pipelines.workers import facts_of, run

    pages = [served(site, path) for site in demo_sites.values() for path in list(site.paths)[:3]]

    async def in_pool() -> list[object]:
        articles = await asyncio.gather(*(run(2, read_article, page, None) for page in pages))
        facts = await asyncio.gather(*(run(2, facts_of, a.title, a.body, a.published_at, ()) for a in articles))
        return [*articles, *facts]

    inline = [read_article(page) for page in pages]
    inline_facts = [facts_of(a.title, a.body, a.published_at, ()) for a in inline]
    assert asyncio.run(in_pool()) == [*inline, *inline_facts]


def test_extract_keeps_a_roundups_bracketed_item_headings(demo_sites: dict[str, DemoSite]) -> None:
    portal = demo_sites["demo_portal"]
    path, roundup = next((p, a) for p, a in portal.paths.items() if any(x.startswith("【") for x in a.paragraphs))
    item = page_to_article(served(portal, path))
    headed = [p for p in roundup.paragraphs if p.startswith("【")]
    assert all(p in item.body.split("\n") for p in headed)
    assert "打印" not in item.body
