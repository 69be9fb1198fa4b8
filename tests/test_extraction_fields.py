"""Field readers on their own: dates, bylines, breadcrumbs, language."""

from __future__ import annotations

import pytest

from pipelines.extraction.byline import Byline, read_credits, read_labels, split_names
from pipelines.extraction.dates import parse_date
from pipelines.extraction.lang import detect_lang


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2021-04-28 10:16:16 来源:河源日报", "2021-04-28T10:16:16+08:00"),
        ("2016年12月21日", "2016-12-21T00:00:00+08:00"),
        ("发布时间：2023-12-01 14:43", "2023-12-01T14:43:00+08:00"),
        ("2024年5月22日週三 上午8:21", "2024-05-22T08:21:00+08:00"),
        ("2024年5月20日週一 下午2:05", "2024-05-20T14:05:00+08:00"),
        ("更新时间 2012年12月10日, 格林尼治标准时间10:41", "2012-12-10T10:41:00+00:00"),
        ("2012-12-10T09:24:01+00:00", "2012-12-10T09:24:01+00:00"),
        ("2023-11-02T20:13:00Z", "2023-11-02T20:13:00+00:00"),
        ("2023-07-20T22:15:00-0400", "2023-07-20T22:15:00-04:00"),
        ("2020/10/04 15:05:21", "2020-10-04T15:05:21+08:00"),
        ("11 05 2024 09:36:26", "2024-05-11T09:36:26+08:00"),
        ("2005.08.2605:39", "2005-08-26T05:39:00+08:00"),
        ("2021-01-20 04:29:4439健康网", "2021-01-20T04:29:44+08:00"),
        ("１９９８年１０月１日", "1998-10-01T00:00:00+08:00"),
    ],
)
def test_dates(text, iso):
    assert parse_date(text).iso() == iso


@pytest.mark.parametrize("text", ["2021-02-30", "第2024期", "2024-13-01", "3小时前", "", "12:30"])
def test_not_dates(text):
    assert parse_date(text) is None


def test_compact_dates_only_when_asked():
    assert parse_date("/html/20170427/1.html") is None
    assert parse_date("/html/20170427/1.html", compact=True).iso() == "2017-04-27T00:00:00+08:00"


@pytest.mark.parametrize(
    ("line", "authors", "source", "editor"),
    [
        ("来源：新华网 作者：张三 责任编辑：李四", ["张三"], "新华网", "李四"),
        ("作者：王乐文、方敏　来源：人民日报", ["王乐文", "方敏"], "人民日报", None),
        ("[作者: 刘满仓 责任编辑: 杨丹宇 ]", ["刘满仓"], None, "杨丹宇"),
        ("文丨政能亮特约评论员 韩涵", ["韩涵"], None, None),
        ("文/栗思", ["栗思"], None, None),
        ("（责任编辑：胡永秋、杨光宇）", [], None, "胡永秋 杨光宇"),
    ],
)
def test_labelled_bylines(line, authors, source, editor):
    byline = Byline()
    read_labels(line, byline)
    assert (byline.authors, byline.source, byline.editor) == (authors, source, editor)


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        ("新华社乌鲁木齐5月9日电（记者邹伟）中共中央政治局常委", ["邹伟"]),
        ("新华社北京5月19日电（刘艺、杨吉）中国科学院专家", ["刘艺", "杨吉"]),
        ("北京商报讯（记者 岳品瑜 董晗萱）5月20日", ["岳品瑜", "董晗萱"]),
        ("〔記者巫其倫／台北報導〕財政部今天下午", ["巫其倫"]),
        ("新华社记者邹多为、唐诗凝、丁乐", ["邹多为", "唐诗凝", "丁乐"]),
        ("北京青年报记者了解到，项目将以基层社区为重点", []),
        ("■灯火璀璨的市区夜景 本报记者 冯晓铭 摄", []),
    ],
)
def test_reporter_credits(text, authors):
    byline = Byline()
    read_credits(text, byline)
    assert byline.authors == authors


def test_names_split_on_every_separator():
    assert split_names("张三、李四 王五,赵六") == ["张三", "李四", "王五", "赵六"]


@pytest.mark.parametrize(
    ("text", "declared", "lang"),
    [
        ("这是简体中文的新闻报道，说明了发电企业的经营情况。", None, "zh"),
        ("這是繁體中文的新聞報導，說明了發電企業的經營情況。", "zh-CN", "zh-Hant"),
        ("这是简体中文的新闻报道，说明了发电企业的经营情况。", "en", "zh"),
        ("The grid operator said demand reached a record.", "en-US", "en"),
        ("東京電力は本日、電力需給の見通しについて発表しました。", None, "ja"),
    ],
)
def test_language(text, declared, lang):
    assert detect_lang(text, declared) == lang


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("By Jane Smith, Reuters", ["Jane Smith", "Reuters"]),
        ("Jane Smith and Li Wei", ["Jane Smith", "Li Wei"]),
        ("张三、李四 王五", ["张三", "李四", "王五"]),
    ],
)
def test_latin_names_keep_their_spaces(value, names):
    assert split_names(value, strict=False) == names
