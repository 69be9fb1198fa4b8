"""What the report charts, read from the archive: fact series per utility, output per site and month, clusters."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

FACTS = """
SELECT f.kind, f.subject, f.year, f.value, f.evidence, a.url, a.title, a.published_at, a.site
FROM facts f JOIN articles a ON a.id = f.article_id
WHERE f.kind IN ({kinds}) AND f.subject IS NOT NULL AND f.year IS NOT NULL AND f.value IS NOT NULL
ORDER BY a.published_at, a.id, f.start
"""
# Where each article was published: its sightings, dated by the sighting or else by the article.
PUBLISHED = """
SELECT s.site, substr(coalesce(s.published_at, a.published_at), 1, 7) AS month, s.url,
       coalesce(s.title, a.title) AS title, coalesce(s.published_at, a.published_at) AS published_at
FROM sightings s JOIN articles a ON a.id = s.article_id
WHERE coalesce(s.published_at, a.published_at) GLOB '[12][0-9][0-9][0-9]-[01][0-9]*'
ORDER BY published_at
"""
LARGEST_CLUSTERS = """
SELECT article_id, count(*) AS copies FROM sightings WHERE kind != 'original'
GROUP BY article_id ORDER BY copies DESC, article_id LIMIT ?
"""


@dataclass(frozen=True)
class Source:
    """An article that states a figure, with the sentence that states it."""

    url: str
    title: str
    published_at: str
    site: str
    evidence: str = ""


@dataclass
class Point:
    """One figure of one utility for one year, and every article that reports it."""

    year: int
    value: float
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True)
class Sighting:
    """One place an article was seen."""

    site: str
    url: str
    kind: str
    similarity: float | None
    published_at: str
    title: str


@dataclass(frozen=True)
class Cluster:
    """An article and every place it was republished."""

    article: Source
    sightings: list[Sighting]

    @property
    def copies(self) -> int:
        """Sightings other than the original one."""
        return sum(1 for s in self.sightings if s.kind != "original")


def fact_series(db: Database, kinds: tuple[str, ...]) -> dict[str, dict[str, list[Point]]]:
    """kind → utility → points by year; a figure reported by several articles is one point with their sources."""
    grouped: dict[tuple[str, str, int, float], Point] = {}
    for row in db.query(FACTS.format(kinds=", ".join("?" * len(kinds))), list(kinds)):
        key = (row["kind"], row["subject"], int(row["year"]), round(float(row["value"]), 6))
        point = grouped.setdefault(key, Point(key[2], float(row["value"])))
        point.sources.append(_source(row))
    series: dict[str, dict[str, list[Point]]] = defaultdict(lambda: defaultdict(list))
    for (kind, subject, _, _), point in grouped.items():
        series[kind][subject].append(point)
    for by_subject in series.values():
        for points in by_subject.values():
            points.sort(key=lambda p: (p.year, -len(p.sources), p.value))
    return {kind: dict(by_subject) for kind, by_subject in series.items()}


def leading(points: list[Point]) -> list[Point]:
    """One point a year for lines and bars: the value most articles report, on a tie the larger.

    A tie is usually one article giving a whole area's figure and its city centre's, and the
    whole area's is the larger (outage hours) or the headline one (scores, streaks).
    """
    best: dict[int, Point] = {}
    for point in points:
        old = best.get(point.year)
        if old is None or (len(point.sources), point.value) > (len(old.sources), old.value):
            best[point.year] = point
    return [best[year] for year in sorted(best)]


def site_months(db: Database) -> dict[tuple[str, str], list[Source]]:
    """(site, YYYY-MM) → the articles the site published that month."""
    cells: dict[tuple[str, str], list[Source]] = defaultdict(list)
    for row in db.query(PUBLISHED):
        if "01" <= row["month"][5:7] <= "12":
            cells[(row["site"], row["month"])].append(_source(row))
    return dict(cells)


def largest_clusters(db: Database, top: int) -> list[Cluster]:
    """The articles republished most often, with every place each was seen."""
    out = []
    for row in db.query(LARGEST_CLUSTERS, [top]):
        article = db.execute(
            "SELECT url, title, published_at, site FROM articles WHERE id = ?", [row["article_id"]]
        ).fetchone()
        if article is None:
            continue
        sightings = [
            Sighting(
                s["site"] or "", s["url"] or "", s["kind"] or "", s["similarity"], s["pub"] or "", s["title"] or ""
            )
            for s in db.query(
                "SELECT site, url, kind, similarity, coalesce(published_at, seen_at) AS pub, title FROM sightings"
                " WHERE article_id = ? ORDER BY kind != 'original', pub, id",
                [row["article_id"]],
            )
        ]
        out.append(Cluster(Source(*(value or "" for value in article)), sightings))
    return out


def summary(db: Database) -> dict[str, Any]:
    """The archive at a glance: counts and the span of publication dates."""
    row = db.execute(
        "SELECT count(*), count(DISTINCT site), min(published_at), max(published_at) FROM articles"
    ).fetchone()
    return {
        "articles": row[0],
        "sites": row[1],
        "first": (row[2] or "")[:10],
        "last": (row[3] or "")[:10],
        "facts": db.table("facts").count,
        "sightings": db.table("sightings").count,
    }


def _source(row: dict[str, Any]) -> Source:
    return Source(
        row["url"] or "", row["title"] or "", row["published_at"] or "", row["site"] or "", row.get("evidence") or ""
    )
