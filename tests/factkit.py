"""One-call helpers for fact tests, so each sentence test reads as one line."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pipelines.utilityfacts import Fact, find_facts


def facts_of(
    body: str, title: str | None = None, published_at: str = "2021-06-30", kind: str | None = None
) -> list[Fact]:
    """find_facts on a text, optionally keeping one kind."""
    return [f for f in find_facts(title, body, published_at) if kind is None or f.kind == kind]


def values_of(body: str, kind: str, title: str | None = None, published_at: str = "2021-06-30") -> list[float]:
    """The values of one kind, rounded so that unit conversions compare cleanly."""
    return sorted(round(float(f.value), 4) for f in facts_of(body, title, published_at, kind))


INT_KINDS = {"satisfaction_rank", "satisfaction_streak"}
PUNCT = re.compile(r"[\s\"'“”‘’()（）\[\]【】《》<>·・,，.。、:：;；!！?？_\-—―/]+")


def norm_subject(subject: str | None) -> str:
    """The subject as the shared scorer compares it."""
    text = PUNCT.sub("", unicodedata.normalize("NFKC", subject or "").lower())
    return text.replace("有限责任公司", "公司").replace("有限公司", "公司").replace("市", "").replace("省", "")


def matches(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Same kind, value within 1 % (integers exact), subject equal or one containing the other."""
    if pred["kind"] != gold["kind"]:
        return False
    value, expected = float(pred["value"]), float(gold["value"])
    if gold["kind"] in INT_KINDS and value != expected:
        return False
    if abs(value - expected) > 0.01 * abs(expected):
        return False
    p = norm_subject(pred.get("subject"))
    names = [gold.get("subject"), *(gold.get("subject_aliases") or [])]
    return bool(p) and any((g := norm_subject(n)) and (g in p or p in g) for n in names)


def score(cases: list[tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]) -> tuple[float, float]:
    """Micro precision and recall over (predicted, gold, skipped) per article; skipped ones never count."""
    tp = fp = fn = 0
    for predicted, gold, skipped in cases:
        left = list(gold)
        for fact in predicted:
            hit = next((g for g in left if matches(fact, g)), None)
            if hit is not None:
                left.remove(hit)
                tp += 1
            elif not any(matches(fact, s) for s in skipped):
                fp += 1
        fn += len(left)
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)
