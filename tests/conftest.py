"""Shared fixtures: the demo web on a free loopback port, and real crawls into temporary archives."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from redisserver import RedisServer
from sqlite_utils import Database

from archive import dedupe_index
from crawler.demoweb.server import DemoServer
from crawler.demoweb.site import DemoSite
from crawler.demoweb.web import demo_web
from crawler.items import PageItem

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "extraction_pages"
# the shared reference data sits beside the project's folder (CI puts it there too)
DEVSET = Path(os.environ.get("NEWSARCHIVE_SHARED", ROOT.parent / "shared")) / "devset"
NEWSARCHIVE = [sys.executable, "-m", "archive"]
DEMO_SITES = ("demo_utility", "demo_portal", "demo_daily")


@dataclass
class Crawl:
    """A finished crawl: the process result and the archive it wrote."""

    result: subprocess.CompletedProcess[str]
    db_path: Path

    @property
    def db(self) -> Database:
        return Database(self.db_path)


def run_cli(*args: str, proxy: str = "", cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run `newsarchive ARGS` in a subprocess, crawling through the given demo-web proxy."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "no_proxy")}
    if proxy:
        env["http_proxy"] = proxy
    return subprocess.run(
        [*NEWSARCHIVE, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout, check=False
    )


def raw_page(url: str, body: bytes, site: str = "x", headers: dict[str, str] | None = None) -> PageItem:
    """A PageItem as the spider would yield it for a 200 response."""
    return PageItem(url=url, final_url=url, site=site, status=200, headers=headers or {}, body=body, fetched_at="")


def served(site: DemoSite, path: str) -> PageItem:
    """A demo page as the spider would yield it."""
    page = site.get(path)
    assert page is not None
    return raw_page(site.origin + path, page.body, site.name, {"Content-Type": page.content_type})


@pytest.fixture
def page() -> Callable[[str], bytes]:
    """The raw bytes of a hand-made page in tests/extraction_pages."""
    return lambda name: (PAGES / name).read_bytes()


@pytest.fixture(scope="session")
def demo_sites() -> dict[str, DemoSite]:
    """The bundled demo web's sites."""
    return demo_web()


@pytest.fixture(scope="session")
def demo_server(demo_sites: dict[str, DemoSite]) -> Iterator[DemoServer]:
    """The demo web, served for the whole test session on a free loopback port."""
    server = DemoServer(demo_sites)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_crawl(demo_server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """One real crawl of every demo site into a fresh archive, shared by the tests that only read it."""
    db_path = tmp_path_factory.mktemp("demo") / "archive.db"
    result = run_cli("crawl", *DEMO_SITES, "--db", str(db_path), proxy=demo_server.proxy)
    assert result.returncode == 0, result.stderr
    return Crawl(result, db_path)


def scalar(db: Path, sql: str) -> int:
    """One number from an archive another process is writing (0 while the file or table is not there yet)."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=5)
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def write_locked(db: Path) -> bool:
    """Tell whether another process holds a write transaction open: our own BEGIN IMMEDIATE cannot get the lock."""
    if not db.exists():
        return False
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real redis-server of this test's own, on a free loopback port."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=[None, 1, 2], ids=["keys-recent", "fold-every-article", "fold-every-second"])
def folding(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int | None:
    """How often the index folds its recent keys into the main tables (None: not during the test)."""
    if request.param is not None:
        monkeypatch.setattr(dedupe_index, "FOLD_ARTICLES", request.param)
        monkeypatch.setattr(dedupe_index, "FOLD_CHECK", 1)
    return request.param
