"""Honour Retry-After on 429 and 503 answers: wait as long as the server asks before the retry."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

STATUSES = (429, 503)


class RetryAfterTooLong(IgnoreRequest):
    """The server asked for a wait longer than RETRY_AFTER_MAX_SECONDS."""


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None when unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Downloader middleware, just before RetryMiddleware: delay this request's retry, not the whole crawl."""

    def __init__(self, max_wait: float, crawler: Crawler):
        self.max_wait, self.stats = max_wait, crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("RETRY_ENABLED is off")
        return cls(crawler.settings.getfloat("RETRY_AFTER_MAX_SECONDS"), crawler)

    async def process_response(self, request: Request, response: Response) -> Response:
        header = response.headers.get("Retry-After")
        if response.status not in STATUSES or not header:
            return response
        seconds = retry_after_seconds(header.decode("latin-1"))
        if seconds is None:
            return response
        if seconds > self.max_wait:
            self.stats.inc_value("retry_after/too_long")
            raise RetryAfterTooLong(f"{request.url} asks to wait {seconds:.0f} s, more than {self.max_wait:.0f} s")
        self.stats.inc_value("retry_after/waited")
        await asyncio.sleep(seconds)
        return response
