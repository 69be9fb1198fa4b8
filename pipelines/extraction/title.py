"""The headline: the visible heading that the <title> and og:title echo, without site suffix."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .blocks import Block
from .boilerplate import is_furniture
from .dom import class_id
from .head import Head
from .text import clean

_SEPARATORS = re.compile(r"\s*(?:[|｜_]|\s[-–—]+\s|--|——|-{1,2}(?=[^\d\s]{2,}$))\s*")
_IGNORED = re.compile(r"[\s\W_]+")
_TITLE_NAMES = re.compile(r"title|headline|biaoti|\bbt\b|\btit\b|heading")
_MIN_CHARS, _MAX_CHARS = 4, 120
_PRECISION = 0.8
_SEARCH_LIMIT = 2_000
_TIE = 3.5
_HEADING_BONUS = {1: 8, 2: 4, 3: 3, 4: 1}


@dataclass
class Headline:
    """The chosen headline and where it sits in the block list (-1 when not on the page)."""

    text: str | None
    index: int = -1


def _letters(text: str) -> Counter:
    """Returns the multiset of letters, ignoring spaces and punctuation."""
    return Counter(_IGNORED.sub("", text.lower()))


def _overlap(candidate: Counter, reference: Counter) -> tuple[int, float]:
    """Returns how many letters two texts share and what share of the candidate that is."""
    shared = sum((candidate & reference).values())
    return shared, shared / max(1, sum(candidate.values()))


def find_headline(blocks: list[Block], head: Head, anchor: int = -1) -> Headline:
    """Picks the heading that best matches the page's own titles, or a cleaned <title>.

    With an anchor (the first body block), equal candidates resolve to the one just above it:
    sticky headers and share bars repeat the headline far from the article.
    """
    candidates = title_candidates(blocks, head)
    if candidates:
        top = max(score for score, _ in candidates)
        tied = [index for score, index in candidates if score >= top - _TIE]
        above = [index for index in tied if anchor >= 0 and index < anchor]
        index = max(above) if above else tied[0]
        return Headline(blocks[index].text, index)
    return _fallback(blocks, head, anchor)


def title_candidates(blocks: list[Block], head: Head) -> list[tuple[float, int]]:
    """Scores blocks that repeat the page's own titles: shared letters plus heading bonuses."""
    references = [_letters(text) for text in _references(head) if text]
    candidates = []
    for block in blocks[:_SEARCH_LIMIT]:
        if block.image is not None or not _MIN_CHARS <= block.chars <= _MAX_CHARS:
            continue
        if block.link_density > 0.5 and not block.heading:
            continue  # a menu entry or related link that happens to echo the title
        letters = _letters(block.text)
        shared = max(
            (
                count * precision
                for count, precision in (_overlap(letters, ref) for ref in references)
                if precision >= _PRECISION
            ),
            default=0,
        )
        if shared >= 4:
            bonus = _HEADING_BONUS.get(block.heading, 0) + 3 * _title_named(block)
            candidates.append((shared + bonus, block.index))
    return candidates


def _title_named(block: Block) -> bool:
    """Tells whether a block's element is named like a title (class="title", id="headline")."""
    parent = block.node.getparent()
    names = class_id(block.node) + (class_id(parent) if parent is not None else "")
    return bool(_TITLE_NAMES.search(names))


def _references(head: Head) -> list[str]:
    """Returns the titles a page gives itself: <title>, og:title and JSON-LD headline."""
    refs = [head.title, head.first("og:title", "twitter:title", "title", "headline")]
    refs.extend(value for value in head.ld_values("headline") if isinstance(value, str))
    return [ref for ref in refs if ref is not None]


def _fallback(blocks: list[Block], head: Head, anchor: int) -> Headline:
    """Uses the title-like block above the body, else the first h1, else a cleaned <title>."""
    if anchor > 0:
        for block in reversed(blocks[max(0, anchor - 6) : anchor]):
            if (block.heading or _title_named(block)) and _MIN_CHARS <= block.chars <= _MAX_CHARS:
                return Headline(block.text, block.index)
    for block in blocks[:_SEARCH_LIMIT]:
        if block.heading == 1 and _MIN_CHARS <= block.chars <= _MAX_CHARS:
            return Headline(block.text, block.index)
    for text in [*_references(head)[1:], head.title]:
        if text:
            return Headline(strip_site_name(text))
    return Headline(None)


def title_parts(title: str) -> list[str]:
    """Splits a "headline - section - site" title into its parts."""
    return [clean(part) for part in _SEPARATORS.split(title) if clean(part)]


def strip_site_name(title: str) -> str:
    """Keeps the longest part of a "headline - section - site" title."""
    parts = title_parts(title)
    return max(parts, key=len) if parts else clean(title)


_BYLINE_HINT = re.compile(
    r"\d{4}\s*[-/.年]|\d{1,2}:\d{2}|来源|來源|作者|记者|記者|编辑|編輯"
    r"|原创|原創|发布|發布"
)
_BYLINE_NAMES = re.compile(r"author|user|media|source|writer|byline")
_SUBTITLE_NAMES = re.compile(r"sub|fu_?title|futi|vice|deck|second|yinti|introtitle")


def find_subtitle(blocks: list[Block], headline: Headline, body_first: int) -> str | None:
    """Returns the deck printed just under (or the kicker just over) the headline."""
    if headline.index < 0:
        return None
    # the block right under the headline is always a candidate: body detection may have started there
    end = max(body_first, headline.index + 2) if body_first > headline.index else headline.index + 4
    neighbours = [
        *blocks[headline.index + 1 : min(end, headline.index + 4)],
        *blocks[max(0, headline.index - 1) : headline.index],
    ]
    for block in neighbours:
        if block.image is not None or block.link_density > 0.5:
            continue
        if not _MIN_CHARS <= block.chars <= _MAX_CHARS or block.text == headline.text:
            continue
        if _BYLINE_HINT.search(block.text) or is_furniture(block.text):
            continue
        if _BYLINE_NAMES.search(class_id(block.node)):
            continue
        named = _SUBTITLE_NAMES.search(class_id(block.node))
        if named or (1 < block.heading <= 4 and block.index > headline.index):
            return block.text
    return None
