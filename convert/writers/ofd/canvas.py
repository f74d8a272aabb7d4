"""Recording the PDF writer's layout for OFD: a painter and a canvas that keep, page by page,
what would be drawn, in page coordinates (points, y up), and write no PDF.

:class:`OfdCanvas` is the reportlab canvas the doc template lays the story out on. It plugs
:class:`OfdPainter` into the painter seam (:func:`~convert.writers.pdf.draw.use_painter`), so
every glyph run, box, link and picture of the flowables comes here; the little the
templates draw on the canvas directly (page numbers, the book's header rule, contents
leaders and page numbers, table rules) is caught by overriding those canvas methods; and
``save`` does nothing, which skips the PDF serialisation (most of a PDF's cost).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ..pdf.draw import use_painter
from ..pdf.fonts import Face
from ..pdf.reportlab_compat import page_objects
from ..pdf.text import BLACK, GREY

Color = tuple[float, float, float]


@dataclass
class Run:
    """Glyphs on one baseline: the first one's origin (x, y) and each glyph's advance, in points."""

    face: Face
    size: float
    text: str
    x: float
    y: float
    advances: list[float]
    color: Color = BLACK
    shear: float = 0.0


@dataclass
class Path:
    """An outlined (or filled) rectangle, or a line from (x, y) to (x + width, y + height)."""

    x: float
    y: float
    width: float
    height: float
    stroke: Color | None = GREY
    line_width: float | None = None
    fill: Color | None = None
    dash: tuple[float, ...] | None = None
    line: bool = False
    round_cap: bool = False


@dataclass
class Picture:
    reader: ImageReader
    x: float
    y: float
    width: float
    height: float


@dataclass
class Link:
    rect: tuple[float, float, float, float]  # x1, y1, x2, y2 on the page
    href: str = ""  # an address, or
    key: str = ""  # a bookmark of the document


@dataclass
class PageRecord:
    items: list[Run | Path | Picture] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


@dataclass
class Recording:
    """Everything a layout drew: pages in drawing order, bookmarks and the outline."""

    pages: dict[int, PageRecord] = field(default_factory=dict)
    bookmarks: dict[str, tuple[int, float]] = field(default_factory=dict)  # key -> (page, top y)
    outline: list[tuple[str, int, str]] = field(default_factory=list)  # (title, level, key)
    faces: dict[str, Face] = field(default_factory=dict)  # registered font name -> face
    advances: dict[tuple[int, float, float], dict[str, float]] = field(default_factory=dict)

    def page(self, number: int) -> PageRecord:
        record = self.pages.get(number)
        if record is None:
            record = self.pages[number] = PageRecord()
        return record


class OfdPainter:
    """The :class:`~convert.writers.pdf.draw.Painter` for OFD: records runs, boxes, links, pictures."""

    def __init__(self, canvas: OfdCanvas) -> None:
        self.canvas = canvas
        self.record = canvas.recording.page(canvas.getPageNumber())

    def show_run(self, face: Face, size: float, text: str, x: float, y: float, char_spacing: float = 0.0,
                 color: Color = BLACK, shear: float = 0.0, actual_text: str | None = None,
                 adjustments: Sequence[float] | None = None) -> None:
        key = (id(face), size, char_spacing)
        memo = self.canvas.recording.advances.get(key)
        if memo is None:  # a glyph's advance, per face, size and spacing: a dict look-up per glyph after the first
            memo = self.canvas.recording.advances[key] = {}
        advances = []
        for c in text:
            advance = memo.get(c)
            if advance is None:
                advance = memo[c] = face.width(c) * size + char_spacing
            advances.append(advance)
        if adjustments is not None:
            advances = [a + extra for a, extra in zip(advances, adjustments, strict=False)] + advances[len(adjustments):]
        if actual_text is not None:  # a blank stand-in glyph: record the character it stands for
            text, advances = actual_text, [sum(advances)] + [0.0] * (len(actual_text) - 1)
        ax, ay = self.canvas.absolutePosition(x, y)
        self.record.items.append(Run(face, size, text, ax, ay, advances, color, shear))

    def box(self, x: float, y: float, width: float, height: float, stroke: Color = GREY,
            line_width: float | None = None, fill: Color | None = None,
            dash: tuple[float, float] | None = None) -> None:
        ax, ay = self.canvas.absolutePosition(x, y)
        self.record.items.append(Path(ax, ay, width, height, stroke, line_width, fill, dash))

    def link(self, href: str, rect: tuple[float, float, float, float]) -> None:
        self.record.links.append(Link(self.canvas.absolute_rect(rect), href=href))

    def image(self, reader: ImageReader, x: float, y: float, width: float, height: float) -> None:
        ax, ay = self.canvas.absolutePosition(x, y)
        self.record.items.append(Picture(reader, ax, ay, width, height))

    def flush(self) -> None:
        pass


class OfdCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints: Canvas is Any to mypy
    """A reportlab canvas that records instead of writing PDF (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recording = Recording()
        self.ofd_state: list[tuple[Any, ...]] = []
        self.ofd_font: tuple[str, float] = ("", 10.0)
        self.ofd_fill: Color = BLACK
        self.ofd_stroke: Color = BLACK
        self.ofd_line_width: float = 1.0
        self.ofd_dash: tuple[float, ...] | None = None
        self.ofd_round_cap = False
        self.on_page_done: Callable[[int], None] | None = None  # called with each finished page's number
        use_painter(self, OfdPainter)

    # -- graphics state, tracked for what is drawn on the canvas itself

    def saveState(self) -> None:  # noqa: N802 - reportlab API
        super().saveState()
        self.ofd_state.append((self.ofd_font, self.ofd_fill, self.ofd_stroke, self.ofd_line_width, self.ofd_dash,
                               self.ofd_round_cap))

    def restoreState(self) -> None:  # noqa: N802
        super().restoreState()
        if self.ofd_state:
            (self.ofd_font, self.ofd_fill, self.ofd_stroke, self.ofd_line_width, self.ofd_dash,
             self.ofd_round_cap) = self.ofd_state.pop()

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:  # noqa: N802
        super().setFont(psfontname, size, leading)
        self.ofd_font = (psfontname, size)

    def setFillColorRGB(self, r: float, g: float, b: float, alpha: float | None = None) -> None:  # noqa: N802
        super().setFillColorRGB(r, g, b, alpha)
        self.ofd_fill = (r, g, b)

    def setStrokeColorRGB(self, r: float, g: float, b: float, alpha: float | None = None) -> None:  # noqa: N802
        super().setStrokeColorRGB(r, g, b, alpha)
        self.ofd_stroke = (r, g, b)

    def setStrokeColor(self, color: Any, alpha: float | None = None) -> None:  # noqa: N802
        super().setStrokeColor(color, alpha)
        if hasattr(color, "red"):
            self.ofd_stroke = (color.red, color.green, color.blue)

    def setLineWidth(self, width: float) -> None:  # noqa: N802
        super().setLineWidth(width)
        self.ofd_line_width = width

    def setDash(self, array: Any = (), phase: float = 0) -> None:  # noqa: N802
        super().setDash(array, phase)
        if isinstance(array, (int, float)):
            array = (array, phase)
        self.ofd_dash = tuple(array) or None

    def setLineCap(self, mode: int) -> None:  # noqa: N802
        super().setLineCap(mode)
        self.ofd_round_cap = mode == 1

    # -- drawing straight on the canvas

    def _ofd_string(self, x: float, y: float, text: str, anchor: float) -> None:
        face = self.recording.faces.get(self.ofd_font[0])
        if face is None or not text:
            return
        size = self.ofd_font[1]
        advances = [face.width(c) * size for c in text]
        ax, ay = self.absolutePosition(x - anchor * sum(advances), y)
        self.recording.page(self.getPageNumber()).items.append(Run(face, size, text, ax, ay, advances, self.ofd_fill))

    def drawString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        self._ofd_string(x, y, text, 0.0)

    def drawCentredString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        self._ofd_string(x, y, text, 0.5)

    def drawRightString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        self._ofd_string(x, y, text, 1.0)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        ax1, ay1 = self.absolutePosition(x1, y1)
        ax2, ay2 = self.absolutePosition(x2, y2)
        self.recording.page(self.getPageNumber()).items.append(Path(
            ax1, ay1, ax2 - ax1, ay2 - ay1, self.ofd_stroke, self.ofd_line_width, None, self.ofd_dash, line=True,
            round_cap=self.ofd_round_cap))

    def lines(self, linelist: Any) -> None:
        for x1, y1, x2, y2 in linelist:
            self.line(x1, y1, x2, y2)

    def bookmarkHorizontal(self, key: str, relativeX: float, relativeY: float, **kw: Any) -> None:  # noqa: N802, N803
        self.recording.bookmarks[key] = (self.getPageNumber(), self.absolutePosition(relativeX, relativeY)[1])

    def addOutlineEntry(self, title: str, key: str, level: int = 0, closed: Any = None) -> None:  # noqa: N802
        self.recording.outline.append((title, level, key))

    def linkAbsolute(self, contents: str, destinationname: str, Rect: Any = None, *args: Any, **kw: Any) -> None:  # noqa: N802, N803
        if Rect is not None:
            self.recording.page(self.getPageNumber()).links.append(Link(tuple(Rect), key=destinationname))

    def linkURL(self, url: str, rect: Any, relative: int = 0, *args: Any, **kw: Any) -> None:  # noqa: N802
        if relative:
            rect = self.absolute_rect(rect)
        self.recording.page(self.getPageNumber()).links.append(Link(tuple(rect), href=url))

    def absolute_rect(self, rect: Sequence[float]) -> tuple[float, float, float, float]:
        """A rectangle (x1, y1, x2, y2) in the current coordinates, on the page."""
        x1, y1 = self.absolutePosition(rect[0], rect[1])
        x2, y2 = self.absolutePosition(rect[2], rect[3])
        return x1, y1, x2, y2

    def showPage(self) -> None:  # noqa: N802
        number = self.getPageNumber()
        super().showPage()
        page_objects(self)[-1].ofd_number = number  # the book moves its front matter to the front
        if self.on_page_done is not None:
            self.on_page_done(number)

    def page_order(self) -> list[int]:
        """The page numbers (as drawn) in the order of the finished document."""
        return [getattr(page, "ofd_number", i + 1) for i, page in enumerate(page_objects(self))]

    def save(self) -> None:
        """No PDF: what was drawn is in :attr:`recording`."""
