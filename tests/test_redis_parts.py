"""The parts of scale-out, each against a real redis-server: the codecs, the Bloom filter, the frontier."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from redisserver import RedisServer
from scrapy import Request, Spider
from scrapy.utils.request import request_from_dict

from crawler.distributed.bloom import BloomShape, RedisBloom, add_all
from crawler.distributed.codec import BadEntry, dump_page, dumps, load_page, loads
from crawler.distributed.connection import Keys
from crawler.distributed.frontier import Frontier
from crawler.items import PageItem


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(redis_server: RedisServer):  # type: ignore[no-untyped-def]
    client = redis_server.client()
    client.flushdb()
    return client


text = st.text(max_size=30)
pages = st.builds(
    PageItem,
    url=text,
    final_url=text,
    site=text,
    status=st.integers(100, 599),
    headers=st.dictionaries(text, text, max_size=4),
    body=st.binary(max_size=2000),
    fetched_at=text,
    via=text,
    hints=st.dictionaries(text, text, max_size=2),
)


@given(pages, st.lists(pages, max_size=3))
@settings(max_examples=60)
def test_a_page_and_its_parts_come_back_from_json_unchanged(page: PageItem, parts: list[PageItem]) -> None:
    page.parts = parts
    assert load_page(dump_page(page)) == page


@pytest.mark.parametrize("data", [b"", b"{", b'{"format": 99}', b'{"format": 1, "url": "x"}', b"\xff\xfe"])
def test_what_is_not_a_page_is_said_so(data: bytes) -> None:
    with pytest.raises(BadEntry):
        load_page(data)


class Named(Spider):
    name = "named"

    def parse_list(self, response: object) -> None: ...

    def lost(self, failure: object) -> None: ...


def test_a_request_travels_as_json_with_its_meta_and_callbacks() -> None:
    spider = Named()
    meta = {"kind": "list", "hops": 2, "listed": ["http://a.test/1.htm"], "hints": {"title": "标题"}}
    request = Request("http://a.test/", spider.parse_list, errback=spider.lost, meta=meta, priority=3)
    request.headers[b"If-None-Match"] = b'"abc"'
    data = dumps(request.to_dict(spider=spider))
    assert data.startswith(b"{")
    back = request_from_dict(loads(data), spider=spider)
    assert (back.url, back.meta, back.priority) == (request.url, meta, 3)
    assert (back.callback, back.errback) == (spider.parse_list, spider.lost)
    assert back.headers[b"If-None-Match"] == b'"abc"'


def test_meta_that_json_cannot_carry_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="PageItem"):
        dumps({"meta": {"page": PageItem("u", "u", "s", 200, {}, b"", "")}})


def test_the_filter_for_ten_million_urls_has_the_size_the_formula_gives() -> None:
    shape = BloomShape.for_capacity(10_000_000, 1e-7)
    assert 41e6 < shape.bits / 8 < 43e6
    assert shape.hashes == 23
    assert shape.error_at(10_000_000) == pytest.approx(1e-7, rel=0.05)


def test_the_bloom_filter_never_forgets_and_rarely_imagines(client) -> None:  # type: ignore[no-untyped-def]
    bloom = RedisBloom.create(client, "t:known", capacity=2000, error=0.01)
    urls = [f"http://a.test/content_{i}.htm" for i in range(2000)]
    added = add_all(bloom, urls, chunk=300)
    assert 1960 <= added <= 2000  # a URL whose bits were all set already counts as known (a false positive)
    assert bloom.add(urls[:10]) == 0  # already in
    assert all(bloom.contains(urls))
    strangers = bloom.contains([f"http://b.test/content_{i}.htm" for i in range(20000)])
    assert sum(strangers) / len(strangers) < 0.02  # designed for 0.01
    again = RedisBloom.existing(client, "t:known")
    assert again is not None
    assert again.shape == bloom.shape
    assert urls[5] in again
    assert again.meta()["count"] == added
    assert RedisBloom.existing(client, "t:none") is None


def frontier(client, worker: str, timeout: float = 60.0) -> Frontier:  # type: ignore[no-untyped-def]
    return Frontier(client, Keys("t"), "site", worker, timeout)


def test_a_silent_workers_leases_go_back_to_the_queue(client) -> None:  # type: ignore[no-untyped-def]
    a, b = frontier(client, "a", timeout=0.3), frontier(client, "b", timeout=0.3)
    crawl = a.join()
    assert b.join() == crawl
    assert (a.created, b.created) == (True, False)
    client.zadd(a.at.requests, {b"first": -1, b"second": 0})
    assert a.pop() == b"first"  # highest priority first
    assert b.pending(linger=60)  # a holds a lease and b's own start is over, but a's is not
    time.sleep(0.4)
    assert b.beat() == 1  # a has not beaten for longer than the timeout
    assert sorted(client.zrange(a.at.requests, 0, -1)) == [b"first", b"second"]
    assert not client.exists(a.own_leases)
    for _ in range(2):
        b.ack([b.pop() or b""])
    assert not b.pending(linger=60)
    kinds = [fields[b"type"] for _, fields in client.xrange("t:items")]
    assert (kinds.count(b"end"), kinds.count(b"done")) == (1, 1)  # a lost once, the crawl done once
    assert not b.pending(linger=60)
    assert [fields[b"type"] for _, fields in client.xrange("t:items")].count(b"done") == 1
    assert 0 < client.ttl(Keys("t").current("site")) <= 60  # lingers, then a new crawl may start


def test_a_crawl_is_not_over_while_a_worker_still_sends_start_requests(client) -> None:  # type: ignore[no-untyped-def]
    a, b = frontier(client, "a"), frontier(client, "b")
    a.join()
    b.join()
    assert a.pending(linger=60)  # b has not asked yet, so its start requests may still come
    assert not b.pending(linger=60)


def test_a_worker_that_stops_puts_its_leases_back(client) -> None:  # type: ignore[no-untyped-def]
    a = frontier(client, "a")
    a.join()
    client.zadd(a.at.requests, {b"r1": 0, b"r2": 0})
    a.pop()
    assert client.hlen(a.own_leases) == 1
    assert a.release() == 1
    assert client.zcard(a.at.requests) == 2
    assert not client.zscore(a.at.workers, "a")


def test_leases_a_worker_never_received_are_put_back(client) -> None:  # type: ignore[no-untyped-def]
    a = frontier(client, "a")
    a.join()
    client.zadd(a.at.requests, {b"r1": 0})
    a.pop()  # as if the reply was lost when Redis restarted
    assert a.requeue_orphans() == 1
    assert client.zrange(a.at.requests, 0, -1) == [b"r1"]


def test_scrapy_still_exposes_the_requests_in_progress() -> None:
    """The scheduler acknowledges leases by the engine's set of requests in progress (not public API)."""
    from scrapy.core.engine import _Slot

    assert "inprogress" in _Slot.__init__.__code__.co_names
    assert "nextcall" in _Slot.__init__.__code__.co_names
