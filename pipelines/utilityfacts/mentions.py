"""Where a text names a utility, refers back to one (该局, 我市), or names a place."""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .organisations import CITY, LEVELS, Gazetteer, Org

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters that end a name when read leftwards from a suffix: function words, not place names.
STOP = set(
    "的在由是和与及向对为了据从将把被到让给等也都已并而且或其该各每这那此共近约于以即就还再又同跟"
    "走进赴入至经受及由把给帮助联合携手牵头配合指导协调组织推动要求请邀前往来自属隶"
)
_ADMIN = "市县区"
_ALIAS_DECL = re.compile(r"[（(](?:以下简称|下称|以下称|简称)[“\"‘']?([^）)”\"’']{2,14})[”\"’']?[）)]")
_BARE_COMPANY_OK = set("年月日来中后内外间期时")
# Characters before 县 that make 全县, 本县, 我县… a reference, not a county's name.
_NOT_A_COUNTY = set("全本我某每各此该其")
# A run ending in a measure word counts utilities (三家供电公司, 两个供电所); it names none.
_COUNTING = set("个家座名位批")


@dataclass(frozen=True)
class Mention:
    """A span that points at a utility: by name (org), by reference (self/city/province) or by place."""

    start: int
    end: int
    role: str
    org: Org | None
    word: str


def find_mentions(text: str, gaz: Gazetteer, extra: dict, places: frozenset) -> list[Mention]:
    """Finds every utility-related mention in one text, longest and most specific first."""
    orgs = _drop_overlaps(_known(text, gaz) + _declared(text, extra))
    orgs = _merge_chain(text, _drop_overlaps(orgs + _unknown(text, gaz, orgs)), gaz)
    taken = _Spans(orgs)
    others = _references(text, gaz, taken) + _places(text, gaz, places, taken)
    return sorted(orgs + others, key=lambda m: m.start)


def declared_aliases(text: str, mentions: list[Mention]) -> dict:
    """Reads "(下称河源供电局)" after a name so the short form counts as that utility."""
    orgs = [x for x in mentions if x.role == "org"]
    ends = [x.end for x in orgs]
    out = {}
    for m in _ALIAS_DECL.finditer(text):
        i = bisect_right(ends, m.start()) - 1
        if i >= 0 and m.start() - ends[i] <= 1:
            out[m.group(1).strip()] = orgs[i].org
    return out


def _known(text: str, gaz: Gazetteer) -> list[Mention]:
    """Matches gazetteer names and aliases in one pass."""
    out = []
    for m in gaz.names.finditer(text):
        org = gaz.orgs.get(gaz.aliases.get(m.group()))
        if org is not None:
            out.append(Mention(m.start(), m.end(), "org", org, m.group()))
    return out


def _declared(text: str, extra: dict) -> list[Mention]:
    """Finds the article's own declared short names."""
    out: list[Mention] = []
    for written, org in extra.items():
        start = text.find(written)
        while start >= 0 and len(out) < 500:
            out.append(Mention(start, start + len(written), "org", org, written))
            start = text.find(written, start + len(written))
    return out


def _unknown(text: str, gaz: Gazetteer, known: list[Mention]) -> list[Mention]:
    """Recognises utilities missing from the gazetteer by a place name before a utility suffix."""
    out, spans = [], _Spans(known)
    for m in gaz.suffixes.finditer(text):
        if spans.overlaps(m.start(), m.start() + 1):
            continue
        floor = spans.last_end_before(m.start())
        found = _name_before(text, m.start(), floor, gaz)
        if found is None:
            continue
        start, stem = found
        written = text[start : m.end()]
        out.append(Mention(start, m.end(), "org", _unknown_org(written, stem, m.group()), written))
    return out


def _name_before(text: str, end: int, floor: int, gaz: Gazetteer):
    """Reads the place name written before a suffix; None when it is a generic word."""
    i = end
    while i > max(floor, end - 8) and _CJK.match(text[i - 1]) and text[i - 1] not in STOP:
        i -= 1
    run = text[i:end]
    admin = run[-1] if run and run[-1] in _ADMIN else ""
    stem = _stem(run[:-1] if admin else run, gaz)
    if admin == "县" and len(stem) == 1 and stem not in _NOT_A_COUNTY:
        stem, admin = stem + admin, ""  # 歙县, 萧县: a one-character county keeps its 县
    if len(stem) < 2 or stem[-1] in _COUNTING or stem in gaz.generic or gaz.generic_tail.search(stem):
        return None
    return end - len(stem) - len(admin), stem


