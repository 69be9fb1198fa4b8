"""The city an article is set in, for 全市 / 我市 in a story about a 供电所 or a county bureau."""

import re

from .mentions import STOP
from .organisations import CITY, Gazetteer, Org

# 东江地区, 东江市 (市场 is a market, not a city).
_CITY_WORD = re.compile(r"地区|市(?!场)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters that may end the word before a city name: dates (2018年6月东江地区) and function words.
_BOUNDARY = STOP | set("年月日")


def city_places(text: str, gaz: Gazetteer) -> list[str]:
    """Lists the city names the text writes as X市 or X地区, in order, skipping generic words."""
    out = []
    for m in _CITY_WORD.finditer(text):
        name = _name_before(text, m.start(), gaz)
        if name is not None:
            out.append(name)
    return out


def city_utility(names: list[str], gaz: Gazetteer, named: list[Org], naming: tuple[str, str]) -> Org | None:
    """The utility of the most written city: known, named in the article, or its bureau by the article's naming."""
    if not names:
        return None
    city = max(dict.fromkeys(names), key=names.count)
    known = gaz.by_region(city, CITY)
    if known is not None:
        return known
    for org in named:
        if org.region == city and org.level == CITY:
            return org
    prefix, family = naming
    suffix = "供电局" if family == "局" else "供电公司"
    return Org(prefix + city + suffix, city, CITY, None, key=f"{city}|{family}")


def _name_before(text: str, end: int, gaz: Gazetteer) -> str | None:
    """Reads a whole place word before end: a long place name, or two characters after a word boundary."""
    head = text[max(0, end - 5) : end]
    long_name = gaz.long_place_tail.search(head)
    name = long_name.group() if long_name else text[max(0, end - 2) : end]
    start = end - len(name)
    if len(name) < 2 or not all(_CJK.match(ch) and ch not in STOP for ch in name):
        return None
    if start > 0 and _CJK.match(text[start - 1]) and text[start - 1] not in _BOUNDARY:
        return None
    return None if name in gaz.generic or name in gaz.generic_places else name
