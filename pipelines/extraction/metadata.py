"""Publication time and byline, from the lines around the headline and from the page's head.

The visible dateline under the headline is what readers and archivists trust; meta tags and
JSON-LD fill in when there is none, and a dated URL path is the last resort. Dates elsewhere
(scripts, related-article links, the site's "today" bar above the headline) are never read.
"""

from __future__ import annotations

import re

from .blocks import Block
from .byline import Byline, read_credits, read_labels, split_names
from .dates import CHINA, Stamp, parse_date
from .head import Head
from .sources import unlabelled_byline

_META_DATES = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish_date",
    "publishtime",
    "publish-date",
    "publication_date",
    "og:release_date",
    "release_date",
    "article.published",
    "og:time",
    "bytedance:published_time",
    "weibo: article:create_at",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date",
    "dc.date.created",
    "sailthru.date",
    "parsely-pub-date",
    "date",
    "article:post_date",
    "created",
    "firstpublishedtime",
)
_DATE_LABEL = re.compile(
    r"^\s*[【\[(（]?\s*(?:发布时间|發佈時間|发表时间|發表時間|时间|時間|日期"
    r"|发布日期|發佈日期)\s*[:：]"
)
_SENTENCE_END = re.compile(r"[。！？!?]")
_LD_DATES = ("datePublished", "dateCreated", "uploadDate")
_ZONE_LIMIT = 25
_ABOVE_TITLE = 2
_LINK_DENSE = 0.5


def header_zone(blocks: list[Block], title_index: int, body_first: int) -> list[Block]:
    """Returns the blocks between the headline and the first paragraph (the byline area)."""
    end = body_first if body_first >= 0 else len(blocks)
    start = title_index - _ABOVE_TITLE if title_index >= 0 else end - _ZONE_LIMIT
    start = max(0, start)
    end = min(end, max(start, title_index + 1) + _ZONE_LIMIT)
    return [block for block in blocks[start:end] if block.image is None]


def plain_lines(zone: list[Block]) -> list[str]:
    """Returns the texts of zone blocks that are not mostly links (related items, menus)."""
    return [block.text for block in zone if block.image is None and block.link_density <= _LINK_DENSE]


def find_published(head: Head, lines: list[str], url: str, trailer: list[str]) -> str | None:
    """Returns the publication time as ISO 8601, from dateline, meta, JSON-LD or URL.

    A declared time refines a visible date of the same day, unless it is in another zone than
    the reader's (a UTC meta under a Beijing-time dateline).
    """
    visible = _first_dated(lines)
    declared = _declared_date(head)
    if visible and declared and visible.day == declared.day:
        refines = declared.precision > visible.precision and (
            not visible.precision or declared.offset in (None, visible.offset or CHINA)
        )
        return (declared if refines else visible).iso()
    stamp = (
        visible
        or declared
        or _first_dated([line for line in trailer if _DATE_LABEL.match(line)])
        or parse_date(_path(url), compact=True)
    )
    return stamp.iso() if stamp else None


def _first_dated(lines: list[str]) -> Stamp | None:
    """Returns the first date on the byline lines, preferring one that gives a time."""
    first = None
    for line in lines:
        stamp = parse_date(line)
        if stamp and stamp.precision:
            return stamp
        first = first or stamp
    return first


def _declared_date(head: Head) -> Stamp | None:
    """Returns the publication date the page declares in meta tags, JSON-LD or <time>."""
    for name in _META_DATES:
        for value in head.meta.get(name, ()):
            stamp = parse_date(value)
            if stamp:
                return stamp
    for key in _LD_DATES:
        for declared in head.ld_values(key):
            stamp = parse_date(declared) if isinstance(declared, str) else None
            if stamp:
                return stamp
    for value in head.times:
        stamp = parse_date(value)
        if stamp:
            return stamp
    return None


def _path(url: str) -> str:
    """Returns a URL without scheme and host, where dates like /2023-12/01/ live."""
    return re.sub(r"^[a-z]+://[^/]+", "", url or "", flags=re.I)


def find_byline(head: Head, zone: list[Block], lines: list[str], paragraphs: list[str]) -> Byline:
    """Reads authors, source and editor from byline lines, body edges and meta tags.

    lines are the byline area's texts followed by credit lines met around the body.
    """
    byline = Byline()
    for line in lines:
        read_labels(line, byline)
        read_credits(line, byline)
    for paragraph in _opening(paragraphs):
        if len(paragraph) <= 60:
            read_labels(paragraph, byline)
        read_credits(paragraph[:200], byline)
    for paragraph in paragraphs[-3:]:
        if len(paragraph) <= 120:
            read_labels(paragraph, byline)
            read_credits(paragraph, byline)
    if not byline.source:
        byline.source = _meta_source(head)
    unlabelled_byline(zone, byline)
    _fill_from_head(head, byline)
    return byline


def _opening(paragraphs: list[str]) -> list[str]:
    """Returns the short lines that open a body up to its first sentence (datelines, credits)."""
    opening = []
    for paragraph in paragraphs[:4]:
        opening.append(paragraph)
        if len(paragraph) > 60 or _SENTENCE_END.search(paragraph):
            break
    return opening


def _meta_source(head: Head) -> str | None:
    """Returns the source a CMS declares in <meta name="source">, without its label."""
    source = head.first("source", "article:source", "og:source", "dc.source")
    if not source:
        return None
    source = re.sub(r"^(?:来源|來源)\s*[:：]\s*", "", source).strip()
    return source if 0 < len(source) <= 30 else None


def _fill_from_head(head: Head, byline: Byline) -> None:
    """Falls back on meta tags and JSON-LD for what the visible byline lacks."""
    if byline.authors:
        return
    for value in head.ld_values("author"):
        values = value if isinstance(value, list) else [value]
        for item in values:
            name = item.get("name") if isinstance(item, dict) else item
            if isinstance(name, str):
                byline.add_authors(split_names(name, strict=False))
    if not byline.authors and not byline.source:
        author = head.first("author", "article:author")
        if author and not re.search(r"\d|https?:|www\.", author):
            byline.add_authors(split_names(author, strict=False))
