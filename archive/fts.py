"""The full-text index: Chinese text indexed as overlapping character bigrams, so any word is found.

FTS5's unicode61 tokenizer reads a run of Chinese characters as one token, so 停电 would only match
a sentence made of nothing else. The index is given the text pre-segmented instead: every run of Han
characters becomes its overlapping bigrams plus its last character (供电服务 -> 供电 电服 服务 务), and a
query word becomes the phrase of its bigrams, which matches exactly where the word occurs. The table is
contentless (only the index is stored, the text stays in `articles`), so it is kept in sync here, by the
archive's write functions, rather than by triggers that every other tool writing the file would trip
over. docs/SEARCH.md says why bigrams rather than jieba or the trigram tokenizer.
"""

from __future__ import annotations

import re
from operator import add

import numpy as np
from sqlite_utils import Database

TABLE = "articles_fts"
# how many index segments are merged at a time: 16 before m012, 32 from m012, FTS5's 4 from m013, 8 from m015
MERGES = {"automerge": 8, "crisismerge": 16}
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# the same blocks as [low, high) pairs: a code point is Han where searchsorted lands on an odd index
HAN_BOUNDS = np.array([0x3400, 0x4DC0, 0x4E00, 0xA000, 0xF900, 0xFB00, 0x20000, 0x31350], dtype=np.uint32)
LONG_TEXT = 128  # characters; shorter texts are segmented faster in plain Python
HAN_RUN = re.compile(f"[{HAN}]+")
HAN_SPLIT = re.compile(f"([{HAN}]+)")
HAN_SPACE_HAN = re.compile(f"(?<=[{HAN}])\\s+(?=[{HAN}])")
TOKEN = re.compile(r"[^\W_]+")  # what unicode61 keeps as (part of) a token
TRAILING = re.compile(r"[\W_]+$")
# full-width letters and digits (ＡＢＣ１２３) fold to ASCII; full NFKC would cost more than the segmentation
FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if FULL_WIDTH.match(chr(code))}
CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, body, content='', tokenize='unicode61 remove_diacritics 2')"
)


def _index_run(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) == 1:
        return f" {run} "
    return f" {' '.join(map(add, run, run[1:]))} {run[-1]} "


def fold_width(text: str) -> str:
    """Full-width letters and digits as ASCII, so ２０２３ and 2023 are one word."""
    return text.translate(HALF_WIDTH) if FULL_WIDTH.search(text) else text


def segment(text: str | None) -> str:
    """Text as the index sees it: width-folded, each Han run as its bigrams and its last character."""
    text = fold_width(text or "")
    return _segment_short(text) if len(text) < LONG_TEXT else _segment_long(text)


def _segment_short(text: str) -> str:
    parts = HAN_SPLIT.split(text)  # non-Han, Han run, non-Han, …, non-Han
    out = []
    for i in range(1, len(parts), 2):
        run = parts[i]
        out.append(parts[i - 1])
        if len(run) > 1:
            out.append(" ".join(map(add, run, run[1:])))
        out.append(run[-1])
    out.append(parts[-1])
    return " ".join(out)


def _segment_long(text: str) -> str:
    """The same words as `_segment_short`, built on arrays of code points: an article body in about half the time.

    Every character is written once; a Han character followed by another also writes that one and a
    space (the bigram), and a Han run gets a space before and after it.
    """
    chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    han = np.zeros(len(chars) + 2, np.int8)
    han[1:-1] = np.searchsorted(HAN_BOUNDS, chars, side="right") & 1
    step = np.diff(han)
    starts, ends = step[:-1] == 1, step[1:] == -1
    pairs = han[1:-1].astype(bool) & ~ends
    width = 1 + 2 * pairs + starts + ends
    at = np.cumsum(width)
    out = np.full(int(at[-1]), ord(" "), dtype=np.uint32)
    at += starts - width  # where each character's own copy goes
    out[at] = chars
    out[at[:-1][pairs[:-1]] + 1] = chars[1:][pairs[:-1]]
    return out.tobytes().decode("utf-32-le")


def query_phrase(text: str) -> str | None:
    """An FTS5 phrase that matches `text` wherever it occurs as a run of words; None if it has none.

    Runs the text goes on after are segmented as the index does; the last run only into its bigrams,
    since in a document it may go on (停电 is in 停电时间).
    """
    folded = TRAILING.sub("", HAN_SPACE_HAN.sub("", fold_width(text)))

    def run(match: re.Match[str]) -> str:
        word = match.group()
        if match.end() < len(folded):
            return _index_run(match)
        return f" {' '.join(map(add, word, word[1:])) if len(word) > 1 else word} "

    tokens = TOKEN.findall(HAN_RUN.sub(run, folded))
    if not tokens:
        return None
    phrase = '"' + " ".join(tokens) + '"'
    # a lone last character is a token only where a run ends: let it match the bigrams it begins too
    last = tokens[-1]
    return phrase + "*" if len(last) == 1 and HAN_RUN.fullmatch(last) else phrase


def create_index(db: Database) -> None:
    """Create the index table if it is missing."""
    db.execute(CREATE)


def set_merges(db: Database) -> None:
    """Merge index segments 8 at a time (FTS5's default is 4), all of a level at 16.

    Each merge rewrites what it merges, so merging more at a time rewrites the index fewer times:
    8 stores 150k articles with 3.5 % less CPU than 4. Merging 32 at a time was far worse: with
    article-length bodies the index insert took 1.41 ms per article at 100k instead of 0.36
    (docs/BENCHMARKS.md).
    """
    for option, value in MERGES.items():
        db.execute(f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('{option}', {value})")


def index_article(db: Database, article_id: int, title: str | None, body: str | None) -> None:
    """Add an article to the index."""
    db.execute(
        f"INSERT INTO {TABLE} (rowid, title, body) VALUES (?, ?, ?)", [article_id, segment(title), segment(body)]
    )


def unindex_article(db: Database, article_id: int, title: str | None, body: str | None) -> None:
    """Remove an article from the index; a contentless table needs the text it was indexed with."""
    db.execute(
        f"INSERT INTO {TABLE} ({TABLE}, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        [article_id, segment(title), segment(body)],
    )


def rebuild_index(db: Database) -> int:
    """Index every article afresh (after articles were edited by other tools); return how many."""
    db.execute(f"DROP TABLE IF EXISTS {TABLE}")
    create_index(db)
    count = 0
    for article_id, title, body in db.execute("SELECT id, title, body FROM articles ORDER BY id"):
        index_article(db, article_id, title, body)
        count += 1
    return count
