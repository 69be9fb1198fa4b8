"""The named writes and lookups of article records: pages, articles, sightings, facts.

Pipelines, reprocess and import all store through `record_article` / `record_dropped`, so an
article lands the same way whichever road it came by.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from archive import dedupe_index, fts
from archive.compression import DEFAULT_LEVEL, compress_body
from archive.db import insert, insert_many, now, update
from archive.schema import COPIES, HASH_KEY
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
    moved: bool = False  # an earlier publication became the article's canonical copy
    quotations: int = 0  # contained sightings added


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
        "body": compress_body(page.body, extra.pop("level", DEFAULT_LEVEL)),
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


def insert_article(db: Database, row: dict[str, Any]) -> int:
    """Insert a new article as its own cluster; return its id."""
    # the id SQLite would pick, taken beforehand so the row is written once, cluster_id included
    article_id = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0])
    insert(db, "articles", {**row, "id": article_id, "cluster_id": article_id})
    return article_id


def save_article(db: Database, item: ArticleItem, page_id: int, run_id: int | None) -> tuple[int, bool, bool]:
    """Insert or update the article at its canonical URL, and its index entry; return (id, inserted, updated)."""
    row = article_row(item)
    columns = list(row)
    found = db.execute(f"SELECT id, {', '.join(columns)} FROM articles WHERE url = ?", [item.url]).fetchone()
    if found is None:
        row.update(first_seen=now(), updated_at=now(), page_id=page_id, run_id=run_id)
        article_id = insert_article(db, row)
        fts.index_article(db, article_id, row["title"], row["body"])
        return article_id, True, False
    article_id, old = int(found[0]), dict(zip(columns, found[1:], strict=True))
    if old == row:
        return article_id, False, False
    update(db, "articles", article_id, {**row, "updated_at": now(), "page_id": page_id})
    if (old["title"], old["body"]) != (row["title"], row["body"]):
        fts.unindex_article(db, article_id, old["title"], old["body"])
        fts.index_article(db, article_id, row["title"], row["body"])
    return article_id, False, True


ARTICLE_BY_HASH = f"SELECT id, content_hash FROM articles WHERE {HASH_KEY} = ?"
COPY_BY_HASH = f"SELECT article_id FROM sightings WHERE content_hash = ? AND {COPIES} LIMIT 1"
SIGHTING = (
    "INSERT OR IGNORE INTO sightings (article_id, url, site, page_id, run_id, seen_at, published_at, title, kind,"
    " similarity, content_hash) VALUES (:article_id, :url, :site, :page_id, :run_id, :seen_at, :published_at, :title,"
    " :kind, :similarity, :content_hash)"
)


def add_sighting(
    db: Database, article_id: int, item: ArticleItem, page_id: int, run_id: int | None, kind: str | None = None
) -> bool:
    """Record that the article was seen at this URL; False when that sighting is already known."""
    original = (kind or item.sighting) == "original"
    row = {
        "article_id": article_id,
        "url": item.url,
        "site": item.site,
        "page_id": page_id,
        "run_id": run_id,
        "seen_at": now(),
        "published_at": item.published_at,
        "title": item.title,
        "kind": kind or item.sighting,
        "similarity": 1.0 if original else item.similarity,
        "content_hash": item.content_hash,
    }
    return db.execute(SIGHTING, row).rowcount > 0


def add_quotations(db: Database, article_id: int, item: ArticleItem, page_id: int, run_id: int | None) -> int:
    """Record `contained` sightings: articles quoted whole on this page, and pages quoting this article whole."""
    here = {"url": item.url, "site": item.site, "page_id": page_id, "published_at": item.published_at}
    added = sum(_contained(db, quoted, {**here, "title": item.title}, run_id, share) for quoted, share in item.contains)
    for quoting, share in item.within:
        for place in db.query("SELECT url, site, page_id, published_at, title FROM articles WHERE id = ?", [quoting]):
            added += _contained(db, article_id, place, run_id, share)
    return added


def _contained(db: Database, article_id: int, place: dict[str, Any], run_id: int | None, similarity: float) -> bool:
    row = {
        **place,
        "article_id": article_id,
        "run_id": run_id,
        "seen_at": now(),
        "kind": "contained",
        "similarity": similarity,
        "content_hash": None,
    }
    return db.execute(SIGHTING, row).rowcount > 0


def take_over(db: Database, article_id: int, item: ArticleItem, page_id: int) -> None:
    """Make an earlier publication the article's canonical copy; the copy it replaces stays a sighting."""
    old_page, old_title, old_body = db.execute(
        "SELECT page_id, title, body FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    db.execute(
        "UPDATE sightings SET kind = ?, similarity = ? WHERE article_id = ? AND kind IN ('original', 'url')",
        [item.sighting, item.reverse_similarity, article_id],
    )
    row = article_row(item)
    update(db, "articles", article_id, {**row, "updated_at": now(), "page_id": page_id})
    fts.unindex_article(db, article_id, old_title, old_body)
    fts.index_article(db, article_id, row["title"], row["body"])
    if old_page and old_page != page_id:
        db.execute("UPDATE pages SET outcome = 'duplicate' WHERE id = ?", [old_page])


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
        save_page(db, part, run_id, "part", part_of=page_id, level=extra.get("level", DEFAULT_LEVEL))
    return page_id


