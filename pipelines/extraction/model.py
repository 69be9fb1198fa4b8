"""The extraction result: what a page says, independent of how it was found."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Image:
    """An image of the article body, with its caption when the page gives one."""

    src: str
    caption: str | None = None


@dataclass
class Article:
    """The article a page carries, or why the page carries none."""

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
    is_article: bool = False
    reason: str | None = None
