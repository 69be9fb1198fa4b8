"""The stages without Scrapy store the pages of a crawl exactly as the crawl did."""

from __future__ import annotations

from pathlib import Path

from conftest import Crawl, raw_page, served

from archive.db import open_archive
from archive.rawpages import stored_pages
from crawler.demoweb.site import DemoSite
from crawler.runner import project_settings
from pipelines.offline import Stages

COMPARED = "SELECT url, site, title, published_at, author, source, body, content_hash FROM articles ORDER BY url"


def test_offline_pass_over_crawled_pages_rebuilds_the_same_archive(demo_crawl: Crawl, tmp_path: Path) -> None:
    stages = Stages.from_settings(project_settings())
    archive = open_archive(tmp_path / "offline.db")
    for _, page in stored_pages(demo_crawl.db):
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
    page = raw_page("http://x.test/", b"<html><body><ul><li><a href='/1'>link</a></li></ul></body></html>", "gone")
    with archive.batch():
        outcome = Stages().process(archive.db, page)
    assert outcome.dropped == "NotAnArticle"
    assert archive.db.execute("SELECT outcome, reason FROM pages").fetchall() == [("dropped", "NotAnArticle")]
    archive.close()


def test_site_overrides_win_field_by_field(tmp_path: Path, demo_sites: dict[str, DemoSite]) -> None:
    portal = demo_sites["demo_portal"]
    definition = (Path(__file__).parent.parent / "crawler" / "sites" / "demo" / "demo_portal.toml").read_text("utf-8")
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "demo_portal.toml").write_text(definition + '\n[extract]\ntitle = "div.position"\nsource = "#nothing"\n')
    path, expected = next(iter(portal.paths.items()))
    page = served(portal, path)
    archive = open_archive(tmp_path / "a.db")
    with archive.batch():
        Stages(sites_paths=[str(sites)]).process(archive.db, page)
    title, source, body = archive.db.execute("SELECT title, source, body FROM articles").fetchone()
    archive.close()
    assert title.startswith("首页 > 专题 >")  # the override's element (the breadcrumb), not the headline
    assert title != expected.title
    assert source == expected.source  # an override that matches nothing leaves the generic result
    assert max(expected.paragraphs, key=len) in body
