"""The Redis connection of a distributed crawl, the names of its keys, and one-line errors."""

from __future__ import annotations

import os
import re
import secrets
import socket
from dataclasses import dataclass
from typing import Any

EXTRA_MISSING = "scale-out needs the Redis client: pip install 'newsarchive[redis]'"


class RedisUnavailable(Exception):
    """Redis cannot be used (not installed, unreachable, refused), phrased for the person running the command."""


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"//[^@/]*@", "//***@", url)


def require_extra() -> None:
    """Fail in one line when the optional packages of scale-out are not installed."""
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError:
        raise RedisUnavailable(EXTRA_MISSING) from None


def connect(url: str, retry_seconds: float = 60.0) -> Any:
    """A Redis client that reconnects (with backoff, for about retry_seconds) when the server restarts."""
    require_extra()
    try:
        from redis import Redis
        from redis.backoff import ExponentialBackoff
        from redis.exceptions import ConnectionError, TimeoutError
        from redis.retry import Retry
    except ImportError:
        raise RedisUnavailable(EXTRA_MISSING) from None
    cap = 2.0
    retry = Retry(ExponentialBackoff(cap=cap, base=0.05), int(retry_seconds / cap) + 4 if retry_seconds > 0 else 0)
    try:
        return Redis.from_url(
            url,
            retry=retry,
            retry_on_error=[ConnectionError, TimeoutError],
            socket_connect_timeout=5,
            socket_timeout=30,
            health_check_interval=15,
        )
    except ValueError as exc:
        raise RedisUnavailable(f"{safe_url(url)} is not a Redis URL ({exc}); e.g. redis://HOST:6379/0") from None


def check(url: str) -> None:
    """Fail in one line, at once, when the Redis server cannot be reached."""
    client = connect(url, retry_seconds=0)
    try:
        client.ping()
    except Exception as exc:  # redis-py raises its own ConnectionError, AuthenticationError, ResponseError ...
        raise RedisUnavailable(f"cannot reach Redis at {safe_url(url)}: {_reason(exc)}") from None
    finally:
        client.close()


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def worker_id() -> str:
    """A name for this worker process, unique across machines and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True)
class Keys:
    """The keys every worker and the ingester share, under one prefix (REDIS_KEY_PREFIX)."""

    prefix: str = "newsarchive"

    @property
    def items(self) -> str:
        """The stream of pages and crawl events the ingester drains."""
        return f"{self.prefix}:items"

    @property
    def known(self) -> str:
        """The Bloom filter of archived URLs."""
        return f"{self.prefix}:known"

    @property
    def validators(self) -> str:
        """ETag / Last-Modified of list pages, feeds and sitemaps, as the archive holds them."""
        return f"{self.prefix}:validators"

    @property
    def trusted(self) -> str:
        """Per site: 1 when its last run walked everything, so 304s and paging stops may be trusted."""
        return f"{self.prefix}:trusted"

    def current(self, site: str) -> str:
        """The id of the crawl of a site that workers join."""
        return f"{self.prefix}:{site}:current"

    def crawl(self, site: str, crawl: str) -> CrawlKeys:
        return CrawlKeys(f"{self.prefix}:{site}:{crawl}")


@dataclass(frozen=True)
class CrawlKeys:
    """The keys of one crawl of one site: its queue, leases, dupefilter, workers."""

    base: str

    @property
    def requests(self) -> str:
        return f"{self.base}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.base}:dupefilter"

    @property
    def workers(self) -> str:
        return f"{self.base}:workers"

    @property
    def starting(self) -> str:
        return f"{self.base}:starting"

    @property
    def leases(self) -> str:
        """Prefix of each worker's hash of leased (in-flight) requests."""
        return f"{self.base}:leased:"

    @property
    def done(self) -> str:
        """Set once the crawl has ended."""
        return f"{self.base}:done"

    @property
    def found_validators(self) -> str:
        """Validators of the lists this crawl fetched, for the ingester to keep when the crawl walked everything."""
        return f"{self.base}:validators"


def not_seeded(url: str, prefix: str) -> str:
    """Why workers cannot start yet (no known-URL filter: they would fetch every archived page again), or ""."""
    client = connect(url, retry_seconds=0)
    try:
        if client.exists(f"{Keys(prefix).known}:meta"):
            return ""
    finally:
        client.close()
    return (
        f"Redis at {safe_url(url)} has no known-URL filter yet: start `newsarchive ingest --redis URL --db ARCHIVE`"
        " (it builds the filter from the archive) or run `newsarchive seed` first; --refresh fetches everything"
    )
