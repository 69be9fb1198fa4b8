"""find_facts: the figures an article reports about power utilities, each with its evidence."""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .boilerplate import article_end, is_list_item
from .candidates import Figure, attach, attach_across, find_anchors, find_figures, listed_values
from .checks import is_fact, value_of
from .model import Fact
from .segment import Segments, segment, trimmed
from .subjects import Article
from .vocabulary import Kind, Vocabulary, load_vocabulary
from .years import published_year, year_for

# Kinds whose figures describe an organisation's standing, so a place word is never their subject.
_NO_PLACE_SUBJECT = ("satisfaction_",)
# How far around a figure anchors are looked at; bounds the work on run-on "sentences".
_REACH = 200


@dataclass(frozen=True)
class _Source:
    """One text of the article (body or headline) with its segments and utility mentions."""

    segs: Segments
    mentions: list
    is_body: bool


def find_facts(
    title: str | None, body: str, published_at: str | None = None, vocabulary: Vocabulary | None = None
) -> list[Fact]:
    """Extracts one fact per (kind, subject, value), preferring body evidence over the headline."""
    voc = vocabulary or load_vocabulary()
    title = title if isinstance(title, str) else ""
    body = body if isinstance(body, str) else ""
    article = Article(voc.gazetteer, title, body)
    pub_year = published_year(published_at)
    found = _scan(body, article, article.body_mentions, voc, pub_year, True)
    found += _scan(title, article, article.title_mentions, voc, pub_year, False)
    return _dedup(found)


def _scan(text: str, article: Article, mentions: list, voc: Vocabulary, pub_year, is_body: bool):
    """Attaches every figure of one text to a trigger and keeps those that pass the checks."""
    if not text:
        return []
    segs = segment(text)
    source = _Source(segs, mentions, is_body)
    anchors, figures = find_anchors(text, voc), find_figures(text, voc)
    anchor_starts = [a.start for a in anchors]
    end = article_end(text, voc) if is_body else len(text)
    out = []
    for fig in figures:
        if fig.start >= end or is_list_item(text, fig.start, voc):
            continue
        sent = segs.sentence_of(fig.start)
        lo, hi = max(sent[0], fig.start - _REACH), min(sent[1], fig.end + _REACH)
        local = anchors[bisect_left(anchor_starts, lo) : bisect_right(anchor_starts, hi)]
        tied = attach(fig, local, figures, segs)
        if tied is None and fig.kind is not None:
            tied = _across(fig, segs, anchors, anchor_starts, local)
        if tied is None or not is_fact(fig, tied[0], tied[1], segs, voc.markers, pub_year):
            continue
        fact = _fact(fig, tied, source, article, pub_year, figures)
        # A figure no utility can be named for is not about a utility (统计局 reports, say).
        if fact[0].subject is not None:
            out.append(fact)
    return out


def _across(fig: Figure, segs: Segments, anchors: list, anchor_starts: list, local: list):
    """Tries the previous sentence of the paragraph as context for a standing figure."""
    prev = segs.previous_sentence(fig.start)
    if prev is None:
        return None
    lo = max(prev[0], fig.start - _REACH)
    previous = anchors[bisect_left(anchor_starts, lo) : bisect_right(anchor_starts, prev[1])]
    before = [a for a in local if a.end <= fig.start]
    return attach_across(fig, previous, before)


def _fact(fig: Figure, tied, source: _Source, article: Article, pub_year, figures: list):
    """Builds the Fact with subject, year and the clause span that states it."""
    kind, anchor = tied
    segs, is_body = source.segs, source.is_body
    text = segs.text
    sent = segs.sentence_of(fig.start)
    use_places = not kind.name.startswith(_NO_PLACE_SUBJECT)
    subject = _listed_subject(fig, source, article, figures, use_places) or article.subject_for(
        source.mentions, sent[0], fig.start, anchor.start, use_places
    )
    # Context borrowed from the previous sentence stays out of the evidence.
    first = anchor.start if anchor.start >= sent[0] else fig.start
    start, end = _evidence_span(segs, min(fig.start, first), max(fig.end, anchor.end))
    paragraph = text.rfind("\n", 0, sent[0]) + 1
    year = year_for(text, sent, paragraph, fig.start, pub_year, not use_places)
    fact = Fact(
        kind.name,
        subject.name if subject else None,
        subject.region if subject else None,
        year,
        _rounded(value_of(fig, kind), kind),
        kind.unit,
        text[start:end],
        start if is_body else None,
        end if is_body else None,
    )
    return fact, (not is_body, not segs.is_full_sentence(fig.start), fig.start)


def _listed_subject(fig: Figure, source: _Source, article: Article, figures: list, use_places: bool):
    """Pairs "广州供电局、深圳供电局…分别达到X和Y" subjects with figures by order."""
    segs = source.segs
    at = segs.text.rfind("分别", max(segs.sentence_of(fig.start)[0], fig.start - 120), fig.start)
    if at < 0 or fig.kind is not None:
        return None
    values = listed_values(at, min(segs.clause_end(at), at + 200), figures)
    start = segs.clause_start(at)
    named = [
        m
        for m in source.mentions
        if start <= m.start and m.end <= at and (m.role == "org" or (use_places and m.role == "place"))
    ]
    orgs = [o for o in (article.resolve(m) for m in named) if o is not None]
    if fig not in values or len(orgs) != len(values) or len(orgs) < 2:
        return None
    return orgs[values.index(fig)]


def _evidence_span(segs: Segments, lo: int, hi: int) -> tuple[int, int]:
    """Widens a span to whole clauses, then trims quotes and spaces."""
    return trimmed(segs.text, segs.clause_start(lo), segs.clause_end(max(lo, hi - 1)))


def _rounded(value: float, kind: Kind) -> float | int:
    """Gives integers for integer kinds and drops floating-point noise from conversions."""
    if kind.integer:
        return round(value)
    value = float(f"{value:.10g}")
    return int(value) if value.is_integer() else value


def _dedup(found: list) -> list[Fact]:
    """Keeps one fact per (kind, subject, value): body before title, sentences before headings."""
    best: dict = {}
    for fact, rank in found:
        key = (fact.kind, fact.subject, round(float(fact.value), 6))
        if key not in best or rank < best[key][1]:
            best[key] = (fact, rank)
    ordered = sorted(best.values(), key=lambda item: item[1])
    return [fact for fact, _ in ordered]
