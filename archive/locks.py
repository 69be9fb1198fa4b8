"""One crawl of a site into an archive at a time: a lock file beside the archive, held with flock(2).

The kernel releases an flock when its holder exits, however it exits (kill -9 included), so a dead
crawl never leaves a stale lock behind. Every road into a crawl (`newsarchive crawl`, the scheduler,
`scrapy crawl`, Scrapyd) takes it in the store pipeline. flock is not reliable on NFS: keep archives on
a local disk.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path

from archive.db import ArchiveError, now


def lock_path(archive: str | Path, site: str) -> Path:
    """Where the lock for crawling `site` into `archive` lives."""
    archive = Path(archive)
    return archive.with_name(archive.name + ".locks") / f"{site}.lock"


class SiteLock:
    """An exclusive, non-blocking lock on crawling one site into one archive."""

    def __init__(self, archive: str | Path, site: str):
        self.path = lock_path(archive, site)
        self.fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock; False when another live process holds it."""
        try:
            self.path.parent.mkdir(exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ArchiveError(f"cannot create lock file {self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()} since {now()}\n".encode())
        self.fd = fd
        return True

    def holder(self) -> str:
        """Who holds the lock, as its holder wrote it."""
        try:
            return self.path.read_text(encoding="utf-8").strip() or "another process"
        except OSError:
            return "another process"

    def release(self) -> None:
        """Let go of the lock (exiting does the same)."""
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def held_elsewhere(self) -> bool:
        """Tell, without keeping it, whether another process holds the lock now."""
        if self.fd is not None:
            return False
        if not self.acquire():
            return True
        self.release()
        return False
