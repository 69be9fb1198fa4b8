"""Reprocess: stored raw pages through today's pipeline, in place, idempotent, without duplicate sightings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import Crawl, run_cli
from sqlite_utils import Database

from archive.db import open_archive
from archive.fts import TABLE, rebuild_index
from archive.reprocess import reprocess
from crawler.demoweb.server import DemoServer
from crawler.items import PageItem
from crawler.runner import project_settings
from pipelines.offline import Stages

ARTICLES = "SELECT url, site, title, published_at, author, source, body, content_hash FROM articles ORDER BY url"
FACTS = (
    "SELECT a.url, f.kind, f.subject, f.value, f.evidence FROM facts f JOIN articles a ON a.id = f.article_id"
    " ORDER BY 1, 2, 3, 4, 5"
)
FIRST_PAGES = "SELECT count(DISTINCT url) FROM pages WHERE part_of IS NULL"
SIGHTINGS = "SELECT a.url, s.url, s.kind FROM sightings s JOIN articles a ON a.id = s.article_id ORDER BY 1, 2"


def snapshot(path: Path) -> tuple[list[tuple[object, ...]], ...]:
    db = Database(path)
    return tuple(db.execute(sql).fetchall() for sql in (ARTICLES, FACTS, SIGHTINGS))


def counts(stdout: str) -> dict[str, int]:
    return {label.strip(): int(n) for n, label in re.findall(r"(\d+) ([a-z][a-z ]+)", stdout)}


def copy_of(crawl: Crawl, tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    shutil.copy(crawl.db_path, path)
    return path


def test_an_older_reading_is_updated_in_place_and_a_second_run_changes_nothing(
    demo_crawl: Crawl, tmp_path: Path
) -> None:
    path = copy_of(demo_crawl, tmp_path)
    db = Database(path)
    changed = {row[0] for row in db.execute("SELECT id FROM articles WHERE id % 3 = 0")}
    changed |= {row[0] for row in db.execute("SELECT article_id FROM facts WHERE article_id % 4 = 0")}
    # as an older extractor might have left them: a worse headline, no authors, facts missing
    db.execute("UPDATE articles SET title = title || ' - 电力资讯网', author = '[]' WHERE id % 3 = 0")
    db.execute("DELETE FROM facts WHERE article_id % 4 = 0")
    ids = db.execute("SELECT id FROM articles ORDER BY id").fetchall()
    pages = db.execute(FIRST_PAGES).fetchone()[0]
    with db.conn:
        rebuild_index(db)
    db.close()
    first = run_cli("reprocess", "--db", str(path))
    assert first.returncode == 0, first.stderr
    assert counts(first.stdout)["articles updated"] == len(changed)
    assert snapshot(path) == snapshot(demo_crawl.db_path)
    assert Database(path).execute("SELECT id FROM articles ORDER BY id").fetchall() == ids
    second = run_cli("reprocess", "--db", str(path))
    assert counts(second.stdout)["articles updated"] == 0
    assert counts(second.stdout)["unchanged"] == pages
    assert snapshot(path) == snapshot(demo_crawl.db_path)
    headline = Database(path).execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"电力 力资 资讯 讯网\"'"
    )
    assert headline.fetchone()[0] < len(changed)  # the index follows the restored headlines


def test_stricter_rules_report_dropped_pages_prune_removes_them_and_they_come_back(
    demo_crawl: Crawl, tmp_path: Path
) -> None:
    path = copy_of(demo_crawl, tmp_path)
    total = Database(path).execute(FIRST_PAGES).fetchone()[0]  # every article page, each URL once
    strict = ("-s", "CLEAN_MIN_BODY_CHARS=100000")
    kept = run_cli("reprocess", "--db", str(path), *strict)
    assert counts(kept.stdout)["dropped now"] == total
    assert snapshot(path) == snapshot(demo_crawl.db_path)  # reported, not removed
    pruned = run_cli("reprocess", "--db", str(path), "--prune", *strict)
    assert counts(pruned.stdout)["dropped now and removed"] == total
    db = Database(path)
    assert (db.table("articles").count, db.table("facts").count, db.table("sightings").count) == (0, 0, 0)
    assert db.table("pages").count == Database(demo_crawl.db_path).table("pages").count
    assert db.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH '\"供电\"'").fetchone() == (0,)
    back = run_cli("reprocess", "--db", str(path))
    assert counts(back.stdout)["newly extracted from pages dropped before"] == total
    assert snapshot(path) == snapshot(demo_crawl.db_path)


def test_filters_choose_the_pages(demo_crawl: Crawl, tmp_path: Path) -> None:
    path = copy_of(demo_crawl, tmp_path)
    # continuation pages are reprocessed with the page they continue
    latest = "SELECT count(*) FROM pages WHERE site = 'demo_daily' AND part_of IS NULL"
    per_site = Database(path).execute(latest).fetchone()[0]
    result = run_cli("reprocess", "--db", str(path), "--site", "demo_daily")
    assert result.stdout.startswith(f"{per_site} pages reprocessed")
    assert run_cli("reprocess", "--db", str(path), "--since", "2999-01-01").stdout.startswith("0 pages")


def test_republished_copies_stay_one_article_with_one_sighting_each(demo_server: DemoServer, tmp_path: Path) -> None:
    host = "www.dlzx.test"
    path = next(p for p in demo_server.by_host[host].paths if p.endswith(".html") and "/news/" in p)
    body = demo_server.answer(host, path).body
    archive = open_archive(tmp_path / "a.db")
    stages = Stages.from_settings(project_settings())
    for copy in range(3):  # the same page at three addresses: one article, two exact copies
        url = f"http://{host}{path}" if copy == 0 else f"http://mirror{copy}.test{path}"
        page = PageItem(url, url, "demo_portal", 200, {"Content-Type": "text/html; charset=gbk"}, body, "2024-01-01")
        with archive.batch():
            stages.process(archive.db, page)
    archive.commit()
    before = [archive.db.execute(sql).fetchall() for sql in (ARTICLES, SIGHTINGS)]
    assert [kind for _, _, kind in before[1]] == ["exact", "exact", "original"]
    for _ in range(2):
        found = reprocess(archive, stages, (None, None), pruning=False)
        assert found == {"unchanged": 3}
        assert [archive.db.execute(sql).fetchall() for sql in (ARTICLES, SIGHTINGS)] == before
    archive.close()


def test_a_corrupt_stored_page_is_counted_and_the_rest_goes_on(demo_crawl: Crawl, tmp_path: Path) -> None:
    path = copy_of(demo_crawl, tmp_path)
    Database(path).execute("UPDATE pages SET body = X'00010203' WHERE id = 1")
    result = run_cli("reprocess", "--db", str(path))
    assert result.returncode == 0
    assert counts(result.stdout)["failed"] == 1
    assert "page 1 " in result.stderr
    assert snapshot(path) == snapshot(demo_crawl.db_path)
