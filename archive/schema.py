"""The archive's schema, as migrations: add new ones at the end, never edit one that has run."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from archive.fts import rebuild_index, set_merges

# the condition of the sightings' partial index on body hashes; a query must repeat it word for word to use it
COPIES = "kind != 'original'"
# what the articles' body-hash index holds: the hash's first 64 bits; a query must say it word for word
HASH_KEY = "substr(content_hash, 1, 16)"

migrations = Migrations("newsarchive")


@migrations()
def m001_initial(db: Database) -> None:
    """Runs, raw pages, articles, the places each was seen, and utility facts."""
    db.table("runs").create(
        {
            "id": int,
            "site": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "finish_reason": str,
            "stats": str,
            "args": str,
            "pid": int,
            "host": str,
        },
        pk="id",
    )
    db.table("runs").create_index(["site", "started_at"])
    db.table("pages").create(
        {
            "id": int,
            "url": str,
            "final_url": str,
            "site": str,
            "run_id": int,
            "status": int,
            "fetched_at": str,
            "headers": str,
            "encoding": str,
            "body": bytes,
            "sha256": str,
            "etag": str,
            "last_modified": str,
            "via": str,
            "outcome": str,
            "reason": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db.table("pages").create_index(["url"])
    db.table("pages").create_index(["sha256"])
    db.table("articles").create(
        {
            "id": int,
            "url": str,
            "site": str,
            "title": str,
            "subtitle": str,
            "published_at": str,
            "author": str,
            "source": str,
            "editor": str,
            "section": str,
            "body": str,
            "lang": str,
            "images": str,
            "content_hash": str,
            "cluster_id": int,
            "first_seen": str,
            "updated_at": str,
            "page_id": int,
            "run_id": int,
        },
        pk="id",
        foreign_keys=[("page_id", "pages", "id"), ("run_id", "runs", "id")],
    )
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["content_hash"])
    db.table("articles").create_index(["site", "published_at"])
    db.table("sightings").create(
        {
            "id": int,
            "article_id": int,
            "url": str,
            "site": str,
            "page_id": int,
            "run_id": int,
            "seen_at": str,
            "published_at": str,
            "title": str,
            "kind": str,
            "similarity": float,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("page_id", "pages", "id"), ("run_id", "runs", "id")],
    )
    db.table("sightings").create_index(["article_id", "url"], unique=True)
    db.table("sightings").create_index(["url"])
    db.table("facts").create(
        {
            "id": int,
            "article_id": int,
            "kind": str,
            "subject": str,
            "region": str,
            "year": int,
            "value": float,
            "unit": str,
            "evidence": str,
            "start": int,
            "end": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("facts").create_index(["article_id"])
    db.table("facts").create_index(["kind", "subject"])


@migrations()
def m002_page_parts(db: Database) -> None:
    """Continuation pages of an article printed over several pages point to its first page."""
    db.table("pages").add_column("part_of", int)
    db.table("pages").create_index(["part_of"])


@migrations()
def m003_incremental_validators(db: Database) -> None:
    """Conditional-GET validators (ETag, Last-Modified) of list pages, feeds and sitemaps, one row per URL."""
    db.table("validators").create(
        {"url": str, "site": str, "etag": str, "last_modified": str, "fetched_at": str, "run_id": int},
        pk="url",
    )
    db.table("pages").create_index(["url", "fetched_at"], if_not_exists=True)


@migrations()
def m004_health_problem(db: Database) -> None:
    """Why a run broke one of its site's health rules (NULL when it broke none)."""
    db.table("runs").add_column("problem", str)


@migrations()
def m005_archive_fts(db: Database) -> None:
    """The full-text index over titles and bodies (Chinese as bigrams), filled from the articles there are."""
    rebuild_index(db)


@migrations()
def m006_archive_catalogue(db: Database) -> None:
    """A view of articles with their year and month, for facets and charts (Datasette, BI tools)."""
    db.execute(
        "CREATE VIEW IF NOT EXISTS catalogue AS SELECT id, title, site, source, section,"
        " substr(published_at, 1, 4) AS year, substr(published_at, 1, 7) AS month, published_at, url"
        " FROM articles"
    )


@migrations()
def m007_archive_published_index(db: Database) -> None:
    """An index on publication time, for date ranges in search, export and Datasette."""
    db.table("articles").create_index(["published_at"], if_not_exists=True)


