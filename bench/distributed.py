"""Scale-out: pages per second with 1, 2 and 4 worker processes, Redis operations per page, the single
writer's ingest rate, and the known-URL filter's memory and false-positive rate.

    python bench/distributed.py [--pages 3000] [--workers 1 2 4] [--bloom 10000000]

A redis-server (Debian's) and the generated demo web run as their own processes on loopback. For each
worker count, a fresh Redis gets an empty known-URL filter, then that many `newsarchive crawl demo_portal
--redis …` processes crawl the generated web together. The crawl rate is article pages over the span
between the first and the last page entry in the stream (Redis' own clock: process start-up is left
out). Operations per page are the server's commands over that crawl (a Lua script counts once) divided
by pages. Then the ingester drains the stream into a fresh archive in this process, timed. --bloom N
fills a filter sized for N URLs at REDIS_BLOOM_ERROR with N synthetic URLs and tests 1,000,000 others.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its archive.py would shadow the package


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    binary = shutil.which("redis-server") or sys.exit("redis-server is not installed (apt-get install redis-server)")
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen([*command, "--dir", str(folder)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return server, f"redis://127.0.0.1:{port}/0"


def serve(pages: int) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.demoweb", "--pages", str(pages)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert server.stdout is not None
    return server, json.loads(server.stdout.readline())["proxy"]


def crawl(url: str, proxy: str, workers: int) -> None:
    """`workers` worker processes crawl demo_portal together; returns when all have exited."""
    env = {**os.environ, "http_proxy": proxy}
    env.pop("no_proxy", None)
    quick = ["-s", "LOG_LEVEL=ERROR", "-s", "DOWNLOAD_DELAY=0", "-s", "REDIS_HEARTBEAT_SECONDS=1"]
    command = [sys.executable, "-m", "archive", "crawl", "demo_portal", "--redis", url, *quick]
    procs = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(workers)
    ]
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode:
            sys.exit(f"a worker failed: {err.decode()[-2000:]}")


def span(client: Any, stream: str) -> tuple[int, float]:
    """Pages in the stream, and seconds between the first and the last (stream ids are Redis' clock, in ms)."""
    pages = [int(i.split(b"-")[0]) for i, f in client.xrange(stream) if f[b"type"] == b"page"]
    return len(pages), (max(pages) - min(pages)) / 1000


def ingest(client: Any, folder: Path) -> tuple[int, float]:
    """Drain the stream into a fresh archive in this process; pages stored and seconds taken."""
    from archive.db import open_archive
    from archive.ingester import Ingester, IngestOptions
    from crawler.distributed.connection import Keys
    from crawler.runner import project_settings
    from pipelines.offline import Stages
    from pipelines.workers import worker_count

    archive = open_archive(folder / "archive.db", batch_size=10**9, batch_seconds=1e9)
    options = IngestOptions(workers=worker_count(-1))  # as `newsarchive ingest` runs by default
    ingester = Ingester(archive, client, Keys(), Stages.from_settings(project_settings()), options)
    ingester.setup()
    started = time.perf_counter()
    totals = ingester.run(drain=True, stopping=lambda: False)
    elapsed = time.perf_counter() - started
    archive.close()
    return totals.pages, elapsed


def one_round(url: str, proxy: str, workers: int, folder: Path) -> dict[str, float]:
    import redis

    client = redis.Redis.from_url(url)
    client.flushall()
    subprocess.run(
        [sys.executable, "-m", "archive", "seed", "--redis", url, "--db", str(folder / "none.db")],
        check=True,
        capture_output=True,
    )
    client.config_resetstat()
    crawl(url, proxy, workers)
    commands = int(client.info("stats")["total_commands_processed"])
    pages, seconds = span(client, "newsarchive:items")
    stored, ingest_seconds = ingest(client, folder)
    shutil.rmtree(folder / "archive.db", ignore_errors=True)
    for leftover in folder.glob("archive.db*"):
        leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover)
    return {
        "workers": workers,
        "pages": pages,
        "crawl_s": seconds,
        "pages_per_s": pages / seconds,
        "ops_per_page": commands / pages,
        "ingest_pages_per_s": stored / ingest_seconds,
    }


def bloom(url: str, count: int) -> None:
    """Fill a filter sized for `count` URLs and measure its memory and false-positive rate."""
    import redis

    from crawler.distributed.bloom import RedisBloom, add_all
    from crawler.runner import project_settings

    client = redis.Redis.from_url(url)
    client.flushall()
    error = project_settings().getfloat("REDIS_BLOOM_ERROR")
    before = int(client.info("memory")["used_memory"])
    filt = RedisBloom.create(client, "bench:known", count, error)
    started = time.perf_counter()
    add_all(filt, (f"http://www.example.test/news/{i}.html" for i in range(count)), chunk=2000)
    fill = time.perf_counter() - started
    used = int(client.info("memory")["used_memory"]) - before
    trials = 1_000_000
    started = time.perf_counter()
    hits = 0
    for start in range(0, trials, 2000):
        hits += sum(filt.contains([f"http://other.example.test/{i}.html" for i in range(start, start + 2000)]))
    check = time.perf_counter() - started
    print(
        f"bloom: {count:,} URLs at design error {error:g}: {filt.shape.bits / 8e6:.1f} MB bitmap "
        f"(MEMORY USAGE {int(client.memory_usage('bench:known') or 0) / 1e6:.1f} MB,"
        f" used_memory +{used / 1e6:.1f} MB), "
        f"{filt.shape.hashes} bits per URL; filled in {fill:.0f} s ({count / fill:,.0f} URLs/s); "
        f"{hits} false positives in {trials:,} lookups of other URLs ({hits / trials:.2g}); "
        f"lookups {trials / check:,.0f} URLs/s in batches of 2,000"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 4], help="worker counts to try (none: skip)")
    parser.add_argument("--bloom", type=int, default=0, help="also measure a known-URL filter of this many URLs")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}  cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        redis_server, url = start_redis(folder)
        web, proxy = serve(args.pages)
        try:
            for workers in args.workers:
                row = one_round(url, proxy, workers, folder)
                rate, ops, ingested = row["pages_per_s"], row["ops_per_page"], row["ingest_pages_per_s"]
                print(
                    f"workers {workers}: {row['pages']:.0f} pages in {row['crawl_s']:.1f} s = {rate:.0f} pages/s;"
                    f" {ops:.1f} Redis commands per page; ingest {ingested:.0f} pages/s",
                    flush=True,
                )
            if args.bloom:
                bloom(url, args.bloom)
        finally:
            web.terminate()
            redis_server.terminate()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
