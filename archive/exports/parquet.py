"""Parquet export: one row per article, typed columns, facts and sightings as nested lists.

Timestamps are instants in UTC (the page's own offset is applied, +08:00 when it gave none), so
DuckDB reads them as TIMESTAMP WITH TIME ZONE and pandas as tz-aware datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from itertools import islice
from pathlib import Path
from typing import Any

from archive.exports.files import ExportError, atomic
from archive.exports.rows import Bundle
from archive.progress import Progress

CHINA = timezone(timedelta(hours=8))
ROW_GROUP = 5000  # articles per row group: memory stays at one group whatever the archive's size


def schema() -> Any:
    """The Arrow schema of the export."""
    import pyarrow as pa

    text, stamp = pa.string(), pa.timestamp("us", tz="UTC")
    fact = pa.struct(
        [
            ("kind", text),
            ("subject", text),
            ("region", text),
            ("year", pa.int32()),
            ("value", pa.float64()),
            ("unit", text),
            ("evidence", text),
            ("start", pa.int32()),
            ("end", pa.int32()),
        ]
    )
    sighting = pa.struct(
        [
            ("url", text),
            ("site", text),
            ("seen_at", stamp),
            ("published_at", stamp),
            ("title", text),
            ("kind", text),
            ("similarity", pa.float64()),
        ]
    )
    image = pa.struct([("src", text), ("caption", text)])
    fields = [("id", pa.int64()), *((name, text) for name in ("url", "site", "title", "subtitle"))]
    fields += [("published_at", stamp), ("author", pa.list_(text))]
    fields += [(name, text) for name in ("source", "editor", "section", "body", "lang")]
    fields += [("images", pa.list_(image)), ("content_hash", text), ("cluster", text)]
    fields += [
        ("first_seen", stamp),
        ("updated_at", stamp),
        ("facts", pa.list_(fact)),
        ("sightings", pa.list_(sighting)),
    ]
    return pa.schema(fields)


def instant(text: str | None, default_zone: timezone = UTC) -> datetime | None:
    """An ISO 8601 string as an aware datetime; None when absent or unreadable."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=default_zone)


def parquet_row(bundle: Bundle) -> dict[str, Any]:
    """A bundle as a row of the Parquet schema."""
    row = bundle.record()
    row["published_at"] = instant(row["published_at"], CHINA)
    row["first_seen"], row["updated_at"] = instant(row["first_seen"]), instant(row["updated_at"])
    row["images"] = [{"src": i.get("src"), "caption": i.get("caption")} for i in row["images"] if isinstance(i, dict)]
    for sighting in row["sightings"]:
        sighting["seen_at"] = instant(sighting["seen_at"])
        sighting["published_at"] = instant(sighting["published_at"], CHINA)
    return row


def write_parquet(bundles: Iterable[Bundle], path: Path, progress: Progress) -> int:
    """Write the bundles as Parquet (zstd), one row group at a time; return how many articles."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("Parquet export needs pyarrow: pip install 'newsarchive[parquet]'") from None
    arrow_schema, written = schema(), 0
    with atomic(path) as partial, pq.ParquetWriter(partial, arrow_schema, compression="zstd") as writer:
        for group in _chunks(bundles, ROW_GROUP):
            rows = [parquet_row(bundle) for bundle in group]
            writer.write_table(pa.Table.from_pylist(rows, schema=arrow_schema))
            written += len(rows)
            progress.advance(len(rows))
    return written


def _chunks(items: Iterable[Bundle], size: int) -> Iterator[list[Bundle]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
