"""Whether an attached figure is a fact: a level actually reached, not a plan, change or bound."""

from .candidates import Anchor, Figure
from .segment import Segments
from .vocabulary import Kind, Markers

# Characters before a trigger that still qualify it (七个方面的公众满意度, 为客户节省投资).
_LEAD = 6
# How far back a marker can stand; bounds the work on run-on "sentences".
_REACH = 300


def is_fact(fig: Figure, kind: Kind, anchor: Anchor, segs: Segments, markers: Markers, pub_year: int | None) -> bool:
    """Applies the kind's own limits, then the article-wide markers."""
    return _kind_allows(fig, kind, anchor, segs) and not _marked(fig, segs, markers, pub_year)


def value_of(fig: Figure, kind: Kind) -> float:
    """Converts the figure into the kind's unit."""
    return fig.value if fig.kind is not None else fig.value * kind.accept.get(fig.base, 1.0)


def _kind_allows(fig: Figure, kind: Kind, anchor: Anchor, segs: Segments) -> bool:
    """Checks range, integrality, required context and the kind's exclusions."""
    value, text = value_of(fig, kind), segs.text
    if (kind.low is not None and value < kind.low) or (kind.high is not None and value > kind.high):
        return False
    if kind.integer and abs(value - round(value)) > 1e-9:
        return False
    sent_start, _ = segs.sentence_of(fig.start)
    sent_start = max(sent_start, fig.start - _REACH)
    if kind.requires is not None and not _paragraph_has(kind.requires, text, fig.start):
        return False
    lo = max(sent_start, min(anchor.start, fig.start) - _LEAD)
    # A pattern figure's own words (连续5年获评…第一名) are part of what it says.
    hi = fig.end if anchor.start >= fig.start or fig.kind is not None else fig.start
    if kind.exclude is not None and kind.exclude.search(text[lo : max(hi, anchor.end)]):
        return False
    after = text[fig.end : min(segs.clause_end(fig.end), fig.end + _REACH)]
    return not (kind.exclude_after is not None and kind.exclude_after.search(after))


def _marked(fig: Figure, segs: Segments, markers: Markers, pub_year: int | None) -> bool:
    """Finds plan, change, baseline and bound markers around the figure."""
    text = segs.text
    sent_start = max(segs.sentence_of(fig.start)[0], fig.start - _REACH)
    clause_start = max(segs.clause_start(fig.start), sent_start)
    left = text[clause_start : fig.start]
    right = text[fig.end : min(segs.clause_end(fig.end), fig.end + _REACH)]
    if fig.kind is None and (
        markers.change.search(left) or markers.baseline.search(left) or markers.bound.search(left)
    ):
        return True
    if markers.bound_after.search(right) or markers.plan_after.search(right):
        return True
    if markers.plan_clause.search(left) or _planned(text, sent_start, fig.start, markers):
        return True
    return _future_year(text[sent_start : fig.start], markers, pub_year)


def _planned(text: str, start: int, end: int, markers: Markers) -> bool:
    """Finds a plan marker before the figure that no later "已完成 / 截至" clause has closed."""
    last = None
    for m in markers.plan_sentence.finditer(text, start, end):
        last = m
    return last is not None and not markers.plan_reset.search(text[last.end() : end])


def _future_year(before: str, markers: Markers, pub_year: int | None) -> bool:
    """Tells 到2025年 (a plan) from 到2020年底 written in 2021 (a result)."""
    for regex in markers.plan_year:
        for m in regex.finditer(before):
            if pub_year is None or int(m.group("year")) > pub_year:
                return True
    return False


def _paragraph_has(pattern, text: str, pos: int) -> bool:
    """Looks for required context in the figure's paragraph: 。 and ； split topics less than lines do."""
    start = max(text.rfind("\n", 0, pos) + 1, pos - _REACH)
    end = text.find("\n", pos)
    end = min(len(text) if end < 0 else end, pos + _REACH)
    return pattern.search(text, start, end) is not None
