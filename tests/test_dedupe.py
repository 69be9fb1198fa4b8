"""Dedupe: one article per story across sites and runs, on real demo crawls and real SQLite archives."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import DEMO_SITES, Crawl, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from archive import dedupe_index
from archive.db import open_archive
from archive.rawpages import stored_pages
from archive.records import ARTICLE_BY_HASH, COPY_BY_HASH, find_article, record_article
from archive.schema import migrations
from crawler.demoweb.server import DemoServer
from crawler.demoweb.site import DemoSite, Page
from crawler.demoweb.stories import load_stories
from crawler.demoweb.web import demo_web
from crawler.items import ArticleItem, PageItem
from crawler.runner import project_settings
from crawler.sites import BUNDLED
from pipelines.clean import content_hash
from pipelines.dedupe import classify
from pipelines.offline import Stages
from pipelines.similarity import Thresholds

STORIES = {story["id"]: story for story in load_stories()}


def story_of(demo_sites: dict[str, DemoSite]) -> dict[str, str]:
    """Every demo article URL -> the id of the story it tells."""
    return {site.origin + path: a.story for site in demo_sites.values() for path, a in site.paths.items()}


def grouping(db: Database) -> dict[str, int]:
    """Every URL an article was seen at as a copy (not as a quotation) -> its article id."""
    return dict(db.execute("SELECT url, article_id FROM sightings WHERE kind != 'contained'").fetchall())


def test_every_story_is_one_article_and_different_stories_are_never_merged(
    demo_crawl: Crawl, demo_sites: dict[str, DemoSite]
) -> None:
    stories = story_of(demo_sites)
    seen = grouping(demo_crawl.db)
    assert set(seen) == set(stories)
    articles_of: dict[str, set[int]] = defaultdict(set)
    for url, article_id in seen.items():
        articles_of[stories[url]].add(article_id)
    assert all(len(ids) == 1 for ids in articles_of.values()), articles_of
    assert len({next(iter(ids)) for ids in articles_of.values()}) == len(articles_of)
    assert demo_crawl.db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(STORIES)


def test_a_release_republished_by_portal_and_daily_is_one_article_with_three_sightings(
    demo_crawl: Crawl, demo_sites: dict[str, DemoSite]
) -> None:
    released = [
        s
        for s in STORIES.values()
        if s["site"] == "utility" and {c["site"] for c in s.get("republished", [])} == {"portal", "daily"}
    ]
    assert len(released) >= 5
    utility = demo_sites["demo_utility"]
    for story in released:
        assert all(c["drop"] and c["title"] != story["title"] for c in story["republished"])  # the test means it
        url = next(utility.origin + p for p, a in utility.paths.items() if a.key == story["id"])
        article_id, canonical = demo_crawl.db.execute(
            "SELECT a.id, a.url FROM sightings s JOIN articles a ON a.id = s.article_id WHERE s.url = ?", [url]
        ).fetchone()
        assert canonical == url
        rows = demo_crawl.db.execute(
            "SELECT site, kind, similarity FROM sightings WHERE article_id = ? AND kind != 'contained' ORDER BY id",
            [article_id],
        ).fetchall()
        assert sorted((site, kind) for site, kind, _ in rows) == [
            ("demo_daily", "near"),
            ("demo_portal", "near"),
            ("demo_utility", "original"),
        ], story["id"]
        assert all(0.6 <= similarity < 1 for _, kind, similarity in rows if kind == "near")


@pytest.mark.parametrize("trap", ["shared-boilerplate", "shared-opening"])
def test_articles_sharing_a_boilerplate_block_or_a_stock_opening_stay_apart(
    demo_crawl: Crawl, demo_sites: dict[str, DemoSite], trap: str
) -> None:
    pair = [s["id"] for s in STORIES.values() if s.get("trap") == trap]
    assert len(pair) == 2
    stories, seen = story_of(demo_sites), grouping(demo_crawl.db)
    ids = [{seen[u] for u, s in stories.items() if s == story} for story in pair]
    assert len(ids[0]) == len(ids[1]) == 1
    assert ids[0] != ids[1]


def test_a_release_quoted_whole_in_a_roundup_is_contained_not_merged(
    demo_crawl: Crawl, demo_sites: dict[str, DemoSite]
) -> None:
    roundup = next(s for s in STORIES.values() if s.get("trap") == "contains")
    stories, seen = story_of(demo_sites), grouping(demo_crawl.db)
    roundup_url = next(u for u, s in stories.items() if s == roundup["id"])
    release_id = next(seen[u] for u, s in stories.items() if s == roundup["contains"])
    assert seen[roundup_url] != release_id
    quoted = demo_crawl.db.execute(
        "SELECT article_id, similarity FROM sightings WHERE url = ? AND kind = 'contained'", [roundup_url]
    ).fetchall()
    assert len(quoted) == 1
    assert quoted[0][0] == release_id
    assert quoted[0][1] >= 0.9


def test_the_earliest_publication_is_the_canonical_copy(demo_crawl: Crawl, demo_sites: dict[str, DemoSite]) -> None:
    for article_id, url, published in demo_crawl.db.execute("SELECT id, url, published_at FROM articles"):
        rows = demo_crawl.db.execute(
            "SELECT url, kind, published_at FROM sightings WHERE article_id = ? AND kind != 'contained'", [article_id]
        ).fetchall()
        assert [r[0] for r in rows if r[1] == "original"] == [url]
        assert published[:10] == min(r[2][:10] for r in rows)
    stories, seen = story_of(demo_sites), grouping(demo_crawl.db)
    daily = demo_sites["demo_daily"]
    for story in (s for s in STORIES.values() if s["site"] == "daily" and s.get("republished")):
        url = next(daily.origin + p for p, a in daily.paths.items() if a.key == story["id"])
        canonical = demo_crawl.db.execute("SELECT url FROM articles WHERE id = ?", [seen[url]]).fetchone()[0]
        assert canonical == url  # crawled after the utility's copy, yet the daily's own page is canonical
    assert stories
    stats = [json.loads(r[0]) for r in demo_crawl.db.execute("SELECT stats FROM runs WHERE site = 'demo_daily'")]
    assert stats[0].get("dedupe/canonical_moved", 0) >= 1


def test_run_stats_count_every_item_once(demo_crawl: Crawl) -> None:
    for (raw,) in demo_crawl.db.execute("SELECT stats FROM runs"):
        stats = json.loads(raw)
        kinds = sum(stats.get(f"dedupe/{k}", 0) for k in ("new", "url", "exact", "near"))
        assert kinds == stats["archive/pages"]
        assert stats.get("dedupe/new", 0) == stats.get("archive/articles_new", 0)


def copy_archive(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


SNAPSHOT = (
    "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM sightings),"
    " (SELECT count(*) FROM dedupe_bands) + (SELECT count(*) FROM dedupe_bands_recent),"
    " (SELECT group_concat(article_id || kind || url) FROM (SELECT * FROM sightings ORDER BY id))"
)


def test_crawling_the_same_sites_again_adds_no_articles_and_no_sightings(
    demo_crawl: Crawl, demo_server: DemoServer, tmp_path: Path
) -> None:
    path = tmp_path / "again.db"
    copy_archive(demo_crawl.db_path, path)
    before = Database(path).execute(SNAPSHOT).fetchone()
    # --refresh fetches the archived article pages again, so every one of them meets dedupe
    result = run_cli("crawl", *DEMO_SITES, "--db", str(path), "--refresh", proxy=demo_server.proxy)
    assert result.returncode == 0, result.stderr
    assert Database(path).execute(SNAPSHOT).fetchone() == before
    runs = Database(path).execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 3").fetchall()
    for (raw,) in runs:
        stats = json.loads(raw)
        assert stats["dedupe/url"] == stats["archive/pages"] > 0
        assert not any(stats.get(f"dedupe/{k}") for k in ("new", "exact", "near", "contained"))


def test_processing_pages_in_reverse_order_gives_the_same_stories(demo_crawl: Crawl, tmp_path: Path) -> None:
    stages = Stages.from_settings(project_settings())
    archive = open_archive(tmp_path / "reverse.db")
    for _, page in reversed(list(stored_pages(demo_crawl.db))):  # each first page, its parts attached
        with archive.batch():
            stages.process(archive.db, page)
    canonical = "SELECT s.url, a.url FROM sightings s JOIN articles a ON a.id = s.article_id ORDER BY 1, 2"
    assert archive.db.execute(canonical).fetchall() == demo_crawl.db.execute(canonical).fetchall()
    kinds = "SELECT url, kind FROM sightings WHERE kind IN ('original', 'contained') ORDER BY 1, 2"
    assert archive.db.execute(kinds).fetchall() == demo_crawl.db.execute(kinds).fetchall()
    archive.close()


def test_dupes_lists_who_ran_each_story_and_when(demo_crawl: Crawl) -> None:
    result = run_cli("dupes", "--db", str(demo_crawl.db_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(found) >= 10
    for cluster in found:
        assert cluster["sightings"][0]["kind"] == "original"
        assert cluster["sightings"][0]["url"] == cluster["url"]
        assert len(cluster["sightings"]) >= 2
        assert all(s["delay"] and not s["delay"].startswith("-") for s in cluster["sightings"])
    daily = run_cli("dupes", "--db", str(demo_crawl.db_path), "--site", "demo_daily", "--since", "2021-01-01")
    assert daily.returncode == 0, daily.stderr
    lines = daily.stdout.splitlines()
    assert lines[0].split()[:4] == ["story", "site", "kind", "published"]
    assert "demo_daily" in daily.stdout
    assert "2019-" not in daily.stdout
    bad = run_cli("dupes", "--db", str(demo_crawl.db_path), "--since", "last week")
    assert bad.returncode != 0
    assert "Traceback" not in bad.stderr


# --- the decisions, on small archives --------------------------------------------------------------


def paragraphs_of(*ids: str) -> list[str]:
    return [p for story in ids for p in STORIES[story]["paragraphs"]]


def long_stories(count: int) -> list[str]:
    """The first `count` demo stories of three paragraphs or more that are not traps."""
    return [s for s in STORIES if len(STORIES[s]["paragraphs"]) >= 3 and not STORIES[s].get("trap")][:count]


def article(url: str, body: str, published: str = "2024-01-01T08:00:00+08:00", site: str = "a") -> ArticleItem:
    page = PageItem(url=url, final_url=url, site=site, status=200, headers={}, body=body.encode(), fetched_at="")
    return ArticleItem(
        page=page, url=url, site=site, title=url, published_at=published, body=body, content_hash=content_hash(body)
    )


def store(db_path: Path, *items: ArticleItem, thresholds: Thresholds | None = None) -> list[tuple[ArticleItem, int]]:
    """Classify and record each item in turn; each with the id of the article it was recorded under."""
    archive = open_archive(db_path)
    done = []
    for item in items:
        with archive.batch():
            classify(archive.db, item, thresholds or Thresholds())
            done.append((item, record_article(archive.db, item, None).article_id))
    archive.close()
    return done


def test_a_cut_copy_published_later_is_the_same_story(tmp_path: Path) -> None:
    full = "\n".join(paragraphs_of("dj-summer-peak-2019"))
    cut = "\n".join(paragraphs_of("dj-summer-peak-2019")[:2])
    (_, first), (copy, _) = store(
        tmp_path / "a.db",
        article("http://a.test/1", full, "2019-08-14T16:20:41+08:00"),
        article("http://b.test/1", cut, "2019-08-15T09:00:00+08:00"),
    )
    assert (copy.sighting, copy.duplicate_of) == ("near", first)
    assert copy.similarity is not None
    assert copy.similarity < 0.6  # it carries under half of the release ...
    assert copy.reverse_similarity == 1.0  # ... and nothing else


def test_a_roundup_found_before_the_release_it_quotes_is_linked_when_the_release_arrives(tmp_path: Path) -> None:
    release = "\n".join(paragraphs_of("dj-summer-peak-2019")[:3])
    roundup = "\n".join([*paragraphs_of("lm-peak-2020"), release, *paragraphs_of("bh-reliability-2022")])
    _, (quoted, release_id) = store(
        tmp_path / "a.db",
        article("http://portal.test/weekly", roundup, "2019-08-20T10:00:00+08:00"),
        article("http://utility.test/release", release, "2019-08-14T16:20:41+08:00"),
    )
    assert quoted.sighting == "original"
    assert [share for _, share in quoted.within] == [1.0]
    db = Database(tmp_path / "a.db")
    rows = db.execute("SELECT article_id, url, kind FROM sightings WHERE kind = 'contained'").fetchall()
    assert rows == [(release_id, "http://portal.test/weekly", "contained")]
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


@pytest.mark.parametrize(("indexed", "size"), [(1, 20_000), (100_000, 20_000), (160_000, 20_000), (1_000_000, 125_000)])
def test_a_fold_waits_for_a_share_of_the_index_once_that_is_more(indexed: int, size: int) -> None:
    assert dedupe_index.fold_size(indexed) == size


def key_rows(path: Path) -> tuple[int, int]:
    """Band and passage rows in the main tables, and in the recent ones."""
    db = Database(path)
    count = "SELECT (SELECT count(*) FROM dedupe_bands{0}) + (SELECT count(*) FROM dedupe_passages{0})"
    return db.execute(count.format("")).fetchone()[0], db.execute(count.format("_recent")).fetchone()[0]


def test_copies_are_found_whether_their_original_keys_were_folded_or_not(tmp_path: Path, folding: int | None) -> None:
    five = long_stories(5)
    originals = [article(f"http://a.test/{s}", "\n".join(paragraphs_of(s))) for s in five]
    later = "2024-01-02T08:00:00+08:00"
    copies = [article(f"http://b.test/{s}", "\n".join(paragraphs_of(s)[1:]), later) for s in five]
    done = store(tmp_path / "a.db", *originals, *copies)
    assert [item.sighting for item, _ in done] == ["original"] * 5 + ["near"] * 5
    assert [article_id for _, article_id in done[5:]] == [article_id for _, article_id in done[:5]]
    main, recent = key_rows(tmp_path / "a.db")
    if folding is None:
        assert (main, recent > 0) == (0, True)
    else:
        assert (main > 0, recent <= main) == (True, True)  # folded at every article, or at every second one


def test_known_boilerplate_does_not_make_two_short_articles_one(tmp_path: Path, folding: int | None) -> None:
    notice = "".join(paragraphs_of("daily-satisfaction-2020-feature")[:1]) * 2  # a long standard block
    long_ones = [s for s in STORIES if len("".join(STORIES[s]["paragraphs"])) > 600 and not STORIES[s].get("trap")][:5]
    short = [paragraphs_of("lm-peak-2020")[0], paragraphs_of("xj-satisfaction-2023")[0]]

    def run(path: Path, thresholds: Thresholds) -> list[ArticleItem]:
        earlier = [article(f"http://a.test/{s}", "\n".join([*paragraphs_of(s), notice])) for s in long_ones]
        pair = [article(f"http://b.test/{i}", f"{text}\n{notice}") for i, text in enumerate(short)]
        return [item for item, _ in store(path, *earlier, *pair, thresholds=thresholds)[-2:]]

    apart = run(tmp_path / "known.db", Thresholds(boilerplate=5))
    assert [i.sighting for i in apart] == ["original", "original"]
    merged = run(tmp_path / "unknown.db", Thresholds(boilerplate=16))  # the block is not boilerplate yet
    assert [i.sighting for i in merged] == ["original", "near"]


def test_an_archive_from_before_the_index_is_indexed_once_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m008_dedupe_minhash")
    body = "\n".join(paragraphs_of("dj-typhoon-2018"))
    db.table("articles").insert({"url": "http://old.test/1", "site": "old", "body": body, "title": "t"})
    db.close()
    copy = paragraphs_of("dj-typhoon-2018")[1:]
    ((item, _),) = store(path, article("http://new.test/1", "\n".join(copy), "2030-01-01T00:00:00+08:00"))
    assert item.sighting == "near"
    assert Database(path).execute("SELECT count(*) FROM dedupe_signatures").fetchone()[0] == 1


def test_exact_copies_of_a_copy_are_exact(tmp_path: Path) -> None:
    paragraphs = paragraphs_of("dj-noncash-2019")
    copy = "\n".join(paragraphs[1:])
    _, (first_copy, first_id), (second_copy, _) = store(
        tmp_path / "a.db",
        article("http://a.test/1", "\n".join(paragraphs)),
        article("http://b.test/1", copy, "2024-01-02T08:00:00+08:00"),
        article("http://c.test/1", copy.replace("，", ","), "2024-01-03T08:00:00+08:00"),
    )
    assert first_copy.sighting == "near"
    assert (second_copy.sighting, second_copy.duplicate_of) == ("exact", first_id)


def upgraded(path: Path, migration: str, table: str, old_index: str) -> Database:
    """An archive left just before `migration` with `old_index` on `table`, opened by today's code, which drops it."""
    db = Database(path)
    migrations.apply(db, stop_before=migration)
    assert old_index in {index.name for index in db.table(table).indexes}
    db.close()
    db = open_archive(path).db
    assert old_index not in {index.name for index in db.table(table).indexes}
    return db


