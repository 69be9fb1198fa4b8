"""Page furniture around an article: link lists whose headlines would pass for the article's facts."""

import re

from .vocabulary import Vocabulary

_LINE = re.compile(r"[^\n]*")


def article_end(text: str, voc: Vocabulary) -> int:
    """Returns where the first link-list heading (相关新闻, 热点排行…) starts, or the text's end."""
    if not voc.tail_headings:
        return len(text)
    for m in _LINE.finditer(text):
        line = m.group().strip()
        if line and len(line) <= 30 and line.startswith(voc.tail_headings):
            return m.start()
    return len(text)


def is_list_item(text: str, pos: int, voc: Vocabulary) -> bool:
    """Tells a bulleted link title (• 国网某某：售电量突破…) from a bulleted sentence of the article."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : len(text) if end < 0 else end].strip()
    # Headlines are short and carry no clause punctuation; the article's own bullets are sentences.
    return bool(line) and line[0] in voc.bullets and len(line) <= 40 and not any(p in line for p in "，。；,;")
