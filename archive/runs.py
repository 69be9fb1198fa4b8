"""The run history: what each crawl did, read back from the `runs` table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

COLUMNS = (
    "id",
    "site",
    "status",
    "started",
    "seconds",
    "requests",
    "statuses",
    "new",
    "duplicates",
    "dropped",
    "errors",
    "MB",
    "note",
)


def by_suffix(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """Counters that share a prefix, keyed by what follows it (`fault/timeout` -> `timeout`)."""
    return {k[len(prefix) :]: int(v) for k, v in sorted(stats.items()) if k.startswith(prefix) and v}


def summarise(stats: dict[str, Any]) -> dict[str, Any]:
    """The figures a person wants from a crawl's Scrapy stats."""
    get = stats.get
    dropped = by_suffix(stats, "item_dropped_reasons_count/")
    return {
        "seconds": round(float(get("elapsed_time_seconds") or 0), 1),
        "requests": get("downloader/request_count", 0),
        "responses": by_suffix(stats, "downloader/response_status_count/"),
        "pages": get("archive/pages", get("redis/pages_pushed", 0)),  # a worker's: pushed to the ingester
        "new": get("archive/articles_new", 0),
        "duplicates": sum(get(f"dedupe/{k}", 0) for k in ("url", "exact", "near")),
        "dropped": sum(dropped.values()),
        "dropped_by_reason": dropped,
        "skipped": get("incremental/skipped_known", 0),
        "not_modified": get("incremental/not_modified", 0),
        "errors": sum(by_suffix(stats, "fault/").values()),
        "errors_by_kind": by_suffix(stats, "fault/"),
        "lost": by_suffix(stats, "news/lost/"),
        "bytes": get("downloader/response_bytes", 0),
    }


def table_row(run: Mapping[str, Any]) -> list[Any]:
    """A run as a line of the `newsarchive runs` table."""
    statuses = " ".join(f"{code}:{n}" for code, n in run["responses"].items())
    note = run["problem"] or run["error"] or ("" if run["reason"] in (None, "finished") else run["reason"])
    return [
        run["id"],
        run["site"],
        run["status"],
        (run["started"] or "")[:19],
        run["seconds"],
        run["requests"],
        statuses,
        run["new"],
        run["duplicates"],
        run["dropped"],
        run["errors"],
        round(run["bytes"] / 1e6, 2),
        note,
    ]


def list_runs(db: Database, site: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """The latest runs, newest first, each with its summary figures."""
    where, params = ("WHERE site = ?", [site]) if site else ("", [])
    rows = db.query(f"SELECT * FROM runs {where} ORDER BY id DESC LIMIT ?", [*params, limit])
    runs = []
    for r in rows:
        stats = json.loads(r["stats"] or "{}")
        runs.append(
            {
                "id": r["id"],
                "site": r["site"],
                "status": r["status"],
                "started": r["started_at"],
                "finished": r["finished_at"],
                "reason": r["finish_reason"],
                "problem": r.get("problem"),
                "error": stats.get("archive/error"),
                **summarise(stats),
            }
        )
    return runs


def recent_stats(db: Database, site: str, before_run: int | None, limit: int = 10) -> list[dict[str, Any]]:
    """The stats of the site's runs that ran to their end before `before_run`, newest first."""
    where, params = ("AND id < ?", [before_run]) if before_run else ("", [])
    rows = db.execute(
        f"SELECT stats FROM runs WHERE site = ? AND status IN ('finished', 'failed') {where} ORDER BY id DESC LIMIT ?",
        [site, *params, limit],
    ).fetchall()
    return [json.loads(row[0] or "{}") for row in rows]


def last_started(db: Database) -> dict[str, str]:
    """When each site's latest run started (ISO 8601, UTC), the scheduler's memory of what it has done."""
    return dict(db.execute("SELECT site, max(started_at) FROM runs GROUP BY site").fetchall())
