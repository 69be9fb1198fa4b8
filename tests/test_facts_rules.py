"""Cross-cutting rules: numbers, subjects, years, evidence, one fact per (kind, subject, value)."""

import pytest
from factkit import facts_of

from pipelines.utilityfacts import find_facts, load_vocabulary
from pipelines.utilityfacts.numerals import parse_number, parse_quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("九", 9),
        ("十七", 17),
        ("两", 2),
        ("二十三", 23),
        ("一百零五", 105),
        ("二〇二〇", 2020),
        ("1,357.7", 1357.7),
        ("９９", 99),
        ("47.14", 47.14),
        ("十", 10),
        ("六", 6),
    ],
)
def test_numbers(text, value):
    assert parse_number(text) == value


def test_quantity_multipliers():
    assert parse_quantity("2.4万") == 24000
    assert parse_quantity("2.24万") == pytest.approx(22400)
    assert parse_quantity("一千二百万") == 12_000_000


@pytest.mark.parametrize(
    ("body", "kind", "value", "unit"),
    [
        ("最高负荷达到1357.7万千瓦。", "peak_load_mw", 13577, "MW"),
        ("全社会用电量804.12亿千瓦时。", "consumption_gwh", 80412, "GWh"),
        ("城市客户平均停电时间3.536分钟。", "outage_hours", 0.0589, "hours"),
        ("低压居民两个工作日内完成装表接电。", "connection_days", 2, "days"),
        ("全年完成电网投资88.04亿元。", "investment_cny", 8_804_000_000, "CNY"),
        ("全市售电量达到45321万千瓦时。", "consumption_gwh", 453.21, "GWh"),
        ("最大负荷5230兆瓦。", "peak_load_mw", 5230, "MW"),
        ("客户满意度实现十七连冠。", "satisfaction_streak", 17, "years"),
    ],
)
def test_units_normalised(body, kind, value, unit):
    found = facts_of(body, "国网南京供电公司", kind=kind)
    assert found
    assert found[0].unit == unit
    assert float(found[0].value) == pytest.approx(value, rel=1e-3)


def test_pronouns_resolve_to_article_utility():
    body = "据悉，在地方政府公共服务评价中，该局已连续6年摘得桂冠。"
    (fact,) = facts_of(body, "东莞供电局再获殊荣", kind="satisfaction_streak")
    assert fact.subject == "东莞供电局"
    assert fact.region == "东莞"


def test_city_words_resolve_to_city_utility():
    body = "据统计，我市用电非现金缴费率达到了99%。"
    title = "源城供电局北郊供电所服务升级"
    (fact,) = facts_of(body, title, kind="noncash_payment_rate")
    assert fact.subject == "河源供电局"


def test_province_words_resolve_to_provincial_utility():
    body = "全省全社会用电量达7277.3亿千瓦时。"
    (fact,) = facts_of(body, "河源供电局", kind="consumption_gwh")
    assert fact.subject == "广东电网公司"


def test_short_city_form_means_that_citys_bureau():
    body = "在河源市40项具体公共服务满意度排序中，河源供电服务满意度位居全市第一位。"
    (fact,) = facts_of(body, None, kind="satisfaction_rank")
    assert fact.subject == "河源供电局"


def test_declared_alias_is_honoured():
    body = "广东电网有限责任公司东江供电局（以下简称东江局）持续优化服务。2022年，东江局全年完成电网投资12.5亿元。"
    (fact,) = facts_of(body, "广东电网公司基层动态", kind="investment_cny")
    assert fact.subject == "东江供电局"


def test_parent_prefixed_name_reads_as_child():
    body = "这是广东电网有限责任公司河源供电局连续9年在该项测评中夺魁。"
    (fact,) = facts_of(body, None, kind="satisfaction_streak")
    assert fact.subject == "河源供电局"


@pytest.mark.parametrize(
    ("written", "subject", "region"),
    [
        ("东江供电局", "东江供电局", "东江"),
        ("广东电网有限责任公司东江供电局", "东江供电局", "东江"),
        ("国网西江供电公司", "国网西江供电公司", "西江"),
        ("牡丹江供电公司", "牡丹江供电公司", "牡丹江"),
        ("国网黑龙江省电力有限公司牡丹江供电公司", "牡丹江供电公司", "牡丹江"),
    ],
)
def test_unknown_utilities_recognised_by_pattern(written, subject, region):
    body = f"2021年，{written}全年完成电网投资3.6亿元。"
    (fact,) = facts_of(body, None, kind="investment_cny")
    assert fact.subject == subject
    assert fact.region == region