def query_plan(db: Database, sql: str, params: list[str]) -> str:
    return " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_an_upgraded_archive_finds_copies_by_body_hash_through_the_copies_index(tmp_path: Path) -> None:
    db = upgraded(tmp_path / "old.db", "m011_sightings_copy_hash_index", "sightings", "idx_sightings_content_hash")
    assert "USING INDEX idx_sightings_copy_hash" in query_plan(db, COPY_BY_HASH, ["0" * 64])


def test_an_upgraded_archive_finds_articles_by_body_hash_through_its_64_bit_index(tmp_path: Path) -> None:
    db = upgraded(tmp_path / "old.db", "m016_articles_hash_key_index", "articles", "idx_articles_content_hash")
    assert "USING INDEX idx_articles_hash_key" in query_plan(db, ARTICLE_BY_HASH, ["0" * 16])
    # hashes that share their first 64 bits are still told apart
    for number, tail in enumerate("01", 1):
        db["articles"].insert({"id": number, "url": f"http://a.test/{number}", "content_hash": "a" * 16 + tail * 48})
    assert find_article(db, content_hash="a" * 16 + "1" * 48) == 2
    assert find_article(db, content_hash="a" * 16 + "0" * 48) == 1
    assert find_article(db, content_hash="a" * 16 + "2" * 48) is None


