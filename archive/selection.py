"""Which articles a read command looks at: a site, a span of publication dates, a search query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from archive.fts import TABLE
from archive.query import Query

NARROW = 50_000  # a date range holding fewer articles than this bounds the ids a search walks


@dataclass(frozen=True)
class Selection:
    """Filters on articles; dates compare as text on the ISO published_at, in the page's own zone."""

    site: str | None = None
    since: str | None = None
    until: str | None = None
    query: Query | None = None

    def where(self, alias: str = "a") -> tuple[str, list[Any]]:
        """A SQL condition on the articles table (under `alias`) and its parameters."""
        clauses, params = ["1 = 1"], []
        if self.site:
            clauses.append(f"{alias}.site = ?")
            params.append(self.site)
        if self.since:
            clauses.append(f"{alias}.published_at >= ?")
            params.append(self.since.replace(" ", "T"))
        if self.until:
            # inclusive of the whole period named: --until 2024-03 keeps all of March ('~' sorts after ISO text)
            clauses.append(f"{alias}.published_at <= ?")
            params.append(self.until.replace(" ", "T") + "~")
        if self.query:
            clauses.append(f"{alias}.id IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ?)")
            params.append(self.query.match)
        return " AND ".join(clauses), params


def id_bounds(db: Database, selection: Selection, narrow: int = NARROW) -> tuple[int, int] | None:
    """The span of article ids a selection can hold, when it is narrow enough to be worth knowing.

    A search walks its matches newest first; a site with no articles, or a period of a few thousand
    articles long ago, would make it walk them all. Ids are only a bound: nothing is assumed about order.
    """
    if (
        selection.site
        and db.execute("SELECT 1 FROM articles WHERE site = ? LIMIT 1", [selection.site]).fetchone() is None
    ):
        return (0, -1)
    if not (selection.since or selection.until):
        return None
    where, params = Selection(since=selection.since, until=selection.until).where("d")
    within = db.execute(f"SELECT count(*) FROM (SELECT 1 FROM articles d WHERE {where} LIMIT ?)", [*params, narrow])
    if within.fetchone()[0] >= narrow:
        return None
    low, high = db.execute(f"SELECT min(id), max(id) FROM articles d WHERE {where}", params).fetchone()
    return (0, -1) if low is None else (low, high)
