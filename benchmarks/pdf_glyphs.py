"""Glyphs, lines and pictures of a PDF as MuPDF draws them, for check_typesetting.py.

``mutool trace`` gives every drawn glyph with its Unicode value, glyph id, pen position,
size and natural advance, and every picture with its pixel size and drawn size; pikepdf
and fontTools tell whether a glyph id draws a box or nothing; poppler's ``pdffonts`` and
``pdftotext`` give the embedding and the reading order.
"""

from __future__ import annotations

import logging
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

# fontTools complains about the odd 'head' timestamps of LibreOffice's font subsets
logging.getLogger("fontTools").setLevel(logging.ERROR)

SPACES = set(" \u00a0\u3000\u2002\u2003\u2009\u200a\u202f")
PAGE_NUMBER = re.compile(r"^[\s\-–—第页0-9/]*$")
INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}


@dataclass
class Glyph:
    ch: str
    gid: str
    x: float
    y: float
    adv: float  # natural advance in points
    size: float
    page: int
    font: str = ""


@dataclass
class Line:
    page: int
    y: float
    glyphs: list[Glyph]

    @property
    def ink(self) -> list[Glyph]:
        """The glyphs without leading and trailing spaces."""
        g = self.glyphs
        start, end = 0, len(g)
        while start < end and g[start].ch in SPACES:
            start += 1
        while end > start and g[end - 1].ch in SPACES:
            end -= 1
        return g[start:end]

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.ink)

    @property
    def x0(self) -> float:
        ink = self.ink
        return ink[0].x if ink else self.glyphs[0].x

    @property
    def x1(self) -> float:
        ink = self.ink
        return ink[-1].x + ink[-1].adv if ink else self.glyphs[-1].x


@dataclass
class Picture:
    page: int
    width_px: int
    drawn_pt: float

    @property
    def ppi(self) -> float:
        return self.width_px / (self.drawn_pt / 72) if self.drawn_pt else 0.0


def _matrix(text: str | None) -> tuple[float, ...]:
    return tuple(float(v) for v in (text or "1 0 0 1 0 0").split())


def trace(pdf: Path) -> tuple[list[Glyph], list[Picture], int]:
    """Every drawn glyph and picture of the PDF, in device space (y down), via mutool trace."""
    out = subprocess.run(["mutool", "trace", str(pdf)], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.XMLParser(huge_tree=True, recover=True))
    glyphs: list[Glyph] = []
    pictures: list[Picture] = []
    pages = 0
    for page_number, page in enumerate(root.iter("page"), 1):
        pages = page_number
        for element in page.iter("fill_text", "stroke_text", "fill_image", "fill_image_mask"):
            a, b, c, d, e, f = _matrix(element.get("transform"))
            if element.tag.startswith("fill_image"):
                width = int(float(element.get("width") or 0))
                pictures.append(Picture(page_number, width, (a * a + b * b) ** 0.5))
                continue
            scale = (a * d - b * c) ** 0.5 if a * d - b * c > 0 else abs(a * d - b * c) ** 0.5
            for span in element.iter("span"):
                ta, tb, tc, td = _matrix(span.get("trm"))[:4]
                size = abs(ta * td - tb * tc) ** 0.5 * scale
                hscale = (ta * ta + tb * tb) ** 0.5 * scale
                for g in span.iter("g"):
                    x, y = float(g.get("x", 0)), float(g.get("y", 0))
                    glyphs.append(Glyph(
                        ch=g.get("unicode", "\ufffd") or "\ufffd",
                        gid=g.get("glyph", ""),
                        x=a * x + c * y + e,
                        y=b * x + d * y + f,
                        adv=float(g.get("adv", 0)) * hscale,
                        size=round(size, 2),
                        page=page_number,
                        font=span.get("font", ""),
                    ))
    return glyphs, pictures, pages


