"""Scheduled crawls: which sites are due, by the cron expression in their definitions, and a loop that
starts each due crawl as its own `newsarchive crawl` process.

A site is due when its latest cron slot is later than its latest run, so a scheduler that was down
for a day starts one crawl per site, not one per missed slot. Each crawl takes its site's lock in the
archive's store, so neither this loop, cron nor a person typing `newsarchive crawl` can run two crawls
of one site at once.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from crawler.cron import latest_slot, next_slot
from crawler.sites import SiteDefinition


def local(iso: str) -> datetime:
    """An archive timestamp (ISO 8601, UTC) in local time, where cron expressions are read."""
    return datetime.fromisoformat(iso).astimezone()


def due_sites(
    sites: Iterable[SiteDefinition], last_started: Mapping[str, str], now: datetime
) -> list[tuple[SiteDefinition, datetime]]:
    """The scheduled sites whose latest slot comes after their latest run, each with that slot."""
    due = []
    for site in sites:
        if not site.schedule or not site.enabled:
            continue
        slot = latest_slot(site.schedule, now)
        last = last_started.get(site.name)
        if last is None or local(last) < slot:
            due.append((site, slot))
    return due


def crawl_command(site: str, db: Path, sites_dirs: Iterable[str]) -> list[str]:
    """The command line that crawls one site into the archive."""
    dirs = [arg for d in sites_dirs for arg in ("--sites-dir", str(Path(d).resolve()))]
    return [sys.executable, "-m", "archive", "crawl", site, "--db", str(db.resolve()), *dirs]


def crontab_lines(sites: Iterable[SiteDefinition], db: Path, sites_dirs: Iterable[str]) -> list[str]:
    """Lines for crontab(5) that run the same crawls as `newsarchive schedule`, logging beside the archive."""
    lines = []
    dirs = list(sites_dirs)
    for site in sites:
        if not site.schedule or not site.enabled:
            continue
        command = shlex.join(crawl_command(site.name, db, dirs))
        log = shlex.quote(str(db.resolve().with_name(f"newsarchive-{site.name}.log")))
        lines.append(f"{site.schedule} {command} >> {log} 2>&1")
    return lines


@dataclass
class Scheduler:
    """Start due crawls as child processes, at most `parallel` at a time and one per site."""

    sites: list[SiteDefinition]
    db: Path
    sites_dirs: list[str]
    last_started: Callable[[], Mapping[str, str]]
    parallel: int = 2
    say: Callable[[str], None] = print
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    tried: dict[str, datetime] = field(default_factory=dict)  # the slot each site was last started for
    failures: int = 0
    stopping: bool = False
    interrupted: set[str] = field(default_factory=set)  # crawls this scheduler asked to stop

    def tick(self, now: datetime) -> None:
        """Reap finished crawls, then start the due ones there is room for."""
        self.reap()
        for site, slot in due_sites(self.sites, self.last_started(), now):
            if site.name in self.running or self.tried.get(site.name) == slot:
                continue
            if len(self.running) >= self.parallel:
                break
            self.tried[site.name] = slot
            child = subprocess.Popen(crawl_command(site.name, self.db, self.sites_dirs))
            self.running[site.name] = child
            self.say(f"{now:%Y-%m-%d %H:%M:%S} started {site.name} (slot {slot:%H:%M}, pid {child.pid})")

    def reap(self) -> None:
        """Forget crawls that have ended, saying how each ended."""
        for name, child in list(self.running.items()):
            code = child.poll()
            if code is None:
                continue
            del self.running[name]
            asked = name in self.interrupted  # stopped by us on the way out: interrupted, not failed
            self.failures += code != 0 and not asked
            how = "finished" if code == 0 else "interrupted" if asked else f"exited {code}"
            self.say(f"{datetime.now():%Y-%m-%d %H:%M:%S} {name} {how}")

    def next_wake(self, now: datetime, poll: float) -> float:
        """Seconds until the next slot of any site, at most `poll`."""
        slots = [next_slot(s.schedule, now) for s in self.sites if s.schedule and s.enabled]
        soonest = min(((slot - now).total_seconds() for slot in slots), default=poll)
        return max(0.5, min(poll, soonest))

    def run(self, once: bool = False, poll: float = 30.0) -> int:
        """Run until stopped (SIGINT or SIGTERM), or with `once` until the crawls due now have ended."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self.stop)
        self.tick(datetime.now().astimezone())
        while not self.stopping and (self.running or not once):
            deadline = time.monotonic() + self.next_wake(datetime.now().astimezone(), poll)
            while not self.stopping and time.monotonic() < deadline and (self.running or not once):
                time.sleep(0.2)
                self.reap()
            if not once and not self.stopping:
                self.tick(datetime.now().astimezone())
        self.wind_down()
        return 1 if self.failures else 0

    def stop(self, signum: int, frame: object) -> None:
        self.stopping = True

    def wind_down(self) -> None:
        """Ask running crawls to stop gracefully (their runs end as interrupted), then wait for them."""
        for name, child in self.running.items():
            if child.poll() is None:
                self.interrupted.add(name)
                os.kill(child.pid, signal.SIGINT)
        for child in self.running.values():
            child.wait()
        self.reap()
