"""Per-site selectors that win over the generic result, field by field.

A selector is XPath when it starts with "/" or "(", CSS otherwise (parsel's ::text and
::attr() allowed). One that matches nothing, or fails to compile, leaves the generic value.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from lxml import etree
from parsel.csstranslator import css2xpath

from .blocks import linearise
from .boilerplate import is_furniture
from .byline import split_names
from .dates import parse_date
from .model import Article
from .text import clean

logger = logging.getLogger(__name__)
_LABEL = re.compile(r"^\s*(?:来源|來源|作者|记者|記者|责任编辑|責任編輯|编辑|編輯|栏目|欄目)\s*[:：]\s*")
_FIELDS = frozenset({"title", "subtitle", "published_at", "author", "source", "editor", "section", "body"})


def select(root: etree._Element, selector: str) -> list[str]:
    """Returns the texts a selector matches: one per text node, attribute or element line."""
    try:
        xpath = selector if selector.lstrip().startswith(("/", "(")) else css2xpath(selector)
        found = root.xpath(xpath)
    except Exception as error:
        logger.warning("override selector %r failed: %s", selector, error)
        return []
    if not isinstance(found, list):
        found = [found]
    texts: list[str] = []
    for item in found:
        if isinstance(item, etree._Element):
            texts.extend(block.text for block in linearise(item) if block.image is None)
        elif isinstance(item, str | bytes | float | bool):
            texts.append(clean(str(item)))
    return [text for text in texts if text]


def apply_overrides(root: etree._Element, overrides: Mapping[str, str], article: Article) -> None:
    """Replaces each overridden field whose selector matches something usable."""
    for field, selector in overrides.items():
        if field not in _FIELDS or not isinstance(selector, str) or not selector.strip():
            continue
        texts = select(root, selector)
        if texts:
            _set_field(article, field, texts)


def _set_field(article: Article, field: str, texts: list[str]) -> None:
    """Stores selected texts in one field, leaving it alone when they do not parse."""
    joined = clean(" ".join(texts))
    if field == "body":
        lines = [text for text in texts if not is_furniture(text)]
        article.body = "\n".join(lines) or article.body
    elif field == "published_at":
        stamp = parse_date(joined)
        article.published_at = stamp.iso() if stamp else article.published_at
    elif field == "author":
        names = split_names(_LABEL.sub("", joined), strict=False)
        article.authors = names or article.authors
    else:
        setattr(article, field, _LABEL.sub("", joined) or getattr(article, field))
