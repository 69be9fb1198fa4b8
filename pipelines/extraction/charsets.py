"""Character repertoires derived from the stdlib codecs, built once on first use.

GB2312 level 1 lists the 3,755 most common simplified hanzi and Big5 level 1 the 5,401 most
common traditional ones; their differences separate the two scripts without a word list.
"""

from __future__ import annotations

from functools import cache


def _decode_rows(codec: str, leads: range, trails: list[int]) -> frozenset[str]:
    """Decodes every two-byte code in a block of a double-byte codec, skipping holes."""
    chars = set()
    for lead in leads:
        for trail in trails:
            try:
                char = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if "\u4e00" <= char <= "\u9fff":
                chars.add(char)
    return frozenset(chars)


@cache
def gb2312_common() -> frozenset[str]:
    """Returns GB2312 level-1 hanzi, the core of any simplified Chinese text."""
    return _decode_rows("gb2312", range(0xB0, 0xD8), list(range(0xA1, 0xFF)))


@cache
def gb2312_all() -> frozenset[str]:
    """Returns all GB2312 hanzi (levels 1 and 2)."""
    return gb2312_common() | _decode_rows("gb2312", range(0xD8, 0xF8), list(range(0xA1, 0xFF)))


@cache
def big5_common() -> frozenset[str]:
    """Returns Big5 level-1 hanzi, the core of any traditional Chinese text."""
    trails = list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF))
    return _decode_rows("big5", range(0xA4, 0xC7), trails)


@cache
def simplified_only() -> frozenset[str]:
    """Returns common hanzi that only simplified text uses (这, 们, 发 …)."""
    return gb2312_common() - big5_common()


@cache
def traditional_only() -> frozenset[str]:
    """Returns common hanzi that only traditional text uses (這, 們, 發 …)."""
    return big5_common() - gb2312_all()
