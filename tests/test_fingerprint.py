"""Fingerprints and the relation between two texts: pure functions, checked on the demo corpus's register."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.demoweb.stories import load_stories
from pipelines.fingerprint import (
    PERMUTATIONS,
    estimate_jaccard,
    fingerprint,
    kept_text,
    minhash,
    normalise,
    passages,
    shingles,
)
from pipelines.similarity import Text, Thresholds, earlier, relate

PARAGRAPHS = [p for story in load_stories() for p in story["paragraphs"]]


def text(body: str, published: str | None = None) -> Text:
    return Text(shingles(kept_text(passages(body), set())), published)


def test_normalising_folds_width_punctuation_and_case() -> None:
    assert (
        normalise("停电时间４.８５小时，同比下降ＡＢ！")
        == normalise("停电时间4.85小时,同比下降ab!")
        == "停电时间485小时同比下降ab"
    )


def test_passages_are_sentences_and_short_ones_are_not_indexed() -> None:
    found = passages("近日，东江供电局召开迎峰度夏动员会，部署保供电工作。好！\n第二段开头的一句话比较长一些。")
    assert [h != 0 for h, _ in found] == [True, False, True]
    assert found[0][1].endswith("保供电工作")


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(PARAGRAPHS), st.sampled_from(PARAGRAPHS))
def test_minhash_estimates_the_jaccard_of_the_shingle_sets(first: str, second: str) -> None:
    a, b = shingles(normalise(first)), shingles(normalise(second))
    exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    assert abs(estimate_jaccard(minhash(a), minhash(b)) - exact) < 5 / PERMUTATIONS**0.5  # five standard errors


@given(st.sampled_from(PARAGRAPHS))
def test_a_fingerprint_depends_only_on_the_text(paragraph: str) -> None:
    one, two = fingerprint(passages(paragraph)), fingerprint(passages(paragraph.replace("，", ",")))
    assert one == two
    assert len(one.bands) == 16


def test_boilerplate_passages_are_left_out_of_the_shingles() -> None:
    body = "东江供电局完成农网改造工程惠及群众一万余人。本网所刊登新闻版权所有未经授权禁止转载使用。"
    parts = passages(body)
    without = fingerprint(parts, {parts[1][0]})
    assert without.shingles == len(shingles(parts[0][1]))
    assert without.passages == fingerprint(parts).passages  # still indexed, so it can be counted


def test_a_copy_with_a_paragraph_dropped_and_a_word_changed_is_near() -> None:
    story = load_stories()[0]["paragraphs"]
    copy = [p.replace("服务", "工作", 1) for i, p in enumerate(story) if i != 2]
    relation = relate(text("\n".join(copy)), text("\n".join(story)), Thresholds())
    assert relation is not None
    assert relation.kind == "near"
    assert 0.6 < relation.of_theirs < 1


def test_a_release_inside_a_longer_text_is_contained_whichever_arrives_first() -> None:
    release, others = "\n".join(PARAGRAPHS[:3]), "\n".join(PARAGRAPHS[40:48])
    roundup = f"{others}\n{release}"
    ahead = relate(text(roundup, "2020-01-02T10:00:00+08:00"), text(release, "2020-01-01T10:00:00+08:00"), Thresholds())
    behind = relate(
        text(release, "2020-01-01T10:00:00+08:00"), text(roundup, "2020-01-02T10:00:00+08:00"), Thresholds()
    )
    assert ahead is not None
    assert behind is not None
    assert (ahead.kind, behind.kind) == ("contains", "within")
    assert ahead.of_theirs == behind.of_mine == 1.0


def test_publication_order_tells_a_cut_copy_from_a_quotation() -> None:
    release, cut = "\n".join(PARAGRAPHS[:6]), "\n".join(PARAGRAPHS[:2])
    later = relate(text(cut, "2020-01-05T08:00:00+08:00"), text(release, "2020-01-01T10:00:00+08:00"), Thresholds())
    unknown = relate(text(cut), text(release), Thresholds())
    assert later is not None
    assert unknown is not None
    assert (later.kind, unknown.kind) == ("near", "within")


def test_different_stories_sharing_a_paragraph_are_unrelated() -> None:
    shared = PARAGRAPHS[0]
    one, two = "\n".join([shared, *PARAGRAPHS[10:16]]), "\n".join([shared, *PARAGRAPHS[20:26]])
    assert relate(text(one), text(two), Thresholds()) is None


def test_a_bare_date_only_orders_days() -> None:
    assert earlier("2021-04-28T10:16:00+08:00", "2021-04-29T00:00:00+08:00")
    assert not earlier("2021-04-29T00:00:00+08:00", "2021-04-29T15:22:10+08:00")
    assert not earlier("2021-04-29T09:00:00+08:00", None)
    assert earlier("2021-04-29T09:00:00+08:00", "2021-04-29T09:30:00+08:00")
