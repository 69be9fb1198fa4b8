"""Output files that appear whole or not at all: written under a temporary name, renamed when done."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ExportError(Exception):
    """An export that could not be completed, phrased for the person running it."""


@contextmanager
def atomic(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to `path`; move it into place only if the block succeeds."""
    if not path.parent.exists():
        raise ExportError(f"cannot write {path}: folder {path.parent} does not exist")
    partial = path.with_name(f".{path.name}.part")
    try:
        yield partial
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
