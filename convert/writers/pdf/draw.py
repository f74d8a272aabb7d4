"""Drawing laid-out lines through a painter: justified by per-glyph character spacing, links,
boxes for characters no font has.

Lines are justified with the slack spread over the gaps between CJK characters (never
inside a Latin word).

The painter seam: everything a laid-out line, a picture or a placeholder puts on a page goes
through one :class:`Painter` -- positioned glyph runs (:meth:`Painter.show_run`), outlined
boxes, link areas and images. :class:`PdfPainter` writes PDF operators onto a reportlab
canvas; another writer (an OFD writer, for instance) plugs in a painter of its own that
records the same runs and pictures per page, with :func:`use_painter` on the canvas the
flowables draw on. Flowables get theirs from :func:`painter_for`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Protocol

from reportlab.lib.utils import ImageReader

from .fonts import Face
from .reportlab_compat import content_ops, pdf_document, string_escaper
from .text import BLACK, GREY, Style, StyledText

ASCENT = 0.88  # the ideographic em box sits from -0.12 em to +0.88 em around the baseline
MAX_SPACING = 0.25  # the most justification may add between two characters, in em

Color = tuple[float, float, float]
Rect = tuple[float, float, float, float]


class Painter(Protocol):
    """What drawing needs from a page, in the flowable's coordinates (points, y up).

    Calls between two :meth:`flush` calls form one block; a painter may buffer them and is
    free to emit text before boxes and links within a block (the PDF painter does).
    """

    def show_run(self, face: Face, size: float, text: str, x: float, y: float, char_spacing: float = 0.0,
                 color: Color = BLACK, shear: float = 0.0, actual_text: str | None = None,
                 adjustments: Sequence[float] | None = None) -> None:
        """Glyphs of ``text`` in ``face`` at ``size`` pt, the first one's origin on the baseline at
        (x, y), each advanced by its width plus ``char_spacing``; ``shear`` slants them (fake
        italic). ``actual_text``: what extraction should give instead (a stand-in glyph).
        ``adjustments[i]``, when given: extra advance in points after glyph ``i`` on top of its
        width and ``char_spacing`` (negative for compressed punctuation, positive for the
        quarter em between Han and Latin)."""

    def box(self, x: float, y: float, width: float, height: float, stroke: Color = GREY,
            line_width: float | None = None, fill: Color | None = None,
            dash: tuple[float, float] | None = None) -> None:
        """An outlined rectangle, filled when ``fill`` is given, dashed (on, off) when ``dash`` is."""

    def link(self, href: str, rect: Rect) -> None:
        """A clickable area (x1, y1, x2, y2) leading to ``href``."""

    def image(self, reader: ImageReader, x: float, y: float, width: float, height: float) -> None:
        """A picture scaled into the rectangle (x, y, width, height)."""

    def flush(self) -> None:
        """End of a block: emit what is buffered."""


PainterFactory = Callable[[Any], Painter]
_PAINTER_ATTRIBUTE = "convert_painter_factory"  # our own attribute on a reportlab canvas


def use_painter(canvas: Any, factory: PainterFactory | None) -> None:
    """Make flowables drawn on ``canvas`` paint through ``factory(canvas)`` (None: the PDF painter)."""
    setattr(canvas, _PAINTER_ATTRIBUTE, factory)


def painter_for(canvas: Any) -> Painter:
    """The painter for drawing on ``canvas``: the one set with :func:`use_painter`, else a :class:`PdfPainter`."""
    factory = getattr(canvas, _PAINTER_ATTRIBUTE, None)
    return PdfPainter(canvas) if factory is None else factory(canvas)


@lru_cache(maxsize=16384)  # positions, sizes and adjustments repeat from line to line and page to page
def pdf_number(value: float) -> str:
    """A number for the content stream: three decimals at most, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class PdfPainter:
    """The default :class:`Painter`: PDF operators on a reportlab canvas.

    Text goes into one BT/ET block per :meth:`flush`, written directly (reportlab's text
    object formats every number through a slow path and measures each string again); boxes
    follow it, grouped by style into one saved graphics state each, then link annotations.
    Pictures are drawn at once (after flushing what came before).
    """

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.doc = pdf_document(canvas)
        self.escape = string_escaper(canvas)
        self.ops: list[str] = ["BT"]
        self.font: tuple[str, float] | None = None
        self.tc = 0.0
        self.color: Color = BLACK
        self.boxes: list[tuple[tuple[Color, float | None, Color | None, tuple[float, float] | None], Rect]] = []
        self.links: list[tuple[str, Rect]] = []

    def show_run(self, face: Face, size: float, text: str, x: float, y: float, char_spacing: float = 0.0,
                 color: Color = BLACK, shear: float = 0.0, actual_text: str | None = None,
                 adjustments: Sequence[float] | None = None) -> None:
        ops = self.ops
        if actual_text is not None:
            ops.append(f"/Span <</ActualText {_pdf_utf16(actual_text)}>> BDC")
        ops.append(f"1 0 {pdf_number(shear)} 1 {pdf_number(x)} {pdf_number(y)} Tm")
        if char_spacing != self.tc:
            ops.append(f"{pdf_number(char_spacing)} Tc")
            self.tc = char_spacing
        if color != self.color:
            ops.append(f"{pdf_number(color[0])} {pdf_number(color[1])} {pdf_number(color[2])} rg")
            self.color = color
        # one face is one font (one Identity-H subset per document, two bytes a glyph): one Tj, or
        # one TJ array whose strings are cut at the adjusted glyphs, each adjustment a number in
        # thousandths of the size, negated (TJ numbers move the next glyph left)
        name, codes = face.font.hex_codes(text, self.doc)
        self._font(name, size)
        marks = [i for i, value in enumerate(adjustments) if value] if adjustments is not None else []
        if marks and marks[-1] == len(text) - 1:
            marks.pop()  # after the last glyph: nothing to move
        if marks:
            array: list[str] = []
            at = 0
            for i in marks:
                end = (i + 1) * 4
                array.append(f"<{codes[at:end]}>{pdf_number(-adjustments[i] * 1000.0 / size)}")  # type: ignore[index]
                at = end
            if at < len(codes):
                array.append(f"<{codes[at:]}>")
            ops.append(f"[{''.join(array)}] TJ")
        else:
            ops.append(f"<{codes}> Tj")
        if actual_text is not None:
            ops.append("EMC")

    def _font(self, name: str, size: float) -> bool:
        """Select the font (a Tf) unless it is current; True when it changed."""
        key = (name, size)
        if key == self.font:
            return False
        self.ops.append(f"{name} {pdf_number(size)} Tf")
        self.font = key
        return True

    def box(self, x: float, y: float, width: float, height: float, stroke: Color = GREY,
            line_width: float | None = None, fill: Color | None = None,
            dash: tuple[float, float] | None = None) -> None:
        self.boxes.append(((stroke, line_width, fill, dash), (x, y, width, height)))

    def link(self, href: str, rect: Rect) -> None:
        self.links.append((href, rect))

    def image(self, reader: ImageReader, x: float, y: float, width: float, height: float) -> None:
        self.flush()
        self.canvas.drawImage(reader, x, y, width, height)

    def flush(self) -> None:
        canvas = self.canvas
        if len(self.ops) > 1:
            self.ops.append("ET")
            content_ops(canvas).append("\n".join(self.ops))
            self.ops = ["BT"]
            self.font, self.tc, self.color = None, 0.0, BLACK
        at = 0
        boxes = self.boxes
        while at < len(boxes):
            style = boxes[at][0]
            stroke, line_width, fill, dash = style
            canvas.saveState()
            canvas.setStrokeColorRGB(*stroke)
            if fill is not None:
                canvas.setFillColorRGB(*fill)
            if dash is not None:
                canvas.setDash(*dash)
            if line_width is not None:
                canvas.setLineWidth(line_width)
            while at < len(boxes) and boxes[at][0] == style:
                canvas.rect(*boxes[at][1], stroke=1, fill=0 if fill is None else 1)
                at += 1
            canvas.restoreState()
        self.boxes = []
        for href, rect in self.links:
            canvas.linkURL(href, rect, relative=1, thickness=0)
        self.links = []


