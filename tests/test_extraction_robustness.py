"""Hostile input: whatever the bytes, extraction returns an Article, in bounded time."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.extraction import Article, decode_html, extract_article

TAGS = ["div", "p", "span", "a", "h1", "li", "ul", "table", "td", "br", "img", "script", "b"]
fragments = st.one_of(
    st.sampled_from([f"<{t}>" for t in TAGS] + [f"</{t}>" for t in TAGS]),
    st.sampled_from(
        [
            "来源：",
            "作者：",
            "责任编辑：",
            "2021-04-28 10:16:16",
            "2016年12月21日",
            "■",
            "本报记者 张三 摄",
            "首页 > 新闻 > 正文",
            "<meta charset='gbk'>",
            "&gt;",
            "&#0;",
            "<title>标题</title>",
            "<![CDATA[",
            "<!--",
            "-->",
            "\x00",
            "\ufffd",
        ]
    ),
    st.text(min_size=0, max_size=40),
)


def checked(result: Article) -> Article:
    # The API's catch-all is a safety net; no input should need it.
    assert getattr(result, "reason", None) != "extraction_error"
    return result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=4096),
    st.sampled_from([None, {"Content-Type": "text/html; charset=utf-8"}, {"content-type": "text/html; charset=big5"}]),
)
def test_arbitrary_bytes_never_raise(raw, headers):
    article = checked(extract_article(raw, "http://x.cn/2020/01/02/a.html", headers))
    assert isinstance(article, Article)
    assert isinstance(decode_html(raw, headers)[0], str)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(fragments, max_size=200), st.sampled_from(["utf-8", "gbk", "big5", "utf-16"]))
def test_arbitrary_markup_never_raises(parts, codec):
    raw = "".join(parts).encode(codec, "replace")
    article = checked(extract_article(raw, overrides={"title": "h1::text", "body": "//p"}))
    assert isinstance(article, Article)
    assert isinstance(article.body, str)
    assert isinstance(article.authors, list)


PATHOLOGICAL = {
    "nested-10k": "('<div>' * 10_000 + PROSE + '</div>' * 10_000).encode()",
    "unclosed-10k": "('<div><span>' * 10_000 + '未闭合的深层嵌套，').encode()",
    "huge-10MB": "('<html><body><h1>巨大的页面</h1>' + PROSE * 170_000 + '</body></html>').encode()",
    "links-300k": "('<html><body>' + '<a href=\"/x\">链接</a>' * 300_000 + '</body></html>').encode()",
    "dates-200k": "('<p>' + '2024-' * 200_000 + '</p>').encode()",
    "jsonld-nesting": (
        "(\"<html><head><script type='application/ld+json'>\" + '[' * 100_000 + '</script></head></html>').encode()"
    ),
    "text-node-30MB": "('<html><body><p>' + '字' * 10_000_000 + '</p></body></html>').encode()",
    "truncated": "'<html><body><p>中文'.encode() + b'\\xff' * 1000",
}
PROSE = "<p>这是一个用于压力测试的段落，内容足够长，带有标点符号。</p>"


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_pages_finish(name: str) -> None:
    """Each runs in a subprocess with a generous timeout: it fails only if some input makes the work blow up.

    bench/extract.py prints how long each of these takes.
    """
    code = (
        "from pipelines.extraction import extract_article\n"
        f"PROSE = {PROSE!r}\n"
        f"article = extract_article({PATHOLOGICAL[name]})\n"
        "assert article.reason != 'extraction_error', article.reason\n"
        "print('ok', article.is_article)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, check=False)
    assert result.stdout.startswith("ok"), result.stderr[-2000:]
