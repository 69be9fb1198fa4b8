"""A small PNG reader for screenshots (8-bit RGB or RGBA, not interlaced): enough to tell a chart from a blank."""

from __future__ import annotations

import struct
import zlib
from collections import Counter


def read_png(data: bytes) -> tuple[int, int, int, bytes]:
    """Returns width, height, bytes per pixel and the unfiltered pixel rows, concatenated."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError("only 8-bit RGB(A) PNGs without interlacing are read")
    bpp = 3 if colour == 2 else 4
    return width, height, bpp, _unfilter(zlib.decompress(idat), width * bpp, height, bpp)


def _unfilter(raw: bytes, stride: int, height: int, bpp: int) -> bytes:
    out = bytearray()
    prev = bytearray(stride)
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        out += line
        prev = line
    return bytes(out)


def colours(data: bytes) -> Counter[tuple[int, int, int]]:
    """How many pixels of each RGB colour a PNG holds."""
    width, height, bpp, pixels = read_png(data)
    return Counter(tuple(pixels[i : i + 3]) for i in range(0, width * height * bpp, bpp))  # type: ignore[misc]


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """#4e79a7 → (78, 121, 167)."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
