"""The gazetteer of grid organisations: entities, their hierarchy, aliases and regions."""

import re
from dataclasses import dataclass, field

from .trie import trie_regex

LEVELS = {"group": 0, "province": 1, "city": 2, "county": 3, "station": 4}
CITY, PROVINCE = LEVELS["city"], LEVELS["province"]


@dataclass(frozen=True)
class Org:
    """A utility as an entity; unknown ones carry the key their written forms share."""

    name: str
    region: str | None
    level: int
    parent: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Gazetteer:
    """Known organisations plus the rules that recognise unknown ones."""

    orgs: dict
    aliases: dict
    names: re.Pattern
    regions: dict
    region_names: re.Pattern
    references: dict
    reference_words: re.Pattern
    suffixes: re.Pattern
    generic: frozenset
    generic_tail: re.Pattern
    long_place_tail: re.Pattern
    place_names: frozenset = field(default_factory=frozenset)
    generic_places: frozenset = field(default_factory=frozenset)

    def ancestor(self, start: Org, level: int) -> Org | None:
        """Climbs the hierarchy to the given level, so 我市 from a county bureau means its city."""
        org: Org | None = start
        seen = 0
        while org is not None and org.level > level and seen < 8:
            org = self.orgs.get(org.parent) if org.parent else None
            seen += 1
        return org if org is not None and org.level == level else None

    def by_region(self, region: str, level: int | None = None) -> Org | None:
        """Finds the utility serving a city or province named in the text."""
        candidates = self.regions.get(region, ())
        for org in candidates:
            if level is None or org.level == level:
                return org
        return None


def build_gazetteer(data: dict) -> Gazetteer:
    """Compiles [[org]], [references] and [unknown] tables into lookups and one name regex."""
    orgs = {}
    for spec in data.get("org", []):
        org = Org(
            spec["name"], spec.get("region") or None, LEVELS.get(spec.get("level"), CITY), spec.get("parent") or None
        )
        orgs[org.name] = org
    aliases = _aliases(data.get("org", []), orgs)
    regions: dict = {}
    for org in sorted(orgs.values(), key=lambda o: o.level):
        if org.region and org.level >= PROVINCE:
            regions.setdefault(org.region, []).append(org)
    refs = data.get("references", {})
    references = {w: role for role in ("self", "city", "province") for w in refs.get(role, [])}
    unknown = data.get("unknown", {})
    long_places = sorted(unknown.get("long_places", []), key=len, reverse=True)
    multi = [g for g in unknown.get("generic", []) if len(g) > 1]
    return Gazetteer(
        orgs=orgs,
        aliases=aliases,
        names=re.compile(trie_regex(aliases)),
        regions={k: tuple(v) for k, v in regions.items()},
        region_names=re.compile(trie_regex(regions)),
        references=references,
        reference_words=re.compile(trie_regex(references)),
        suffixes=re.compile(
            "|".join(sorted(map(re.escape, unknown.get("suffixes", [])), key=len, reverse=True)) or r"(?!x)x"
        ),
        generic=frozenset(unknown.get("generic", [])),
        generic_tail=_tail(multi),
        long_place_tail=_tail(long_places),
        place_names=frozenset(regions) | frozenset(long_places),
        generic_places=frozenset(unknown.get("generic_places", [])),
    )


def _aliases(specs: list, orgs: dict) -> dict:
    """Maps every written form to its canonical name; explicit aliases beat generated ones."""
    explicit: dict = {}
    for spec in specs:
        for written in [spec["name"], *spec.get("aliases", [])]:
            for variant in _paren_variants(written):
                explicit.setdefault(variant, spec["name"])
    generated: dict = {}
    for org in orgs.values():
        for written in _generated(org):
            generated.setdefault(written, set()).add(org.name)
    for written, owners in generated.items():
        # A generated form two cities could claim names neither.
        if written not in explicit and len(owners) == 1:
            explicit[written] = next(iter(owners))
    return explicit


def _generated(org: Org) -> list[str]:
    """Writes the informal forms of a city utility: 河源电网, 河源供电, 河源市供电局."""
    if org.level != CITY or not org.region:
        return []
    forms = [org.region + "电网", org.region + "供电"]
    at = org.name.find(org.region)
    if at >= 0:
        cut = at + len(org.region)
        forms.append(org.name[:cut] + "市" + org.name[cut:])
    return forms


def _paren_variants(text: str) -> list[str]:
    """Accepts both half- and full-width brackets, as sites mix them."""
    half = text.replace("（", "(").replace("）", ")")
    full = text.replace("(", "（").replace(")", "）")
    return list(dict.fromkeys([text, half, full]))


def _tail(words: list) -> re.Pattern:
    """Compiles "ends with one of these words", longest first."""
    if not words:
        return re.compile(r"(?!x)x")
    return re.compile("(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")$")
