"""The year a figure refers to: stated in its sentence, implied by 今年/去年, or the article's."""

import re

_EXPLICIT = re.compile(r"((?:19|20)[0-9]{2})\s?年(?!前|以前|之前)")
_RELATIVE = re.compile(r"今年|本年|截至目前|截止目前|目前|如今|现在|当前|去年|上年|上一年|前年")
_OFFSETS = {"去年": -1, "上年": -1, "上一年": -1, "前年": -2}
# A year right after these is a comparison point or a target, not the figure's own year.
_NOT_OWN = re.compile(r"(?:从|由|比|较|同比|环比|相比|到|至)$")


def published_year(published_at: str | None) -> int | None:
    """Reads the year from an ISO-like date string, tolerating anything else."""
    if not published_at:
        return None
    m = re.search(r"(19|20)[0-9]{2}", str(published_at))
    return int(m.group()) if m else None


def year_for(
    text: str, sentence: tuple, paragraph_start: int, value_start: int, pub_year: int | None, survey_first: bool
) -> int | None:
    """Chooses the nearest year marker before the figure, falling back to the article's year."""
    # "2021年，A…；B…" dates both halves: a semicolon does not end the year's reach.
    start = max(_full_stop_before(text, sentence[0]), value_start - 300)
    own = _nearest(text, start, value_start, pub_year)
    if own is not None:
        return own
    earlier = _last_explicit(text, max(paragraph_start, start - 2000), start)
    if earlier is not None and (survey_first or pub_year is None or earlier >= pub_year - 1):
        return earlier
    return pub_year


def _nearest(text: str, start: int, end: int, pub_year: int | None) -> int | None:
    """Finds the last explicit or relative year between start and end."""
    found: list[tuple[int, int | None]] = []
    for m in _EXPLICIT.finditer(text, start, end):
        if not _NOT_OWN.search(text[max(start, m.start() - 3) : m.start()]):
            found.append((m.start(), int(m.group(1))))
    for m in _RELATIVE.finditer(text, start, end):
        if pub_year is not None and not _NOT_OWN.search(text[max(start, m.start() - 3) : m.start()]):
            found.append((m.start(), pub_year + _OFFSETS.get(m.group(), 0)))
    return max(found)[1] if found else None


def _last_explicit(text: str, start: int, end: int) -> int | None:
    """Finds the last own explicit year in the paragraph before the sentence."""
    year = None
    for m in _EXPLICIT.finditer(text, start, end):
        if not _NOT_OWN.search(text[max(start, m.start() - 3) : m.start()]):
            year = int(m.group(1))
    return year


def _full_stop_before(text: str, pos: int) -> int:
    """Returns where the 。-sentence holding pos begins, looking past semicolons."""
    return max(text.rfind(ch, 0, pos) for ch in "。！？!?\n") + 1
