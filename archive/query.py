"""Search queries as people type them, turned into FTS5 expressions over the bigram index.

Words are ANDed; "quoted text" is a phrase; OR, NOT (or a leading -) and parentheses work as in FTS5.
Every query either becomes a valid expression or raises QueryError with a one-line reason, so a bad
query never reaches SQLite as a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.fts import HAN_SPACE_HAN, query_phrase

LEXEME = re.compile(r'"[^"]*"|[()]|[^\s()"]+')
OPERATORS = {"OR", "AND", "NOT"}


class QueryError(ValueError):
    """A query that cannot be searched, with the reason in words."""


@dataclass(frozen=True)
class Query:
    """A parsed query: the FTS5 MATCH expression and the texts to highlight in results."""

    text: str
    match: str
    highlights: tuple[str, ...]


def parse_query(text: str) -> Query:
    """Parse a user's query; raise QueryError when it cannot be searched."""
    if not text.strip():
        raise QueryError("empty query: give a word to look for, e.g. 停电")
    if text.count('"') % 2:
        raise QueryError(f'unbalanced quote in {text!r}: close the phrase with a second "')
    lexemes = _lex(text)
    if not lexemes:
        raise QueryError(f"nothing to look for in {text!r}: it has no words, only punctuation")
    parser = _Parser(lexemes)
    match = parser.expression()
    if parser.peek() is not None:
        raise QueryError(f"unexpected {parser.peek()!r} in {text!r}")
    if not parser.highlights:
        raise QueryError(f"nothing to look for in {text!r}: give at least one word that is not excluded")
    return Query(text, match, tuple(dict.fromkeys(parser.highlights)))


def escape_query(text: str) -> str:
    """A forgiving version for search boxes: every word and phrase must occur; never raises.

    It mirrors Datasette's escape_fts (which quotes each word), so that search box works on Chinese.
    """
    if text.count('"') % 2:
        text += '"'
    phrases = [query_phrase(part.strip('"')) for part in LEXEME.findall(text) if part not in ("(", ")")]
    return " ".join(p for p in phrases if p) or '""'


def _lex(text: str) -> list[str]:
    lexemes = []
    for part in LEXEME.findall(text):
        if part.startswith("-") and len(part) > 1 and not part.startswith('-"'):
            lexemes += ["NOT", part[1:]]
        elif part in OPERATORS or part in ("(", ")") or part.startswith('"') or query_phrase(part):
            lexemes.append(part)
    return lexemes


class _Parser:
    """Recursive descent over: expression = all (OR all)*; all = unit ((AND)? unit | NOT unit)*."""

    def __init__(self, lexemes: list[str]):
        self.lexemes, self.pos = lexemes, 0
        self.highlights: list[str] = []
        self.negated = 0

    def peek(self) -> str | None:
        return self.lexemes[self.pos] if self.pos < len(self.lexemes) else None

    def take(self) -> str:
        self.pos += 1
        return self.lexemes[self.pos - 1]

    def expression(self) -> str:
        parts = [self.conjunction()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.conjunction("OR"))
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def conjunction(self, after: str = "") -> str:
        parts = [self.unit(after)]
        while (ahead := self.peek()) not in (None, "OR", ")"):
            if ahead in ("AND", "NOT"):
                self.take()
            if ahead == "NOT":
                self.negated += 1
                parts.append("NOT " + self.unit("NOT"))
                self.negated -= 1
            else:
                parts.append("AND " + self.unit(ahead if ahead == "AND" else ""))
        return parts[0] if len(parts) == 1 else "(" + " ".join(parts) + ")"

    def unit(self, after: str = "") -> str:
        ahead = self.peek()
        if ahead == ")":
            raise QueryError("a ) with nothing to close, or empty parentheses")
        if (ahead is None or ahead in OPERATORS) and after:
            raise QueryError(f"{after} needs a word on each side, e.g. 停电 {after} 抢修")
        if ahead is None:
            raise QueryError("unbalanced parenthesis: a ( is never closed")
        if ahead in OPERATORS:
            raise QueryError(f"{ahead} needs a word before it, e.g. 停电 {ahead} 演练")
        self.take()
        if ahead == "(":
            inner = self.expression()
            if self.peek() != ")":
                raise QueryError("unbalanced parenthesis: a ( is never closed")
            self.take()
            return inner
        return self.term(ahead)

    def term(self, lexeme: str) -> str:
        text = lexeme[1:-1] if lexeme.startswith('"') else lexeme
        phrase = query_phrase(text)
        if phrase is None:
            raise QueryError(f"{lexeme} holds no word to look for")
        if not self.negated:
            self.highlights.append(HAN_SPACE_HAN.sub("", text.strip()))
        return phrase
