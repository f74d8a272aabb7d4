"""PDF writer: reportlab platypus with our own clreq line breaking and per-character font fallback.

Why our own paragraph flowable: reportlab's ``wordWrap='CJK'`` ignores the line-end
rules and keeps at most one line-start-prohibited character, and its markup parser
would eat raw ``<`` and ``&``. :class:`CJKParagraph` takes plain characters, resolves a
font for each one (main font, then fallbacks for Extension A/B and symbols), measures
them, breaks lines with :func:`convert.typography.fit_lines` and draws justified lines
with the slack spread over the gaps between CJK characters (never inside a Latin word).

Fonts are reportlab ``TTFont`` objects parsed once per process and reused for every
document (the batch layer renders documents one after another in each worker process;
a lock keeps two threads from building at once, because a ``TTFont`` holds per-document
subset state). Every font is a TrueType subset with a ToUnicode map, so ``pdffonts``
lists nothing unembedded and ``pdftotext`` gives back the text.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import sys
import threading
import unicodedata
import zlib
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib.pagesizes import A4, A5, B5, LETTER
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, Indenter, PageTemplate, Spacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus.doctemplate import LayoutError

from ... import __version__
from ...errors import ConvertError, FontError
from ...fonts import FontFile, bundled, user_font
from ...model import (
    Block,
    Book,
    Diagnostic,
    Document,
    Emphasis,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
    full_date,
    warning,
)
from ...typography import (
    INDENT_EM,
    NO_LINE_END,
    NO_LINE_START,
    break_opportunities,
    fit_lines,
    is_cjk,
    strip_illegal,
    takes_latin_font,
)
from ...untrusted import read_picture
from ..base import PAGE_SIZES, Rendered, Writer, WriterOptions
from ..pictures import refuse_bombs

#: Deflate level for every stream. Font subsets are most of a file, and level 1 writes them
#: about twice as fast as zlib's default 6 for files some 10 % larger.
ZLIB_LEVEL = 1

_PAGE_SIZES = {"A4": A4, "A5": A5, "B5": B5, "Letter": LETTER}
_DEFAULT_FONT_SIZE = {"A4": 12.0, "A5": 10.5, "B5": 11.0, "Letter": 12.0}
_LEADING = 1.75  # line height in em: the seed sites ask for 16 px text on 25 px lines; print wants a bit more
_ASCENT = 0.88  # the ideographic em box sits from -0.12 em to +0.88 em around the baseline
_BLACK = (0.0, 0.0, 0.0)
_GREY = (0.35, 0.35, 0.35)
_LINK = (0.0, 0.2, 0.6)
_FAKE_ITALIC = 0.2  # horizontal shear for emphasis: there is no italic CJK face
_MAX_SPACING = 0.25  # the most justification may add between two characters, in em

# One build at a time per process: a reportlab TTFont keeps per-document state.
_BUILD_LOCK = threading.Lock()


@dataclass(frozen=True)
class PdfOptions(WriterOptions):
    page_size: str = "A4"  # A4, A5, B5 or Letter
    font: str | None = None  # a TrueType .ttf/.ttc for body text; None for the bundled AR PL UMing
    font_size: float | None = None  # body size in points; None picks one for the page size
    continuous: bool = False  # book mode: run articles on without starting each on a new page


# ---------------------------------------------------------------- fonts, once per process


class _Face:
    """A registered reportlab TTFont with its character coverage and a width cache."""

    def __init__(self, spec: FontFile) -> None:
        key = f"{spec.path}#{spec.subfont_index}".encode()
        self.name = "CV" + hashlib.sha1(key).hexdigest()[:10]  # stable across processes
        try:
            self.font = TTFont(self.name, str(spec.path), subfontIndex=spec.subfont_index)
        except (TTFError, OSError, ValueError, IndexError, KeyError) as exc:
            raise FontError(f"cannot load font: {exc}", spec.path) from None
        pdfmetrics.registerFont(self.font)
        # our subsetter, bound to this face only (reportlab calls face.makeSubset(subset))
        self.font.face.makeSubset = _Subsetter(self.font.face)
        self.cmap: dict[int, int] = self.font.face.charToGlyph
        face_widths = self.font.face.charWidths
        default = self.font.face.defaultWidth
        self._widths = face_widths
        self._default = default

    def covers(self, char: str) -> bool:
        return ord(char) in self.cmap

    def width(self, char: str) -> float:
        """Advance of ``char`` at 1 pt (so multiply by the font size)."""
        return self._widths.get(ord(char), self._default) / 1000.0


_COMPOSITE_MORE, _COMPOSITE_WORDS = 0x0020, 0x0001
_COMPOSITE_SCALE, _COMPOSITE_XY_SCALE, _COMPOSITE_2X2 = 0x0008, 0x0040, 0x0080
_NAME_IDS_KEPT = (1, 2, 3, 4, 5, 6)  # family, style, unique id, full name, version, PostScript name


class _Subsetter:
    """reportlab's ``makeSubset`` without its per-document costs, output of the same shape.

    reportlab slices the whole ``glyf`` table (17 MB for AR PL UMing) out of the font file
    again for every 256-glyph subset of every document and copies the full ``name`` table
    (23 KB of licence text in AR PL UMing) into each subset. Here the tables and every
    glyph's bytes are read once per process, and the subset's ``name`` table keeps only the
    records that identify the font.
    """

    def __init__(self, face: Any) -> None:
        self.face = face
        self.glyf_start = face.get_table_pos("glyf")[0]
        self.data = face._ttf_data
        self.glyphs: dict[int, tuple[bytes, tuple[int, ...], int]] = {}
        self.tables: dict[str, bytes] = {}
        for tag in ("OS/2", "cvt ", "fpgm", "prep", "hhea", "maxp", "head"):
            try:
                self.tables[tag] = face.get_table(tag)
            except KeyError:  # cvt, fpgm and prep are optional
                pass
        self.tables["name"] = self._small_name_table(face)
        self.post = b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16

    @staticmethod
    def _small_name_table(face: Any) -> bytes:
        from fontTools.ttLib import newTable
        from fontTools.ttLib.tables._n_a_m_e import NameRecord

        raw = face.get_table("name")
        count, storage = struct.unpack(">HH", raw[2:6])
        table = newTable("name")
        table.names = []
        for i in range(count):
            platform, encoding, language, name_id, length, offset = struct.unpack(">6H", raw[6 + 12 * i : 18 + 12 * i])
            if name_id in _NAME_IDS_KEPT:
                record = NameRecord()
                record.platformID, record.platEncID, record.langID, record.nameID = platform, encoding, language, name_id
                record.string = raw[storage + offset : storage + offset + length]
                table.names.append(record)
        return table.compile(None)

    def glyph(self, index: int) -> tuple[bytes, tuple[tuple[int, int], ...], int]:
        """A glyph's bytes padded to four; for a composite glyph, the offset and original index of
        each component's glyph index (none for a simple glyph); its checksum."""
        found = self.glyphs.get(index)
        if found is None:
            pos = self.face.glyphPos
            start, end = pos[index], pos[index + 1]
            data = self.data[self.glyf_start + start : self.glyf_start + end]
            components: list[tuple[int, int]] = []
            if len(data) > 2 and struct.unpack(">h", data[:2])[0] < 0:
                at, flags = 10, _COMPOSITE_MORE
                while flags & _COMPOSITE_MORE:
                    flags, component = struct.unpack(">HH", data[at : at + 4])
                    components.append((at + 2, component))
                    at += 8 if flags & _COMPOSITE_WORDS else 6
                    if flags & _COMPOSITE_SCALE:
                        at += 2
                    elif flags & _COMPOSITE_XY_SCALE:
                        at += 4
                    elif flags & _COMPOSITE_2X2:
                        at += 8
            data += b"\0" * (-len(data) % 4)
            found = self.glyphs[index] = (data, tuple(components), _checksum(data))
        return found

    def __call__(self, subset: list[int]) -> bytes:
        char_to_glyph = self.face.charToGlyph
        glyph_map = [0]  # new index -> original index
        glyph_set = {0: 0}  # original index -> new index
        code_to_glyph = []
        for code in subset:
            original = char_to_glyph.get(code, 0)
            if original not in glyph_set:
                glyph_set[original] = len(glyph_map)
                glyph_map.append(original)
            code_to_glyph.append(glyph_set[original])
        n = 0
        while n < len(glyph_map):  # pull in the parts of composite glyphs
            for _, component in self.glyph(glyph_map[n])[1]:
                if component not in glyph_set:
                    glyph_set[component] = len(glyph_map)
                    glyph_map.append(component)
            n += 1

        output: dict[str, bytes] = {}
        for tag in ("name", "OS/2", "cvt ", "fpgm", "prep"):
            if tag in self.tables:
                output[tag] = self.tables[tag]
        output["post"] = self.post

        hmetrics = self.face.hmetrics
        hmtx: list[int] = []
        for original in glyph_map:
            aw, lsb = hmetrics[original]
            hmtx += (int(aw), int(lsb))
        k = len(hmtx) - 2
        while k and hmtx[k] == hmtx[k - 2]:
            k -= 2
        k += 2
        long_metrics = k >> 1
        hmtx = hmtx[:k] + hmtx[k + 1 :: 2]
        output["hmtx"] = struct.pack(f">{len(hmtx)}H", *hmtx)
        output["hhea"] = _set_ushort(self.tables["hhea"], 34, long_metrics)
        output["maxp"] = _set_ushort(self.tables["maxp"], 4, len(glyph_map))

        entries = len(subset)
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + entries * 2, 0, 0, entries, *code_to_glyph]
        output["cmap"] = struct.pack(f">{len(cmap)}H", *cmap)

        parts: list[bytes] = []
        offsets: list[int] = []
        pos = 0
        glyf_sum = 0
        for original in glyph_map:
            offsets.append(pos)
            data, components, checksum = self.glyph(original)
            if components:  # renumber the components
                patched = bytearray(data)
                for at, component in components:
                    struct.pack_into(">H", patched, at, glyph_set[component])
                data = bytes(patched)
                checksum = _checksum(data)
            parts.append(data)
            pos += len(data)
            glyf_sum += checksum
        offsets.append(pos)
        output["glyf"] = b"".join(parts)
        if (pos + 1) >> 1 > 0xFFFF:
            loca_format, loca = 1, struct.pack(f">{len(offsets)}L", *offsets)
        else:
            loca_format, loca = 0, struct.pack(f">{len(offsets)}H", *[o >> 1 for o in offsets])
        output["loca"] = loca
        output["head"] = _set_ushort(self.tables["head"], 50, loca_format)
        return _sfnt(output, {"glyf": glyf_sum & 0xFFFFFFFF})


