"""Plain-text tables that line up with Chinese text (wide characters take two columns)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def width(text: str) -> int:
    """Columns a string takes in a terminal."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, limit: int) -> str:
    """Shorten a string to at most `limit` columns, marking the cut with an ellipsis."""
    if width(text) <= limit:
        return text
    out, used = "", 0
    for char in text:
        used += width(char)
        if used > limit - 1:
            break
        out += char
    return out + "…"


def render(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], max_width: int = 40, widths: Mapping[str, int] | None = None
) -> str:
    """A table with a header line; numbers right-aligned, text left-aligned; `widths` overrides max_width by column."""
    limits = [(widths or {}).get(h, max_width) for h in headers]
    cells = [[clip("" if v is None else str(v), n) for v, n in zip(row, limits, strict=True)] for row in rows]
    spans = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    numeric = [all(_is_number(r[i]) for r in cells if r[i]) and bool(cells) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        padded = [
            " " * (w - width(v)) + v if num else v + " " * (w - width(v))
            for v, w, num in zip(values, spans, numeric, strict=True)
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in spans]), *(line(r) for r in cells)])


def _is_number(text: str) -> bool:
    try:
        float(text.rstrip("%s"))
    except ValueError:
        return False
    return True
