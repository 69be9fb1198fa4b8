"""Site definitions: the bundled ones load, and every kind of mistake is reported by file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from crawler.sites import BUNDLED, SiteDefinition, SiteError, iter_sites, load_site, read_site

VALID = """
title = "示例电力网"
base_url = "https://www.example.cn/"
start_urls = ["news/"]
feeds = ["rss.xml"]
schedule = "0 */6 * * *"
[links]
article = ['/news/\\d+\\.html$']
"""


def write(tmp_path: Path, text: str, name: str = "mysite") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted(BUNDLED.glob("*/*.toml")), ids=lambda p: p.stem)
def test_every_bundled_definition_validates(path: Path) -> None:
    site = read_site(path)
    assert site.name == path.stem
    assert site.start_urls or site.feeds or site.sitemaps
    assert all(url.startswith(("http://", "https://")) for url in site.start_urls + site.feeds + site.sitemaps)


def test_at_least_three_real_sites_ship_beside_the_demo_ones() -> None:
    real = [read_site(p) for p in (BUNDLED / "real").glob("*.toml")]
    assert len(real) >= 3
    assert not any(s.base_url.endswith(".test/") for s in real)


def test_a_valid_definition_needs_no_python(tmp_path: Path) -> None:
    write(tmp_path, VALID)
    site = load_site("mysite", [tmp_path])
    assert isinstance(site, SiteDefinition)
    assert site.start_urls == ("https://www.example.cn/news/",)
    assert site.allowed_domains == ("www.example.cn",)
    assert site.is_article("https://www.example.cn/news/123.html")
    assert not site.is_article("https://www.example.cn/about.html")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("start_urls", "strat_urls"), "unknown key 'strat_urls' (did you mean 'start_urls'?)"),
        (('start_urls = ["news/"]', 'start_urls = "news/"'), "key 'start_urls' must be a list of strings"),
        (("'/news/\\d+\\.html$'", "'/news/(\\d+\\.html$'"), "key links.article[0]: bad regular expression"),
        (('base_url = "https://www.example.cn/"', 'base_url = "www.example.cn"'), "key 'base_url'"),
        (('schedule = "0 */6 * * *"', 'schedule = "every day"'), "key 'schedule'"),
        (("title =", "title = = "), "not valid TOML"),
        (('base_url = "https://www.example.cn/"\n', ""), "missing required key 'base_url'"),
    ],
)
def test_malformed_definitions_name_the_key(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    write(tmp_path, VALID.replace(*change))
    with pytest.raises(SiteError, match=r".*") as caught:
        load_site("mysite", [tmp_path])
    assert message in str(caught.value)
    assert "mysite.toml" in str(caught.value)


def test_unknown_site_suggests_the_closest_name() -> None:
    with pytest.raises(SiteError, match="did you mean 'demo_portal'"):
        load_site("demo_portl")


def test_iter_sites_reports_bad_files_and_keeps_going(tmp_path: Path) -> None:
    write(tmp_path, VALID, "good")
    write(tmp_path, VALID.replace("title", "titel"), "bad")
    found = {getattr(s, "name", None): s for s in iter_sites([tmp_path])}
    assert isinstance(found["good"], SiteDefinition)
    assert any(isinstance(s, SiteError) and "titel" in str(s) for s in found.values())


def test_sites_command_lists_and_fails_on_invalid(tmp_path: Path) -> None:
    write(tmp_path, VALID.replace("title", "titel"), "bad")
    result = run_cli("sites", "--sites-dir", str(tmp_path))
    assert result.returncode == 1
    assert "demo_portal" in result.stdout
    assert "invalid:" in result.stderr
    assert "titel" in result.stderr
    assert "Traceback" not in result.stderr


URL_RULES = """
[urls]
hosts = ["www.example.cn", "m.example.cn", "example.cn"]
scheme = "https"
index_files = ["index.html", "index.shtml"]
drop_params = ["page"]
keep_params = ["from"]
rewrite = [['/print/(\\d+)\\.html$', '/news/\\1.html']]
"""


def test_url_rules_come_from_the_definition(tmp_path: Path) -> None:
    write(tmp_path, VALID + URL_RULES)
    site = load_site("mysite", [tmp_path])
    assert site.allowed_domains == ("www.example.cn", "m.example.cn", "example.cn")
    rules = site.url_rules
    assert rules.hosts[0] == "www.example.cn"
    assert rules.index_files == ("index.html", "index.shtml")
    assert rules.rewrite[0][0].pattern == "/print/(\\d+)\\.html$"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('"m.example.cn"', '"http://m.example.cn/"'), "key urls.hosts[1]: 'http://m.example.cn/' is not a host name"),
        (('scheme = "https"', 'scheme = "ftp"'), "key urls.scheme: 'ftp' must be http or https"),
        (('"index.shtml"', '"news/index.shtml"'), "key urls.index_files[1]"),
        (("'/print/(\\d+)\\.html$'", "'/print/(\\d+\\.html$'"), "key urls.rewrite[0]: missing )"),
        (("'/news/\\1.html'", "'/news/\\2.html'"), "key urls.rewrite[0]: invalid group reference 2"),
        (("rewrite = [[", "rewrite = [['x'], ["), "key urls.'rewrite' must be a list of [pattern, replacement] pairs"),
        (("drop_params", "drop_param"), "unknown key urls.'drop_param' (did you mean urls.'drop_params'?)"),
    ],
)
def test_bad_url_rules_name_the_key(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    write(tmp_path, VALID + URL_RULES.replace(*change))
    with pytest.raises(SiteError) as caught:
        load_site("mysite", [tmp_path])
    assert message in str(caught.value)
    assert "mysite.toml" in str(caught.value)
