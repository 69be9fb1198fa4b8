"""The filter of the dedupe index's main-table keys: never a false negative, kept in step with every fold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlite_utils import Database
from test_dedupe import article, long_stories, paragraphs_of, store

from archive import dedupe_filter, dedupe_index
from archive.db import open_archive
from archive.dedupe_filter import TABLES, KeyFilter, key_filter
from archive.schema import migrations


def random_keys(count: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**63 - 1, size=count, dtype=np.int64)


def test_every_key_added_is_found_and_few_others_are() -> None:
    found = KeyFilter(capacity=100_000)
    keys = random_keys(100_000, 1)
    found.add(keys)
    assert all(found.maybe(keys.tolist()))
    false_positives = np.mean(found.maybe(random_keys(100_000, 2).tolist()))
    assert 0 < false_positives < 0.04  # full at 8 bits a key in 512-bit blocks: about 3 %
    assert found.bits.nbytes == 128 * 1024  # 100,000 keys round up to 2^17, a byte each


def test_an_answer_remembered_is_forgotten_when_keys_are_added() -> None:
    found = KeyFilter(capacity=1000)
    key = int(random_keys(1, 3)[0])
    assert found.maybe([key]) == [False]
    found.add(np.array([key], dtype=np.int64))
    assert found.maybe([key]) == [True]


def filter_of(db: Database) -> KeyFilter:
    found = key_filter(db)
    assert found is not None
    return found


def main_keys(db: Database) -> list[int]:
    return [row[0] for table, column in TABLES for row in db.execute(f"SELECT {column} FROM {table}")]


FOLD_EVERY_ARTICLE = pytest.mark.parametrize("folding", [1], indirect=True)


@FOLD_EVERY_ARTICLE
@pytest.mark.usefixtures("folding")
def test_the_filter_read_back_holds_every_key_folded_and_grows_as_they_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dedupe_filter, "FIRST_CAPACITY", 64)
    store(tmp_path / "a.db", *(article(f"http://a.test/{s}", "\n".join(paragraphs_of(s))) for s in long_stories(6)))
    db = Database(tmp_path / "a.db")  # a new connection reads the filter the folds wrote
    keys = main_keys(db)
    found = filter_of(db)
    assert len(keys) > 64
    assert found.capacity >= len(keys)  # rebuilt larger on the way
    assert all(found.maybe(keys))


@FOLD_EVERY_ARTICLE
@pytest.mark.usefixtures("folding")
def test_a_fold_by_another_connection_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    first, second = long_stories(2)
    store(path, article(f"http://a.test/{first}", "\n".join(paragraphs_of(first))))
    reader = Database(path)
    filter_of(reader)  # read now, before the second fold
    before = set(main_keys(reader))
    store(path, article(f"http://a.test/{second}", "\n".join(paragraphs_of(second))))
    added = [key for key in main_keys(reader) if key not in before]
    assert added
    assert all(filter_of(reader).maybe(added))


@FOLD_EVERY_ARTICLE
@pytest.mark.usefixtures("folding")
def test_a_new_article_probes_only_the_recent_tables_for_keys_the_filter_has_not_seen(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    (first,) = long_stories(1)
    store(path, article(f"http://a.test/{first}", "\n".join(paragraphs_of(first))))
    archive = open_archive(path)
    statements: list[str] = []
    archive.db.conn.set_trace_callback(statements.append)
    with archive.batch():
        dedupe_index.candidates(archive.db, random_keys(3, 6).tolist(), random_keys(3, 7).tolist())  # new keys
    archive.db.conn.set_trace_callback(None)
    archive.close()
    probes = [s for s in statements if "dedupe_bands" in s or "dedupe_passages" in s]
    assert probes
    assert all("_recent WHERE" in s for s in probes)
    assert not any("dedupe_bands WHERE" in s or "dedupe_passages WHERE" in s for s in probes)


def test_an_archive_from_before_the_filter_gets_one_of_its_main_keys(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m017_dedupe_key_filter")
    db.execute("DROP TABLE dedupe_filter")  # as archives indexed before it have none
    keys = random_keys(500, 4).tolist()
    db.conn.executemany("INSERT INTO dedupe_bands (key, article_id) VALUES (?, 1)", [(k,) for k in keys])
    db.conn.commit()
    db.close()
    assert all(filter_of(open_archive(path).db).maybe(keys))


def test_a_damaged_filter_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    archive = open_archive(path)
    keys = random_keys(300, 5).tolist()
    with archive.batch():
        rows = [(k,) for k in keys]
        archive.db.conn.executemany("INSERT INTO dedupe_passages (hash, article_id) VALUES (?, 1)", rows)
        archive.db.execute("UPDATE dedupe_filter SET bits = x'00'")  # cut short: not the size its capacity says
    archive.close()
    assert all(filter_of(Database(path)).maybe(keys))
