"""Reprocess: run the stored raw pages through today's pipeline again, without the network.

Each URL's latest page goes through pipelines/offline.py (the crawl's own stages), so articles are
updated in place, facts replaced, sightings kept one per place. Running it twice changes nothing
the second time. A page that no longer yields an article is reported and, with --prune, its article
or sighting removed; its raw page always stays.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from archive.db import Archive, open_archive
from archive.options import check_date, db_option, settings_option, sites_dir_option
from archive.progress import Progress
from archive.rawpages import stored_page
from archive.records import Recorded, delete_article, set_page_outcome
from crawler.items import ArticleItem
from pipelines.offline import Stages

logger = logging.getLogger(__name__)

# what happened to each page, in the order the summary lists them
CHANGES = ("updated", "unchanged", "new", "dropped_now", "still_dropped", "pruned", "failed")
# each URL's latest first page (continuation pages come along with theirs)
LATEST = "p.part_of IS NULL AND NOT EXISTS (SELECT 1 FROM pages q WHERE q.url = p.url AND q.id > p.id)"


def page_filter(site: str | None, since: str | None) -> tuple[str, list[Any]]:
    """The pages to reprocess: each URL's latest page, of a site, fetched since a date."""
    clauses, params = [LATEST], []
    if site:
        clauses.append("p.site = ?")
        params.append(site)
    if since:
        clauses.append("p.fetched_at >= ?")
        params.append(since)
    return " AND ".join(clauses), params


def latest_pages(db: Database, where: str, params: list[Any], chunk: int = 200) -> Iterator[dict[str, Any]]:
    """Yield the selected pages in id order, a chunk at a time, so memory stays flat."""
    last = 0
    while True:
        rows = list(
            db.query(f"SELECT * FROM pages p WHERE p.id > ? AND {where} ORDER BY p.id LIMIT ?", [last, *params, chunk])
        )
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1]["id"]


def reconcile(db: Database, row: dict[str, Any], item: ArticleItem, recorded: Recorded) -> bool:
    """Make the page's outcome and sightings say what this reading found; True if anything changed."""
    changed = False
    copy = item.duplicate_of is not None and not item.earlier  # an earlier publication takes the article over
    new_outcome = "duplicate" if copy else "article"
    if (row["outcome"], row["reason"]) != (new_outcome, None):
        set_page_outcome(db, row["id"], new_outcome)
        changed = True
    if item.sighting == "url":  # the place is sighted already: what dedupe judged it to be stands
        return changed
    # a sighting this page once gave to another article is stale now that it reads differently
    stale = db.execute(
        "DELETE FROM sightings WHERE page_id = ? AND article_id != ? AND kind != 'contained'",
        [row["id"], recorded.article_id],
    ).rowcount
    quoted = [article_id for article_id, _ in item.contains]
    stale += db.execute(
        f"DELETE FROM sightings WHERE page_id = ? AND kind = 'contained'"
        f" AND article_id NOT IN ({', '.join('?' * len(quoted))})",
        [row["id"], *quoted],
    ).rowcount
    if copy:
        stale += db.execute(
            "UPDATE sightings SET kind = ?, similarity = ? WHERE article_id = ? AND url = ? AND kind != 'contained'"
            " AND (kind IS NOT ? OR similarity IS NOT ?)",
            [item.sighting, item.similarity, recorded.article_id, item.url, item.sighting, item.similarity],
        ).rowcount
    return changed or stale > 0


def prune(db: Database, page_id: int) -> None:
    """Remove what a now-dropped page stood for: its article, or its sighting of another one."""
    for (article_id,) in db.execute("SELECT id FROM articles WHERE page_id = ?", [page_id]).fetchall():
        delete_article(db, article_id)
    db.execute("DELETE FROM sightings WHERE page_id = ?", [page_id])


