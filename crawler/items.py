"""The items that flow from the spider through the pipelines into the archive."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PageItem:
    """One fetched article page, raw: what the spider saw, before anything is parsed."""

    url: str  # the URL the link pointed to
    final_url: str  # after redirects
    site: str
    status: int
    headers: dict[str, str]
    body: bytes = field(repr=False)  # logs of dropped items name the page, not its bytes
    fetched_at: str  # ISO 8601, UTC
    via: str = "list"  # how it was discovered: list, feed, sitemap, start
    hints: dict[str, str] = field(default_factory=dict)  # title/date a feed or sitemap gave for it
    parts: list[PageItem] = field(default_factory=list)  # pages 2, 3, … of an article printed over several


@dataclass
class ArticleItem:
    """An article extracted from a page, growing fields as it passes the stages."""

    page: PageItem
    url: str  # canonical
    site: str
    title: str | None = None
    subtitle: str | None = None
    published_at: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    editor: str | None = None
    section: str | None = None
    body: str = ""
    images: list[dict[str, Any]] = field(default_factory=list)
    lang: str | None = None
    encoding: str | None = None
    content_hash: str | None = None
    facts: list[dict[str, Any]] = field(default_factory=list)
    # set by the dedupe stage: how this sighting relates to the archive
    sighting: str = "original"  # original, url, exact or near
    duplicate_of: int | None = None  # article id in the archive
    similarity: float | None = None  # share of the archived article's text found on this page
    reverse_similarity: float | None = None  # share of this page's text found in the archived article
    earlier: bool = False  # published before the archived copy: becomes the article's canonical copy
    contains: list[tuple[int, float]] = field(default_factory=list)  # (article id, share) quoted whole here
    within: list[tuple[int, float]] = field(default_factory=list)  # (article id, share) that quote this whole
    fingerprint: Any = None  # pipelines.fingerprint.Fingerprint, for the archive's near-duplicate index
