"""The near-duplicate index in the archive: LSH band keys and passage hashes, looked up by index probes.

Every lookup is a bounded number of primary-key probes (one per band or passage, each key holding
few rows), so its cost stays flat however many articles the archive holds. Writes happen on the
caller's connection, inside the caller's batch, like every other archive write.

A key is a hash, so a new row lands at a random leaf of its table: once the tables outgrow the
cache, every new article dirtied ~40 pages of them, which each commit wrote out again. New rows
go to small `*_recent` tables instead (every leaf stays in the cache) and are folded into the
main tables in key order every FOLD_ARTICLES articles, or every 1/FOLD_SHARE of the index once that
is more, when each leaf is written once for many rows. Lookups read both.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from archive.dedupe_filter import TABLES, add_and_save, column_keys, key_filter
from pipelines.fingerprint import BANDS, PER_KEY, Fingerprint, band_keys, fingerprint, passages

MAX_CANDIDATES = 24  # articles a text is compared with, the ones sharing most keys first
CHUNK = 400  # keys per statement (twice as many host parameters), well under SQLite's limit
FOLD_ARTICLES = 20_000  # articles whose keys wait in the recent tables before a fold, at least
FOLD_SHARE = 8  # ... and at least this share of the articles indexed (1/8): see fold_size
FOLD_CHECK = 1000  # article ids between looks at the recent tables' size


def _both(table: str, column: str, select: str, main: int, recent: int) -> str:
    """A SELECT over `main` keys in the main table and `recent` keys in the recent one (parameters in that order)."""
    parts = [(table, main), (f"{table}_recent", recent)]
    return " UNION ALL ".join(
        f"SELECT {select} FROM {name} WHERE {column} IN ({', '.join('?' * count)})" for name, count in parts if count
    )


def _in_main(db: Database, keys: Sequence[int]) -> list[int]:
    """The keys that may be in the main tables: the others need no probe there (dedupe_filter)."""
    found = key_filter(db)
    if found is None or not keys:
        return list(keys)
    return [key for key, maybe in zip(keys, found.maybe(keys), strict=True) if maybe]


@dataclass(frozen=True)
class StoredText:
    """An indexed article as the comparison needs it."""

    article_id: int
    url: str
    published_at: str | None
    body: str


def common_passages(db: Database, hashes: Iterable[int], articles: int) -> set[int]:
    """The passage hashes already seen in `articles` or more different articles: boilerplate."""
    found: set[int] = set()
    wanted = sorted({h for h in hashes if h})
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        probed = _in_main(db, chunk)
        both = _both("dedupe_passages", "hash", "hash", len(probed), len(chunk))
        rows = db.execute(f"SELECT hash FROM ({both}) GROUP BY hash HAVING count(*) >= ?", [*probed, *chunk, articles])
        found.update(row[0] for row in rows)
    return found


def candidates(db: Database, bands: Sequence[int], passage_hashes: Sequence[int]) -> list[int]:
    """Articles sharing a band key or a passage with a text, those sharing most first.

    Keys stay rare or capped (see index_article), so this reads a bounded number of rows.
    """
    hits: Counter[int] = Counter()
    for (table, column), keys in zip(TABLES, (bands, passage_hashes), strict=True):
        for start in range(0, len(keys), CHUNK):
            chunk = list(keys[start : start + CHUNK])
            probed = _in_main(db, chunk)
            sql = _both(table, column, "article_id", len(probed), len(chunk))
            hits.update(row[0] for row in db.execute(sql, probed + chunk))
    return [article_id for article_id, _ in hits.most_common(MAX_CANDIDATES)]


def stored_texts(db: Database, ids: Sequence[int]) -> list[StoredText]:
    """The texts of the given articles, in the order given."""
    if not ids:
        return []
    rows = db.execute(
        f"SELECT id, url, published_at, body FROM articles WHERE id IN ({', '.join('?' * len(ids))})", list(ids)
    ).fetchall()
    by_id = {row[0]: StoredText(row[0], row[1], row[2], row[3] or "") for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def index_article(db: Database, article_id: int, fp: Fingerprint) -> None:
    """Index an article's fingerprint, replacing what was indexed for it before."""
    unindex_article(db, article_id)
    passage_blob = np.array(fp.passages, dtype=np.int64).tobytes()
    db.execute(
        "INSERT INTO dedupe_signatures (article_id, shingles, signature, passages) VALUES (?, ?, ?, ?)",
        [article_id, fp.shingles, fp.signature, passage_blob],
    )
    conn: sqlite3.Connection = db.conn
    # texts sharing a band are near duplicates, which are merged rather than indexed, so band keys stay rare;
    # a sentence in many articles is boilerplate, so passages are capped at PER_KEY articles
    conn.executemany(
        "INSERT OR IGNORE INTO dedupe_bands_recent (key, article_id) VALUES (?, ?)", [(k, article_id) for k in fp.bands]
    )
    in_main = set(_in_main(db, fp.passages))
    recent_count = "(SELECT count(*) FROM (SELECT 1 FROM dedupe_passages_recent WHERE hash = ? LIMIT ?))"
    conn.executemany(
        "INSERT OR IGNORE INTO dedupe_passages_recent (hash, article_id) SELECT ?, ?"
        f" WHERE (SELECT count(*) FROM (SELECT 1 FROM dedupe_passages WHERE hash = ? LIMIT ?)) + {recent_count} < ?",
        [(h, article_id, h, PER_KEY, h, PER_KEY, PER_KEY) for h in fp.passages if h in in_main],
    )
    conn.executemany(
        f"INSERT OR IGNORE INTO dedupe_passages_recent (hash, article_id) SELECT ?, ? WHERE {recent_count} < ?",
        [(h, article_id, h, PER_KEY, PER_KEY) for h in fp.passages if h not in in_main],
    )
    if article_id % FOLD_CHECK == 0 and _recent_articles(db) >= fold_size(article_id):
        fold(db)


