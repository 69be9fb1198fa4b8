"""Scale-out: two worker processes and the ingester on a real redis-server store what one crawl stores.

Also: a worker SIGKILLed mid-crawl, an ingester SIGKILLed mid-batch and a Redis restart lose nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DEMO_SITES, NEWSARCHIVE, ROOT, Crawl, run_cli, scalar, write_locked
from redisserver import RedisServer
from sqlite_utils import Database

from crawler.demoweb.server import DemoServer
from crawler.demoweb.site import DemoSite

FAST = ("-s", "REDIS_HEARTBEAT_SECONDS=0.5", "-s", "REDIS_WORKER_TIMEOUT=3")


def start(*args: str, proxy: str = "", log: Path | None = None) -> subprocess.Popen[bytes]:
    """`newsarchive ARGS` in the background."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "no_proxy")}
    if proxy:
        env["http_proxy"] = proxy
    if log is None:
        quiet = subprocess.DEVNULL
        return subprocess.Popen([*NEWSARCHIVE, *args], cwd=ROOT, env=env, stdout=quiet, stderr=quiet)
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


def runs_ended(db: Path) -> int:
    return scalar(db, "SELECT count(*) FROM runs WHERE status NOT IN ('running')")


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


def leases_of(redis: RedisServer, pid: int) -> int:
    """Requests the worker process `pid` holds leased right now."""
    client = redis.client()
    return sum(int(client.hlen(key)) for key in client.scan_iter(f"newsarchive:*:leased:*:{pid}:*"))


@pytest.mark.slow
def test_a_worker_killed_mid_crawl_loses_no_request(
    demo_server: DemoServer, demo_crawl: Crawl, redis_server: RedisServer, tmp_path: Path
) -> None:
    db = tmp_path / "shared.db"
    ingest = ingester(redis_server, db, tmp_path / "ingest.log")
    slow = ("-s", "DOWNLOAD_DELAY=0.05", "-s", "AUTOTHROTTLE_ENABLED=False")
    try:
        wait_until(lambda: seeded(redis_server), 60, "the seed")
        survivor = worker(redis_server, demo_server.proxy, tmp_path / "w1.log", *slow)
        victim = worker(redis_server, demo_server.proxy, tmp_path / "w2.log", *slow)
        # kill it while it holds leases, once some pages are already through
        holding = lambda: leases_of(redis_server, victim.pid) > 0 and scalar(db, "SELECT count(*) FROM pages") > 3  # noqa: E731
        wait_until(holding, 120, "the worker to hold leases")
        held = leases_of(redis_server, victim.pid)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        assert survivor.wait(timeout=300) == 0, (tmp_path / "w1.log").read_text()[-3000:]
        wait_until(lambda: runs_ended(db) == len(DEMO_SITES), 120, "every run to end")
    finally:
        ingest.send_signal(signal.SIGTERM)
        assert ingest.wait(timeout=60) == 0, (tmp_path / "ingest.log").read_text()[-3000:]
    assert held > 0
    assert_same_archive(db, demo_crawl)
    statuses = Database(db).execute("SELECT status, stats FROM runs").fetchall()
    assert {status for status, _ in statuses} == {"finished"}
    assert any('"redis/workers_lost": 1' in stats for _, stats in statuses)


@pytest.mark.slow
def test_an_ingester_killed_mid_batch_loses_no_item(
    demo_server: DemoServer, demo_crawl: Crawl, redis_server: RedisServer, tmp_path: Path
) -> None:
    db = tmp_path / "shared.db"
    seeded_now = run_cli("seed", "--redis", redis_server.url, "--db", str(db))
    assert seeded_now.returncode == 0, seeded_now.stderr
    workers = [worker(redis_server, demo_server.proxy, tmp_path / f"w{i}.log") for i in (1, 2)]
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    client = redis_server.client()
    entries = client.xlen("newsarchive:items")
    pages = "SELECT count(*) FROM pages"
    ingest = ingester(redis_server, db, tmp_path / "ingest.log", "-s", "REDIS_INGEST_BATCH=3")
    wait_until(lambda: (scalar(db, pages) > 0 and write_locked(db)) or ingest.poll() is not None, 120, "a batch")
    os.kill(ingest.pid, signal.SIGKILL)
    ingest.wait()
    assert client.xpending("newsarchive:items", "ingest")["pending"] > 0  # read, never acknowledged
    assert 0 < client.xlen("newsarchive:items") < entries
    final = run_cli("ingest", "--redis", redis_server.url, "--db", str(db), "--drain")
    assert final.returncode == 0, final.stderr
    assert client.xlen("newsarchive:items") == 0
    assert_same_archive(db, demo_crawl)
    statuses = [r[0] for r in Database(db).execute("SELECT status FROM runs")]
    assert statuses == ["finished"] * len(DEMO_SITES)


