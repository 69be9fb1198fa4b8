"""`newsarchive report`: a self-contained page whose charts draw in Chromium and where no archive string runs."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from chromium import Browser, chromium_path
from conftest import Crawl, run_cli
from lxml import html as lxml_html
from pngread import colours, hex_rgb

from archive.charts import HEAT, SCORE, STREAK
from archive.db import open_archive, open_reader
from archive.records import record_article
from archive.report import build_report
from archive.svg import PALETTE, href
from crawler.items import ArticleItem, PageItem
from pipelines.clean import content_hash
from pipelines.facts import article_facts

HOSTILE_TITLE = (
    '<script>document.title="PWNED";window.pwned=1</script>">'
    "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','1')\">' onmouseover='alert(1)"
)
HOSTILE_BODY = (
    '在全市公共服务满意度测评中，东江供电局<script>console.log("XSS")</script>"><img src=x onerror=alert(1)>'
    "连续9年蝉联第一。\n2021年，东江供电局客户平均停电时间为2.5小时</textarea></title><svg onload=alert(1)>。"
)
HOSTILE_SITE = '"><script>alert("site")</script>'
HOSTILE_URL = "http://www.djrb.test/x.htm?q=\"><script>alert('url')</script>"


def item(url: str, site: str, title: str, body: str, published_at: str) -> ArticleItem:
    """An article as the pipeline hands it to the store, with the facts the facts stage finds."""
    page = PageItem(url, url, site, 200, {}, body.encode(), "2024-01-01T00:00:00+00:00")
    article = ArticleItem(page, url, site, title=title, published_at=published_at, body=body)
    article.content_hash = content_hash(body)
    article.facts = article_facts(article)
    return article


def republish(db: object, article_id: int, url: str, site: str, published_at: str) -> None:
    """Records an exact copy of a stored article on another site, as the dedupe stage would."""
    copy = item(url, site, "转载", "", published_at)
    copy.sighting, copy.duplicate_of, copy.similarity = "exact", article_id, 1.0
    record_article(db, copy, run_id=None)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def report_archive(demo_crawl: Crawl, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo crawl, plus a hostile article and republications of three stories on other sites."""
    path = tmp_path_factory.mktemp("report") / "archive.db"
    with sqlite3.connect(demo_crawl.db_path) as source, sqlite3.connect(path) as target:
        source.backup(target)
    archive = open_archive(path)
    with archive.batch():
        stored = record_article(
            archive.db,
            item(HOSTILE_URL, HOSTILE_SITE, HOSTILE_TITLE, HOSTILE_BODY, "2022-06-01T10:00:00+08:00"),
            run_id=None,
        )
        republish(archive.db, stored.article_id, "javascript:alert(document.domain)", "bjx", "2022-06-02")
        ids = [row[0] for row in archive.db.execute("SELECT id FROM articles ORDER BY id LIMIT 3")]
        for n, article_id in enumerate(ids):
            for copy in range(5 - n):
                site = ("bjx", "cpnn", "csg", "ep18", "hyrb")[copy]
                republish(archive.db, article_id, f"http://www.{site}.test/{article_id}/{copy}.html", site, "2021-05-0")
    archive.close()
    return path


@pytest.fixture(scope="module")
def report_page(report_archive: Path) -> Path:
    out = report_archive.parent / "report.html"
    result = run_cli("report", "--db", str(report_archive), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "report:" in result.stdout
    return out


def test_page_needs_nothing_but_itself(report_page: Path) -> None:
    tree = lxml_html.fromstring(report_page.read_bytes())
    assert tree.xpath("//script | //img | //iframe | //link | //object | //embed | //base") == []
    assert tree.xpath("//*[@src]") == []
    assert not any(a.startswith("on") for el in tree.iter() if isinstance(el.tag, str) for a in el.attrib)
    assert all(h.startswith(("http://", "https://", "#")) for h in tree.xpath("//@href"))
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in policy


def test_archive_strings_stay_text(report_page: Path) -> None:
    tree = lxml_html.fromstring(report_page.read_bytes())
    text = tree.text_content()
    assert HOSTILE_TITLE in text
    assert '<script>console.log("XSS")</script>' in text
    assert HOSTILE_SITE in text
    assert not tree.xpath("//@href[contains(., 'javascript')]")
    assert tree.xpath("//a[starts-with(@href, 'http://www.djrb.test/x.htm?q=')]")


def test_report_draws_in_chromium_and_runs_nothing_from_the_archive(report_page: Path, tmp_path: Path) -> None:
    if chromium_path() is None:
        pytest.fail("chromium is missing: `make system` installs the Debian packages in .ci/debian-packages.txt")
    browser = Browser(tmp_path / "profile")
    try:
        browser.open(report_page.as_uri())
        assert browser.console_errors() == []
        assert browser.requests() == [report_page.as_uri()]
        assert browser.evaluate("document.title") == "Utility news archive"
        assert browser.evaluate("typeof window.pwned") == "undefined"
        assert browser.evaluate("document.querySelectorAll('script, img, iframe, [data-pwned]').length") == 0
        boxes = browser.evaluate(
            "[...document.querySelectorAll('section')].map(s => [s.id, [...s.querySelectorAll('svg.chart')]"
            ".map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y + scrollY, r.width, r.height]; })])"
        )
        charts = dict(boxes)
        expected = {"satisfaction": (STREAK, SCORE), "outages": PALETTE, "output": HEAT, "clusters": PALETTE}
        for section, marks in expected.items():
            assert charts[section], f"no chart in {section}"
            x, y, w, h = charts[section][0]
            counts = colours(browser.screenshot({"x": x, "y": y, "width": w, "height": h}))
            _, most = counts.most_common(1)[0]
            assert len(counts) > 20, f"{section} chart is blank"
            assert most < 0.97 * sum(counts.values()), f"{section} chart is mostly one colour"
            assert sum(counts[hex_rgb(c)] for c in marks) > 30, f"{section} chart has no marks in {marks}"
        shot = browser.screenshot()
        assert shot.startswith(b"\x89PNG")
        if os.environ.get("REPORT_SCREENSHOT"):
            Path(os.environ["REPORT_SCREENSHOT"]).write_bytes(shot)
            shutil.copy(report_page, Path(os.environ["REPORT_SCREENSHOT"]).with_suffix(".html"))
    finally:
        browser.close()


def test_every_chart_mark_links_to_an_article_with_its_evidence(report_page: Path) -> None:
    tree = lxml_html.fromstring(report_page.read_bytes())
    marks = tree.xpath("//section[@id='satisfaction' or @id='outages']//svg//a")
    assert len(marks) > 10
    for mark in marks:
        assert mark.get("href").startswith("http")
        assert "“" in mark.xpath("string(./title)")
    cells = tree.xpath("//section[@id='output']//svg//a/@href")
    assert cells
    assert all(tree.xpath(f"//*[@id='{h[1:]}']") for h in cells)
    clusters = tree.xpath("//section[@id='clusters']//svg//a/@href")
    assert "http://www.bjx.test/1/0.html" in clusters


def test_empty_archive_gives_a_page_that_says_so(tmp_path: Path) -> None:
    open_archive(tmp_path / "empty.db").close()
    page = build_report(open_reader(tmp_path / "empty.db"))
    for note in ("No satisfaction figures yet", "No outage figures yet", "No dated articles yet", "No republications"):
        assert note in page


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://a.test/1.html", "http://a.test/1.html"),
        ("https://a.test/?a=1&b=2", "https://a.test/?a=1&amp;b=2"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("", None),
    ],
)
def test_only_web_urls_become_links(url: str, expected: str | None) -> None:
    assert href(url) == expected
