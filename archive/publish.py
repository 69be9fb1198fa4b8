"""What workers read instead of the archive, written to Redis by the ingester (or `newsarchive seed`):
the known-URL filter, the lists' validators, and which sites' last run walked everything.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any

from sqlite_utils import Database

from archive.incremental import REFETCH_REASONS, last_run_walked_everything
from crawler.distributed.bloom import RedisBloom, add_all
from crawler.distributed.connection import Keys
from crawler.urls import canonical_url

logger = logging.getLogger(__name__)


def archived_urls(db: Database, run_id: int | None = None) -> Iterator[str]:
    """The canonical form of every URL the archive holds (of one run, when given), as incremental crawls see it."""
    where, params = ("AND run_id = ?", [run_id]) if run_id is not None else ("", [])
    refetch = ",".join("?" * len(REFETCH_REASONS))
    pages = db.execute(
        f"SELECT url FROM pages WHERE part_of IS NULL {where}"
        f" AND (outcome <> 'dropped' OR coalesce(reason, '') NOT IN ({refetch}))",
        [*params, *REFETCH_REASONS],
    )
    for (url,) in pages:
        yield canonical_url(url)
    for (url,) in db.execute(f"SELECT url FROM sightings WHERE 1 {where}", params):
        yield url


def known_filter(server: Any, keys: Keys, shape: tuple[int, float], db: Database, rebuild: bool = False) -> RedisBloom:
    """The known-URL filter; built from the archive when Redis has none (first start, lost data) or on request."""
    bloom = None if rebuild else RedisBloom.existing(server, keys.known)
    if bloom is None:
        bloom = RedisBloom.create(server, keys.known, *shape)
        added = add_all(bloom, archived_urls(db))
        logger.info("known-URL filter built from the archive: %d URLs", added)
    warn_if_full(bloom)
    return bloom


def warn_if_full(bloom: RedisBloom) -> None:
    meta = bloom.meta()
    if meta.get("count", 0) > meta.get("capacity", 0):
        logger.warning(
            "the known-URL filter holds %d URLs, past its capacity of %d: about %.1g of new URLs are taken for"
            " archived; raise REDIS_BLOOM_CAPACITY and run `newsarchive seed --rebuild`",
            meta["count"],
            meta["capacity"],
            bloom.shape.error_at(int(meta["count"])),
        )


def publish_validators(server: Any, keys: Keys, found: Mapping[str, tuple[str | None, str | None]]) -> None:
    """Give workers the validators of list pages, feeds and sitemaps."""
    if found:
        server.hset(keys.validators, mapping={url: json.dumps(list(v)) for url, v in found.items()})


def publish_archive(server: Any, keys: Keys, db: Database) -> None:
    """Copy the archive's validators and each site's trust into Redis."""
    rows = db.execute("SELECT url, etag, last_modified FROM validators").fetchall()
    publish_validators(server, keys, {url: (etag, modified) for url, etag, modified in rows})
    sites = [row[0] for row in db.execute("SELECT DISTINCT site FROM runs")]
    if sites:
        server.hset(keys.trusted, mapping={s: int(last_run_walked_everything(db, s, None)) for s in sites})