@pytest.mark.slow
def test_a_redis_restart_mid_crawl_is_survived(demo_server: DemoServer, demo_crawl: Crawl, tmp_path: Path) -> None:
    redis = RedisServer(tmp_path, durable=True)  # as in production: an append-only file keeps the crawl
    redis.start()
    db = tmp_path / "shared.db"
    slow = ("-s", "DOWNLOAD_DELAY=0.1", "-s", "AUTOTHROTTLE_ENABLED=False")
    ingest = ingester(redis, db, tmp_path / "ingest.log")
    try:
        wait_until(lambda: seeded(redis), 60, "the seed")
        workers = [worker(redis, demo_server.proxy, tmp_path / f"w{i}.log", *slow) for i in (1, 2)]
        wait_until(lambda: scalar(db, "SELECT count(*) FROM pages") > 5, 120, "a few pages")
        assert all(w.poll() is None for w in workers)  # mid-crawl
        redis.restart()
        assert [w.wait(timeout=300) for w in workers] == [0, 0], (tmp_path / "w1.log").read_text()[-3000:]
        wait_until(lambda: runs_ended(db) == len(DEMO_SITES), 120, "every run to end")
    finally:
        ingest.send_signal(signal.SIGTERM)
        ingest.wait(timeout=60)
        redis.stop()
    assert ingest.returncode == 0, (tmp_path / "ingest.log").read_text()[-3000:]
    assert_same_archive(db, demo_crawl)


def test_an_unreachable_redis_is_one_line(tmp_path: Path) -> None:
    url = f"redis://127.0.0.1:{RedisServer(tmp_path).port}/0"  # a free port: nothing listens there
    for args in (("crawl", "demo_portal", "--redis", url), ("ingest", "--redis", url, "--db", str(tmp_path / "a.db"))):
        result = run_cli(*args)
        assert result.returncode == 1
        assert result.stderr.startswith(f"error: cannot reach Redis at {url}")
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "a.db").exists()


