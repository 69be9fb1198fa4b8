"""From the main-content elements to clean paragraphs, images and their captions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from .blocks import Block
from .boilerplate import is_credit, is_furniture, opens_other_articles
from .dates import parse_date, strip_dates
from .dom import class_id, tag_of
from .model import Image
from .text import PUNCTUATION, nfkc

_CAPTION_NAMES = re.compile(
    r"caption|pic_?te?xt|img_?(?:desc|txt|title|note)|photo_?(?:desc|txt)"
    r"|imgtxt|pictext|picintro|tuzhu|img-explain|figure"
)
_CAPTION_TEXT = re.compile(
    r"^[■□▲△▼▽◆◇]|^(?:图为|圖為|图:|圖:|上图|下图|上圖|下圖|图片来源|圖片來源|图源|圖源|资料图|資料圖)"
    r"|(?:摄|攝|供图|供圖|摄影|攝影|资料照|資料照|图源|圖源|取自[^。]{0,20})\)?$|图/|圖/"
)
_META_START = re.compile(
    r"^(?:来源|來源|作者|记者|記者|编辑|編輯|责任编辑|責任編輯"
    r"|发布时间|發佈時間|发布|時間|时间|日期|字号|字體"
    r"|阅读|閱讀|浏览|瀏覽|点击|點擊|分享)\s*[:丨|/︱— ]"
)
_WIDGET_NAMES = re.compile(
    r"player|playback|(?:^|[-_ ])video(?:$|[-_ ])|audio|toolbar|tool-bar|share|social|qrcode"
    r"|comment|related|recommend|(?:^|[-_ ])reco(?:$|[-_ ])|advert|sponsor|(?:^|[-_ ])ads?(?:$|[-_ ])"
    r"|subscribe|follow|print|fontsize|font-size|zoom|(?:^|[-_ ])tags?(?:$|[-_ ])|keyword"
)
_META_NAMES = re.compile(
    r"author|source|byline|(?:^|[-_ ])(?:time|date|info|meta|attr|from)(?:$|[-_ ])"
    r"|pubtime|pub-time|publish|zuozhe|laiyuan"
)
_LEAD = re.compile(r"^[【\[]?\s*(?:核心提示|内容提要|內容提要|提要|摘要|导读|導讀|导语|導語|编者按|編者按)")
_TAGS = re.compile(r"<[^>]*>?")
_SENTENCE_END = re.compile(r"[。！？!?…」”\"]$")
_LAZY_SRC = ("data-src", "data-original", "data-url", "data-lazy-src", "data-actualsrc", "src")
_CAPTION_MAX = 160
_NEAR = 2


@dataclass
class Body:
    """Paragraphs, images, and the metadata lines met at the head and tail of the content."""

    paragraphs: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    meta_lines: list[str] = field(default_factory=list)
    first: int = -1
    last: int = -1
    pending_caption: str | None = None


def in_content(blocks: list[Block], nodes: list[etree._Element]) -> list[Block]:
    """Returns the blocks inside the content elements, minus players, share bars and the like.

    Widgets are dropped by class name only below the content element, and only while they
    hold less prose than the rest, so a site that names its article "video-news" keeps it.
    """
    chosen = set(nodes)
    verdicts: dict[etree._Element, tuple[bool, bool]] = {}
    inside: list[Block] = []
    widgets: list[Block] = []
    for block in blocks:
        node, path = block.node, []
        while node is not None and node not in verdicts and node not in chosen:
            path.append(node)
            node = node.getparent()
        verdict = (True, False) if node in chosen else verdicts.get(node, (False, False))
        for element in reversed(path):
            verdict = (verdict[0], verdict[1] or (verdict[0] and _is_widget(element)))
            verdicts[element] = verdict
        if verdict[0]:
            (widgets if verdict[1] else inside).append(block)
    if _prose_chars(widgets) > _prose_chars(inside):
        return sorted(inside + widgets, key=lambda block: block.index)
    return inside


def _prose_chars(blocks: list[Block]) -> int:
    """Counts the characters of the prose blocks among some blocks."""
    return sum(block.chars for block in blocks if is_prose(block))


def _is_widget(element: etree._Element) -> bool:
    """Tells whether an element inside the article is a player, toolbar or share widget."""
    names = class_id(element)
    return bool(names.strip()) and _WIDGET_NAMES.search(names) is not None


def is_prose(block: Block) -> bool:
    """Tells whether a block reads like a sentence of the article."""
    return block.chars >= 20 and any(char in PUNCTUATION for char in block.text)


def is_meta_line(text: str) -> bool:
    """Tells whether a line is a dateline/byline/tool line printed above an article."""
    folded = nfkc(text)
    if len(folded) > 100 or _SENTENCE_END.search(folded):
        return False
    return bool(_META_START.search(folded)) or parse_date(folded) is not None


def is_dateline(text: str) -> bool:
    """Tells whether a short line is only a date with a source or place, wherever it sits."""
    folded = nfkc(text)
    if len(folded) > 60 or _SENTENCE_END.search(folded) or parse_date(folded) is None:
        return False
    rest = re.sub(r"[\s\W\d_]+", "", strip_dates(folded))
    return len(rest) <= 12 or "来源" in rest or "來源" in rest


def assemble(blocks: list[Block], selected: list[Block], title: str | None, base_url: str) -> Body:
    """Turns the content blocks into paragraphs, images with captions and metadata lines."""
    body = Body()
    title_key = _key(title or "")
    started = False
    prose_after = _prose_after(selected)
    for position, block in enumerate(selected):
        if block.image is not None:
            _add_image(body, block.image, base_url)
            continue
        kind = _classify(block, blocks, started, title_key)
        if kind == "stop" and prose_after[position] <= 1:
            break
        if kind == "stop":
            continue  # a "相关阅读" box inside the article: skip it, keep reading
        if kind == "meta":
            body.meta_lines.append(block.text)
        elif kind == "caption":
            _attach_caption(body, blocks, block)
        elif kind == "text":
            body.paragraphs.append(block.text)
            body.first = block.index if body.first < 0 else body.first
            body.last = block.index
            started = started or is_prose(block)
    return body


def _prose_after(selected: list[Block]) -> list[int]:
    """Counts, for each position, the unlinked prose blocks that follow it."""
    counts, running = [0] * len(selected), 0
    for position in range(len(selected) - 1, -1, -1):
        counts[position] = running
        block = selected[position]
        running += block.image is None and block.link_density <= 0.5 and is_prose(block)
    return counts


def _classify(block: Block, blocks: list[Block], started: bool, title_key: str) -> str:
    """Says what a content block is: text, meta, caption, skip, or stop (other articles)."""
    text = block.text
    if block.link_density > 0.5:
        return "skip"
    if len(text) > _CAPTION_MAX:  # too long for any label, credit or caption
        return "skip" if is_furniture(text) else "text"
    if started and opens_other_articles(text):
        return "stop"
    if _key(text) == title_key or is_furniture(text):
        return "skip"
    if is_credit(text) or is_dateline(text) or (not started and (is_meta_line(text) or _meta_named(block))):
        return "meta"
    return "caption" if is_caption(block, blocks) else "text"


def is_caption(block: Block, blocks: list[Block]) -> bool:
    """Tells whether a short block beside an image describes that image."""
    if block.chars > _CAPTION_MAX:
        return False
    node = block.node
    for _ in range(3):
        if node is None:
            break
        if tag_of(node) == "figcaption" or _CAPTION_NAMES.search(class_id(node)):
            return True
        node = node.getparent()
    if _nearest_image(blocks, block.index) is None:
        return False
    return _CAPTION_TEXT.search(nfkc(block.text)) is not None or _centered(block.node)


def _meta_named(block: Block) -> bool:
    """Tells whether a short line sits in an element named for bylines (author, source, time)."""
    if block.chars > 30 or is_prose(block):
        return False
    parent = block.node.getparent()
    names = class_id(block.node) + (class_id(parent) if parent is not None else "")
    return _META_NAMES.search(names) is not None


def _centered(node: etree._Element) -> bool:
    """Tells whether a paragraph is centred, as CMS editors set captions."""
    style = (node.get("style") or "").replace(" ", "").lower()
    return node.get("align", "").lower() == "center" or "text-align:center" in style


def _nearest_image(blocks: list[Block], index: int) -> int | None:
    """Returns the index of an image block next to a block, looking back first."""
    for position in [*range(index - 1, index - _NEAR - 1, -1), index + 1]:
        if 0 <= position < len(blocks) and blocks[position].image is not None:
            return position
    return None


def _add_image(body: Body, element: etree._Element, base_url: str) -> None:
    """Adds an image of the article, resolving lazy-loading attributes."""
    src = next((element.get(attr) for attr in _LAZY_SRC if element.get(attr)), "")
    src = src.strip()
    if not src or src.startswith("data:"):
        return
    if base_url:
        src = urljoin(base_url, src)
    alt = _TAGS.sub("", element.get("alt") or element.get("title") or "").strip()
    caption = body.pending_caption or alt
    body.pending_caption = None
    body.images.append(Image(src, caption or None))


def _attach_caption(body: Body, blocks: list[Block], block: Block) -> None:
    """Gives a caption line to the image it describes."""
    if _nearest_image(blocks, block.index) == block.index + 1 or not body.images:
        body.pending_caption = block.text  # the caption sits above its image
    else:
        body.images[-1].caption = block.text


def prepend_lead(body: Body, zone: list[Block]) -> None:
    """Puts a 核心提示/摘要/编者按 lead printed between headline and body back into the body."""
    leads = [block.text for block in zone if is_prose(block) and _LEAD.search(block.text) and block.index < body.first]
    body.paragraphs[:0] = leads


def _key(text: str) -> str:
    """Reduces a line to its letters, to compare a heading with the title."""
    return re.sub(r"[\s\W_]+", "", nfkc(text)).lower()
