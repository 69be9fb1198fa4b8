"""What the page says about itself outside the visible text: meta tags, JSON-LD, <title>."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from .dom import inner_text
from .text import clean

_MAX_JSONLD = 200_000
_MAX_DEPTH = 8


@dataclass
class Head:
    """Meta values by lower-cased name/property/itemprop, JSON-LD objects and the <title>."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[dict] = field(default_factory=list)
    title: str = ""
    canonical: str = ""
    lang: str = ""
    times: list[str] = field(default_factory=list)

    def first(self, *names: str) -> str | None:
        """Returns the first non-empty value among meta names, in the order asked."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value:
                    return value
        return None

    def ld_values(self, key: str) -> Iterator[object]:
        """Yields every value of a key in the JSON-LD objects, however nested."""
        stack: list[tuple[object, int]] = [(obj, 0) for obj in self.jsonld]
        while stack:
            obj, depth = stack.pop()
            if depth > _MAX_DEPTH:
                continue
            if isinstance(obj, dict):
                if key in obj:
                    yield obj[key]
                stack.extend((value, depth + 1) for value in obj.values() if isinstance(value, dict | list))
            elif isinstance(obj, list):
                stack.extend((value, depth + 1) for value in obj)


def read_head(root: etree._Element) -> Head:
    """Collects meta tags, JSON-LD, canonical link, <title> and lang in one sweep."""
    head = Head(lang=root.get("lang") or root.get("xml:lang") or "")
    for element in root.iter("meta", "script", "title", "link", "time"):
        tag = element.tag
        if tag == "time" and element.get("datetime"):
            head.times.append(element.get("datetime", ""))
        elif tag == "meta":
            _add_meta(head, element)
        elif tag == "title" and not head.title:
            head.title = clean(inner_text(element))
        elif tag == "link" and "canonical" in (element.get("rel") or "").lower():
            head.canonical = head.canonical or (element.get("href") or "").strip()
        elif tag == "script" and "ld+json" in (element.get("type") or "").lower():
            _add_jsonld(head, element.text or "")
    return head


def _add_meta(head: Head, element: etree._Element) -> None:
    """Files a meta tag's content under each of its naming attributes."""
    content = element.get("content")
    if content is None:
        return
    content = clean(content)
    for attr in ("name", "property", "itemprop", "http-equiv"):
        name = element.get(attr)
        if name:
            head.meta.setdefault(name.strip().lower(), []).append(content)


def _add_jsonld(head: Head, source: str) -> None:
    """Parses one JSON-LD script, ignoring what does not parse."""
    if len(source) > _MAX_JSONLD:
        return
    try:
        data = json.loads(source.strip().rstrip(";"))
    except (ValueError, RecursionError):
        return
    items = data if isinstance(data, list) else [data]
    head.jsonld.extend(item for item in items if isinstance(item, dict))
