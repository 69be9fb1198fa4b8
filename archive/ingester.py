"""The single writer of a distributed crawl: drains the workers' stream into the archive.

Entries are read through a consumer group, stored in one transaction per batch with the id of the
last one (table `ingest_offsets`), and acknowledged (then deleted from the stream) only after the
commit. An ingester killed mid-batch leaves its entries pending; the next one reads them first, skips
those its last commit already holds, and stores the rest: nothing lost, nothing stored twice.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from scrapy.settings import BaseSettings

from archive.crawls import (
    Crawl,
    count_outcome,
    end_worker,
    finish_if_over,
    load_crawls,
    open_crawl,
    reclaim_runs,
    save_crawl,
    walked,
)
from archive.db import Archive, now
from archive.incremental import save_validators
from archive.publish import archived_urls, known_filter, publish_archive, publish_validators
from crawler.distributed.bloom import RedisBloom, add_all
from crawler.distributed.codec import BadEntry, load_page
from crawler.distributed.connection import Keys
from crawler.items import ArticleItem, PageItem
from pipelines.offline import Stages
from pipelines.workers import new_pool, worker_count

logger = logging.getLogger(__name__)
GROUP = "ingest"
# what prepare() hands to handle() for one entry: nothing (not a page), a page that could not be read,
# or the page with the future of its extraction (None: extract when storing)
Prepared = None | BadEntry | tuple[PageItem, "Future[ArticleItem | str] | None"]


@dataclass
class IngestOptions:
    """How the ingester reads: batch size, how long one read waits, its name in the consumer group."""

    batch: int = 100
    block_ms: int = 1000
    consumer: str = "ingester"
    bloom_shape: tuple[int, float] = (10_000_000, 1e-7)
    sites_paths: tuple[str, ...] = ()
    workers: int = 0  # processes for extraction and facts (0: in this process)
    worker_timeout: float = 60.0  # a crawl's worker silent this long is gone (REDIS_WORKER_TIMEOUT)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> IngestOptions:
        return cls(
            batch=settings.getint("REDIS_INGEST_BATCH"),
            bloom_shape=(settings.getint("REDIS_BLOOM_CAPACITY"), settings.getfloat("REDIS_BLOOM_ERROR")),
            sites_paths=tuple(settings.getlist("SITES_PATHS")),
            workers=worker_count(settings.getint("PIPELINE_WORKERS", -1)),
            worker_timeout=settings.getfloat("REDIS_WORKER_TIMEOUT"),
        )


@dataclass
class Totals:
    """What one ingester process stored."""

    entries: int = 0
    pages: int = 0
    dropped: int = 0
    bad: int = 0
    runs: list[int] = field(default_factory=list)


def pool(workers: int) -> ProcessPoolExecutor | None:
    """Processes that extract pages and find facts while this one stores."""
    return new_pool(workers) if workers > 0 else None


def entry_id(raw: bytes) -> tuple[int, int]:
    ms, _, seq = raw.decode().partition("-")
    return int(ms), int(seq or 0)


class Ingester:
    """Drain the stream into the archive: batches committed before their entries are acknowledged."""

    def __init__(self, archive: Archive, server: Any, keys: Keys, stages: Stages, options: IngestOptions):
        self.archive, self.server, self.keys, self.stages, self.options = archive, server, keys, stages, options
        self.pool = pool(options.workers)
        self.db = archive.db
        self.crawls = load_crawls(self.db)
        self.offset = self.last_offset()
        self.totals = Totals()
        self.bloom: RedisBloom | None = None

    def last_offset(self) -> tuple[int, int]:
        row = self.db.execute("SELECT last_id FROM ingest_offsets WHERE stream = ?", [self.keys.items]).fetchone()
        return entry_id(row[0].encode()) if row else (0, 0)

    def setup(self) -> None:
        """Join the consumer group; make the runs of open crawls ours; give workers what the archive knows."""
        self.ensure_group()
        with self.archive.batch():
            reclaim_runs(self.db, self.crawls)
        self.archive.commit()
        self.bloom = known_filter(self.server, self.keys, self.options.bloom_shape, self.db)
        publish_archive(self.server, self.keys, self.db)
        for crawl in self.crawls.values():
            if crawl.closed and not crawl.published:
                self.publish_run(crawl)

    def ensure_group(self) -> None:
        from redis.exceptions import ResponseError

        try:
            self.server.xgroup_create(self.keys.items, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    # --- the loop -----------------------------------------------------------------------------
    def run(self, drain: bool, stopping: Callable[[], bool]) -> Totals:
        """Ingest until stopped; with drain, until nothing is left and no crawl is open."""
        from redis.exceptions import ConnectionError, ResponseError, TimeoutError

        while not stopping():
            try:
                entries = self.read()
            except ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                logger.warning("the stream or its group is gone (Redis lost its data?): starting them again")
                self.setup()
                continue
            except (ConnectionError, TimeoutError) as exc:
                logger.error("Redis unreachable (%s); trying again", exc)
                continue
            if entries:
                self.ingest(entries)
            elif drain and self.drained():
                break
        if self.pool:
            self.pool.shutdown()
        return self.totals

    def drained(self) -> bool:
        """Nothing left to wait for: every crawl is finished and published, or has no live worker left."""
        open_crawls = [c for c in self.crawls.values() if not (c.closed and c.published)]
        seconds, micros = self.server.time()
        alive_since = seconds + micros / 1e6 - self.options.worker_timeout
        orphaned = [
            c
            for c in open_crawls
            if c.closed or not self.server.zcount(self.keys.crawl(c.site, c.crawl).workers, alive_since, "+inf")
        ]
        if len(orphaned) < len(open_crawls):
            return False
        for crawl in orphaned:
            if not crawl.closed:
                logger.warning("%s crawl %s has no live worker: start workers to finish it", crawl.site, crawl.crawl)
        return True

    def read(self) -> list[tuple[bytes, dict[bytes, bytes]]]:
        """This consumer's unacknowledged entries first (a killed run's batch), then new ones."""
        for start, block in (("0", None), (">", self.options.block_ms)):
            found = self.server.xreadgroup(
                GROUP, self.options.consumer, {self.keys.items: start}, count=self.options.batch, block=block
            )
            if found and found[0][1]:
                return list(found[0][1])
        # entries another consumer (an ingester under another name) read and never acknowledged
        claimed = self.server.xautoclaim(
            self.keys.items, GROUP, self.options.consumer, min_idle_time=60_000, count=self.options.batch
        )
        return [entry for entry in claimed[1] if entry[1]]

    def ingest(self, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> None:
        """Store a batch in one transaction, publish the runs it finished, then acknowledge it."""
        for crawl in self.store(entries):
            self.publish_run(crawl)
        self.acknowledge(entries)

    def store(self, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> list[Crawl]:
        """Store a batch and the id of its last entry in one transaction; return the runs it finished."""
        finished: list[Crawl] = []
        touched: set[str] = set()
        # an entry at or before the offset was committed by an ingester killed before acknowledging it
        fresh = [(i, {k.decode(): v for k, v in f.items()}) for i, f in entries if entry_id(i) > self.offset]
        prepared = self.prepare([entry for _, entry in fresh])
        with self.archive.batch():
            for (_, entry), ready in zip(fresh, prepared, strict=True):
                self.handle(entry, ready, touched, finished)
                self.totals.entries += 1
            for name in touched:
                save_crawl(self.db, self.crawls[name])
            last = max(entry_id(raw_id) for raw_id, _ in entries)
            if last > self.offset:
                row = {"stream": self.keys.items, "last_id": f"{last[0]}-{last[1]}", "updated_at": now()}
                self.db.table("ingest_offsets").upsert(row, pk="stream")
        self.archive.commit()
        self.offset = max(self.offset, last)
        return finished

    def acknowledge(self, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> None:
        """Tell Redis the entries are stored, and drop them from the stream (page bodies are large)."""
        ids = [raw_id for raw_id, _ in entries]
        pipe = self.server.pipeline()
        pipe.xack(self.keys.items, GROUP, *ids)
        pipe.xdel(self.keys.items, *ids)
        pipe.execute()

    def prepare(self, entries: list[dict[str, bytes]]) -> list[Prepared]:
        """Decode the batch's pages and start extracting them, in the pool when there is one."""
        ready: list[Prepared] = []
        for entry in entries:
            if entry.get("type") != b"page":
                ready.append(None)
                continue
            try:
                page = load_page(entry.get("data", b""))
            except BadEntry as exc:
                ready.append(exc)
                continue
            ready.append((page, self.pool.submit(self.stages.prepare, page) if self.pool else None))
        return ready

    def handle(self, entry: dict[str, bytes], ready: Prepared, touched: set[str], finished: list[Crawl]) -> None:
        kind, site, crawl_id = (entry.get(k, b"").decode() for k in ("type", "site", "crawl"))
        if not site or not crawl_id:
            self.bad(f"a {kind or 'nameless'} entry without site or crawl id")
            return
        crawl = open_crawl(self.archive, self.crawls, site, crawl_id)
        touched.add(crawl_id)
        worker = entry.get("worker", b"").decode()
        if kind == "page":
            self.page(crawl, ready)
        elif kind == "join":
            crawl.workers.add(worker)
            crawl.count("redis/workers_joined")
        elif kind == "end":
            end_worker(crawl, worker, entry.get("reason", b"").decode(), json.loads(entry.get("stats", b"{}")))
        elif kind == "done":
            crawl.done = True
        else:
            self.bad(f"an entry of unknown type {kind!r}")
        if kind in ("end", "done") and finish_if_over(self.db, crawl, self.options.sites_paths):
            finished.append(crawl)
            self.totals.runs.append(crawl.run_id)

    def page(self, crawl: Crawl, ready: Prepared) -> None:
        """Store one page through every stage; a page no stage can read is kept raw, with the reason."""
        if not isinstance(ready, tuple):
            crawl.count("ingest/bad_entries")
            self.bad(str(ready))
            return
        page, future = ready
        try:
            prepared = future.result() if future else self.stages.prepare(page)
            with self.db.atomic():
                outcome = self.stages.store(self.db, page, prepared, crawl.run_id)
        except sqlite3.Error:
            raise
        except Exception as exc:  # a bug met on a strange page must not stop the ingester or lose the page
            logger.error("%s: %s: %s (kept raw as IngestError)", page.url, type(exc).__name__, exc)
            self.stages.keep_raw(self.db, page, crawl.run_id, "IngestError")
            crawl.count("item_dropped_reasons_count/IngestError")
            self.totals.dropped += 1
            return
        count_outcome(crawl, outcome)
        self.totals.pages += 1
        self.totals.dropped += int(bool(outcome.dropped))

    def bad(self, message: str) -> None:
        self.totals.bad += 1
        logger.error("skipped stream entry: %s", message)

    # --- after a run ends ---------------------------------------------------------------------
    def publish_run(self, crawl: Crawl) -> None:
        """Give workers what a finished run changed: its URLs are known; its lists' validators, if trusted."""
        at = self.keys.crawl(crawl.site, crawl.crawl)
        if self.bloom is not None:
            add_all(self.bloom, archived_urls(self.db, crawl.run_id))
        trusted = crawl.done and walked(crawl)
        if trusted:
            found = {k.decode(): tuple(json.loads(v)) for k, v in self.server.hgetall(at.found_validators).items()}
            with self.archive.batch():
                save_validators(self.db, crawl.site, crawl.run_id, found)
            self.archive.commit()
            publish_validators(self.server, self.keys, found)
        self.server.hset(self.keys.trusted, crawl.site, int(trusted))
        self.server.delete(at.found_validators)
        crawl.published = True
        with self.archive.batch():
            save_crawl(self.db, crawl)
        self.archive.commit()
