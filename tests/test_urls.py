"""Canonical URLs: one spelling per page."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.provisional import urls

from crawler.urls import UrlRules, canonical_url

RULES = UrlRules(
    hosts=("www.example.cn", "m.example.cn", "example.cn"),
    index_files=("index.html",),
    drop_params=("page",),
    keep_params=("from",),
    rewrite=((re.compile(r"/print/(\d+)\.html$"), r"/news/\1.html"),),
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://WWW.Example.CN:80/a/b.html", "http://www.example.cn/a/b.html"),
        ("https://example.cn:443/x?b=2&a=1", "https://example.cn/x?a=1&b=2"),
        ("http://example.cn/x.html#comments", "http://example.cn/x.html"),
        (
            "http://example.cn/x.html?utm_source=wx&spm=1.2&id=7&from=timeline",
            "http://example.cn/x.html?id=7",
        ),
        ("http://example.cn:8080/新闻/1.html", "http://example.cn:8080/%E6%96%B0%E9%97%BB/1.html"),
        ("http://example.cn", "http://example.cn/"),
    ],
)
def test_canonical_forms(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@given(urls())
def test_canonicalising_twice_changes_nothing(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once


@given(
    st.sampled_from(["utm_medium", "spm", "from", "fbclid"]),
    st.text(alphabet="abc123", min_size=1, max_size=5),
)
def test_tracking_parameters_never_make_a_new_url(name: str, value: str) -> None:
    base = "http://www.dlzx.test/news/202104/27/10002.html"
    assert canonical_url(f"{base}?{name}={value}") == canonical_url(base)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.example.cn/news/1.html",
        "http://M.EXAMPLE.CN:80/news/1.html#top",
        "http://example.cn/news/1.html?utm_source=wx&page=2",
        "http://m.example.cn/print/1.html",
    ],
)
def test_site_rules_give_every_spelling_of_a_page_one_url(url: str) -> None:
    assert canonical_url(url, RULES) == "http://www.example.cn/news/1.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.example.cn/news/index.html", "http://www.example.cn/news/"),
        ("http://www.example.cn/news/index.html?id=3", "http://www.example.cn/news/?id=3"),
        ("http://www.example.cn/list.php?id=3&from=a", "http://www.example.cn/list.php?from=a&id=3"),
        ("http://other.example.cn/news/index.html", "http://other.example.cn/news/"),
        ("http://www.example.cn/index.html.bak", "http://www.example.cn/index.html.bak"),
    ],
)
def test_site_rules_keep_what_names_a_page(url: str, expected: str) -> None:
    assert canonical_url(url, RULES) == expected


def test_a_site_can_fold_http_into_https() -> None:
    rules = UrlRules(scheme="https")
    assert canonical_url("http://www.example.cn:80/a.html", rules) == "https://www.example.cn/a.html"
    assert canonical_url("https://www.example.cn:443/a.html", rules) == "https://www.example.cn/a.html"


@given(urls())
def test_canonicalising_twice_with_site_rules_changes_nothing(url: str) -> None:
    once = canonical_url(url, RULES)
    assert canonical_url(once, RULES) == once
