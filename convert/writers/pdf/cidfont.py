"""A face embedded in a PDF as ONE CID-keyed subset per document (Type 0, ``/Identity-H``).

Each distinct character a document draws in a face gets the next two-byte code, which is
also its CID and the index of its glyph in the subset (``/CIDToGIDMap /Identity``; 0 is
``.notdef``). Text is encoded with one ``str.translate``; the ``/W`` widths and the
ToUnicode map are written as ready-made bytes (reportlab formats every number of a
``Widths`` array one by one). The class speaks enough of reportlab's dynamic-font interface
(``splitString``, ``getSubsetInternalName``, ``stringWidth``, ``addObjects``) for the
canvas's own ``drawString`` to work with it, and is registered with ``pdfmetrics``.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import add
from typing import Any

from .deflate import deflate
from .reportlab_compat import PdfName, add_font_resource, add_object, register_dynamic_font
from .sfnt import SfntFace
from .subset import Subsetter

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


#: Four hex digits per code, "0000", "0001", ...: grown in blocks as codes are handed out (at
#: most 65,536 entries per process); formatting each code cost more than the rest of its lookup.
_HEX: list[str] = []


def _hex_table(end: int) -> list[str]:
    """:data:`_HEX` with at least ``end`` entries."""
    while len(_HEX) < end:
        at = len(_HEX)
        _HEX.extend([f"{code:04X}" for code in range(at, min(at + 1024, 0x10000))])
    return _HEX


class _Codes(dict[int, str]):
    """Code point -> four hex digits, for ``str.translate``: a character met for the first time
    gets the next code from ``__missing__``, so one pass over the text both assigns new codes
    (in the order the characters first occur) and encodes."""

    __slots__ = ("known", "glyph", "chars", "glyphs")

    def __init__(self, known: dict[str, int], glyph: Callable[[str], int], chars: list[str], glyphs: list[int]) -> None:
        super().__init__()
        # known: the face's memo of glyphs per character, asked first (a dict lookup, not a call)
        self.known, self.glyph, self.chars, self.glyphs = known, glyph, chars, glyphs

    def __missing__(self, code: int) -> str:
        char = chr(code)
        glyph = self.known.get(char)
        if glyph is None:
            glyph = self.glyph(char)
        glyphs = self.glyphs
        cid = len(glyphs)
        if not glyph or cid > 0xFFFF:
            self[code] = "0000"
            return "0000"
        glyphs.append(glyph)
        self.chars.append(char)
        table = _HEX if cid < len(_HEX) else _hex_table(cid + 1)
        hex_code = self[code] = table[cid]
        return hex_code


@dataclass
class _DocumentState:
    """What one document drew in one face: character -> code, and per code its glyph."""

    name: str  # resource name, e.g. /F3
    glyph: Callable[[str], int]  # the face's glyph for a character
    known: dict[str, int]  # the face's memo of glyph per character
    chars: list[str] = field(default_factory=lambda: [""])  # CID -> character (0: .notdef)
    glyphs: list[int] = field(default_factory=lambda: [0])  # CID -> original glyph index
    codes: _Codes = field(init=False)  # code point -> four hex digits

    def __post_init__(self) -> None:
        self.codes = _Codes(self.known, self.glyph, self.chars, self.glyphs)


class _FaceName:
    """What ``pdfmetrics.registerFont`` reads from a dynamic font's ``face``."""

    def __init__(self, name: str) -> None:
        self.name = name


