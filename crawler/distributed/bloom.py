"""A Bloom filter over a Redis bitmap: which URLs the archive holds, shared by every worker.

Memory is fixed by its capacity and error rate (10 million URLs at 1e-7: 42 MB), not by what it holds.
A false positive means a URL not archived is taken for archived and not fetched, so the error rate is
set low; past its capacity the rate rises, and the ingester says so. Bits are set and read with
BITFIELD, k of them per URL in one command; their positions come from two 64-bit halves of one
BLAKE2b hash (Kirsch and Mitzenmacher), so any client in any language can compute the same ones.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

MAX_BITS = 2**32  # the largest Redis string is 512 MB


@dataclass(frozen=True)
class BloomShape:
    """The size of the bitmap (bits) and the number of bits per URL."""

    bits: int
    hashes: int

    @classmethod
    def for_capacity(cls, capacity: int, error: float) -> BloomShape:
        """The smallest filter that holds `capacity` URLs with a false-positive rate of `error`."""
        bits = math.ceil(-capacity * math.log(error) / math.log(2) ** 2)
        if bits > MAX_BITS:
            raise ValueError(f"{capacity} URLs at {error:g} need {bits // 8e6:.0f} MB, over Redis' 512 MB strings")
        return cls(bits, max(1, round(bits / capacity * math.log(2))))

    def positions(self, key: str) -> list[int]:
        digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
        h1, h2 = int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:], "little") | 1
        return [(h1 + i * h2) % self.bits for i in range(self.hashes)]

    def error_at(self, count: int) -> float:
        """The expected false-positive rate once `count` URLs are in."""
        return (1 - math.exp(-self.hashes * count / self.bits)) ** self.hashes


class RedisBloom:
    """The known-URL filter: its bitmap at `key`, its shape and count in the hash `key:meta`."""

    def __init__(self, server: Any, key: str, shape: BloomShape):
        self.server, self.key, self.shape = server, key, shape

    @classmethod
    def create(cls, server: Any, key: str, capacity: int, error: float) -> RedisBloom:
        """A new, empty filter (any old one at `key` is dropped)."""
        shape = BloomShape.for_capacity(capacity, error)
        meta = {"bits": shape.bits, "hashes": shape.hashes, "capacity": capacity, "error": error, "count": 0}
        pipe = server.pipeline()
        pipe.delete(key, f"{key}:meta")
        pipe.hset(f"{key}:meta", mapping=meta)
        pipe.execute()
        return cls(server, key, shape)

    @classmethod
    def existing(cls, server: Any, key: str) -> RedisBloom | None:
        """The filter at `key`, or None when there is none (not seeded, or Redis lost its data)."""
        meta = server.hgetall(f"{key}:meta")
        if not meta:
            return None
        return cls(server, key, BloomShape(int(meta[b"bits"]), int(meta[b"hashes"])))

    def add(self, keys: Sequence[str]) -> int:
        """Add URLs; return how many were not in before."""
        if not keys:
            return 0
        ops: list[Any] = []
        for key in keys:
            for pos in self.shape.positions(key):
                ops += ("SET", "u1", pos, 1)
        old = self.server.execute_command("BITFIELD", self.key, *ops)
        k = self.shape.hashes
        added = sum(1 for i in range(len(keys)) if not all(old[i * k : (i + 1) * k]))
        if added:
            self.server.hincrby(f"{self.key}:meta", "count", added)
        return added

    def contains(self, keys: Sequence[str]) -> list[bool]:
        """For each URL, whether it is (probably) in."""
        if not keys:
            return []
        ops: list[Any] = []
        for key in keys:
            for pos in self.shape.positions(key):
                ops += ("GET", "u1", pos)
        bits = self.server.execute_command("BITFIELD_RO", self.key, *ops)
        k = self.shape.hashes
        return [all(bits[i * k : (i + 1) * k]) for i in range(len(keys))]

    def __contains__(self, key: str) -> bool:
        return self.contains([key])[0]

    def meta(self) -> dict[str, float]:
        """Capacity, error rate and count, as stored."""
        return {k.decode(): float(v) for k, v in self.server.hgetall(f"{self.key}:meta").items()}


def add_all(bloom: RedisBloom, keys: Iterable[str], chunk: int = 2000) -> int:
    """Add many URLs in chunks (one command each); return how many were new."""
    added, batch = 0, []
    for key in keys:
        batch.append(key)
        if len(batch) >= chunk:
            added += bloom.add(batch)
            batch = []
    return added + bloom.add(batch)
