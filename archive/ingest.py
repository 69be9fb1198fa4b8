"""`newsarchive ingest` and `newsarchive seed`: the archive's side of a distributed crawl."""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from archive.db import ArchiveError, open_archive, open_reader
from archive.locks import SiteLock
from archive.options import db_option, sites_dir_option, verbose_option
from archive.schema import migrations
from crawler.distributed.connection import Keys, check, connect

INGEST_LOCK = "_ingest"  # one ingester per archive, whatever the sites


def redis_option(func: Any) -> Any:
    """--redis URL, the Redis server workers share."""
    return click.option(
        "--redis",
        "redis_url",
        required=True,
        envvar="NEWSARCHIVE_REDIS",
        metavar="URL",
        help="The Redis server of the distributed crawl, e.g. redis://10.0.0.5:6379/0.",
    )(func)


def setting_pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="--set")
    return name.strip(), value


def worker_settings(sites_dirs: tuple[str, ...], redis_url: str, extra: dict[str, Any] | None = None) -> Any:
    from crawler.runner import project_settings

    return project_settings({"SITES_PATHS": list(sites_dirs), "REDIS_URL": redis_url, **(extra or {})})


@click.command()
@redis_option
@db_option
@sites_dir_option
@click.option("--drain", is_flag=True, help="Exit once the stream is empty and no crawl has live workers.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override a setting.")
@verbose_option
def ingest(
    redis_url: str, db_path: Path, sites_dirs: tuple[str, ...], drain: bool, overrides: tuple[str, ...], verbose: bool
) -> None:
    """Store what the workers of a distributed crawl fetched: the archive's one writer.

    Reads the pages workers push to Redis, runs them through the pipeline stages (extract, clean,
    facts, dedupe, store) in batched transactions, and records one run per site and crawl. On start it
    builds the known-URL filter from the archive when Redis has none. Stop it with Ctrl-C; a killed
    ingester loses nothing: the next one stores what the last commit did not hold.

    Example: newsarchive ingest --redis redis://10.0.0.5:6379/0 --db utility.db
    """
    from archive.ingester import Ingester, IngestOptions
    from pipelines.offline import Stages

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")
    check(redis_url)
    settings = worker_settings(sites_dirs, redis_url, dict(setting_pair(text) for text in overrides))
    lock = SiteLock(db_path, INGEST_LOCK)
    if not lock.acquire():
        raise ArchiveError(f"another ingester is writing {db_path} ({lock.holder()})")
    stop = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.append(True))
    try:
        archive = open_archive(db_path, batch_size=10**9, batch_seconds=1e9)  # batches end where the ingester says
    except ArchiveError:
        lock.release()
        raise
    server = connect(redis_url, settings.getfloat("REDIS_RETRY_SECONDS"))
    keys, stages = Keys(settings["REDIS_KEY_PREFIX"]), Stages.from_settings(settings)
    ingester = Ingester(archive, server, keys, stages, IngestOptions.from_settings(settings))
    try:
        ingester.setup()
        totals = ingester.run(drain, lambda: bool(stop))
    finally:
        archive.close()
        lock.release()
    runs = ", ".join(map(str, totals.runs)) or "none"
    click.echo(
        f"ingested {totals.pages} pages ({totals.dropped} dropped, {totals.bad} bad entries); runs ended: {runs}"
    )


@click.command()
@redis_option
@db_option
@click.option("--rebuild", is_flag=True, help="Build the known-URL filter anew (after raising its capacity).")
def seed(redis_url: str, db_path: Path, rebuild: bool) -> None:
    """Give the workers of a distributed crawl what the archive knows, without writing the archive.

    Builds the known-URL filter (a Bloom filter in Redis) from the archive's URLs when Redis has none,
    and copies the lists' validators and each site's trust. `newsarchive ingest` does the same when it
    starts; run this when workers start before the ingester.

    Example: newsarchive seed --redis redis://10.0.0.5:6379/0 --db utility.db
    """
    from archive.publish import known_filter, publish_archive

    check(redis_url)
    settings = worker_settings((), redis_url)
    db = open_reader(db_path) if db_path.exists() else Database(memory=True)  # no archive yet: nothing known
    if not db.table("runs").exists():
        migrations.apply(db)
    server = connect(redis_url, settings.getfloat("REDIS_RETRY_SECONDS"))
    keys = Keys(settings["REDIS_KEY_PREFIX"])
    shape = (settings.getint("REDIS_BLOOM_CAPACITY"), settings.getfloat("REDIS_BLOOM_ERROR"))
    bloom = known_filter(server, keys, shape, db, rebuild)
    publish_archive(server, keys, db)
    meta = bloom.meta()
    click.echo(
        f"known-URL filter: {int(meta['count'])} URLs of {int(meta['capacity'])}, "
        f"{bloom.shape.bits // 8 / 1e6:.1f} MB in Redis, {bloom.shape.hashes} bits per URL"
    )
