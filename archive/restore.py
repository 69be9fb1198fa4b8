"""The named writes of `newsarchive import`: articles restored from an export, exactly as exported.

An article already in the archive (same canonical URL) is kept as it is; the sightings the export
knew are added to it. Sighting kinds are copied as they come, whatever dedupe called them.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from archive.db import insert_many, now
from archive.fts import index_article
from archive.records import ARTICLE_FIELDS, FACT_FIELDS, find_article, insert_article

SIGHTING = (
    "INSERT OR IGNORE INTO sightings (article_id, url, site, page_id, run_id, seen_at, published_at, title, kind,"
    " similarity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def restore_article(
    db: Database, record: dict[str, Any], page_ids: dict[str, int], run_id: int | None
) -> tuple[int, bool]:
    """Store an exported article with its facts and sightings; return (id, whether it was new)."""
    article_id = find_article(db, url=record["url"])
    new = article_id is None
    if article_id is None:
        row = {name: record.get(name) for name in ARTICLE_FIELDS}
        row.update(
            url=record["url"],
            site=record.get("site"),
            author=json.dumps(record.get("author") or [], ensure_ascii=False),
            images=json.dumps(record.get("images") or [], ensure_ascii=False),
            first_seen=record.get("first_seen") or now(),
            updated_at=record.get("updated_at") or now(),
            page_id=page_ids.get(record.get("page") or ""),
            run_id=run_id,
        )
        article_id = insert_article(db, row)
        index_article(db, article_id, row["title"], row["body"])
        facts = [{name: fact.get(name) for name in FACT_FIELDS} for fact in record.get("facts") or []]
        if facts:
            insert_many(db, "facts", [{**fact, "article_id": article_id} for fact in facts])
    for sighting in record.get("sightings") or []:
        db.execute(
            SIGHTING,
            [
                article_id,
                sighting["url"],
                sighting.get("site"),
                page_ids.get(sighting.get("page") or ""),
                run_id,
                sighting.get("seen_at") or now(),
                sighting.get("published_at"),
                sighting.get("title"),
                sighting.get("kind") or "original",
                sighting.get("similarity"),
            ],
        )
    return article_id, new


def restore_cluster(db: Database, article_id: int, cluster_url: str) -> bool:
    """Point an article at its cluster's article, by URL; False when that article is not (yet) here."""
    found = find_article(db, url=cluster_url)
    if found is None:
        return False
    db.execute("UPDATE articles SET cluster_id = ? WHERE id = ?", [found, article_id])
    return True
