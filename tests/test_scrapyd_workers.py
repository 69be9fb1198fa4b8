"""The scale-out recipe with Scrapyd as each host's process manager: two scrapyd daemons run the workers."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import DEMO_SITES, ROOT, Crawl, run_cli
from redisserver import RedisServer
from sqlite_utils import Database
from test_distributed import assert_same_archive
from test_scrapyd import BIN, call, free_port, upload, wait_for

from crawler.demoweb.server import DemoServer


def scrapyd(folder: Path, proxy: str) -> tuple[subprocess.Popen[bytes], str]:
    """A scrapyd daemon of its own (port, eggs, logs, queue), as on a host of its own."""
    folder.mkdir()
    port = free_port()
    (folder / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {folder}/eggs\n"
        f"logs_dir = {folder}/logs\ndbs_dir = {folder}/dbs\nitems_dir =\nmax_proc = 1\npoll_interval = 0.5\n"
    )
    env = {k: v for k, v in os.environ.items() if k.lower() != "no_proxy"} | {"http_proxy": proxy}
    env["no_proxy"] = "127.0.0.1,localhost"
    with (folder / "scrapyd.log").open("w") as log:
        daemon = subprocess.Popen([BIN / "scrapyd"], cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    return daemon, f"http://127.0.0.1:{port}"


@pytest.mark.slow
def test_workers_under_two_scrapyd_daemons_crawl_as_one(
    demo_server: DemoServer, demo_crawl: Crawl, redis_server: RedisServer, tmp_path: Path
) -> None:
    egg = tmp_path / "newsarchive.egg"
    built = subprocess.run(
        [BIN / "scrapyd-deploy", f"--build-egg={egg}"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert built.returncode == 0, built.stderr[-2000:]
    db = tmp_path / "archive.db"
    assert run_cli("seed", "--redis", redis_server.url, "--db", str(db)).returncode == 0
    daemons = [scrapyd(tmp_path / f"host{i}", demo_server.proxy) for i in (1, 2)]
    jobs = []
    try:
        for _, base in daemons:
            wait_for(lambda b=base: call(b, "daemonstatus.json")["status"] == "ok")  # type: ignore[misc]
            assert upload(base, egg)["status"] == "ok"
        for site in DEMO_SITES:
            for _, base in daemons:
                settings = [("setting", f"REDIS_URL={redis_server.url}"), ("setting", "REDIS_HEARTBEAT_SECONDS=0.5")]
                job = call(
                    base, "schedule.json", [("project", "newsarchive"), ("spider", "news"), ("site", site), *settings]
                )
                assert job["status"] == "ok", job
                jobs.append((base, job["jobid"]))
        for base, jobid in jobs:
            wait_for(
                lambda b=base, j=jobid: any(
                    x["id"] == j for x in call(b, "listjobs.json?project=newsarchive")["finished"]
                )
            )  # type: ignore[misc]
    finally:
        for daemon, _ in daemons:
            daemon.terminate()
            daemon.wait(timeout=30)
    logs = [log.read_text() for log in tmp_path.glob("host*/logs/**/*.log")]
    assert len(logs) == 2 * len(DEMO_SITES)
    assert not [log for log in logs if "Traceback" in log or "ERROR" in log]
    drained = run_cli("ingest", "--redis", redis_server.url, "--db", str(db), "--drain")
    assert drained.returncode == 0, drained.stderr
    assert_same_archive(db, demo_crawl)
    joined = Database(db).execute("SELECT stats FROM ingest_crawls").fetchall()
    assert sum('"redis/workers_joined": 2' in row[0] for row in joined) >= 1  # both hosts worked on one crawl
