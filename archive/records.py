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

from archive.db import insert, now, update
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


@dataclass
class Recorded:
    """What storing one article changed."""

    page_id: int
    article_id: int
    new_article: bool = False
    updated: bool = False
    new_sighting: bool = False


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
    """Insert or update the article at its canonical URL; return (id, inserted, updated)."""
    row = article_row(item)
    found = db.execute("SELECT id, content_hash, title FROM articles WHERE url = ?", [item.url]).fetchone()
    if found is None:
        row.update(first_seen=now(), updated_at=now(), page_id=page_id, run_id=run_id)
        article_id = insert(db, "articles", row)
        update(db, "articles", article_id, {"cluster_id": article_id})
        return article_id, True, False
    article_id = int(found[0])
    if (found[1], found[2]) == (row["content_hash"], row["title"]):
        return article_id, False, False
    update(db, "articles", article_id, {**row, "updated_at": now(), "page_id": page_id})
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


def save_facts(db: Database, article_id: int, facts: list[dict[str, Any]]) -> None:
    """Replace the article's facts with these."""
    db.execute("DELETE FROM facts WHERE article_id = ?", [article_id])
    if facts:
        for fact in facts:
            insert(db, "facts", {**fact, "article_id": article_id})


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
    if item.duplicate_of is None:
        article_id, inserted, updated = save_article(db, item, page_id, run_id)
        if inserted or updated:
            save_facts(db, article_id, item.facts)
    else:
        article_id, inserted, updated = item.duplicate_of, False, False
    sighted = add_sighting(db, article_id, item, page_id, run_id)
    return Recorded(page_id, article_id, inserted, updated, sighted)


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
