"""What travels through Redis, as JSON: raw pages (bodies zlib-compressed, then base64) and Scrapy requests.

JSON rather than pickle: loading a pickle runs code, and anyone who can write to Redis could make a
worker or the ingester run theirs. JSON is also readable from any language and from redis-cli.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

from crawler.items import PageItem

PAGE_FORMAT = 1


class BadEntry(ValueError):
    """A stream entry that is not a page this version can read."""


def dump_page(page: PageItem, level: int = 1) -> bytes:
    """A raw page and its continuation pages as one JSON document."""
    return json.dumps(_page_dict(page, level), ensure_ascii=False, separators=(",", ":")).encode()


def _page_dict(page: PageItem, level: int) -> dict[str, Any]:
    return {
        "format": PAGE_FORMAT,
        "url": page.url,
        "final_url": page.final_url,
        "site": page.site,
        "status": page.status,
        "headers": page.headers,
        "body": base64.b64encode(zlib.compress(page.body, level)).decode("ascii"),
        "fetched_at": page.fetched_at,
        "via": page.via,
        "hints": page.hints,
        "parts": [_page_dict(part, level) for part in page.parts],
    }


def load_page(data: bytes) -> PageItem:
    """The page a worker pushed; BadEntry when the data is not one."""
    try:
        return _page(json.loads(data))
    except (ValueError, KeyError, TypeError, zlib.error) as exc:
        raise BadEntry(f"not a page: {type(exc).__name__}: {exc}") from None


def _page(d: dict[str, Any]) -> PageItem:
    if d.get("format") != PAGE_FORMAT:
        raise BadEntry(f"page format {d.get('format')!r}, expected {PAGE_FORMAT}")
    return PageItem(
        url=d["url"],
        final_url=d["final_url"],
        site=d["site"],
        status=int(d["status"]),
        headers=dict(d["headers"]),
        body=zlib.decompress(base64.b64decode(d["body"])),
        fetched_at=d["fetched_at"],
        via=d.get("via", "list"),
        hints=dict(d.get("hints") or {}),
        parts=[_page(part) for part in d.get("parts", [])],
    )


# --- requests: the SCHEDULER_SERIALIZER module interface of scrapy-redis (dumps / loads) ---------
def dumps(obj: Any) -> bytes:
    """A request dict (Request.to_dict) as JSON; bytes and bytes-keyed dicts (headers) are tagged."""
    return json.dumps(_tag(obj), separators=(",", ":")).encode()


def loads(data: bytes) -> Any:
    """The request dict back from dumps()."""
    return _untag(json.loads(data))


def _tag(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _tag(v) for k, v in value.items()}
        return {"__d": [[_tag(k), _tag(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [_tag(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot send a {type(value).__name__} through Redis in a request's meta")


def _untag(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__b"}:
            return base64.b64decode(value["__b"])
        if set(value) == {"__d"}:
            return {_untag(k): _untag(v) for k, v in value["__d"]}
        return {k: _untag(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_untag(v) for v in value]
    return value
