"""Scheduling: cron expressions, due sites after downtime, one crawl per site at a time, the foreground loop."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from conftest import NEWSARCHIVE, ROOT, run_cli
from sqlite_utils import Database

from archive.locks import SiteLock
from crawler.cron import CronError, check_cron, latest_slot, next_slot
from crawler.demoweb.server import DemoServer
from crawler.scheduler import crontab_lines, due_sites
from crawler.sites import BUNDLED, load_site

TZ = datetime.now().astimezone().tzinfo


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def utc(text: str) -> str:
    return at(text).astimezone().isoformat()


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("61 * * * *", "not a valid cron expression"),
        ("* * * *", "has 4 fields"),
        ("0 0 * * * 2024", "has 6 fields"),
        ("0 0 31 2 *", "never run"),
        ("every day", "has 2 fields"),
    ],
)
def test_bad_cron_expressions_say_why(expr: str, message: str) -> None:
    with pytest.raises(CronError, match=message):
        check_cron(expr)


def test_slots() -> None:
    assert latest_slot("0 */6 * * *", at("2024-05-01T10:30:00")) == at("2024-05-01T06:00:00")
    assert latest_slot("30 10 * * *", at("2024-05-01T10:30:59")) == at("2024-05-01T10:30:00")
    assert next_slot("0 8,14,20 * * 1-5", at("2024-05-03T21:00:00")) == at("2024-05-06T08:00:00")


def test_a_missed_slot_after_downtime_runs_once() -> None:
    site = load_site("demo_portal")  # every six hours
    now = at("2024-05-04T10:00:00")
    three_days_down = {"demo_portal": utc("2024-05-01T00:10:00")}
    due = due_sites([site], three_days_down, now)
    assert [(s.name, slot) for s, slot in due] == [("demo_portal", at("2024-05-04T06:00:00"))]
    assert due_sites([site], {"demo_portal": utc("2024-05-04T06:00:05")}, now) == []
    assert [s.name for s, _ in due_sites([site], {}, now)] == ["demo_portal"]  # never crawled: now


def test_crontab_lines_run_the_same_crawls(tmp_path: Path) -> None:
    result = run_cli(
        "schedule", "--crontab", "--db", str(tmp_path / "a.db"), "--site", "demo_portal", "--site", "demo_daily"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("0 */6 * * * ")
    assert " -m archive crawl demo_portal --db " + str(tmp_path / "a.db") in lines[0]
    assert lines[1].startswith("30 7 * * * ")
    check_cron(" ".join(lines[1].split()[:5]))
    assert crontab_lines([load_site("demo_utility")], tmp_path / "a.db", [])[0].endswith(
        "newsarchive-demo_utility.log 2>&1"
    )


def test_a_malformed_schedule_is_refused_in_one_line(tmp_path: Path) -> None:
    text = (BUNDLED / "demo" / "demo_utility.toml").read_text(encoding="utf-8")
    (tmp_path / "demo_utility.toml").write_text(text.replace("0 8,14,20 * * *", "0 25 * * *"), encoding="utf-8")
    result = run_cli("schedule", "--sites-dir", str(tmp_path), "--db", str(tmp_path / "a.db"), "--once")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "demo_utility.toml: key 'schedule': '0 25 * * *' is not a valid cron expression" in lines[0]
    assert not (tmp_path / "a.db").exists()


def hold_lock(db: Path, site: str) -> subprocess.Popen[str]:
    code = (
        f"from archive.locks import SiteLock; import time; assert SiteLock({str(db)!r}, {site!r}).acquire();"
        " print('held', flush=True); time.sleep(600)"
    )
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def kill(holder: subprocess.Popen[str]) -> None:
    """Kill the holder without a word (SIGKILL), as a crash would."""
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    if holder.stdout:
        holder.stdout.close()


def test_two_crawls_of_one_site_never_run_at_once(demo_server: DemoServer, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    holder = hold_lock(db, "demo_utility")
    try:
        refused = run_cli("crawl", "demo_utility", "--db", str(db), proxy=demo_server.proxy)
        assert refused.returncode == 1
        assert f"demo_utility is already being crawled into {db} (pid {holder.pid} on" in refused.stderr
        assert "Traceback" not in refused.stderr
        other = run_cli("crawl", "demo_daily", "--db", str(db), proxy=demo_server.proxy)  # another site: fine
        assert other.returncode == 0, other.stderr
    finally:
        kill(holder)  # a holder that dies without a word releases the lock
    assert not SiteLock(db, "demo_utility").held_elsewhere()
    again = run_cli("crawl", "demo_utility", "--db", str(db), proxy=demo_server.proxy)
    assert again.returncode == 0, again.stderr
    assert Database(db).execute("SELECT site FROM runs ORDER BY id").fetchall() == [("demo_daily",), ("demo_utility",)]


def test_scrapy_crawl_respects_the_lock_too(demo_server: DemoServer, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    holder = hold_lock(db, "demo_utility")
    env = {**os.environ, "http_proxy": demo_server.proxy}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "site=demo_utility", "-s", f"ARCHIVE_DB={db}"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        kill(holder)
    assert "already being crawled" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists() or Database(db).execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_the_scheduler_starts_due_crawls_and_stops_cleanly(demo_server: DemoServer, tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    for name in ("demo_utility", "demo_daily"):
        text = (BUNDLED / "demo" / f"{name}.toml").read_text(encoding="utf-8")
        (sites / f"{name}.toml").write_text(
            text.replace('schedule = "', 'schedule = "* * * * *" # "', 1), encoding="utf-8"
        )
    db = tmp_path / "a.db"
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy",)} | {"http_proxy": demo_server.proxy}
    args = ["schedule", "--db", str(db), "--sites-dir", str(sites), "--site", "demo_utility", "--site", "demo_daily"]
    scheduler = subprocess.Popen(
        [*NEWSARCHIVE, *args, "--poll", "1"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if (
                db.exists()
                and Database(db).execute("SELECT count(*) FROM runs WHERE status = 'finished'").fetchone()[0] >= 2
            ):
                break
            time.sleep(0.5)
    finally:
        scheduler.send_signal(signal.SIGTERM)
        _, err = scheduler.communicate(timeout=120)
    assert scheduler.returncode == 0, err
    assert "Traceback" not in err
    runs = list(Database(db).query("SELECT site, started_at, finished_at, status FROM runs ORDER BY started_at"))
    assert {r["site"] for r in runs if r["status"] == "finished"} == {"demo_utility", "demo_daily"}
    for site in ("demo_utility", "demo_daily"):
        mine = [r for r in runs if r["site"] == site and r["finished_at"]]
        for earlier, later in itertools.pairwise(mine):
            assert earlier["finished_at"] <= later["started_at"], "two crawls of one site overlapped"
    assert "started demo_utility" in err


def test_schedule_once_runs_what_is_due_and_exits(demo_server: DemoServer, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    first = run_cli("schedule", "--once", "--db", str(db), "--site", "demo_utility", proxy=demo_server.proxy)
    assert first.returncode == 0, first.stderr
    assert Database(db).execute("SELECT site, status FROM runs").fetchall() == [("demo_utility", "finished")]
    second = run_cli("schedule", "--once", "--db", str(db), "--site", "demo_utility", proxy=demo_server.proxy)
    assert second.returncode == 0
    assert Database(db).execute("SELECT count(*) FROM runs").fetchone()[0] == 1  # not due again before its slot
