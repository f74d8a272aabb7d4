"""Count Chinese typesetting defects in PDFs, from glyph positions (issue 11's checker).

    python benchmarks/check_typesetting.py out/ [more.pdf ...] [--source seeds/] [--json]

Glyphs come from ``mutool trace`` (MuPDF): for every drawn glyph its Unicode value, glyph
id, pen position, font size and natural advance (the font's width for that glyph). Lines
are rebuilt from the glyphs themselves (same baseline, sorted left to right) rather than
taken from a text extractor's guesses. ``pdffonts`` tells which fonts are embedded and
``pdftotext`` gives the reading order. ``--source DIR`` maps ``PDFROOT/a/b.pdf`` to
``DIR/a/b.txt`` (or the one ``b.txt`` under DIR) and reads it with the project's reader,
which enables the character and reading-order checks and settles ASCII word breaks.

The rules (clreq, "Requirements for Chinese Text Layout", W3C, sections 3.1 and 3.2):

body text
    The body size is the most common glyph size of the document; a rebuilt line is body
    text when most of its glyphs have that size (within 15 %), which leaves out the title,
    the metadata line and page numbers.
paragraphs
    Writers indent a paragraph's first line (2 em; LibreOffice also keeps the two U+3000
    of the seed): a body line starting 1.5 em or more right of the frame's left edge begins
    a paragraph, and so does a line more than 1.25 line pitches below the previous one on
    its page (pictures, spacer lines). A paragraph continues across a page break unless
    the first line on the new page is indented. The frame's left edge is the leftmost line
    start seen twice (2 em left of the only start when all lines start at one place, as in
    a document of one-line paragraphs); a line after one that stops 3 em or more short of the right edge
    (the rightmost line end) also begins a paragraph (unindented paragraphs, documents of
    one-line paragraphs).
split numbers and words (``split_runs``)
    Between two lines of one paragraph: the last glyph of the first and the first glyph of
    the next are both letters or digits (ASCII or full-width ``０-９ Ａ-Ｚ ａ-ｚ``), as in
    ``４０６|７名`` ``１９|９８年`` ``ＳＯ|Ｓ``; or a number is cut at its inner punctuation,
    ``１１|．６％`` ``１／|３`` ``３：|２`` ``１２|％`` (``，`` only as a thousands separator:
    three digits follow). Two ASCII letters/digits may legitimately meet at a break when a
    space stood between them (``iPhone|11``): with ``--source`` the source text decides;
    without it, ASCII letter pairs are not counted. A run filling the whole first line is
    longer than a line and may be cut: it is counted apart (``long_runs_cut``).
prohibited line starts (``bad_starts``)
    A line other than a paragraph's first starting with one of
    ``，。、；：？！）》」』”’〉】〕〗〙〛］｝…·・％‰々〻ー．／`` , an ASCII ``,.;:?!)]}%``
    or a small kana (clreq 3.1.7 行首禁则, plus ``．`` and ``／`` of numbers).
prohibited line ends (``bad_ends``)
    A line other than a paragraph's last ending with ``“‘（《「『〈【〔〖〘〚［｛`` or ASCII
    ``([{`` (行尾禁则).
split dashes and ellipses (``split_dashes``)
    ``—|—`` or ``…|…`` across lines of one paragraph (clreq 3.1.7: 不可分割); these are not
    counted again as prohibited starts.
punctuation pairs (``pairs``, ``pairs_compressed``)
    Two adjacent full-width punctuation marks on one line, from
    ``，。、；：？！“”‘’（）《》「」『』〈〉【】〔〕〖〗`` (clreq 3.1.6 标点挤压). The pair's set
    width runs from the first mark's pen position to the pen position of the glyph after
    the second (or the second's natural advance at a line end), less the line's added
    letter-spacing; at most 1.6 em (1.5 em and 0.1 em tolerance) counts as compressed.
one-character last lines (``lone_last``, ``lone_han_punct``)
    孤字: the last line of a paragraph of two or more lines holds one glyph (punctuation
    counts as a character). ``lone_han_punct`` counts separately last lines of one Han
    character followed only by punctuation (``了。”``).
widows and orphans (``orphans``, ``widows``)
    A paragraph's first line alone at the foot of a page (orphan) or its last line alone at
    the head of the next (widow).
added letter-spacing (``spacing_p95_em``, ``spacing_max_em``)
    For each justified line (not a paragraph's last, at least two glyphs) the median, over
    neighbouring glyphs that are not spaces and not a punctuation pair, of (pen advance -
    natural advance) / body size. Percentile and maximum over all such lines.
missing characters (``notdef``, ``missing``)
    ``notdef``: glyphs drawn with glyph id 0, extracted as U+FFFD, or whose outline in the
    embedded font (read with pikepdf and fontTools) is empty or the .notdef box's, for a
    character that is not white space or a format character (boxes and blanks). ``missing``
    (with ``--source``): characters of the title and paragraphs (white space ignored)
    absent from the page's glyphs, counted as a multiset, plus the notdef glyphs.
fonts and order (``fonts_not_embedded``, ``paragraphs_out_of_order``)
    Fonts ``pdffonts`` lists as not embedded; with ``--source``, paragraphs not found in
    order in ``pdftotext`` output (white space and page-number lines removed).
pictures (``pictures``, ``pictures_enlarged``, ``pictures_too_wide``)
    Effective resolution = pixel width / drawn width in inches. Enlarged: below 150 ppi
    (drawn larger than its pixels at 150 ppi). Too wide: drawn wider than the text frame
    (leftmost line start to the rightmost end of a line that is not a paragraph's last;
    not judged in a document without such a line).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent

FW_DIGITS = {chr(c) for c in range(0xFF10, 0xFF1A)}
FW_ALNUM = FW_DIGITS | {chr(c) for c in range(0xFF21, 0xFF3B)} | {chr(c) for c in range(0xFF41, 0xFF5B)}
SMALL_KANA = set("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
BAD_START = set("，。、；：？！）》」』”’〉】〕〗〙〛］｝…·・％‰々〻ー．／,.;:?!)]}%") | SMALL_KANA
BAD_END = set("“‘（《「『〈【〔〖〘〚［｛([{")
PAIR_PUNCT = set("，。、；：？！“”‘’（）《》「」『』〈〉【】〔〕〖〗")
# punctuation inside a number: 11.6%  1/3  3:2  1,200  12%
NUM_INNER = set("．／：.:/")
NUM_COMMA = set("，,")
PERCENT = set("％%‰")
SPACES = set(" \u00a0\u3000\u2002\u2003\u2009\u200a\u202f")
PAGE_NUMBER = re.compile(r"^[\s\-–—第页0-9/]*$")


def is_alnum(ch: str) -> bool:
    return (ch.isascii() and ch.isalnum()) or ch in FW_ALNUM


def is_digit(ch: str) -> bool:
    return ("0" <= ch <= "9") or ch in FW_DIGITS


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


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


@dataclass
class Result:
    file: str
    pages: int = 0
    lines: int = 0
    paragraphs: int = 0
    split_runs: int = 0
    long_runs_cut: int = 0
    bad_starts: int = 0
    bad_ends: int = 0
    split_dashes: int = 0
    pairs: int = 0
    pairs_compressed: int = 0
    lone_last: int = 0
    lone_han_punct: int = 0
    orphans: int = 0
    widows: int = 0
    spacing: list[float] = field(default_factory=list)
    notdef: int = 0
    missing: int | None = None
    fonts_not_embedded: int = 0
    paragraphs_out_of_order: int | None = None
    pictures: int = 0
    pictures_enlarged: int = 0
    pictures_too_wide: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None

    def note(self, kind: str, text: str) -> None:
        self.examples.setdefault(kind, [])
        if len(self.examples[kind]) < 5:
            self.examples[kind].append(text)


# -- reading the PDF --------------------------------------------------------------------

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


INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def count_boxes(pdf: Path, glyphs: list[Glyph], result: Result) -> int:
    """Glyphs drawn as boxes or as nothing: glyph id 0, U+FFFD, a .notdef look-alike, an empty outline."""
    import unicodedata

    programs: dict[str, object] | None = None
    verdicts: dict[tuple[str, int], bool] = {}
    count = 0
    for g in glyphs:
        if g.gid in ("0", ".notdef") or g.ch == "\ufffd":
            count += 1
            result.note("notdef", f"p{g.page} {g.ch} ({g.font})")
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
            count += 1
            result.note("notdef", f"p{g.page} {g.ch} ({g.font} glyph {g.gid})")
    return count


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
    return "".join("".join(kept).split())


# -- the source -------------------------------------------------------------------------

def source_for(pdf: Path, root: Path | None, source: Path) -> Path | None:
    if source.is_file():
        return source
    if root is not None and root != pdf:
        candidate = source / pdf.relative_to(root).with_suffix(".txt")
        if candidate.is_file():
            return candidate
    matches = [p for p in source.rglob(pdf.stem + ".txt") if p.is_file()]
    return matches[0] if len(matches) == 1 else None


def source_texts(path: Path) -> list[str]:
    """Title and paragraphs of a seed file, as the project's reader sees them."""
    import convert
    from convert.model import Heading, Paragraph, plain_text, walk_blocks

    document = convert.read(path)
    blocks = walk_blocks(document.blocks)
    return [document.meta.title] + [plain_text(b.content) for b in blocks if isinstance(b, (Paragraph, Heading))]


