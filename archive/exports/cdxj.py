"""CDXJ indexes as pywb and py-wacz write them: a SURT key, a 14-digit timestamp, a JSON block.

Lines are sorted on disk (sorted runs merged), so an index of any size is built in flat memory.
"""

from __future__ import annotations

import heapq
import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

WWW = re.compile(r"^www\d*\.")
DEFAULT_PORTS = {"http": 80, "https": 443}


def surt(url: str) -> str:
    """The SURT key of a URL (host reversed, www. dropped, query sorted, lower case), as pywb keys it."""
    parts = urlsplit(url.strip())
    host = WWW.sub("", (parts.hostname or "").lower().strip("."))
    key = ",".join(reversed(host.split(".")))
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme.lower()):
        key += f":{parts.port}"
    path = (parts.path or "/").lower()
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True))).lower() if parts.query else ""
    return f"{key}){path}" + (f"?{query}" if query else "")


def cdxj_line(url: str, timestamp: str, fields: dict[str, Any]) -> str:
    """One index line: key, timestamp, then the record's fields as JSON (values as strings)."""
    block = {"url": url, **{k: str(v) for k, v in fields.items() if v is not None}}
    return f"{surt(url)} {timestamp} {json.dumps(block, ensure_ascii=False)}"


class SortedLines:
    """Collect text lines and write them out sorted, spilling sorted runs to disk past `limit` lines."""

    def __init__(self, limit: int = 100_000):
        self.limit = limit
        self.lines: list[str] = []
        self.runs: list[IO[str]] = []

    def add(self, line: str) -> None:
        self.lines.append(line)
        if len(self.lines) >= self.limit:
            self._spill()

    def _spill(self) -> None:
        run = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by write()
        run.writelines(f"{line}\n" for line in sorted(self.lines))
        run.seek(0)
        self.runs.append(run)
        self.lines = []

    def merged(self) -> Iterator[str]:
        """Every line added, in order."""
        memory = (f"{line}\n" for line in sorted(self.lines))
        yield from heapq.merge(*self.runs, memory)

    def write(self, path: Path) -> int:
        """Write the sorted lines to a file; return how many."""
        written = 0
        with ExitStack() as stack, path.open("w", encoding="utf-8") as out:
            for run in self.runs:
                stack.callback(run.close)
            for line in self.merged():
                out.write(line)
                written += 1
        return written
