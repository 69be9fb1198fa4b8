"""Bytes to text: BOM, declared charsets, and detection for when declarations lie.

Chinese sites often declare gb2312 over UTF-8 bytes, or serve GBK under a utf-8 header, so a
declaration is only a hint: valid UTF-8 wins, and otherwise the double-byte codec whose decoding
reads as common hanzi wins.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from .charsets import big5_common, gb2312_common

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG labels that Python's codec registry does not know.
_ALIASES = {
    "x-gbk": "gbk",
    "gb_2312-80": "gb2312",
    "gb_2312": "gb2312",
    "x-gb2312": "gb2312",
    "csgb2312": "gb2312",
    "x-x-big5": "big5",
    "big5-hkscs": "big5hkscs",
    "x-cp1252": "cp1252",
    "unicode-1-1-utf-8": "utf-8",
    "utf8": "utf-8",
    "x-sjis": "shift_jis",
}
# Superset codecs: GB18030 reads every GB2312/GBK page, Big5-HKSCS every Big5 page, and
# browsers treat a latin-1 label as windows-1252.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "cp936": "gb18030",
    "hz": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
}
_CHINESE = ("gb18030", "big5hkscs")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_HAN = re.compile("[\u4e00-\u9fff]")
# Kana, hangul, private use, box drawing and replacement characters: what a wrong
# double-byte codec produces instead of hanzi.
_ODD = re.compile("[\u2500-\u257f\u3040-\u30ff\uac00-\ud7af\ue000-\uf8ff\ufffd]")
_PRESCAN = 32_768
_SAMPLE = 1 << 20
_SCORED = 1 << 18
_PLAUSIBLE = 0.5


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Decodes a page the way a careful browser would, returning (text, encoding)."""
    if not body:
        return "", "utf-8"
    try:
        encoding, skip = choose_encoding(body, headers)
        return body[skip:].decode(encoding, "replace"), encoding
    except Exception:
        return body.decode("utf-8", "replace"), "utf-8"


def choose_encoding(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, int]:
    """Returns the codec for a body and how many BOM bytes to skip."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, len(bom)
    declared = [d for d in (header_charset(headers), meta_charset(body)) if d]
    # A BOM-less page declaring UTF-16/32 but full of ASCII is lying about its width.
    declared = [d for d in declared if not d.startswith(("utf-16", "utf-32"))]
    sample = body[:_SAMPLE]
    if sample.isascii():
        return (declared[0] if declared else "utf-8"), 0
    if _mostly_utf8(sample):
        return "utf-8", 0
    return _best_guess(sample[:_SCORED], declared), 0


def canonical_codec(label: str | None) -> str | None:
    """Maps a charset label to the Python codec to decode it with, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_ALIASES.get(label, label)).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def header_charset(headers: Mapping[str, str] | None) -> str | None:
    """Returns the codec named by a Content-Type header, whatever the key's case."""
    for key, value in (headers or {}).items():
        key = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key.lower() != "content-type":
            continue
        if isinstance(value, list | tuple):
            value = value[0] if value else ""
        value = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        found = _HEADER_CHARSET.search(value)
        return canonical_codec(found.group(1)) if found else None
    return None


def meta_charset(body: bytes) -> str | None:
    """Returns the codec named by <meta charset>, <meta http-equiv> or an XML declaration."""
    head = body[:_PRESCAN]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return canonical_codec(found.group(1).decode("ascii")) if found else None


def _mostly_utf8(sample: bytes) -> bool:
    """Tells whether bytes are UTF-8, forgiving a cut final character and rare stray bytes."""
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as error:
        if error.start >= len(sample) - 3:
            return True
    text = sample.decode("utf-8", "replace")
    multibyte = len(sample) - len(text.encode("ascii", "ignore"))
    return text.count("\ufffd") * 100 <= multibyte // 3


def _best_guess(sample: bytes, declared: list[str]) -> str:
    """Picks between the declared codec and the Chinese double-byte codecs on readability."""
    scores = {enc: han_plausibility(sample, enc) for enc in _CHINESE}
    best = max(scores, key=scores.__getitem__)
    for enc in declared:
        if enc in scores and scores[enc] >= scores[best] - 0.05:
            return enc
    if scores[best] >= _PLAUSIBLE:
        return best
    for enc in declared:
        if enc != "utf-8":
            return enc
    return "utf-8"


def han_plausibility(sample: bytes, encoding: str) -> float:
    """Scores how much a decoding reads like real Chinese: common hanzi minus oddities."""
    text = sample.decode(encoding, "replace")
    common = gb2312_common() if encoding == "gb18030" else big5_common()
    han = _HAN.findall(text)
    odd = len(_ODD.findall(text))
    hits = sum(1 for char in han if char in common)
    return (hits - 2 * odd) / max(1, len(han) + odd)