# -- the checks -------------------------------------------------------------------------

def split_kind(a: list[Glyph], b: list[Glyph], source: str | None) -> str | None:
    """'split' when the break between line ``a`` and line ``b`` cuts a number or word."""
    x, y = a[-1].ch, b[0].ch
    x2 = a[-2].ch if len(a) > 1 else ""
    after = "".join(g.ch for g in b[:5])
    cut = False
    if is_alnum(x) and is_alnum(y):
        if x.isascii() and y.isascii() and not (is_digit(x) and is_digit(y)):
            if source is None:
                return None
            tail = "".join(g.ch for g in a[-6:])
            head = "".join(g.ch for g in b[:6])
            cut = (tail + head) in source or (tail + " " + head) not in source
        else:
            cut = True
    elif is_digit(x) and y in PERCENT:
        cut = True
    elif is_digit(x) and y in NUM_INNER and len(after) > 1 and is_digit(after[1]):
        cut = True
    elif is_digit(x) and y in NUM_COMMA and re.match(r"^.\d{3}(\D|$)", _ascii_digits(after)):
        cut = True
    elif x in NUM_INNER and is_digit(x2) and is_digit(y):
        cut = True
    elif x in NUM_COMMA and is_digit(x2) and re.match(r"^\d{3}(\D|$)", _ascii_digits(after)):
        cut = True
    if not cut:
        return None
    if all(is_alnum(g.ch) or g.ch in NUM_INNER | NUM_COMMA | PERCENT or (g.ch.isascii() and not g.ch.isspace()) for g in a):
        return "long"
    return "split"


