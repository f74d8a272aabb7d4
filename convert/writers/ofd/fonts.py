"""TrueType subsets for OFD: the glyphs a document uses, with a Unicode cmap.

An OFD ``TextCode`` holds the characters themselves; a reader maps them to glyphs through
the embedded font's Unicode cmap (the PDF's subsets have a byte-code cmap instead). The
subset is made by the PDF writer's subsetter (glyphs read once per process, so a subset
costs well under a millisecond), and its cmap table is then replaced by a Unicode one
(format 4 for the BMP, format 12 for everything).
"""

from __future__ import annotations

import struct
from typing import Any

from fontTools.ttLib import newTable
from fontTools.ttLib.tables._c_m_a_p import cmap_format_4, cmap_format_12

from ..pdf.subset import sfnt


def _tables(font: bytes) -> dict[str, bytes]:
    """The tables of an sfnt file, by tag."""
    count = struct.unpack(">H", font[4:6])[0]
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sLLL", font[12 + 16 * i : 28 + 16 * i])
        out[tag.decode("latin-1")] = font[offset : offset + length]
    return out


def _cmap(mapping: dict[int, int]) -> bytes:
    """A cmap table: (3,1) format 4 for the BMP characters, (3,10) format 12 for all."""
    table = newTable("cmap")
    table.tableVersion = 0
    bmp = cmap_format_4(4)
    bmp.platformID, bmp.platEncID, bmp.language = 3, 1, 0
    full = cmap_format_12(12)
    full.platformID, full.platEncID, full.language = 3, 10, 0
    names = {code: f"g{gid}" for code, gid in mapping.items()}
    bmp.cmap = {code: name for code, name in names.items() if code <= 0xFFFF}
    full.cmap = names
    table.tables = [bmp, full]
    order = [f"g{i}" for i in range(max(mapping.values(), default=0) + 1)]

    class _Font:  # what cmap.compile asks of a font: glyph IDs by name
        def getGlyphID(self, name: str) -> int:  # noqa: N802 - fontTools API
            return int(name[1:])

        def getReverseGlyphMap(self) -> dict[str, int]:  # noqa: N802
            return {name: i for i, name in enumerate(order)}

    return table.compile(_Font())


def unicode_subset(face: Any, chars: list[str]) -> bytes:
    """A TrueType subset of ``face`` (a PDF writer :class:`~convert.writers.pdf.fonts.Face`)
    drawing ``chars`` (sorted, distinct), with a Unicode cmap."""
    codes = [ord(c) for c in chars]
    subset = face.font.face.makeSubset(codes)  # the PDF writer's Subsetter: code i draws codes[i]
    tables = _tables(subset)
    raw = tables["cmap"]  # one format-6 subtable at offset 12: glyph ids from byte 22
    glyph_ids = struct.unpack(f">{len(codes)}H", raw[22 : 22 + 2 * len(codes)])
    tables["cmap"] = _cmap(dict(zip(codes, glyph_ids, strict=True)))
    return sfnt(tables, {})
