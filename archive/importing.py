"""`newsarchive import`: read a JSONL, WARC or WACZ export (or any WARC of news pages) into an archive.

Our own exports are restored as they were: articles, facts and sightings from the JSONL lines or the
WARC metadata records, raw pages from the WARC responses. A WARC written by another tool has no such
records: its HTML responses go through the pipeline stages, as a crawl would have read them.
"""

from __future__ import annotations

import json
import logging
import zipfile
from collections import Counter, OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import click

from archive.db import Archive, open_archive
from archive.exports.warc import METADATA_FORMAT
from archive.options import db_option, sites_dir_option
from archive.progress import Progress
from archive.records import save_page
from archive.restore import restore_article, restore_cluster
from crawler.continuation import first_page
from crawler.items import PageItem
from crawler.sites import SiteDefinition, iter_sites
from pipelines.offline import Stages

logger = logging.getLogger(__name__)
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".warc": "warc", ".gz": "warc", ".wacz": "wacz"}


class Importer:
    """Restore records into one archive, counting what happened."""

    def __init__(self, archive: Archive, stages: Stages, sites: list[SiteDefinition]):
        self.archive, self.stages, self.sites = archive, stages, sites
        self.counts: Counter[str] = Counter()
        self.clusters: list[tuple[int, str]] = []
        self.run_id = archive.start_run("import", {})
        self.progress = Progress("import")

    def article(self, record: dict[str, Any], page_ids: dict[str, int]) -> None:
        """Restore one exported article."""
        article_id, new = restore_article(self.archive.db, record, page_ids, self.run_id)
        self.counts["articles_new" if new else "articles_known"] += 1
        if record.get("cluster") and record["cluster"] != record["url"]:
            self.clusters.append((article_id, record["cluster"]))
        self.progress.advance()

    def foreign_page(self, page: PageItem) -> None:
        """A page from another tool's WARC: through the stages, as a crawl would read it."""
        page.site = page.site or self.site_of(page.final_url)
        outcome = self.stages.process(self.archive.db, page, self.run_id)
        self.counts["pages_dropped" if outcome.dropped else "pages_extracted"] += 1
        self.progress.advance()

    def site_of(self, url: str) -> str:
        """The site definition whose domains hold the URL, else the URL's host name."""
        host = (urlsplit(url).hostname or "").lower()
        for site in self.sites:
            if any(host == d or host.endswith("." + d) for d in site.allowed_domains):
                return site.name
        return host

    def finish(self) -> Counter[str]:
        """Link clusters whose article came later in the file; close the run."""
        db = self.archive.db
        with self.archive.batch():
            self.counts["clusters_unresolved"] += sum(not restore_cluster(db, a, url) for a, url in self.clusters)
        self.progress.close()
        self.archive.finish_run(self.run_id, "finished", "finished", {f"import/{k}": v for k, v in self.counts.items()})
        return self.counts


def import_jsonl(importer: Importer, stream: IO[str]) -> None:
    """Each line an exported article; an unreadable line is reported and skipped."""
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not record.get("url"):
                raise ValueError("not an article record (no url)")
            with importer.archive.batch():
                importer.article(record, {})
        except ValueError as exc:
            logger.warning("line %d skipped: %s", number, exc)
            importer.counts["lines_unreadable"] += 1


def page_from(record: Any, details: dict[str, Any] | None = None) -> PageItem:
    """The PageItem of a WARC response record (what a crawl would have handed the pipeline)."""
    details = details or {}
    target = record.rec_headers.get_header("WARC-Target-URI")
    http = record.http_headers
    headers = dict(http.headers) if http is not None else {}
    return PageItem(
        url=details.get("url") or target,
        final_url=target,
        site=details.get("site") or "",
        status=int(http.get_statuscode() or 200) if http is not None else 200,
        headers=headers,
        body=record.content_stream().read(),
        fetched_at=record.rec_headers.get_header("WARC-Date") or "",
        via=details.get("via") or "warc",
    )