def test_generic_words_are_not_utilities():
    body = "各供电局、县级供电公司积极行动。全年完成电网投资3.6亿元。"
    (fact,) = facts_of(body, "韶关供电局", kind="investment_cny")
    assert fact.subject == "韶关供电局"


def test_other_utility_named_in_clause_wins():
    body = "五省区客户平均停电时间6.2小时；其中，深圳供电局客户平均停电时间仅0.47小时。"
    found = {f.value: f.subject for f in facts_of(body, "南方电网公司发布报告", kind="outage_hours")}
    assert found == {6.2: "南方电网公司", 0.47: "深圳供电局"}


def test_year_from_survey_name():
    body = (
        "近日，《2020年广东省地方服务型政府建设系列调研报告》公布。"
        "在河源市2020年40项具体公共服务满意度排序中，河源供电服务满意度位居全市第一位。"
    )
    (fact,) = facts_of(body, None, "2021-04-28", kind="satisfaction_rank")
    assert fact.year == 2020


@pytest.mark.parametrize(
    ("body", "year"),
    [
        ("截至目前，河源地区客户年平均停电时间仅4.85小时。", 2021),
        ("今年以来，全市最高负荷达到1357.7万千瓦。", 2021),
        ("去年夏季，江苏电网最高用电负荷达到1.32亿千瓦。", 2020),
        ("2019年，全市最高负荷达到1357.7万千瓦。", 2019),
    ],
)
def test_year_rules(body, year):
    (fact,) = [f for f in facts_of(body, "国网南京供电公司", "2021-04-28") if f.kind != "satisfaction_rank"]
    assert fact.year == year


def test_year_unknown_without_date():
    (fact,) = facts_of("全市最高负荷达到1357.7万千瓦。", "国网南京供电公司", None)
    assert fact.year is None


def test_headline_and_body_make_one_fact_with_body_offsets():
    title = "南方电网广东东莞供电局：非现金缴费率达99%"
    body = "东莞供电局大力推广线上缴费。截至目前，非现金缴费率达到99%。"
    found = facts_of(body, title, kind="noncash_payment_rate")
    assert len(found) == 1
    fact = found[0]
    assert fact.start is not None
    assert body[fact.start : fact.end] == fact.evidence


def test_headline_only_fact_has_no_offsets():
    (fact,) = facts_of("", "东莞供电客户满意度实现六连冠成绩斐然", kind="satisfaction_streak")
    assert fact.start is None
    assert fact.evidence in "东莞供电客户满意度实现六连冠成绩斐然"


def test_evidence_is_exact_substring_everywhere():
    body = (
        "2023年，南京全社会用电量达到789.6亿千瓦时，同比增长6.2%。迎峰度夏期间，南京电网最高负荷四创新高，"
        "达到1526.3万千瓦。\n该公司全年完成电网投资62.3亿元，供电可靠率达到99.9952%。"
    )
    found = facts_of(body, "国网南京供电公司")
    assert len(found) == 4
    for fact in found:
        assert body[fact.start : fact.end] == fact.evidence


def test_respectively_lists_pair_by_order():
    body = "全市最高用电负荷和全社会用电量分别达到1526.3万千瓦和789.6亿千瓦时。"
    kinds = {f.kind: f.value for f in facts_of(body, "国网南京供电公司")}
    assert kinds == {"peak_load_mw": 15263, "consumption_gwh": 78960}


def test_change_alone_is_not_a_fact():
    assert facts_of("全社会用电量同比增长4.53%，最高负荷同比增长6%。", "国网南京供电公司") == []


def test_plan_paragraph_yields_nothing():
    body = (
        "下一步，该公司将继续加大投入，计划完成电网投资70亿元，力争全年供电可靠率达到99.996%以上，"
        "预计最高负荷将达到1600万千瓦。到2025年，户均停电时间降至0.5小时。"
    )
    assert facts_of(body, "国网南京供电公司", "2021-06-01") == []