def _ascii_digits(text: str) -> str:
    return "".join(chr(ord(c) - 0xFF10 + 48) if c in FW_DIGITS else c for c in text)


def paragraphs_of(lines: list[Line], left: float, right: float, em: float) -> list[list[Line]]:
    pitches = [b.y - a.y for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and b.y > a.y]
    usual = Counter(round(p, 1) for p in pitches if p <= 3 * em).most_common(1)
    pitch = usual[0][0] if usual else em * 1.5
    paragraphs: list[list[Line]] = []
    previous: Line | None = None
    for line in lines:
        indented = line.x0 - left >= 1.5 * em
        gap = previous is not None and previous.page == line.page and line.y - previous.y > 1.25 * pitch + 0.01
        short = previous is not None and previous.x1 < right - 3 * em
        if previous is None or indented or gap or short:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
        previous = line
    return paragraphs


def line_spacing(line: Line, em: float) -> float | None:
    ink = line.ink
    extras = []
    for g, h in zip(ink, ink[1:], strict=False):
        if g.ch in SPACES or h.ch in SPACES or (g.ch in PAIR_PUNCT and h.ch in PAIR_PUNCT):
            continue
        extras.append((h.x - g.x - g.adv) / em)
    return statistics.median(extras) if extras else None


def check(pdf: Path, root: Path | None = None, source: Path | None = None) -> Result:
    result = Result(str(pdf))
    glyphs, pictures, result.pages = trace(pdf)
    result.notdef = count_boxes(pdf, glyphs, result)
    result.fonts_not_embedded = fonts_not_embedded(pdf)
    texts: list[str] | None = None
    if source is not None:
        path = source_for(pdf, root, source)
        if path is None:
            result.error = "no source file found"
        else:
            texts = source_texts(path)
    source_joined = "\n".join(texts) if texts is not None else None

    sizes = Counter(g.size for g in glyphs if g.ch not in SPACES)
    lines = build_lines(glyphs)
    left = right = 0.0
    em = 0.0
    if sizes:
        em = sizes.most_common(1)[0][0]
        body = [line for line in lines
                if sum(1 for g in line.ink if abs(g.size - em) <= 0.15 * em) * 2 > len(line.ink)]
        result.lines = len(body)
    else:
        body = []
    paragraphs: list[list[Line]] = []
    if body:
        starts = Counter(round(line.x0, 1) for line in body)
        left = min((x for x, n in starts.items() if n >= 2), default=min(starts))
        if max(starts) - min(starts) < 0.5:  # every line starts at one place: all are indented first lines
            left -= 2 * em
        right = max(line.x1 for line in body)
        paragraphs = paragraphs_of(body, left, right, em)
        result.paragraphs = len(paragraphs)
        for paragraph in paragraphs:
            _check_paragraph(paragraph, em, result, source_joined)

    full = [line for paragraph in paragraphs for line in paragraph[:-1]] if body else []
    frame = max(line.x1 for line in full) - min(line.x0 for line in body) if full else None
    for picture in pictures:
        result.pictures += 1
        if picture.ppi < 149.5:
            result.pictures_enlarged += 1
            result.note("pictures_enlarged", f"p{picture.page}: {picture.width_px}px at {picture.ppi:.0f} ppi")
        if frame is not None and picture.drawn_pt > frame + 0.5:
            result.pictures_too_wide += 1

    if texts is not None:
        expected = Counter("".join("".join(texts).split()))
        got = Counter(g.ch for g in glyphs if g.gid not in ("0", ".notdef") and not g.ch.isspace())
        lost = expected - got
        result.missing = sum(lost.values()) + result.notdef
        if lost:
            result.note("missing", "".join(sorted(lost))[:40])
        extracted = extracted_text(pdf)
        position, out_of_order = 0, 0
        for text in texts[1:]:
            needle = "".join(text.split())
            if not needle:
                continue
            found = extracted.find(needle, position)
            if found < 0:
                out_of_order += 1
            else:
                position = found + len(needle)
        result.paragraphs_out_of_order = out_of_order
    return result


