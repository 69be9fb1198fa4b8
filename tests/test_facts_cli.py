"""`newsarchive facts`: filters, formats and the article behind every row, on a real crawl of the demo web."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Crawl, run_cli

from archive.db import open_archive
from archive.records import record_article
from crawler.items import ArticleItem, PageItem
from pipelines.clean import content_hash
from pipelines.facts import article_facts


def facts_json(db_path: Path, *args: str) -> list[dict[str, Any]]:
    result = run_cli("facts", "--db", str(db_path), "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_every_row_carries_its_article_and_exact_evidence(demo_crawl: Crawl) -> None:
    rows = facts_json(demo_crawl.db_path)
    assert len(rows) == demo_crawl.db.table("facts").count > 50
    bodies = {r["id"]: r for r in demo_crawl.db.query("SELECT id, url, title, published_at, body FROM articles")}
    for row in rows:
        article = bodies[row["article_id"]]
        assert (row["url"], row["title"], row["published_at"]) == (
            article["url"],
            article["title"],
            article["published_at"],
        )
        if row["start"] is not None:
            assert article["body"][row["start"] : row["end"]] == row["evidence"]
        else:
            assert row["evidence"] in article["title"]


def test_kind_and_subject_give_one_utilitys_streak_over_the_years(demo_crawl: Crawl) -> None:
    rows = facts_json(demo_crawl.db_path, "--kind", "satisfaction_streak", "--subject", "东江供电局")
    assert {r["kind"] for r in rows} == {"satisfaction_streak"}
    assert {r["subject"] for r in rows} == {"东江供电局"}
    by_year = {r["year"]: r["value"] for r in rows}
    assert by_year[2017] == 6
    assert by_year[2020] == 9
    assert by_year[2023] == 12


@pytest.mark.parametrize("written", ["广东电网有限责任公司东江供电局", "南方电网广东东江供电局"])
def test_subject_matches_the_utility_under_any_name(demo_crawl: Crawl, written: str) -> None:
    plain = facts_json(demo_crawl.db_path, "--subject", "东江供电局")
    assert plain
    assert facts_json(demo_crawl.db_path, "--subject", written) == plain


def test_subject_that_names_no_stored_utility_finds_nothing(demo_crawl: Crawl) -> None:
    assert facts_json(demo_crawl.db_path, "--subject", "东江供电所") == []
    result = run_cli("facts", "--db", str(demo_crawl.db_path), "--subject", "东江供电所")
    assert result.returncode == 0
    assert "no facts match" in result.stderr


def test_region_since_and_until(demo_crawl: Crawl) -> None:
    rows = facts_json(demo_crawl.db_path, "--region", "西江", "--since", "2020-01", "--until", "2023")
    assert rows
    assert {r["region"] for r in rows} == {"西江"}
    assert all(r["published_at"][:7] >= "2020-01" and r["published_at"][:4] <= "2023" for r in rows)
    everything = facts_json(demo_crawl.db_path, "--region", "西江")
    assert len(everything) > len(rows)
    assert any(r["published_at"][:4] == "2024" for r in everything)


def test_csv_and_table_hold_the_same_rows(demo_crawl: Crawl) -> None:
    rows = facts_json(demo_crawl.db_path, "--kind", "outage_hours")
    as_csv = run_cli("facts", "--db", str(demo_crawl.db_path), "--kind", "outage_hours", "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r["url"], r["evidence"], float(r["value"])) for r in parsed] == [
        (r["url"], r["evidence"], r["value"]) for r in rows
    ]
    table = run_cli("facts", "--db", str(demo_crawl.db_path), "--kind", "outage_hours").stdout.splitlines()
    assert table[0].split() == ["kind", "subject", "year", "value", "unit", "published", "title", "evidence", "url"]
    assert len(table) == len(rows) + 2
    assert all(line.rstrip().endswith(r["url"]) for line, r in zip(table[2:], rows, strict=True))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--kind", "outage"], "unknown kind 'outage'"),
        (["--since", "2023-13"], "is not a date"),
        (["--until", "last year"], "is not a date"),
    ],
)
def test_bad_filters_are_explained(demo_crawl: Crawl, args: list[str], needle: str) -> None:
    result = run_cli("facts", "--db", str(demo_crawl.db_path), *args)
    assert result.returncode == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def store(db_path: Path, url: str, title: str, body: str, published_at: str) -> None:
    """Stores one article through the pipeline's own fact finder and the archive's named writes."""
    page = PageItem(url, url, "daily", 200, {}, body.encode(), "2024-01-01T00:00:00+00:00")
    item = ArticleItem(page, url, "daily", title=title, published_at=published_at, body=body)
    item.content_hash = content_hash(body)
    item.facts = article_facts(item)
    archive = open_archive(db_path)
    with archive.batch():
        record_article(archive.db, item, run_id=None)
    archive.close()


def test_gazetteer_aliases_find_a_known_utility(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    body = "在河源市2020年40项具体公共服务满意度排序中，河源供电服务满意度位居全市第一位。"
    store(db, "http://hyrb.test/1.htm", "河源供电服务满意度第一", body, "2021-04-28T10:00:00+08:00")
    store(
        db, "http://hyrb.test/2.htm", "东莞供电局", "东莞供电局最高负荷达到1357.7万千瓦。", "2021-08-01T10:00:00+08:00"
    )
    for written in ("广东电网有限责任公司河源供电局", "河源供电局", "河源电网"):
        rows = facts_json(db, "--subject", written)
        assert [(r["subject"], r["kind"], r["value"]) for r in rows] == [("河源供电局", "satisfaction_rank", 1)]
