"""A Bloom filter over a Redis bitmap: which URLs the archive holds, shared by every worker.

Memory is fixed by its capacity and error rate (10 million URLs at 1e-7: 42 MB), not by what it holds.
A false positive means a URL not archived is taken for archived and not fetched, so the error rate is
set low; past its capacity the rate rises, and the ingester says so. The bits are set and read by a
Lua script, a batch of URLs per call: for each URL, k positions (h1 + i*h2) mod m from two 48-bit
halves of its SHA-1 (Kirsch and Mitzenmacher), so any client in any language can compute the same ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# KEYS: bitmap; ARGV: bits, hashes, 'add' or 'check', then the URLs. Returns 1 per URL that was (already) in.
SCRIPT = """
local m, k, add = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == 'add'
local found = {}
for j = 4, #ARGV do
  local digest = redis.sha1hex(ARGV[j])
  local h1 = tonumber(string.sub(digest, 1, 12), 16)
  local h2 = tonumber(string.sub(digest, 13, 24), 16)
  if h2 % 2 == 0 then h2 = h2 + 1 end
  local present = 1
  if add then  -- one BITFIELD sets all k bits and returns their old values
    local args = {'BITFIELD', KEYS[1]}
    for i = 0, k - 1 do
      for _, word in ipairs({'SET', 'u1', math.fmod(h1 + i * h2, m), 1}) do args[#args + 1] = word end
    end
    for _, bit in ipairs(redis.call(unpack(args))) do
      if bit == 0 then present = 0 end
    end
  else  -- a URL not in stops at its first unset bit, most often the first
    for i = 0, k - 1 do
      if redis.call('GETBIT', KEYS[1], math.fmod(h1 + i * h2, m)) == 0 then
        present = 0
        break
      end
    end
  end
  found[#found + 1] = present
end
return found
"""

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

    def error_at(self, count: int) -> float:
        """The expected false-positive rate once `count` URLs are in."""
        return (1 - math.exp(-self.hashes * count / self.bits)) ** self.hashes


class RedisBloom:
    """The known-URL filter: its bitmap at `key`, its shape and count in the hash `key:meta`."""

    def __init__(self, server: Any, key: str, shape: BloomShape):
        self.server, self.key, self.shape = server, key, shape
        self.script = server.register_script(SCRIPT)

    def run(self, mode: str, keys: Sequence[str]) -> list[int]:
        return list(self.script(keys=[self.key], args=[self.shape.bits, self.shape.hashes, mode, *keys]))

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
        added = len(keys) - sum(self.run("add", keys))
        if added:
            self.server.hincrby(f"{self.key}:meta", "count", added)
        return added

    def contains(self, keys: Sequence[str]) -> list[bool]:
        """For each URL, whether it is (probably) in."""
        return [bool(found) for found in self.run("check", keys)] if keys else []

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
