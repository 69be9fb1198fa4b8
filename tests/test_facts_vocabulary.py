"""The vocabulary is data: an analyst adds a kind, an organisation or a marker with TOML alone."""

from factkit import facts_of

from pipelines.utilityfacts import find_facts, load_vocabulary

LINE_LOSS = """
[kind.line_loss_rate]
unit = "percent"
value_type = "float"
triggers = ["综合线损率", "线损率"]
accept = { percent = 1 }
min = 0
max = 30

[[org]]
name = "琼中供电局"
region = "琼中"
level = "county"
parent = "海南电网公司"
aliases = ["海南电网有限责任公司琼中供电局"]

[markers]
plan_sentence = ["争创"]
"""


def _extended(tmp_path):
    path = tmp_path / "extra.toml"
    path.write_text(LINE_LOSS, encoding="utf-8")
    return load_vocabulary(path)


def test_new_kind_from_toml_is_found(tmp_path):
    voc = _extended(tmp_path)
    body = "2022年，海南电网有限责任公司琼中供电局综合线损率降至3.85%，同比下降0.32个百分点。"
    found = [f for f in find_facts(None, body, "2022-12-30", voc) if f.kind == "line_loss_rate"]
    assert [(f.value, f.unit, f.subject) for f in found] == [(3.85, "percent", "琼中供电局")]


def test_new_kind_obeys_shared_markers(tmp_path):
    voc = _extended(tmp_path)
    body = "线损率同比下降0.5%。力争明年综合线损率降至3%。"
    assert [f for f in find_facts("琼中供电局", body, "2022-12-30", voc) if f.kind == "line_loss_rate"] == []


def test_added_marker_applies(tmp_path):
    voc = _extended(tmp_path)
    body = "该局争创供电可靠率99.99%的一流水平。"
    assert list(find_facts("琼中供电局", body, None, voc)) == []


def test_bundled_vocabulary_untouched_by_extension(tmp_path):
    _extended(tmp_path)
    assert load_vocabulary().kind("line_loss_rate") is None
    assert facts_of("综合线损率降至3.85%。", "国网南京供电公司") == []


def test_bundled_vocabulary_is_loaded_once():
    assert load_vocabulary() is load_vocabulary()


def test_ten_kinds_bundled():
    names = {k.name for k in load_vocabulary().kinds}
    assert names == {
        "satisfaction_rank",
        "satisfaction_streak",
        "satisfaction_score",
        "outage_hours",
        "reliability_rate",
        "connection_days",
        "noncash_payment_rate",
        "peak_load_mw",
        "consumption_gwh",
        "investment_cny",
    }
