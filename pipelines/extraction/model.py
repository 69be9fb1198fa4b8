"""What extraction returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Image:
    """An image of the article with its caption."""

    src: str
    caption: str | None = None


@dataclass
class Article:
    """The fields read from one page."""

    title: str | None = None
    subtitle: str | None = None
    published_at: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    editor: str | None = None
    section: str | None = None
    body: str = ""
    images: list[Image] = field(default_factory=list)
    lang: str | None = None
    encoding: str = "utf-8"
    is_article: bool = True
    reason: str | None = None
