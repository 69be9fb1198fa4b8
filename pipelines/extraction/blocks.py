"""The page as a reader scans it: a flat list of text blocks and images in document order.

Every later decision (headline, byline, main content, boilerplate) works on this list, so the
tree is walked once, iteratively, whatever its depth.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .dom import BLOCKS, HEADINGS, SKIPPED, is_hidden, tag_of
from .text import clean, visible_length

# Real article pages stay under a few thousand blocks; the cap bounds time on hostile input.
MAX_BLOCKS = 10_000
MAX_VISITS = 120_000


@dataclass(slots=True)
class Block:
    """A run of text between block boundaries, or one image."""

    index: int
    node: etree._Element
    text: str = ""
    link_chars: int = 0
    heading: int = 0
    image: etree._Element | None = None

    @property
    def chars(self) -> int:
        """Counts visible characters."""
        return visible_length(self.text)

    @property
    def link_density(self) -> float:
        """Returns the share of the text that sits inside links."""
        return self.link_chars / max(1, self.chars)


class _Builder:
    """Accumulates inline text until a block boundary closes it."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.owners: list[etree._Element] = []
        self.links = 0
        self.headings: list[int] = []

    def add(self, text: str | None) -> None:
        """Appends inline text, counting it as linked inside an <a>."""
        if text:
            self.parts.append(text)
            if self.links:
                self.link_chars += visible_length(clean(text))

    def flush(self) -> None:
        """Closes the current block, keeping it only if it has visible text."""
        text = clean("".join(self.parts))
        if text and self.owners:
            heading = self.headings[-1] if self.headings else 0
            self.blocks.append(
                Block(
                    len(self.blocks),
                    self.owners[-1],
                    text,
                    min(self.link_chars, visible_length(text)),
                    heading,
                )
            )
        self.parts.clear()
        self.link_chars = 0

    def image(self, element: etree._Element) -> None:
        """Records an image as a block of its own, in reading order."""
        self.flush()
        if self.owners:
            self.blocks.append(Block(len(self.blocks), self.owners[-1], image=element))


def linearise(root: etree._Element) -> list[Block]:
    """Walks a subtree once and returns its text blocks and images in document order."""
    builder = _Builder()
    builder.owners.append(root)
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    visits = 0
    while stack and len(builder.blocks) < MAX_BLOCKS and visits < MAX_VISITS:
        visits += 1
        element, closing = stack.pop()
        tag = tag_of(element)
        if closing:
            _close(builder, element, tag)
            builder.add(element.tail if element is not root else None)
            continue
        if not tag or tag in SKIPPED or is_hidden(element):
            builder.add(element.tail if element is not root else None)
            continue
        _open(builder, element, tag)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    builder.flush()
    return builder.blocks


def _open(builder: _Builder, element: etree._Element, tag: str) -> None:
    """Starts an element: a block boundary, a link, a heading, a line break or an image."""
    if tag in BLOCKS:
        builder.flush()
        builder.owners.append(element)
        if tag in HEADINGS:
            builder.headings.append(HEADINGS[tag])
    elif tag == "br":
        builder.flush()
    elif tag == "img":
        builder.image(element)
    elif tag == "a":
        builder.links += 1
    builder.add(element.text)


def _close(builder: _Builder, element: etree._Element, tag: str) -> None:
    """Ends an element, closing its block or link."""
    if tag in BLOCKS:
        builder.flush()
        builder.owners.pop()
        if tag in HEADINGS:
            builder.headings.pop()
    elif tag == "a":
        builder.links -= 1