def test_workers_wait_for_the_known_urls(redis_server: RedisServer) -> None:
    result = run_cli("crawl", "demo_portal", "--redis", redis_server.url)
    assert result.returncode == 1
    assert "no known-URL filter yet" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_entries_committed_but_not_acknowledged_are_not_stored_twice(
    demo_server: DemoServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    from archive.db import open_archive
    from archive.ingester import Ingester, IngestOptions
    from crawler.distributed.connection import Keys
    from crawler.runner import project_settings
    from pipelines.offline import Stages

    db = tmp_path / "shared.db"
    assert run_cli("seed", "--redis", redis_server.url, "--db", str(db)).returncode == 0
    crawl = worker(redis_server, demo_server.proxy, tmp_path / "w.log")
    assert crawl.wait(timeout=300) == 0
    client = redis_server.client()
    stages = Stages.from_settings(project_settings())
    archive = open_archive(db, batch_size=10**9, batch_seconds=1e9)
    first = Ingester(archive, client, Keys(), stages, IngestOptions(batch=10))
    first.setup()
    first.store(first.read())  # committed; the process "dies" before acknowledging
    archive.close()
    assert client.xpending("newsarchive:items", "ingest")["pending"] == 10
    again = run_cli("ingest", "--redis", redis_server.url, "--db", str(db), "--drain")
    assert again.returncode == 0, again.stderr
    pages = client.xinfo_stream("newsarchive:items")["entries-added"]
    stats = [json.loads(r[0]) for r in Database(db).execute("SELECT stats FROM runs")]
    joins_and_ends = 2 * len(DEMO_SITES) + len(DEMO_SITES)  # join, end and done per site
    assert sum(s.get("extract/pages", 0) for s in stats) == pages - joins_and_ends  # each page counted once
    assert Database(db).execute("SELECT count(*) FROM pages").fetchone()[0] > 0


@pytest.mark.slow
def test_a_second_distributed_crawl_fetches_only_what_is_new(
    demo_server: DemoServer, demo_sites: dict[str, DemoSite], redis_server: RedisServer, tmp_path: Path
) -> None:
    db = tmp_path / "shared.db"
    ingest = ingester(redis_server, db, tmp_path / "ingest.log")
    linger = ("-s", "REDIS_CRAWL_LINGER=1")
    try:
        wait_until(lambda: seeded(redis_server), 60, "the seed")
        first = [worker(redis_server, demo_server.proxy, tmp_path / f"a{i}.log", *linger) for i in (1, 2)]
        assert [w.wait(timeout=300) for w in first] == [0, 0]
        wait_until(lambda: runs_ended(db) == len(DEMO_SITES), 120, "the first crawl's runs")
        wait_until(lambda: scalar(db, "SELECT count(*) FROM ingest_crawls WHERE published = 1") == 3, 60, "publish")
        time.sleep(1.5)  # past the linger: the next workers start a new crawl
        since = len(demo_server.log)
        second = [worker(redis_server, demo_server.proxy, tmp_path / f"b{i}.log", *linger) for i in (1, 2)]
        assert [w.wait(timeout=300) for w in second] == [0, 0]
        wait_until(lambda: runs_ended(db) == 2 * len(DEMO_SITES), 120, "the second crawl's runs")
    finally:
        ingest.send_signal(signal.SIGTERM)
        assert ingest.wait(timeout=60) == 0, (tmp_path / "ingest.log").read_text()[-3000:]
    assert not article_fetches(demo_server, demo_sites, since)  # every article was known from the first crawl
    rows = Database(db).execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 3").fetchall()
    stats = [json.loads(row[0]) for row in rows]
    assert all(s.get("archive/articles_new", 0) == 0 for s in stats)
    assert sum(s.get("incremental/not_modified", 0) for s in stats) > 0  # the lists answered 304
    trusted = redis_server.client().hgetall("newsarchive:trusted")
    assert trusted == {site.encode(): b"1" for site in DEMO_SITES}


@pytest.mark.slow
def test_a_crawl_whose_only_worker_died_is_finished_by_the_next(
    demo_server: DemoServer, demo_crawl: Crawl, redis_server: RedisServer, tmp_path: Path
) -> None:
    db = tmp_path / "shared.db"
    assert run_cli("seed", "--redis", redis_server.url, "--db", str(db)).returncode == 0
    slow = ("-s", "DOWNLOAD_DELAY=0.05", "-s", "AUTOTHROTTLE_ENABLED=False")
    victim = worker(redis_server, demo_server.proxy, tmp_path / "w1.log", *slow)
    wait_until(lambda: leases_of(redis_server, victim.pid) > 0, 120, "the worker to hold leases")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    drained = run_cli("ingest", "--redis", redis_server.url, "--db", str(db), "--drain", "-s", "REDIS_WORKER_TIMEOUT=1")
    assert drained.returncode == 0, drained.stderr
    assert "has no live worker" in drained.stderr
    assert Database(db).execute("SELECT status FROM runs").fetchall() == [("running",)]
    again = worker(redis_server, demo_server.proxy, tmp_path / "w2.log")  # joins the crawl, takes the dead one's leases
    assert again.wait(timeout=300) == 0
    final = run_cli("ingest", "--redis", redis_server.url, "--db", str(db), "--drain")
    assert final.returncode == 0, final.stderr
    assert_same_archive(db, demo_crawl)
    assert [r[0] for r in Database(db).execute("SELECT status FROM runs")] == ["finished"] * len(DEMO_SITES)
