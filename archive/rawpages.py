"""Raw pages read back from the archive as the spider yielded them, continuation pages attached."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from archive.compression import decompress_body
from crawler.items import PageItem


def page_item(row: dict[str, Any]) -> PageItem:
    """A stored page row as a PageItem."""
    return PageItem(
        url=row["url"],
        final_url=row["final_url"] or row["url"],
        site=row["site"],
        status=row["status"] or 200,
        headers=json.loads(row["headers"] or "{}"),
        body=decompress_body(row["body"]),
        fetched_at=row["fetched_at"] or "",
        via=row["via"] or "list",
    )


def stored_pages(db: Database, where: str = "1", params: list[Any] | None = None) -> Iterator[tuple[int, PageItem]]:
    """(id, page) for every first page matching `where`, oldest first, streamed, with its parts attached."""
    rows = db.query(f"SELECT * FROM pages WHERE part_of IS NULL AND ({where}) ORDER BY id", params or [])
    for row in rows:
        yield row["id"], stored_page(db, row)


def stored_page(db: Database, row: dict[str, Any]) -> PageItem:
    """A stored first page as a PageItem, with its continuation pages attached."""
    page = page_item(row)
    parts = db.query("SELECT * FROM pages WHERE part_of = ? ORDER BY id", [row["id"]])
    page.parts = [page_item(part) for part in parts]
    return page
