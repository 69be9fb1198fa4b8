"""Article extraction: raw page bytes (+ URL, headers, site overrides) to an Article."""

from __future__ import annotations

import re
from collections.abc import Mapping

import lxml.html
from lxml import etree

from pipelines.extraction.encoding import decode_html
from pipelines.extraction.model import Article, Image

__all__ = ["Article", "Image", "decode_html", "extract_article"]

CJK = re.compile(r"[\u4e00-\u9fff]")
DROP_TAGS = ("script", "style", "noscript", "nav", "footer", "header", "form", "aside", "iframe", "select")
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
SOURCE = re.compile(r"来源[:：]\s*([^\s:：|]{2,30})")
AUTHORS = re.compile(r"(?:作者|记者|通讯员)[:：]?\s*((?:[\u4e00-\u9fff]{2,4}[\s、，,]*)+)")
EDITOR = re.compile(r"(?:责任编辑|编辑)[:：]\s*([\u4e00-\u9fff]{2,4})")
CRUMB = re.compile(r"(?:当前位置|首页|主页)\s*[:：]?\s*.*?(?:>|＞|»)")
# 【打印】【关闭】 are page tools, but 【…】 also heads a roundup's items, which are article text
BOILERPLATE_LINE = re.compile(
    r"^(■|责任编辑|编辑[:：]|来源[:：]|分享到|【\s*(打印|关闭|字体|收藏|返回)"
    r"|ICP|版权所有|©)"
)
MIN_BODY = 60


def extract_article(
    body: bytes,
    url: str = "",
    headers: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Article:
    """Read one page: title, date, bylines, breadcrumb section and the body text."""
    text, encoding = decode_html(body, headers)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return Article(encoding=encoding, is_article=False, reason="unparseable")
    for element in root.iter(*DROP_TAGS):
        element.drop_tree()
    article = Article(encoding=encoding, lang=root.get("lang") or "zh")
    article.title = _title(root)
    container = _main_container(root)
    paragraphs = _paragraphs(container) if container is not None else []
    article.body = "\n".join(paragraphs)
    page_text = root.text_content()
    _metadata(article, page_text)
    _apply_overrides(article, root, overrides or {})
    if len(CJK.findall(article.body)) < MIN_BODY:
        article.is_article, article.reason = False, "no_content"
    return article


def _title(root: etree._Element) -> str | None:
    for h1 in root.iter("h1"):
        value = _clean(h1.text_content())
        if len(value) >= 4:
            return value
    meta = root.xpath("//meta[@property='og:title']/@content")
    title = meta[0] if meta else (root.findtext(".//title") or "")
    return _clean(re.split(r"[_|–—]| - ", title)[0]) or None


def _main_container(root: etree._Element) -> etree._Element | None:
    best, best_score = None, 0.0
    for element in root.iter("body", "div", "article", "section", "td"):
        text = "".join(_clean(p.text_content()) for p in element if p.tag == "p")
        links = sum(len(a.text_content()) for a in element.iter("a"))
        score = len(CJK.findall(text)) - 2 * links
        if score > best_score:
            best, best_score = element, score
    return best


def _paragraphs(container: etree._Element) -> list[str]:
    lines = (_clean(p.text_content()) for p in container.iter("p"))
    return [line for line in lines if line and not BOILERPLATE_LINE.match(line)]


def _metadata(article: Article, page_text: str) -> None:
    start = page_text.find(article.title) if article.title else 0
    head = page_text[max(start, 0) : max(start, 0) + 400]
    match = DATE.search(head) or DATE.search(page_text)
    if match:
        y, mo, d, h, mi, s = match.groups()
        article.published_at = f"{y}-{int(mo):02d}-{int(d):02d}T{int(h or 0):02d}:{mi or '00'}:{s or '00'}+08:00"
    for pattern, field in ((SOURCE, "source"), (EDITOR, "editor")):
        found = pattern.search(head) or pattern.search(page_text)
        if found:
            setattr(article, field, found.group(1))
    found_authors = AUTHORS.search(head)
    if found_authors:
        article.authors = [n for n in re.split(r"[\s、，,]+", found_authors.group(1)) if n]
    crumb = CRUMB.search(page_text)
    if crumb:
        line = page_text[crumb.start() :].split("\n")[0]
        parts = [p.strip() for p in re.split(r"[>＞»]", line) if p.strip() and p.strip() != "正文"]
        article.section = parts[-1] if len(parts) > 1 else None


def _apply_overrides(article: Article, root: etree._Element, overrides: Mapping[str, str]) -> None:
    from parsel import Selector

    if not overrides:
        return
    selector = Selector(root=root)
    for field, expr in overrides.items():
        found = selector.xpath(expr) if expr.startswith(("/", "(")) else selector.css(expr)
        texts = [_clean(t) for t in found.xpath("string(.)").getall()] if found else []
        value = "\n".join(t for t in texts if t)
        if not value:
            continue
        if field == "author":
            article.authors = [n for n in re.split(r"[\s、，,;；]+", value) if n]
        elif field == "published_at":
            match = DATE.search(value)
            if match:
                y, mo, d, h, mi, s = match.groups()
                article.published_at = (
                    f"{y}-{int(mo):02d}-{int(d):02d}T{int(h or 0):02d}:{mi or '00'}:{s or '00'}+08:00"
                )
        else:
            setattr(article, field, value)


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("\u3000", " ").replace("\xa0", " ")).strip()


_ = Image  # re-exported
