"""The shared frontier of one crawl: a priority queue whose requests are leased, not popped.

A worker's pop moves a request into its own hash of leases (one Lua script, so nothing is ever out of
both); it acknowledges the lease once Scrapy is done with the request, which means its new requests
are queued and its page is in the item stream. Workers beat every few seconds; any worker that finds
another silent for REDIS_WORKER_TIMEOUT puts that worker's leases back in the queue. A crawl is over
when its queue is empty, no request is leased and every worker has sent its start requests; the
worker that sees it first ends the crawl (exactly once: the script compares and clears `current`).
Lua scripts build the lease keys they touch, so this needs one Redis server, not Redis Cluster.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, Spider
from scrapy_redis.queue import Base

from crawler.distributed.connection import CrawlKeys, Keys

JOIN = """
local current = redis.call('GET', KEYS[1])
if current then return {current, 0} end
redis.call('SET', KEYS[1], ARGV[1])
return {ARGV[1], 1}
"""

POP = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
redis.call('HSET', KEYS[2], popped[1], popped[2])
return popped[1]
"""

# KEYS: workers, requests, starting, items; ARGV: this worker ('' for none), timeout, lease prefix, site, crawl
BEAT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
if ARGV[1] ~= '' then redis.call('ZADD', KEYS[1], now, ARGV[1]) end
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
for _, worker in ipairs(dead) do
  local leased = redis.call('HGETALL', ARGV[3] .. worker)
  for i = 1, #leased, 2 do redis.call('ZADD', KEYS[2], leased[i + 1], leased[i]) end
  redis.call('DEL', ARGV[3] .. worker)
  redis.call('ZREM', KEYS[1], worker)
  redis.call('SREM', KEYS[3], worker)
  redis.call('XADD', KEYS[4], '*', 'type', 'end', 'site', ARGV[4], 'crawl', ARGV[5], 'worker', worker,
             'reason', 'lost', 'requeued', tostring(#leased / 2))
end
return #dead
"""

# KEYS: workers, requests, starting, own leases; ARGV: this worker
RELEASE = """
local leased = redis.call('HGETALL', KEYS[4])
for i = 1, #leased, 2 do redis.call('ZADD', KEYS[2], leased[i + 1], leased[i]) end
redis.call('DEL', KEYS[4])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
return #leased / 2
"""

# KEYS: requests, own leases
REQUEUE = """
local leased = redis.call('HGETALL', KEYS[2])
for i = 1, #leased, 2 do redis.call('ZADD', KEYS[1], leased[i + 1], leased[i]) end
redis.call('DEL', KEYS[2])
return #leased / 2
"""

# KEYS: requests, workers, starting, current, items, dupefilter, done
# ARGV: this worker (done starting), lease prefix, crawl, site, seconds to keep the dupefilter, linger seconds
PENDING = """
redis.call('SREM', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[7]) == 1 then return 0 end
if redis.call('ZCARD', KEYS[1]) > 0 or redis.call('SCARD', KEYS[3]) > 0 then return 1 end
for _, worker in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if redis.call('EXISTS', ARGV[2] .. worker) == 1 then return 1 end
end
redis.call('SET', KEYS[7], 1, 'EX', ARGV[5])
redis.call('EXPIRE', KEYS[6], ARGV[5])
if redis.call('GET', KEYS[4]) == ARGV[3] then redis.call('EXPIRE', KEYS[4], ARGV[6]) end
redis.call('XADD', KEYS[5], '*', 'type', 'done', 'site', ARGV[4], 'crawl', ARGV[3])
return 0
"""


def new_crawl_id() -> str:
    """A crawl id that sorts by start time."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


class Frontier:
    """One worker's handle on one site's crawl in Redis."""

    def __init__(self, server: Any, keys: Keys, site: str, worker: str, timeout: float):
        self.server, self.keys, self.site, self.worker, self.timeout = server, keys, site, worker, timeout
        self.scripts = {name: server.register_script(code) for name, code in SCRIPTS.items()}
        self.crawl = ""
        self.created = False
        self.at = CrawlKeys("")

    def join(self) -> str:
        """Join the site's current crawl, or start one; register as one of its workers."""
        crawl, created = self.scripts["join"](keys=[self.keys.current(self.site)], args=[new_crawl_id()])
        self.crawl, self.created = crawl.decode(), bool(created)
        self.at = self.keys.crawl(self.site, self.crawl)
        self.server.sadd(self.at.starting, self.worker)
        self.beat()
        return self.crawl

    @property
    def own_leases(self) -> str:
        return self.at.leases + self.worker

    def beat(self) -> int:
        """Say this worker is alive; requeue the leases of workers that are not; return how many were."""
        keys = [self.at.workers, self.at.requests, self.at.starting, self.keys.items]
        args = [self.worker, self.timeout, self.at.leases, self.site, self.crawl]
        return int(self.scripts["beat"](keys=keys, args=args))

    def pop(self) -> bytes | None:
        """Lease the request with the highest priority."""
        return self.scripts["pop"](keys=[self.at.requests, self.own_leases])

    def ack(self, leases: Iterable[bytes]) -> None:
        """Forget leases whose requests are done."""
        if fields := list(leases):
            self.server.hdel(self.own_leases, *fields)

    def requeue_orphans(self) -> int:
        """Put back leases this worker holds in Redis but never received (a reply lost to a Redis restart)."""
        return int(self.scripts["requeue"](keys=[self.at.requests, self.own_leases]))

    def release(self) -> int:
        """Put this worker's leases back in the queue and leave the crawl; return how many went back."""
        keys = [self.at.workers, self.at.requests, self.at.starting, self.own_leases]
        return int(self.scripts["release"](keys=keys, args=[self.worker]))

    def pending(self, linger: int, keep_seconds: int = 86400) -> bool:
        """Whether the crawl has work left anywhere; when not, end it (once, whichever worker asks first).

        An ended crawl stays the site's current one for `linger` seconds, so that a worker started a little
        late joins it and finds nothing to do, rather than starting the whole crawl again.
        """
        keys = [
            self.at.requests,
            self.at.workers,
            self.at.starting,
            self.keys.current(self.site),
            self.keys.items,
            self.at.dupefilter,
            self.at.done,
        ]
        args = [self.worker, self.at.leases, self.crawl, self.site, keep_seconds, linger]
        return bool(self.scripts["pending"](keys=keys, args=args))


SCRIPTS = {"join": JOIN, "pop": POP, "beat": BEAT, "requeue": REQUEUE, "release": RELEASE, "pending": PENDING}


class LeasedQueue(Base):
    """scrapy-redis' priority queue (a sorted set scored by -priority), popped into leases."""

    def __init__(self, server: Any, spider: Spider, frontier: Frontier, serializer: Any):
        super().__init__(server, spider, frontier.at.requests, serializer)
        self.frontier = frontier

    def __len__(self) -> int:
        return int(self.server.zcard(self.key))

    def push(self, request: Request) -> None:
        self.server.execute_command("ZADD", self.key, -request.priority, self._encode_request(request))

    def pop(self, timeout: int = 0) -> tuple[Request, bytes] | None:
        """The next request and its lease."""
        data = self.frontier.pop()
        return (self._decode_request(data), data) if data else None
