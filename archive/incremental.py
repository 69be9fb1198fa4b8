"""What incremental crawls ask of the archive: is a URL archived, when was it fetched, what validators a
list page had, and whether a site's last run walked everything. Plus the one write: validators.

Each question is one indexed query, so memory stays flat however large the archive grows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from archive.db import now

# pages dropped for these reasons were not the article (an error page served with 200): fetch them again
REFETCH_REASONS = ("ErrorPage",)


@dataclass(frozen=True)
class LastFetch:
    """The newest stored copy of a URL: when it was fetched and the validators it came with."""

    fetched_at: str
    etag: str | None
    last_modified: str | None


def is_archived(db: Database, url: str, canonical: str, current_run: int | None) -> bool:
    """Tell whether an earlier run stored this URL (as fetched, or as an article's canonical URL)."""
    run = -1 if current_run is None else current_run
    page = db.execute(
        "SELECT 1 FROM pages WHERE url = ? AND coalesce(run_id, 0) <> ?"
        f" AND (outcome <> 'dropped' OR coalesce(reason, '') NOT IN ({','.join('?' * len(REFETCH_REASONS))}))"
        " LIMIT 1",
        [url, run, *REFETCH_REASONS],
    ).fetchone()
    if page:
        return True
    seen = db.execute(
        "SELECT 1 FROM sightings WHERE url = ? AND coalesce(run_id, 0) <> ? LIMIT 1", [canonical, run]
    ).fetchone()
    return seen is not None


def last_fetch(db: Database, url: str) -> LastFetch | None:
    """The newest stored page of a URL, or None."""
    row = db.execute(
        "SELECT fetched_at, etag, last_modified FROM pages WHERE url = ? ORDER BY fetched_at DESC LIMIT 1", [url]
    ).fetchone()
    return LastFetch(*row) if row else None


def validators_for(db: Database, url: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified stored for a list page, feed or sitemap."""
    row = db.execute("SELECT etag, last_modified FROM validators WHERE url = ?", [url]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def save_validators(
    db: Database, site: str, run_id: int | None, found: Mapping[str, tuple[str | None, str | None]]
) -> int:
    """Store the validators of the list pages, feeds and sitemaps a complete run fetched."""
    rows = [
        {"url": url, "site": site, "etag": etag, "last_modified": modified, "fetched_at": now(), "run_id": run_id}
        for url, (etag, modified) in found.items()
        if etag or modified
    ]
    if rows:
        db.table("validators").upsert_all(rows, pk="url")
    return len(rows)


def walked_everything(reason: str | None, stats: Mapping[str, Any]) -> bool:
    """Tell whether a run saw every page it found: it ended normally, lost no request and was no resumption.

    Only after such a run may the next one trust 304s and stop paging at the first page of known articles.
    """
    lost = any(key.startswith("news/lost/") and value and _transient(key) for key, value in stats.items())
    return reason == "finished" and not lost and not stats.get("incremental/resumed")


def _transient(lost_key: str) -> bool:
    """A loss the next run may undo: not a client error (a dead link stays dead), nor a page too large."""
    name = lost_key.rsplit("/", 1)[-1]
    if name.startswith("http_4") and name not in ("http_408", "http_429"):
        return False
    return name != "too_large"


def last_run_walked_everything(db: Database, site: str, before_run: int | None) -> bool:
    """Whether the site's previous run (before `before_run`) walked everything it found."""
    where, params = ("AND id < ?", [before_run]) if before_run else ("", [])
    row = db.execute(
        f"SELECT finish_reason, stats FROM runs WHERE site = ? {where} ORDER BY id DESC LIMIT 1", [site, *params]
    ).fetchone()
    return bool(row) and walked_everything(row[0], json.loads(row[1] or "{}"))


def urls_archived(db: Database, urls: Iterable[tuple[str, str]], current_run: int | None) -> bool:
    """Tell whether every (url, canonical) pair was stored by an earlier run."""
    return all(is_archived(db, url, canonical, current_run) for url, canonical in urls)
