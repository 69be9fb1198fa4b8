"""Fact quality on three annotated corpora, against floors in quality_floor.toml that may only go up."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from factcorpus import heldout1, heldout2
from factkit import matches, score
from storycheck import UNITS

from crawler.demoweb.stories import load_stories
from pipelines.utilityfacts import find_facts

FLOOR = tomllib.loads((Path(__file__).parent / "quality_floor.toml").read_text(encoding="utf-8"))["facts"]


def predicted(title: str, body: str, published_at: str) -> list[dict[str, Any]]:
    return [f.to_dict() for f in find_facts(title, body, published_at)]


def heldout_cases() -> list[tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]:
    def gold(rows: list[tuple[str, str, float]], aliases: dict[str, list[str]]) -> list[dict[str, Any]]:
        return [{"kind": k, "subject": s, "value": v, "subject_aliases": aliases.get(s, [])} for k, s, v in rows]

    return [
        (
            predicted(a["title"], a["body"], a["published_at"]),
            gold(a["facts"], a.get("aliases", {})),
            gold(a["skipped"], a.get("aliases", {})),
        )
        for a in heldout1.ARTICLES + heldout2.ARTICLES
    ]


def demo_cases() -> list[tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]:
    return [
        (predicted(s["title"], "\n".join(s["paragraphs"]), str(s["published"])), s["facts"], s.get("non_facts", []))
        for s in load_stories()
    ]


@pytest.mark.parametrize(("corpus", "cases"), [("heldout", heldout_cases), ("demo", demo_cases)])
def test_precision_and_recall_stay_above_the_floor(corpus: str, cases: Any) -> None:
    precision, recall = score(cases())
    print(f"facts on {corpus}: precision {precision:.3f} recall {recall:.3f}")
    assert precision >= FLOOR[corpus]["precision"]
    assert recall >= FLOOR[corpus]["recall"]


def test_every_fact_kind_has_a_unit_the_schema_names() -> None:
    facts = [f for predicted_facts, _, _ in demo_cases() for f in predicted_facts]
    assert {f["kind"] for f in facts} == set(UNITS)
    assert all(f["unit"] == UNITS[f["kind"]] for f in facts)


def test_years_of_matched_demo_facts_stay_above_the_floor() -> None:
    agree = total = 0
    for predicted_facts, gold, _ in demo_cases():
        for fact in gold:
            hit = next((p for p in predicted_facts if matches(p, fact)), None)
            if hit is not None and fact.get("year") is not None:
                total += 1
                agree += hit["year"] == fact["year"]
    print(f"years on demo: {agree}/{total}")
    assert agree / total >= FLOOR["demo"]["year"]
