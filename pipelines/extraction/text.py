"""Small text helpers shared by every extractor: whitespace, character classes, counts."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORDS = re.compile(r"[A-Za-z0-9]+")
# Sentence punctuation: what prose has and menus, lists and credits lack.
PUNCTUATION = frozenset("，。！？；、：,!?;")
_PUNCTUATION = re.compile("[，。！？；、：,!?;]")
_NAME_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")


def clean(text: str | None) -> str:
    """Collapses every run of whitespace to one space and drops invisible characters."""
    if not text:
        return ""
    return _SPACES.sub(" ", text.translate(_INVISIBLE)).strip()


@lru_cache(maxsize=4096)
def nfkc(text: str) -> str:
    """Folds full-width letters, digits and colons to their plain forms (cached: each line is
    tested against several pattern families)."""
    return unicodedata.normalize("NFKC", text)


def visible_length(text: str) -> int:
    """Counts the characters a reader sees, ignoring spaces."""
    return len(text) - text.count(" ")


def cjk_count(text: str) -> int:
    """Counts hanzi, the unit of length for Chinese prose."""
    return len(_CJK.findall(text))


def word_weight(text: str) -> int:
    """Measures text as hanzi plus Latin words, comparable across scripts."""
    return cjk_count(text) + len(_WORDS.findall(text))


def punctuation_count(text: str) -> int:
    """Counts sentence punctuation marks."""
    return len(_PUNCTUATION.findall(text))


def squeeze_names(text: str) -> str:
    """Removes spaces between hanzi, which pages use to pad two-character names."""
    return _NAME_GAP.sub("", text)
