"""The run history: what each crawl did, read back from the `runs` table."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

COLUMNS = (
    "id",
    "site",
    "status",
    "started",
    "seconds",
    "requests",
    "pages",
    "new",
    "duplicates",
    "dropped",
    "errors",
)


def summarise(stats: dict[str, Any]) -> dict[str, Any]:
    """The figures a person wants from a crawl's Scrapy stats."""
    get = stats.get
    return {
        "seconds": round(float(get("elapsed_time_seconds") or 0), 1),
        "requests": get("downloader/request_count", 0),
        "pages": get("archive/pages", 0),
        "new": get("archive/articles_new", 0),
        "duplicates": sum(get(f"dedupe/{k}", 0) for k in ("url", "exact", "near")),
        "dropped": get("item_dropped_count", 0),
        "errors": get("log_count/ERROR", 0),
    }


def list_runs(db: Database, site: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """The latest runs, newest first, each with its summary figures."""
    where, params = ("WHERE site = ?", [site]) if site else ("", [])
    rows = db.query(f"SELECT * FROM runs {where} ORDER BY id DESC LIMIT ?", [*params, limit])
    return [
        {
            "id": r["id"],
            "site": r["site"],
            "status": r["status"],
            "started": r["started_at"],
            **summarise(json.loads(r["stats"] or "{}")),
        }
        for r in rows
    ]
