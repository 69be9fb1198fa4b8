"""Numbers as Chinese utility press releases write them: 1357.7, 1,200, ９９, 九, 十七, 两, 二〇二〇."""

# A number is read whole, once: possessive quantifiers, and a lookbehind so no match starts inside
# a digit run (long runs would otherwise be retried from every position, in quadratic time). The
# first character is one shared class so the regex engine can skip quickly to candidate positions.
_DIGIT = "0-9０-９"
_CN = "零〇一二两三四五六七八九十"
ARABIC = (
    rf"(?<=[{_DIGIT}])(?<![{_DIGIT}.．][{_DIGIT}])[{_DIGIT}]*+(?:,[0-9]{{3}}(?![0-9]))*+"
    rf"(?:[.．][{_DIGIT}]++)?+"
)
CHINESE = rf"(?<=[{_CN}])(?<![{_CN}百千][{_CN}])[{_CN}百千]*+"
# The regex a vocabulary pattern gets for "{num}".
NUM = rf"[{_DIGIT}{_CN}](?:{ARABIC}|{CHINESE})"

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_POWERS = {"十": 10, "百": 100, "千": 1000}
_WIDE = str.maketrans("０１２３４５６７８９．", "0123456789.")


def parse_number(text: str) -> float | None:
    """Returns the value of one number token so every unit conversion starts from a float."""
    text = text.strip()
    if not text:
        return None
    if text[0] in _DIGITS or text[0] in _POWERS:
        return _parse_chinese(text)
    try:
        return float(text.translate(_WIDE).replace(",", ""))
    except ValueError:
        return None


def _parse_chinese(text: str) -> float | None:
    """Reads 十七, 二十三, 一百零五 by place values and 二〇二〇 digit by digit."""
    if all(ch in _DIGITS for ch in text):
        return float("".join(str(_DIGITS[ch]) for ch in text)) if len(text) > 1 else float(_DIGITS[text])
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _POWERS:
            total += (1 if digit is None else digit) * _POWERS[ch]
            digit = None
        else:
            return None
    return float(total + (digit or 0))


_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "万亿": 1e12}


def parse_quantity(text: str) -> float | None:
    """Reads a number with a trailing 万/亿 multiplier (2.4万 → 24000), as counts are written."""
    text = text.strip()
    for suffix in sorted(_MULTIPLIERS, key=len, reverse=True):
        if text.endswith(suffix) and len(text) > len(suffix):
            number = parse_number(text[: -len(suffix)])
            return None if number is None else number * _MULTIPLIERS[suffix]
    return parse_number(text)