def test_bad_thresholds_are_refused_with_the_setting_named() -> None:
    with pytest.raises(ValueError, match="DEDUPE_NEAR_THRESHOLD"):
        Thresholds(near=1.5)
    with pytest.raises(ValueError, match="DEDUPE_BOILERPLATE_ARTICLES"):
        Thresholds(boilerplate=1)
    with pytest.raises(ValueError, match="from 2 to 16"):
        Thresholds(boilerplate=17)


def test_every_spelling_of_a_page_and_a_redirect_to_it_are_one_article(tmp_path: Path) -> None:
    web = demo_web()
    portal = web["demo_portal"]
    path, _ = next(iter(portal.paths.items()))
    spellings = [
        f"http://M.DLZX.test:80{path}?utm_source=wechat#comments",
        f"http://dlzx.test{path}?spm=a2c4g.1&from=timeline",
        "/news/202001/01/99999.html",  # answers 301 with the article's URL, spelled with a tracking parameter
    ]
    links = "".join(f'<a href="{href}">link</a>' for href in spellings)
    portal.routes["/news/zhuanti/index.html"] = lambda: portal.html(f"<html><body>{links}</body></html>")
    portal.routes["/news/202001/01/99999.html"] = lambda: Page(
        b"", "text/html", 301, {"Location": f"{portal.origin}{path}?from=redirect"}
    )
    definition = (BUNDLED / "demo" / "demo_portal.toml").read_text(encoding="utf-8")
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "demo_portal.toml").write_text(
        definition.replace('start_urls = ["/",', 'start_urls = ["/news/zhuanti/index.html", "/",'), encoding="utf-8"
    )
    server = DemoServer(web)
    server.by_host.update({"m.dlzx.test": portal, "dlzx.test": portal})
    server.start()
    try:
        db = tmp_path / "urls.db"
        result = run_cli("crawl", "demo_portal", "--sites-dir", str(sites), "--db", str(db), proxy=server.proxy)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    archive = Database(db)
    fetched = {row[0] for row in archive.execute("SELECT url FROM pages WHERE final_url LIKE ?", [f"%{path}%"])}
    assert len(fetched) >= 3  # the page was fetched under several spellings (and once through the redirect)
    assert portal.origin + "/news/202001/01/99999.html" in fetched
    sighted = [row[0] for row in archive.execute("SELECT url FROM sightings WHERE url LIKE ?", [f"%{path}%"])]
    assert sighted == [portal.origin + path]
    assert archive.execute("SELECT count(*) FROM articles").fetchone()[0] == len(portal.paths)


