"""Datasette plugin: Chinese full-text search on newsarchive archives.

Datasette's search box runs `MATCH escape_fts(:search)`; on an archive (a database with the bigram
index) escape_fts is replaced by the archive's own query rewriting, so 停电 or 供电服务 finds what
`newsarchive search` finds. Canned queries get newsarchive_match() and newsarchive_snippet().
Other databases keep Datasette's own escape_fts.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl

from archive.fts import TABLE
from archive.query import QueryError, escape_query, parse_query
from archive.search import snippet


def match(text: str | None) -> str:
    """The FTS5 expression for a query; a query that does not parse is searched word by word."""
    try:
        return parse_query(text or "").match
    except QueryError:
        return escape_query(text or "")


def snippet_of(body: str | None, text: str | None, width: int = 96) -> str:
    """A passage of the body around the query's words, marked «like this»."""
    try:
        highlights = parse_query(text or "").highlights
    except QueryError:
        highlights = tuple((text or "").replace('"', " ").split())
    return snippet(body, highlights, int(width))


def is_archive(conn: sqlite3.Connection) -> bool:
    """Whether the connection's database holds the archive's bigram index."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [TABLE]).fetchone() is not None


@hookimpl(trylast=True)  # after Datasette's own prepare_connection, so this escape_fts wins
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    if not is_archive(conn):
        return
    conn.create_function("escape_fts", 1, escape_query, deterministic=True)
    conn.create_function("newsarchive_match", 1, match, deterministic=True)
    conn.create_function("newsarchive_snippet", 2, snippet_of, deterministic=True)
    conn.create_function("newsarchive_snippet", 3, snippet_of, deterministic=True)