def _checksum(data: bytes) -> int:
    """The TrueType table checksum: the sum of big-endian 32-bit words, modulo 2**32."""
    words = array("I", data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def _sfnt(tables: dict[str, bytes], sums: dict[str, int]) -> bytes:
    """A TrueType file from its tables, byte for byte what reportlab's TTFontMaker makes, faster:
    ``sums`` holds checksums known already, and the file's checksum is the sum of its parts'."""
    count = len(tables)
    search = 1
    selector = 0
    while search * 2 <= count:
        search *= 2
        selector += 1
    header = [struct.pack(">LHHHH", 0x00010000, count, search * 16, selector, count * 16 - search * 16)]
    body: list[bytes] = []
    offset = 12 + count * 16
    head_offset = 0
    total = 0
    for tag in sorted(tables):
        data = tables[tag]
        if tag == "head":
            data = data[:8] + b"\0\0\0\0" + data[12:]  # checksumAdjustment is computed over the whole file
            head_offset = offset
        checksum = sums[tag] if tag in sums else _checksum(data)
        total += checksum
        header.append(tag.encode("latin-1") + struct.pack(">LLL", checksum, offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        offset += len(padded)
    directory = b"".join(header)
    font = b"".join([directory, *body])
    adjustment = (0xB1B0AFBA - total - _checksum(directory)) & 0xFFFFFFFF
    return font[: head_offset + 8] + struct.pack(">L", adjustment) + font[head_offset + 12 :]


def _set_ushort(data: bytes, offset: int, value: int) -> bytes:
    return data[:offset] + struct.pack(">H", value) + data[offset + 2 :]


_FACES: dict[tuple[str, int], _Face] = {}
_FACES_LOCK = threading.Lock()


def _face(spec: FontFile) -> _Face:
    key = (str(spec.path), spec.subfont_index)
    with _FACES_LOCK:
        face = _FACES.get(key)
        if face is None:
            face = _FACES[key] = _Face(spec)
        return face


class _Chain:
    """A main font plus fallbacks: each character takes the first face that has it.

    Fallback faces are parsed only when a character first needs one; the per-character
    answer is memoised for the life of the process.
    """

    def __init__(self, specs: tuple[FontFile, ...]) -> None:
        self.specs = specs
        self._faces: list[_Face | None] = [None] * len(specs)
        self._memo: dict[str, int] = {}

    def face(self, index: int) -> _Face:
        face = self._faces[index]
        if face is None:
            face = self._faces[index] = _face(self.specs[index])
        return face

    @property
    def main(self) -> _Face:
        """The principal face: the first that is not limited to Latin letters."""
        return self.face(next((i for i, s in enumerate(self.specs) if not s.latin_only), 0))

    def resolve(self, char: str) -> int:
        """Index of the face that draws ``char``, or -1 when no face has it."""
        found = self._memo.get(char)
        if found is None:
            found = -1
            for i, spec in enumerate(self.specs):
                if spec.latin_only and not takes_latin_font(char):
                    continue
                if self.face(i).covers(char):
                    found = i
                    break
            self._memo[char] = found
        return found


_CHAINS: dict[tuple[FontFile, ...], _Chain] = {}


def _chain(specs: tuple[FontFile, ...]) -> _Chain:
    unique = tuple(dict.fromkeys(specs))
    with _FACES_LOCK:
        chain = _CHAINS.get(unique)
        if chain is None:
            chain = _CHAINS[unique] = _Chain(unique)
        return chain


@dataclass
class _Fonts:
    body: _Chain
    heading: _Chain


_FONTS: dict[str | None, _Fonts] = {}


def _fonts_for(options: PdfOptions) -> _Fonts:
    """The font chains for ``--font`` (or the bundled faces), made once per process: checking a
    chosen font file with fontTools again for every document cost 0.5 ms, a tenth of a seed
    article's render."""
    key = os.path.abspath(options.font) if options.font else None
    fonts = _FONTS.get(key)
    if fonts is None:
        fallback = bundled("fallback")
        body_main = bundled("body")
        # A chosen --font draws its own Latin letters; the bundled Ming face's are monospaced,
        # so with it Latin text takes the bundled serif.
        main = (user_font(options.font),) if options.font else bundled("latin")
        body = _chain(main + body_main + fallback)
        heading = _chain(bundled("heading") + main + body_main + fallback)
        body.main  # noqa: B018 - parse the main faces now, so a bad --font fails before layout
        heading.main  # noqa: B018
        fonts = _FONTS[key] = _Fonts(body, heading)
    return fonts


# ---------------------------------------------------------------- text runs and styles


@dataclass(frozen=True)
class _Style:
    chain: _Chain
    size: float
    color: tuple[float, float, float] = _BLACK
    shear: float = 0.0
    href: str | None = None


@dataclass
class _Counters:
    """What a render noticed, turned into diagnostics at the end."""

    uncovered: dict[str, int] = field(default_factory=dict)
    dropped_controls: int = 0
    dropped_invisible: int = 0

    def uncovered_codes(self) -> str:
        """The characters no font has, for a warning: the first eight as U+XXXX, … for more."""
        listed = ", ".join(f"U+{ord(ch):04X}" for ch in sorted(self.uncovered)[:8])
        return listed + ("…" if len(self.uncovered) > 8 else "")


def _flatten(inlines: tuple[Inline, ...], base: _Style, strong: _Chain) -> list[tuple[str, _Style]]:
    """Inline tree to (text, style) runs. Strong text is set in the Hei face (Chinese bold);
    emphasis is sheared; links are coloured and remember their target."""
    runs: list[tuple[str, _Style]] = []
    stack: list[tuple[Any, _Style]] = [(iter(inlines), base)]
    while stack:
        iterator, style = stack[-1]
        node = next(iterator, None)
        if node is None:
            stack.pop()
        elif isinstance(node, Text):
            runs.append((node.text, style))
        elif isinstance(node, LineBreak):
            runs.append(("\n", style))
        elif isinstance(node, Strong):
            stack.append((iter(node.children), _Style(strong, style.size, style.color, style.shear, style.href)))
        elif isinstance(node, Emphasis):
            stack.append((iter(node.children), _Style(style.chain, style.size, style.color, _FAKE_ITALIC, style.href)))
        elif isinstance(node, Link):
            stack.append((iter(node.children), _Style(style.chain, style.size, _LINK, style.shear, node.href)))
    return runs


_IGNORABLE_CATEGORIES = ("Cf", "Mn", "Me")


_WORD: dict[str, bool] = {}


def _is_word(char: str) -> bool:
    """Part of a Latin word, number or URL: not CJK, not a space (memoised: asked per character)."""
    found = _WORD.get(char)
    if found is None:
        found = _WORD[char] = not char.isspace() and not is_cjk(char)
    return found


class _Text:
    """A paragraph's characters with a style, a face and an advance for each one."""

    __slots__ = ("chars", "styles", "faces", "widths", "uncovered", "word")

    def __init__(self, runs: list[tuple[str, _Style]], counters: _Counters) -> None:
        chars: list[str] = []
        styles: list[_Style] = []
        faces: list[int] = []
        widths: list[float] = []
        uncovered: set[int] = set()
        for raw, style in runs:
            text, dropped = strip_illegal(raw.replace("\t", " ").replace("\r", ""))
            counters.dropped_controls += dropped
            chain = style.chain
            size = style.size
            resolve = chain.resolve
            for ch in text:
                index = resolve(ch)
                if index >= 0:
                    width = chain.face(index).width(ch) * size
                elif ch == "\n":
                    index, width = 0, 0.0
                elif unicodedata.category(ch) == "Cc":  # DEL and C1 controls: nothing to draw
                    counters.dropped_controls += 1
                    continue
                elif unicodedata.category(ch) in _IGNORABLE_CATEGORIES:
                    # a joiner or variation selector no font draws: leaving it out changes nothing visible
                    counters.dropped_invisible += 1
                    continue
                else:
                    counters.uncovered[ch] = counters.uncovered.get(ch, 0) + 1
                    uncovered.add(len(chars))
                    index, width = 0, size  # drawn as a one-em box
                chars.append(ch)
                styles.append(style)
                faces.append(index)
                widths.append(width)
        self.chars = "".join(chars)
        self.styles = styles
        self.faces = faces
        self.widths = widths
        self.uncovered = uncovered
        self.word = [_is_word(ch) for ch in chars]


# ---------------------------------------------------------------- the paragraph flowable


class CJKParagraph(Flowable):
    """A paragraph set by clreq rules: justified, first line indented, split across pages.

    ``align`` is ``justify`` (body text: the last line and lines before a forced break are
    left-aligned), ``left`` or ``center`` (titles).
    """

    def __init__(
        self,
        text: _Text,
        size: float,
        leading: float,
        indent: float = 0.0,
        align: str = "justify",
        space_before: float = 0.0,
        space_after: float = 0.0,
        outline: tuple[str, int, str] | None = None,
        keep_with_next: bool = False,
        _start: int = 0,
        _first: bool = True,
    ) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.leading = leading
        self.indent = indent
        self.align = align
        self.spaceBefore = space_before if _first else 0.0
        self.spaceAfter = space_after
        self.outline = outline if _first else None  # (title, level, key)
        self.keepWithNext = keep_with_next
        self._start = _start
        self._first = _first
        self._lines: list[tuple[int, int]] = []
        self._layout_width = -1.0

    # -- layout

    def _layout(self, width: float) -> list[tuple[int, int]]:
        if width != self._layout_width:
            chars = self.text.chars[self._start :]
            widths = self.text.widths[self._start :]
            first = width - self.indent if self._first else None
            lines = fit_lines(chars, widths, width, first)
            if self.align == "center" and len(lines) > 1:
                lines = _balanced(chars, widths, width, len(lines))
            self._lines = [(s + self._start, e + self._start) for s, e in lines]
            if not self._lines:
                self._lines = [(self._start, self._start)]  # an empty paragraph still takes a line
            self._layout_width = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        lines = self._layout(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        lines = self._layout(availWidth)
        fit = int((availHeight + 1e-6) // self.leading)
        if fit >= len(lines):
            return [self]
        if fit < 1:
            return []  # not one line fits here
        if fit < 2 and len(lines) > 1 and availHeight < self._frame_height():
            return []  # no orphan: do not leave a single first line at the foot of a page
        if len(lines) - fit == 1 and fit > 2:
            fit -= 1  # no widow: carry two lines over rather than one
        fit = max(fit, 1)
        cut = lines[fit][0]
        head = CJKParagraph(
            self.text, self.size, self.leading, self.indent, self.align, self.spaceBefore, 0.0,
            self.outline, False, self._start, self._first,
        )
        head._lines, head._layout_width = lines[:fit], availWidth
        tail = CJKParagraph(
            self.text, self.size, self.leading, self.indent, self.align, 0.0, self.spaceAfter,
            None, self.keepWithNext, cut, False,
        )
        tail._lines, tail._layout_width = [(s, e) for s, e in lines[fit:]], availWidth
        return [head, tail]

    def _frame_height(self) -> float:
        frame = getattr(self, "_frame", None)
        return frame._aH if frame is not None else 0.0

    # -- drawing

    def draw(self) -> None:
        canvas = self.canv
        if self.outline is not None:
            title, level, key = self.outline
            canvas.bookmarkHorizontal(key, 0, self.height + self.leading * 0.5)
            canvas.addOutlineEntry(title, key, level=level, closed=False)
        draw_lines(canvas, self.text, self._lines, 0.0, self.height, self.width, self.leading,
                   self.indent if self._first else 0.0, self.align)


def _balanced(chars: str, widths: list[float], width: float, count: int) -> list[tuple[int, int]]:
    """Lines of a centred title made as even as they can be: the narrowest measure that still
    needs no more lines (a two-line title splits near the middle, not one word on its own).
    A two-line title prefers to split at a phrase boundary (after a closing mark such as
    ”、》, before an opening one such as “《) over a slightly better balance inside a word."""
    if count == 2 and "\n" not in chars:
        split = _two_line_split(chars, widths, width)
        if split is not None:
            return [(0, split), (split, len(chars))]
    low, high = width / 2, width
    best = fit_lines(chars, widths, width)
    for _ in range(12):
        middle = (low + high) / 2
        trial = fit_lines(chars, widths, middle)
        if len(trial) <= count:
            best, high = trial, middle
        else:
            low = middle
    return best


def _two_line_split(chars: str, widths: list[float], width: float) -> int | None:
    ok = break_opportunities(chars)
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    total = prefix[-1]
    best: tuple[float, int] | None = None
    for i in range(1, len(chars)):
        if not ok[i]:
            continue
        first = prefix[len(chars[:i].rstrip())]  # spaces at the line end hang
        if first > width or total - prefix[i] > width:
            continue
        boundary = chars[i - 1] in NO_LINE_START or chars[i] in NO_LINE_END or chars[i - 1].isspace()
        cost = abs(first - (total - prefix[i])) + (0.0 if boundary else 0.3 * width)
        if best is None or cost < best[0]:
            best = (cost, i)
    return best[1] if best else None


def _num(value: float) -> str:
    """A number for the content stream: three decimals at most, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class _TextOps:
    """PDF text operators for one BT/ET block, written directly: reportlab's text object
    formats every number through a slow path and measures each string again."""

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.doc = canvas._doc
        self.escape = canvas._escape
        self.ops: list[str] = ["BT"]
        self.font: tuple[str, float] | None = None
        self.tc = 0.0
        self.color: tuple[float, float, float] = _BLACK

    def show(self, face: _Face, size: float, text: str, x: float, y: float, tc: float = 0.0,
             color: tuple[float, float, float] = _BLACK, shear: float = 0.0) -> None:
        ops = self.ops
        ops.append(f"1 0 {_num(shear)} 1 {_num(x)} {_num(y)} Tm")
        if tc != self.tc:
            ops.append(f"{_num(tc)} Tc")
            self.tc = tc
        if color != self.color:
            ops.append(f"{_num(color[0])} {_num(color[1])} {_num(color[2])} rg")
            self.color = color
        font = face.font
        for subset, data in font.splitString(text, self.doc):
            key = (font.getSubsetInternalName(subset, self.doc), size)
            if key != self.font:
                ops.append(f"{key[0]} {_num(size)} Tf")
                self.font = key
            ops.append(f"({self.escape(data)}) Tj")

    def raw(self, op: str) -> None:
        self.ops.append(op)

    def finish(self) -> None:
        if len(self.ops) > 1:
            self.ops.append("ET")
            self.canvas._code.append("\n".join(self.ops))


def draw_lines(canvas: Any, text: _Text, lines: list[tuple[int, int]], x0: float, top: float, width: float,
               leading: float, indent: float, align: str) -> None:
    """Draw ``lines`` of ``text`` from ``top`` downwards, justified by per-glyph character spacing."""
    chars, styles, faces, widths, uncovered, word = text.chars, text.styles, text.faces, text.widths, text.uncovered, text.word
    ops = _TextOps(canvas)
    boxes: list[tuple[float, float, float, float]] = []
    links: list[tuple[str, tuple[float, float, float, float]]] = []
    n_chars = len(chars)
    for number, (start, end) in enumerate(lines):
        # what is drawn: not the newline that ends a forced line, not the spaces that hang at the end
        last = end
        forced = last > start and chars[last - 1] == "\n"
        if forced:
            last -= 1
        visible_end = last
        while visible_end > start and chars[visible_end - 1].isspace():
            visible_end -= 1
        if visible_end <= start:
            continue
        size = max(s.size for s in styles[start:visible_end])
        y = top - number * leading - (leading - size) / 2 - _ASCENT * size
        line_x = x0 + (indent if number == 0 else 0.0)
        measure = width - (indent if number == 0 else 0.0)
        slack = measure - sum(widths[start:visible_end])
        is_last = end >= n_chars or forced
        spacing = 0.0
        stretch = None
        if align == "justify" and not is_last and slack > 0:
            # Gaps that stretch: those beside a Han character or CJK punctuation, never inside a
            # Latin word nor at a space (a space already is a gap; widened, it reads as a column
            # break). A line of Latin words alone stretches its spaces instead.
            space = [ch.isspace() for ch in chars[start:visible_end]]
            stretch = [
                not (word[i] or word[i + 1] or space[i - start] or space[i - start + 1])
                or (word[i] != word[i + 1] and not (space[i - start] or space[i - start + 1]))
                for i in range(start, visible_end - 1)
            ]
            gaps = sum(stretch)
            if not gaps:
                stretch = space[:-1]
                gaps = sum(stretch)
            if gaps:
                # A line left short by a long unbreakable run is justified only as far as 1/4 em
                # per gap: wider gaps read as columns to text extractors (and to people).
                spacing = min(slack / gaps, _MAX_SPACING * size)
        elif align == "center":
            line_x += max(slack, 0.0) / 2
        # groups: consecutive characters sharing face, style and spacing
        x = line_x
        i = start
        while i < visible_end:
            style, face_index = styles[i], faces[i]
            tc = spacing if (spacing and i < visible_end - 1 and stretch[i - start]) else 0.0
            j = i + 1
            if i not in uncovered:
                while j < visible_end and styles[j] is style and faces[j] == face_index and j not in uncovered:
                    tc_j = spacing if (spacing and j < visible_end - 1 and stretch[j - start]) else 0.0
                    if tc_j != tc:
                        break
                    j += 1
            run_width = sum(widths[i:j]) + tc * (j - i)
            if i in uncovered:
                _draw_uncovered(ops, style, chars[i], x, y, boxes)
            else:
                ops.show(style.chain.face(face_index), style.size, chars[i:j], x, y, tc, style.color, style.shear)
            if style.href:
                links.append((style.href, (x, y - 0.12 * style.size, x + run_width - tc, y + _ASCENT * style.size)))
            x += run_width
            i = j
    ops.finish()
    if boxes:
        canvas.saveState()
        canvas.setStrokeColorRGB(*_GREY)
        canvas.setLineWidth(0.5)
        for bx, by, bw, bh in boxes:
            canvas.rect(bx, by, bw, bh, stroke=1, fill=0)
        canvas.restoreState()
    for href, rect in links:
        canvas.linkURL(href, rect, relative=1, thickness=0)


def _draw_uncovered(ops: _TextOps, style: _Style, char: str, x: float, y: float,
                    boxes: list[tuple[float, float, float, float]]) -> None:
    """A character no font has: a visible one-em box, and in it a blank full-width glyph marked
    up with ``/ActualText`` so that text extraction still gives back the character itself."""
    size = style.size
    boxes.append((x + 0.1 * size, y - 0.1 * size, 0.8 * size, 0.95 * size))
    face = style.chain.main
    blank = "\u3000" if face.covers("\u3000") else " "
    ops.raw(f"/Span <</ActualText {_pdf_utf16(char)}>> BDC")
    ops.show(face, size, blank, x, y, 0.0, style.color)
    ops.raw("EMC")


def _pdf_utf16(text: str) -> str:
    """A PDF text string in UTF-16BE with BOM, written as hex (safe for any character)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


# ---------------------------------------------------------------- pictures


class _Picture(Flowable):
    """A picture scaled to the text width with its aspect ratio, never taller than the frame."""

    def __init__(self, reader: ImageReader, pixel_size: tuple[int, int], max_height: float) -> None:
        super().__init__()
        self.reader = reader
        self.pixel_w, self.pixel_h = pixel_size
        self.max_height = max_height
        self.spaceBefore = self.spaceAfter = 6.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        scale = min(availWidth / self.pixel_w, self.max_height / self.pixel_h)
        self.draw_w, self.draw_h = self.pixel_w * scale, self.pixel_h * scale
        self.avail_w = availWidth
        return availWidth, self.draw_h

    def draw(self) -> None:
        self.canv.drawImage(self.reader, (self.avail_w - self.draw_w) / 2, 0, self.draw_w, self.draw_h)


class _Placeholder(Flowable):
    """A visible dashed box with the picture's name where a picture is missing or unreadable."""

    def __init__(self, label: _Text, size: float) -> None:
        super().__init__()
        self.label = label
        self.size = size
        self.spaceBefore = self.spaceAfter = 6.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        inner = availWidth - 2 * self.size
        self.lines = fit_lines(self.label.chars, self.label.widths, inner)
        self.height = max(availWidth * 0.25, (len(self.lines) + 2) * self.size * 1.5)
        return availWidth, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColorRGB(*_GREY)
        canvas.setFillColorRGB(0.95, 0.95, 0.95)
        canvas.setDash(4, 3)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=1)
        canvas.restoreState()
        text_height = len(self.lines) * self.size * 1.5
        top = (self.height + text_height) / 2
        draw_lines(canvas, self.label, self.lines, self.size, top, self.width - 2 * self.size, self.size * 1.5, 0.0, "center")


def _load_picture(image: Image) -> tuple[ImageReader, tuple[int, int]] | str:
    """The picture ready to draw, or why it cannot be drawn. Decoding it fully here catches a
    truncated JPEG, which reportlab would otherwise embed as is (its bytes go in unchanged)."""
    if image.path is None:
        return "missing"
    try:
        data = read_picture(image.path)
        with refuse_bombs(), PILImage.open(io.BytesIO(data)) as probe:
            probe.load()
            size = probe.size
            fmt = probe.format
        if size[0] <= 0 or size[1] <= 0:
            return "empty picture"
        if fmt == "JPEG":
            return ImageReader(io.BytesIO(data)), size
        # anything else is re-encoded by reportlab from pixels; hand it a decoded copy
        with refuse_bombs(), PILImage.open(io.BytesIO(data)) as img:
            img.seek(0)
            converted = img.convert("RGBA" if img.mode in ("RGBA", "LA", "P", "PA") else "RGB")
        return ImageReader(converted), size
    except PILImage.UnidentifiedImageError:
        return "not a picture format Pillow can read"  # its message names a memory address
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        text = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)).strip()
        return text.splitlines()[0] if text else type(exc).__name__


# ---------------------------------------------------------------- the document


class _Info(pdfdoc.PDFInfo):
    """The document information dictionary, with the source path and fixed dates."""

    def __init__(self, title: str, author: str, subject: str, keywords: str, date: str | None,
                 source: str = "") -> None:
        super().__init__()
        self.title, self.author, self.subject, self.keywords = title, author, subject, keywords
        self.creator = f"convert {__version__}"
        self.date = _pdf_date(date)
        self.source = source

    def format(self, document: Any) -> bytes:
        entries = {
            "Title": pdfdoc.PDFString(self.title),
            "Author": pdfdoc.PDFString(self.author),
            "Subject": pdfdoc.PDFString(self.subject),
            "Keywords": pdfdoc.PDFString(self.keywords),
            "Creator": pdfdoc.PDFString(self.creator),
            "Producer": pdfdoc.PDFString(self.producer),
            "CreationDate": pdfdoc.PDFString(self.date),
            "ModDate": pdfdoc.PDFString(self.date),
            "Trapped": pdfdoc.PDFName("False"),
        }
        if self.source:
            entries["Source"] = pdfdoc.PDFString(self.source)
        return pdfdoc.PDFDictionary(entries).format(document)


def _pdf_date(iso: str | None) -> str:
    """A PDF date from the article's ISO date (China time); a fixed epoch when there is no full date."""
    day = full_date(iso)
    return f"D:{day.year:04d}{day.month:02d}{day.day:02d}000000+08'00'" if day else "D:20000101000000Z"


class _DocTemplate(BaseDocTemplate):
    """One frame filling the text block; reproducible bytes (fixed dates, no random ID); our
    information dictionary; the outline shown on opening."""

    def __init__(self, buffer: io.BytesIO, page_size: tuple[float, float], margins: tuple[float, float, float, float],
                 fonts: _Fonts, info: _Info, size: float, lang: str) -> None:
        self._info = info
        self.fonts = fonts
        self.canvases: list[Any] = []
        self.dropped: list[Diagnostic] = []
        super().__init__(buffer, pagesize=page_size, leftMargin=margins[0], rightMargin=margins[1],
                         topMargin=margins[2], bottomMargin=margins[3], lang=lang, invariant=1, pageCompression=1,
                         initialFontName=fonts.body.main.name, initialFontSize=size)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([self._page_template(frame)])

    def _page_template(self, frame: Frame) -> PageTemplate:
        """The one page template: a page number at the foot of every page."""
        return PageTemplate(id="page", frames=[frame], onPage=self._footer)

    def _makeCanvas(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - reportlab API
        canvas = super()._makeCanvas(*args, **kwargs)
        canvas._doc.info = self._info  # ours: dated by the article, not the build, and with its source
        canvas._doc._catalog.PageMode = pdfdoc.PDFName("UseOutlines")
        self.canvases.append(canvas)
        return canvas

    def handle_flowable(self, flowables: Any) -> None:
        """One block too large for any page (a table row taller than the page) costs that block,
        with a warning, not the whole document."""
        try:
            super().handle_flowable(flowables)
        except LayoutError:
            self.dropped.append(warning("block-too-large", self._too_large_message()))

    def _too_large_message(self) -> str:
        return "a block too large for a page was left out"

    def _footer(self, canvas: Any, doc: Any) -> None:
        """The page number, centred below the text block."""
        draw_page_number(canvas, self.fonts, canvas.getPageNumber(), self.leftMargin + self.width / 2,
                         self.bottomMargin * 0.5)


@contextmanager
def artifact(canvas: Any, subtype: str) -> Iterator[None]:
    """Mark what is drawn inside as pagination furniture (PDF/UA's /Artifact) with an empty
    /ActualText, so copying or extracting a paragraph that runs over a page break does not
    pick up the page number or running header in its middle. It stays visible."""
    canvas._code.append(f"/Artifact <</Type /Pagination /Subtype /{subtype}>> BDC /Span <</ActualText ()>> BDC")
    try:
        yield
    finally:
        canvas._code.append("EMC EMC")


def draw_page_number(canvas: Any, fonts: _Fonts, number: int, centre: float, baseline: float) -> None:
    canvas.saveState()
    canvas.setFillColorRGB(*_GREY)
    canvas.setFont(fonts.body.main.name, 9.0)
    with artifact(canvas, "Footer"):
        canvas.drawCentredString(centre, baseline, str(number))
    canvas.restoreState()


class _Builder:
    """Turns the model's blocks into flowables, collecting warnings on the way."""

    def __init__(self, document: Document, fonts: _Fonts, size: float, frame_height: float, frame_width: float = 0.0,
                 outline_headings: bool = True, key_prefix: str = "h") -> None:
        self.document = document
        self.fonts = fonts
        self.size = size
        self.leading = size * _LEADING
        self.frame_height = frame_height
        self.counters = _Counters()
        self.diagnostics: list[Diagnostic] = []
        self.body_style = _Style(fonts.body, size)
        self.frame_width = frame_width  # tables divide it among their columns
        self._keys = 0
        self._outline_level = 0
        # a book's outline lists its sections and articles only, like its table of contents
        self.outline_headings = outline_headings
        self.key_prefix = key_prefix  # bookmark names must be unique across a book's articles

    def text(self, inlines: tuple[Inline, ...], style: _Style | None = None) -> _Text:
        return _Text(_flatten(inlines, style or self.body_style, self.fonts.heading), self.counters)

    def plain(self, value: str, style: _Style) -> _Text:
        return _Text([(value, style)], self.counters)

    def key(self) -> str:
        self._keys += 1
        return f"{self.key_prefix}{self._keys}"

    def title_block(self, outline_level: int = 0, outline_title: str | None = None,
                    key: str | None = None) -> list[Flowable]:
        meta = self.document.meta
        out: list[Flowable] = []
        title = meta.title or (PurePosixPath(meta.source).stem if meta.source else "")
        outline_title = outline_title or title or "文档"
        outline = (outline_title, outline_level, key or self.key())
        if meta.title:
            size = self.size * 1.75
            style = _Style(self.fonts.heading, size)
            out.append(CJKParagraph(self.plain(meta.title, style), size, size * 1.5, align="center",
                                    space_after=self.size * 0.6, outline=outline))
        else:
            out.append(_Bookmark(*outline))
        details = [" / ".join(meta.category)] if meta.category else []
        if meta.date and not meta.date.startswith("--"):
            details.append(meta.date)
        if details:
            small = self.size * 0.8
            style = _Style(self.fonts.body, small, _GREY)
            out.append(CJKParagraph(self.plain(" · ".join(details), style), small, small * 1.6, align="center"))
        out.append(Spacer(1, self.size * 1.2))
        return out

    def blocks(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        out: list[Flowable] = []
        for block in blocks:
            out.extend(self.block(block))
        return out

    def block(self, block: Block) -> list[Flowable]:
        if isinstance(block, Paragraph):
            return [CJKParagraph(self.text(block.content), self.size, self.leading, indent=INDENT_EM * self.size,
                                 space_after=self.size * 0.35)]
        if isinstance(block, Heading):
            size = self.size * {1: 1.5, 2: 1.3, 3: 1.15}.get(block.level, 1.05)
            style = _Style(self.fonts.heading, size)
            text = self.text(block.content, style)
            outline = None
            if self.outline_headings:
                level = min(max(block.level, 1), self._outline_level + 1)
                self._outline_level = level
                outline = (text.chars.replace("\n", " ") or "—", level, self.key())
            return [CJKParagraph(text, size, size * 1.5, align="left", space_before=self.size * 0.8,
                                 space_after=self.size * 0.4, outline=outline, keep_with_next=True)]
        if isinstance(block, Image):
            return [self.picture(block)]
        if isinstance(block, Quote):
            indent = INDENT_EM * self.size
            return [Indenter(indent, indent), *self.blocks(block.blocks), Indenter(-indent, -indent)]
        if isinstance(block, ListBlock):
            return self.list_block(block)
        if isinstance(block, Table):
            return [self.table(block)]
        return []

    def list_block(self, block: ListBlock) -> list[Flowable]:
        indent = INDENT_EM * self.size
        out: list[Flowable] = [Indenter(indent, 0)]
        for number, item in enumerate(block.items, 1):
            marker = f"{number}. " if block.ordered else "• "
            first = True
            for child in item:
                if first and isinstance(child, Paragraph):
                    text = self.text((Text(marker), *child.content))
                    out.append(CJKParagraph(text, self.size, self.leading, space_after=self.size * 0.2))
                else:
                    if first:
                        out.append(CJKParagraph(self.plain(marker, self.body_style), self.size, self.leading))
                    out.extend(self.block(child))
                first = False
        out.append(Indenter(-indent, 0))
        return out

    def table(self, block: Table) -> Flowable:
        columns = max((len(row) for row in block.rows), default=1) or 1
        width = self.frame_width / columns
        size = self.size * 0.9
        data = []
        for r, row in enumerate(block.rows):
            style = _Style(self.fonts.heading if r < block.header_rows else self.fonts.body, size)
            cells: list[Any] = [CJKParagraph(self.text(cell, style), size, size * 1.5, align="left") for cell in row]
            cells += [Spacer(1, 0) for _ in range(columns - len(cells))]
            data.append(cells)
        if not data:
            return Spacer(1, 0)
        table = RLTable(data, colWidths=[width] * columns, repeatRows=min(block.header_rows, len(data) - 1) or 0)
        table.setStyle([("GRID", (0, 0), (-1, -1), 0.5, _GREY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("FONTNAME", (0, 0), (-1, -1), self.fonts.body.main.name),
                        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
        return table

    def picture(self, image: Image) -> Flowable:
        loaded = _load_picture(image)
        if isinstance(loaded, tuple):
            reader, size = loaded
            return _Picture(reader, size, self.frame_height * 0.9)
        if loaded == "missing":
            already = any(d.code == "missing-image" and image.src in d.message for d in self.document.diagnostics)
            if not already:
                self.diagnostics.append(
                    warning("missing-image", f"picture {image.src} is missing; a placeholder box stands in its place")
                )
            label = f"图片缺失：{image.src}"
        else:
            self.diagnostics.append(warning(
                "unreadable-image", f"picture {image.src} cannot be read ({loaded}); a placeholder box stands in its place"
            ))
            label = f"图片无法读取：{image.src}"
        small = self.size * 0.85
        return _Placeholder(self.plain(label, _Style(self.fonts.body, small, _GREY)), small)

    def finish(self) -> list[Diagnostic]:
        c = self.counters
        if c.uncovered:
            total = sum(c.uncovered.values())
            self.diagnostics.append(warning(
                "uncovered-chars",
                f"{total} character(s) in no font ({c.uncovered_codes()}) drawn as boxes with their code point",
            ))
        if c.dropped_controls:
            self.diagnostics.append(warning("dropped-control-chars", f"{c.dropped_controls} control character(s) dropped"))
        if c.dropped_invisible:
            self.diagnostics.append(warning(
                "dropped-invisible-chars", f"{c.dropped_invisible} invisible format character(s) no font has were left out"))
        return self.diagnostics


class _Bookmark(Flowable):
    """An outline entry with nothing drawn (a document without a title still gets one)."""

    def __init__(self, title: str, level: int, key: str) -> None:
        super().__init__()
        self.title, self.level, self.key = title, level, key

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)


def _margins(page: tuple[float, float], size: float) -> tuple[float, float, float, float]:
    """Side margins that make the measure a whole number of em, so lines of pure Han text
    need no justification at all; top and bottom leave room for the footer."""
    width, height = page
    side = width * 0.12
    measure = (width - 2 * side) // size * size
    side = (width - measure) / 2
    return side, side, height * 0.09, height * 0.1


def _body_size(opts: PdfOptions) -> float:
    """The body font size in points, after checking the page size and the size asked for."""
    if opts.page_size not in _PAGE_SIZES:
        raise ConvertError(f"unknown page size {opts.page_size!r}; page sizes: {', '.join(PAGE_SIZES)}")
    size = float(opts.font_size or _DEFAULT_FONT_SIZE[opts.page_size])
    if not 4.0 <= size <= 72.0:
        raise ConvertError(f"font size {size:g} pt is out of range (4 to 72)")
    return size


class PdfWriter(Writer):
    name = "pdf"
    extension = ".pdf"
    description = "PDF with embedded, subset CJK fonts and Chinese line breaking (reportlab)"
    options_type = PdfOptions

    def render(self, document: Document, options: WriterOptions, destination: Path | None = None) -> Rendered:
        opts = self.own_options(options)
        assert isinstance(opts, PdfOptions)
        size = _body_size(opts)
        with _BUILD_LOCK, _reportlab_settings():
            fonts = _fonts_for(opts)
            return self._build(document, opts, fonts, size)

    def render_book(self, book: Book, options: WriterOptions, destination: Path | None = None) -> Rendered:
        from .book import render_book_pdf  # the package is fully imported by now

        opts = self.own_options(options)
        assert isinstance(opts, PdfOptions)
        size = _body_size(opts)
        with _BUILD_LOCK, _reportlab_settings():
            return render_book_pdf(book, opts, _fonts_for(opts), size)

    def _build(self, document: Document, opts: PdfOptions, fonts: _Fonts, size: float) -> Rendered:
        meta = document.meta
        page = _PAGE_SIZES[opts.page_size]
        info = _Info(meta.title, "", " / ".join(meta.category), " ".join(meta.category), meta.date, meta.source or "")
        buffer = io.BytesIO()
        doc = _DocTemplate(buffer, page, _margins(page, size), fonts, info, size, meta.language or opts.language)
        builder = _Builder(document, fonts, size, doc.height, doc.width)
        story = builder.title_block() + builder.blocks(document.blocks)
        if not document.blocks:
            builder.diagnostics.append(warning("empty-document", "the document has no content; the PDF has only its title"))
        try:
            doc.build(story)
        except LayoutError as exc:
            raise ConvertError(f"cannot lay out the PDF: {str(exc).splitlines()[0][:200]}") from None
        finally:
            _forget(doc, fonts)
        return Rendered(buffer.getvalue(), (), tuple(builder.finish() + doc.dropped))


def _to_unicode_cmap(font_name: str, subset: list[int]) -> str:
    """A ToUnicode CMap that maps characters beyond the BMP too: reportlab writes four hex digits
    whatever the code point, which turns 𠮷 (U+20BB7) into U+0BB7 for every text extractor."""
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo << /Registry ({font_name}) /Ordering ({font_name}) /Supplement 0 >> def",
        f"/CMapName /{font_name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
    ]
    pairs = [f"<{code:02X}> <{chr(value).encode('utf-16-be').hex().upper()}>" for code, value in enumerate(subset)]
    for at in range(0, len(pairs), 100):  # at most 100 entries per block (PDF 1.7, 9.10.3)
        chunk = pairs[at : at + 100]
        lines += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


@contextmanager
def _reportlab_settings() -> Iterator[None]:
    """reportlab's process-wide settings, changed for our builds only: no ASCII85 around
    compressed streams (it makes files a quarter larger), a faster deflate level, and
    ToUnicode maps that are right beyond the BMP."""
    saved_a85 = rl_config.useA85
    compressor = pdfdoc.PDFZCompress

    def encode(text: str | bytes) -> bytes:
        return zlib.compress(text.encode("utf-8") if isinstance(text, str) else text, ZLIB_LEVEL)

    saved_cmap = ttfonts.makeToUnicodeCMap
    rl_config.useA85 = 0
    compressor.encode = encode
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    try:
        yield
    finally:
        rl_config.useA85 = saved_a85
        del compressor.encode  # back to the class's method
        ttfonts.makeToUnicodeCMap = saved_cmap


def _forget(doc: _DocTemplate, fonts: _Fonts) -> None:
    """Drop the per-document subset state reportlab keeps in each TTFont (it would grow without
    end over a batch, holding every finished document)."""
    for canvas in doc.canvases:
        for chain in (fonts.body, fonts.heading):
            for face in chain._faces:
                if face is not None:
                    face.font.state.pop(canvas._doc, None)