def _stem(base: str, gaz: Gazetteer) -> str:
    """Picks the place name at the end of a run: a known long name, else the last two characters."""
    m = gaz.long_place_tail.search(base)
    return m.group() if m else base[-2:]


def _unknown_org(written: str, stem: str, suffix: str) -> Org:
    """Builds an entity for an unknown utility; the key groups its written variants."""
    family = "所" if suffix.endswith("所") or suffix.endswith("中心") else ("局" if suffix.endswith("局") else "公司")
    if family == "所":
        level = LEVELS["station"]
    elif "县" in written or suffix in ("供电分局",):
        level = LEVELS["county"]
    else:
        level = CITY
    return Org(written, stem, level, None, key=f"{stem}|{family}")


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keeps the longer of two overlapping names (国网西江供电公司 over 国网), in one sweep."""
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda x: (x.start, -(x.end - x.start))):
        if kept and m.start < kept[-1].end:
            if m.end - m.start > kept[-1].end - kept[-1].start:
                kept[-1] = m
            continue
        kept.append(m)
    return kept


def _merge_chain(text: str, mentions: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """Reads 广东电网有限责任公司河源供电局 (or 南方电网广东东莞供电局) as the bureau."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        gap = text[prev.end : m.start] if prev and prev.end <= m.start else None
        joined = gap is not None and (gap == "" or gap.rstrip("省市") in gaz.place_names)
        if joined and prev and prev.org and m.org and m.org.level > prev.org.level:
            org = m.org
            if org.key is not None and org.parent is None:
                region = prev.org.region if org.level > CITY and prev.org.region else org.region
                # 国网X供电公司 is the official short name of a State Grid city company.
                name = "国网" + org.name if prev.word == "国网" else org.name
                org = Org(name, region, org.level, prev.org.name, org.key)
            out[-1] = Mention(prev.start, m.end, "org", org, m.word)
        else:
            out.append(m)
    return out


def _references(text: str, gaz: Gazetteer, taken: "_Spans") -> list[Mention]:
    """Finds 该局 / 我市 / 全省 outside names; a bare 公司 counts only where it starts a phrase."""
    out = []
    for m in gaz.reference_words.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        word = m.group()
        if (
            word == "公司"
            and m.start() > 0
            and _CJK.match(text[m.start() - 1])
            and text[m.start() - 1] not in _BARE_COMPANY_OK
        ):
            continue
        out.append(Mention(m.start(), m.end(), gaz.references[word], None, word))
    return out


def _places(text: str, gaz: Gazetteer, places: frozenset, taken: "_Spans") -> list[Mention]:
    """Finds city and province names, plus the article's own unknown places, outside names."""
    out = [
        Mention(m.start(), m.end(), "place", None, m.group())
        for m in gaz.region_names.finditer(text)
        if not taken.overlaps(m.start(), m.end())
    ]
    for place in places:
        start = text.find(place)
        while start >= 0 and len(out) < 1000:
            if not taken.overlaps(start, start + len(place)):
                out.append(Mention(start, start + len(place), "place", None, place))
            start = text.find(place, start + len(place))
    return out


class _Spans:
    """Non-overlapping spans searchable by bisection, so long texts stay linear-time."""

    def __init__(self, mentions: list[Mention]):
        """Sorts the spans once so each lookup is a bisection."""
        ordered = sorted((m.start, m.end) for m in mentions)
        self.starts = [a for a, _ in ordered]
        self.ends = [b for _, b in ordered]
        self.sorted_ends = sorted(self.ends)

    def overlaps(self, start: int, end: int) -> bool:
        """Tells whether [start, end) overlaps a span."""
        i = bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start

    def last_end_before(self, pos: int) -> int:
        """Returns the largest span end at or before pos, or 0."""
        i = bisect_right(self.sorted_ends, pos)
        return self.sorted_ends[i - 1] if i else 0
