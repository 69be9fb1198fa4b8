"""Which articles a read command looks at: a site, a span of publication dates, a search query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive.fts import TABLE
from archive.query import Query


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
            # inclusive of the whole period named: --until 2024-03 keeps all of March
            until = self.until.replace(" ", "T")
            clauses.append(f"substr({alias}.published_at, 1, {len(until)}) <= ?")
            params.append(until)
        if self.query:
            clauses.append(f"{alias}.id IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ?)")
            params.append(self.query.match)
        return " AND ".join(clauses), params
