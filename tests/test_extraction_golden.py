"""Golden pages: hand-made pages that each exercise the rules of one kind of page."""

from __future__ import annotations

import pytest

from pipelines.extraction import Article, Image, extract_article
from pipelines.extraction.boilerplate import is_furniture

BOILERPLATE = [
    "京ICP备",
    "ICP备",
    "版权所有",
    "在线投稿",
    "投稿信箱",
    "用户名",
    "密码",
    "验证码",
    "热点排行",
    "相关新闻",
    "编辑推荐",
    "推荐阅读",
    "A- A+",
    "网站首页",
    "安全生产",
    "蹄疾步稳",
    "分享到",
    "责任编辑",
]


def assert_clean(article: Article) -> None:
    """No boilerplate line, caption or staff credit reached the body."""
    for marker in BOILERPLATE:
        assert marker not in article.body, marker
    for line in article.body.splitlines():
        assert not line.startswith("■"), line
        assert not line.endswith("摄"), line


def test_gbk_seed_page_under_lying_header(page):
    article = extract_article(
        page("heyuan_gbk.html"),
        "http://www.hyrb.cn/html/20210428/1.html",
        {"Content-Type": "text/html; charset=utf-8"},
    )
    assert article.title == "河源供电局供电服务满意度连续九年位居全市政府公共服务评价第一位"
    assert article.subtitle == "以贴心优质高效服务当好“电保姆”"
    assert article.published_at == "2021-04-28T10:16:16+08:00"
    assert article.source == "河源日报"
    assert article.section == "深度报道"
    assert article.is_article
    assert article.reason is None
    assert article.body.startswith("核心提示\n近日，广东省省情调查研究中心公布了")
    assert article.body.endswith("更融洽了供用电关系。")
    assert_clean(article)


def test_captions_go_to_images(page):
    article = extract_article(page("heyuan_gbk.html"), "http://www.hyrb.cn/html/20210428/1.html")
    assert article.images == [
        Image("http://www.hyrb.cn/uploads/2021/0428/a.jpg", "■客户经理走访用户"),
        Image("http://www.hyrb.cn/uploads/2021/0428/f.jpg", "■灯火璀璨的市区夜景 本报记者 冯晓铭 摄"),
    ]
    assert "冯晓铭" not in article.authors  # a photographer, credited under a caption


def test_staff_credits_are_not_body_but_name_the_reporters(page):
    article = extract_article(page("heyuan_gbk.html"))
    assert "统筹" not in article.body
    assert "组稿" not in article.body
    assert article.authors == ["黄欣", "徐猛", "张慧雯"]


def test_utf8_seed_page_declaring_gb2312(page):
    article = extract_article(page("ep18_utf8_declared_gb2312.html"))
    assert article.encoding == "utf-8"
    assert article.title == "东莞供电客户满意度实现六连冠成绩斐然"
    assert article.published_at == "2016-12-21T00:00:00+08:00"
    assert article.section == "企业风采"
    assert article.authors == ["许思雅", "袁绮雯"]
    assert article.editor == "张媛媛"
    assert "日前，广东省省情调查研究中心公布" in article.body
    assert article.body.endswith("业扩报装远程渠道。")
    assert_clean(article)


def test_editor_is_never_an_author(page):
    article = extract_article(page("editor_not_author.html"))
    assert article.authors == ["王乐文", "方敏"]
    assert article.editor == "胡永秋 杨光宇"
    assert article.source == "人民日报"
    assert article.published_at == "2024-05-10T06:58:00+08:00"
    assert article.section == "经济·科技"
    assert "胡永秋" not in article.body


def test_big5_traditional_page(page):
    article = extract_article(page("big5_traditional.html"))
    assert article.title == "是你嗎？ 1-2月期發票千萬獎開出18張"
    assert article.lang == "zh-Hant"
    assert article.authors == ["巫其倫"]
    assert article.published_at == "2020-04-01T10:29:51+08:00"
    assert article.section == "財經政策"
    assert "版權所有" not in article.body
    assert "All Rights Reserved" not in article.body


def test_gmt_dateline_keeps_its_zone(page):
    article = extract_article(page("utc_dateline.html"))
    assert article.published_at == "2012-12-10T22:41:47+00:00"  # not 2012-12-11 in Beijing time
    assert article.source == "BBC中文网"


def test_explicit_negative_offset_is_kept(page):
    assert extract_article(page("negative_offset.html")).published_at == "2023-07-20T22:15:00-04:00"


