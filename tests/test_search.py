"""Full-text search: Chinese words of any length, phrases, ranking, snippets, and bad queries in one line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import Crawl, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database
from test_archive import article
from test_cli import assert_one_line_error

from archive.db import Archive, open_archive
from archive.fts import CREATE, MERGES, TABLE, _segment_long, _segment_short, fold_width, query_phrase, segment
from archive.query import QueryError, escape_query, parse_query
from archive.records import delete_article, record_article
from archive.schema import migrations
from archive.search import search, snippet
from archive.selection import Selection
from pipelines.clean import content_hash

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.one_of(HAN, st.sampled_from("，。、")), min_size=2, max_size=40), data=st.data())
def test_every_substring_of_two_or_more_characters_is_found(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 2))
    word = text[start : data.draw(st.integers(start + 2, len(text)))]
    phrase = query_phrase(word)
    if phrase is None:  # only punctuation and spaces: nothing to look for
        return
    conn = sqlite3.connect(":memory:")
    conn.execute(CREATE)
    conn.execute(f"INSERT INTO {TABLE} (rowid, title, body) VALUES (1, '', ?)", [segment(text)])
    assert conn.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ?", [phrase]).fetchall() == [(1,)], phrase


def test_a_two_character_query_is_not_found_across_punctuation() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(CREATE)
    conn.execute(f"INSERT INTO {TABLE} (rowid, title, body) VALUES (1, '', ?)", [segment("停。电网")])
    found = conn.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH ?", [query_phrase("停电")]).fetchone()
    assert found == (0,)


MIXED = st.one_of(
    HAN,
    st.characters(min_codepoint=0x3400, max_codepoint=0x3402),  # the block before the main one
    st.characters(min_codepoint=0x20000, max_codepoint=0x20002),  # beyond the Basic Multilingual Plane
    st.sampled_from("，。、 \n\tａＺ０kV-_é〇ぁ가"),
    st.characters(max_codepoint=0x7F),
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=MIXED, max_size=400))
def test_short_and_long_texts_are_segmented_into_the_same_words(text: str) -> None:
    folded = fold_width(text)
    if folded:
        assert _segment_long(folded).split() == _segment_short(folded).split()
    assert segment(text).split() == _segment_short(folded).split()


@pytest.mark.parametrize(
    ("left_by", "merges"), [("m013_search_index_default_merges", 32), ("m015_search_index_merges_8", 4)]
)
def test_an_upgraded_archive_merges_its_index_segments_8_at_a_time(tmp_path: Path, left_by: str, merges: int) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before=left_by)
    for option in MERGES:  # as m012 (32) or m013 (FTS5's 4) left archives
        db.execute(f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('{option}', {merges})")
    db.close()
    config = dict(open_archive(path).db.execute(f"SELECT k, v FROM {TABLE}_config"))
    assert {option: config[option] for option in MERGES} == MERGES == {"automerge": 8, "crisismerge": 16}


def test_segmentation_keeps_latin_words_and_folds_full_width() -> None:
    assert segment("１１０ｋＶ变电站").split() == ["110kV", "变电", "电站", "站"]
    assert query_phrase("客户 满意度") == '"客户 户满 满意 意度"'
    assert query_phrase("电") == '"电"*'


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("停电 电网", '("停电" AND "电网")'),
        ('"客户 满意度"', '"客户 户满 满意 意度"'),
        ("停电 OR 断电", '("停电" OR "断电")'),
        ("停电 -演练", '("停电" NOT "演练")'),
        ("(停电 OR 断电) 抢修", '(("停电" OR "断电") AND "抢修")'),
    ],
)
def test_queries_become_fts5_expressions(query: str, match: str) -> None:
    assert parse_query(query).match == match


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query"),
        ('"停电', "unbalanced quote"),
        ("OR", "OR needs a word"),
        ("停电 OR", "OR needs a word on each side"),
        ("AND 停电", "AND needs a word"),
        ("-演练", "NOT needs a word"),
        ("(停电", "unbalanced parenthesis"),
        ("停电 )", "unexpected"),
        ("，。！", "nothing to look for"),
        ('""', "holds no word"),
    ],
)
def test_bad_queries_raise_a_reason(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(query)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from('停电 "()-*ORANDNOT:^，。a'), max_size=20))
def test_any_query_either_runs_or_raises_query_error(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(CREATE)
    try:
        match = parse_query(text).match
    except QueryError:
        match = None
    for expression in filter(None, [match, escape_query(text)]):
        conn.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ?", [expression]).fetchall()


def store(archive: Archive, url: str, title: str, body: str) -> int:
    item = article(url, body)
    item.title, item.content_hash = title, content_hash(body)
    with archive.batch():
        return record_article(archive.db, item, None).article_id


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    archive = open_archive(tmp_path / "a.db")
    store(archive, "http://a.test/1", "迎峰度夏保供电", "今年夏天电网负荷创新高，全市没有发生一起拉闸限电。")
    store(archive, "http://a.test/2", "停电检修通知", "因电网检修需要，部分线路计划停电。停电期间请用户做好准备。")
    store(
        archive, "http://a.test/3", "供电服务满意度第一", "客户满意度测评中，该局以86.4分排名第一，实现连续九年第一。"
    )
    return archive


def titles(archive: Archive, text: str, **selection: str) -> list[str]:
    return [hit.title for hit in search(archive.db, parse_query(text), Selection(**selection))]


def test_two_character_words_and_phrases_are_found_and_ranked(archive: Archive) -> None:
    assert titles(archive, "停电") == ["停电检修通知"]
    assert titles(archive, "满意") == ["供电服务满意度第一"]
    assert set(titles(archive, "电网")) == {"迎峰度夏保供电", "停电检修通知"}
    assert titles(archive, "电网 检修") == ["停电检修通知"]
    assert titles(archive, '"连续九年第一"') == ["供电服务满意度第一"]
    assert titles(archive, "连续十年") == []
    # the headline word counts more than the same word in a body
    assert titles(archive, "供电")[0] in {"迎峰度夏保供电", "供电服务满意度第一"}
    assert titles(archive, "供电 OR 停电") == titles(archive, "停电 OR 供电")


def test_snippets_show_the_original_text_with_the_words_marked(archive: Archive) -> None:
    (hit,) = search(archive.db, parse_query("停电"), Selection())
    assert hit.snippet.startswith("因电网检修需要，部分线路计划«停电»。«停电»期间")
    assert snippet("a" * 200 + "停电" + "b" * 200, ("停电",), width=40).startswith("…aaaaaaaaaa«停电»")


def test_the_index_follows_updates_and_deletes(archive: Archive) -> None:
    article_id = store(archive, "http://a.test/2", "抢修通知", "因线路抢修需要，部分用户暂时中断供电。")
    assert titles(archive, "停电") == []
    assert titles(archive, "抢修") == ["抢修通知"]
    with archive.batch():
        delete_article(archive.db, article_id)
    assert titles(archive, "抢修") == []
    assert archive.db.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH '\"供电\"'").fetchone() == (2,)


def test_filters_narrow_the_hits(archive: Archive) -> None:
    assert titles(archive, "电网", site="elsewhere") == []
    assert len(titles(archive, "电网", since="2024-01-01", until="2024-01")) == 2
    assert titles(archive, "电网", until="2023-12-31") == []


def test_search_command_on_a_crawl(demo_crawl: Crawl) -> None:
    for word in ("停电", "电网", "满意"):
        result = run_cli("search", word, "--db", str(demo_crawl.db_path), "--format", "json")
        assert result.returncode == 0, result.stderr
        hits = [json.loads(line) for line in result.stdout.splitlines()]
        assert hits, word
        assert all(f"«{word}»" in hit["snippet"] or word in hit["title"] for hit in hits)
        assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    text = run_cli("search", "供电 满意度", "--db", str(demo_crawl.db_path), "--limit", "2")
    assert text.returncode == 0
    assert text.stdout.count("http://") == 2


@pytest.mark.parametrize("query", ['"停电', "OR", "停电 AND", "", "(((", "NOT 停电"])
def test_bad_queries_on_the_command_line_give_one_line(demo_crawl: Crawl, query: str) -> None:
    assert_one_line_error(run_cli("search", query, "--db", str(demo_crawl.db_path)))


def test_more_and_headline_occurrences_rank_higher(tmp_path: Path) -> None:
    archive = open_archive(tmp_path / "rank.db")
    once = "今天上午部分线路停电，其余线路运行正常，各项工作有序推进。"
    thrice = "今天上午部分线路停电，停电区域很快恢复，停电原因正在调查。"
    store(archive, "http://a.test/once", "线路检修", once)
    store(archive, "http://a.test/thrice", "线路抢修", thrice)
    store(archive, "http://a.test/headline", "计划停电通知", once)
    assert titles(archive, "停电") == ["计划停电通知", "线路抢修", "线路检修"]
    assert titles(archive, "停电", until="2023") == []
    archive.close()
