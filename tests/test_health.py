"""Health rules: a run that breaks one of its site's rules fails, says why, and exits non-zero."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_cli
from sqlite_utils import Database

from crawler.demoweb.server import DemoServer
from crawler.demoweb.stories import DemoArticle
from crawler.demoweb.web import demo_web
from crawler.health import HealthRules, RunFigures, figures, health_problems
from crawler.sites import BUNDLED, SiteError, load_site

GOOD = RunFigures(new=5, requests=100, faults=2, article_pages=20, articles=20, with_date=19, with_author=15)


def test_a_healthy_run_has_no_problem() -> None:
    assert health_problems(HealthRules(min_new_articles=1), GOOD, [GOOD, GOOD]) == []


def test_too_few_new_articles_over_the_window() -> None:
    quiet = RunFigures(new=0, requests=10, articles=0)
    rules = HealthRules(min_new_articles=1, window_runs=3)
    assert health_problems(rules, quiet, [quiet]) == []  # too early to tell
    assert "0 new articles over the last 3 runs" in health_problems(rules, quiet, [quiet, quiet])[0]
    assert health_problems(rules, quiet, [quiet, GOOD]) == []


def test_error_rate_and_no_articles() -> None:
    broken = RunFigures(requests=10, faults=8, article_pages=6, articles=0)
    problems = health_problems(HealthRules(max_error_percent=50), broken, [])
    assert any("80 % of requests met a fault" in p for p in problems)
    assert any("no article read from 6 fetched article pages" in p for p in problems)


def test_a_fall_in_the_share_of_dated_articles_is_a_layout_change() -> None:
    undated = RunFigures(new=20, requests=40, article_pages=20, articles=20, with_date=2, with_author=15)
    problems = health_problems(HealthRules(), undated, [GOOD, GOOD])
    assert problems == ["articles with a date fell from 95 % to 10 % of those read (has the layout changed?)"]
    assert health_problems(HealthRules(), RunFigures(articles=3, with_date=0), [GOOD]) == []  # too few to judge


def test_figures_read_scrapy_stats() -> None:
    stats = {"archive/articles_new": 2, "fault/timeout": 3, "fault/http_503": 1, "downloader/request_count": 9}
    assert figures(stats) == RunFigures(new=2, requests=9, faults=4)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[health]\nmax_error_percent = 150.0\n", "between 0 and 100"),
        ("[health]\nwindow_runs = 0\n", "window_runs"),
        ("[health]\nmin_new = 1\n", "unknown key health.'min_new' (did you mean health.'min_new_articles'?)"),
        ('[health]\nmin_new_articles = "3"\n', "must be a int"),
    ],
)
def test_bad_health_tables_are_reported(tmp_path: Path, table: str, message: str) -> None:
    text = (BUNDLED / "demo" / "demo_utility.toml").read_text(encoding="utf-8")
    (tmp_path / "demo_utility.toml").write_text(text + "\n" + table, encoding="utf-8")
    with pytest.raises(SiteError, match=re.escape(message)):
        load_site("demo_utility", [tmp_path])


def custom_site(tmp_path: Path, name: str, extra: str) -> Path:
    sites = tmp_path / "sites"
    sites.mkdir(exist_ok=True)
    text = (BUNDLED / "demo" / f"{name}.toml").read_text(encoding="utf-8")
    (sites / f"{name}.toml").write_text(text + "\n" + extra, encoding="utf-8")
    return sites


def test_a_quiet_site_fails_the_run_with_the_reason(demo_server: DemoServer, tmp_path: Path) -> None:
    sites = custom_site(tmp_path, "demo_utility", "[health]\nmin_new_articles = 1\nwindow_runs = 1\n")
    db = tmp_path / "a.db"
    args = ("crawl", "demo_utility", "--db", str(db), "--sites-dir", str(sites))
    assert run_cli(*args, proxy=demo_server.proxy).returncode == 0
    second = run_cli(*args, proxy=demo_server.proxy)
    assert second.returncode == 1
    assert "0 new articles over the last 1 runs, fewer than 1" in second.stderr
    assert "Traceback" not in second.stderr
    row = Database(db).execute("SELECT status, problem FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    assert row[0] == "failed"
    assert "fewer than 1" in row[1]
    runs = run_cli("runs", "--db", str(db), "--site", "demo_utility")
    assert "fewer than 1" in runs.stdout


def test_a_layout_change_that_loses_bylines_fails_the_run(demo_server: DemoServer, tmp_path: Path) -> None:
    sites = custom_site(tmp_path, "demo_daily", "[health]\nfield_min_articles = 5\n")
    db = tmp_path / "a.db"
    args = ("crawl", "demo_daily", "--db", str(db), "--sites-dir", str(sites))
    assert run_cli(*args, proxy=demo_server.proxy).returncode == 0
    web = demo_web()
    daily = web["demo_daily"]
    original = daily.render_article

    def redesigned(article: DemoArticle, part: int = 1) -> str:
        """A new layout that no longer prints bylines or staff credits (dates still show in the URLs)."""
        page = re.sub(r" 作者:[^<]*", "", original(article, part))
        return re.sub(r'<p class="credit">.*?</p>', "", page)

    daily.render_article = redesigned  # type: ignore[method-assign]
    changed = DemoServer(web)
    changed.start()
    try:
        second = run_cli(*args, "--refresh", proxy=changed.proxy)
    finally:
        changed.stop()
    assert second.returncode == 1, second.stderr
    assert "articles with an author fell from 100 %" in second.stderr
    stats = json.loads(Database(db).execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])
    assert stats["archive/with_author"] < stats["archive/pages"]