def test_past_deadline_is_not_a_plan():
    body = "截止到2020年底，全市低压小微企业平均接电时间压缩至2.5个工作日。"
    found = facts_of(body, "国网南京供电公司", "2021-02-01", kind="connection_days")
    assert [f.value for f in found] == [2.5]


def test_custom_vocabulary_instance_is_used():
    voc = load_vocabulary()
    assert find_facts(None, "河源供电局全年完成电网投资88.04亿元。", None, voc)[0].value == 8_804_000_000


def test_nth_consecutive_year_is_a_streak():
    body = "在全市公共服务行业满意度测评中，该局排名第一，这也是连续第四年排名全市首位。"
    found = facts_of(body, "柳州供电局", kind="satisfaction_streak")
    assert [f.value for f in found] == [4]


def test_record_announced_after_the_load_figure():
    body = "1月27日20时，三亚电网负荷达到1058.6MW，再创历史新高。"
    found = facts_of(body, "三亚供电局", kind="peak_load_mw")
    assert [f.value for f in found] == [1058.6]


def test_load_without_record_is_not_peak():
    assert facts_of("全市可中断负荷达到35万千瓦。", "三亚供电局", kind="peak_load_mw") == []


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("今年计划完成电网投资616亿元，目前已完成投资312.5亿元。", 31_250_000_000),
        ("全年计划安排电网投资18.6亿元，截至9月底已完成14.2亿元。", 1_420_000_000),
    ],
)
def test_done_clause_ends_a_plan(body, value):
    found = facts_of(body, "国网宜昌供电公司", kind="investment_cny")
    assert [f.value for f in found] == [value]


def test_standing_figure_takes_context_from_previous_sentence():
    body = (
        "在2021年度全市公共服务行业满意度测评中，柳州供电局综合得分93.12分，排名第一。"
        "这是该局自2015年以来第七次获此殊荣，也是连续第四年排名全市首位。"
    )
    found = facts_of(body, "柳州供电局获评第一名", kind="satisfaction_streak")
    assert [f.value for f in found] == [4]
    assert found[0].evidence == "也是连续第四年排名全市首位"


def test_previous_sentence_context_needs_same_paragraph():
    body = "全市公共服务满意度测评结果公布。\n该局连续三年位居同业第一。"
    assert facts_of(body, "柳州供电局", kind="satisfaction_streak") == []


def test_other_honours_next_to_satisfaction_are_not_streaks():
    body = "江门供电局客户满意度位居全市第一。该局连续5年获评全省文明单位第一名。"
    assert facts_of(body, "江门供电局", kind="satisfaction_streak") == []


def test_link_lists_are_not_the_article():
    body = (
        "东莞供电局持续优化服务，非现金缴费率达到99%。\n热点排行\n"
        "• · 国网江苏电力2020年售电量达到5000亿千瓦时\n相关新闻：珠海供电局供电可靠率达99.99%"
    )
    found = facts_of(body, "东莞供电局")
    assert [(f.kind, f.value) for f in found] == [("noncash_payment_rate", 99)]


def test_bullet_items_are_skipped_anywhere():
    body = "• 国网江苏电力售电量达到5000亿千瓦时\n东莞供电局非现金缴费率达到99%。"
    assert [f.kind for f in facts_of(body, "东莞供电局")] == ["noncash_payment_rate"]


def test_bulleted_sentences_of_the_article_are_kept():
    body = "• 全年完成售电量98.6亿千瓦时，同比增长5%。\n• 供电可靠率达到99.98%。"
    kinds = sorted(f.kind for f in facts_of(body, "韶关供电局"))
    assert kinds == ["consumption_gwh", "reliability_rate"]


@pytest.mark.parametrize(
    ("body", "kind", "values"),
    [
        ("报装接电时间平均为7.5天，较国家要求的15天大幅缩短。", "connection_days", [7.5]),
        ("供电可靠率比上年提高0.01个百分点至99.99%。", "reliability_rate", [99.99]),
        ("国网苏州供电公司累计投入3000万元用于员工培训。", "investment_cny", []),
        ("今年以来，投入资金1.5亿元，改造老旧小区配电设施120个。", "investment_cny", [150_000_000]),
    ],
)
def test_comparisons_and_weak_investment_words(body, kind, values):
    assert [f.value for f in facts_of(body, "国网苏州供电公司", kind=kind)] == values


