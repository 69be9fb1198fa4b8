"""The archive: migrations, batched writes, idempotent saves, run lifecycle, all on real SQLite files."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.compression import ZSTD_MAGIC, compress_body, decompress_body
from archive.db import ArchiveError, now, open_archive, open_reader
from archive.rawpages import stored_pages
from archive.records import find_article, record_article, record_dropped
from archive.schema import migrations
from crawler.items import ArticleItem, PageItem
from pipelines.clean import content_hash


def page(url: str = "http://www.dlzx.test/news/1.html", body: bytes = b"<html>page</html>") -> PageItem:
    return PageItem(
        url=url,
        final_url=url,
        site="demo_portal",
        status=200,
        headers={"Content-Type": "text/html; charset=gbk", "ETag": '"abc"'},
        body=body,
        fetched_at="2024-01-01T00:00:00+00:00",
    )


def article(url: str = "http://www.dlzx.test/news/1.html", body: str = "正文第一段。\n正文第二段。") -> ArticleItem:
    return ArticleItem(
        page=page(url, body.encode("gbk")),
        url=url,
        site="demo_portal",
        title="标题",
        published_at="2024-01-01T08:00:00+08:00",
        authors=["李明"],
        body=body,
        content_hash=content_hash(body),
    )


def test_schema_is_created_once_and_reopening_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    open_archive(path).close()
    applied = open_reader(path).execute("SELECT name, applied_at FROM _sqlite_migrations").fetchall()
    open_archive(path).close()
    db = open_reader(path)
    assert {"runs", "pages", "articles", "sightings", "facts"} <= set(db.table_names())
    assert migrations.pending(db) == []
    assert db.execute("SELECT name, applied_at FROM _sqlite_migrations").fetchall() == applied
    names = [row[0] for row in db.execute("SELECT name FROM _sqlite_migrations")]
    assert len(names) == len(set(names))
    assert not migrations.pending(db)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_record_article_stores_page_article_and_sighting(tmp_path: Path) -> None:
    archive = open_archive(tmp_path / "a.db")
    with archive.batch():
        recorded = record_article(archive.db, article(), run_id=None)
    archive.close()
    db = open_reader(tmp_path / "a.db")
    assert recorded.new_article
    assert recorded.new_sighting
    row = db.execute("SELECT title, author, page_id FROM articles").fetchone()
    assert row[0] == "标题"
    assert json.loads(row[1]) == ["李明"]
    stored = db.execute("SELECT body, etag, outcome FROM pages WHERE id = ?", [row[2]]).fetchone()
    assert decompress_body(stored[0]).decode("gbk").startswith("正文第一段")
    assert stored[1:] == ('"abc"', "article")


def test_page_bodies_are_zstandard_frames_and_older_zlib_bodies_still_read(tmp_path: Path) -> None:
    archive = open_archive(tmp_path / "a.db")
    item = article()
    with archive.batch():
        record_article(archive.db, item, run_id=None)
    raw = item.page.body
    stored = archive.db.execute("SELECT body FROM pages").fetchone()[0]
    assert stored.startswith(ZSTD_MAGIC)
    assert zstandard.ZstdDecompressor().decompress(stored) == raw  # any zstd tool reads it
    with archive.batch():  # as an archive written before Zstandard holds it
        archive.db.execute("UPDATE pages SET body = ?", [zlib.compress(raw, 6)])
    assert [p.body for _, p in stored_pages(archive.db)] == [raw]
    archive.close()


def test_bodies_read_back_in_any_order_and_on_any_thread() -> None:
    bodies = [f"<p>第{n}段 {'供电服务' * n}</p>".encode() for n in range(1, 40)]
    stored = [compress_body(body, level) for body, level in zip(bodies, [1, 3, 9] * 13, strict=True)]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(decompress_body, stored)) == bodies
    assert [decompress_body(s) for s in reversed(stored)] == bodies[::-1]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(alphabet="电网供电局满意度连续第一年。，", min_size=1, max_size=200), times=st.integers(2, 4))
def test_saving_the_same_article_again_adds_nothing(tmp_path: Path, body: str, times: int) -> None:
    path = tmp_path / f"{abs(hash((body, times)))}.db"
    archive = open_archive(path)
    for _ in range(times):
        with archive.batch():
            item = article(body=body)
            item.sighting = "url" if find_article(archive.db, url=item.url) else "original"
            record_article(archive.db, item, run_id=None)
    counts = archive.db.execute(
        "SELECT (SELECT count(*) FROM pages), (SELECT count(*) FROM articles), (SELECT count(*) FROM sightings)"
    ).fetchone()
    archive.close()
    assert counts == (1, 1, 1)


def test_an_edited_article_is_updated_in_place(tmp_path: Path) -> None:
    archive = open_archive(tmp_path / "a.db")
    with archive.batch():
        record_article(archive.db, article(body="旧的正文内容。"), run_id=None)
    edited = article(body="更新后的正文内容。")
    edited.sighting = "url"
    with archive.batch():
        recorded = record_article(archive.db, edited, run_id=None)
    assert recorded.updated
    assert not recorded.new_article
    assert archive.db.execute("SELECT body FROM articles").fetchall() == [("更新后的正文内容。",)]
    assert archive.db.execute("SELECT count(*) FROM pages").fetchone()[0] == 2
    archive.close()


def test_dropped_pages_are_kept_with_their_reason(tmp_path: Path) -> None:
    archive = open_archive(tmp_path / "a.db")
    with archive.batch():
        record_dropped(archive.db, page(body=b"\x00binary"), None, "NotAnArticle")
    archive.close()
    row = open_reader(tmp_path / "a.db").execute("SELECT outcome, reason FROM pages").fetchone()
    assert row == ("dropped", "NotAnArticle")


def test_a_failed_batch_rolls_back_whole(tmp_path: Path) -> None:
    archive = open_archive(tmp_path / "a.db", batch_size=100)
    with archive.batch():
        record_article(archive.db, article("http://www.dlzx.test/news/1.html"), None)

    def write_then_fail() -> None:
        with archive.batch():
            record_article(archive.db, article("http://www.dlzx.test/news/2.html", "另一篇文章的正文。"), None)
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_then_fail()
    archive.close()
    assert open_reader(tmp_path / "a.db").execute("SELECT count(*) FROM articles").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("size", "seconds", "committed"),
    [(2, 3600.0, [False, True]), (100, 0.0, [True, True]), (100, 3600.0, [False, False])],
    ids=["full", "open-too-long", "neither"],
)
def test_a_batch_commits_when_full_or_open_for_its_seconds(
    tmp_path: Path, size: int, seconds: float, committed: list[bool]
) -> None:
    archive = open_archive(tmp_path / "a.db", batch_size=size, batch_seconds=seconds)
    after = []
    for n in (1, 2):
        with archive.batch():
            record_article(archive.db, article(f"http://www.dlzx.test/news/{n}.html", f"第{n}篇文章的正文。"), None)
        after.append(not archive.db.conn.in_transaction)
    archive.close()
    assert after == committed


def test_runs_of_dead_processes_are_marked_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    code = (
        f"from archive.db import open_archive; a = open_archive({str(path)!r}); a.start_run('demo_portal');"
        " import os; os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)
    archive = open_archive(path)
    run_id = archive.start_run("demo_daily")
    statuses = dict(archive.db.execute("SELECT site, status FROM runs").fetchall())
    assert statuses == {"demo_portal": "interrupted", "demo_daily": "running"}
    archive.finish_run(run_id, "finished", "finished", {"x": 1})
    archive.close()


def test_crawlers_in_one_process_share_one_writer(tmp_path: Path) -> None:
    first, second = open_archive(tmp_path / "a.db"), open_archive(tmp_path / "a.db")
    assert first is second
    first.close()
    with second.batch():  # still open for its second user
        record_article(second.db, article(), None)
    second.close()
    assert (tmp_path / "a.db").exists()


def test_reader_refuses_a_foreign_sqlite_file(tmp_path: Path) -> None:
    import sqlite3

    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(ArchiveError, match="not a newsarchive archive"):
        open_reader(tmp_path / "other.db")


def test_now_is_the_current_second_in_utc() -> None:
    for _ in range(3):
        before = datetime.now(UTC).replace(microsecond=0)
        stamp = now()
        after = datetime.now(UTC)
        assert before <= datetime.fromisoformat(stamp) <= after
        assert stamp.endswith("+00:00")
        assert "." not in stamp
