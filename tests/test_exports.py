"""Exports and import: every format checked by the tools its users use, and round trips of a real crawl."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import datetime
from io import BytesIO
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import Crawl, run_cli
from sqlite_utils import Database
from test_cli import assert_one_line_error
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from archive.exports.files import ExportError
from archive.exports.warc import verify

BIN = Path(sys.executable).parent
ARTICLES = (
    "SELECT url, site, title, subtitle, published_at, author, source, editor, section, body, lang, images,"
    " content_hash, first_seen, updated_at FROM articles ORDER BY url"
)
FACTS = (
    'SELECT a.url, f.kind, f.subject, f.region, f.year, f.value, f.unit, f.evidence, f.start, f."end"'
    " FROM facts f JOIN articles a ON a.id = f.article_id ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
)
SIGHTINGS = (
    "SELECT a.url, s.url, s.site, s.seen_at, s.published_at, s.title, s.kind, s.similarity"
    " FROM sightings s JOIN articles a ON a.id = s.article_id ORDER BY 1, 2"
)
CLUSTERS = "SELECT a.url, c.url FROM articles a JOIN articles c ON c.id = a.cluster_id ORDER BY 1"


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = Database(path)
    return {
        name: db.execute(sql).fetchall()
        for name, sql in zip(
            ("articles", "facts", "sightings", "clusters"), (ARTICLES, FACTS, SIGHTINGS, CLUSTERS), strict=True
        )
    }


def export(crawl: Crawl, fmt: str, path: Path, *options: str) -> None:
    result = run_cli("export", "--db", str(crawl.db_path), "-f", fmt, "-o", str(path), *options)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("exported ")


@pytest.fixture(scope="module")
def warc(demo_crawl: Crawl, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warc") / "data.warc.gz"
    export(demo_crawl, "warc", path)
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "warc", "wacz"])
def test_crawl_export_import_gives_the_same_articles_facts_and_sightings(
    demo_crawl: Crawl, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / {"jsonl": "a.jsonl", "warc": "a.warc.gz", "wacz": "a.wacz"}[fmt]
    export(demo_crawl, fmt, path)
    result = run_cli("import", str(path), "--db", str(tmp_path / "fresh.db"))
    assert result.returncode == 0, result.stderr
    original, restored = contents(demo_crawl.db_path), contents(tmp_path / "fresh.db")
    assert original["articles"]
    assert original["facts"]
    assert restored == original
    again = run_cli("import", str(path), "--db", str(tmp_path / "fresh.db"))  # importing twice adds nothing
    assert f"{len(original['articles'])} articles known" in again.stdout
    assert contents(tmp_path / "fresh.db") == original


def test_warc_import_restores_the_raw_pages(demo_crawl: Crawl, warc: Path, tmp_path: Path) -> None:
    assert run_cli("import", str(warc), "--db", str(tmp_path / "fresh.db")).returncode == 0
    pages = "SELECT url, final_url, site, sha256, outcome FROM pages ORDER BY url"
    assert Database(tmp_path / "fresh.db").execute(pages).fetchall() == demo_crawl.db.execute(pages).fetchall()
    linked = "SELECT a.url, p.sha256 FROM articles a JOIN pages p ON p.id = a.page_id ORDER BY 1"
    assert Database(tmp_path / "fresh.db").execute(linked).fetchall() == demo_crawl.db.execute(linked).fetchall()


def test_warc_passes_warcio_check_and_holds_request_response_metadata(demo_crawl: Crawl, warc: Path) -> None:
    check = subprocess.run([BIN / "warcio", "check", str(warc)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    kinds: dict[str, int] = {}
    with warc.open("rb") as stream:
        for record in ArchiveIterator(stream):
            kinds[record.rec_type] = kinds.get(record.rec_type, 0) + 1
            assert record.rec_headers.protocol == "WARC/1.1"
            if record.rec_type == "response":
                assert record.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    articles = demo_crawl.db.table("articles").count
    pages = demo_crawl.db.execute(  # per article, every page it was seen on, with their continuation pages
        "SELECT count(*) FROM (SELECT DISTINCT s.article_id, p.id FROM sightings s"
        " JOIN pages p ON p.id = s.page_id OR p.part_of = s.page_id)"
    ).fetchone()[0]
    assert kinds == {"warcinfo": 1, "request": pages, "response": pages, "metadata": articles}


def test_cdxj_index_is_what_cdxj_indexer_writes(warc: Path) -> None:
    reference = subprocess.run([BIN / "cdxj-indexer", "-s", str(warc)], capture_output=True, text=True, check=True)
    assert warc.with_name("data.cdxj").read_text(encoding="utf-8").splitlines() == reference.stdout.splitlines()


def test_a_truncated_warc_is_caught_where_warcio_check_is_not(warc: Path, tmp_path: Path) -> None:
    with warc.open("rb") as stream:
        records = sum(1 for _ in ArchiveIterator(stream))
    cut = tmp_path / "cut.warc.gz"
    data = warc.read_bytes()
    with warc.open("rb") as stream:  # cut cleanly after a record boundary, where nothing looks wrong
        iterator = ArchiveIterator(stream)
        offsets = [iterator.get_record_offset() for _ in iterator]
    cut.write_bytes(data[: offsets[len(offsets) // 2]])
    check = subprocess.run([BIN / "warcio", "check", str(cut)], capture_output=True, text=True, check=False)
    assert check.returncode == 0  # the measured fact: warcio check does not notice
    with pytest.raises(ExportError, match="incomplete"):
        verify(cut, records, cut.name)


def test_wacz_passes_wacz_validate(demo_crawl: Crawl, tmp_path: Path) -> None:
    path = tmp_path / "demo.wacz"
    export(demo_crawl, "wacz", path)
    result = subprocess.run([BIN / "wacz", "validate", "-f", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
    assert "Validation succeeded" in result.stdout


def test_parquet_has_types_pyarrow_and_duckdb_read(demo_crawl: Crawl, tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    export(demo_crawl, "parquet", path)
    schema = pq.read_schema(path)
    assert str(schema.field("published_at").type) == "timestamp[us, tz=UTC]"
    assert str(schema.field("author").type) == "list<element: string>"
    table = pq.read_table(path)
    assert table.num_rows == demo_crawl.db.table("articles").count
    con = duckdb.connect()
    sql = f"SELECT typeof(published_at), count(*), sum(len(facts)) FROM '{path}' GROUP BY 1"
    assert con.execute(sql).fetchall() == [
        ("TIMESTAMP WITH TIME ZONE", table.num_rows, demo_crawl.db.table("facts").count)
    ]
    # 2019-07-27T00:00:00+08:00 on the page is 2019-07-26 16:00 UTC
    first = demo_crawl.db.execute("SELECT url, published_at FROM articles ORDER BY id LIMIT 1").fetchone()
    found = con.execute(f"SELECT epoch(published_at) FROM '{path}' WHERE url = ?", [first[0]]).fetchall()
    assert found == [(datetime.fromisoformat(first[1]).timestamp(),)]


def test_csv_keeps_chinese_with_an_optional_bom(demo_crawl: Crawl, tmp_path: Path) -> None:
    export(demo_crawl, "csv", tmp_path / "plain.csv")
    export(demo_crawl, "csv", tmp_path / "excel.csv", "--bom")
    assert (tmp_path / "excel.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (tmp_path / "plain.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with (tmp_path / "excel.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    titles = {row[0] for row in demo_crawl.db.execute("SELECT title FROM articles")}
    assert {row["title"] for row in rows} == titles
    assert all(json.loads(row["facts"]) is not None for row in rows)


def test_jsonl_lines_carry_facts_and_sightings(demo_crawl: Crawl, tmp_path: Path) -> None:
    export(demo_crawl, "jsonl", tmp_path / "a.jsonl")
    records = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == demo_crawl.db.table("articles").count
    assert sum(len(r["facts"]) for r in records) == demo_crawl.db.table("facts").count
    assert sum(len(r["sightings"]) for r in records) == demo_crawl.db.table("sightings").count
    assert all(isinstance(r["author"], list) for r in records)


def test_selections_narrow_the_export(demo_crawl: Crawl, tmp_path: Path) -> None:
    def exported(*options: str) -> list[dict[str, object]]:
        path = tmp_path / "part.jsonl"
        export(demo_crawl, "jsonl", path, *options)
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    assert {r["site"] for r in exported("--site", "demo_daily")} == {"demo_daily"}
    since = exported("--since", "2022", "--until", "2022-12")
    assert since
    assert all(str(r["published_at"]).startswith("2022") for r in since)
    found = exported("--query", "停电")
    assert found
    assert all("停电" in str(r["title"]) + str(r["body"]) for r in found)


def test_a_warc_from_another_crawler_goes_through_the_pipeline(demo_crawl: Crawl, warc: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "other.warc.gz"
    with warc.open("rb") as stream, foreign.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                body = record.content_stream().read()
                uri = record.rec_headers.get_header("WARC-Target-URI")
                writer.write_record(
                    writer.create_warc_record(
                        uri, "response", payload=BytesIO(body), length=len(body), http_headers=record.http_headers
                    )
                )
    result = run_cli("import", str(foreign), "--db", str(tmp_path / "fresh.db"))
    assert result.returncode == 0, result.stderr
    compared = "SELECT url, site, title, published_at, body, content_hash FROM articles ORDER BY url"
    assert Database(tmp_path / "fresh.db").execute(compared).fetchall() == demo_crawl.db.execute(compared).fetchall()


def test_bad_jsonl_lines_are_reported_and_the_rest_imported(tmp_path: Path) -> None:
    good = {"url": "http://a.test/1", "site": "a", "title": "标题", "body": "正文", "facts": [], "sightings": []}
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([json.dumps(good), "{not json", "[1, 2]", ""]) + "\n", encoding="utf-8")
    result = run_cli("import", str(path), "--db", str(tmp_path / "a.db"))
    assert result.returncode == 0
    assert "1 articles new" in result.stdout
    assert "2 lines unreadable" in result.stdout
    assert "line 2 skipped" in result.stderr


def test_export_errors_are_one_line(demo_crawl: Crawl, tmp_path: Path) -> None:
    db = str(demo_crawl.db_path)
    assert_one_line_error(
        run_cli("export", "--db", db, "-f", "jsonl", "-o", str(tmp_path / "no" / "a.jsonl")), "does not exist"
    )
    assert_one_line_error(
        run_cli("export", "--db", db, "-f", "jsonl", "-o", str(tmp_path / "a"), "--query", '"停电'), "quote"
    )
    (tmp_path / "x.txt").write_text("hello")
    assert_one_line_error(run_cli("import", str(tmp_path / "x.txt"), "--db", db), "cannot tell the format")