def test_baseline_year_word_is_not_the_figures_year():
    body = "全年户均停电时间由去年的2.1小时降至1.5小时。"
    (fact,) = facts_of(body, "国网苏州供电公司", "2022-06-01", kind="outage_hours")
    assert fact.value == 1.5
    assert fact.year == 2022


@pytest.mark.parametrize(
    ("body", "kind", "expected"),
    [
        (
            "广州供电局、深圳供电局供电可靠率分别达到99.9912%和99.9946%。",
            "reliability_rate",
            {99.9912: "广州供电局", 99.9946: "深圳供电局"},
        ),
        (
            "南京、苏州两市最高负荷分别达到1526万千瓦和2980万千瓦。",
            "peak_load_mw",
            {15260: "国网南京供电公司", 29800: "国网苏州供电公司"},
        ),
    ],
)
def test_listed_subjects_pair_with_listed_figures(body, kind, expected):
    found = {f.value: f.subject for f in facts_of(body, "国网江苏电力召开发布会", kind=kind)}
    assert found == expected


def test_place_resolves_without_an_article_utility():
    (fact,) = facts_of("郑州电网最高负荷达到1356.8万千瓦。", None, kind="peak_load_mw")
    assert fact.subject == "国网郑州供电公司"


def test_year_reaches_across_semicolons():
    body = "2021年，新疆电网最大用电负荷达到3866万千瓦；国网新疆电力售电量完成1730亿千瓦时。"
    years = {f.kind: f.year for f in facts_of(body, "国网新疆电力", "2023-03-01")}
    assert years == {"peak_load_mw": 2021, "consumption_gwh": 2021}


def test_figures_about_no_utility_are_dropped():
    body = "国家能源局发布数据，1-6月，全国全社会用电量累计43076亿千瓦时，同比增长5%。"
    assert facts_of(body, "国家能源局发布上半年全社会用电量") == []


@pytest.mark.parametrize(
    ("body", "streak"),
    [
        ("在2022年度嘉兴市公共服务满意度测评中，国网嘉兴供电公司连续8年蝉联第一。", 8),
        ("在市政府组织的行风评议中，国网绍兴供电公司连续五年蝉联榜首。", 5),
        ("在全市公共服务满意度测评中，国网丽水供电公司连续4年全市第一。", 4),
        ("珠海供电局客户满意度实现“九连冠”。", 9),
        ("汕尾供电局在全市民意调查中连续六届排名第一。", 6),
    ],
)
def test_a_streak_of_first_places_states_the_rank(body, streak):
    found = {f.kind: f.value for f in facts_of(body, None)}
    assert found == {"satisfaction_rank": 1, "satisfaction_streak": streak}


def test_a_streak_of_second_places_is_not_a_first_place():
    body = "在全市公共服务满意度测评中，国网台州供电公司连续3年蝉联第二名。"
    assert [f.value for f in facts_of(body, None, kind="satisfaction_rank")] == [2]


def test_retained_first_place_without_a_streak():
    body = "该局供电服务满意度再次蝉联全市公共服务第一。"
    assert [(f.kind, f.value) for f in facts_of(body, "珠海供电局")] == [("satisfaction_rank", 1)]


def test_utility_named_in_the_clause_that_restates_the_figure():
    body = (
        "在韶关市2021年公共服务满意度测评中，供电服务满意度位居全市第一位，"
        "此为广东电网有限责任公司韶关供电局（下称韶关供电局）第六次获此殊荣。"
    )
    (fact,) = facts_of(body, "连平供电局送电下乡", kind="satisfaction_rank")
    assert fact.subject == "韶关供电局"
    assert fact.evidence == "供电服务满意度位居全市第一位"


