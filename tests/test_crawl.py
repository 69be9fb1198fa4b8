"""End to end: real crawls of the demo web through the real pipeline into real SQLite files."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DEMO_SITES, Crawl, run_cli

from archive.compression import decompress_body
from crawler.demoweb.server import DemoServer
from crawler.demoweb.site import DemoSite
from crawler.demoweb.web import demo_web, large_web


def archived_urls(crawl: Crawl, site: str) -> set[str]:
    return {row["url"] for row in crawl.db.query("SELECT url FROM sightings WHERE site = ?", [site])}


def test_every_demo_article_page_is_archived_once(demo_crawl: Crawl, demo_sites: dict[str, DemoSite]) -> None:
    for name, site in demo_sites.items():
        expected = {site.origin + path for path in site.paths}
        assert archived_urls(demo_crawl, name) == expected, name
    pages = demo_crawl.db.execute("SELECT count(*), count(DISTINCT url) FROM pages WHERE part_of IS NULL").fetchone()
    assert pages[0] == pages[1] == sum(len(s.paths) for s in demo_sites.values())


def test_an_article_over_two_pages_is_joined_into_one(demo_crawl: Crawl, demo_sites: dict[str, DemoSite]) -> None:
    daily = demo_sites["demo_daily"]
    split = [(path, a) for path, a in daily.paths.items() if daily.is_split(a)]  # type: ignore[attr-defined]
    assert split
    for path, article in split:
        url = daily.origin + path
        row = demo_crawl.db.execute(
            "SELECT a.body, p.id FROM sightings s JOIN articles a ON a.id = s.article_id JOIN pages p ON p.url = s.url "
            "WHERE s.url = ?",
            [url],
        ).fetchone()
        assert article.shown_paragraphs[0] in row[0]
        assert article.shown_paragraphs[-1] in row[0]
        parts = demo_crawl.db.execute("SELECT url, outcome FROM pages WHERE part_of = ?", [row[1]]).fetchall()
        assert parts == [(url.replace(".htm", "_2.htm"), "part")]
    assert not demo_crawl.db.execute(
        "SELECT count(*) FROM sightings WHERE url LIKE '%\\_2.htm' ESCAPE '\\'"
    ).fetchone()[0]


def test_titles_and_dates_match_what_was_published(demo_crawl: Crawl, demo_sites: dict[str, DemoSite]) -> None:
    for site in demo_sites.values():
        for path, article in site.paths.items():
            row = demo_crawl.db.execute(
                "SELECT a.title, a.published_at FROM sightings s JOIN articles a ON a.id = s.article_id "
                "WHERE s.url = ? AND s.kind IN ('original', 'url')",
                [site.origin + path],
            ).fetchone()
            if row is None:  # a republication archived as a duplicate of the original
                continue
            assert row[0] == article.title, path
            assert row[1].startswith(article.published.strftime("%Y-%m-%d")), path


def test_gbk_portal_text_equals_what_was_served(demo_crawl: Crawl, demo_sites: dict[str, DemoSite]) -> None:
    portal = demo_sites["demo_portal"]
    assert portal.encoding == "gbk"
    for path, article in portal.paths.items():
        page = demo_crawl.db.execute("SELECT body, headers FROM pages WHERE url = ?", [portal.origin + path]).fetchone()
        raw = decompress_body(page[0])
        assert "gbk" in json.loads(page[1])["Content-Type"]
        longest = max(article.paragraphs, key=len)
        assert longest in raw.decode("gbk")
        body = demo_crawl.db.execute(
            "SELECT a.body FROM sightings s JOIN articles a ON a.id = s.article_id WHERE s.url = ?"
            " AND s.kind IN ('original', 'url')",  # a copy's text is its article's, not its own
            [portal.origin + path],
        ).fetchone()
        if body is not None:
            assert longest in body[0]


def test_robots_txt_is_obeyed(demo_crawl: Crawl, demo_server: DemoServer) -> None:
    asked = demo_server.requested("www.dlzx.test")
    assert "/robots.txt" in asked
    assert not [p for p in asked if p.startswith(("/news/neibu/", "/member/"))]


def test_feed_and_sitemap_discover_what_lists_do_not(demo_crawl: Crawl, demo_sites: dict[str, DemoSite]) -> None:
    portal = demo_sites["demo_portal"]
    feed_only, sitemap_only = portal.special
    assert feed_only
    assert sitemap_only
    via = dict(demo_crawl.db.execute("SELECT url, via FROM pages WHERE site = 'demo_portal'").fetchall())
    assert via[portal.origin + portal.path_of[feed_only.key]] == "feed"
    assert via[portal.origin + portal.path_of[sitemap_only.key]] == "sitemap"
    assert via[portal.origin + portal.path_of[feed_only.key]]
    utility = demo_sites["demo_utility"]
    stats = json.loads(demo_crawl.db.execute("SELECT stats FROM runs WHERE site = 'demo_utility'").fetchone()[0])
    assert stats["news/found_via_feed"] == min(10, len(utility.paths))


def test_runs_are_recorded_with_stats(demo_crawl: Crawl) -> None:
    runs = list(demo_crawl.db.query("SELECT * FROM runs ORDER BY id"))
    assert [r["site"] for r in runs] == list(DEMO_SITES)
    for run in runs:
        assert run["status"] == "finished"
        assert run["finished_at"] >= run["started_at"]
        stats = json.loads(run["stats"])
        assert (
            stats["archive/pages"]
            == demo_crawl.db.execute(
                "SELECT count(*) FROM pages WHERE run_id = ? AND part_of IS NULL", [run["id"]]
            ).fetchone()[0]
        )
    assert "demo_portal" in demo_crawl.result.stdout  # the summary table


def test_second_crawl_stores_nothing_new(demo_server: DemoServer, tmp_path: Path) -> None:
    db = tmp_path / "again.db"
    first = run_cli("crawl", "demo_utility", "--db", str(db), proxy=demo_server.proxy)
    assert first.returncode == 0, first.stderr
    counts = "SELECT (SELECT count(*) FROM pages), (SELECT count(*) FROM articles), (SELECT count(*) FROM sightings)"
    from sqlite_utils import Database

    before = Database(db).execute(counts).fetchone()
    second = run_cli("crawl", "demo_utility", "--db", str(db), proxy=demo_server.proxy)
    assert second.returncode == 0, second.stderr
    assert Database(db).execute(counts).fetchone() == before
    assert Database(db).execute("SELECT count(*) FROM runs").fetchone()[0] == 2


def test_pagination_is_followed_on_a_generated_web(tmp_path: Path) -> None:
    web = large_web(130)
    site = web["demo_portal"]
    server = DemoServer(web)
    server.start()
    try:
        result = run_cli("crawl", "demo_portal", "--db", str(tmp_path / "big.db"), proxy=server.proxy)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    asked = server.requested("www.dlzx.test")
    assert "/news/dianwang/index_2.html" in asked
    assert "/news/dianwang/index_3.html" in asked
    from sqlite_utils import Database

    stored = Database(tmp_path / "big.db").execute("SELECT count(DISTINCT url) FROM pages").fetchone()[0]
    assert stored == len(site.paths)


def test_scrapy_crawl_works_with_the_same_settings(demo_server: DemoServer, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from conftest import ROOT

    db = tmp_path / "scrapy.db"
    env = {**os.environ, "http_proxy": demo_server.proxy}
    env.pop("no_proxy", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "news",
            "-a",
            "site=demo_utility",
            "-s",
            f"ARCHIVE_DB={db}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    from sqlite_utils import Database

    assert Database(db).execute("SELECT count(*) FROM articles").fetchone()[0] >= 1
    assert "Traceback" not in result.stderr


def test_facts_land_with_evidence_found_in_their_article(demo_crawl: Crawl) -> None:
    rows = list(demo_crawl.db.query("SELECT f.*, a.body FROM facts f JOIN articles a ON a.id = f.article_id"))
    assert len(rows) >= 50
    assert {r["kind"] for r in rows} >= {"satisfaction_rank", "outage_hours", "peak_load_mw", "investment_cny"}
    for row in rows:
        if row["start"] is not None:
            assert row["body"][row["start"] : row["end"]] == row["evidence"]
        assert row["subject"]


def test_a_missing_continuation_page_keeps_the_first_and_is_counted(tmp_path: Path) -> None:
    web = demo_web()
    daily = web["demo_daily"]
    path, article = next((p, a) for p, a in daily.paths.items() if daily.is_split(a))  # type: ignore[attr-defined]
    del daily.routes[path.replace(".htm", "_2.htm")]
    server = DemoServer(web)
    server.start()
    try:
        result = run_cli("crawl", "demo_daily", "--db", str(tmp_path / "a.db"), proxy=server.proxy)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    from sqlite_utils import Database

    db = Database(tmp_path / "a.db")
    body = db.execute("SELECT body FROM articles WHERE url = ?", [daily.origin + path]).fetchone()[0]
    assert article.shown_paragraphs[0] in body
    assert article.shown_paragraphs[-1] not in body
    stats = json.loads(db.execute("SELECT stats FROM runs").fetchone()[0])
    assert stats["news/article_parts_missing/http_404"] == 1
