"""Who a figure is about: the utility named nearest before it, else the article's own utility."""

from bisect import bisect_left, bisect_right
from collections import Counter
from functools import cached_property

from .cities import city_places, city_utility
from .mentions import Mention, declared_aliases, find_mentions
from .organisations import CITY, PROVINCE, Gazetteer, Org

# How far before a figure its subject may be named; bounds the work on run-on "sentences".
_REACH = 300


class Article:
    """Utility mentions of one article and the utility it is about."""

    def __init__(self, gaz: Gazetteer, title: str, body: str):
        """Finds mentions in both texts, reading declared short names, then picks the main utility."""
        self.gaz = gaz
        title_m = find_mentions(title, gaz, {}, frozenset())
        body_m = find_mentions(body, gaz, {}, frozenset())
        extra = {**declared_aliases(title, title_m), **declared_aliases(body, body_m)}
        places = frozenset(
            m.org.region
            for m in title_m + body_m
            if m.role == "org" and m.org and m.org.key and m.org.level <= CITY + 1 and m.org.region
        )
        places = places - gaz.place_names
        if extra or places:
            title_m = find_mentions(title, gaz, extra, places)
            body_m = find_mentions(body, gaz, extra, places)
        self.canon = _shortest_forms(title_m + body_m)
        self.title_mentions, self.body_mentions = title_m, body_m
        self.main = self._main(title_m, body_m)
        self._texts = (title, body)

    def canonical(self, org: Org) -> Org:
        """Gives an unknown utility its shortest written form in this article."""
        if org.key is None:
            return org
        best = self.canon.get(org.key, org)
        return Org(best.name, org.region, org.level, org.parent or best.parent, org.key)

    def resolve(self, m: Mention) -> Org | None:
        """Turns a mention into the utility it denotes, or None when it denotes none we know."""
        if m.role == "org" and m.org is not None:
            return self.canonical(m.org)
        if m.role == "place":
            return self._place(m.word)
        if self.main is None:
            return None
        if m.role == "self":
            return self.main
        if m.role in ("city", "province"):
            level = CITY if m.role == "city" else PROVINCE
            if self.main.level <= level:
                return self.main
            above = self.gaz.ancestor(self.main, level)
            if above is None and level == CITY:
                above = self.city
            return above or self.main
        return None

    @cached_property
    def city(self) -> Org | None:
        """The utility of the city the article is set in, for 我市 when the gazetteer cannot climb to it."""
        names = [name for text in self._texts for name in city_places(text, self.gaz)]
        named = [self.canonical(o) for o in self.canon.values()]
        written = [n for o in [self.main, *named] if o is not None for n in (o.name, o.parent or "")]
        family = "局" if any(n.endswith("局") for n in written) else "公司"
        # State Grid writes its city companies 国网X供电公司; an article naming 国网 units follows that.
        prefix = "国网" if family == "公司" and any(n.startswith("国网") for n in written) else ""
        return city_utility(names, self.gaz, named, (prefix, family))

    def subject_before(
        self, mentions: list, sentence_start: int, value_start: int, trigger_start: int, use_places: bool
    ) -> Org | None:
        """Takes the nearest utility named before the figure; places count only before its trigger."""
        limit = min(value_start, trigger_start)
        floor = max(sentence_start, value_start - _REACH)
        for i in range(bisect_right(mentions, value_start, key=lambda x: x.start) - 1, -1, -1):
            m = mentions[i]
            if m.start < floor:
                break
            if m.end > value_start:
                continue
            if m.role not in ("org", "self") and (not use_places or m.end > limit):
                continue
            org = self.resolve(m)
            if org is not None:
                return org
        return None

    def named_after(self, mentions: list, value_end: int, limit: int) -> Mention | None:
        """Returns the first utility named after the figure, before limit (…第一位，这是X连续9年夺魁)."""
        for i in range(bisect_left(mentions, value_end, key=lambda x: x.start), len(mentions)):
            m = mentions[i]
            if m.start >= limit:
                return None
            if m.role in ("org", "self") and self.resolve(m) is not None:
                return m
        return None

    def _place(self, region: str) -> Org | None:
        """Maps a place name to its utility, preferring the article's own utility."""
        main = self.main
        if main is not None and main.region == region and main.level <= CITY:
            return main
        known = self.gaz.by_region(region)
        if known is not None:
            return known
        for org in self.canon.values():
            if org.region == region:
                return self.canonical(org)
        return main if main is not None and main.region == region else None

    def _main(self, title_m: list, body_m: list) -> Org | None:
        """Picks the title's first utility, else its place's utility, else the body's most named."""
        for m in title_m:
            if m.role == "org":
                return self.canonical(m.org)
        for m in title_m:
            if m.role == "place" and self.gaz.by_region(m.word, CITY):
                return self.gaz.by_region(m.word, CITY)
        counts = Counter(self.canonical(m.org).name for m in body_m if m.role == "org")
        if not counts:
            return None
        top = max(counts.values())
        first = next(m for m in body_m if m.role == "org" and counts[self.canonical(m.org).name] == top)
        return self.canonical(first.org)


def _shortest_forms(mentions: list) -> dict:
    """Groups an unknown utility's variants (国网西江供电公司, 西江供电公司) under its shortest."""
    best: dict = {}
    for m in mentions:
        org = m.org
        if m.role != "org" or org.key is None:
            continue
        old = best.get(org.key)
        if old is None or len(org.name) < len(old.name):
            parent = org.parent or (old.parent if old else None)
            best[org.key] = Org(org.name, org.region, org.level, parent, org.key)
        elif org.parent and not old.parent:
            best[org.key] = Org(old.name, old.region, old.level, org.parent, old.key)
    return best
