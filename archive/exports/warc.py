"""WARC/1.1 export: per article its pages (request and response records) and a metadata record.

The response holds the raw page as fetched; the metadata record (application/json, concurrent to the
article's response) holds what the archive read from it: the article, its facts and its sightings,
so `newsarchive import` restores the archive exactly. Requests are reconstructed (the archive keeps
responses, not the requests sent). After writing, the file is read back with digests checked and
its records counted, because a truncated .warc.gz still passes `warcio check`; the same pass builds
the CDXJ index.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from archive.compression import decompress_body
from archive.exports.cdxj import SortedLines, cdxj_line
from archive.exports.files import ExportError
from archive.exports.rows import Bundle
from archive.progress import Progress

METADATA_FORMAT = "newsarchive-article/1"
DROPPED_HEADERS = {"transfer-encoding", "content-length"}  # the body is stored whole and decoded
PAGE_COLUMNS = "id, url, final_url, site, status, fetched_at, headers, body, via, encoding, outcome, reason, part_of"


@dataclass
class WarcResult:
    """What a WARC export wrote."""

    articles: int = 0
    records: int = 0
    index: SortedLines = field(default_factory=SortedLines)


def warc_date(text: str | None) -> str:
    """A stored ISO time as a WARC-Date (UTC, seconds, Z)."""
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        moment = datetime.now(UTC)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def response_headers(page: dict[str, Any], length: int) -> Any:
    """The HTTP status line and headers of a stored page, with the length of the body as stored."""
    from warcio.statusandheaders import StatusAndHeaders

    status = int(page["status"] or 200)
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    headers = [(k, v) for k, v in json.loads(page["headers"] or "{}").items() if k.lower() not in DROPPED_HEADERS]
    if any(k.lower() == "content-encoding" for k, _ in headers):
        headers = [(k, v) for k, v in headers if k.lower() != "content-encoding"]  # Scrapy stored it decoded
    return StatusAndHeaders(f"{status} {reason}", [*headers, ("Content-Length", str(length))], protocol="HTTP/1.1")


def request_headers(url: str) -> Any:
    """The GET a crawl with the project's default settings sends for a URL."""
    from scrapy.settings.default_settings import DEFAULT_REQUEST_HEADERS
    from warcio.statusandheaders import StatusAndHeaders

    from crawler.settings import USER_AGENT

    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc), ("User-Agent", USER_AGENT), *DEFAULT_REQUEST_HEADERS.items()]
    return StatusAndHeaders(f"GET {target} HTTP/1.1", headers, is_http_request=True)


