"""Decode page bytes to text: BOM, then the bytes themselves, then what the page and server claim."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-]+)", re.IGNORECASE)
# GB2312 and GBK pages use characters only GB18030 has; decoding as its superset never loses text
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8"}
# single-byte codecs decode any bytes at all, so a claim of one proves nothing: servers send it by default
ANY_BYTES = {"latin_1", "iso8859-1", "cp1252", "windows-1252", "iso8859-15"}


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Return the page text and the encoding used; never raises."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(name, errors="replace").lstrip("\ufeff"), name
    claimed = [c for c in (_header_charset(headers), _meta_charset(body)) if c]
    try:
        text = body.decode("utf-8")
        return text, "utf-8"  # valid UTF-8 of any length is almost never another encoding
    except UnicodeDecodeError:
        pass
    multibyte = [c for c in claimed if c not in ANY_BYTES]
    for name in [*multibyte, "gb18030", "big5hkscs", *claimed]:
        if name == "utf-8":
            continue
        try:
            return body.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    fallback = next((c for c in claimed if c != "utf-8"), "gb18030")
    return body.decode(fallback, errors="replace"), fallback


def normalise_name(name: str) -> str | None:
    """The codec to use for a declared charset name, or None when Python does not know it."""
    try:
        canonical = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return SUPERSETS.get(canonical, SUPERSETS.get(name.lower(), canonical))


def header_charset(headers: Mapping[str, str] | None) -> str | None:
    """The codec the HTTP Content-Type header claims, or None."""
    return _header_charset(headers)


def _header_charset(headers: Mapping[str, str] | None) -> str | None:
    content_type = next((v for k, v in (headers or {}).items() if k.lower() == "content-type"), "")
    match = HEADER_CHARSET.search(content_type)
    return normalise_name(match.group(1)) if match else None


def _meta_charset(body: bytes) -> str | None:
    match = META_CHARSET.search(body[:4096])
    return normalise_name(match.group(1).decode("ascii")) if match else None
