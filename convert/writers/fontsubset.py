"""Subsets of the bundled CJK fonts, for books that carry their own font (``--embed-font``).

The bundled Ming face is a 20 MB collection. fontTools' general subsetter re-parses and
then rewrites a font in place, which costs about 150 ms a document here, more than the
whole rest of the EPUB. So each face is parsed once per process and kept (its character
map, glyph table, metrics and header tables), and a document's subset is *assembled*
from it with fontTools' own table objects: the glyphs the text needs (plus the
components of composite glyphs), copied byte for byte, a new character map and metrics,
and the source's header tables (whose maxima remain valid bounds for a subset).
Nothing is recomputed from outlines, and no timestamp comes from the clock, so the
same text gives the same bytes. Tests check that every glyph of a subset draws the
same decomposed outline, with the same advance width, as in the full font.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .. import fonts

# Global hinting tables the glyph programs may call into: copied whole when present.
_GLOBAL_TABLES = ("fpgm", "prep", "cvt ", "gasp")
# Names kept: family, style, identifiers, version, PostScript name, licence and its URL.
_NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)


@dataclass(frozen=True)
class Subset:
    """One subset font: TrueType bytes, the family it came from, the characters it holds."""

    data: bytes
    source_family: str
    chars: frozenset[str]


class _Face:
    """One font of a file, parsed once: the tables a subset is assembled from."""

    def __init__(self, font_file: fonts.FontFile) -> None:
        from fontTools.ttLib import TTFont

        self.font_file = font_file
        data = font_file.path.read_bytes()
        # Not lazy=False: that would decode every outline of the font.
        font = TTFont(io.BytesIO(data), fontNumber=font_file.subfont_index, recalcBBoxes=False, recalcTimestamp=False)
        self.cmap: dict[int, str] = font.getBestCmap()
        self.codepoints = frozenset(self.cmap)
        self.glyf = font["glyf"]
        self.glyf.glyphs  # noqa: B018 - decompile the glyph index once, here
        self.glyph_id = dict(font.getReverseGlyphMap())
        self.metrics = font["hmtx"].metrics
        self.post = font["post"]
        self.name = font["name"]
        self.tables = {tag: font[tag] for tag in ("head", "hhea", "maxp", "OS/2") + _GLOBAL_TABLES if tag in font}

    def closure(self, names: Iterable[str]) -> list[str]:
        """The glyphs and, transitively, their components; in the source font's glyph order."""
        wanted = set(names) | {".notdef"}
        todo = list(wanted)
        while todo:
            glyph = self.glyf.glyphs.get(todo.pop())
            if glyph is None:
                continue
            for component in glyph.getComponentNames(self.glyf):
                if component not in wanted:
                    wanted.add(component)
                    todo.append(component)
        return sorted((n for n in wanted if n in self.glyph_id), key=self.glyph_id.__getitem__)

    def subset(self, chars: Iterable[str]) -> bytes:
        from fontTools.fontBuilder import FontBuilder
        from fontTools.ttLib import TTFont, newTable

        cmap = {ord(c): self.cmap[ord(c)] for c in chars if ord(c) in self.cmap}
        glyph_order = self.closure(cmap.values())
        font = TTFont(recalcBBoxes=False, recalcTimestamp=False)
        font.setGlyphOrder(glyph_order)
        for tag, table in self.tables.items():
            font[tag] = copy.copy(table)
        name = newTable("name")
        name.names = [copy.copy(r) for r in self.name.names if r.nameID in _NAME_IDS]
        font["name"] = name
        glyphs = {}
        for glyph_name in glyph_order:
            glyph = self.glyf.glyphs[glyph_name]
            if glyph.isComposite():
                # Its components are stored by glyph id, and ids change: a private copy, decoded
                # so that saving writes the new ids (the shared original is never modified).
                glyph = copy.deepcopy(glyph)
                glyph.expand(self.glyf)
            glyphs[glyph_name] = glyph
        glyf = newTable("glyf")
        glyf.glyphs = glyphs
        glyf.glyphOrder = glyph_order
        font["loca"] = newTable("loca")
        font["glyf"] = glyf
        builder = FontBuilder(font=font)
        builder.setupCharacterMap(cmap)
        builder.setupHorizontalMetrics({n: self.metrics[n] for n in glyph_order})
        source_post = self.post
        builder.setupPost(keepGlyphNames=False, italicAngle=source_post.italicAngle,
                          underlinePosition=source_post.underlinePosition,
                          underlineThickness=source_post.underlineThickness, isFixedPitch=source_post.isFixedPitch)
        font["OS/2"].updateFirstAndLastCharIndex(font)
        out = io.BytesIO()
        font.save(out, reorderTables=True)
        return out.getvalue()


@cache
def _face(role: str, index: int) -> _Face:
    return _Face(fonts.bundled(role)[index])


def subset_for(chars: Iterable[str]) -> tuple[list[Subset], frozenset[str]]:
    """Subsets of the bundled body font, then the fallback faces, covering ``chars``.

    Returns the subsets (body first; a fallback face only when it is needed) and the
    characters no bundled font has. White space and controls need no glyph here.
    """
    wanted = {c for c in chars if not c.isspace() and ord(c) >= 0x20}
    subsets: list[Subset] = []
    roles = [("body", 0)] + [("fallback", i) for i in range(len(fonts.bundled("fallback")))]
    for role, index in roles:
        if not wanted:
            break
        face = _face(role, index)
        covered = frozenset(c for c in wanted if ord(c) in face.codepoints)
        if not covered:
            continue
        subsets.append(Subset(face.subset(covered), face.font_file.family, covered))
        wanted -= covered
    return subsets, frozenset(wanted)