def test_dates_in_scripts_and_related_links_are_ignored(page):
    article = extract_article(page("dates_in_scripts.html"))
    assert article.published_at is None
    assert "2017" not in article.body
    assert "相关新闻" not in article.body


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.example.cn/politics/2023-12/01/content_1.html", "2023-12-01T00:00:00+08:00"),
        ("http://www.example.cn/html/20170427/n1.html", "2017-04-27T00:00:00+08:00"),
        ("http://www.example.cn/2019/03/05/a.shtml", "2019-03-05T00:00:00+08:00"),
    ],
)
def test_dated_url_is_the_last_resort(page, url, expected):
    assert extract_article(page("dates_in_scripts.html"), url).published_at == expected


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("list_page.html", "list_page"),
        ("not_found_200.html", "not_found_page"),
        ("empty_shell.html", "no_content"),
    ],
)
def test_pages_without_an_article(page, name, reason):
    article = extract_article(page(name))
    assert (article.is_article, article.reason) == (False, reason)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\x00\x01\x02" * 100, "binary"),
    ],
)
def test_empty_and_binary_bodies(raw, reason):
    article = extract_article(raw)
    assert (article.is_article, article.reason) == (False, reason)


OVERRIDES = {
    "title": "h1.title::text",
    "author": "//div[@class='text']/p[2]/text()",
    "source": "div.no-such-element",
    "editor": "(//div[@class='editor'])[1]",
    "section": "div.crumb a:nth-of-type(2)::text",
    "published_at": "//div[@class='info']/span[1]/text()",
}


def test_overrides_win_field_by_field(page):
    generic = extract_article(page("ep18_utf8_declared_gb2312.html"))
    article = extract_article(page("ep18_utf8_declared_gb2312.html"), overrides=OVERRIDES)
    assert article.title == "东莞供电客户满意度实现六连冠成绩斐然"
    assert article.authors == ["许思雅", "袁绮雯"]
    assert article.editor == "张媛媛"
    assert article.section == "专题"  # the override's choice, not the generic 企业风采
    assert article.published_at == "2016-12-21T00:00:00+08:00"
    assert article.source == generic.source  # matched nothing: generic value stands
    assert article.body == generic.body


def test_override_for_body_replaces_only_the_body(page):
    article = extract_article(page("editor_not_author.html"), overrides={"body": "div.rm_txt_con p:nth-of-type(2)"})
    assert article.body.startswith("5月9日，国务院新闻办举行")
    assert "\n" not in article.body
    assert article.title == "在新时代中部地区崛起中争先出彩"


def test_broken_override_falls_back(page):
    article = extract_article(page("editor_not_author.html"), overrides={"title": "h1[[[", "author": "//*["})
    assert article.title == "在新时代中部地区崛起中争先出彩"
    assert article.authors == ["王乐文", "方敏"]


def test_table_layout_with_br_paragraphs(page):
    article = extract_article(page("table_layout_gb2312.html"))
    assert article.encoding == "gb18030"
    assert article.title == "市供电局全力优化电力营商环境"
    assert article.published_at == "2022-03-15T00:00:00+08:00"
    assert article.source == "市供电局办公室"
    assert len(article.body.splitlines()) == 4
    assert "ICP" not in article.body
    assert "浏览次数" not in article.body


def test_related_box_inside_article_does_not_end_it(page):
    article = extract_article(page("related_mid_article.html"))
    lines = article.body.splitlines()
    assert len(lines) == 4
    assert lines[-1].startswith("下一步")
    assert "国家能源局部署" not in article.body
    assert "网友评论" not in article.body
    assert "点赞" not in article.body  # reader comments are not the article


def test_lead_paragraph_beside_the_content_joins_it(page):
    article = extract_article(page("lead_beside_content.html"))
    assert article.body.startswith("导语：省电网公司日前召开年度工作会议")
    assert article.body.endswith("满意电。")
    assert "分享到" not in article.body


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("不用抽 不用搶 現在用APP看新聞 保證天天中獎 點我下載APP 按我看活動辦法", True),
        ("平台声明：该文观点仅代表作者本人，搜狐号系信息发布平台，搜狐仅提供信息存储空间服务。", True),
        ("京ICP备13053787号-1", True),
        ("A- A+", True),
        ("发布于：北京市", True),
        ("市民可下载南网APP查询每日用电量，并通过微信、支付宝等进行缴费。", False),
        ("据统计，我市用电非现金缴费率已经从2012年的30%达到了如今的99%。", False),
    ],
)
def test_furniture_lines(line, furniture):
    assert is_furniture(line) is furniture


def test_text_input_is_accepted():
    text = "这是字符串输入的正文内容，应当能够正常处理。这是第二句话。"
    html = f"<html><body><h1>标题文字测试</h1><p>{text}</p></body></html>"
    article = extract_article(html)
    assert article.body == "这是字符串输入的正文内容，应当能够正常处理。这是第二句话。"
    assert article.encoding == "utf-8"
