"""Canonical URLs: one spelling per page."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.provisional import urls

from crawler.urls import canonical_url


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
