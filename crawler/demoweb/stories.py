"""The demo web's articles: stories from stories.toml, expanded into one page per site that ran them.

A republication is stored as edits of the original (another headline, a dropped paragraph, a few
changed words, the republisher's own lead-in), the way portals and papers really rerun a release.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

STORIES_FILE = Path(__file__).with_name("stories.toml")
SITE_KINDS = ("utility", "portal", "daily")


@dataclass(frozen=True)
class DemoArticle:
    """One article page as a demo site publishes it."""

    key: str  # story id, plus the republishing site for copies
    story: str  # id of the story it tells
    site: str  # utility, portal or daily (the site's kind)
    published: datetime
    title: str
    paragraphs: tuple[str, ...]
    section: str = "新闻中心"
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    author_role: str = "通讯员"
    source: str = ""
    editor: str = ""
    captions: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    prefix: str = ""  # a republisher's lead-in such as "电力资讯网讯:"
    original: bool = True
    facts: tuple[dict[str, Any], ...] = field(default=(), compare=False)

    @property
    def shown_paragraphs(self) -> tuple[str, ...]:
        """The paragraphs as the page shows them, the republisher's lead-in opening the first."""
        if not self.prefix or not self.paragraphs:
            return self.paragraphs
        return (self.prefix + self.paragraphs[0], *self.paragraphs[1:])

    @property
    def body_text(self) -> str:
        """The article text a perfect extractor returns: one paragraph a line."""
        return "\n".join(self.shown_paragraphs)


def load_stories(path: Path = STORIES_FILE) -> list[dict[str, Any]]:
    """Read the story file."""
    return list(tomllib.loads(path.read_text(encoding="utf-8"))["stories"])


def expand(stories: list[dict[str, Any]]) -> list[DemoArticle]:
    """Turn stories into the article pages of every site that published them, oldest first."""
    pages: list[DemoArticle] = []
    for story in stories:
        original = _original(story)
        pages.append(original)
        pages.extend(_republished(original, copy) for copy in story.get("republished", []))
    return sorted(pages, key=lambda a: (a.published, a.key))


def _original(story: dict[str, Any]) -> DemoArticle:
    return DemoArticle(
        key=story["id"],
        story=story["id"],
        site=story["site"],
        published=_when(story["published"]),
        title=story["title"],
        paragraphs=tuple(story["paragraphs"]),
        section=story.get("section") or "新闻中心",
        subtitle=story.get("subtitle", ""),
        authors=tuple(story.get("authors", [])),
        author_role=story.get("author_role", "通讯员"),
        source=story.get("source", ""),
        editor=story.get("editor", ""),
        captions=tuple(story.get("captions", [])),
        credits=tuple(story.get("credits", [])),
        facts=tuple(story.get("facts", [])),
    )


def _republished(original: DemoArticle, copy: dict[str, Any]) -> DemoArticle:
    dropped = set(copy.get("drop", []))
    paragraphs = [p for i, p in enumerate(original.paragraphs) if i not in dropped]
    for old, new in copy.get("edits", []):
        paragraphs = [p.replace(old, new, 1) for p in paragraphs]
    return replace(
        original,
        key=f"{original.story}@{copy['site']}",
        site=copy["site"],
        published=_when(copy["published"]),
        title=copy["title"],
        paragraphs=tuple(paragraphs),
        section=copy.get("section", "转载"),
        source=copy.get("source", original.source),
        editor=copy.get("editor", ""),
        captions=(),
        credits=(),
        prefix=copy.get("prefix", ""),
        original=False,
    )


def _when(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
