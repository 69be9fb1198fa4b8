"""Scale-out: two worker processes and the ingester on a real redis-server store what one crawl stores.

Also: a worker SIGKILLed mid-crawl, an ingester SIGKILLed mid-batch and a Redis restart lose nothing.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import DEMO_SITES, NEWSARCHIVE, ROOT, Crawl, run_cli
from redisserver import RedisServer
from sqlite_utils import Database

from crawler.demoweb.server import DemoServer
from crawler.demoweb.site import DemoSite

FAST = ("-s", "REDIS_HEARTBEAT_SECONDS=0.5", "-s", "REDIS_WORKER_TIMEOUT=3")


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def start(*args: str, proxy: str = "", log: Path | None = None) -> subprocess.Popen[bytes]:
    """`newsarchive ARGS` in the background."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "no_proxy")}
    if proxy:
        env["http_proxy"] = proxy
    if log is None:
        return subprocess.Popen([*NEWSARCHIVE, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with log.open("ab") as out:
        return subprocess.Popen([*NEWSARCHIVE, *args], cwd=ROOT, env=env, stdout=out, stderr=out)


def worker(redis: RedisServer, proxy: str, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    return start("crawl", *DEMO_SITES, "--redis", redis.url, *FAST, *extra, proxy=proxy, log=log)


def ingester(redis: RedisServer, db: Path, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    return start("ingest", "--redis", redis.url, "--db", str(db), "-v", *extra, log=log)


def wait_until(condition: Callable[[], bool], seconds: float = 180, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def query(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=5)
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def runs_ended(db: Path) -> int:
    return query(db, "SELECT count(*) FROM runs WHERE status NOT IN ('running')")


def seeded(redis: RedisServer) -> bool:
    return bool(redis.client().exists("newsarchive:known:meta"))


def assert_same_archive(db: Path, reference: Crawl) -> None:
    """The same articles as the single-process crawl, each page and sighting once."""
    got, want = Database(db), reference.db
    articles = "SELECT site, title, content_hash FROM articles ORDER BY site, content_hash, title"
    assert got.execute(articles).fetchall() == want.execute(articles).fetchall()
    sightings = "SELECT url, site FROM sightings ORDER BY url"
    assert got.execute(sightings).fetchall() == want.execute(sightings).fetchall()
    pages = "SELECT count(*), count(DISTINCT url) FROM pages WHERE part_of IS NULL"
    assert got.execute(pages).fetchone() == want.execute(pages).fetchone()
    facts = "SELECT count(*) FROM facts"
    assert got.execute(facts).fetchone() == want.execute(facts).fetchone()
    assert got.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def article_fetches(server: DemoServer, sites: dict[str, DemoSite], since: int) -> Counter[str]:
    """How often each article page was requested from the demo web since the log had `since` entries."""
    articles = {(site.origin.split("//")[1], path) for site in sites.values() for path in site.paths}
    return Counter(f"{h}{p}" for h, p in server.log[since:] if (h, p) in articles)


@pytest.mark.slow
def test_two_workers_and_the_ingester_store_what_one_crawl_stores(
    demo_server: DemoServer,
    demo_sites: dict[str, DemoSite],
    demo_crawl: Crawl,
    redis_server: RedisServer,
    tmp_path: Path,
) -> None:
    db, since = tmp_path / "shared.db", len(demo_server.log)
    ingest = ingester(redis_server, db, tmp_path / "ingest.log")
    try:
        wait_until(lambda: seeded(redis_server), 60, "the ingester to seed the known-URL filter")
        workers = [worker(redis_server, demo_server.proxy, tmp_path / f"w{i}.log") for i in (1, 2)]
        assert [w.wait(timeout=300) for w in workers] == [0, 0], (tmp_path / "w1.log").read_text()[-3000:]
        wait_until(lambda: runs_ended(db) == len(DEMO_SITES), 120, "every run to end")
    finally:
        ingest.send_signal(signal.SIGTERM)
        assert ingest.wait(timeout=60) == 0, (tmp_path / "ingest.log").read_text()[-3000:]
    assert_same_archive(db, demo_crawl)
    fetched = article_fetches(demo_server, demo_sites, since)
    assert set(fetched.values()) == {1}  # every article page fetched once, by one worker or the other
    runs = Database(db).execute("SELECT site, status, stats FROM runs ORDER BY id").fetchall()
    assert [(site, status) for site, status, _ in runs] == [(s, "finished") for s in DEMO_SITES]
    logs = [(tmp_path / f"w{i}.log").read_text() for i in (1, 2)]
    assert all("Traceback" not in log for log in logs)
