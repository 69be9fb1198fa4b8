"""Articles printed over several pages: content_123.htm, content_123_2.htm, … (or TRS's _1 for page 2).

A continuation is only followed when the page itself links to it, so a guessed URL is never fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# an article id, then _N (a page number of one or two digits), then the extension
PART = re.compile(r"^(?P<stem>.*?\d)(?:_(?P<n>\d{1,2}))?(?P<ext>\.[a-z]{2,5})$", re.IGNORECASE)
PAGE_PARAMS = ("page", "pageno", "p", "pn")


def first_page(url: str) -> str | None:
    """The first page's URL when this one looks like page 2 or later of an article, else None."""
    parts = urlsplit(url)
    match = PART.match(parts.path)
    if not (match and match["n"]):
        return None
    return urlunsplit(parts._replace(path=match["stem"] + match["ext"], fragment=""))


def next_part(url: str, links: Iterable[str]) -> str | None:
    """The URL of the article's next page, when this page links to it."""
    candidates = set(_next_by_path(url) + _next_by_query(url))
    return next((link for link in links if link in candidates), None)


def _next_by_path(url: str) -> list[str]:
    parts = urlsplit(url)
    match = PART.match(parts.path)
    if not match:
        return []
    current = int(match["n"] or 0)
    numbers = [current + 1] if current else [1, 2]  # the second page is _2 on most CMSs, _1 on TRS
    return [urlunsplit(parts._replace(path=f"{match['stem']}_{n}{match['ext']}", fragment="")) for n in numbers]


def _next_by_query(url: str) -> list[str]:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    found = []
    for name in PAGE_PARAMS:
        current = int(query[name]) if query.get(name, "").isdigit() else 1
        query_next = {**query, name: str(current + 1)}
        found.append(urlunsplit(parts._replace(query=urlencode(query_next), fragment="")))
    return found
