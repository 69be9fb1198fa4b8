"""`newsarchive dupes`: stories that ran in more than one place, who ran them where, and how long after."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from archive.db import open_reader
from archive.options import db_option
from archive.tables import render
from pipelines.similarity import parse_time

STORIES = """
SELECT a.id, a.title, a.url, a.site, a.published_at FROM articles a
WHERE a.id IN (SELECT article_id FROM sightings GROUP BY article_id HAVING count(*) > 1) {filters}
ORDER BY a.published_at DESC, a.id DESC LIMIT ?
"""
SIGHTINGS = """
SELECT site, kind, url, published_at, similarity FROM sightings WHERE article_id = ?
ORDER BY kind != 'original', published_at, id
"""


def clusters(db: Database, site: str | None = None, since: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Stories seen in more than one place, newest first, each with every place it was seen."""
    filters, params = [], []
    if site:
        filters.append("AND a.id IN (SELECT article_id FROM sightings WHERE site = ?)")
        params.append(site)
    if since:
        filters.append("AND a.published_at >= ?")
        params.append(since)
    rows = db.execute(STORIES.format(filters=" ".join(filters)), [*params, limit]).fetchall()
    return [_cluster(db, *row) for row in rows]


def _cluster(db: Database, article_id: int, title: str, url: str, site: str, published: str | None) -> dict[str, Any]:
    sightings = [
        {"site": s, "kind": k, "url": u, "published_at": p, "delay": delay(published, p), "similarity": sim}
        for s, k, u, p, sim in db.execute(SIGHTINGS, [article_id]).fetchall()
    ]
    return {
        "article_id": article_id,
        "title": title,
        "url": url,
        "site": site,
        "published_at": published,
        "sites": list(dict.fromkeys(s["site"] for s in sightings)),
        "sightings": sightings,
    }


def delay(first: str | None, then: str | None) -> str | None:
    """How long after the first publication another came out, as 3d 4h or 45m; days only when a date is bare."""
    one, two = parse_time(first), parse_time(then)
    if one is None or two is None:
        return None
    if _bare(one) or _bare(two):
        return f"{(two.date() - one.date()).days}d"
    minutes = int((two - one).total_seconds() // 60)
    sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    parts = [f"{days}d"] * bool(days) + [f"{hours}h"] * bool(hours) + [f"{mins}m"] * bool(mins and not days)
    return sign + (" ".join(parts) or "0m")


def _bare(moment: datetime) -> bool:
    return (moment.hour, moment.minute, moment.second) == (0, 0, 0)


def table_rows(found: list[dict[str, Any]]) -> list[list[Any]]:
    """One line per sighting, the story's title on its first line only."""
    rows = []
    for cluster in found:
        for i, s in enumerate(cluster["sightings"]):
            first = "-" if s["kind"] == "original" else (s["delay"] or "?")
            similarity = "" if s["similarity"] is None else f"{s['similarity']:.2f}"
            when = (s["published_at"] or "")[:16].replace("T", " ").removesuffix(" 00:00")
            rows.append([cluster["title"] if i == 0 else "", s["site"], s["kind"], when, first, similarity, s["url"]])
    return rows


@click.command()
@db_option
@click.option("--site", help="Only stories this site ran (first or as a copy).")
@click.option("--since", metavar="DATE", help="Only stories first published on or after DATE (2024-01-31).")
@click.option("--limit", default=50, show_default=True, help="How many stories, newest first.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def dupes(db_path: Path, site: str | None, since: str | None, limit: int, fmt: str) -> None:
    """List stories that ran in more than one place: the sites, the delay after the first, the similarity.

    Similarity is the share of the story's text found at that place; `contained` marks a page that
    quotes the story whole inside a longer text (a roundup).

    Example: newsarchive dupes --site demo_portal --since 2021-01-01
    """
    if since and parse_time(since) is None:
        raise click.BadParameter(f"{since!r} is not a date such as 2024-01-31", param_hint="--since")
    found = clusters(open_reader(db_path), site, since, limit)
    if fmt == "json":
        for cluster in found:
            click.echo(json.dumps(cluster, ensure_ascii=False))
        return
    headers = ["story", "site", "kind", "published", "delay", "similarity", "url"]
    click.echo(render(headers, table_rows(found), max_width=36))