class WarcExport:
    """Write bundles as WARC records; one instance per output file."""

    def __init__(self, db: Database, out: IO[bytes], filename: str, pages: IO[str] | None = None):
        from warcio.warcwriter import WARCWriter

        self.db, self.filename, self.pages = db, filename, pages
        self.writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
        self.result = WarcResult()

    def write_info(self) -> None:
        """The warcinfo record that opens the file."""
        from importlib.metadata import version

        info = {
            "software": f"newsarchive/{version('newsarchive')}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "description": "News articles archived by newsarchive: raw responses, reconstructed requests, "
            f"and {METADATA_FORMAT} metadata records with the article, facts and sightings read from them",
        }
        self._write(self.writer.create_warcinfo_record(self.filename, info))

    def write_bundle(self, bundle: Bundle) -> None:
        """An article's pages, then its metadata record."""
        ids = [bundle.article["page_id"], *(s["page_id"] for s in bundle.sightings)]
        record_ids: dict[int, str] = {}
        pages = []
        for page_id in dict.fromkeys(i for i in ids if i is not None):
            # a page, then the continuation pages of an article printed over several
            rows = self.db.execute(
                f"SELECT {PAGE_COLUMNS} FROM pages WHERE id = ? OR part_of = ? ORDER BY id", [page_id, page_id]
            ).fetchall()
            for row in rows:
                page = dict(zip(PAGE_COLUMNS.split(", "), row, strict=True))
                record_ids[page["id"]] = self.write_page(page)
                pages.append(page)
        self.write_metadata(bundle, record_ids, pages)
        self.result.articles += 1

    def write_page(self, page: dict[str, Any]) -> str:
        """A request and response pair for a stored page; return the response's record id."""
        body = decompress_body(page["body"])
        url, date = page["final_url"] or page["url"], warc_date(page["fetched_at"])
        response = self.writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=response_headers(page, len(body)),
            warc_headers_dict={"WARC-Date": date},
        )
        request = self.writer.create_warc_record(
            url,
            "request",
            payload=BytesIO(b""),
            http_headers=request_headers(url),
            warc_headers_dict={"WARC-Date": date},
        )
        self.writer.write_request_response_pair(request, response)
        self.result.records += 2
        return str(response.rec_headers.get_header("WARC-Record-ID"))

    def write_metadata(self, bundle: Bundle, record_ids: dict[int, str], pages: list[dict[str, Any]]) -> None:
        """The metadata record: the article as read, pointing at the response records it came from."""
        record = bundle.record()
        record["page"] = record_ids.get(bundle.article["page_id"])
        for out, stored in zip(record["sightings"], bundle.sightings, strict=True):
            out["page"] = record_ids.get(stored["page_id"])
        described = [
            {
                "record": record_ids[p["id"]],
                **{k: p[k] for k in ("url", "site", "via", "encoding", "outcome", "reason")},
                **({"part_of": record_ids[p["part_of"]]} if p["part_of"] in record_ids else {}),
            }
            for p in pages
        ]
        payload = json.dumps({"format": METADATA_FORMAT, "article": record, "pages": described}, ensure_ascii=False)
        data = payload.encode("utf-8")
        main = next((p for p in pages if p["id"] == bundle.article["page_id"]), None)
        headers = {"WARC-Date": warc_date(main["fetched_at"] if main else bundle.article["first_seen"])}
        if record["page"]:
            headers["WARC-Concurrent-To"] = record["page"]
        metadata = self.writer.create_warc_record(
            bundle.article["url"],
            "metadata",
            payload=BytesIO(data),
            length=len(data),
            warc_content_type="application/json",
            warc_headers_dict=headers,
        )
        self._write(metadata)
        if self.pages is not None and main is not None:
            line = {
                "url": main["final_url"] or main["url"],
                "ts": headers["WARC-Date"],
                "title": bundle.article["title"],
            }
            self.pages.write(json.dumps(line, ensure_ascii=False) + "\n")

    def _write(self, record: Any) -> None:
        self.writer.write_record(record)
        self.result.records += 1


def write_warc(
    db: Database,
    bundles: Iterable[Bundle],
    path: Path,
    progress: Progress,
    pages: IO[str] | None = None,
    filename: str = "",
) -> WarcResult:
    """Write the bundles to a .warc.gz at `path`, verify it, and return what it holds with its index.

    `filename` is the name the file will have (in warcinfo and the index) when `path` is temporary.
    """
    filename = filename or path.name
    with path.open("wb") as out:
        export = WarcExport(db, out, filename, pages)
        export.write_info()
        for bundle in bundles:
            export.write_bundle(bundle)
            progress.advance()
    export.result.index = verify(path, export.result.records, filename)
    return export.result


def verify(path: Path, expected: int, filename: str) -> SortedLines:
    """Read a written WARC back, checking digests and the record count; return its CDXJ lines."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    index, seen = SortedLines(), 0
    try:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream, check_digests="raise")
            for record in records:
                seen += 1
                if record.rec_type in ("response", "metadata"):
                    fields = cdxj_fields(record)
                    record.content_stream().read()  # digests are checked as the record is read
                    fields.update(length=records.get_record_length(), offset=records.get_record_offset())
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    date = record.rec_headers.get_header("WARC-Date")
                    index.add(
                        cdxj_line(url, "".join(c for c in date if c.isdigit())[:14], {**fields, "filename": filename})
                    )
    except (ArchiveLoadFailed, OSError, EOFError) as exc:
        raise ExportError(f"{path} failed verification after writing: {exc}") from None
    if seen != expected:
        raise ExportError(f"{path} holds {seen} records after writing {expected}: the file is incomplete")
    return index


def cdxj_fields(record: Any) -> dict[str, Any]:
    """mime, status and digest of a record, as cdxj-indexer reports them."""
    if record.rec_type == "response" and record.http_headers is not None:
        mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip()
        status = record.http_headers.get_statuscode()
    else:
        mime, status = record.rec_headers.get_header("Content-Type"), None
    return {"mime": mime, "status": status, "digest": record.rec_headers.get_header("WARC-Payload-Digest")}
