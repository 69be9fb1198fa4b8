"""Stage 2: normalise the extracted text and drop what is not a usable article."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Self

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from pipelines.errors import BodyTooShort, MissingTitle

SPACES = re.compile(r"[ \t\u3000\xa0\u2002\u2003\u200b]+")
# lines that survive extraction on some sites but are never article text
LEFTOVER = re.compile(r"^(责任编辑|编辑|校对|审核|来源|分享到|扫一扫|【(打印|关闭|字体)|上一篇|下一篇|原标题)[:：]?")
HASH_IGNORED = re.compile(r"[\W_]+")


def normalise_text(text: str) -> str:
    """Collapse runs of spaces inside lines, trim lines and drop empty ones (full-width punctuation stays)."""
    lines = (SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def strip_leftovers(body: str) -> str:
    """Remove trailing credit and navigation lines that extraction let through."""
    return "\n".join(line for line in body.split("\n") if not LEFTOVER.match(line))


def content_hash(body: str) -> str:
    """A hash of the body that ignores layout, spacing, punctuation and width, for exact-duplicate checks."""
    folded = HASH_IGNORED.sub("", unicodedata.normalize("NFKC", body)).lower()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def normalise_article(item: ArticleItem) -> ArticleItem:
    """Normalise an article's text fields in place and compute its content hash."""
    item.title = normalise_text(item.title or "").replace("\n", " ") or None
    item.subtitle = normalise_text(item.subtitle or "").replace("\n", " ") or None
    item.body = strip_leftovers(normalise_text(item.body))
    item.authors = [a for a in dict.fromkeys(normalise_text(a) for a in item.authors) if a]
    for name in ("source", "editor", "section"):
        setattr(item, name, normalise_text(getattr(item, name) or "").replace("\n", " ") or None)
    item.content_hash = content_hash(item.body)
    return item


def clean_article(item: ArticleItem, min_chars: int, require_title: bool) -> ArticleItem:
    """Normalise an article and validate it; raise a DropItem subclass when it is unusable."""
    normalise_article(item)
    if require_title and not item.title:
        raise MissingTitle(f"no headline on {item.url}")
    if len(item.body) < min_chars:
        raise BodyTooShort(f"body of {item.url} has {len(item.body)} characters, fewer than {min_chars}")
    return item


class CleanPipeline:
    """Normalise text and validate each article."""

    def __init__(self, min_chars: int, require_title: bool):
        self.min_chars, self.require_title = min_chars, require_title

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(settings.getint("CLEAN_MIN_BODY_CHARS"), settings.getbool("CLEAN_REQUIRE_TITLE"))

    def process_item(self, item: object) -> object:
        if isinstance(item, ArticleItem):
            return clean_article(item, self.min_chars, self.require_title)
        return item
