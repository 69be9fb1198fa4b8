"""How two texts relate: the same story (near), one quoting the other whole (contained), or neither.

Plain Jaccard cannot tell a republication that dropped a paragraph from a roundup that quotes a
release: both share most of the shorter text. Two shares can: `shared / longer` (how much of the
longer text the shorter carries) is high only for two tellings of one story, while
`shared / shorter` is high whenever the shorter text is inside the longer one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np

from pipelines.fingerprint import PER_KEY, Hashes

CHINA = timezone(timedelta(hours=8))
MIN_QUOTED = 40  # shingles a text needs before "quoted whole" means anything (a headline alone does not)


@dataclass(frozen=True)
class Thresholds:
    """The settings that decide a relation (DEDUPE_* in crawler/settings.py)."""

    near: float = 0.6  # share of the longer text found in the shorter: one story told twice
    contained: float = 0.9  # share of the shorter text found in the longer: quoted whole
    cut: float = 0.7  # share of a later, shorter text found in an earlier, longer one: a cut copy
    boilerplate: int = 5  # a paragraph found in this many different articles is boilerplate

    def __post_init__(self) -> None:
        for name in ("near", "contained", "cut"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"DEDUPE_{name.upper()}_THRESHOLD must be in (0, 1], not {getattr(self, name)}")
        if not 2 <= self.boilerplate <= PER_KEY:  # the index keeps PER_KEY articles per passage, no more
            raise ValueError(f"DEDUPE_BOILERPLATE_ARTICLES must be from 2 to {PER_KEY}, not {self.boilerplate}")


@dataclass(frozen=True)
class Text:
    """A text reduced to what the comparison needs: its distinct shingle hashes and publication time."""

    shingles: Hashes
    published: str | None = None


@dataclass(frozen=True)
class Relation:
    """How an incoming text (mine) relates to a stored one (theirs), with the shingle counts behind it."""

    kind: str  # near, contains (mine quotes theirs whole) or within (theirs quotes mine whole)
    shared: int
    mine: int
    theirs: int

    @property
    def of_theirs(self) -> float:
        """The share of the stored text found in the incoming one."""
        return round(self.shared / self.theirs, 4)

    @property
    def of_mine(self) -> float:
        """The share of the incoming text found in the stored one."""
        return round(self.shared / self.mine, 4)

    @property
    def resemblance(self) -> float:
        """The share of the longer text found in the shorter: what ranks near matches."""
        return self.shared / max(self.mine, self.theirs)


def relate(mine: Text, theirs: Text, thresholds: Thresholds) -> Relation | None:
    """The relation between two texts, or None when they are different stories."""
    sizes = len(mine.shingles), len(theirs.shingles)
    if not min(sizes):
        return None
    shared = len(np.intersect1d(mine.shingles, theirs.shingles, assume_unique=True))
    if shared / max(sizes) >= thresholds.near:
        return Relation("near", shared, *sizes)
    if min(sizes) < MIN_QUOTED:
        return None
    longer, shorter = (mine, theirs) if sizes[0] > sizes[1] else (theirs, mine)
    if earlier(longer.published, shorter.published):
        # a text cannot quote one published after it: the later, shorter one is a cut copy
        return Relation("near", shared, *sizes) if shared / min(sizes) >= thresholds.cut else None
    if shared / min(sizes) >= thresholds.contained:
        return Relation("contains" if longer is mine else "within", shared, *sizes)
    return None


def parse_time(value: str | None) -> datetime | None:
    """An archive timestamp as an aware datetime (China time when it has no zone), or None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA)


def earlier(first: str | None, second: str | None) -> bool:
    """Whether the first timestamp is known to be before the second; a bare date only says which day."""
    one, two = parse_time(first), parse_time(second)
    if one is None or two is None:
        return False
    if _date_only(one) or _date_only(two):
        return one.date() < two.date()
    return one < two


def _date_only(moment: datetime) -> bool:
    return (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)
