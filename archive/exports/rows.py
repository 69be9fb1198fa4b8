"""Articles with their facts and sightings, streamed from three cursors walked side by side.

Each cursor reads one table in article-id order, so an export holds one article at a time in memory
whatever the archive's size, and never issues a query per article.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlite_utils import Database

from archive.records import FACT_FIELDS
from archive.selection import Selection

ARTICLE_COLUMNS = (
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
    "first_seen",
    "updated_at",
    "page_id",
)
SIGHTING_COLUMNS = ("url", "site", "page_id", "seen_at", "published_at", "title", "kind", "similarity")
JSON_COLUMNS = ("author", "images")


@dataclass
class Bundle:
    """One article as exported: its row (author and images decoded), its facts and its sightings."""

    article: dict[str, Any]
    facts: list[dict[str, Any]] = field(default_factory=list)
    sightings: list[dict[str, Any]] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """The article as one JSON-ready record: fields, then facts and sightings (no archive-local ids)."""
        article = {k: v for k, v in self.article.items() if k != "page_id"}
        sightings = [{k: v for k, v in s.items() if k != "page_id"} for s in self.sightings]
        return {**article, "facts": self.facts, "sightings": sightings}


def count(db: Database, selection: Selection) -> int:
    """How many articles a selection holds."""
    where, params = selection.where("a")
    return int(db.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0])


def bundles(db: Database, selection: Selection) -> Iterator[Bundle]:
    """Every selected article in id order, with its facts and sightings."""
    where, params = selection.where("a")
    columns = ", ".join(f"a.{c}" for c in ARTICLE_COLUMNS)
    articles = db.execute(
        f"SELECT {columns}, c.url FROM articles a LEFT JOIN articles c ON c.id = a.cluster_id"
        f" WHERE {where} ORDER BY a.id",
        params,
    )
    facts = _grouped(db, "facts", FACT_FIELDS, where, params)
    sightings = _grouped(db, "sightings", SIGHTING_COLUMNS, where, params)
    next_facts, next_sightings = next(facts, None), next(sightings, None)
    for row in articles:
        article = dict(zip(ARTICLE_COLUMNS, row[:-1], strict=True))
        for name in JSON_COLUMNS:
            article[name] = json.loads(article[name] or "[]")
        article["cluster"] = row[-1]
        bundle = Bundle(article)
        while next_facts is not None and next_facts[0] <= article["id"]:
            if next_facts[0] == article["id"]:
                bundle.facts = next_facts[1]
            next_facts = next(facts, None)
        while next_sightings is not None and next_sightings[0] <= article["id"]:
            if next_sightings[0] == article["id"]:
                bundle.sightings = next_sightings[1]
            next_sightings = next(sightings, None)
        yield bundle


def _grouped(
    db: Database, table: str, columns: tuple[str, ...], where: str, params: list[Any]
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(article id, rows) for one child table, in article-id order."""
    names = ", ".join(f't."{c}"' for c in columns)
    cursor = db.execute(
        f"SELECT t.article_id, {names} FROM {table} t JOIN articles a ON a.id = t.article_id"
        f" WHERE {where} ORDER BY t.article_id, t.id",
        params,
    )
    for article_id, rows in groupby(cursor, key=lambda r: r[0]):
        yield article_id, [dict(zip(columns, r[1:], strict=True)) for r in rows]
