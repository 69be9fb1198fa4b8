"""The section a page files the article under, read from its breadcrumb trail."""

from __future__ import annotations

import re

from .blocks import Block
from .dom import class_id
from .head import Head
from .text import nfkc

_HERE = re.compile(r"(?:您的|你的|您|你)?(?:当前|當前|现在|現在|所在)?(?:位置|所在位置)\s*[:：]?\s*")
_ARROWS = re.compile(r"\s*(?:>>|>|»|›|→|＞|/|\\|→|»|＞＞)\s*")
_HOME = re.compile(r"^(?:\S{0,6}首页|\S{0,6}首頁|主页|主頁|home|主站)$", re.I)
_LEAF = re.compile(r"^(?:正文|内容|內容|详情|詳情|文章|阅读|閱讀|本文|新闻详情|新聞詳情)(?:\s|$)")
_CRUMB_NAMES = re.compile(r"crumb|position|location|\bloc\b|\bpos\b|daohang|dh\b|mianbao|path|where")
_MAX_CHARS = 120


def find_section(blocks: list[Block], head: Head, limit: int) -> str | None:
    """Returns the deepest breadcrumb entry above the article, else article:section."""
    for block in blocks[:limit]:
        if block.image is not None or block.chars > _MAX_CHARS:
            continue
        section = _read_trail(block)
        if section:
            return section
    return head.first("article:section", "og:article:section", "section", "category")


def _read_trail(block: Block) -> str | None:
    """Reads "首页 > 新闻 > 深度" as a trail and returns its deepest named step."""
    text = nfkc(block.text)
    marked = _HERE.search(text)
    if marked:
        text = text[marked.end() :]
    elif not (_CRUMB_NAMES.search(class_id(block.node)) or _starts_home(text)):
        return None
    steps = [step.strip() for step in _ARROWS.split(text) if step.strip()]
    if len(steps) < 2 and not marked:
        return None
    leaf = next((i for i, step in enumerate(steps) if _LEAF.match(step)), len(steps))
    steps = [step for step in steps[:leaf] if not _HOME.match(step)]
    return steps[-1] if steps and len(steps[-1]) <= 20 else None


def _starts_home(text: str) -> bool:
    """Tells whether a line begins with a home link followed by an arrow."""
    first = _ARROWS.split(text, maxsplit=1)
    return len(first) == 2 and _HOME.match(first[0].strip()) is not None
