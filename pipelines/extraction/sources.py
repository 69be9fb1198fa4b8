"""Unlabelled bylines: "2024-05-20 14:33·新华社", "上報快訊／范姜佳鈺", a lone "中国新闻网".

Many templates print the source without a 来源 label, next to or on the dateline; what is left
of a dateline once its date is removed, or a short organisation name beside it, is the source.
"""

from __future__ import annotations

import re

from .blocks import Block
from .boilerplate import is_furniture
from .byline import Byline, split_names
from .dates import parse_date, strip_dates
from .dom import class_id
from .text import nfkc
from .title import title_parts

# Platforms print the poster's IP location: "发布于北京", "来自甘肃", "IP属地：广东".
_PLACES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南"
    "|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|內蒙古|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|海外"
)
_NOISE = re.compile(
    rf"(?:来自|來自|发布于|發佈於|IP属地|IP屬地)\s*[:：]?\s*(?:(?:{_PLACES})(?:省|市|自治区)?|\S*)"
    r"|(?:官方账号|官方帳號|官方帐号|账号|帳號)$"
    r"|(?:发布时间|發佈時間|发表时间|更新时间|更新時間|时间|時間|日期|发布|發布)\s*[:：]?"
    r"|(?:阅读|閱讀|浏览|瀏覽|点击|點擊|评论|評論)(?:量|数|次数)?\s*[:：]?\s*\d*"
)
_SPLIT = re.compile(r"\s*[·•|丨/]\s*|\s+")
_DISPATCH = re.compile(r"(?:快讯|快訊|讯|訊|报道|報導|消息)$")
_ORG = re.compile(
    r"(?:网|網|社|报|報|台|臺|新闻|新聞|日报|日報|周刊|週刊|杂志|雜誌|频道|頻道|客户端"
    r"|财经|財經|时报|時報|晚报|晚報|早报|商报|中文网|在线|传媒|傳媒|媒体|观察|电视|電視|广播|廣播)$"
)
_SOURCE_NAMES = re.compile(r"source|from|laiyuan|origin|media|(?:^|[-_ ])ly(?:$|[-_ ])")
_AUTHOR_NAMES = re.compile(r"author|writer|zuozhe|byline")
_LABELLED = re.compile(r"(?:来源|來源|作者|记者|記者|编辑|編輯)\s*[:：]")
_ORG_CHARS = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9·\-]{2,20}$")


def unlabelled_byline(zone: list[Block], byline: Byline) -> None:
    """Fills source (and an author after a slash) from class names, datelines and lone names."""
    for block in zone:
        if byline.source:
            return
        names = class_id(block.node)
        text = nfkc(block.text).strip()
        if len(text) > 30 or is_furniture(text):
            continue
        if _AUTHOR_NAMES.search(names):
            found = split_names(text, strict=False)
            if found:
                byline.add_authors(found)
                continue
        if _SOURCE_NAMES.search(names) or _AUTHOR_NAMES.search(names):
            byline.source = _org(re.sub(r"^(?:来源|來源)\s*[:：]?", "", text))
    plain = [block for block in zone if block.link_density <= 0.5]
    for position, block in enumerate(plain):
        if byline.source:
            return
        if parse_date(block.text) and len(block.text) <= 80:
            _read_dateline(block.text, byline)
            if not byline.source:
                byline.source = _neighbour_org(plain, position)


def _read_dateline(text: str, byline: Byline) -> None:
    """Reads what a dateline prints besides its date: a source, perhaps "source／author"."""
    if _LABELLED.search(text):
        return  # labelled values were read already; the rest is tools and counters
    rest = _NOISE.sub(" ", strip_dates(text))
    parts = [part.strip(" :：,，()（）[]【】") for part in _SPLIT.split(rest)]
    parts = [part for part in parts if part and not is_furniture(part)]
    for position, part in enumerate(parts):
        names = split_names(part) if position else []
        if names:
            byline.add_authors(names)
        elif not byline.source:
            byline.source = _org(_DISPATCH.sub("", part))


def _neighbour_org(zone: list[Block], position: int) -> str | None:
    """Returns a lone organisation name printed just before or after the dateline."""
    for other in (position - 1, position + 1):
        if 0 <= other < len(zone):
            text = nfkc(zone[other].text).strip()
            if _ORG.search(text) and _org(text):
                return text
    return None


def _org(text: str) -> str | None:
    """Returns text when it can be an organisation name: short, no sentence, not a number."""
    text = text.strip()
    if not _ORG_CHARS.match(text) or text.isdigit() or is_furniture(text):
        return None
    return text


def site_name(head_title: str, headline: str | None, declared: str | None) -> str | None:
    """Returns the site's own name: og:site_name, else the organisation part of the <title>."""
    if declared and _org(nfkc(declared)):
        return declared.strip()
    parts = [part for part in title_parts(head_title) if part != headline]
    if len(parts) == len(title_parts(head_title)) or not parts:
        return None  # the <title> does not carry the headline, so its parts are not site names
    named = [part for part in parts if _ORG.search(part) and _org(part)]
    return named[-1] if named else _org(parts[-1])
