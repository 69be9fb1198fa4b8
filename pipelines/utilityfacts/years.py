"""The year a figure refers to: stated in its sentence, implied by 今年/去年 or a month, or the article's."""

import re
from dataclasses import dataclass

_EXPLICIT = re.compile(r"((?:19|20)[0-9]{2})\s?年(?!前|以前|之前)")
_RELATIVE = re.compile(r"今年|本年|截至目前|截止目前|目前|如今|现在|当前|去年|上年|上一年|前年")
_OFFSETS = {"去年": -1, "上年": -1, "上一年": -1, "前年": -2}
# A bare month (1月27日, 1至8月, 12月底) dates a figure to the latest such month up to publication.
_MONTH = re.compile(r"(?<![0-9０-９年.])(1[0-2]|[1-9])\s?月")
# Words that date a figure by an earlier sentence's date.
_SAME_DAY = re.compile(r"当日|当天|同日|当月|同月")
# A year right after these is a comparison point or a target, not the figure's own year.
_NOT_OWN = re.compile(r"(?:从|由|比|较|同比|环比|相比|到|至)$")
# ...except that 降至2020年的6.35小时 and 提升至2021年的99.968% state the level reached that year.
_REACHED = re.compile(r"(?:到|至)$")
# A year whose clause ends in "…的1.86倍" is the base of a multiple.
_MULTIPLE = re.compile(r"[^，,。；;]{0,16}?的[0-9.]+倍")


@dataclass(frozen=True)
class Dating:
    """When the article was published, as far as its date string tells."""

    year: int | None
    month: int | None = None

    @property
    def undated(self) -> int | None:
        """The year of a figure the text does not date: last year's in January and February.

        Utilities publish the year's results in its first weeks, so an undated "全年…" then is last year's.
        """
        if self.year is not None and self.month in (1, 2):
            return self.year - 1
        return self.year

    def of_month(self, month: int) -> int | None:
        """The year of the latest such month no later than publication."""
        if self.year is None or self.month is None:
            return self.year
        return self.year if month <= self.month else self.year - 1


def published_year(published_at: str | None) -> int | None:
    """Reads the year from an ISO-like date string, tolerating anything else."""
    return dating(published_at).year


def dating(published_at: str | None) -> Dating:
    """Reads year and month from an ISO-like date string (2021-04-28, 2021/4/28), tolerating anything else."""
    m = re.search(r"((?:19|20)[0-9]{2})(?:[-/.年]([01]?[0-9]))?", str(published_at or ""))
    if m is None:
        return Dating(None)
    month = int(m.group(2)) if m.group(2) and 1 <= int(m.group(2)) <= 12 else None
    return Dating(int(m.group(1)), month)


def year_for(
    text: str, sentence: tuple, paragraph_start: int, value_start: int, when: Dating, survey_first: bool
) -> int | None:
    """Chooses the nearest year marker before the figure, falling back to the article's year."""
    # "2021年，A…；B…" dates both halves: a semicolon does not end the year's reach.
    start = max(_full_stop_before(text, sentence[0]), value_start - 300)
    own = _nearest(text, start, value_start, when)
    if own is not None:
        return own
    earlier = _last_explicit(text, max(paragraph_start, start - 2000), start)
    pub_year = when.year
    if earlier is not None and (survey_first or pub_year is None or earlier >= pub_year - 1):
        return earlier
    return when.undated


def _nearest(text: str, start: int, end: int, when: Dating) -> int | None:
    """Finds the last explicit, relative or month marker between start and end."""
    found = _dates(text, start, end, when)
    if when.year is not None:
        for m in _RELATIVE.finditer(text, start, end):
            if not _NOT_OWN.search(text[max(start, m.start() - 3) : m.start()]):
                found.append((m.start(), when.year + _OFFSETS.get(m.group(), 0)))
        back = list(_SAME_DAY.finditer(text, start, end))
        last = back[-1] if back else None
        if last is not None and (not found or last.start() > max(found)[0]):
            # 当日 points back to the last date the text gave before this sentence.
            earlier = _dates(text, max(0, start - 1000), start, when)
            if earlier:
                found.append((last.start(), max(earlier)[1]))
    return max(found)[1] if found else None


def _dates(text: str, start: int, end: int, when: Dating) -> list[tuple[int, int]]:
    """Explicit years (2021年) and bare months (1月27日) between start and end, with their positions."""
    found = [(m.start(), int(m.group(1))) for m in _EXPLICIT.finditer(text, start, end) if _own(text, start, m)]
    if when.year is not None:
        for m in _MONTH.finditer(text, start, end):
            year = when.of_month(int(m.group(1)))
            if year is not None and not _EXPLICIT.search(text, max(start, m.start() - 6), m.start()):
                found.append((m.start(), year))
    return found


def _own(text: str, start: int, m: re.Match) -> bool:
    """Tells the figure's own year from a comparison point (由2012年, 是2012年的1.86倍) or a target (到2025年)."""
    if _MULTIPLE.match(text, m.end()):
        return False
    before = text[max(start, m.start() - 3) : m.start()]
    if not _NOT_OWN.search(before):
        return True
    return bool(_REACHED.search(before)) and text.startswith("的", m.end())


def _last_explicit(text: str, start: int, end: int) -> int | None:
    """Finds the last own explicit year in the paragraph before the sentence."""
    year = None
    for m in _EXPLICIT.finditer(text, start, end):
        if _own(text, start, m):
            year = int(m.group(1))
    return year


def _full_stop_before(text: str, pos: int) -> int:
    """Returns where the 。-sentence holding pos begins, looking past semicolons."""
    return max(text.rfind(ch, 0, pos) for ch in "。！？!?\n") + 1
