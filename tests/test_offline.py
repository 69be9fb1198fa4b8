"""The stages without Scrapy store the pages of a crawl exactly as the crawl did."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from conftest import Crawl

from archive.db import open_archive
from crawler.items import PageItem
from crawler.runner import project_settings
from pipelines.offline import Stages

COMPARED = "SELECT url, site, title, published_at, author, source, body, content_hash FROM articles ORDER BY url"


def test_offline_pass_over_crawled_pages_rebuilds_the_same_archive(demo_crawl: Crawl, tmp_path: Path) -> None:
    stages = Stages.from_settings(project_settings())
    archive = open_archive(tmp_path / "offline.db")
    for row in demo_crawl.db.query("SELECT * FROM pages ORDER BY id"):
        page = PageItem(
            url=row["url"],
            final_url=row["final_url"],
            site=row["site"],
            status=row["status"],
            headers=json.loads(row["headers"]),
            body=zlib.decompress(row["body"]),
            fetched_at=row["fetched_at"],
            via=row["via"],
        )
        with archive.batch():
            stages.process(archive.db, page)
    assert archive.db.execute(COMPARED).fetchall() == demo_crawl.db.execute(COMPARED).fetchall()
    facts = "SELECT kind, subject, value, evidence FROM facts ORDER BY 1, 2, 3, 4"
    assert archive.db.execute(facts).fetchall() == demo_crawl.db.execute(facts).fetchall()
    sightings = "SELECT url, kind FROM sightings ORDER BY url"
    assert archive.db.execute(sightings).fetchall() == demo_crawl.db.execute(sightings).fetchall()
    archive.close()


def test_a_page_without_an_article_is_kept_as_dropped(tmp_path: Path) -> None:
    archive = open_archive(tmp_path / "a.db")
    page = PageItem(
        url="http://x.test/",
        final_url="http://x.test/",
        site="gone",
        status=200,
        headers={},
        body=b"<html><body><ul><li><a href='/1'>link</a></li></ul></body></html>",
        fetched_at="",
    )
    with archive.batch():
        outcome = Stages().process(archive.db, page)
    assert outcome.dropped == "NotAnArticle"
    assert archive.db.execute("SELECT outcome, reason FROM pages").fetchall() == [("dropped", "NotAnArticle")]
    archive.close()
