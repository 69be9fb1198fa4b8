"""Sentences and clauses with character offsets, so evidence stays an exact substring."""

import re
from bisect import bisect_right
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
# A comma between digit groups is a thousands separator, a colon between digits is a clock time.
_CLAUSE_END = re.compile(r"[，：]|,(?![0-9]{3}(?![0-9]))|:(?![0-9])")
_TRIM = " \t\r\u3000\u00a0“”\"'‘’「」『』《》()（）■●•·-—―"
_TERMINAL = set("。！？!?；;")


@dataclass(frozen=True)
class Segments:
    """Sentence and clause boundaries of one text, searchable by offset."""

    text: str
    sentences: list[tuple[int, int]]
    sentence_starts: list[int]
    clause_starts: list[int]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """Returns the sentence span holding pos so all checks stay inside one statement."""
        i = max(bisect_right(self.sentence_starts, pos) - 1, 0)
        return self.sentences[i]

    def previous_sentence(self, pos: int) -> tuple[int, int] | None:
        """Returns the sentence before pos when it is in the same paragraph, else None."""
        i = bisect_right(self.sentence_starts, pos) - 1
        if i <= 0:
            return None
        prev = self.sentences[i - 1]
        return None if "\n" in self.text[prev[1] : self.sentences[i][0]] else prev

    def clause_start(self, pos: int) -> int:
        """Returns where the clause holding pos begins, never before its sentence."""
        i = bisect_right(self.clause_starts, pos) - 1
        start = self.clause_starts[i] if i >= 0 else 0
        return max(start, self.sentence_of(pos)[0])

    def clause_end(self, pos: int) -> int:
        """Returns where the clause holding pos ends, never after its sentence."""
        i = bisect_right(self.clause_starts, pos)
        end = self.clause_starts[i] - 1 if i < len(self.clause_starts) else len(self.text)
        return min(end, self.sentence_of(pos)[1])

    def is_full_sentence(self, pos: int) -> bool:
        """Tells a real sentence from a heading, which has no terminal punctuation."""
        _, end = self.sentence_of(pos)
        return end < len(self.text) and self.text[end] in _TERMINAL


def segment(text: str) -> Segments:
    """Splits text once so later lookups by offset are binary searches."""
    sentences, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            sentences.append((start, m.start()))
        start = m.end()
    if start < len(text) or not sentences:
        sentences.append((start, len(text)))
    clause_starts = [0] + [m.end() for m in _CLAUSE_END.finditer(text)]
    return Segments(text, sentences, [s for s, _ in sentences], sorted(set(clause_starts)))


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrinks a span past quotes and spaces so evidence reads cleanly yet stays a substring."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end
