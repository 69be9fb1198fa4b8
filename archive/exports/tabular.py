"""JSONL (one article a line, with its facts and sightings) and CSV (one article a row) exports."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from archive.exports.files import atomic
from archive.exports.rows import Bundle
from archive.progress import Progress

CSV_COLUMNS = (
    "id",
    "url",
    "site",
    "title",
    "subtitle",
    "published_at",
    "author",
    "source",
    "editor",
    "section",
    "body",
    "lang",
    "images",
    "content_hash",
    "cluster",
    "first_seen",
    "updated_at",
    "facts",
    "sightings",
)


def write_jsonl(bundles: Iterable[Bundle], path: Path, progress: Progress) -> int:
    """One JSON object a line, UTF-8, Chinese as itself; return how many articles."""
    written = 0
    with atomic(path) as partial, partial.open("w", encoding="utf-8") as out:
        for bundle in bundles:
            out.write(json.dumps(bundle.record(), ensure_ascii=False) + "\n")
            written += 1
            progress.advance()
    return written


def write_csv(bundles: Iterable[Bundle], path: Path, progress: Progress, bom: bool = False) -> int:
    """One article a row; lists (authors, images, facts, sightings) as JSON text in their cell."""
    written = 0
    with atomic(path) as partial, partial.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for bundle in bundles:
            record = bundle.record()
            writer.writerow(_cell(record.get(name)) for name in CSV_COLUMNS)
            written += 1
            progress.advance()
    return written


def _cell(value: object) -> object:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value