def _check_paragraph(paragraph: list[Line], em: float, result: Result, source: str | None) -> None:
    for number, line in enumerate(paragraph):
        ink = line.ink
        last = number == len(paragraph) - 1
        spacing = line_spacing(line, em) if not last and len(ink) > 1 else None
        if spacing is not None:
            result.spacing.append(spacing)
        # punctuation pairs on the line
        for i in range(len(ink) - 1):
            g, h = ink[i], ink[i + 1]
            if g.ch in PAIR_PUNCT and h.ch in PAIR_PUNCT:
                end = ink[i + 2].x if i + 2 < len(ink) else h.x + h.adv
                width = (end - g.x) / em - 2 * max(spacing or 0.0, 0.0)
                result.pairs += 1
                if width <= 1.6:
                    result.pairs_compressed += 1
                else:
                    result.note("pairs_uncompressed", f"p{line.page} {g.ch}{h.ch} {width:.2f} em")
        if number and ink[0].ch in BAD_START:
            previous = paragraph[number - 1].ink
            if previous[-1].ch == ink[0].ch and ink[0].ch in "—…":
                pass
            else:
                result.bad_starts += 1
                result.note("bad_starts", f"p{line.page} |{line.text[:12]}")
        if not last and ink[-1].ch in BAD_END:
            result.bad_ends += 1
            result.note("bad_ends", f"p{line.page} {line.text[-12:]}|")
        if not last:
            following = paragraph[number + 1].ink
            if ink[-1].ch in "—…" and following[0].ch == ink[-1].ch:
                result.split_dashes += 1
                result.note("split_dashes", f"p{line.page} {line.text[-6:]}|{following and paragraph[number + 1].text[:6]}")
            kind = split_kind(ink, following, source)
            if kind == "split":
                result.split_runs += 1
                result.note("split_runs", f"p{line.page} {line.text[-8:]}|{paragraph[number + 1].text[:8]}")
            elif kind == "long":
                result.long_runs_cut += 1
    if len(paragraph) > 1:
        tail = paragraph[-1].text.replace(" ", "")
        if len(tail) == 1:
            result.lone_last += 1
            result.note("lone_last", f"p{paragraph[-1].page} {paragraph[-2].text[-8:]}|{tail}")
        elif len(tail) > 1 and is_han(tail[0]) and all(not is_han(c) and not is_alnum(c) for c in tail[1:]):
            result.lone_han_punct += 1
            result.note("lone_han_punct", f"p{paragraph[-1].page} {paragraph[-2].text[-8:]}|{tail}")
        pages = Counter(line.page for line in paragraph)
        if len(pages) > 1:
            if pages[paragraph[0].page] == 1:
                result.orphans += 1
                result.note("orphans", f"p{paragraph[0].page} {paragraph[0].text[:10]}")
            if pages[paragraph[-1].page] == 1:
                result.widows += 1
                result.note("widows", f"p{paragraph[-1].page} {paragraph[-1].text[:10]}")


