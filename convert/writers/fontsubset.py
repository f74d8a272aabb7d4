"""Subsets of the bundled CJK fonts, for books that carry their own font (``--embed-font``).

The bundled Ming face is a 20 MB collection; re-parsing it for every document would cost
far more than the rest of the EPUB. So each font file is read into memory once per
process, and its character map is parsed once, to decide which characters each face
covers. Per document, fontTools' subsetter then works on a lazily-opened view of those
bytes (only the tables it touches are parsed), with bounding boxes and timestamps left
as they are: recomputing them would decode every outline, and a fresh timestamp would
make the output differ from run to run.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .. import fonts

# Tables a web/e-book font does not need: embedded bitmaps, layout we do not use for
# horizontal text, vendor tables the subsetter cannot subset.
_DROP_TABLES = [
    "EBDT", "EBLC", "EBSC", "BDF ", "FFTM", "PCLT", "LTSH", "hdmx", "VDMX", "prop", "BASE",
    "GSUB", "GPOS", "GDEF", "vhea", "vmtx", "VORG", "JSTF", "DSIG",
]


@dataclass(frozen=True)
class Subset:
    """One subset font: TrueType bytes, the family it came from, the characters it holds."""

    data: bytes
    source_family: str
    chars: frozenset[str]


class _Face:
    """One font of a file, kept in memory: its bytes and the code points it maps."""

    def __init__(self, font: fonts.FontFile) -> None:
        from fontTools.ttLib import TTFont

        self.font = font
        self.data = font.path.read_bytes()
        probe = TTFont(io.BytesIO(self.data), fontNumber=font.subfont_index, lazy=True)
        self.codepoints = frozenset(probe.getBestCmap())

    def subset(self, chars: Iterable[str]) -> bytes:
        from fontTools import subset
        from fontTools.ttLib import TTFont

        options = subset.Options()
        options.layout_features = []
        options.notdef_outline = True
        options.hinting = True  # keeping the glyph programs avoids decoding every outline
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # names and the licence notice
        options.name_languages = ["*"]
        options.drop_tables = list(options.drop_tables) + _DROP_TABLES
        options.recalc_bounds = False
        options.recalc_timestamp = False
        font = TTFont(io.BytesIO(self.data), fontNumber=self.font.subfont_index, lazy=True,
                      recalcBBoxes=False, recalcTimestamp=False)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(ord(c) for c in chars))
        logger = logging.getLogger("fontTools.subset")
        level = logger.level
        logger.setLevel(logging.ERROR)  # "table X not subset; dropped" for tables we drop anyway
        try:
            subsetter.subset(font)
        finally:
            logger.setLevel(level)
        out = io.BytesIO()
        font.save(out)
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
        subsets.append(Subset(face.subset(covered), face.font.family, covered))
        wanted -= covered
    return subsets, frozenset(wanted)