def record_article(db: Database, item: ArticleItem, run_id: int | None, level: int = DEFAULT_LEVEL) -> Recorded:
    """Store an article that passed the pipeline: its pages, the article itself (if new), its sightings."""
    canonical = item.duplicate_of is None or item.earlier
    outcome = "article" if item.sighting == "original" or item.earlier else "duplicate"
    page_id = save_pages(db, item.page, run_id, outcome, encoding=item.encoding, level=level)
    if item.duplicate_of is None:
        article_id, inserted, updated = save_article(db, item, page_id, run_id)
    elif item.earlier:
        article_id, inserted, updated = item.duplicate_of, False, True
        take_over(db, article_id, item, page_id)
    else:
        article_id, inserted, updated = item.duplicate_of, False, False
    facts_changed = False
    if canonical:
        facts_changed = save_facts(db, article_id, item.facts, compare=not inserted)
        if (inserted or updated) and item.fingerprint is not None:
            dedupe_index.index_article(db, article_id, item.fingerprint)
    sighted = add_sighting(db, article_id, item, page_id, run_id, "original" if item.earlier else None)
    quoted = add_quotations(db, article_id, item, page_id, run_id)
    return Recorded(page_id, article_id, inserted, updated, sighted, facts_changed, item.earlier, quoted)


def record_dropped(db: Database, page: PageItem, run_id: int | None, reason: str, level: int = DEFAULT_LEVEL) -> int:
    """Keep the raw page of an item the pipeline dropped, with the reason, for a later reprocess."""
    return save_pages(db, page, run_id, "dropped", reason=reason, level=level)


def find_sighting(db: Database, url: str) -> int | None:
    """The article already sighted at this canonical URL as a copy (not as a quotation)."""
    row = db.execute("SELECT article_id FROM sightings WHERE url = ? AND kind != 'contained' LIMIT 1", [url]).fetchone()
    return int(row[0]) if row else None


def find_copy(db: Database, content_hash: str | None) -> int | None:
    """The article whose text, or a copy of it seen anywhere, has this body hash."""
    if not content_hash:
        return None
    found = find_article(db, content_hash=content_hash)
    if found is None:
        row = db.execute(COPY_BY_HASH, [content_hash]).fetchone()
        found = int(row[0]) if row else None
    return found


def find_article(db: Database, url: str | None = None, content_hash: str | None = None) -> int | None:
    """The id of the article at a canonical URL, or with a body hash."""
    if url is not None:
        row = db.execute("SELECT id FROM articles WHERE url = ?", [url]).fetchone()
    else:
        # the whole hash is compared here: beside `content_hash = ?`, SQLite would not use the index
        rows = db.execute(ARTICLE_BY_HASH, [(content_hash or "")[:16]])
        row = next((found for found in rows if found[1] == content_hash), None)
    return int(row[0]) if row else None


def delete_article(db: Database, article_id: int) -> None:
    """Delete an article with its facts, sightings and index entries (its raw pages stay)."""
    found = db.execute("SELECT title, body FROM articles WHERE id = ?", [article_id]).fetchone()
    if found is None:
        return
    fts.unindex_article(db, article_id, *found)
    dedupe_index.unindex_article(db, article_id)
    db.execute("DELETE FROM facts WHERE article_id = ?", [article_id])
    db.execute("DELETE FROM sightings WHERE article_id = ?", [article_id])
    db.execute("UPDATE articles SET cluster_id = id WHERE cluster_id = ? AND id != ?", [article_id, article_id])
    db.execute("DELETE FROM articles WHERE id = ?", [article_id])


def set_page_outcome(db: Database, page_id: int, outcome: str, reason: str | None = None) -> None:
    """Record what the pipeline made of a stored page: article, duplicate or dropped (with the reason)."""
    db.execute("UPDATE pages SET outcome = ?, reason = ? WHERE id = ?", [outcome, reason, page_id])
