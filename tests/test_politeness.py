"""Polite by default: robots.txt, AutoThrottle, a per-domain cap and a User-Agent with a contact; all per site."""

from __future__ import annotations

from pathlib import Path

from scrapy.crawler import Crawler

from crawler.runner import project_settings
from crawler.sites import BUNDLED, load_site
from crawler.spiders.news import NewsSpider, apply_site_settings, user_agent


def settings_for(site: str, paths: tuple[str, ...] = (), **overrides: object):  # type: ignore[no-untyped-def]
    crawler = Crawler(NewsSpider, project_settings(overrides))  # overrides as `-s NAME=VALUE` gives them
    apply_site_settings(crawler, load_site(site, paths))
    return crawler.settings


def test_a_real_site_is_crawled_politely() -> None:
    settings = settings_for("ep18", USER_AGENT_CONTACT="ops@example.org")
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.getfloat("DOWNLOAD_DELAY") == 1.0
    assert settings["USER_AGENT"].startswith("newsarchive/")
    assert settings["USER_AGENT"].endswith("; contact: ops@example.org)")


def test_a_site_definition_overrides_politeness(tmp_path: Path) -> None:
    text = (BUNDLED / "real" / "ep18.toml").read_text(encoding="utf-8")
    text = text.replace("[links]", 'user_agent = "MyArchive/2.0"\nobey_robots = false\n[links]')
    text = text.replace("concurrency = 2", "concurrency = 1\nautothrottle = false\ndownload_timeout = 7.5")
    (tmp_path / "ep18.toml").write_text(text, encoding="utf-8")
    settings = settings_for("ep18", (str(tmp_path),))
    assert not settings.getbool("ROBOTSTXT_OBEY")
    assert not settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert settings.getfloat("DOWNLOAD_TIMEOUT") == 7.5
    assert settings["USER_AGENT"] == "MyArchive/2.0"


def test_the_command_line_wins_over_the_site() -> None:
    assert not settings_for("ep18", AUTOTHROTTLE_ENABLED=False).getbool("AUTOTHROTTLE_ENABLED")


def test_user_agent_without_contact_is_the_project_one() -> None:
    assert user_agent("newsarchive/0.1 (+https://x)", "") == "newsarchive/0.1 (+https://x)"
    assert user_agent("bot", "a@b.c") == "bot (contact: a@b.c)"
