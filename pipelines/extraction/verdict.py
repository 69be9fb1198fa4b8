"""Whether a page is an article at all: list pages, 404s served with 200, empty shells."""

from __future__ import annotations

import re

from .blocks import Block
from .body import Body
from .text import visible_length

_NOT_FOUND = re.compile(
    r"\b404\b|not\s+found|页面不存在|頁面不存在|页面未找到|找不到(?:该|此|您要的|您所)?(?:页面|網頁|网页|文章)"
    r"|页面已删除|文章不存在|内容不存在|內容不存在|已被删除|已被刪除|无法找到|無法找到|访问的页面|訪問的頁面"
    r"|页面走丢|页面飞走|信息不存在|该文章已|稿件已|已下线|已下線",
    re.I,
)
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x00\x00\x01\x00",
    b"RIFF",
    b"\x7fELF",
    b"OggS",
    b"ID3",
    b"fLaC",
    b"wOF",
)
_MIN_BODY = 30
_SHORT_BODY = 200
_MIN_ITEMS = 5


def looks_binary(body: bytes) -> bool:
    """Tells whether bytes are a file format rather than text (control bytes, known magic)."""
    head = body[:1024]
    if head.startswith(_BINARY_MAGIC):
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text carries NUL bytes by design
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls > len(head) // 20


def judge(body: Body, selected: list[Block], titles: list[str]) -> str | None:
    """Returns why a page is not an article (a short reason), or None when it is one."""
    text_chars = sum(visible_length(p) for p in body.paragraphs)
    if text_chars < _SHORT_BODY and any(_NOT_FOUND.search(t or "") for t in titles):
        return "not_found_page"
    if text_chars < _MIN_BODY and not (body.images and text_chars):
        return "no_content"
    if _is_list(body, selected):
        return "list_page"
    return None


def _is_list(body: Body, selected: list[Block]) -> bool:
    """Tells whether the content is headlines with teasers rather than one article."""
    items = [
        block
        for block in selected
        if block.image is None
        and block.link_density > 0.5
        and 6 <= block.chars <= 80
        and body.first <= block.index <= body.last
    ]
    return len(items) >= _MIN_ITEMS and len(items) * 2 >= len(body.paragraphs)