@migrations()
def m008_dedupe_minhash(db: Database) -> None:
    """The near-duplicate index: MinHash signatures, LSH band keys and passage (sentence) hashes per article.

    Band and passage rows are keyed on the hash first, so a lookup is one index probe whatever the
    archive's size; articles stored before this migration are indexed here, once.
    """
    db.execute(
        "CREATE TABLE dedupe_signatures (article_id INTEGER PRIMARY KEY REFERENCES articles(id),"
        " shingles INTEGER NOT NULL, signature BLOB NOT NULL, passages BLOB NOT NULL)"
    )
    db.execute(
        "CREATE TABLE dedupe_bands (key INTEGER NOT NULL, article_id INTEGER NOT NULL,"
        " PRIMARY KEY (key, article_id)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE dedupe_passages (hash INTEGER NOT NULL, article_id INTEGER NOT NULL,"
        " PRIMARY KEY (hash, article_id)) WITHOUT ROWID"
    )
    db.table("sightings").add_column("content_hash", str)
    db.execute(
        "UPDATE sightings SET content_hash = (SELECT a.content_hash FROM articles a WHERE a.id = sightings.article_id)"
        " WHERE kind IN ('original', 'url', 'exact')"
    )
    db.table("sightings").create_index(["content_hash"])
    from archive.dedupe_filter import create_filter_table
    from archive.dedupe_index import create_recent_tables, index_existing

    create_recent_tables(db)  # m014's, which today's index writes to
    create_filter_table(db)  # m017's, which today's folds write
    index_existing(db)


@migrations()
def m009_redis_ingest(db: Database) -> None:
    """What the ingester of a distributed crawl has committed: the last stream entry, and each crawl's run."""
    db.table("ingest_offsets").create({"stream": str, "last_id": str, "updated_at": str}, pk="stream")
    db.table("ingest_crawls").create(
        {
            "crawl": str,
            "site": str,
            "run_id": int,
            "workers": str,  # JSON list of the workers still crawling
            "done": int,  # the crawl's frontier ran empty
            "closed": int,  # its run has been finished (or interrupted)
            "published": int,  # what its run adds to Redis (known URLs, validators) is there
            "stats": str,  # JSON: the workers' stats added up, and the ingester's
        },
        pk="crawl",
        foreign_keys=[("run_id", "runs", "id")],
    )


@migrations()
def m010_archive_page_indexes(db: Database) -> None:
    """Drop the page indexes on URL alone and on the body hash: (url, fetched_at) serves every page lookup.

    Each index is one more B-tree insert per stored page, and a hash lands at a random place in it,
    which is what slows ingest down as the archive grows.
    """
    db.execute("DROP INDEX IF EXISTS idx_pages_url")
    db.execute("DROP INDEX IF EXISTS idx_pages_sha256")


@migrations()
def m011_sightings_copy_hash_index(db: Database) -> None:
    """Index the body hashes of copies only: an original sighting's hash is its article's, indexed there.

    A body hash lands at a random place in its index, so each such index costs a page write per new
    article once the archive outgrows the cache; this drops one of them from every new story.
    """
    db.execute("DROP INDEX IF EXISTS idx_sightings_content_hash")
    db.execute(f"CREATE INDEX IF NOT EXISTS idx_sightings_copy_hash ON sightings (content_hash) WHERE {COPIES}")


@migrations()
def m012_search_index_merges(db: Database) -> None:
    """Once raised the full-text index's merge settings to 32; m013 sets FTS5's defaults, so nothing to do."""


@migrations()
def m013_search_index_default_merges(db: Database) -> None:
    """FTS5's own merge settings (4, 16 per level): merging 32 segments at a time made every index insert slower."""
    if db["articles_fts"].exists():
        set_merges(db)  # since m015, 8 at a time


@migrations()
def m014_dedupe_recent_keys(db: Database) -> None:
    """Recent tables for new band and passage keys, folded into the main ones in key order (dedupe_index)."""
    from archive.dedupe_index import create_recent_tables

    create_recent_tables(db)


@migrations()
def m015_search_index_merges_8(db: Database) -> None:
    """Merge index segments 8 at a time, not FTS5's 4: the index is rewritten fewer times (fts.set_merges)."""
    if db["articles_fts"].exists():
        set_merges(db)


@migrations()
def m016_articles_hash_key_index(db: Database) -> None:
    """Index the first 16 hex digits of each body hash, not all 64: a third of the size, so it stays cached.

    A new hash lands at a random leaf of the index; once the index outgrew the page cache, each insert
    read a leaf back and each commit wrote thousands of them out. 64 bits tell a million bodies apart;
    a lookup still compares the whole hash in the row.
    """
    db.execute("DROP INDEX IF EXISTS idx_articles_content_hash")
    db.execute(f"CREATE INDEX IF NOT EXISTS idx_articles_hash_key ON articles ({HASH_KEY})")


@migrations()
def m017_dedupe_key_filter(db: Database) -> None:
    """A Bloom filter of the dedupe index's main-table keys, so a probe for a key not there skips the B-tree.

    Built here from the main tables, once; from now on every fold adds what it moves (dedupe_filter).
    """
    from archive.dedupe_filter import create_filter_table, rebuild_and_save

    create_filter_table(db)
    rebuild_and_save(db)
