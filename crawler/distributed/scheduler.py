"""scrapy-redis' scheduler and dupefilter on a leased queue: `-s REDIS_URL=redis://HOST:6379/0`.

Each site's crawl has its own queue, dupefilter and leases in Redis (crawler/distributed/frontier.py);
every worker started for the site joins the crawl that is under way, or starts one.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any, Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.distributed import codec
from crawler.distributed.connection import Keys, RedisUnavailable, connect, not_seeded, safe_url, worker_id
from crawler.distributed.frontier import Frontier, LeasedQueue

logger = logging.getLogger(__name__)


class DistributedScheduler(Scheduler):
    """Share one frontier between workers; a request a worker dies holding goes back to the queue."""

    queue: LeasedQueue

    def __init__(self, server: Any, crawler: Crawler, keys: Keys, timing: tuple[float, float, int]):
        super().__init__(server, persist=True, serializer=codec)
        self.crawler, self.stats, self.keys = crawler, crawler.stats, keys
        self.beat_seconds, self.timeout, self.linger = timing
        self.worker = worker_id()
        self.leased: dict[Request, bytes] = {}
        self.ticker = task.LoopingCall(self.beat)
        self.over = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        url = settings["REDIS_URL"]
        server = connect(url, settings.getfloat("REDIS_RETRY_SECONDS"))
        try:
            server.ping()
        except Exception as exc:
            raise RedisUnavailable(f"cannot reach Redis at {safe_url(url)}: {exc}") from None
        if not settings.getbool("INCREMENTAL_REFRESH") and (problem := not_seeded(url, settings["REDIS_KEY_PREFIX"])):
            raise RedisUnavailable(problem)
        timing = (
            settings.getfloat("REDIS_HEARTBEAT_SECONDS"),
            settings.getfloat("REDIS_WORKER_TIMEOUT"),
            settings.getint("REDIS_CRAWL_LINGER"),
        )
        return cls(server, crawler, Keys(settings["REDIS_KEY_PREFIX"]), timing)

    def open(self, spider: Spider) -> None:
        self.spider = spider
        site = spider.site.name  # type: ignore[attr-defined]
        frontier = Frontier(self.server, self.keys, site, self.worker, self.timeout)
        crawl = frontier.join()
        self.stats.set_value("redis/crawl", crawl)
        self.stats.set_value("redis/worker", self.worker)
        self.queue = LeasedQueue(self.server, spider, frontier, self.serializer)
        debug = spider.settings.getbool("DUPEFILTER_DEBUG")
        self.df = RFPDupeFilter(self.server, key=frontier.at.dupefilter, debug=debug)
        self.event("join", started=int(frontier.created))
        logger.info(
            "%s crawl %s: %s %s it", frontier.site, crawl, self.worker, "started" if frontier.created else "joined"
        )
        self.ticker.start(self.beat_seconds, now=False)

    @property
    def frontier(self) -> Frontier:
        return self.queue.frontier

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.queue.push(request)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        self.ack_done()
        popped = self.queue.pop()
        if popped is None:
            return None
        request, lease = popped
        self.leased[request] = lease
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        """Work left in the crawl, here or at any other worker (whose requests may lead to more)."""
        self.ack_done()
        if self.leased:
            return True
        if not self.over:
            self.over = not self.frontier.pending(self.linger)
        return not self.over

    def ack_done(self) -> None:
        """Acknowledge the leases of requests Scrapy has finished with: their pages and links are in Redis.

        The engine's set of requests in progress is not public API (Scrapy's own get_engine_status reads
        it); a request leaves it only once its callback's requests are scheduled and its items through the
        pipelines. Without it, leases are acknowledged at close: a killed worker's requests are then run
        again, which stores nothing twice.
        """
        slot = getattr(self.crawler.engine, "_slot", None)
        in_progress = getattr(slot, "inprogress", None)
        if in_progress is None:
            return
        done = [request for request in self.leased if request not in in_progress]
        if done:
            self.frontier.ack(self.leased.pop(request) for request in done)
            self.stats.inc_value("redis/acked", len(done))

    def beat(self) -> None:
        """Say this worker is alive, requeue dead workers' requests; when idle, look for work."""
        try:
            if lost := self.frontier.beat():
                self.stats.inc_value("redis/workers_lost", lost)
                logger.warning("%d silent worker(s) of this crawl: their requests are back in the queue", lost)
            if not self.leased and (orphans := self.frontier.requeue_orphans()):
                self.stats.inc_value("redis/orphan_leases", orphans)
        except Exception as exc:  # Redis gone for longer than the client retries: the next beat tries again
            logger.error("heartbeat: %s", exc)
        if not self.leased:
            self.wake_engine()

    def wake_engine(self) -> None:
        """Have an idle engine ask for requests now: other workers may have queued some, or ended the crawl.

        Left alone, an idle engine asks only every 5 seconds (its own heartbeat, not configurable).
        """
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and hasattr(slot, "nextcall"):
            slot.nextcall.schedule()

    def close(self, reason: str) -> None:
        if self.ticker.running:
            self.ticker.stop()
        self.ack_done()  # the engine has drained by now: every request it took is done
        requeued = self.frontier.release()
        self.stats.set_value("redis/requeued_at_close", requeued)
        self.event("end", reason=reason, stats=json.dumps(worker_stats(self.stats.get_stats()), default=str))

    def event(self, kind: str, **fields: Any) -> None:
        """Tell the ingester about this worker (joined, ended), in the same stream as the pages."""
        entry = {"type": kind, "site": self.frontier.site, "crawl": self.frontier.crawl, "worker": self.worker}
        self.server.xadd(self.keys.items, {**entry, **fields})


def worker_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """A worker's counters, to add up with the other workers' into the run's stats."""
    counters = {k: v for k, v in stats.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    if isinstance(start := stats.get("start_time"), datetime):
        counters["elapsed_time_seconds"] = (datetime.now(UTC) - start).total_seconds()
    return counters
