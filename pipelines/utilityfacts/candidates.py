"""Figures in a text and the trigger each belongs to."""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .numerals import parse_number
from .segment import Segments
from .vocabulary import Kind, Vocabulary


@dataclass(frozen=True)
class Anchor:
    """A trigger of a kind, or a blocker (kind None): a metric noun a figure can belong to."""

    start: int
    end: int
    kind: Kind | None


@dataclass(frozen=True)
class Figure:
    """A number with its unit (base, factor) or a pattern figure already tied to its kind."""

    start: int
    end: int
    value: float
    base: str | None
    kind: Kind | None


def find_anchors(text: str, voc: Vocabulary) -> list[Anchor]:
    """Finds every trigger, and every blocker not overlapping a trigger, sorted by position."""
    seen: dict = {}
    triggers = []
    for kind in voc.kinds:
        # Kinds often share one trigger list (满意度…); scan each distinct pattern once.
        if kind.triggers.pattern not in seen:
            seen[kind.triggers.pattern] = [m.span() for m in kind.triggers.finditer(text)]
        triggers += [Anchor(a, b, kind) for a, b in seen[kind.triggers.pattern]]
    spans = sorted((a.start, a.end) for a in triggers)
    starts = [s for s, _ in spans]
    blockers = []
    for m in voc.markers.blockers.finditer(text):
        i = bisect_left(starts, m.end())
        if not any(s < m.end() and e > m.start() for s, e in spans[max(0, i - 32) : i]):
            blockers.append(Anchor(m.start(), m.end(), None))
    return sorted(triggers + blockers, key=lambda a: (a.start, a.end))


def find_figures(text: str, voc: Vocabulary) -> list[Figure]:
    """Finds number+unit quantities and the kinds' own value patterns (第一, 连续9年…夺魁)."""
    out = []
    for m in voc.quantity.finditer(text):
        number = parse_number(m.group("num"))
        base, factor = voc.units.get(m.group("unit"), (None, 1.0))
        if number is not None and base is not None:
            out.append(Figure(m.start(), m.end(), number * factor, base, None))
    for kind in voc.kinds:
        for vp in kind.values:
            for m in vp.regex.finditer(text):
                value = vp.value if "n" not in m.re.groupindex else parse_number(m.group("n") or "")
                if value is not None:
                    out.append(Figure(m.start(), m.end(), float(value), None, kind))
    return sorted(out, key=lambda f: (f.start, f.end))


def accepts(kind: Kind | None, fig: Figure) -> bool:
    """Tells whether a kind can take this figure: its own pattern, or a unit it converts."""
    if kind is None:
        return False
    if fig.kind is not None:
        return fig.kind is kind
    return fig.base in kind.accept


def attach(fig: Figure, anchors: list[Anchor], figures: list[Figure], segs: Segments):
    """Returns the (kind, anchor) a figure belongs to, or None; anchors are one sentence's."""
    inside = [a for a in anchors if fig.start <= a.start < fig.end and accepts(a.kind, fig)]
    if inside:
        return inside[0].kind, inside[0]
    listed = _respectively(fig, anchors, figures, segs)
    if listed is not None:
        return listed
    before = [a for a in anchors if a.end <= fig.start]
    if before:
        nearest = _taking(fig, _same_span(before, before[-1]))
        if nearest is not None and nearest.kind and fig.start - nearest.end <= nearest.kind.max_gap:
            return nearest.kind, nearest
        return None
    clause_end = segs.clause_end(fig.end)
    after = [a for a in anchors if fig.end <= a.start <= clause_end]
    if after:
        first = _taking(fig, _same_span(after, after[0]))
        if first is not None and first.kind and first.start - fig.end <= first.kind.after_gap:
            return first.kind, first
    return None


def attach_across(fig: Figure, previous: list[Anchor], before: list[Anchor]):
    """Lets a standing figure (第一, 连续四年…首位) take its context from the sentence before."""
    # Only when nothing in its own sentence precedes it: "…测评中排名第一。这也是连续第四年…".
    if fig.kind is None or before or not previous:
        return None
    anchor = _taking(fig, _same_span(previous, previous[-1]))
    return (anchor.kind, anchor) if anchor is not None else None


def _same_span(anchors: list[Anchor], probe: Anchor) -> list[Anchor]:
    """Returns the anchors sharing one span: kinds may share a trigger word (满意度)."""
    return [a for a in anchors if a.start == probe.start and a.end == probe.end]


def _taking(fig: Figure, anchors: list[Anchor]) -> Anchor | None:
    """Picks the anchor whose kind takes the figure, if any."""
    return next((a for a in anchors if accepts(a.kind, fig)), None)


def listed_values(at: int, end: int, figures: list[Figure]) -> list[Figure]:
    """Returns the quantities listed after 分别 (at) up to end, in order."""
    lo = bisect_left(figures, at, key=lambda f: f.start)
    hi = bisect_right(figures, end, key=lambda f: f.start)
    return [f for f in figures[lo:hi] if f.start > at and f.kind is None and f.base != "pp"]


def _respectively(fig: Figure, anchors: list[Anchor], figures: list[Figure], segs: Segments):
    """Pairs 甲、乙分别为X、Y by order, when counts of metrics and figures agree."""
    text = segs.text
    sent_start, _ = segs.sentence_of(fig.start)
    at = text.rfind("分别", max(sent_start, fig.start - 120), fig.start)
    if at < 0 or fig.kind is not None:
        return None
    clause_start, clause_end = segs.clause_start(at), min(segs.clause_end(at), at + 200)
    metrics: list[Anchor] = []
    for a in anchors:
        if clause_start <= a.start and a.end <= at and not (metrics and metrics[-1].start == a.start):
            metrics.append(a)
    values = listed_values(at, clause_end, figures)
    if fig not in values or len(metrics) != len(values) or len(values) < 2:
        return None
    anchor = _taking(fig, _same_span(anchors, metrics[values.index(fig)]))
    return (anchor.kind, anchor) if anchor is not None else None
