"""A Bloom filter of the dedupe index's main-table keys, kept in the archive, so probes for new keys skip the B-tree.

Most keys a new article looks up are new: its band keys and sentences have not been seen. Each
such probe still descends a B-tree of tens of millions of rows whose pages the store's other writes
keep pushing out of the cache (12.5 µs a key at a million articles, 3 µs on a quiet archive).
The filter says "certainly not in the main tables" from memory for nearly all of them; the keys
it lets through (those present, and 0.2–3 % of the others) are looked up as before.

The main tables change only when the index folds its recent keys into them, and the fold writes
the filter back in the same transaction, so the stored filter always covers the main tables and a
new run reads it once instead of rebuilding it. Deleted keys stay set (a false positive costs one
probe, a false negative would lose a duplicate). When it holds more keys than it was sized for, it
is rebuilt from the main tables at the next power of two: once per doubling of the index.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Sequence

import numpy as np
from sqlite_utils import Database

BITS_PER_KEY = 8  # when full; with 8 hashes in 512-bit blocks about 3 % false positives then, 0.1 % after a rebuild
HASHES = 8  # one byte per position, so a key's eight looked-up bits are one 64-bit word to compare
BLOCK = 512  # bits: a key's positions all lie in one 64-byte block, one cache line, one memory read
FIRST_CAPACITY = 1 << 16  # keys (about 2,000 articles): a new archive's filter is 64 KB
PART_BYTES = 1 << 24  # the bits are stored in rows of 16 MB, well under SQLite's blob limit
ADD_CHUNK = 1 << 16  # keys set at a time: their positions take 4 MB
SCAN_RANGES = 64  # key ranges a table is read in (a power of two)
MEMO = 4096  # keys whose answer is remembered: an article asks about its passages three times
TABLES = (("dedupe_bands", "key"), ("dedupe_passages", "hash"))

_STEPS = np.arange(HASHES, dtype=np.uint64)
_ALL_SET = np.frombuffer(bytes([1] * HASHES), dtype=np.uint64)[0]


class KeyFilter:
    """The set of keys in the main tables, with false positives: `maybe` is False only for keys not there.

    Keys are 63-bit hashes already (band keys and blake2b passage hashes), so their own bits choose
    the positions: bits 32 and up a block, the low ones a start and a step inside it (double
    hashing). A blocked filter needs a few more bits per key for the same error, but a key costs one
    cache miss instead of eight: at a million articles the filter is 32 MB, and probed at random.
    """

    def __init__(self, capacity: int, keys: int = 0):
        self.capacity, self.keys = capacity, keys
        size = max(BLOCK, 1 << (capacity * BITS_PER_KEY - 1).bit_length())  # a power of two: positions are masked
        self.bits = np.zeros(size // 8, dtype=np.uint8)
        self.blocks = np.uint64((size - 1) & ~(BLOCK - 1))
        self.memo: dict[int, bool] = {}

    def maybe(self, keys: Sequence[int]) -> list[bool]:
        """For each key, whether it may be in the main tables."""
        memo = self.memo
        if len(memo) > MEMO:
            memo.clear()
        asked = [key for key in keys if key not in memo]
        if asked:
            positions = self._positions(np.array(asked, dtype=np.int64))
            bits = (self.bits[positions >> 3] >> (positions & 7).astype(np.uint8)) & 1
            memo.update(zip(asked, (bits.view(np.uint64)[:, 0] == _ALL_SET).tolist(), strict=True))
        return [memo[key] for key in keys]

    def add(self, keys: np.ndarray) -> None:
        """Set the keys' bits (and forget remembered answers, which may now be wrong)."""
        self.memo.clear()
        for start in range(0, keys.size, ADD_CHUNK):
            positions = self._positions(keys[start : start + ADD_CHUNK]).ravel()
            np.bitwise_or.at(self.bits, positions >> 3, np.left_shift(1, positions & 7).astype(np.uint8))
        self.keys += keys.size

    def _positions(self, keys: np.ndarray) -> np.ndarray:
        """HASHES bit positions per key (rows by columns)."""
        z = keys.view(np.uint64)
        block = (z >> np.uint64(32 - 9)) & self.blocks  # bits 32 and up, as a multiple of BLOCK
        step = (z >> np.uint64(9)) | np.uint64(1)  # odd, so the HASHES offsets differ
        return block[:, None] | ((z[:, None] + step[:, None] * _STEPS) & np.uint64(BLOCK - 1))


