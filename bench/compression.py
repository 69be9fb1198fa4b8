"""Raw page compression compared: zlib and Zstandard levels on real article pages, time and size.

    python bench/compression.py                  # the dev set's real pages (../shared/devset/pages)
    python bench/compression.py --pages DIR      # any folder of saved pages

The archive keeps every fetched page for years and re-reads them all on `reprocess` and WARC export,
so both directions count. Each codec compresses and decompresses every page REPEAT times; the table
gives the mean per page and the ratio of raw to stored bytes over all pages.
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import zstandard

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT.parent / "shared" / "devset" / "pages"
REPEAT = 5


def timed(work: Callable[[bytes], bytes], pages: list[bytes]) -> tuple[float, list[bytes]]:
    """Mean µs per page over REPEAT passes, and the last pass's outputs."""
    started = time.perf_counter()
    for _ in range(REPEAT):
        out = [work(page) for page in pages]
    return (time.perf_counter() - started) / REPEAT / len(pages) * 1e6, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--pages", type=Path, default=DEFAULT_PAGES, help="folder of saved pages (searched recursively)"
    )
    folder = parser.parse_args().pages
    pages = [p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()]
    if not pages:
        sys.exit(f"no pages under {folder}")
    raw = sum(map(len, pages))
    print(f"{len(pages)} pages, {raw / len(pages) / 1000:.0f} KB each on average\n")
    print("| codec | compress µs/page | decompress µs/page | ratio |\n|---|---:|---:|---:|")
    codecs: list[tuple[str, Callable[[bytes], bytes], Callable[[bytes], bytes]]] = [
        (f"zlib {level}", lambda b, level=level: zlib.compress(b, level), zlib.decompress) for level in (1, 6, 9)
    ]
    for level in (1, 3, 6, 9):
        compressor, decompressor = zstandard.ZstdCompressor(level=level), zstandard.ZstdDecompressor()
        codecs.append((f"zstd {level}", compressor.compress, decompressor.decompress))
    for name, compress, decompress in codecs:
        packing, stored = timed(compress, pages)
        unpacking, _ = timed(decompress, stored)
        print(f"| {name} | {packing:,.0f} | {unpacking:,.0f} | {raw / sum(map(len, stored)):.2f} |")


if __name__ == "__main__":
    main()
