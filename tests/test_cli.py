"""The command line: help everywhere, the read commands, and one clear line for every user error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Crawl, run_cli

from archive.cli import cli
from crawler.demoweb.server import DemoServer

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def assert_one_line_error(result: object, *needles: str) -> None:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.returncode != 0  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    for needle in needles:
        assert needle in lines[0]


def test_unknown_site(tmp_path: Path) -> None:
    assert_one_line_error(
        run_cli("crawl", "no_such_site", "--db", str(tmp_path / "a.db")), "unknown site 'no_such_site'"
    )


def test_malformed_definition_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text('base_url = "http://x.test/"\nstart_url = ["/"]\n[links]\narticle = ["x"]\n')
    result = run_cli("crawl", "broken", "--sites-dir", str(tmp_path), "--db", str(tmp_path / "a.db"))
    assert_one_line_error(result, "broken.toml", "unknown key 'start_url'")


def test_unwritable_db_path(tmp_path: Path) -> None:
    assert_one_line_error(
        run_cli("crawl", "demo_utility", "--db", str(tmp_path / "missing" / "a.db")), "does not exist"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    assert_one_line_error(run_cli("crawl", "demo_utility", "--db", str(folder / "a.db")), "cannot open archive")


def test_db_that_is_not_sqlite(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 50)
    before = bogus.read_bytes()
    assert_one_line_error(run_cli("crawl", "demo_utility", "--db", str(bogus)), "is not a newsarchive SQLite archive")
    assert_one_line_error(run_cli("runs", "--db", str(bogus)), "is not a newsarchive SQLite archive")
    assert bogus.read_bytes() == before


def test_read_commands_on_a_missing_archive(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("stats", "--db", str(tmp_path / "none.db")), "no archive at")
    assert not (tmp_path / "none.db").exists()


def test_runs_and_stats_read_the_archive(demo_crawl: Crawl) -> None:
    runs = run_cli("runs", "--db", str(demo_crawl.db_path), "--format", "json")
    rows = [json.loads(line) for line in runs.stdout.splitlines()]
    assert {r["site"] for r in rows} == {"demo_utility", "demo_portal", "demo_daily"}
    assert all(r["status"] == "finished" and r["pages"] > 0 for r in rows)
    stats = run_cli("stats", "--db", str(demo_crawl.db_path))
    assert stats.returncode == 0
    assert "demo_daily" in stats.stdout
    assert "articles" in stats.stdout


def test_extract_prints_one_json_line_per_file(tmp_path: Path, demo_server: DemoServer) -> None:
    page = demo_server.answer("www.dlzx.test", next(iter(demo_server.by_host["www.dlzx.test"].paths)))
    (tmp_path / "a.html").write_bytes(page.body)
    (tmp_path / "b.html").write_bytes(b"\x00\x01binary")
    result = run_cli("extract", str(tmp_path / "a.html"), str(tmp_path / "b.html"))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(x["file"]).name for x in lines] == ["a.html", "b.html"]
    for key in ("title", "published_at", "author", "source", "body", "facts", "elapsed_ms"):
        assert key in lines[0]
    assert lines[0]["is_article"]
    assert lines[0]["title"]
    assert not lines[1]["is_article"]


def test_extract_reports_a_missing_file_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "ok.html").write_text("<html><body><h1>标题</h1><p>正文</p></body></html>", encoding="utf-8")
    result = run_cli("extract", str(tmp_path / "gone.html"), str(tmp_path / "ok.html"))
    assert result.returncode == 1
    assert "cannot read" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_demo_command_crawls_and_a_rerun_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    first = run_cli("demo", "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "demo_portal" in first.stdout
    assert "finished" in first.stdout
    from sqlite_utils import Database

    count = "SELECT (SELECT count(*) FROM pages) + (SELECT count(*) FROM articles) + (SELECT count(*) FROM sightings)"
    before = Database(db).execute(count).fetchone()[0]
    assert before > 0
    second = run_cli("demo", "--db", str(db))
    assert second.returncode == 0, second.stderr
    assert Database(db).execute(count).fetchone()[0] == before


@pytest.mark.parametrize("value", ["1.5", "often"])
def test_a_bad_dedupe_threshold_is_refused_before_crawling(tmp_path: Path, value: str) -> None:
    result = run_cli("crawl", "demo_utility", "--db", str(tmp_path / "a.db"), "-s", f"DEDUPE_NEAR_THRESHOLD={value}")
    assert_one_line_error(result, "bad setting")
