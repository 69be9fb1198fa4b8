"""The `newsarchive` command line: a thin layer over crawler/ and archive/."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from archive.db import ArchiveError, open_archive, open_reader
from archive.dupes import dupes
from archive.export import export_command
from archive.facts import facts
from archive.importing import import_command
from archive.options import db_option, sites_dir_option, verbose_option
from archive.overview import per_site, totals
from archive.report import report
from archive.reprocess import reprocess_command
from archive.runs import COLUMNS, list_runs, summarise, table_row
from archive.search import reindex_command, search_command
from archive.serve import serve_command
from archive.tables import render
from crawler.distributed.connection import RedisUnavailable
from crawler.items import PageItem
from crawler.sites import SiteDefinition, SiteError, iter_sites, load_site


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Crawl Chinese power-utility news into a SQLite archive, and get it back out.

    Start with `newsarchive demo`, which crawls a bundled imitation of the sites into archive.db.
    """


def crawl_settings(
    db_path: Path, sites_dirs: tuple[str, ...], verbose: bool, extra: dict[str, Any] | None = None
) -> Any:
    """Project settings for a crawl started from the command line."""
    from crawler.runner import project_settings

    overrides = {
        "ARCHIVE_DB": str(db_path),
        "SITES_PATHS": list(sites_dirs),
        "PROGRESS_ENABLED": True,
        "LOG_LEVEL": "INFO" if verbose else "ERROR",
        **(extra or {}),
    }
    return project_settings(overrides)


def through_proxy(proxy: str) -> None:
    """Send this process's plain-HTTP crawling through the demo web (Scrapy reads http_proxy)."""
    os.environ["http_proxy"] = proxy
    for name in ("no_proxy", "NO_PROXY"):
        os.environ.pop(name, None)


def check_settings(settings: Any) -> None:
    """Refuse settings the stages would reject, in one line, before any crawl starts."""
    from pipelines.dedupe import thresholds_from

    try:
        thresholds_from(settings)
    except ValueError as exc:
        raise click.ClickException(f"bad setting: {exc}") from None


def check_archive(db_path: Path, timeout: float = 30.0) -> None:
    """Fail early, in one line, when the archive cannot be written."""
    open_archive(db_path, timeout=timeout).close()


def check_worker(redis_url: str, prefix: str, refresh: bool) -> None:
    """Fail early, in one line, when Redis is unreachable or holds no known-URL filter yet."""
    from crawler.distributed.connection import check, not_seeded  # only here: the redis extra is optional

    check(redis_url)
    if not refresh and (problem := not_seeded(redis_url, prefix)):
        raise RedisUnavailable(problem)


def summary_table(results: list[dict[str, Any]]) -> str:
    """The end-of-crawl table: one row per site."""
    headers = ["site", "status", "seconds", "requests", "skipped", "pages", "new", "duplicates", "dropped", "errors"]
    rows = []
    for stats in results:
        figures = summarise(stats)
        reason = stats.get("finish_reason", "failed")
        rows.append([stats["site"], reason, *(figures[h] for h in headers[2:])])
    return render(headers, rows)


@cli.command()
@db_option
@verbose_option
def demo(db_path: Path, verbose: bool) -> None:
    """Serve the bundled demo web on loopback ports and crawl all of it into the archive.

    Run it again on the same archive and it stores nothing new.

    Example: newsarchive demo --db demo.db
    """
    from crawler.demoweb.server import serving
    from crawler.demoweb.web import demo_web
    from crawler.runner import run_crawls

    check_archive(db_path)
    web = demo_web()
    with serving(web) as server:
        click.echo(f"demo web on {server.proxy}: {', '.join(s.origin for s in web.values())}", err=True)
        through_proxy(server.proxy)
        results = run_crawls(list(web), crawl_settings(db_path, (), verbose))
    click.echo(summary_table(results))
    click.echo(f"archive: {db_path}  (try: newsarchive stats --db {db_path})")
    _exit_on_failure(results)


@cli.command()
@click.argument("sites", nargs=-1, required=True)
@db_option
@sites_dir_option
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("--refresh", is_flag=True, help="Fetch every article page again, not only the ones not archived yet.")
@click.option("--resume", is_flag=True, help="Keep the crawl's queue on disk so that a stopped crawl resumes.")
@click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    help="Crawl as one worker of a crawl shared in Redis (redis://HOST:6379/0); `newsarchive ingest` stores it.",
)
@verbose_option
def crawl(
    sites: tuple[str, ...],
    db_path: Path,
    sites_dirs: tuple[str, ...],
    settings: tuple[str, ...],
    refresh: bool,
    resume: bool,
    redis_url: str | None,
    verbose: bool,
) -> None:
    """Crawl one or more sites, one after another, into the archive.

    Only pages the archive does not hold yet are fetched; list pages, feeds and sitemaps are asked
    "anything new?" with a conditional GET. Exits non-zero when a crawl fails or breaks a health rule
    of its site, and when another crawl of the site is running (press Ctrl-C once to stop gracefully;
    with --resume the next `crawl --resume` picks up where it stopped).

    With --redis the crawl is shared: start the same command on any number of machines and each
    joins it; pages go to Redis for `newsarchive ingest`, the one process that writes the archive
    (see docs/SCALING.md).

    Example: newsarchive crawl ep18 bjx --db utility.db
    """
    from crawler.runner import run_crawls

    for name in sites:
        load_site(name, sites_dirs)
    extra: dict[str, Any] = dict(_setting(s) for s in settings)
    if refresh:
        extra["INCREMENTAL_REFRESH"] = True
    if resume:
        extra["INCREMENTAL_JOBS_DIR"] = str(db_path.with_name(db_path.name + ".jobs"))
    if redis_url and resume:
        raise click.UsageError("--resume is for crawls on one machine: a shared crawl keeps its queue in Redis")
    if redis_url:
        extra["REDIS_URL"] = redis_url
    project = crawl_settings(db_path, sites_dirs, verbose, extra)
    check_settings(project)
    if redis_url:
        check_worker(redis_url, str(extra.get("REDIS_KEY_PREFIX", "newsarchive")), refresh)
    else:
        check_archive(db_path, float(extra.get("ARCHIVE_LOCK_TIMEOUT", 30)))
    results = run_crawls(sites, project)
    click.echo(summary_table(results))
    _exit_on_failure(results)


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="--set")
    return name.strip(), value


