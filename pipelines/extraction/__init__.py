"""Article extraction for Chinese news pages: bytes in, one Article out, never an exception.

from pipelines.extraction import extract_article
article = extract_article(response.body, response.url, response.headers)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from .article import build_article
from .encoding import decode_html
from .model import Article, Image

__all__ = ["Article", "Image", "decode_html", "extract_article"]

logger = logging.getLogger(__name__)


def extract_article(
    body: bytes,
    url: str = "",
    headers: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Article:
    """Extracts the article from a page's raw bytes; a broken page yields a reason, not an error."""
    try:
        raw = body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")
        return build_article(raw, url or "", headers, overrides)
    except Exception:
        logger.warning("extraction failed for %s", url or "<page>", exc_info=True)
        return Article(reason="extraction_error")
