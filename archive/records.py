"""The named writes and lookups of article records: pages, articles, sightings, facts.

Pipelines, reprocess and import all store through `record_article` / `record_dropped`, so an
article lands the same way whichever road it came by.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from archive.db import insert, insert_many, now, update
from archive.fts import index_article, unindex_article
from crawler.items import ArticleItem, PageItem

ARTICLE_FIELDS = (
    "title",
    "subtitle",
    "published_at",
    "source",
    "editor",
    "section",
    "body",
    "lang",
    "content_hash",
)
FACT_FIELDS = ("kind", "subject", "region", "year", "value", "unit", "evidence", "start", "end")


@dataclass
class Recorded:
    """What storing one article changed."""

    page_id: int
    article_id: int
    new_article: bool = False
    updated: bool = False
    new_sighting: bool = False
    facts_changed: bool = False


def save_page(db: Database, page: PageItem, run_id: int | None, outcome: str, **extra: Any) -> int:
    """Store a raw page, compressed; an identical page already stored for the URL is reused, not copied."""
    sha = hashlib.sha256(page.body).hexdigest()
    found = db.execute("SELECT id FROM pages WHERE sha256 = ? AND url = ?", [sha, page.url]).fetchone()
    if found:
        return int(found[0])
    headers = {k.lower(): v for k, v in page.headers.items()}
    row = {
        "url": page.url,
        "final_url": page.final_url,
        "site": page.site,
        "run_id": run_id,
        "status": page.status,
        "fetched_at": page.fetched_at,
        "via": page.via,
        "headers": json.dumps(page.headers, ensure_ascii=False),
        "body": zlib.compress(page.body, extra.pop("level", 6)),
        "sha256": sha,
        "etag": headers.get("etag"),
        "last_modified": headers.get("last-modified"),
        "outcome": outcome,
        **extra,
    }
    return insert(db, "pages", row)


def article_row(item: ArticleItem) -> dict[str, Any]:
    """The articles-table row for an item."""
    row = {name: getattr(item, name) for name in ARTICLE_FIELDS}
    row.update(
        url=item.url,
        site=item.site,
        author=json.dumps(item.authors, ensure_ascii=False),
        images=json.dumps(item.images, ensure_ascii=False),
    )
    return row


def save_article(db: Database, item: ArticleItem, page_id: int, run_id: int | None) -> tuple[int, bool, bool]:
    """Insert or update the article at its canonical URL, and its index entry; return (id, inserted, updated)."""
    row = article_row(item)
    columns = list(row)
    found = db.execute(f"SELECT id, {', '.join(columns)} FROM articles WHERE url = ?", [item.url]).fetchone()
    if found is None:
        row.update(first_seen=now(), updated_at=now(), page_id=page_id, run_id=run_id)
        article_id = insert(db, "articles", row)
        update(db, "articles", article_id, {"cluster_id": article_id})
        index_article(db, article_id, row["title"], row["body"])
        return article_id, True, False
    article_id, old = int(found[0]), dict(zip(columns, found[1:], strict=True))
    if old == row:
        return article_id, False, False
    update(db, "articles", article_id, {**row, "updated_at": now(), "page_id": page_id})
    if (old["title"], old["body"]) != (row["title"], row["body"]):
        unindex_article(db, article_id, old["title"], old["body"])
        index_article(db, article_id, row["title"], row["body"])
    return article_id, False, True


def add_sighting(db: Database, article_id: int, item: ArticleItem, page_id: int, run_id: int | None) -> bool:
    """Record that the article was seen at this URL; False when that sighting is already known."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO sightings (article_id, url, site, page_id, run_id, seen_at, published_at, title,"
        " kind, similarity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            article_id,
            item.url,
            item.site,
            page_id,
            run_id,
            now(),
            item.published_at,
            item.title,
            item.sighting,
            item.similarity,
        ],
    )
    return cursor.rowcount > 0


def save_facts(db: Database, article_id: int, facts: list[dict[str, Any]], compare: bool = True) -> bool:
    """Replace the article's facts; False (and no write) when they are the ones stored (compare=False: none are)."""
    if compare:
        stored = db.execute(
            f"SELECT {', '.join(FACT_FIELDS)} FROM facts WHERE article_id = ? ORDER BY id", [article_id]
        )
        if stored.fetchall() == [tuple(fact.get(name) for name in FACT_FIELDS) for fact in facts]:
            return False
        db.execute("DELETE FROM facts WHERE article_id = ?", [article_id])
    elif not facts:
        return False
    if facts:
        insert_many(
            db, "facts", [{**{k: fact.get(k) for k in FACT_FIELDS}, "article_id": article_id} for fact in facts]
        )
    return True


def save_pages(db: Database, page: PageItem, run_id: int | None, outcome: str, **extra: Any) -> int:
    """Store a page and its continuation pages (outcome 'part', pointing to it); return the first page's id."""
    page_id = save_page(db, page, run_id, outcome, **extra)
    for part in page.parts:
        save_page(db, part, run_id, "part", part_of=page_id, level=extra.get("level", 6))
    return page_id


def record_article(db: Database, item: ArticleItem, run_id: int | None, level: int = 6) -> Recorded:
    """Store an article that passed the pipeline: its pages, the article itself (if new), its sighting."""
    outcome = "article" if item.sighting == "original" else "duplicate"
    page_id = save_pages(db, item.page, run_id, outcome, encoding=item.encoding, level=level)
    facts_changed = False
    if item.duplicate_of is None:
        article_id, inserted, updated = save_article(db, item, page_id, run_id)
        facts_changed = save_facts(db, article_id, item.facts, compare=not inserted)
    else:
        article_id, inserted, updated = item.duplicate_of, False, False
    sighted = add_sighting(db, article_id, item, page_id, run_id)
    return Recorded(page_id, article_id, inserted, updated, sighted, facts_changed)


def record_dropped(db: Database, page: PageItem, run_id: int | None, reason: str, level: int = 6) -> int:
    """Keep the raw page of an item the pipeline dropped, with the reason, for a later reprocess."""
    return save_pages(db, page, run_id, "dropped", reason=reason, level=level)


def find_article(db: Database, url: str | None = None, content_hash: str | None = None) -> int | None:
    """The id of the article at a canonical URL, or with a body hash."""
    if url is not None:
        row = db.execute("SELECT id FROM articles WHERE url = ?", [url]).fetchone()
    else:
        row = db.execute("SELECT id FROM articles WHERE content_hash = ? LIMIT 1", [content_hash]).fetchone()
    return int(row[0]) if row else None


def delete_article(db: Database, article_id: int) -> None:
    """Delete an article with its facts, sightings and index entry (its raw pages stay)."""
    found = db.execute("SELECT title, body FROM articles WHERE id = ?", [article_id]).fetchone()
    if found is None:
        return
    unindex_article(db, article_id, *found)
    db.execute("DELETE FROM facts WHERE article_id = ?", [article_id])
    db.execute("DELETE FROM sightings WHERE article_id = ?", [article_id])
    db.execute("UPDATE articles SET cluster_id = id WHERE cluster_id = ? AND id != ?", [article_id, article_id])
    db.execute("DELETE FROM articles WHERE id = ?", [article_id])


def set_page_outcome(db: Database, page_id: int, outcome: str, reason: str | None = None) -> None:
    """Record what the pipeline made of a stored page: article, duplicate or dropped (with the reason)."""
    db.execute("UPDATE pages SET outcome = ?, reason = ? WHERE id = ?", [outcome, reason, page_id])
