"""What the archive holds: totals and a line per site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlite_utils import Database

PER_SITE = """
SELECT s.site, s.articles, s.first_published, s.last_published,
       (SELECT count(*) FROM pages p WHERE p.site = s.site) AS pages,
       (SELECT count(*) FROM sightings g WHERE g.site = s.site) AS sightings,
       (SELECT max(started_at) FROM runs r WHERE r.site = s.site) AS last_run
FROM (SELECT site, count(*) AS articles, min(published_at) AS first_published, max(published_at) AS last_published
      FROM articles GROUP BY site) s ORDER BY s.site
"""


def totals(db: Database, path: str) -> dict[str, Any]:
    """Row counts of the main tables and the file's size."""
    counts = {name: db.table(name).count for name in ("articles", "pages", "sightings", "facts", "runs")}
    return {**counts, "size_mb": round(Path(path).stat().st_size / 1e6, 2)}


def per_site(db: Database) -> list[dict[str, Any]]:
    """Articles, pages and sightings per site, with the span of publication dates."""
    return [
        {
            **row,
            "first_published": (row["first_published"] or "")[:10],
            "last_published": (row["last_published"] or "")[:10],
            "last_run": (row["last_run"] or "")[:19],
        }
        for row in db.query(PER_SITE)
    ]