class _Held:
    """A connection's filter, and the archive's data_version it was read at."""

    def __init__(self, found: KeyFilter | None, version: int):
        self.found, self.version = found, version


_HELD: weakref.WeakKeyDictionary[Database, _Held] = weakref.WeakKeyDictionary()


def key_filter(db: Database) -> KeyFilter | None:
    """The archive's filter for this connection, read again if another connection has changed the archive since.

    None when the archive has no filter table (then every key is looked up).
    """
    version = db.conn.execute("PRAGMA data_version").fetchone()[0]
    held = _HELD.get(db)
    if held is None or held.version != version:
        held = _HELD[db] = _Held(_read(db), version)
    return held.found


def _read(db: Database) -> KeyFilter | None:
    """The stored filter; one rebuilt from the main tables if what is stored is not whole."""
    try:
        rows = db.execute("SELECT capacity, keys, bits FROM dedupe_filter ORDER BY part").fetchall()
    except sqlite3.OperationalError:
        return None
    if not rows:
        return KeyFilter(FIRST_CAPACITY)
    found = KeyFilter(rows[0][0], rows[0][1])
    bits = b"".join(row[2] for row in rows)
    if len(bits) != found.bits.nbytes:
        return rebuild(db)
    found.bits = np.frombuffer(bits, dtype=np.uint8).copy()
    return found


def create_filter_table(db: Database) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS dedupe_filter (part INTEGER PRIMARY KEY, capacity INTEGER NOT NULL,"
        " keys INTEGER NOT NULL, bits BLOB NOT NULL)"
    )


def add_and_save(db: Database, keys: np.ndarray) -> None:
    """Add keys just moved into the main tables and write the filter back (rebuilt larger once it is full)."""
    found = key_filter(db)
    if found is None:
        return
    found.add(keys)
    if found.keys > found.capacity:
        found = rebuild(db)
    _write(db, found)


def rebuild(db: Database) -> KeyFilter:
    """A filter of every key in the main tables, held for this connection (not written).

    Sized for the next power of two above their number: up to twice as many, once per doubling.
    """
    keys = np.concatenate([column_keys(db, table, column) for table, column in TABLES])
    found = KeyFilter(max(FIRST_CAPACITY, 1 << keys.size.bit_length()))
    found.add(keys)
    _HELD[db] = _Held(found, db.conn.execute("PRAGMA data_version").fetchone()[0])
    return found


def rebuild_and_save(db: Database) -> None:
    _write(db, rebuild(db))


def _write(db: Database, found: KeyFilter) -> None:
    data = found.bits.tobytes()
    parts = [data[start : start + PART_BYTES] for start in range(0, len(data), PART_BYTES)]
    db.execute("DELETE FROM dedupe_filter WHERE part >= ?", [len(parts)])
    db.conn.executemany(
        "INSERT OR REPLACE INTO dedupe_filter (part, capacity, keys, bits) VALUES (?, ?, ?, ?)",
        [(number, found.capacity, found.keys, part) for number, part in enumerate(parts)],
    )


def column_keys(db: Database, table: str, column: str) -> np.ndarray:
    """Every key in one column of a key table, read in key ranges as text that numpy parses.

    Three times faster than a row at a time (a million articles have 30 million keys), and a range's
    text stays a few MB.
    """
    step = 1 << (64 - SCAN_RANGES.bit_length() + 1)
    found = []
    for low in range(-(1 << 63), 1 << 63, step):
        sql = f"SELECT group_concat({column}, ' ') FROM {table} WHERE {column} BETWEEN ? AND ?"
        text = db.execute(sql, [low, low + step - 1]).fetchone()[0]
        if text:
            found.append(np.fromstring(text, dtype=np.int64, sep=" "))
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
