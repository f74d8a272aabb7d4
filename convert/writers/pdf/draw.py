"""Drawing laid-out lines: justified by per-glyph character spacing, links, boxes for
characters no font has.

Lines are justified with the slack spread over the gaps between CJK characters (never
inside a Latin word).
"""

from __future__ import annotations

from typing import Any

from .fonts import Face
from .reportlab_compat import content_ops, pdf_document, string_escaper
from .text import BLACK, GREY, Style, StyledText

ASCENT = 0.88  # the ideographic em box sits from -0.12 em to +0.88 em around the baseline
MAX_SPACING = 0.25  # the most justification may add between two characters, in em


def pdf_number(value: float) -> str:
    """A number for the content stream: three decimals at most, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class PdfTextOps:
    """PDF text operators for one BT/ET block, written directly: reportlab's text object
    formats every number through a slow path and measures each string again."""

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.doc = pdf_document(canvas)
        self.escape = string_escaper(canvas)
        self.ops: list[str] = ["BT"]
        self.font: tuple[str, float] | None = None
        self.tc = 0.0
        self.color: tuple[float, float, float] = BLACK

    def show(self, face: Face, size: float, text: str, x: float, y: float, tc: float = 0.0,
             color: tuple[float, float, float] = BLACK, shear: float = 0.0) -> None:
        ops = self.ops
        ops.append(f"1 0 {pdf_number(shear)} 1 {pdf_number(x)} {pdf_number(y)} Tm")
        if tc != self.tc:
            ops.append(f"{pdf_number(tc)} Tc")
            self.tc = tc
        if color != self.color:
            ops.append(f"{pdf_number(color[0])} {pdf_number(color[1])} {pdf_number(color[2])} rg")
            self.color = color
        font = face.font
        for subset, data in font.splitString(text, self.doc):
            key = (font.getSubsetInternalName(subset, self.doc), size)
            if key != self.font:
                ops.append(f"{key[0]} {pdf_number(size)} Tf")
                self.font = key
            ops.append(f"({self.escape(data)}) Tj")

    def raw(self, op: str) -> None:
        self.ops.append(op)

    def finish(self) -> None:
        if len(self.ops) > 1:
            self.ops.append("ET")
            content_ops(self.canvas).append("\n".join(self.ops))


def draw_lines(canvas: Any, text: StyledText, lines: list[tuple[int, int]], x0: float, top: float, width: float,
               leading: float, indent: float, align: str) -> None:
    """Draw ``lines`` of ``text`` from ``top`` downwards, justified by per-glyph character spacing."""
    chars, styles, faces, widths, uncovered, word = text.chars, text.styles, text.faces, text.widths, text.uncovered, text.word
    ops = PdfTextOps(canvas)
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
        y = top - number * leading - (leading - size) / 2 - ASCENT * size
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
                spacing = min(slack / gaps, MAX_SPACING * size)
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
                links.append((style.href, (x, y - 0.12 * style.size, x + run_width - tc, y + ASCENT * style.size)))
            x += run_width
            i = j
    ops.finish()
    if boxes:
        canvas.saveState()
        canvas.setStrokeColorRGB(*GREY)
        canvas.setLineWidth(0.5)
        for bx, by, bw, bh in boxes:
            canvas.rect(bx, by, bw, bh, stroke=1, fill=0)
        canvas.restoreState()
    for href, rect in links:
        canvas.linkURL(href, rect, relative=1, thickness=0)


def _draw_uncovered(ops: PdfTextOps, style: Style, char: str, x: float, y: float,
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