def import_warc(importer: Importer, stream: IO[bytes]) -> None:
    """Restore our WARC exports by their metadata records; read other WARCs' pages through the stages."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    ours, pending, foreign = False, dict[str, PageItem](), ForeignPages(importer)
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type == "warcinfo":
                ours = b"newsarchive" in record.content_stream().read()
            elif record.rec_type == "response" and _is_page(record):
                page = page_from(record)
                if ours:
                    pending[record.rec_headers.get_header("WARC-Record-ID")] = page
                else:
                    foreign.add(page)
            elif record.rec_type == "metadata" and ours:
                data = _metadata(record)
                if data is not None:
                    _guarded(importer, "article", lambda data=data: restore_group(importer, data, pending))
    except ArchiveLoadFailed as exc:
        logger.warning("the WARC is damaged, import stopped there: %s", exc)
        importer.counts["warc_damaged"] += 1
    for page in pending.values():  # responses no metadata record described: read them as a crawl would
        foreign.add(page)
    foreign.flush()


class ForeignPages:
    """Pages of another tool's WARC, held a little while so an article's continuation pages join its first.

    Crawlers write page 2 of an article soon after page 1; a window of recent pages finds it without
    holding a whole WARC in memory. A continuation whose first page is not in the window is read alone.
    """

    def __init__(self, importer: Importer, window: int = 64):
        self.importer, self.window = importer, window
        self.held: OrderedDict[str, PageItem] = OrderedDict()

    def add(self, page: PageItem) -> None:
        """Hold a page, or attach it to the first page it continues."""
        start = first_page(page.final_url)
        if start is not None and start in self.held:
            self.held[start].parts.append(page)
            return
        self.held[page.final_url] = page
        while len(self.held) > self.window:
            self.read(self.held.popitem(last=False)[1])

    def flush(self) -> None:
        """Read every page still held."""
        while self.held:
            self.read(self.held.popitem(last=False)[1])

    def read(self, page: PageItem) -> None:
        _guarded(self.importer, "page", lambda: self.importer.foreign_page(page))


def restore_group(importer: Importer, data: dict[str, Any], pending: dict[str, PageItem]) -> None:
    """Store the pages a metadata record describes, then the article with its facts and sightings."""
    page_ids: dict[str, int] = {}
    for described in data.get("pages") or []:
        page = pending.pop(described["record"], None)
        if page is None:
            continue
        page.url, page.site, page.via = (
            described.get("url") or page.url,
            described.get("site") or "",
            described.get("via"),
        )
        outcome = described.get("outcome") or "article"
        extra = {"encoding": described.get("encoding"), "reason": described.get("reason")}
        if described.get("part_of") in page_ids:  # a continuation page of an article over several
            extra["part_of"] = page_ids[described["part_of"]]
        page_ids[described["record"]] = save_page(importer.archive.db, page, importer.run_id, outcome, **extra)
    importer.article(data["article"], page_ids)


def _is_page(record: Any) -> bool:
    http = record.http_headers
    return http is not None and (http.get_header("Content-Type") or "text/html").startswith(
        ("text/html", "application/xhtml")
    )


def _metadata(record: Any) -> dict[str, Any] | None:
    try:
        data = json.loads(record.content_stream().read())
    except ValueError:
        return None
    return data if isinstance(data, dict) and data.get("format") == METADATA_FORMAT else None


def _guarded(importer: Importer, what: str, work: Any) -> None:
    """Do one item's writes under a savepoint; a failure is counted and reported, and the import goes on."""
    try:
        with importer.archive.item():
            work()
    except Exception as exc:  # bad input never stops the rest of the import
        logger.warning("%s skipped: %s: %s", what, type(exc).__name__, exc)
        importer.counts[f"{what}s_failed"] += 1


@contextmanager
def warc_streams(path: Path, fmt: str) -> Iterator[list[IO[bytes]]]:
    """The WARC streams of a .warc(.gz) file or of the archive/ folder of a WACZ."""
    if fmt == "warc":
        with path.open("rb") as single:
            yield [single]
        return
    try:
        package = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise click.ClickException(f"{path} is not a WACZ file (not a zip)") from None
    with package:
        names = [n for n in package.namelist() if n.startswith("archive/") and ".warc" in n]
        streams = [package.open(n) for n in names]
        try:
            yield streams
        finally:
            for stream in streams:
                stream.close()


def import_path(importer: Importer, path: Path, fmt: str) -> None:
    """Import one file in a known format."""
    if fmt == "jsonl":
        with path.open(encoding="utf-8", errors="replace") as lines:
            import_jsonl(importer, lines)
        return
    with warc_streams(path, fmt) as streams:
        for stream in streams:
            import_warc(importer, stream)


def detect(path: Path, fmt: str) -> str:
    """The file's format: given, or told by its name."""
    if fmt != "auto":
        return fmt
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise click.ClickException(
            f"cannot tell the format of {path.name}: name it .jsonl, .warc.gz or .wacz, or give --format"
        )
    return found


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["auto", "jsonl", "warc", "wacz"]), default="auto", show_default=True
)
@sites_dir_option
def import_command(paths: tuple[Path, ...], db_path: Path, fmt: str, sites_dirs: tuple[str, ...]) -> None:
    """Import JSONL, WARC or WACZ exports into an archive (articles, facts, sightings, raw pages).

    Articles already in the archive (same URL) are kept; their sightings are added. A WARC from
    another crawler is read page by page through the pipeline, as a crawl would have read it.

    Example: newsarchive import utility.warc.gz old.jsonl --db merged.db
    """
    from crawler.runner import project_settings

    logging.basicConfig(format="%(levelname)s: %(message)s")
    formats = [(path, detect(path, fmt)) for path in paths]
    archive = open_archive(db_path)
    try:
        settings = project_settings({"SITES_PATHS": list(sites_dirs)})
        sites = [s for s in iter_sites(sites_dirs) if isinstance(s, SiteDefinition)]
        importer = Importer(archive, Stages.from_settings(settings), sites)
        for path, found in formats:
            import_path(importer, path, found)
        counts = importer.finish()
    finally:
        archive.close()
    click.echo(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in sorted(counts.items()) if v) or "nothing imported")
