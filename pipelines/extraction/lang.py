"""The language of the article text, trusting the text over a template's lang attribute."""

from __future__ import annotations

import re

from .charsets import simplified_only, traditional_only
from .text import cjk_count

_KANA = re.compile("[\u3040-\u30ff]")
_HANGUL = re.compile("[\uac00-\ud7af]")
_LATIN = re.compile("[A-Za-z]")
_ENGLISH = re.compile(r"\b(?:the|and|of|to|in|that|is|was|for|with)\b", re.I)
_HANT_TAGS = re.compile(r"^zh[-_](?:hant|tw|hk|mo)", re.I)
_SAMPLE = 5_000
_MIN_EVIDENCE = 3


def detect_lang(text: str, declared: str | None) -> str | None:
    """Returns "zh", "zh-Hant", "ja", "ko" from the text, else the declared primary tag."""
    sample = text[:_SAMPLE]
    han = cjk_count(sample)
    kana, hangul = len(_KANA.findall(sample)), len(_HANGUL.findall(sample))
    latin = len(_LATIN.findall(sample))
    if kana >= 5 and kana * 10 >= han:
        return "ja"
    if hangul > max(20, han):
        return "ko"
    if han and han * 4 >= latin:
        return chinese_script(sample, declared)
    if declared:
        return _primary(declared)
    return "en" if len(_ENGLISH.findall(sample)) >= _MIN_EVIDENCE else None


def chinese_script(text: str, declared: str | None) -> str:
    """Tells simplified ("zh") from traditional ("zh-Hant") by script-specific hanzi."""
    simp, trad = simplified_only(), traditional_only()
    n_simp = sum(1 for char in text if char in simp)
    n_trad = sum(1 for char in text if char in trad)
    if n_trad >= _MIN_EVIDENCE and n_trad > 2 * n_simp:
        return "zh-Hant"
    if n_simp >= _MIN_EVIDENCE or not declared:
        return "zh"
    return "zh-Hant" if _HANT_TAGS.match(declared) else "zh"


def _primary(declared: str) -> str | None:
    """Returns the primary subtag of a language tag ("en-US" → "en")."""
    tag = declared.strip().split("-")[0].split("_")[0].lower()
    return tag if tag.isalpha() and 2 <= len(tag) <= 3 else None
