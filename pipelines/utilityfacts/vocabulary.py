"""The vocabulary as data: bundled TOML merged with an analyst's files, compiled once."""

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .numerals import NUM
from .organisations import Gazetteer, build_gazetteer

_HERE = files("pipelines.utilityfacts")  # package data, readable from a zipped egg (Scrapyd) as well as from a folder
BUNDLED = (_HERE / "vocabulary.toml", _HERE / "organisations.toml")
_NEVER = re.compile(r"(?!x)x")


@dataclass(frozen=True)
class ValuePattern:
    """A pattern that is itself the figure, as 第一 or 连续9年…夺魁 are."""

    regex: re.Pattern
    value: float | None


@dataclass(frozen=True)
class Kind:
    """One kind of fact: what announces it, what its figure looks like, what rules it out."""

    name: str
    unit: str
    integer: bool
    triggers: re.Pattern
    accept: dict
    values: tuple
    requires: re.Pattern | None
    exclude: re.Pattern | None
    exclude_after: re.Pattern | None
    max_gap: int
    after_gap: int
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Markers:
    """Words around a figure that make it a plan, a change, a baseline or a bound."""

    plan_sentence: re.Pattern
    plan_reset: re.Pattern
    plan_clause: re.Pattern
    plan_after: re.Pattern
    plan_year: tuple
    change: re.Pattern
    baseline: re.Pattern
    bound: re.Pattern
    bound_after: re.Pattern
    blockers: re.Pattern


@dataclass(frozen=True)
class Vocabulary:
    """Everything find_facts needs, compiled so that a call reads no file."""

    kinds: tuple
    units: dict
    quantity: re.Pattern
    markers: Markers
    gazetteer: Gazetteer
    tail_headings: tuple = ()
    bullets: str = ""

    def kind(self, name: str) -> Kind | None:
        """Looks a kind up by name for callers and tests."""
        return next((k for k in self.kinds if k.name == name), None)


def load_vocabulary(*extra_paths: str | Path) -> Vocabulary:
    """Merges the bundled data with an analyst's TOML files so new kinds need no Python."""
    if not extra_paths:
        return _default_vocabulary()
    return _read(*BUNDLED, *extra_paths)


@lru_cache(maxsize=1)
def _default_vocabulary() -> Vocabulary:
    """Loads the bundled data once per process; find_facts calls this on every article."""
    return _read(*BUNDLED)


def _read(*paths: str | Path | Traversable) -> Vocabulary:
    data: dict = {}
    for path in paths:
        with (Path(path) if isinstance(path, str) else path).open("rb") as fh:
            data = merge(data, tomllib.load(fh))
    return build_vocabulary(data)


def merge(base: dict, extra: dict) -> dict:
    """Merges tables key by key and appends lists, so an extra file only adds what it names."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            out[key] = old + value
        else:
            out[key] = value
    return out


def build_vocabulary(data: dict) -> Vocabulary:
    """Compiles merged TOML data into patterns and lookup tables."""
    units, quantity = _compile_units(data.get("unit", []))
    kinds = tuple(_compile_kind(name, spec) for name, spec in data.get("kind", {}).items())
    page = data.get("boilerplate", {})
    return Vocabulary(
        kinds,
        units,
        quantity,
        _compile_markers(data.get("markers", {})),
        build_gazetteer(data),
        tuple(page.get("tail_headings", [])),
        "".join(page.get("bullets", [])),
    )


def any_of(patterns) -> re.Pattern | None:
    """Joins regex strings into one alternation; None when there are none."""
    patterns = [p.replace("{num}", NUM) for p in (patterns or []) if p]
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _compile_units(specs: list) -> tuple[dict, re.Pattern]:
    """Builds one number+unit regex whose alternation tries the longest token first."""
    units, alternatives = {}, []
    for spec in specs:
        guard = f"(?!{spec['not_followed_by']})" if spec.get("not_followed_by") else ""
        for token in spec.get("tokens", []):
            units[token] = (spec["base"], float(spec.get("factor", 1)))
            alternatives.append((len(token), re.escape(token) + guard))
    alternatives.sort(key=lambda item: -item[0])
    body = "|".join(alt for _, alt in alternatives) or r"(?!x)x"
    quantity = re.compile(rf"(?P<num>{NUM})\s?(?:多|余)?\s?(?P<unit>{body})")
    return units, quantity


def _compile_kind(name: str, spec: dict) -> Kind:
    """Compiles one [kind.NAME] table."""
    values = tuple(
        ValuePattern(re.compile(v["pattern"].replace("{num}", NUM)), v.get("value")) for v in spec.get("values", [])
    )
    return Kind(
        name=name,
        unit=spec.get("unit", ""),
        integer=spec.get("value_type") == "int",
        triggers=any_of(spec.get("triggers")) or _NEVER,
        accept={k: float(v) for k, v in spec.get("accept", {}).items()},
        values=values,
        requires=any_of(spec.get("requires")),
        exclude=any_of(spec.get("exclude")),
        exclude_after=any_of(spec.get("exclude_after")),
        max_gap=int(spec.get("max_gap", 40)),
        after_gap=int(spec.get("after_gap", 4)),
        low=spec.get("min"),
        high=spec.get("max"),
    )


def _compile_markers(spec: dict) -> Markers:
    """Compiles the [markers] table; a missing list never matches."""
    names = (
        "plan_sentence",
        "plan_reset",
        "plan_clause",
        "plan_after",
        "change",
        "baseline",
        "bound",
        "bound_after",
        "blockers",
    )
    # Each plan_year pattern names its own (?P<year>) group, so they cannot share one regex.
    years = tuple(re.compile(p) for p in spec.get("plan_year", []))
    return Markers(plan_year=years, **{n: any_of(spec.get(n)) or _NEVER for n in names})
