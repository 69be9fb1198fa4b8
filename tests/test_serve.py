"""`newsarchive serve`: a real Datasette on 127.0.0.1 answering facets, Chinese search and canned queries."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
from conftest import NEWSARCHIVE, ROOT, Crawl, run_cli

from archive.serve import metadata


@pytest.fixture(scope="module")
def datasette(demo_crawl: Crawl) -> Iterator[str]:
    """The archive served by `newsarchive serve` on a free loopback port; yields its base URL."""
    process = subprocess.Popen(
        [*NEWSARCHIVE, "serve", "--db", str(demo_crawl.db_path), "--port", "0"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    deadline, url = time.monotonic() + 60, None
    while url is None and time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            break
        if found := re.search(r"running on (http://127\.0\.0\.1:\d+)", line):
            url = found.group(1)
    try:
        assert url, "Datasette did not start"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


def get(base: str, path: str, **params: str) -> dict | list:  # type: ignore[type-arg]
    with urlopen(f"{base}{path}?{urlencode(params)}", timeout=30) as response:
        return json.loads(response.read())


def test_facets_on_site_source_and_year(datasette: str, demo_crawl: Crawl) -> None:
    name = demo_crawl.db_path.stem
    page = get(datasette, f"/{name}/catalogue.json", _size="0")
    assert isinstance(page, dict)
    facets = page["facet_results"]
    facets = facets.get("results", facets)
    assert {"site", "source", "year"} <= set(facets)
    years = {row["value"]: row["count"] for row in facets["year"]["results"]}
    expected = dict(demo_crawl.db.execute("SELECT substr(published_at, 1, 4), count(*) FROM articles GROUP BY 1"))
    assert years == expected


def test_the_search_box_finds_chinese_words_of_any_length(datasette: str, demo_crawl: Crawl) -> None:
    name = demo_crawl.db_path.stem
    for word in ("停电", "供电服务"):
        rows = get(datasette, f"/{name}/articles.json", _search=word, _shape="array")
        assert rows, word
        assert all(word in row["title"] + row["body"] for row in rows)  # type: ignore[index]
        expected = demo_crawl.db.execute(
            "SELECT count(*) FROM articles WHERE title LIKE ? OR body LIKE ?", [f"%{word}%"] * 2
        ).fetchone()[0]
        assert len(rows) == expected


def test_canned_queries_answer(datasette: str, demo_crawl: Crawl) -> None:
    name = demo_crawl.db_path.stem
    hits = get(datasette, f"/{name}/search.json", q="停电 OR 抢修", _shape="array")
    assert hits
    assert all("«" in hit["snippet"] or "停电" in hit["title"] for hit in hits)  # type: ignore[index]
    months = get(datasette, f"/{name}/articles_per_site_per_month.json", _shape="array")
    assert sum(row["articles"] for row in months) == demo_crawl.db.table("articles").count  # type: ignore[index]
    utilities = get(datasette, f"/{name}/facts_per_utility.json", _shape="array")
    assert (
        sum(row["facts"] for row in utilities)
        == demo_crawl.db.execute(  # type: ignore[index]
            "SELECT count(*) FROM facts WHERE subject IS NOT NULL"
        ).fetchone()[0]
    )


def test_metadata_file_can_be_written_for_ones_own_datasette(demo_crawl: Crawl, tmp_path: Path) -> None:
    out = tmp_path / "metadata.json"
    result = run_cli("serve", "--db", str(demo_crawl.db_path), "--metadata-out", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == metadata(demo_crawl.db_path.stem)
