"""Crash safety: kill -9 a crawl at many moments, rerun it each time; nothing is lost, nothing doubled.

Also: a crawl stopped gracefully with --resume picks up from its Scrapy JOBDIR.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import DEMO_SITES, NEWSARCHIVE, ROOT, run_cli, scalar, write_locked
from sqlite_utils import Database

from crawler.demoweb.server import DemoServer
from crawler.demoweb.site import DemoSite
from crawler.demoweb.web import demo_web

SLOW = ("-s", "DOWNLOAD_DELAY=0.05", "-s", "ARCHIVE_BATCH_SIZE=5", "-s", "ARCHIVE_BATCH_SECONDS=30")


@pytest.fixture
def web() -> Iterator[tuple[DemoServer, dict[str, DemoSite]]]:
    sites = demo_web()
    server = DemoServer(sites)
    server.start()
    yield server, sites
    server.stop()


def start(db: Path, proxy: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k.lower() != "no_proxy"} | {"http_proxy": proxy}
    command = [*NEWSARCHIVE, "crawl", *DEMO_SITES, "--db", str(db), *SLOW, *extra]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def moments(db: Path, server: DemoServer) -> list[tuple[str, Callable[[int, int], bool]]]:
    """(name, trigger(requests so far in this attempt, pages stored before it)) pairs."""
    running = "SELECT count(*) FROM runs WHERE status = 'running' AND site = '{}'"
    return [
        ("a run has just been recorded", lambda asked, pages: scalar(db, running.format("demo_utility")) > 0),
        ("fetching the first pages", lambda asked, pages: asked >= 3),
        ("inside an open write batch", lambda asked, pages: write_locked(db)),
        (
            "just after a batch committed",  # while the run goes on: a small crawl's only commit is at its end
            lambda asked, pages: (
                scalar(db, "SELECT count(*) FROM pages") > pages and scalar(db, running.format("demo_utility")) > 0
            ),
        ),
        ("crawling the second site", lambda asked, pages: scalar(db, running.format("demo_portal")) > 0),
        ("crawling the third site", lambda asked, pages: scalar(db, running.format("demo_daily")) > 0),
    ]


@pytest.mark.slow
def test_kill_9_at_six_moments_loses_and_doubles_nothing(
    web: tuple[DemoServer, dict[str, DemoSite]], tmp_path: Path
) -> None:
    server, sites = web
    db = tmp_path / "a.db"
    hit: list[str] = []
    killed_runs: set[int] = set()
    for name, trigger in moments(db, server):
        seen, pages = len(server.log), scalar(db, "SELECT count(*) FROM pages")
        crawl = start(db, server.proxy)
        deadline = time.monotonic() + 120
        while crawl.poll() is None and time.monotonic() < deadline:
            if trigger(len(server.log) - seen, pages):
                os.kill(crawl.pid, signal.SIGKILL)
                hit.append(name)
                break
            time.sleep(0.005)
        crawl.wait()
        if crawl.returncode == -signal.SIGKILL:  # the runs the dead process left 'running'
            killed_runs |= {r[0] for r in Database(db).execute("SELECT id FROM runs WHERE status = 'running'")}
    assert len(hit) >= 5, hit
    assert len(killed_runs) >= 5, killed_runs
    final = run_cli("crawl", *DEMO_SITES, "--db", str(db), proxy=server.proxy)
    assert final.returncode == 0, final.stderr
    archive = Database(db)
    assert archive.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for name, site in sites.items():
        urls = [
            r[0] for r in archive.execute("SELECT url FROM sightings WHERE site = ? AND kind != 'contained'", [name])
        ]
        assert sorted(urls) == sorted(site.origin + p for p in site.paths), name  # each exactly once
    pages = archive.execute("SELECT count(*), count(DISTINCT url) FROM pages WHERE part_of IS NULL").fetchone()
    assert pages[0] == pages[1] == sum(len(s.paths) for s in sites.values())
    assert archive.execute("SELECT count(*) FROM articles").fetchone()[0] == len(
        {r[0] for r in archive.execute("SELECT article_id FROM sightings")}
    )
    statuses = [r[0] for r in archive.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses[-3:] == ["finished"] * 3
    assert "running" not in statuses
    marked = dict(archive.execute("SELECT id, status FROM runs").fetchall())
    assert {marked[i] for i in killed_runs} == {"interrupted"}  # marked when the next crawl started


@pytest.mark.slow
def test_a_paused_crawl_resumes(web: tuple[DemoServer, dict[str, DemoSite]], tmp_path: Path) -> None:
    server, sites = web
    db = tmp_path / "a.db"
    jobs = tmp_path / "a.db.jobs"
    env = {k: v for k, v in os.environ.items() if k.lower() != "no_proxy"} | {"http_proxy": server.proxy}
    command = [*NEWSARCHIVE, "crawl", "demo_portal", "--db", str(db), "--resume", "-s", "DOWNLOAD_DELAY=0.2"]
    crawl = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = len(server.log)
    while len(server.log) - seen < 10 and crawl.poll() is None:
        time.sleep(0.01)
    crawl.send_signal(signal.SIGINT)  # once: Scrapy stops gracefully and keeps its queue in the JOBDIR
    assert crawl.wait(timeout=120) == 1
    assert Database(db).execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    assert (jobs / "demo_portal").is_dir()
    again = run_cli("crawl", "demo_portal", "--db", str(db), "--resume", proxy=server.proxy)
    assert again.returncode == 0, again.stderr
    portal = sites["demo_portal"]
    urls = [r[0] for r in Database(db).execute("SELECT url FROM sightings")]
    assert sorted(urls) == sorted(portal.origin + p for p in portal.paths)
    assert not (jobs / "demo_portal").exists()  # finished: nothing left to resume
