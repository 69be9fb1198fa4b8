"""find_facts: the figures an article reports about power utilities, each with its evidence."""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .boilerplate import article_end, is_list_item
from .candidates import Figure, accepts, attach, attach_across, find_anchors, find_figures, listed_values
from .checks import is_fact, value_of
from .model import Fact
from .organisations import Org
from .segment import Segments, segment, trimmed
from .subjects import Article
from .vocabulary import Kind, Vocabulary, load_vocabulary
from .years import Dating, dating, year_for

# Kinds whose figures describe an organisation's standing, so a place word is never their subject.
_NO_PLACE_SUBJECT = ("satisfaction_",)
# How far around a figure anchors are looked at; bounds the work on run-on "sentences".
_REACH = 200
# How far after a figure the utility it is about may be named when none is named before it.
_AFTER_REACH = 40
# A clause that points back at the figure before naming a utility (…第一位，这是X连续9年夺魁).
_RESTATES = re.compile(r"^[^，,。；;]{0,12}[，,]\s*(?:这|此|即|系)")
# Words between a figure and a utility named after it that make that utility another party.
_OTHER_PARTY = re.compile("仅次于|次于|落后于|不及|比|较|超过|超出|领先|高于|低于|优于|紧随|继|之后|并列|与|和|及|同")


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
    when = dating(published_at)
    found = _scan(body, article, article.body_mentions, voc, when, True)
    found += _scan(title, article, article.title_mentions, voc, when, False)
    return _dedup(found)


def _scan(text: str, article: Article, mentions: list, voc: Vocabulary, when: Dating, is_body: bool):
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
        if tied is None or not is_fact(fig, tied[0], tied[1], segs, voc.markers, when.year):
            continue
        fact = _fact(fig, tied, source, article, when, figures)
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


def _fact(fig: Figure, tied, source: _Source, article: Article, when: Dating, figures: list):
    """Builds the Fact with subject, year and the clause span that states it."""
    kind, anchor = tied
    segs, is_body = source.segs, source.is_body
    text = segs.text
    sent = segs.sentence_of(fig.start)
    subject = _subject(fig, tied, source, article, figures)
    # Context borrowed from the previous sentence stays out of the evidence.
    first = anchor.start if anchor.start >= sent[0] else fig.start
    start, end = _evidence_span(segs, min(fig.start, first), max(fig.end, anchor.end))
    paragraph = text.rfind("\n", 0, sent[0]) + 1
    survey_first = kind.name.startswith(_NO_PLACE_SUBJECT)
    year = year_for(text, sent, paragraph, fig.start, when, survey_first)
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


def _subject(fig: Figure, tied, source: _Source, article: Article, figures: list) -> Org | None:
    """A listed subject, else the utility named before the figure, else one named right after, else the article's."""
    kind, anchor = tied
    use_places = not kind.name.startswith(_NO_PLACE_SUBJECT)
    listed = _listed_subject(fig, source, article, figures, use_places)
    if listed is not None:
        return listed
    sent = source.segs.sentence_of(fig.start)
    before = article.subject_before(source.mentions, sent[0], fig.start, anchor.start, use_places)
    return before or _named_after(fig, kind, source, article, figures) or article.main


def _named_after(fig: Figure, kind: Kind, source: _Source, article: Article, figures: list) -> Org | None:
    """Takes a utility named in the next clause (…第一位，这是X连续9年夺魁) unless a figure there is its own."""
    segs = source.segs
    sent_end = segs.sentence_of(fig.start)[1]
    next_end = segs.clause_end(min(segs.clause_end(fig.end) + 1, sent_end))
    m = article.named_after(source.mentions, fig.end, min(next_end, fig.end + _AFTER_REACH))
    between = segs.text[fig.end : m.start] if m is not None else ""
    if m is None or not _RESTATES.search(between) or _OTHER_PARTY.search(between):
        return None
    value, own_end = value_of(fig, kind), segs.clause_end(m.end)
    # "第一，河源供电局、梅州供电局分列第二、第三": a utility with a figure of its own is not this one's.
    for other in figures:
        if m.end <= other.start < own_end and accepts(kind, other) and value_of(other, kind) != value:
            return None
    return article.resolve(m)


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
