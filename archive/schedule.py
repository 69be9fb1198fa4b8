"""`newsarchive schedule`: start each site's crawls at the times its definition's cron expression names."""

from __future__ import annotations

from pathlib import Path

import click

from archive.db import ArchiveError, open_archive, open_reader
from archive.options import db_option, sites_dir_option
from archive.runs import last_started
from crawler.scheduler import Scheduler, crontab_lines
from crawler.sites import SiteDefinition, SiteError, iter_sites, load_site


def scheduled_sites(names: tuple[str, ...], sites_dirs: tuple[str, ...]) -> list[SiteDefinition]:
    """The named sites, or every valid definition with a schedule; a broken definition is an error."""
    if names:
        return [load_site(name, sites_dirs) for name in names]
    found = list(iter_sites(sites_dirs))
    for item in found:
        if isinstance(item, SiteError):
            raise item
    return [s for s in found if isinstance(s, SiteDefinition) and s.schedule and s.enabled]


@click.command()
@db_option
@sites_dir_option
@click.option("--site", "names", multiple=True, help="Only this site (repeatable); default: every scheduled site.")
@click.option("--crontab", is_flag=True, help="Print equivalent crontab lines instead of running.")
@click.option("--once", is_flag=True, help="Start the crawls due now, wait for them, and exit.")
@click.option("--parallel", default=2, show_default=True, help="Crawls of different sites at once.")
@click.option("--poll", default=30.0, show_default=True, help="Seconds between looks at the clock, at most.")
def schedule(
    db_path: Path,
    sites_dirs: tuple[str, ...],
    names: tuple[str, ...],
    crontab: bool,
    once: bool,
    parallel: int,
    poll: float,
) -> None:
    """Run in the foreground and start each site's crawl when its `schedule` (cron, local time) is due.

    A site never crawled, or whose latest slot passed while nothing ran (downtime), is crawled once
    at start, not once per missed slot. Two crawls of one site never run at once: each crawl holds a
    lock beside the archive that the kernel releases if the crawl dies. Ctrl-C or SIGTERM stops the
    scheduler and asks running crawls to stop gracefully. Prefer cron? --crontab prints the lines.

    Example: newsarchive schedule --db utility.db --site ep18 --site bjx
    """
    sites = scheduled_sites(names, sites_dirs)
    if crontab:
        for line in crontab_lines(sites, db_path, sites_dirs):
            click.echo(line)
        return
    unscheduled = [s.name for s in sites if not s.schedule]
    if unscheduled:
        raise click.ClickException(f"no schedule in the definition of: {', '.join(unscheduled)}")
    open_archive(db_path).close()  # create and migrate once, before any crawl starts

    def history() -> dict[str, str]:
        try:
            db = open_reader(db_path)
        except ArchiveError:
            return {}
        try:
            return last_started(db)
        finally:
            db.close()

    click.echo(f"scheduling {', '.join(s.name for s in sites) or 'nothing'} into {db_path}", err=True)
    scheduler = Scheduler(sites, db_path, list(sites_dirs), history, parallel, say=lambda m: click.echo(m, err=True))
    raise SystemExit(scheduler.run(once=once, poll=poll))
