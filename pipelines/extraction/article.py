"""The extraction pass: decode, parse once, linearise once, then read every field."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from .blocks import Block, linearise
from .body import assemble, in_content, is_prose, prepend_lead
from .boilerplate import is_credit
from .breadcrumb import find_section
from .content import main_content
from .dom import body_of, parse_html
from .encoding import decode_html
from .head import Head, read_head
from .lang import detect_lang
from .metadata import find_byline, find_published, header_zone, plain_lines
from .model import Article
from .overrides import apply_overrides
from .sources import site_name
from .title import find_headline, find_subtitle
from .verdict import judge, looks_binary


def build_article(
    body: bytes, url: str, headers: Mapping[str, str] | None, overrides: Mapping[str, str] | None
) -> Article:
    """Extracts the article of one page; the caller guarantees it never raises."""
    if looks_binary(body):
        return Article(encoding="binary", reason="binary")
    text, encoding = decode_html(body, headers)
    root = parse_html(text)
    if root is None:
        return Article(encoding=encoding, reason="empty")
    article = read_page(root, url)
    article.encoding = encoding
    if overrides:
        apply_overrides(root, overrides, article)
    return article


def read_page(root: etree._Element, url: str) -> Article:
    """Reads every field of an article from a parsed page."""
    head = read_head(root)
    base_url = url or head.canonical or head.first("og:url") or ""
    blocks = linearise(body_of(root))
    headline = find_headline(blocks, head)
    selected = in_content(blocks, main_content(blocks, headline.index))
    headline = find_headline(blocks, head, _first_text(selected))
    body = assemble(blocks, selected, headline.text, base_url)
    zone = header_zone(blocks, headline.index, body.first)
    prepend_lead(body, zone)
    trailer = plain_lines(blocks[body.last + 1 : body.last + 16]) if body.last >= 0 else []
    lines = plain_lines(zone) + body.meta_lines
    credits = [line for line in trailer if is_credit(line)]
    byline = find_byline(head, zone, lines + credits, body.paragraphs)
    reason = judge(body, selected, [headline.text or "", head.title])
    section_limit = headline.index if headline.index >= 0 else max(0, body.first)
    subtitle = find_subtitle(blocks, headline, body.first)
    if subtitle and body.paragraphs and body.paragraphs[0] == subtitle:
        body.paragraphs.pop(0)  # the deck under the headline, taken for the first paragraph
    return Article(
        title=headline.text,
        subtitle=subtitle,
        published_at=find_published(head, lines, base_url, trailer),
        authors=byline.authors,
        source=byline.source or site_name(head.title, headline.text, head.first("og:site_name")),
        editor=byline.editor,
        section=find_section(blocks, head, section_limit),
        body="\n".join(body.paragraphs),
        images=body.images,
        lang=detect_lang("\n".join(body.paragraphs) or (headline.text or ""), _declared(head)),
        is_article=reason is None,
        reason=reason,
    )


def _first_text(selected: list[Block]) -> int:
    """Returns the index of the first prose block of the content, or -1."""
    return next((block.index for block in selected if is_prose(block)), -1)


def _declared(head: Head) -> str | None:
    """Returns the language the page declares for itself."""
    return head.lang or head.first("content-language", "language", "og:locale") or None