# -- the report -------------------------------------------------------------------------

COLUMNS = ["pages", "paragraphs", "split_runs", "long_runs_cut", "bad_starts", "bad_ends", "split_dashes", "pairs",
           "pairs_compressed", "lone_last", "lone_han_punct", "orphans", "widows", "notdef", "missing",
           "fonts_not_embedded", "paragraphs_out_of_order", "pictures", "pictures_enlarged", "pictures_too_wide"]


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(result: Result) -> dict[str, object]:
    row: dict[str, object] = {"file": result.file}
    for name in COLUMNS:
        row[name] = getattr(result, name)
    row["pairs_compressed_rate"] = round(result.pairs_compressed / result.pairs, 4) if result.pairs else None
    p95 = percentile(result.spacing, 0.95)
    row["spacing_p95_em"] = None if p95 is None else round(p95, 4)
    row["spacing_max_em"] = round(max(result.spacing), 4) if result.spacing else None
    row["examples"] = result.examples
    if result.error:
        row["error"] = result.error
    return row


def totals(results: list[Result]) -> dict[str, object]:
    total: dict[str, object] = {"files": len(results), "errors": sum(1 for r in results if r.error)}
    for name in COLUMNS:
        values = [getattr(r, name) for r in results if getattr(r, name) is not None]
        total[name] = sum(values) if values else None
    pairs, compressed = int(total["pairs"] or 0), int(total["pairs_compressed"] or 0)
    total["pairs_compressed_rate"] = round(compressed / pairs, 4) if pairs else None
    spacing = [s for r in results for s in r.spacing]
    p95 = percentile(spacing, 0.95)
    total["spacing_p95_em"] = None if p95 is None else round(p95, 4)
    total["spacing_max_em"] = round(max(spacing), 4) if spacing else None
    return total


