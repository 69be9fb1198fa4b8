"""Inline SVG and HTML pieces for the report: every string from the archive passes through esc() or href()."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from urllib.parse import urlsplit

# Tableau 10, then the lighter halves of Tableau 20: distinct, and readable on white.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#a0cbe8",
    "#ffbe7d",
    "#8cd17d",
    "#b6992d",
    "#86bcb6",
    "#d37295",
    "#fabfd2",
    "#d4a6c8",
    "#d7b5a6",
    "#79706e",
)


def esc(value: object) -> str:
    """Escapes text for HTML and SVG, quotes included, so data never becomes markup."""
    return html.escape("" if value is None else str(value), quote=True)


def href(url: str | None) -> str | None:
    """Returns an escaped http(s) URL for an href, or None: javascript: and data: URLs never become links."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return esc(url.strip()) if scheme in ("http", "https") else None


def linked(url: str | None, inner: str, tooltip: str) -> str:
    """Wraps SVG marks in a link to the article, with the evidence as the tooltip."""
    title = f"<title>{esc(tooltip)}</title>"
    target = href(url)
    if target is None:
        return f"<g>{title}{inner}</g>"
    return f'<a href="{target}" target="_blank" rel="noopener noreferrer">{title}{inner}</a>'


def text_width(text: str, size: float) -> float:
    """Estimates rendered width: CJK characters take a full em, others about half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.56 for ch in text)


def clip_text(text: str, size: float, room: float) -> str:
    """Shortens a label to fit the room, marking the cut with an ellipsis."""
    if text_width(text, size) <= room:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > room:
            break
        out += ch
    return out + "…"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high], as axis labels people read easily."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.001:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def number(value: float) -> str:
    """A value as people write it: 9, 84.72, 0.059."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.4g}"


class Scale:
    """Maps a numeric domain onto pixels."""

    def __init__(self, domain: tuple[float, float], pixels: tuple[float, float]):
        """Keeps the two ranges; an empty domain is widened so nothing divides by zero."""
        low, high = domain
        self.low, self.high = (low, high) if high != low else (low - 0.5, high + 0.5)
        self.start, self.end = pixels

    def __call__(self, value: float) -> float:
        """The pixel position of a value."""
        share = (value - self.low) / (self.high - self.low)
        return round(self.start + share * (self.end - self.start), 1)


def svg(width: float, height: float, body: Iterable[str], label: str) -> str:
    """An inline SVG element that scales with the page and tells screen readers what it shows."""
    inner = "".join(body)
    return (
        f'<svg class="chart" viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" '
        f'role="img" aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg">{inner}</svg>'
    )


def text(x: float, y: float, content: str, cls: str = "", anchor: str = "start") -> str:
    """A text element; the content is escaped here."""
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{klass}>{esc(content)}</text>'


def year_axis(scale: Scale, years: list[int], y: float, every: int = 1) -> list[str]:
    """Year labels under a chart; with many years, every n-th one."""
    return [text(scale(year), y, str(year), "tick", "middle") for year in years if (year - years[0]) % every == 0]


def legend(names: list[str], colours: dict[str, str]) -> str:
    """An HTML legend: one swatch and name per series."""
    items = "".join(f'<span class="key"><i style="background:{colours[name]}"></i>{esc(name)}</span>' for name in names)
    return f'<div class="legend">{items}</div>'


def rect(x: float, y: float, w: float, h: float, fill: str) -> str:
    """A bar or a cell with softened corners."""
    return f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="2" fill="{fill}"/>'


def dot(x: float, y: float, r: float, colour: str, filled: bool = True) -> str:
    """A data point; hollow ones mark the values a line does not pass through."""
    fill = colour if filled else "#fff"
    return f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="{fill}" stroke="{colour}" stroke-width="1.8"/>'


def line(points: list[tuple[float, float]], colour: str, width: float = 2) -> str:
    """A polyline through points."""
    path = " ".join(f"{x:g},{y:g}" for x, y in points)
    return f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width:g}"/>'


def rule(x1: float, y1: float, x2: float, y2: float, cls: str = "grid") -> str:
    """A grid or axis line."""
    return f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" class="{cls}"/>'
