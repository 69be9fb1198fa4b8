"""Incremental crawls: a rerun fetches only lists and feeds, paging stops at known articles, --refresh refetches."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from sqlite_utils import Database

from archive.incremental import walked_everything
from crawler.demoweb.server import DemoServer, not_modified
from crawler.demoweb.site import DemoSite, Page
from crawler.demoweb.web import large_web
from crawler.incremental import parse_time
from crawler.sites import BUNDLED


def last_stats(db: Path) -> dict:
    return json.loads(Database(db).execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])


def counts(db: Path) -> tuple[int, int, int]:
    return (
        Database(db)
        .execute(
            "SELECT (SELECT count(*) FROM pages), (SELECT count(*) FROM articles), (SELECT count(*) FROM sightings)"
        )
        .fetchone()
    )


@pytest.mark.parametrize("name", ["demo_portal", "demo_utility", "demo_daily"])
def test_a_rerun_over_an_unchanged_web_asks_only_lists_and_feeds(
    name: str, demo_server: DemoServer, demo_sites: dict[str, DemoSite], tmp_path: Path
) -> None:
    db, site = tmp_path / "a.db", demo_sites[name]
    host = site.origin.split("//")[1]
    assert run_cli("crawl", name, "--db", str(db), proxy=demo_server.proxy).returncode == 0
    before, seen = counts(db), len(demo_server.log)
    second = run_cli("crawl", name, "--db", str(db), proxy=demo_server.proxy)
    assert second.returncode == 0, second.stderr
    asked = [path for h, path in demo_server.log[seen:] if h == host]
    assert asked
    assert not set(asked) & set(site.paths), "an archived article was fetched again"
    assert counts(db) == before
    stats = last_stats(db)
    assert stats["incremental/not_modified"] >= 1
    assert stats.get("downloader/response_status_count/304", 0) == stats["incremental/not_modified"]
    assert stats.get("archive/pages", 0) == 0


def test_paging_stops_at_a_page_of_known_articles(tmp_path: Path) -> None:
    db = tmp_path / "big.db"
    first_web, second_web = large_web(300), large_web(303)  # the same web three articles later
    old, new = first_web["demo_portal"], second_web["demo_portal"]
    assert set(old.paths) < set(new.paths)
    with_server(first_web, lambda proxy: run_cli("crawl", "demo_portal", "--db", str(db), proxy=proxy))
    server = with_server(second_web, lambda proxy: run_cli("crawl", "demo_portal", "--db", str(db), proxy=proxy))
    asked = set(server.requested("www.dlzx.test"))
    assert set(new.paths) - set(old.paths) <= asked  # the new articles were fetched
    assert not asked & set(old.paths)  # the known ones were not
    assert "/news/dianwang/index_4.html" not in asked  # page 1 had news, page 2 none: paging stopped
    assert last_stats(db)["incremental/paging_stopped"] >= 1
    assert Database(db).execute("SELECT count(*) FROM articles").fetchone()[0] == len(new.paths)


def test_a_site_can_ask_for_a_full_walk(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    text = (BUNDLED / "demo" / "demo_portal.toml").read_text(encoding="utf-8")
    (sites / "demo_portal.toml").write_text(text + "\n[incremental]\nfull_walk = true\n", encoding="utf-8")
    db = tmp_path / "big.db"
    args = ("crawl", "demo_portal", "--db", str(db), "--sites-dir", str(sites))
    with_server(large_web(300), lambda proxy: run_cli(*args, proxy=proxy))
    server = with_server(large_web(303), lambda proxy: run_cli(*args, proxy=proxy))
    assert "/news/dianwang/index_4.html" in server.requested("www.dlzx.test")
    assert "incremental/paging_stopped" not in last_stats(db)


def test_refresh_fetches_every_article_again(demo_server: DemoServer, demo_sites: dict, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert run_cli("crawl", "demo_utility", "--db", str(db), proxy=demo_server.proxy).returncode == 0
    seen = len(demo_server.log)
    result = run_cli("crawl", "demo_utility", "--db", str(db), "--refresh", proxy=demo_server.proxy)
    assert result.returncode == 0, result.stderr
    asked = {path for h, path in demo_server.log[seen:] if h == "www.djgdj.test"}
    assert set(demo_sites["demo_utility"].paths) <= asked
    assert last_stats(db)["archive/pages"] == len(demo_sites["demo_utility"].paths)
    assert Database(db).execute("SELECT count(*) FROM articles").fetchone()[0] == len(demo_sites["demo_utility"].paths)


def with_server(web: dict[str, DemoSite], crawl) -> DemoServer:  # type: ignore[no-untyped-def]
    server = DemoServer(web)
    server.start()
    try:
        result = crawl(server.proxy)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    return server


def test_only_a_run_that_saw_everything_is_trusted() -> None:
    assert walked_everything("finished", {"archive/pages": 3})
    assert walked_everything("finished", {"news/lost/http_404": 2})  # a dead link stays dead
    assert not walked_everything("finished", {"news/lost/timeout": 1})
    assert not walked_everything("finished", {"incremental/resumed": True})
    assert not walked_everything("closespider_pagecount", {})
    assert not walked_everything("shutdown", {})
    assert not walked_everything(None, {})


def test_conditional_get_in_the_demo_server() -> None:
    page = Page(b"x", "text/html", headers={"ETag": '"a"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert not_modified(page, {"If-None-Match": '"b", "a"'})
    assert not not_modified(page, {"If-None-Match": '"b"', "If-Modified-Since": "Tue, 02 Jan 2024 00:00:00 GMT"})
    assert not_modified(page, {"If-Modified-Since": "Tue, 02 Jan 2024 00:00:00 GMT"})
    assert not not_modified(page, {"If-Modified-Since": "Sun, 31 Dec 2023 00:00:00 GMT"})
    assert not not_modified(page, {"If-Modified-Since": "yesterday"})


def test_times_are_read_leniently() -> None:
    assert parse_time("2024-05-01") is not None
    assert parse_time("2024-05-01T08:00:00+08:00") is not None
    assert parse_time("2024-05-01T08:00:00Z") is not None
    assert parse_time("soon") is None


def test_lastmod_newer_than_the_archived_copy_refetches(tmp_path: Path, demo_server: DemoServer) -> None:
    from crawler.demoweb.web import demo_web

    db = tmp_path / "a.db"
    assert run_cli("crawl", "demo_portal", "--db", str(db), proxy=demo_server.proxy).returncode == 0
    web = demo_web()
    portal = web["demo_portal"]
    sitemap = portal.sitemap().body.decode()
    sitemap = sitemap.replace("<lastmod>", "<lastmod>2999-01-01</lastmod><x>", 1)  # the first entry changed
    portal.routes["/sitemap.xml"] = lambda: Page(sitemap.encode(), "application/xml")
    server = with_server(web, lambda proxy: run_cli("crawl", "demo_portal", "--db", str(db), proxy=proxy))
    stats = last_stats(db)
    assert stats["incremental/revisited"] == 1
    assert len([p for p in server.requested("www.dlzx.test") if p in portal.paths]) == 1
    shutil.rmtree(tmp_path, ignore_errors=True)
