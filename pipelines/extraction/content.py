"""Finds the element that holds the article text, Readability-style, over the block list.

Prose blocks (long, punctuated, few links) vote for their parent and, more weakly, for further
ancestors; the best-voted element, discounted by its link density, holds the article. Sibling
elements that vote almost as strongly (a lead outside the main div, a continued page) join it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree

from .blocks import Block
from .dom import class_id, tag_of
from .text import punctuation_count, word_weight

# Elements that are themselves a paragraph: their votes go to the parent.
PARAGRAPHS = frozenset(
    {
        "p",
        "li",
        "dd",
        "dt",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "figcaption",
        "caption",
        "th",
        "span",
        "font",
        "strong",
    }
)
_GOOD_NAMES = re.compile(r"article|content|cont\b|entry|main|post|text|story|detail|body|zw|rich_media|neirong")
_BAD_NAMES = re.compile(
    r"comment|footer|foot\b|sidebar|side\b|related|recommend|share|nav|menu|hot|rank|banner"
    r"|\bad\b|ads|sponsor|copyright|crumb|widget|popup|login|reply|tuijian|xiangguan|list"
)
_TAG_PRIOR = {
    "div": 5,
    "article": 10,
    "section": 3,
    "td": 3,
    "pre": 3,
    "blockquote": 3,
    "ul": -3,
    "ol": -3,
    "li": -3,
    "dl": -3,
    "dd": -3,
    "form": -3,
    "th": -5,
    "h1": -5,
    "h2": -5,
    "h3": -5,
    "body": -5,
}
_MIN_WEIGHT = 8
_SIBLING_SHARE = 0.2
_OTHER_ARTICLE = 0.25
_LEAD_WEIGHT = 4
_REPEATED = 0.5


def vote_weight(block: Block) -> float:
    """Scores how much a block reads like article prose."""
    if block.image is not None or block.link_density > 0.5:
        return 0.0
    weight = word_weight(block.text)
    if weight < _MIN_WEIGHT:
        return 0.0
    return 1 + punctuation_count(block.text) + min(weight / 50, 3)


def name_prior(element: etree._Element) -> float:
    """Weighs an element by its tag and by what its class and id call it."""
    prior = _TAG_PRIOR.get(tag_of(element), 0)
    names = class_id(element)
    if names.strip():
        if _GOOD_NAMES.search(names):
            prior += 25
        if _BAD_NAMES.search(names):
            prior -= 25
    return prior


def subtree_sizes(blocks: list[Block]) -> tuple[dict, dict]:
    """Sums visible and linked characters of the blocks under every element."""
    chars: dict[etree._Element, int] = defaultdict(int)
    links: dict[etree._Element, int] = defaultdict(int)
    for block in blocks:
        if block.image is not None:
            continue
        size, linked = block.chars, block.link_chars
        node = block.node
        while node is not None:
            chars[node] += size
            links[node] += linked
            node = node.getparent()
    return chars, links


def next_headline(blocks: list[Block], title_index: int) -> int:
    """Returns where a second h1 after the headline opens another article (infinite scroll)."""
    if title_index < 0 or blocks[title_index].heading != 1:
        return len(blocks)
    title = blocks[title_index].text
    for block in blocks[title_index + 1 :]:
        if block.heading == 1 and block.chars >= _MIN_WEIGHT and block.text != title:
            return block.index
    return len(blocks)


def candidate_scores(blocks: list[Block], title_index: int = -1) -> dict[etree._Element, float]:
    """Returns every voted element's score, discounted by its link density."""
    votes: dict[etree._Element, float] = defaultdict(float)
    cutoff = next_headline(blocks, title_index)
    for block in blocks:
        weight = vote_weight(block) * (_OTHER_ARTICLE if block.index > cutoff else 1.0)
        if not weight:
            continue
        node = block.node
        if tag_of(node) in PARAGRAPHS:
            node = node.getparent()
        for level in range(5):
            if node is None:
                break
            votes[node] += weight / (1, 2, 6, 9, 12)[level]
            node = node.getparent()
    chars, links = subtree_sizes(blocks)
    repeated = repeated_templates(votes)
    return {
        node: (vote + name_prior(node))
        * (1 - links[node] / max(1, chars[node]))
        * (_REPEATED if _template(node) in repeated else 1.0)
        for node, vote in votes.items()
    }


def _template(node: etree._Element) -> tuple[str, str]:
    """Returns what identifies an element's template: its tag and class."""
    return tag_of(node), node.get("class") or ""


def repeated_templates(votes: dict) -> set[tuple[str, str]]:
    """Returns classed templates voted for three times or more: cards in a list, not an article."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for node in votes:
        counts[_template(node)] += 1
    return {template for template, count in counts.items() if count >= 3 and template[1]}


def main_content(blocks: list[Block], title_index: int = -1) -> list[etree._Element]:
    """Returns the element holding the article and any siblings that continue it."""
    scores = candidate_scores(blocks, title_index)
    if not scores:
        return []
    top = max(scores, key=scores.__getitem__)
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(10.0, scores[top] * _SIBLING_SHARE)
    paragraphs = prose_paragraphs(blocks)
    return [
        sibling
        for sibling in parent
        if sibling is top or scores.get(sibling, 0.0) >= threshold or sibling in paragraphs
    ]


def prose_paragraphs(blocks: list[Block]) -> set[etree._Element]:
    """Returns <p> elements holding punctuated prose: a lead beside the article joins it."""
    return {
        block.node
        for block in blocks
        if tag_of(block.node) == "p" and block.link_density < 0.25 and vote_weight(block) >= _LEAD_WEIGHT
    }
