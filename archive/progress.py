"""A progress line on stderr for long commands: live on a terminal, silent when piped or scheduled."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Count work done against a total and redraw one line at most a few times a second."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None):
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.started = self.shown = time.monotonic()

    def advance(self, count: int = 1) -> None:
        """Count `count` more units done."""
        self.done += count
        if self.live and time.monotonic() - self.shown >= 0.2:
            self.show()

    def show(self, end: str = "") -> None:
        """Draw the line now."""
        self.shown = time.monotonic()
        rate = self.done / max(self.shown - self.started, 1e-9)
        of = f"/{self.total}" if self.total else ""
        percent = f" {100 * self.done / self.total:.0f}%" if self.total else ""
        self.stream.write(f"\r{self.label}: {self.done}{of}{percent} ({rate:,.0f}/s)\033[K{end}")
        self.stream.flush()

    def close(self) -> None:
        """Finish the line (only if it was ever drawn)."""
        if self.live:
            self.show(end="\n")
