"""Full-text search over the archive: ranked hits with snippets of the original text."""

from __future__ import annotations

import heapq
import json
import re
import sqlite3
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from archive.db import ArchiveError, open_reader
from archive.fts import TABLE
from archive.options import db_option, selection_options
from archive.query import Query, QueryError, parse_query
from archive.ranking import counting_columns, scores, weights
from archive.selection import Selection, id_bounds

# matches ranked among the newest N (0: all): a word found in most of a million articles would
# otherwise cost a second per query; see docs/SEARCH.md
RANK_WINDOW = 2000
PLAIN_MARKS = ("«", "»")
TERMINAL_MARKS = ("\033[1;7m", "\033[0m")


@dataclass
class Hit:
    """One article found: where it is, how well it matched, and the passage that matched."""

    id: int
    url: str
    site: str
    title: str
    published_at: str | None
    source: str | None
    score: float
    snippet: str


def search(db: Database, query: Query, selection: Selection, limit: int = 20, window: int = RANK_WINDOW) -> list[Hit]:
    """The best `limit` matches of a query, best first, each with a snippet around the matched words."""
    where, params = selection.where("a")
    if (bounds := id_bounds(db, selection)) is not None:
        where, params = f"{where} AND {TABLE}.rowid BETWEEN ? AND ?", [*params, *bounds]
    counts, count_params = counting_columns(query.highlights)
    candidates = (
        f"SELECT a.id, length(a.title), length(a.body), {counts} FROM {TABLE} JOIN articles a ON a.id = {TABLE}.rowid"
        f" WHERE {TABLE} MATCH ? AND {where} ORDER BY {TABLE}.rowid DESC LIMIT ?"
    )
    try:
        rows = db.execute(candidates, [*count_params, query.match, *params, window or -1]).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            raise ArchiveError("this archive has no search index yet: run `newsarchive reindex` once") from None
        raise QueryError(f"cannot search for {query.text!r}: {exc}") from None
    ranked = scores(rows, weights(db, query.highlights)) if rows else {}
    best = heapq.nlargest(limit, ranked, key=lambda article_id: (ranked[article_id], article_id))
    places = ", ".join("?" * len(best))
    shown = db.execute(
        f"SELECT id, url, site, title, published_at, source, body FROM articles WHERE id IN ({places})", best
    )
    found = {row[0]: row for row in shown}
    return [hit(found[i], ranked[i], query) for i in best if i in found]


def hit(row: tuple[Any, ...], score: float, query: Query) -> Hit:
    """A hit from its articles row (id, url, site, title, published_at, source, body)."""
    return Hit(row[0], row[1], row[2], row[3], row[4], row[5], round(score, 3), snippet(row[6], query.highlights))


def highlighter(highlights: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern finding any of the highlighted texts, longest first, ignoring case."""
    texts = sorted((h for h in highlights if h), key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in texts), re.IGNORECASE) if texts else None


def mark(text: str, highlights: tuple[str, ...], marks: tuple[str, str] = PLAIN_MARKS) -> str:
    """The text with every highlighted word wrapped in marks."""
    pattern = highlighter(highlights)
    return pattern.sub(lambda m: f"{marks[0]}{m.group()}{marks[1]}", text) if pattern else text


def snippet(
    body: str | None, highlights: tuple[str, ...], width: int = 96, marks: tuple[str, str] = PLAIN_MARKS
) -> str:
    """About `width` characters of the body around the first matched word, with the matches marked."""
    text = (body or "").replace("\n", " ")
    pattern = highlighter(highlights)
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - width // 4) if first else 0
    window = text[start : start + width]
    return ("…" if start else "") + mark(window, highlights, marks) + ("…" if start + width < len(text) else "")


@click.command("search")
@click.argument("query")
@db_option
@selection_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1), help="How many hits, best first.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def search_command(
    query: str, db_path: Path, site: str | None, since: str | None, until: str | None, limit: int, fmt: str
) -> None:
    """Search titles and bodies; Chinese words of any length, "phrases", OR, NOT/-word, ( ).

    Hits are ranked by relevance (BM25, headline words count more) with a snippet of the text around
    the words found, marked «like this».

    Example: newsarchive search '停电 OR 抢修' --site demo_portal --since 2024-01 --limit 5
    """
    try:
        parsed = parse_query(query)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    db = open_reader(db_path)
    try:
        hits = search(db, parsed, Selection(site, since, until), limit)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        for hit in hits:
            click.echo(json.dumps(asdict(hit), ensure_ascii=False))
        return
    marks = TERMINAL_MARKS if sys.stdout.isatty() else PLAIN_MARKS
    for rank, hit in enumerate(hits, 1):
        date = (hit.published_at or "")[:10]
        click.echo(f"{rank}. {mark(hit.title or '', parsed.highlights, marks)}  [{hit.site} {date}]")
        click.echo(f"   {hit.url}")
        click.echo(f"   {with_marks(hit.snippet, marks)}")
    click.echo(f"{len(hits)} hit{'s' * (len(hits) != 1)} for {query!r}", err=True)


def with_marks(text: str, marks: tuple[str, str]) -> str:
    """A snippet with other marks than the plain ones hits carry (a terminal's bold, say)."""
    return text.replace(PLAIN_MARKS[0], marks[0]).replace(PLAIN_MARKS[1], marks[1])


@click.command("reindex")
@db_option
def reindex_command(db_path: Path) -> None:
    """Rebuild the full-text index from the articles, e.g. after editing articles with other tools.

    The archive keeps the index in step by itself; this is only needed when something else changed
    the articles table.

    Example: newsarchive reindex --db archive.db
    """
    from archive.db import open_archive
    from archive.fts import rebuild_index

    archive = open_archive(db_path)
    with archive.db.atomic():
        count = rebuild_index(archive.db)
    archive.close()
    click.echo(f"indexed {count} articles")