def served_pages(demo_sites: dict[str, DemoSite], story: str) -> list[PageItem]:
    pages = []
    for site in demo_sites.values():
        for path, a in site.paths.items():
            if a.story == story:
                page = site.get(path)
                assert page is not None
                url = site.origin + path
                headers = {"Content-Type": page.content_type}
                pages.append(PageItem(url, url, site.name, 200, headers, page.body, "2024-01-01T00:00:00+00:00"))
    return pages


@settings(max_examples=12, deadline=None)
@given(
    order=st.permutations(range(3)), story=st.sampled_from(["dj-satisfaction-2017", "daily-satisfaction-2020-feature"])
)
def test_in_any_crawl_order_a_story_ends_as_one_article_at_its_earliest_page(
    demo_sites: dict[str, DemoSite], order: list[int], story: str
) -> None:
    pages = served_pages(demo_sites, story)
    earliest = STORIES[story]["site"]
    with tempfile.TemporaryDirectory() as tmp:
        archive = open_archive(Path(tmp) / "a.db")
        for _ in range(2):  # and a second run changes nothing
            for i in order:
                with archive.batch():
                    Stages().process(archive.db, pages[i])
        articles = archive.db.execute("SELECT id, site FROM articles").fetchall()
        kinds = sorted(archive.db.execute("SELECT kind FROM sightings").fetchall())
        archive.close()
    assert [site for _, site in articles] == [f"demo_{earliest}"]
    assert kinds == [("near",), ("near",), ("original",)]