def build_lines(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs grouped into lines: same page, baselines within 0.3 of the glyph size."""
    lines: list[Line] = []
    for g in sorted(glyphs, key=lambda g: (g.page, g.y, g.x)):
        last = lines[-1] if lines else None
        if last and last.page == g.page and abs(g.y - last.y) <= 0.3 * max(g.size, 1.0):
            last.glyphs.append(g)
        else:
            lines.append(Line(g.page, g.y, [g]))
    for line in lines:
        line.glyphs.sort(key=lambda g: g.x)
    return [line for line in lines if line.ink]


def _font_programs(pdf: Path) -> dict[str, object]:
    """Embedded TrueType/CFF programs by font name (``ABCDEF+Name``), as fontTools fonts."""
    import io

    import pikepdf
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    programs: dict[str, object] = {}
    with pikepdf.open(pdf) as document:
        for obj in document.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font" or "/FontDescriptor" not in obj:
                continue
            descriptor = obj.FontDescriptor
            name = str(obj.get("/BaseFont", ""))[1:]
            try:
                if "/FontFile2" in descriptor:
                    programs[name] = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()), lazy=True)
                elif "/FontFile3" in descriptor:
                    data = descriptor.FontFile3.read_bytes()
                    if descriptor.FontFile3.get("/Subtype") == "/OpenType":
                        programs[name] = TTFont(io.BytesIO(data), lazy=True)
                    else:
                        cff = CFFFontSet()
                        cff.decompile(io.BytesIO(data), None)
                        programs[name] = cff
            except Exception:  # a font fontTools cannot read is not judged
                continue
    return programs


def _is_box(program: object, gid: int) -> bool:
    """True when glyph ``gid`` draws nothing or the same shape as .notdef (a box)."""
    from fontTools.cffLib import CFFFontSet

    if isinstance(program, CFFFontSet):
        top = program[program.fontNames[0]]
        order = top.getGlyphOrder()
        if gid >= len(order):
            return True
        charstrings = top.CharStrings
        glyph = charstrings[order[gid]]
        glyph.decompile()
        if gid and order[0] in charstrings:
            notdef = charstrings[order[0]]
            notdef.decompile()
            if glyph.program == notdef.program:
                return True
        return glyph.calcBounds(charstrings) is None
    order = program.getGlyphOrder()  # type: ignore[attr-defined]
    if gid >= len(order):
        return True
    if "glyf" in program:  # type: ignore[operator]
        # the raw glyph records, compared without decompiling their coordinates (slow)
        glyphs = program["glyf"].glyphs  # type: ignore[index]
        data, notdef = _glyf_data(glyphs[order[gid]]), _glyf_data(glyphs[order[0]])
        return len(data) < 10 or (gid > 0 and data == notdef)
    if "CFF " in program:  # type: ignore[operator]
        cff = program["CFF "].cff  # type: ignore[index]
        charstrings = cff[cff.fontNames[0]].CharStrings
        glyph = charstrings[order[gid]]
        if gid:
            notdef = charstrings[order[0]]
            notdef.decompile()
            glyph.decompile()
            if glyph.program == notdef.program:
                return True
        return glyph.calcBounds(charstrings) is None
    return False


def _glyf_data(glyph: object) -> bytes:
    data = getattr(glyph, "data", None)
    if data is None:  # already expanded by fontTools
        glyph.compact(None)  # type: ignore[attr-defined]
        data = getattr(glyph, "data", b"")
    return bytes(data or b"")


def count_boxes(pdf: Path, glyphs: list[Glyph]) -> set[int]:
    """Indices of glyphs drawn as boxes or as nothing: glyph id 0, U+FFFD, a .notdef look-alike, an empty outline."""
    import unicodedata

    programs: dict[str, object] | None = None
    verdicts: dict[tuple[str, int], bool] = {}
    boxes: set[int] = set()
    for index, g in enumerate(glyphs):
        if g.gid in ("0", ".notdef") or g.ch == "\ufffd":
            boxes.add(index)
            continue
        if not g.gid.isdigit() or all(unicodedata.category(c) in INVISIBLE for c in g.ch):
            continue
        key = (g.font, int(g.gid))
        if key not in verdicts:
            if programs is None:
                programs = _font_programs(pdf)
            program = programs.get(g.font)
            try:
                verdicts[key] = program is not None and _is_box(program, key[1])
            except Exception:  # an unreadable glyph is not judged
                verdicts[key] = False
        if verdicts[key]:
            boxes.add(index)
    return boxes


def fonts_not_embedded(pdf: Path) -> int:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    count = 0
    for row in out:
        # name type [type] encoding emb sub uni object ID: "emb" is the 5th column from the right
        cols = row.split()
        if len(cols) >= 7 and cols[-5] == "no":
            count += 1
    return count


def extracted_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True).stdout
    kept = [line for line in out.replace("\f", "\n").splitlines() if not PAGE_NUMBER.match(line)]
    return order_key("".join(kept))


def order_key(text: str) -> str:
    """White space and hyphens out: pdftotext drops a hyphen that ends a line (dehyphenation)."""
    return "".join(text.split()).replace("-", "").replace("\u00ad", "")
