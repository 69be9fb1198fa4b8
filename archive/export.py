"""`newsarchive export`: the archive, or a selection of it, as JSONL, CSV, Parquet, WARC or WACZ."""

from __future__ import annotations

import time
from pathlib import Path

import click

from archive.db import open_reader
from archive.exports.files import ExportError, atomic
from archive.exports.rows import bundles, count
from archive.options import db_option, selection_options
from archive.progress import Progress
from archive.query import QueryError, parse_query
from archive.selection import Selection

FORMATS = ("jsonl", "csv", "parquet", "warc", "wacz")


def index_path(path: Path) -> Path:
    """Where a WARC's CDXJ index goes: data.warc.gz -> data.cdxj."""
    name = path.name
    for suffix in (".warc.gz", ".warc"):
        if name.endswith(suffix):
            return path.with_name(name[: -len(suffix)] + ".cdxj")
    return path.with_name(name + ".cdxj")


def export(db_path: Path, fmt: str, path: Path, selection: Selection, bom: bool = False) -> int:
    """Write the selected articles to `path` in a format; return how many."""
    from archive.exports import parquet, tabular, wacz, warc

    db = open_reader(db_path)
    progress = Progress(f"export {fmt}", count(db, selection))
    rows = bundles(db, selection)
    try:
        if fmt == "jsonl":
            return tabular.write_jsonl(rows, path, progress)
        if fmt == "csv":
            return tabular.write_csv(rows, path, progress, bom)
        if fmt == "parquet":
            return parquet.write_parquet(rows, path, progress)
        if fmt == "wacz":
            return wacz.write_wacz(db, rows, path, progress, f"newsarchive: {db_path.name}")
        with atomic(path) as partial:
            result = warc.write_warc(db, rows, partial, progress, filename=path.name)
        result.index.write(index_path(path))
        return result.articles
    finally:
        progress.close()


@click.command("export")
@db_option
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), required=True, help="The file format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@selection_options
@click.option("--query", help="Only articles matching this search query.")
@click.option("--bom", is_flag=True, help="CSV: start with a UTF-8 byte order mark (for Excel).")
def export_command(
    db_path: Path,
    fmt: str,
    output: Path,
    site: str | None,
    since: str | None,
    until: str | None,
    query: str | None,
    bom: bool,
) -> None:
    """Export articles with their facts and sightings, streamed (memory stays flat at any size).

    jsonl: one article a line. csv: one article a row (lists as JSON). parquet: typed columns, facts and
    sightings nested. warc: gzipped WARC/1.1 (name it .warc.gz) of the raw pages plus article metadata,
    and a CDXJ index beside it. wacz: a WACZ package for replay tools.

    Example: newsarchive export -f parquet -o utility.parquet --site demo_portal --since 2020
    """
    try:
        selection = Selection(site, since, until, parse_query(query) if query is not None else None)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    started = time.perf_counter()
    try:
        written = export(db_path, fmt, output, selection, bom)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    size = output.stat().st_size / 1e6
    click.echo(f"exported {written} articles to {output} ({size:.2f} MB, {time.perf_counter() - started:.1f} s)")