def crawl_problem(stats: dict[str, Any]) -> str:
    """Why a crawl counts as failed, in one phrase, or "" when it did its job."""
    reason = str(stats.get("finish_reason", "failed"))
    for key in ("archive/refused", "archive/error", "health/problem"):
        if stats.get(key):
            return str(stats[key])
    if reason == "finished" or reason.startswith("closespider_"):
        return ""
    return f"stopped ({reason})"


def _exit_on_failure(results: list[dict[str, Any]]) -> None:
    problems = [f"{r['site']}: {problem}" for r in results if (problem := crawl_problem(r))]
    if problems:
        raise click.ClickException("; ".join(problems))


@cli.command()
@sites_dir_option
def sites(sites_dirs: tuple[str, ...]) -> None:
    """List every site definition and check that it is valid; exits 1 if any is not.

    Example: newsarchive sites --sites-dir ./my-sites
    """
    rows, errors = [], []
    for found in iter_sites(sites_dirs):
        if isinstance(found, SiteDefinition):
            discovery = "+".join(
                k
                for k, v in (
                    ("lists", found.start_urls),
                    ("feeds", found.feeds),
                    ("sitemaps", found.sitemaps),
                )
                if v
            )
            rows.append([found.name, found.title, found.base_url, discovery, found.schedule or "-"])
        else:
            errors.append(str(found))
    click.echo(render(["name", "title", "base_url", "discovery", "schedule"], rows, max_width=48))
    for error in errors:
        click.echo(f"invalid: {error}", err=True)
    if errors:
        sys.exit(1)


@cli.command()
@db_option
@click.option("--site", help="Only runs of this site.")
@click.option("--limit", default=20, show_default=True, help="How many runs, newest first.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def runs(db_path: Path, site: str | None, limit: int, fmt: str) -> None:
    """Show the run history: status, timing, responses by status, what each crawl stored, errors.

    The note column says why a run failed (a broken health rule, a full archive) or how it stopped.
    --format json adds the detail: responses by status, drops by reason, errors by kind, lost requests.

    Example: newsarchive runs --site demo_portal --limit 5
    """
    rows = list_runs(open_reader(db_path), site, limit)
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        click.echo(render(COLUMNS, [table_row(r) for r in rows], max_width=60))


@cli.command()
@db_option
def stats(db_path: Path) -> None:
    """Show what the archive holds: totals, then a line per site.

    Example: newsarchive stats --db demo.db
    """
    db = open_reader(db_path)
    click.echo("  ".join(f"{k} {v}" for k, v in totals(db, str(db_path)).items()))
    rows = per_site(db)
    if rows:
        click.echo(render(list(rows[0]), [list(r.values()) for r in rows]))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--url", default="", help="The URL the page came from (helps dates and canonical URLs).")
@click.option("--site", help="Apply this site definition's selector overrides.")
@sites_dir_option
def extract(files: tuple[str, ...], url: str, site: str | None, sites_dirs: tuple[str, ...]) -> None:
    """Extract articles from saved pages: one JSON line per file, as the crawl pipeline would read them.

    Example: newsarchive extract page.html --url http://www.ep18.cn/news/1.html
    """
    from pipelines.extract import extract_fields

    definition = load_site(site, sites_dirs) if site else None
    failures = 0
    for name in files:
        try:
            body = Path(name).read_bytes()
        except OSError as exc:
            click.echo(f"error: cannot read {name}: {exc.strerror}", err=True)
            failures += 1
            continue
        page = PageItem(
            url=url or Path(name).resolve().as_uri(),
            final_url=url or Path(name).resolve().as_uri(),
            site=definition.name if definition else "",
            status=200,
            headers={},
            body=body,
            fetched_at="",
        )
        started = time.perf_counter()
        fields = extract_fields(page, definition)
        elapsed = (time.perf_counter() - started) * 1000
        click.echo(json.dumps({"file": name, **fields, "elapsed_ms": round(elapsed, 2)}, ensure_ascii=False))
    if failures:
        sys.exit(1)


from archive.ingest import ingest, seed  # noqa: E402  (commands in their own modules register here)
from archive.schedule import schedule  # noqa: E402

cli.add_command(schedule)
cli.add_command(facts)
cli.add_command(report)
cli.add_command(search_command)
cli.add_command(export_command)
cli.add_command(import_command)
cli.add_command(serve_command)
cli.add_command(reprocess_command)
cli.add_command(reindex_command)
cli.add_command(dupes)
cli.add_command(ingest)
cli.add_command(seed)


def main() -> None:
    """Entry point: user errors become one line on stderr and exit status 1, never a traceback."""
    try:
        cli(standalone_mode=True)
    except (ArchiveError, SiteError, RedisUnavailable) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
