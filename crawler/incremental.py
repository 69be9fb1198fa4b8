"""Incremental crawling: skip article pages the archive already holds, and ask list pages, feeds and
sitemaps "anything new?" with a conditional GET.

The archive is read through its own read-only connection, one indexed query per request (no set of
every archived URL in memory). The only write, the validators of the lists a run fetched, goes
through archive.incremental.save_validators at the end of a run that walked everything: a run that
was killed, cut short or lost requests leaves the old validators, so the next run walks again.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from sqlite_utils import Database

from archive.db import ArchiveError, open_archive, open_reader
from archive.incremental import (
    is_archived,
    last_fetch,
    last_run_walked_everything,
    save_validators,
    validators_for,
    walked_everything,
)
from crawler.urls import NO_RULES, canonical_url

LISTS = ("list", "feed", "sitemap")


class KnownPage(IgnoreRequest):
    """The archive already holds this article page."""


class NotModified(IgnoreRequest):
    """The server answered 304: nothing new since the last complete run."""


class PagingStopped(IgnoreRequest):
    """The previous list page held only articles the archive already has."""


class IncrementalMiddleware:
    """Downloader middleware: known articles are not fetched again; lists are fetched conditionally."""

    def __init__(self, crawler: Crawler, path: str, refresh: bool):
        self.crawler, self.path, self.refresh = crawler, path, refresh
        self.stats = crawler.stats
        self.db: Database | None = None
        self.trusted: bool | None = None  # may 304s and paging stops be trusted this run?
        self.found: dict[str, tuple[str | None, str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("INCREMENTAL_ENABLED"):
            raise NotConfigured("INCREMENTAL_ENABLED is off")
        middleware = cls(crawler, settings.get("ARCHIVE_DB"), settings.getbool("INCREMENTAL_REFRESH"))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        if middleware.refresh:
            crawler.stats.set_value("incremental/refresh", True)
        return middleware

    # --- requests -----------------------------------------------------------------------------
    def process_request(self, request: Request) -> None:
        kind = request.meta.get("kind")
        if kind is None or self.refresh or (db := self.reader()) is None:
            return
        if kind == "article":
            self.check_article(db, request)
        elif kind in LISTS and self.trust(db):
            self.check_list(db, request)

    def check_article(self, db: Database, request: Request) -> None:
        """Let through an article not archived yet, or one due a revisit (conditionally); skip the rest."""
        if not is_archived(db, request.url, self.canonical(request.url), self.run_id()):
            return
        previous = last_fetch(db, request.url)
        if previous is None or not self.due(previous.fetched_at, request.meta.get("hints", {})):
            self.stats.inc_value("incremental/skipped_known")
            raise KnownPage(f"already archived: {request.url}")
        self.stats.inc_value("incremental/revisited")
        conditional(request, previous.etag, previous.last_modified)

    def check_list(self, db: Database, request: Request) -> None:
        """Stop paging after a page of known articles; ask the server whether the page changed."""
        listed = request.meta.get("listed")  # None unless this is the next page of a list
        site = getattr(self.crawler.spider, "site", None)
        if listed is not None and not getattr(site, "full_walk", False) and self.all_known(db, listed):
            self.stats.inc_value("incremental/paging_stopped")
            raise PagingStopped(f"previous page held only known articles: {request.url}")
        conditional(request, *self.validators(db, request.url))

    def validators(self, db: Database, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified a list page came with last time."""
        return validators_for(db, url)

    def due(self, fetched_at: str, hints: dict[str, str]) -> bool:
        """Tell whether a known article should be fetched again: the revisit interval, or a newer lastmod."""
        fetched = parse_time(fetched_at)
        if fetched is None:
            return False
        site = getattr(self.crawler.spider, "site", None)
        revisit_days = getattr(site, "revisit_days", 0.0)
        if revisit_days and datetime.now(UTC) - fetched >= timedelta(days=revisit_days):
            return True
        lastmod = parse_time(hints.get("lastmod", ""))
        return lastmod is not None and lastmod > fetched

    def all_known(self, db: Database, urls: list[str]) -> bool:
        run = self.run_id()
        return all(is_archived(db, url, self.canonical(url), run) for url in urls)

    def canonical(self, url: str) -> str:
        """The URL as the archive spells it, with the site's own URL rules."""
        site = getattr(self.crawler.spider, "site", None)
        return canonical_url(url, getattr(site, "url_rules", NO_RULES))

    # --- responses ----------------------------------------------------------------------------
    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304 and request.meta.get("conditional"):
            self.stats.inc_value("incremental/not_modified")
            raise NotModified(f"not modified: {request.url}")
        if request.meta.get("kind") in LISTS and response.status == 200:
            etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
            self.found[request.url] = (_text(etag), _text(modified))
        return response

    # --- the archive --------------------------------------------------------------------------
    def reader(self) -> Database | None:
        """A read-only connection to the archive, opened on first use (the store creates the file)."""
        if self.db is None:
            try:
                self.db = open_reader(self.path)
            except ArchiveError:
                return None
        return self.db

    def run_id(self) -> int | None:
        return self.stats.get_value("archive/run_id")

    def trust(self, db: Database) -> bool:
        """Whether this run may rely on 304s and paging stops: only after a run that walked everything."""
        if self.trusted is None:
            site = getattr(self.crawler.spider, "site", None)
            self.trusted = site is not None and last_run_walked_everything(db, site.name, self.run_id())
            self.stats.set_value("incremental/trusted", self.trusted)
        return self.trusted

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Keep the lists' validators, but only when this run saw everything they lead to."""
        if self.db is not None:
            self.db.close()
            self.db = None
        site = getattr(spider, "site", None)
        if not site or not self.found or not walked_everything(reason, self.stats.get_stats()):
            return
        try:
            archive = open_archive(self.path)
        except ArchiveError:
            return
        try:
            with archive.batch():
                saved = save_validators(archive.db, site.name, self.run_id(), self.found)
            self.stats.set_value("incremental/validators_saved", saved)
        except sqlite3.Error:  # the next run walks the lists again: slower, never wrong
            self.stats.set_value("incremental/validators_saved", 0)
        finally:
            archive.close()


def conditional(request: Request, etag: str | None, modified: str | None) -> None:
    """Turn a request into a conditional GET with the validators a server gave before."""
    if etag:
        request.headers[b"If-None-Match"] = etag
    if modified:
        request.headers[b"If-Modified-Since"] = modified
    if etag or modified:
        request.meta["conditional"] = True


def parse_time(text: str) -> datetime | None:
    """An ISO 8601 date or time as an aware datetime (UTC when no zone is given), or None."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _text(value: Any) -> str | None:
    return value.decode("latin-1") if isinstance(value, bytes) else value