class CIDFont:
    """A TrueType face as a reportlab dynamic font embedded as one Identity-H subset."""

    _dynamicFont = 1
    _multiByte = 0
    shapable = False
    substitutionFonts: list[Any] = []

    def __init__(self, name: str, sfnt: SfntFace) -> None:
        self.fontName = name
        self.face = _FaceName(name)
        self.sfnt = sfnt
        self.state: dict[Any, _DocumentState] = {}  # per reportlab PDFDocument
        self._subsetter: Subsetter | None = None
        self._scale = 1000.0 / sfnt.units_per_em
        # memoised for the life of the process: glyph per character, /W entry per glyph
        self._glyphs: dict[str, int] = {}
        self._width_text: dict[int, str] = {}

    # ------------------------------------------------------------ encoding

    def glyph(self, char: str) -> int:
        """The face's glyph for ``char`` (a no-break space borrows the space's); memoised."""
        glyph = self._glyphs.get(char)
        if glyph is None:
            glyph = self.sfnt.glyph_of(ord(char))
            if not glyph and char == "\xa0":
                glyph = self.sfnt.glyph_of(0x20)
            self._glyphs[char] = glyph
        return glyph

    def _state(self, doc: Any) -> _DocumentState:
        state = self.state.get(doc)
        if state is None:
            state = self.state[doc] = _DocumentState(register_dynamic_font(doc, self.fontName, self), self.glyph,
                                                       self._glyphs)
        return state

    def hex_codes(self, text: str, doc: Any) -> tuple[str, str]:
        """The resource name and the text's codes as hex digits, four per character (new characters
        get codes): the PDF painter cuts them at adjusted glyphs."""
        state = self._state(doc)
        return state.name, text.translate(state.codes)

    # reportlab's dynamic-font interface (the canvas's drawString uses it)

    def splitString(self, text: str, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:  # noqa: N802
        return [(0, bytes.fromhex(self.hex_codes(text, doc)[1]))]

    def getSubsetInternalName(self, subset: int, doc: Any) -> str:  # noqa: N802
        return self._state(doc).name

    def stringWidth(self, text: str, size: float, encoding: str | None = None) -> float:  # noqa: N802
        sfnt = self.sfnt
        return sum(sfnt.advance(self.glyph(c)) for c in text) * size / sfnt.units_per_em

    def subset(self, glyphs: list[int]) -> bytes:
        """A TrueType program whose glyph ``n`` is the face's glyph ``glyphs[n]`` (``glyphs[0]``
        is 0), without a cmap; the subsetter reads the face's tables once per process."""
        return self.subsetter()(glyphs)

    def subsetter(self) -> Subsetter:
        """This face's subsetter, made when first needed."""
        if self._subsetter is None:
            self._subsetter = Subsetter(self.sfnt)
        return self._subsetter

    # ------------------------------------------------------------ PDF objects

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab calls it when the file is written
        state = self.state.pop(doc, None)
        if state is None:
            return
        sfnt, scale = self.sfnt, self._scale
        program = self.subset(state.glyphs)
        # the subset tag depends on what the PDF holds only (not on where the font file is, so a
        # font copied to a cluster worker gives the same bytes)
        tag_number = zlib.crc32("".join(state.chars).encode("utf-8", "surrogatepass"),
                                zlib.crc32(sfnt.postscript_name.encode()))
        tag = "".join(_LETTERS[(tag_number >> (5 * i)) % 26] for i in range(6))
        base = PdfName(f"{tag}+{sfnt.postscript_name}")

        font_file = add_object(doc, {"Length1": len(program)}, deflate(program))
        flags = 4 | (1 if sfnt.fixed_pitch else 0) | (64 if sfnt.italic_angle else 0)
        descriptor = add_object(doc, {
            "Type": PdfName("FontDescriptor"), "FontName": base, "Flags": flags,
            "FontBBox": [round(v * scale) for v in sfnt.bbox],
            "ItalicAngle": round(sfnt.italic_angle, 2), "Ascent": round(sfnt.ascent * scale),
            "Descent": round(sfnt.descent * scale), "CapHeight": round(sfnt.cap_height * scale),
            "StemV": 50 + int((sfnt.weight / 65.0) ** 2), "FontFile2": font_file,
        })
        widths = " ".join(map(self._width_entry, state.glyphs[1:]))
        cid_font = add_object(doc, {
            "Type": PdfName("Font"), "Subtype": PdfName("CIDFontType2"), "BaseFont": base,
            "CIDSystemInfo": b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>",
            "FontDescriptor": descriptor, "DW": self._width_entry(0).encode(),
            "W": f"[1 [{widths}]]".encode(), "CIDToGIDMap": PdfName("Identity"),
        })
        to_unicode = add_object(doc, {}, deflate(to_unicode_cmap(state.chars)))
        add_font_resource(doc, state.name[1:], {
            "Type": PdfName("Font"), "Subtype": PdfName("Type0"), "BaseFont": base,
            "Encoding": PdfName("Identity-H"), "DescendantFonts": [cid_font], "ToUnicode": to_unicode,
        })


    def _width_entry(self, glyph: int) -> str:
        found = self._width_text.get(glyph)
        if found is None:
            found = self._width_text[glyph] = _number(self.sfnt.advance(glyph) * self._scale)
        return found


def to_unicode_cmap(chars: list[str]) -> bytes:
    """A ToUnicode CMap mapping code ``i`` (two bytes) to ``chars[i]`` (``chars[0]`` is .notdef,
    left unmapped: no code maps to U+0000 or U+FEFF)."""
    if "\0" in chars or "\ufeff" in chars:
        pairs = [f"<{cid:04X}> <{_utf16(char)}>" for cid, char in enumerate(chars) if cid and char not in ("\0", "\ufeff")]
    else:  # every code: the same lines, joined from memoised halves
        count = len(chars)
        keys = _CMAP_KEYS if count <= len(_CMAP_KEYS) else _cmap_keys(count)
        pairs = list(map(add, keys[1:count], map(_utf16_closed, chars[1:])))
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
    ]
    for at in range(0, len(pairs), 100):  # at most 100 entries per block (PDF 1.7, 9.10.3)
        chunk = pairs[at : at + 100]
        lines += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


@functools.lru_cache(maxsize=65536)
def _utf16(char: str) -> str:
    return char.encode("utf-16-be", "surrogatepass").hex().upper()


@functools.lru_cache(maxsize=65536)
def _utf16_closed(char: str) -> str:
    return _utf16(char) + ">"


#: "<0000> <", "<0001> <", ...: the start of each code's line in a ToUnicode map (grown like _HEX).
_CMAP_KEYS: list[str] = []


def _cmap_keys(end: int) -> list[str]:
    while len(_CMAP_KEYS) < end:
        at = len(_CMAP_KEYS)
        _CMAP_KEYS.extend([f"<{code:04X}> <" for code in range(at, min(at + 1024, 0x10000))])
    return _CMAP_KEYS


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