@pytest.mark.parametrize(
    "body",
    [
        "在全市公共服务满意度测评中，供电服务满意度位居第二，仅次于韶关供电局。",
        "在全市公共服务满意度测评中，供电服务满意度位居第二，这是继韶关供电局之后又一家获此名次的单位。",
        "在全市公共服务满意度测评中，供电服务满意度位居第二，韶关供电局负责人表示将再接再厉。",
        "在全市公共服务满意度测评中，供电服务满意度位居第二，这是韶关供电局首次位居第一后的又一佳绩。",
    ],
)
def test_utility_named_after_as_another_party_does_not_take_the_figure(body):
    found = [f for f in facts_of(body, "连平供电局送电下乡", kind="satisfaction_rank") if f.value == 2]
    assert [f.subject for f in found] == ["连平供电局"]


def test_utility_named_before_the_figure_still_wins():
    body = "在全市公共服务满意度测评中，连平供电局位居第一，这是韶关供电局所属县局首次获此殊荣。"
    (fact,) = facts_of(body, "韶关供电局新闻", kind="satisfaction_rank")
    assert fact.subject == "连平供电局"


@pytest.mark.parametrize(
    ("title", "body", "subject"),
    [
        (
            "走村入户的“电管家”",
            "早上7点半，国网歙县供电公司王村供电所客户经理汪建华骑着摩托车出了门。"
            "今年5月，黄山地区实现低压集抄全覆盖。目前，全市非现金缴费率已达97.3%。",
            "国网黄山供电公司",
        ),
        (
            "老电工的新角色",
            "2018年6月宁川地区实现低压集抄全覆盖后，梅林供电局城西供电所的抄表工转型为客户经理。"
            "目前，我市用电非现金缴费率已达96.8%。",
            "宁川供电局",
        ),
        (
            "走村入户的“电管家”",
            "宾阳供电局新桥供电所客户经理韦志强一早就来到了村委会。"
            "据了解，南宁市今年推广“南网在线”缴费，全市非现金缴费率已达98.5%。",
            "南宁供电局",
        ),
    ],
)
def test_city_words_in_a_stations_story_mean_the_citys_bureau(title, body, subject):
    (fact,) = facts_of(body, title, kind="noncash_payment_rate")
    assert fact.subject == subject


def test_no_city_written_leaves_the_stations_own_utility():
    body = "新桥供电所客户经理韦志强一早就来到了偏远山区的村委会。目前，全市非现金缴费率已达98.5%。"
    (fact,) = facts_of(body, "走村入户的“电管家”", kind="noncash_payment_rate")
    assert fact.subject == "新桥供电所"


def test_one_character_county_keeps_its_name():
    (fact,) = facts_of("2022年，国网萧县供电公司完成电网投资2.1亿元。", None, kind="investment_cny")
    assert fact.subject == "国网萧县供电公司"


@pytest.mark.parametrize(
    ("body", "published_at", "kind", "year"),
    [
        ("全县山区客户年平均停电时间已由2016年的21.6小时降至2020年的6.35小时。", "2021-05-12", "outage_hours", 2020),
        ("全市供电可靠率由2012年的99.81%提升至2021年的99.968%。", "2022-09-28", "reliability_rate", 2021),
        ("全年完成售电量301.2亿千瓦时，同比增长6.1%。", "2023-01-12", "consumption_gwh", 2022),
        ("高压客户平均接电时间为28.5天。", "2024-02-20", "connection_days", 2023),
        ("高压客户平均接电时间为28.5天。", "2024-03-20", "connection_days", 2024),
        ("1月27日20时，三亚电网负荷达到1058.6MW，再创历史新高。", "2024-01-28", "peak_load_mw", 2024),
        ("1-11月，全市全社会用电量达到352.6亿千瓦时。", "2022-01-05", "consumption_gwh", 2021),
        ("今年以来，全市最高负荷达到1357.7万千瓦。", "2024-01-20", "peak_load_mw", 2024),
        ("1月27日，三亚旅游迎来高峰。\n当日，三亚全市用电量达到1986万kWh。", "2024-01-28", "consumption_gwh", 2024),
        (
            "2021年，全市全社会用电量达到352.6亿千瓦时，是2012年189.2亿千瓦时的1.86倍；全市最高负荷达到628.4万千瓦。",
            "2022-09-28",
            "peak_load_mw",
            2021,
        ),
    ],
)
def test_year_from_reached_years_months_and_the_season_of_annual_results(body, published_at, kind, year):
    (fact,) = facts_of(body, "三亚供电局", published_at, kind=kind)
    assert fact.year == year