def reprocess_page(db: Database, stages: Stages, row: dict[str, Any], run_id: int, pruning: bool) -> str:
    """Run one stored page through the stages; return what changed (one of CHANGES)."""
    was_dropped = row["outcome"] == "dropped"
    outcome = stages.process(db, stored_page(db, row), run_id)
    if outcome.dropped:
        if was_dropped or pruning:  # without --prune the page keeps saying what it stands for
            set_page_outcome(db, row["id"], "dropped", outcome.dropped)
        if was_dropped:
            return "still_dropped"
        if pruning:
            prune(db, row["id"])
            return "pruned"
        return "dropped_now"
    recorded, item = outcome.recorded, outcome.item
    if recorded is None or item is None:
        raise RuntimeError("the stages neither stored nor dropped the page")
    changed = reconcile(db, row, item, recorded)
    if was_dropped:
        return "new"
    if changed or recorded.new_article or recorded.updated or recorded.facts_changed or recorded.new_sighting:
        return "updated"
    return "unchanged"


def reprocess(
    archive: Archive, stages: Stages, selection: tuple[str | None, str | None], pruning: bool
) -> Counter[str]:
    """Reprocess the latest page of every selected URL, each in a savepoint; count what changed."""
    db = archive.db
    where, params = page_filter(*selection)
    total = db.execute(f"SELECT count(*) FROM pages p WHERE {where}", params).fetchone()[0]
    run_id = archive.start_run("reprocess", {"site": selection[0], "since": selection[1], "prune": pruning})
    counts: Counter[str] = Counter()
    progress = Progress("reprocess", total)
    for row in latest_pages(db, where, params):
        try:
            with archive.item():
                change = reprocess_page(db, stages, row, run_id, pruning)
        except Exception as exc:  # one unreadable page must not stop the rest: count it, say why, go on
            logger.warning("page %s (%s) not reprocessed: %s: %s", row["id"], row["url"], type(exc).__name__, exc)
            change = "failed"
        counts[change] += 1
        progress.advance()
        archive.commit_if_due()
    progress.close()
    archive.finish_run(run_id, "finished", "finished", {f"reprocess/{k}": v for k, v in counts.items()})
    return counts


@click.command("reprocess")
@db_option
@click.option("--site", help="Only pages of this site.")
@click.option("--since", callback=check_date, help="Only pages fetched on or after this date (UTC), e.g. 2024-03-01.")
@click.option("--prune", is_flag=True, help="Delete articles and sightings whose page no longer yields one.")
@sites_dir_option
@settings_option
def reprocess_command(
    db_path: Path,
    site: str | None,
    since: str | None,
    prune: bool,
    sites_dirs: tuple[str, ...],
    settings: dict[str, str],
) -> None:
    """Re-extract the stored raw pages with today's pipeline, updating articles in place; no network.

    Each URL's latest page runs through extraction, cleaning, facts and dedupe again. A second run
    changes nothing. Pages that no longer yield an article are only reported unless --prune.

    Example: newsarchive reprocess --site demo_portal --since 2024-01-01 -s CLEAN_MIN_BODY_CHARS=80
    """
    from crawler.runner import project_settings

    logging.basicConfig(format="%(levelname)s: %(message)s")
    stages = Stages.from_settings(project_settings({"SITES_PATHS": list(sites_dirs), **settings}))
    archive = open_archive(db_path)
    try:
        counts = reprocess(archive, stages, (site, since), prune)
    finally:
        archive.close()
    click.echo(summary(counts))


def summary(counts: Counter[str]) -> str:
    """One line saying what a reprocess changed."""
    words = {
        "updated": "articles updated",
        "unchanged": "unchanged",
        "new": "newly extracted from pages dropped before",
        "dropped_now": "dropped now (kept; --prune removes them)",
        "still_dropped": "still dropped",
        "pruned": "dropped now and removed",
        "failed": "failed (see warnings)",
    }
    parts = [f"{counts[key]} {words[key]}" for key in CHANGES if counts[key] or key in ("updated", "unchanged")]
    return f"{sum(counts.values())} pages reprocessed: " + ", ".join(parts)