def fold_size(indexed: int) -> int:
    """How many articles' keys the recent tables gather before a fold, with about `indexed` in the index.

    A fold writes most leaves of the main tables whatever it brings (at a million articles it took
    4–6 s for 20,000 articles' keys, 4.8 s for 55,000), so it waits for a fixed share of the index:
    its cost per article then stays flat as the archive grows. An eighth, measured over 130,000
    articles past a million: folds of a sixteenth cost 0.14 ms an article, of an eighth 0.05, while
    a quarter made the recent tables too big to stay cached and lookups and inserts slower by as much.
    """
    return max(FOLD_ARTICLES, indexed // FOLD_SHARE)


def create_recent_tables(db: Database) -> None:
    """The recent tables, shaped as the main ones."""
    for table, column in TABLES:
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {table}_recent ({column} INTEGER NOT NULL, article_id INTEGER NOT NULL,"
            f" PRIMARY KEY ({column}, article_id)) WITHOUT ROWID"
        )


def _recent_articles(db: Database) -> int:
    """Articles whose band keys wait in the recent table (each has BANDS of them)."""
    return int(db.execute("SELECT count(*) FROM dedupe_bands_recent").fetchone()[0]) // BANDS


def fold(db: Database) -> None:
    """Move the recent tables' rows into the main tables, in key order, so each leaf is written once.

    The main tables' filter gains their keys in the same transaction (dedupe_filter).
    """
    moved = np.concatenate([column_keys(db, f"{table}_recent", column) for table, column in TABLES])
    for table, column in TABLES:
        db.execute(f"INSERT OR IGNORE INTO {table} SELECT {column}, article_id FROM {table}_recent")
        db.execute(f"DELETE FROM {table}_recent")
    add_and_save(db, moved)


def unindex_article(db: Database, article_id: int) -> None:
    """Remove an article's fingerprint, found through its stored signature (band rows have no other index)."""
    row = db.execute("SELECT signature, passages FROM dedupe_signatures WHERE article_id = ?", [article_id]).fetchone()
    if row is None:
        return
    conn: sqlite3.Connection = db.conn
    bands = band_keys(np.frombuffer(row[0], dtype=np.uint32)) if row[0] else []
    hashes = np.frombuffer(row[1], dtype=np.int64).tolist()
    for (table, column), keys in zip(TABLES, (bands, hashes), strict=True):
        rows = [(k, article_id) for k in keys]
        for name in (table, f"{table}_recent"):
            conn.executemany(f"DELETE FROM {name} WHERE {column} = ? AND article_id = ?", rows)
    db.execute("DELETE FROM dedupe_signatures WHERE article_id = ?", [article_id])


def index_existing(db: Database, boilerplate_articles: int = 5) -> int:
    """Index every article not yet indexed, oldest first, as if each had just been stored; return how many."""
    ids = [
        row[0]
        for row in db.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM dedupe_signatures) ORDER BY id"
        )
    ]
    for article_id in ids:
        body = db.execute("SELECT body FROM articles WHERE id = ?", [article_id]).fetchone()[0]
        parts = passages(body or "")
        common = common_passages(db, (h for h, _ in parts), boilerplate_articles)
        index_article(db, article_id, fingerprint(parts, common))
    return len(ids)
