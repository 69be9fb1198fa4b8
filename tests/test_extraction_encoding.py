"""decode_html: BOM, headers, meta, and detection when declarations lie."""

from __future__ import annotations

import pytest

from pipelines.extraction import decode_html, extract_article

TEXT = "河源供电局供电服务满意度连续九年位居全市政府公共服务评价第一位，以贴心优质高效服务当好电保姆。"
TRAD = "日本企業5月信心保持穩定，但日圓疲弱推高成本損害利潤，製造業及服務業反映成本上升。"


def html(body: str, charset: str) -> str:
    return f'<html><head><meta charset="{charset}"><title>t</title></head><body><p>{body}</p></body></html>'


def test_gbk_page_under_lying_utf8_header_decodes(page):
    text, encoding = decode_html(page("heyuan_gbk.html"), {"Content-Type": "text/html; charset=utf-8"})
    assert encoding == "gb18030"
    assert "河源供电局供电服务满意度" in text


def test_utf8_page_declaring_gb2312_decodes(page):
    text, encoding = decode_html(page("ep18_utf8_declared_gb2312.html"))
    assert encoding == "utf-8"
    assert "东莞供电客户满意度实现六连冠" in text


def test_big5_page_decodes(page):
    text, encoding = decode_html(page("big5_traditional.html"))
    assert encoding == "big5hkscs"
    assert "財政部今天下午將公佈" in text


@pytest.mark.parametrize("declared", ["utf-8", "gbk", "iso-8859-1", "windows-1252"])
def test_big5_bytes_win_over_any_declaration(declared):
    _, encoding = decode_html(html(TRAD, declared).encode("big5"))
    assert encoding == "big5hkscs"


@pytest.mark.parametrize("label", ["gb2312", "GBK", "x-gbk", "gb_2312-80", "cp936"])
def test_gb_family_always_decodes_as_gb18030(label):
    raw = html(TEXT + "𠀀", label).encode("gb18030")  # a GB18030-only ideograph
    text, encoding = decode_html(raw, {"content-type": f"text/html; charset={label}"})
    assert encoding == "gb18030"
    assert "𠀀" in text


def test_header_keys_are_case_insensitive():
    raw = html(TEXT, "utf-8").replace('<meta charset="utf-8">', "").encode("gbk")
    assert decode_html(raw, {"CONTENT-TYPE": "text/html;charset=GBK"})[1] == "gb18030"


def test_latin1_header_over_gbk_bytes_is_overruled():
    raw = html(TEXT, "iso-8859-1").encode("gbk")
    text, encoding = decode_html(raw, {"Content-Type": "text/html; charset=ISO-8859-1"})
    assert (encoding, TEXT in text) == ("gb18030", True)


def test_real_latin1_page_stays_latin1():
    text, encoding = decode_html(html("café résumé naïve", "iso-8859-1").encode("latin-1"))
    assert (encoding, "café" in text) == ("cp1252", True)


@pytest.mark.parametrize(
    ("bom", "codec"), [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]
)
def test_bom_decides(bom, codec):
    raw = bom + html(TEXT, "gbk").encode(codec)
    text, encoding = decode_html(raw, {"Content-Type": "text/html; charset=gbk"})
    assert (encoding, TEXT in text) == (codec, True)


def test_truncated_utf8_tail_still_utf8():
    raw = html(TEXT, "gb2312").encode("utf-8")[:-20]
    raw = raw[: raw.index(TEXT[-8].encode()) + 1]  # cut inside a multi-byte character
    assert decode_html(raw)[1] == "utf-8"


@pytest.mark.parametrize("raw", [b"", b"\x00", b"\xff" * 10, b"<meta charset='nonsense'>\xa4\xa4"])
def test_never_raises(raw):
    text, encoding = decode_html(raw)
    assert isinstance(text, str)
    assert encoding


def test_article_reports_the_encoding_used(page):
    assert extract_article(page("heyuan_gbk.html")).encoding == "gb18030"
