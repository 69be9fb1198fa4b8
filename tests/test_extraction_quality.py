"""Quality floor: the dev-set scores may only go up; a change that lowers one fails here.

Floors live in tests/quality_floor.toml (odd pages, even pages, all); the metrics are the dev
set's own score.py, loaded from ../shared/devset.
"""

from __future__ import annotations

import importlib.util
import json
import tomllib
from pathlib import Path

import pytest
from conftest import DEVSET

from pipelines.extraction import extract_article

FLOORS = tomllib.loads(Path(__file__).with_name("quality_floor.toml").read_text(encoding="utf-8"))["extraction"]
pytestmark = pytest.mark.skipif(not (DEVSET / "score.py").exists(), reason="dev set not present")


def _scorer():
    spec = importlib.util.spec_from_file_location("devset_score", DEVSET / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(score, labels: list[dict], articles: dict) -> dict[str, float]:
    rows = {"title": [], "date": [], "author": [], "body": []}
    for gold in labels:
        article = articles[gold["file"]]
        if gold.get("title"):
            rows["title"].append(score.nows(article.title) == score.nows(gold["title"]))
        if gold.get("publish_time"):
            rows["date"].append(score.to_date(article.published_at) == score.to_date(gold["publish_time"]))
        wanted = [score.nows(x) for x in (gold.get("author"), gold.get("source")) if x]
        if wanted:
            found = [score.nows(x) for x in [*article.authors, article.source] if x]
            rows["author"].append(any(c in w or w in c for c in found for w in wanted))
        rows["body"].append(score.bag_prf(score.tokens(article.body), score.tokens(gold["content"]))[2])
    return {key: sum(values) / len(values) for key, values in rows.items()}


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    score = _scorer()
    labels = [json.loads(line) for line in (DEVSET / "labels.jsonl").read_text().splitlines() if line]
    halves = {
        "odd": [g for g in labels if int(g["file"][:3]) % 2],
        "even": [g for g in labels if not int(g["file"][:3]) % 2],
        "all": labels,
    }
    articles = {g["file"]: extract_article((DEVSET / "pages" / g["file"]).read_bytes()) for g in labels}
    return {name: _score(score, part, articles) for name, part in halves.items()}


@pytest.mark.parametrize("half", ["odd", "even", "all"])
@pytest.mark.parametrize("metric", ["title", "date", "author", "body"])
def test_dev_set_stays_above_floor(scores, half, metric):
    assert scores[half][metric] >= FLOORS[half][metric] - 1e-9, scores[half]
