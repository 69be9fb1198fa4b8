"""The progress line: drawn on a terminal, silent when output is piped or scheduled."""

from __future__ import annotations

import io
import os
import pty

from archive.progress import Progress


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress("export", 10, stream)
    for _ in range(10):
        progress.advance()
    progress.close()
    assert stream.getvalue() == ""


def test_drawn_on_a_terminal() -> None:
    leader, follower = pty.openpty()
    with os.fdopen(follower, "w") as terminal:
        progress = Progress("export", 4, terminal)
        progress.advance(4)
        progress.close()
    output = os.read(leader, 1000).decode()
    os.close(leader)
    assert "export: 4/4 100%" in output
