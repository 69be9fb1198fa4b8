"""Bad input never costs data: a locked, read-only or full archive gives one clear line and stays as it was."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from sqlite_utils import Database

from crawler.demoweb.server import DemoServer

SNAPSHOT = "SELECT url, sha256 FROM pages ORDER BY id"


def snapshot(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(SNAPSHOT).fetchall()
    finally:
        conn.close()


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.strip()][-1]


@pytest.fixture
def archive(demo_server: DemoServer) -> Iterator[Path]:
    """An archive holding one crawl of demo_utility, in a folder any user can read."""
    folder = Path(tempfile.mkdtemp(prefix="newsarchive-"))
    folder.chmod(0o755)
    db = folder / "a.db"
    assert run_cli("crawl", "demo_utility", "--db", str(db), proxy=demo_server.proxy).returncode == 0
    yield db
    shutil.rmtree(folder, ignore_errors=True)


def test_a_locked_archive(archive: Path, demo_server: DemoServer) -> None:
    before = snapshot(archive)
    holder = sqlite3.connect(archive, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        args = ("crawl", "demo_portal", "--db", str(archive), "-s", "ARCHIVE_LOCK_TIMEOUT=0.5")
        result = run_cli(*args, proxy=demo_server.proxy)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (
        error_line(result) == f"error: archive {archive} is locked by another process; try again when it has finished"
    )
    assert snapshot(archive) == before


def test_a_read_only_archive(archive: Path, demo_server: DemoServer) -> None:
    before = snapshot(archive)
    command = [sys.executable, "-m", "archive", "crawl", "demo_portal", "--db", str(archive)]
    if os.geteuid() == 0:  # root writes anything: run as nobody, for whom the file and folder are read-only
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    else:
        archive.chmod(0o444)
        archive.parent.chmod(0o555)
    env = {**os.environ, "http_proxy": demo_server.proxy, "HOME": "/tmp"}
    try:
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    finally:
        archive.parent.chmod(0o755)
    assert error_line(result).startswith(f"error: cannot open archive {archive}: ")
    assert snapshot(archive) == before


def test_a_full_archive_rolls_back_the_failing_batch(archive: Path, demo_server: DemoServer) -> None:
    before = snapshot(archive)
    cap = archive.stat().st_size / 1e6 + 0.04  # room for a few pages of demo_portal, not for all of them
    args = (
        "crawl",
        "demo_portal",
        "--db",
        str(archive),
        "-s",
        f"ARCHIVE_MAX_SIZE_MB={cap}",
        "-s",
        "ARCHIVE_BATCH_SIZE=3",
    )
    result = run_cli(*args, proxy=demo_server.proxy)
    line = error_line(result)
    assert f"archive {archive} is full (no space left on its disk, or ARCHIVE_MAX_SIZE_MB reached)" in line
    assert line.startswith("Error: demo_portal: ")
    db = Database(archive)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert snapshot(archive)[: len(before)] == before  # what was stored before is untouched
    stored = db.execute("SELECT count(*) FROM pages WHERE site = 'demo_portal'").fetchone()[0]
    assert 0 < stored < 18  # whole batches landed, the failing one did not ...
    orphans = db.execute(
        "SELECT count(*) FROM pages p WHERE site = 'demo_portal' AND NOT EXISTS "
        "(SELECT 1 FROM sightings s WHERE s.page_id = p.id)"
    ).fetchone()[0]
    assert orphans == 0  # ... and no item landed by half
    again = run_cli("crawl", "demo_portal", "--db", str(archive), proxy=demo_server.proxy)
    assert again.returncode == 0, again.stderr
    pages = db.execute("SELECT count(*), count(DISTINCT url) FROM pages WHERE site = 'demo_portal'").fetchone()
    assert pages[0] == pages[1] == 18
    assert db.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0] == 0