def collect(paths: list[Path]) -> list[tuple[Path, Path | None]]:
    found = []
    for path in paths:
        if path.is_dir():
            found += [(p, path) for p in sorted(path.rglob("*.pdf"))]
        else:
            found.append((path, None))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="PDF files or folders of them")
    parser.add_argument("--source", type=Path, help="the seed files the PDFs were made from (folder or file)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (files and total)")
    parser.add_argument("--quiet", action="store_true", help="print the total only")
    args = parser.parse_args(argv)
    if not shutil.which("mutool"):
        sys.exit("check_typesetting: mutool (mupdf-tools) is not installed")
    results = []
    for pdf, root in collect(args.paths):
        try:
            results.append(check(pdf, root, args.source))
        except (subprocess.CalledProcessError, etree.XMLSyntaxError, OSError) as exc:
            failed = Result(str(pdf), error=f"{type(exc).__name__}: {exc}")
            print(f"check_typesetting: {pdf}: {failed.error}", file=sys.stderr)
            results.append(failed)
    total = totals(results)
    if args.json:
        json.dump({"files": [summary(r) for r in results], "total": total}, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not args.quiet:
        for result in results:
            row = summary(result)
            quiet = ("pairs", "pairs_compressed", "pictures")
            flagged = {k: v for k, v in row.items() if k in COLUMNS[2:] and v and k not in quiet}
            print(f"{result.file}: {result.pages} pages, {result.pairs_compressed}/{result.pairs} pairs compressed"
                  + "".join(f", {k} {v}" for k, v in flagged.items()) + (f" [{result.error}]" if result.error else ""))
            for kind, examples in result.examples.items():
                print(f"    {kind}: " + "  ".join(examples))
    print_total(total)
    return 0


def print_total(total: dict[str, object]) -> None:
    rate = total["pairs_compressed_rate"]
    print(f"\n{total['files']} PDFs ({total['errors']} with errors), {total['pages']} pages, {total['paragraphs']} paragraphs")
    rows = [
        ("numbers/words split across lines", total["split_runs"]),
        ("runs longer than a line, cut", total["long_runs_cut"]),
        ("prohibited line starts", total["bad_starts"]),
        ("prohibited line ends", total["bad_ends"]),
        ("split —— / ……", total["split_dashes"]),
        ("punctuation pairs compressed", f"{total['pairs_compressed']} of {total['pairs']}"
         + (f" ({rate:.1%})" if rate is not None else "")),
        ("one-character last lines (孤字)", total["lone_last"]),
        ("  one Han + punctuation last lines", total["lone_han_punct"]),
        ("orphans (first line alone at a foot)", total["orphans"]),
        ("widows (last line alone at a head)", total["widows"]),
        ("added letter-spacing p95 / max (em)", f"{total['spacing_p95_em']} / {total['spacing_max_em']}"),
        ("glyphs drawn as .notdef", total["notdef"]),
        ("characters missing (with --source)", total["missing"]),
        ("fonts not embedded", total["fonts_not_embedded"]),
        ("paragraphs not in reading order", total["paragraphs_out_of_order"]),
        ("pictures / enlarged (<150 ppi) / too wide",
         f"{total['pictures']} / {total['pictures_enlarged']} / {total['pictures_too_wide']}"),
    ]
    for name, value in rows:
        print(f"{name:42} {value}")


if __name__ == "__main__":
    sys.exit(main())
