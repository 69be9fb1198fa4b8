"""The chaos site: a server that injects faults; a crawl finishes, lands every good page and names every fault."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli
from sqlite_utils import Database

from crawler.demoweb.chaos import ChaosSite
from crawler.demoweb.server import DemoServer
from crawler.demoweb.web import chaos_web
from crawler.faults import fault_name, looks_binary
from crawler.retryafter import retry_after_seconds


@pytest.fixture(scope="module")
def chaos() -> Iterator[tuple[DemoServer, ChaosSite]]:
    web = chaos_web()
    server = DemoServer(web)
    server.start()
    yield server, web["demo_chaos"]  # type: ignore[misc]
    server.stop()


@pytest.fixture(scope="module")
def chaos_crawl(chaos: tuple[DemoServer, ChaosSite], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("chaos") / "chaos.db"
    result = run_cli("crawl", "demo_chaos", "--db", str(db), "-v", proxy=chaos[0].proxy)
    assert result.returncode == 0, result.stderr[-3000:]
    return db, result.stderr


def stats_of(db: Path) -> dict:
    return json.loads(Database(db).execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])


def test_the_crawl_finishes_without_a_traceback(chaos_crawl: tuple[Path, str]) -> None:
    db, log = chaos_crawl
    assert "Traceback" not in log
    assert Database(db).execute("SELECT status FROM runs").fetchall() == [("finished",)]


def test_every_good_page_lands(chaos_crawl: tuple[Path, str], chaos: tuple[DemoServer, ChaosSite]) -> None:
    db, site = chaos_crawl[0], chaos[1]
    stored = {r[0] for r in Database(db).execute("SELECT url FROM sightings")}
    assert stored == {site.origin + p for p in site.good_paths()}
    titles = dict(Database(db).execute("SELECT url, title FROM articles").fetchall())
    for path in site.good_paths():
        assert titles[site.origin + path] == site.paths[path].title, site.faults.get(path)


def test_each_fault_is_counted_under_its_own_name(chaos_crawl: tuple[Path, str]) -> None:
    stats = stats_of(chaos_crawl[0])
    for name in ("http_503", "http_429", "http_500", "timeout", "truncated", "connection_reset"):
        assert stats[f"fault/{name}"] >= 1, name
    assert stats["fault/too_large"] == 1
    assert stats["fault/binary_body"] == 1
    assert stats["fault/redirect_loop"] == 1
    assert stats["item_dropped_reasons_count/ErrorPage"] == 1  # the 404 page served with 200
    assert stats["extract/charset_header_wrong"] == 1
    assert stats["retry_after/waited"] >= 2  # 429 and 503 both asked for a wait, and got it
    assert stats["news/lost/too_large"] == 1


def test_the_traps_are_cut_by_the_site_limits(
    chaos_crawl: tuple[Path, str], chaos: tuple[DemoServer, ChaosSite]
) -> None:
    stats = stats_of(chaos_crawl[0])
    assert stats["limits/max_depth"] >= 1
    assert stats["limits/max_list_pages"] >= 1
    asked = chaos[0].requested("www.chaos.test")
    endless = [p for p in asked if p.startswith("/node_900_")]
    calendar = [p for p in asked if p.startswith("/calendar/")]
    assert len(endless) == 5  # [pagination] max_pages
    assert 0 < len(calendar) <= 1 + 2 + 2  # depth 1, 2 and 3 of a calendar linking both ways


def test_runs_table_shows_errors_by_kind(chaos_crawl: tuple[Path, str]) -> None:
    result = run_cli("runs", "--db", str(chaos_crawl[0]), "--format", "json")
    row = json.loads(result.stdout.splitlines()[0])
    assert row["errors_by_kind"]["timeout"] >= 1
    assert row["responses"]["503"] >= 1
    assert row["dropped_by_reason"] == {"ErrorPage": 1, "NotAnArticle": 1}
    table = run_cli("runs", "--db", str(chaos_crawl[0]))
    assert "503:1" in table.stdout


def test_pages_per_run_cut_a_crawl_short_and_the_next_run_goes_on(
    chaos: tuple[DemoServer, ChaosSite], tmp_path: Path
) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    from crawler.sites import BUNDLED

    text = (
        (BUNDLED / "demo" / "demo_chaos.toml").read_text(encoding="utf-8").replace("max_pages = 200", "max_pages = 8")
    )
    (sites / "demo_chaos.toml").write_text(text, encoding="utf-8")
    db = tmp_path / "a.db"
    args = ("crawl", "demo_chaos", "--db", str(db), "--sites-dir", str(sites))
    first = run_cli(*args, proxy=chaos[0].proxy)
    assert first.returncode == 0, first.stderr
    assert stats_of(db)["finish_reason"] == "closespider_pagecount"
    stored = Database(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    assert stored < len(chaos[1].good_paths())
    for _ in range(6):
        run_cli(*args, proxy=chaos[0].proxy)
    assert Database(db).execute("SELECT count(*) FROM articles").fetchone()[0] == len(chaos[1].good_paths())


def test_fault_names_and_helpers() -> None:
    from scrapy.exceptions import DownloadTimeoutError, ResponseDataLossError

    assert fault_name(DownloadTimeoutError()) == "timeout"
    assert fault_name(ResponseDataLossError()) == "truncated"
    assert fault_name(ValueError()) == "ValueError"
    assert looks_binary(b"\x89PNG\r\n")
    assert not looks_binary("<html>电网</html>".encode())
    assert retry_after_seconds("5") == 5.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
