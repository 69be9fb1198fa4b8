"""The runs of distributed crawls: one run per site and crawl id, kept by the ingester from the events
workers put in the stream (join, page, end, done), with the workers' stats added up.

State lives in `ingest_crawls`, written in the same transaction as the pages, so an ingester killed at
any moment resumes with runs and stats that match what it stored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from archive.db import Archive, record_finish
from archive.incremental import walked_everything
from archive.runs import recent_stats
from crawler.health import figures, health_problems
from crawler.sites import known_site
from pipelines.dedupe import dedupe_counts
from pipelines.offline import Outcome

# a worker's figures that are not counts, and add up as the longest, not the sum
LONGEST = ("elapsed_time_seconds", "memusage/max", "memusage/startup")


@dataclass
class Crawl:
    """One distributed crawl of one site, as the ingester sees it."""

    crawl: str
    site: str
    run_id: int
    workers: set[str] = field(default_factory=set)
    done: bool = False
    closed: bool = False
    published: bool = False
    stats: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        return {
            "crawl": self.crawl,
            "site": self.site,
            "run_id": self.run_id,
            "workers": json.dumps(sorted(self.workers)),
            "done": int(self.done),
            "closed": int(self.closed),
            "published": int(self.published),
            "stats": json.dumps(self.stats, sort_keys=True),
        }

    def count(self, key: str, n: float = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n


def load_crawls(db: Database) -> dict[str, Crawl]:
    """Every crawl the ingester has met, from the archive."""
    return {
        row["crawl"]: Crawl(
            row["crawl"],
            row["site"],
            row["run_id"],
            set(json.loads(row["workers"])),
            bool(row["done"]),
            bool(row["closed"]),
            bool(row["published"]),
            json.loads(row["stats"]),
        )
        for row in db.query("SELECT * FROM ingest_crawls")
    }


def save_crawl(db: Database, crawl: Crawl) -> None:
    db.table("ingest_crawls").upsert(crawl.row(), pk="crawl")


def reclaim_runs(db: Database, crawls: Mapping[str, Crawl]) -> None:
    """Mark the runs of open crawls as this ingester's (a previous one may have died holding them)."""
    for crawl in crawls.values():
        if not crawl.closed:
            db.table("runs").update(crawl.run_id, {"status": "running", "pid": os.getpid(), "finished_at": None})


def open_crawl(archive: Archive, crawls: dict[str, Crawl], site: str, crawl_id: str) -> Crawl:
    """The crawl with this id, starting its run when it is new, reopening it when workers come back."""
    crawl = crawls.get(crawl_id)
    if crawl is None:
        run_id = archive.start_run(site, {"crawl": crawl_id, "distributed": True})
        crawl = crawls[crawl_id] = Crawl(crawl_id, site, run_id)
    elif crawl.closed:
        crawl.closed = crawl.published = False
        archive.db.table("runs").update(crawl.run_id, {"status": "running", "finished_at": None, "problem": None})
    return crawl


def count_outcome(crawl: Crawl, outcome: Outcome) -> None:
    """Count one ingested page under the names a single-machine crawl uses, so `runs` and health read them."""
    crawl.count("extract/pages")
    if outcome.dropped:
        crawl.count("item_dropped_count")
        crawl.count(f"item_dropped_reasons_count/{outcome.dropped}")
        crawl.count("archive/pages_dropped")
        return
    article, recorded = outcome.item, outcome.recorded
    if article is None or recorded is None:
        return
    crawl.count("archive/pages")
    for key, count in dedupe_counts(article).items():
        crawl.count(key, count)
    crawl.count("archive/with_date", int(bool(article.published_at)))
    crawl.count("archive/with_author", int(bool(article.authors)))
    crawl.count("archive/articles_new", int(recorded.new_article))
    crawl.count("archive/articles_updated", int(recorded.updated))
    crawl.count("archive/sightings_new", int(recorded.new_sighting))


def add_worker_stats(crawl: Crawl, stats: Mapping[str, Any]) -> None:
    """Add a finished worker's counters to the crawl's."""
    for key, value in stats.items():
        if key.startswith(("archive/", "redis/crawl", "redis/worker")) or not isinstance(value, int | float):
            continue  # the ingester counts what it stores itself
        if key in LONGEST:
            crawl.stats[key] = max(crawl.stats.get(key, 0), value)
        else:
            crawl.count(key, value)


def end_worker(crawl: Crawl, worker: str, reason: str, stats: Mapping[str, Any]) -> None:
    """A worker left the crawl: finished, stopped, or found dead by another (its stats are then lost)."""
    crawl.workers.discard(worker)
    if reason == "lost":
        crawl.count("redis/workers_lost")
    else:
        add_worker_stats(crawl, stats)
        crawl.count(f"redis/workers_ended/{reason}")


def finish_if_over(db: Database, crawl: Crawl, sites_paths: tuple[str, ...]) -> bool:
    """Finish the crawl's run once no worker is left in it; True when this call finished it."""
    if crawl.workers or crawl.closed:
        return False
    reason = "finished" if crawl.done else "shutdown"
    stats = {**crawl.stats, "finish_reason": reason}
    status, problem = ("finished", None) if crawl.done else ("interrupted", None)
    site = known_site(crawl.site, sites_paths)
    if crawl.done and site is not None:
        recent = [figures(s) for s in recent_stats(db, crawl.site, crawl.run_id, limit=10)]
        if problems := health_problems(site.health, figures(stats), recent):
            status, problem = "failed", "; ".join(problems)
            stats["health/problem"] = problem
    record_finish(db, crawl.run_id, status, reason, stats, problem)
    crawl.closed = True
    return True


def walked(crawl: Crawl) -> bool:
    """Whether the crawl saw everything it found (so the next may trust 304s and paging stops).

    A worker that died took its counts of lost requests with it: such a crawl is not trusted.
    """
    stats = {**crawl.stats, "finish_reason": "finished" if crawl.done else "shutdown"}
    return walked_everything(stats["finish_reason"], stats) and not crawl.stats.get("redis/workers_lost")
