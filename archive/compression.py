"""How raw page bodies are stored: Zstandard frames, with zlib streams from older archives still read.

Real article pages weigh 50–300 KB of HTML; at level 3 Zstandard compresses them six times faster
than zlib's default level, into slightly fewer bytes, and reads them back four times faster
(bench/compression.py, docs/BENCHMARKS.md). Both formats announce themselves in their first bytes,
so an archive may hold both and nothing needs rewriting.
"""

from __future__ import annotations

import threading
import zlib

import zstandard

DEFAULT_LEVEL = 3
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # never a valid zlib header: 0x28B5 is not a multiple of 31
_local = threading.local()  # (de)compressor objects are reused (a new one costs as much as a small page) but not shared


def compress_body(body: bytes, level: int = DEFAULT_LEVEL) -> bytes:
    """A page body as one Zstandard frame."""
    compressors: dict[int, zstandard.ZstdCompressor] = _local.__dict__.setdefault("compressors", {})
    if level not in compressors:
        compressors[level] = zstandard.ZstdCompressor(level=level)
    return compressors[level].compress(body)


def decompress_body(stored: bytes) -> bytes:
    """A stored page body, whichever format it was written in."""
    if stored[:4] == ZSTD_MAGIC:
        if not hasattr(_local, "decompressor"):
            _local.decompressor = zstandard.ZstdDecompressor()
        return _local.decompressor.decompress(stored)
    return zlib.decompress(stored)