def draw_lines(painter: Painter, text: StyledText, lines: list[tuple[int, int]], x0: float, top: float, width: float,
               leading: float, indent: float, align: str) -> None:
    """Draw ``lines`` of ``text`` from ``top`` downwards through ``painter`` (flushed at the end).

    Justified lines spread their slack over the stretchable gaps (:attr:`StyledText.stretch`)
    as character spacing; punctuation compression and the Han-Latin quarter em
    (:attr:`StyledText.adjust`) reach the painter as per-glyph adjustments, except after a
    line's last character. One run per face and style on a line."""
    chars, styles, faces, widths, uncovered = text.chars, text.styles, text.faces, text.widths, text.uncovered
    adjust, stretch, shrink, cuts = text.adjust, text.stretch, text.shrink, text.cuts
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
        final = visible_end - 1
        line_styles = styles[start:visible_end]
        style0 = line_styles[0]
        size = style0.size if line_styles.count(style0) == len(line_styles) else max(s.size for s in line_styles)
        y = top - number * leading - (leading - size) / 2 - ASCENT * size
        line_x = x0 + (indent if number == 0 else 0.0)
        measure = width - (indent if number == 0 else 0.0)
        slack = measure - sum(widths[start:visible_end]) - sum(adjust[start:final])
        is_last = end >= n_chars or forced
        spacing = 0.0
        gaps_at: Any = stretch  # or _SpaceGaps: both index and slice
        closing = None
        if slack < -0.01 and align != "center":
            # set tighter (the line breaker allowed it): the marks inside the line give up their
            # blank halves in proportion
            over = -slack
            room = sum(shrink[start:final])
            if over > 0 and room > 0:
                closing = min(over / room, 1.0)
        elif align == "justify" and not is_last and slack > 0:
            gaps = sum(stretch[start:final])
            if not gaps:
                # a line of Latin words alone stretches its spaces instead
                gaps_at = _SpaceGaps(chars)
                gaps = sum(1 for k in range(start, final) if gaps_at[k])
            if gaps:
                # A line left short by a long unbreakable run is justified only as far as 1/4 em
                # per gap: wider gaps read as columns to text extractors (and to people).
                spacing = min(slack / gaps, MAX_SPACING * size)
        elif align == "center":
            line_x += max(slack, 0.0) / 2
        # runs: consecutive characters sharing face and style (StyledText.cuts), each a box or one show_run
        x = line_x
        i = start
        at = bisect_right(cuts, start)
        while i < visible_end:
            j = cuts[at]
            if j > visible_end:
                j = visible_end
            at += 1
            style = styles[i]
            # the run's character spacing is what its first gap gets; the other gaps differ by adjustments
            tc = 0.0
            if spacing:
                flags = gaps_at[i:j]
                if flags[0]:
                    tc = spacing
                on, off = spacing - tc, -tc
                extra = [a + (on if f else off) for a, f in zip(adjust[i:j], flags, strict=True)]
            elif closing is not None:
                extra = [a - g * closing for a, g in zip(adjust[i:j], shrink[i:j], strict=True)]
            else:
                extra = adjust[i:j]
            if j - 1 == final:
                extra[-1] = -tc  # nothing follows on this line
            run_width = sum(widths[i:j]) + tc * (j - i) + sum(extra)
            if i in uncovered:
                _draw_uncovered(painter, style, chars[i], x, y)
            else:
                painter.show_run(style.chain.face(faces[i]), style.size, chars[i:j], x, y, tc, style.color,
                                 style.shear, adjustments=extra if any(extra) else None)
            if style.href:
                painter.link(style.href, (x, y - 0.12 * style.size, x + run_width - tc, y + ASCENT * style.size))
            x += run_width
            i = j
    painter.flush()


class _SpaceGaps:
    """The gaps after spaces: those a line of Latin words alone stretches."""

    def __init__(self, chars: str) -> None:
        self.chars = chars

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [ch.isspace() for ch in self.chars[index]]
        return self.chars[index].isspace()


def _draw_uncovered(painter: Painter, style: Style, char: str, x: float, y: float) -> None:
    """A character no font has: a visible one-em box, and in it a blank full-width glyph marked
    up with ``/ActualText`` so that text extraction still gives back the character itself."""
    size = style.size
    face = style.chain.main
    blank = "\u3000" if face.covers("\u3000") else " "
    painter.show_run(face, size, blank, x, y, 0.0, style.color, actual_text=char)
    painter.box(x + 0.1 * size, y - 0.1 * size, 0.8 * size, 0.95 * size, GREY, line_width=0.5)


def _pdf_utf16(text: str) -> str:
    """A PDF text string in UTF-16BE with BOM, written as hex (safe for any character)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"
