"""Text fingerprints for near-duplicate search: passage hashes, character shingles, MinHash, LSH bands.

Chinese has no spaces, so shingles are runs of SHINGLE characters of the normalised text. Everything
here is a pure function of the text and of the constants below; signatures and band keys are stored
in the archive for years, so the constants are part of the archive format (changing them means
re-indexing, see docs/DEDUPE.md).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SHINGLE = 5  # characters per shingle: shorter ones are common words, longer ones break on every edit
PERMUTATIONS = 64  # MinHash values per signature
BANDS, ROWS = 16, 4  # LSH banding: BANDS * ROWS == PERMUTATIONS; sentences catch what banding misses
PER_KEY = 16  # articles the index keeps per passage or band key: past that a key is boilerplate, not a clue
MIN_PASSAGE = 12  # normalised characters a passage needs to be indexed: shorter ones say nothing
IGNORED = re.compile(r"[\W_]+")
# passages are sentences: a republisher's edit, lead-in or reflowed paragraph leaves the other sentences intact
PASSAGE_END = re.compile(r"(?<=[。！？!?；;．])|\n")

Hashes = npt.NDArray[np.uint64]

_MASK63 = (1 << 63) - 1
_seeds = np.random.Generator(np.random.PCG64(20240611)).integers(1, 2**63, size=(2, PERMUTATIONS), dtype=np.uint64)
_MULTIPLIERS = _seeds[0] | np.uint64(1)  # odd, so that x -> a*x + b is a permutation of the 64-bit values
_OFFSETS = _seeds[1]
_BAND_WEIGHTS = np.array([0x9E3779B97F4A7C15 * (i + 1) & (2**64 - 1) for i in range(ROWS)], dtype=np.uint64)
_BAND_SALTS = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)
_POWERS = np.array([pow(0x100000001B3, SHINGLE - 1 - i, 2**64) for i in range(SHINGLE)], dtype=np.uint64)


def normalise(text: str) -> str:
    """Drop spacing and punctuation, fold width and case: republishers change exactly these."""
    kept = IGNORED.sub("", text)
    if not kept.isascii() and not unicodedata.is_normalized("NFKC", kept):  # CJK text passes this quick check
        kept = IGNORED.sub("", unicodedata.normalize("NFKC", kept))
    return kept.lower()


def passage_hash(normalised: str) -> int:
    """A 63-bit hash of a normalised passage, as SQLite stores integers."""
    digest = hashlib.blake2b(normalised.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") & _MASK63


def passages(body: str) -> list[tuple[int, str]]:
    """The body's sentences as (hash, normalised text); those too short to index get hash 0."""
    found = []
    for sentence in PASSAGE_END.split(body):
        text = normalise(sentence)
        if text:
            found.append((passage_hash(text) if len(text) >= MIN_PASSAGE else 0, text))
    return found


def _mix(values: Hashes) -> Hashes:
    """splitmix64's finaliser: spreads every input bit over every output bit."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def shingles(text: str) -> Hashes:
    """The sorted, distinct 64-bit hashes of the text's SHINGLE-character runs."""
    if len(text) < SHINGLE:
        return np.empty(0, dtype=np.uint64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - SHINGLE + 1
    rolled = np.zeros(count, dtype=np.uint64)
    for offset, power in enumerate(_POWERS):
        rolled += codes[offset : offset + count] * power
    return np.unique(_mix(rolled))


def minhash(hashes: Hashes) -> npt.NDArray[np.uint32]:
    """The MinHash signature: for each of PERMUTATIONS affine permutations, the top 32 bits of the minimum."""
    if not len(hashes):
        raise ValueError("no shingles to sign")
    permuted = hashes[None, :] * _MULTIPLIERS[:, None] + _OFFSETS[:, None]
    return (permuted.min(axis=1) >> np.uint64(32)).astype(np.uint32)


def band_keys(signature: npt.NDArray[np.uint32]) -> list[int]:
    """One 63-bit key per LSH band: texts sharing any key are candidates for a closer look."""
    rows = signature.astype(np.uint64).reshape(BANDS, ROWS)
    keys = _mix((rows * _BAND_WEIGHTS).sum(axis=1, dtype=np.uint64) ^ _BAND_SALTS)
    return [int(k) & _MASK63 for k in keys]


def estimate_jaccard(first: Sequence[int] | npt.NDArray[np.uint32], second: npt.NDArray[np.uint32]) -> float:
    """The share of equal MinHash values, which estimates the Jaccard similarity of the shingle sets."""
    return float(np.mean(np.asarray(first) == second))


@dataclass(frozen=True)
class Fingerprint:
    """What the archive indexes for one text: passage hashes, its shingle count, signature and band keys."""

    passages: tuple[int, ...]
    shingles: int
    signature: bytes
    bands: tuple[int, ...]

    @property
    def signed(self) -> bool:
        """Whether the text had shingles enough to sign (empty texts are matched on their hash only)."""
        return bool(self.signature)


def fingerprint(parts: Iterable[tuple[int, str]], boilerplate: set[int] | frozenset[int] = frozenset()) -> Fingerprint:
    """Fingerprint a text given as passages, leaving boilerplate passages out of the shingles."""
    parts = list(parts)
    return sign(shingles(kept_text(parts, boilerplate)), parts)


def sign(hashes: Hashes, parts: Iterable[tuple[int, str]]) -> Fingerprint:
    """The fingerprint of a text from its shingle hashes and its passages."""
    indexed = tuple(dict.fromkeys(h for h, _ in parts if h))
    if not len(hashes):
        return Fingerprint(indexed, 0, b"", ())
    signature = minhash(hashes)
    return Fingerprint(indexed, len(hashes), signature.tobytes(), tuple(band_keys(signature)))


def kept_text(parts: Iterable[tuple[int, str]], boilerplate: set[int] | frozenset[int]) -> str:
    """The normalised text without its boilerplate passages, joined so that reflowing changes nothing."""
    return "".join(text for h, text in parts if not (h and h in boilerplate))
