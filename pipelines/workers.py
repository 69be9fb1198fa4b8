"""Worker processes for the CPU-heavy stages, so reading pages never stalls downloading them.

Scrapy runs every pipeline stage on its one reactor thread; extraction and fact finding cost a few
milliseconds a page, which is longer than fetching it. In worker processes they run on the other
cores while the reactor keeps downloading. One pool serves every crawl of a process.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from typing import Any, TypeVar

from pipelines.utilityfacts import Vocabulary, find_facts, load_vocabulary

logger = logging.getLogger(__name__)
T = TypeVar("T")
_POOLS: dict[int, ProcessPoolExecutor] = {}


def worker_count(setting: int | None) -> int:
    """Workers to use: the setting, or by default one per core but one, at least one and at most four."""
    if setting is not None and setting >= 0:
        return setting
    return max(1, min((os.cpu_count() or 2) - 1, 4))


async def run(workers: int, func: Callable[..., T], *args: Any) -> T:
    """Run func(*args) in the pool (inline when workers is 0, or when the pool has broken)."""
    if workers == 0:
        return func(*args)
    try:
        return await asyncio.get_running_loop().run_in_executor(_pool(workers), func, *args)
    except BrokenProcessPool:
        logger.error("a pipeline worker process died; continuing in-process for this item")
        _POOLS.pop(workers, None)
        return func(*args)


def _pool(workers: int) -> ProcessPoolExecutor:
    if workers not in _POOLS:
        _POOLS[workers] = new_pool(workers)
    return _POOLS[workers]


def new_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of spawned processes that end when the process that started them dies, even by kill -9."""
    # spawn, not fork: the crawling process runs a reactor and threads a fork would copy half-way
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=exit_with_parent, initargs=(os.getpid(),))


def exit_with_parent(parent: int, interval: float = 1.0) -> None:
    """In a pool process: end once the parent is gone (a killed parent leaves its pool waiting forever)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def facts_of(title: str | None, body: str, published_at: str | None, paths: tuple[str, ...]) -> list[dict[str, Any]]:
    """The facts of one article as plain dicts; the vocabulary is loaded once per process."""
    return [fact.to_dict() for fact in find_facts(title, body, published_at, vocabulary(paths))]


@cache
def vocabulary(paths: tuple[str, ...]) -> Vocabulary:
    """The bundled vocabulary merged with analysts' files, loaded once per process."""
    return load_vocabulary(*paths)
