"""One lxml parse per page, and the few facts about elements every extractor asks."""

from __future__ import annotations

import re

from lxml import etree

# Never reader-visible text: code, embedded objects, form controls.
SKIPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "canvas",
        "select",
        "option",
        "textarea",
        "button",
        "input",
        "head",
        "link",
        "meta",
        "map",
        "area",
        "audio",
        "video",
        "source",
        "track",
        "title",
    }
)
BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "nav",
        "aside",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "address",
        "center",
        "form",
        "fieldset",
        "legend",
        "hr",
        "body",
        "html",
        "details",
        "summary",
        "dir",
        "menu",
    }
)
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)


def parse_html(text: str) -> etree._Element | None:
    """Parses HTML leniently; libxml2 caps depth at 256 and so bounds hostile nesting."""
    if not text or not text.strip():
        return None
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    data = text.replace("\x00", "").encode("utf-8", "replace")
    try:
        return etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        return None


def tag_of(element: etree._Element) -> str:
    """Returns an element's lower-case tag, or "" for comments and entities."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def is_hidden(element: etree._Element) -> bool:
    """Tells whether the page hides an element from readers."""
    attrib = element.attrib
    if "hidden" in attrib:
        return True
    style = attrib.get("style")
    return bool(style) and _HIDDEN_STYLE.search(style) is not None


def class_id(element: etree._Element) -> str:
    """Returns an element's class and id joined, lower-cased, for naming heuristics."""
    attrib = element.attrib
    return f"{attrib.get('class', '')} {attrib.get('id', '')}".lower()


def body_of(root: etree._Element) -> etree._Element:
    """Returns the <body>, or the root when the parser produced none."""
    body = root.find("body")
    return body if body is not None else root


def inner_text(element: etree._Element) -> str:
    """Returns the text of an element's subtree, skipping scripts and styles."""
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(element, False)]
    while stack:
        node, done = stack.pop()
        if done:
            if node is not element and node.tail:
                parts.append(node.tail)
            continue
        stack.append((node, True))
        if tag_of(node) in SKIPPED and node is not element:
            continue
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        stack.extend((child, False) for child in reversed(node))
    return "".join(parts)
