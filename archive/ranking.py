"""BM25 over the candidates of a query, from exact counts of the query's words in each article.

FTS5's bm25() first counts every document matching each phrase (its IDF), a full pass over the
matches: half a second for a common word in a million articles, more for a long phrase. Here the
candidates are the newest matches only, each word's occurrences in headline and body are counted by
SQLite (replace() arithmetic, in C), its document frequency is read from the index's vocabulary, and
the score is BM25 with headline words weighted like TITLE_WEIGHT body words.
"""

from __future__ import annotations

import math
from typing import Any

from sqlite_utils import Database

from archive.fts import TABLE, query_phrase

K1, B = 1.2, 0.75
TITLE_WEIGHT = 4.0  # a word in the headline counts this many times a word in the body
SAMPLE = 2000  # matches read to estimate how common a word is


def ascii_lower(text: str) -> str:
    """Lower case as SQLite's lower() does it (ASCII letters only)."""
    return "".join(c.lower() if c.isascii() else c for c in text)


def occurrences(column: str) -> str:
    """SQL counting the occurrences of a parameter in a column, case-insensitively for ASCII."""
    return f"((length({column}) - length(replace(lower({column}), ?, ''))) / ?)"


def counting_columns(words: tuple[str, ...]) -> tuple[str, list[Any]]:
    """SQL columns giving, per word, its count in the headline and in the body; and their parameters."""
    columns, params = [], []
    for word in words:
        folded = ascii_lower(word)
        columns += [occurrences("a.title"), occurrences("a.body")]
        params += [folded, len(folded), folded, len(folded)]
    return ", ".join(columns) or "0", params


def document_frequency(db: Database, word: str, total: int, sample: int = SAMPLE) -> float:
    """About how many articles contain the word: counted, or extrapolated from its newest `sample` matches."""
    phrase = query_phrase(word)
    if phrase is None:
        return total / 2
    matches = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? ORDER BY rowid DESC LIMIT ?"
    newest = db.execute(f"SELECT count(*), min(rowid) FROM ({matches})", [phrase, sample]).fetchone()
    if newest[0] < sample:
        return float(newest[0])
    return min(float(total), sample * total / max(total - newest[1] + 1, 1))


def weights(db: Database, words: tuple[str, ...]) -> list[float]:
    """Each word's inverse document frequency (BM25's, never negative)."""
    total = db.execute("SELECT max(id) FROM articles").fetchone()[0] or 1
    return [
        math.log((total - frequency + 0.5) / (frequency + 0.5) + 1)
        for frequency in (document_frequency(db, word, total) for word in words)
    ]


def scores(rows: list[tuple[Any, ...]], idf: list[float]) -> dict[int, float]:
    """BM25 of each candidate row: (id, headline length, body length, then per word headline and body counts)."""
    lengths = [TITLE_WEIGHT * row[1] + row[2] for row in rows]
    average = (sum(lengths) / len(lengths)) if lengths else 1.0
    result = {}
    for row, length in zip(rows, lengths, strict=True):
        norm = K1 * (1 - B + B * length / (average or 1.0))
        total = 0.0
        for i, weight in enumerate(idf):
            frequency = TITLE_WEIGHT * row[3 + 2 * i] + row[4 + 2 * i]
            total += weight * frequency * (K1 + 1) / (frequency + norm)
        result[row[0]] = total
    return result
