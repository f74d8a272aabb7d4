"""TrueType subsets for OFD: the glyphs a document uses, with a Unicode cmap.

An OFD ``TextCode`` holds the characters themselves; a reader maps them to glyphs through
the embedded font's Unicode cmap (the PDF's subsets have none: glyph ids are the codes). The
subset's tables are made by the PDF writer's subsetter (glyphs read once per process, so a
subset costs well under a millisecond), which writes no cmap; a Unicode one is added
(format 4 for the BMP, format 12 for everything), written directly: fontTools' cmap
compiler cost more than the subset itself.
"""

from __future__ import annotations

import struct
from typing import Any

from ..pdf.subset import sfnt


def _format_4(mapping: list[tuple[int, int]]) -> bytes:
    """A cmap format 4 subtable: one segment per character (consecutive runs are rare in a
    subset of Chinese text and cost nothing to list), and the closing 0xFFFF segment."""
    segments = [(code, code, (gid - code) & 0xFFFF) for code, gid in mapping] + [(0xFFFF, 0xFFFF, 1)]
    count = len(segments)
    search = 1 << (count.bit_length() - 1)
    head = struct.pack(">HHHHHHH", 4, 16 + 8 * count, 0, 2 * count, 2 * search, search.bit_length() - 1,
                       2 * count - 2 * search)
    ends = struct.pack(f">{count}H", *(end for _, end, _ in segments))
    starts = struct.pack(f">{count}H", *(start for start, _, _ in segments))
    deltas = struct.pack(f">{count}H", *(delta for _, _, delta in segments))
    return head + ends + b"\0\0" + starts + deltas + b"\0\0" * count


def _format_12(mapping: list[tuple[int, int]]) -> bytes:
    """A cmap format 12 subtable: one group per run of consecutive codes and glyphs."""
    groups: list[list[int]] = []
    for code, gid in mapping:
        if groups and groups[-1][1] + 1 == code and groups[-1][2] + code - groups[-1][0] == gid:
            groups[-1][1] = code
        else:
            groups.append([code, code, gid])
    body = b"".join(struct.pack(">LLL", *group) for group in groups)
    return struct.pack(">HHLLL", 12, 0, 16 + len(body), 0, len(groups)) + body


def _cmap(mapping: dict[int, int]) -> bytes:
    """A cmap table: (3,1) format 4 for the BMP characters, (3,10) format 12 for all."""
    pairs = sorted(mapping.items())
    bmp = _format_4([(code, gid) for code, gid in pairs if code < 0xFFFF])
    full = _format_12(pairs)
    header = struct.pack(">HHHHLHHL", 0, 2, 3, 1, 20, 3, 10, 20 + len(bmp))
    return header + bmp + full


def unicode_subset(face: Any, chars: list[str]) -> bytes:
    """A TrueType subset of ``face`` (a PDF writer :class:`~convert.writers.pdf.fonts.Face`)
    drawing ``chars`` (sorted, distinct), with a Unicode cmap."""
    font = face.font  # the PDF writer's CIDFont: its subsetter reads the face once per process
    glyphs = [0]
    new_index: dict[int, int] = {0: 0}
    mapping: dict[int, int] = {}
    for char in chars:
        glyph = font.glyph(char)
        if not glyph:
            continue  # drawn as a box by the layout; nothing to map
        if glyph not in new_index:
            new_index[glyph] = len(glyphs)
            glyphs.append(glyph)
        mapping[ord(char)] = new_index[glyph]
    tables, sums = font.subsetter().tables_for(glyphs)  # the subset's tables, not yet a file
    tables["cmap"] = _cmap(mapping)
    return sfnt(tables, sums)
