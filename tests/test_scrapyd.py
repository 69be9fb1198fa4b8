"""Scrapyd: a real scrapyd on 127.0.0.1, the project deployed as an egg, a crawl scheduled through its HTTP API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT
from sqlite_utils import Database

from crawler.demoweb.server import DemoServer
from crawler.demoweb.site import DemoSite

BIN = Path(sys.executable).parent
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # the API is on loopback: no proxy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(base: str, endpoint: str, data: dict[str, str] | list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with DIRECT.open(f"{base}/{endpoint}", body, timeout=30) as response:
        return json.loads(response.read())


def upload(base: str, egg: Path) -> dict:
    """POST the egg to addversion.json as multipart/form-data, as scrapyd-deploy does."""
    boundary = "newsarchive-egg"
    parts = [
        *(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in (("project", "newsarchive"), ("version", "1"))
        ),
        f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="p.egg"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + egg.read_bytes()
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    request = urllib.request.Request(
        f"{base}/addversion.json", b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    with DIRECT.open(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_a_crawl_scheduled_through_scrapyd_lands_in_the_archive(
    demo_server: DemoServer, demo_sites: dict[str, DemoSite], tmp_path: Path
) -> None:
    port = free_port()
    (tmp_path / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {tmp_path}/eggs\n"
        f"logs_dir = {tmp_path}/logs\ndbs_dir = {tmp_path}/dbs\nitems_dir =\nmax_proc = 1\npoll_interval = 0.5\n"
    )
    egg = tmp_path / "newsarchive.egg"
    built = subprocess.run(
        [BIN / "scrapyd-deploy", f"--build-egg={egg}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    env = {k: v for k, v in os.environ.items() if k.lower() != "no_proxy"} | {"http_proxy": demo_server.proxy}
    env["no_proxy"] = "127.0.0.1,localhost"  # the crawl goes through the demo web; the API calls do not
    log = (tmp_path / "scrapyd.log").open("w")
    daemon = subprocess.Popen([BIN / "scrapyd"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    db = tmp_path / "archive.db"
    try:
        wait_for(lambda: call(base, "daemonstatus.json")["status"] == "ok")
        assert upload(base, egg)["status"] == "ok"
        job = call(
            base,
            "schedule.json",
            [("project", "newsarchive"), ("spider", "news"), ("site", "demo_utility"), ("setting", f"ARCHIVE_DB={db}")],
        )
        assert job["status"] == "ok", job
        wait_for(
            lambda: any(j["id"] == job["jobid"] for j in call(base, "listjobs.json?project=newsarchive")["finished"])
        )
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        log.close()
    crawl_log = next((tmp_path / "logs").rglob("*.log")).read_text()
    assert "Traceback" not in crawl_log
    archive = Database(db)
    utility = demo_sites["demo_utility"]
    urls = {r[0] for r in archive.execute("SELECT url FROM sightings")}
    assert urls == {utility.origin + p for p in utility.paths}
    assert archive.execute("SELECT status FROM runs").fetchall() == [("finished",)]


def wait_for(condition, seconds: float = 180) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError("timed out")
