"""Finding and normalising dates: "2021-04-28 10:16:16", "2016年12月21日", ISO with offsets.

Output is ISO 8601 with seconds and an offset; a page that names no zone is in China
Standard Time (+08:00), and an explicit offset is kept as given, never converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from .text import nfkc

_YMD = (
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?:[-/.]\s*|年\s*)(?P<m>\d{1,2})\s*(?:[-/.]\s*|月\s*)"
    r"(?P<d>\d{1,2})(?:(?!\d)|(?=\d{1,2}[:：]\d))\s*日?"
)
_TIME = (
    r"[\sT,，]*(?:[(（]?(?:星期|週|周|礼拜)[一二三四五六日天][)）]?\s*)?"
    r"(?P<ap>上午|下午|中午|晚上|凌晨|早上|AM|PM)?\s*"
    r"(?:[^\d\s]{0,12}?)(?P<H>\d{1,2})\s*[:：时時]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?"
    r"(?:\.\d+)?\s*(?P<ap2>AM|PM)?"
)
_ZONE = (
    r"\s*(?P<z>Z(?![A-Za-z])|[+-]\d{2}:?\d{2}(?!\d)|(?:GMT|UTC)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?"
    r"|格林尼治标准时间|格林威治标准时间|格林尼治時間|北京时间|北京時間)?"
)
_DATE_RE = re.compile(_YMD + f"(?:{_TIME})?" + _ZONE, re.I)
# The zone word may also precede the time: "格林尼治标准时间10:41".
_ZONE_WORDS = {
    "格林尼治标准时间": "+00:00",
    "格林威治标准时间": "+00:00",
    "格林尼治時間": "+00:00",
    "GMT": "+00:00",
    "UTC": "+00:00",
    "北京时间": "+08:00",
    "北京時間": "+08:00",
}
_DMY_RE = re.compile(
    r"^(?P<d>\d{1,2})[ /.](?P<m>\d{1,2})[ /.](?P<y>(?:19|20)\d{2})(?:\s+"
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_COMPACT_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_EPOCH_RE = re.compile(r"^\d{10}(?:\d{3})?$")
CHINA = "+08:00"


@dataclass(frozen=True)
class Stamp:
    """A calendar date, optionally with a time of day and a UTC offset."""

    day: date
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    offset: str | None = None

    @property
    def precision(self) -> int:
        """Counts the time fields the source gave (0 for a bare date)."""
        return sum(part is not None for part in (self.hour, self.minute, self.second))

    def iso(self) -> str:
        """Formats as ISO 8601 with seconds and offset, midnight for a bare date."""
        clock = f"{self.hour or 0:02d}:{self.minute or 0:02d}:{self.second or 0:02d}"
        return f"{self.day.isoformat()}T{clock}{self.offset or CHINA}"


def parse_date(text: str | None, *, compact: bool = False) -> Stamp | None:
    """Returns the first plausible date in a text; compact=True also reads 20170427."""
    if not text:
        return None
    text = nfkc(text)[:2_000]
    for found in _DATE_RE.finditer(text):
        stamp = _stamp(found.groupdict(), _zone_before_time(text, found))
        if stamp:
            return stamp
    day_first = _DMY_RE.match(text.strip())
    if day_first:
        return _stamp(day_first.groupdict())
    if _EPOCH_RE.match(text.strip()):
        return _from_epoch(int(text.strip()[:10]))
    if compact:
        for found in _COMPACT_RE.finditer(text):
            stamp = _stamp(found.groupdict())
            if stamp:
                return stamp
    return None


def strip_dates(text: str) -> str:
    """Removes every date and time from a line, leaving what surrounds them."""
    return _DATE_RE.sub(" ", nfkc(text))


def _zone_before_time(text: str, found: re.Match) -> str | None:
    """Reads a zone word printed between the date and the time."""
    if found.group("H") is None:
        return None
    between = text[found.end("d") : found.start("H")]
    for word, offset in _ZONE_WORDS.items():
        if word in between:
            return offset
    return None


def _stamp(parts: dict, zone: str | None = None) -> Stamp | None:
    """Builds a Stamp from regex groups, rejecting impossible dates and times."""
    try:
        day = date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
    except (TypeError, ValueError):
        return None
    if not 1990 <= day.year <= 2100:
        return None
    if parts.get("H") is None:
        return Stamp(day, offset=_offset(parts.get("z")) or zone)
    hour, minute = int(parts["H"]), int(parts["M"])
    second = int(parts["S"]) if parts.get("S") else None
    hour = _twelve_hour(hour, parts.get("ap") or parts.get("ap2"))
    if hour > 23 or minute > 59 or (second or 0) > 59:
        return Stamp(day)
    return Stamp(day, hour, minute, second, _offset(parts.get("z")) or zone)


def _twelve_hour(hour: int, marker: str | None) -> int:
    """Converts 下午 3 / 3 PM to 15."""
    if marker and marker.upper() in ("下午", "晚上", "PM") and hour < 12:
        return hour + 12
    if marker and marker.upper() in ("AM", "凌晨", "上午") and hour == 12:
        return 0
    return hour


def _offset(zone: str | None) -> str | None:
    """Normalises Z, +0800, GMT+8 and zone words to ±HH:MM."""
    if not zone:
        return None
    zone = zone.strip()
    if zone in _ZONE_WORDS:
        return _ZONE_WORDS[zone]
    if zone.upper() == "Z":
        return "+00:00"
    found = re.search(r"([+-])\s*(\d{1,2}):?(\d{2})?$", zone)
    if not found:
        return "+00:00" if zone.upper().startswith(("GMT", "UTC")) else None
    sign, hours, minutes = found.group(1), int(found.group(2)), int(found.group(3) or 0)
    return f"{sign}{hours:02d}:{minutes:02d}" if hours <= 14 and minutes < 60 else None


def _from_epoch(seconds: int) -> Stamp | None:
    """Reads a Unix timestamp as a time in China Standard Time."""
    try:
        moment = datetime.fromtimestamp(seconds, timezone(timedelta(hours=8)))
    except (OverflowError, OSError, ValueError):
        return None
    if not 1990 <= moment.year <= 2100:
        return None
    return Stamp(moment.date(), moment.hour, moment.minute, moment.second, CHINA)
