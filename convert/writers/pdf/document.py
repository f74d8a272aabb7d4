"""The document: page sizes and margins, the information dictionary, the doc template with
its one frame, and the page footer (page number drawn as pagination furniture)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.lib.pagesizes import A4, A5, B5, LETTER
from reportlab.platypus import Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from ...model import Diagnostic, full_date, warning
from ...version import __version__
from .fonts import Fonts, faces_of
from .reportlab_compat import CompatDocTemplate, DocumentInfo, content_ops, forget_document_state
from .text import GREY

#: Page sizes in points, by the names ``--page-size`` takes.
PAGE_SIZES_PT = {"A4": A4, "A5": A5, "B5": B5, "Letter": LETTER}


def pdf_date(iso: str | None) -> str:
    """A PDF date from the article's ISO date (China time); a fixed epoch when there is no full date."""
    day = full_date(iso)
    return f"D:{day.year:04d}{day.month:02d}{day.day:02d}000000+08'00'" if day else "D:20000101000000Z"


def document_info(title: str, author: str, subject: str, keywords: str, date: str | None,
                  source: str = "") -> DocumentInfo:
    """The document information dictionary, with the source path and dates fixed by the article."""
    return DocumentInfo(title, author, subject, keywords, f"convert {__version__}", pdf_date(date), source)


def page_margins(page: tuple[float, float], size: float) -> tuple[float, float, float, float]:
    """Side margins that make the measure a whole number of em, so lines of pure Han text
    need no justification at all; top and bottom leave room for the footer."""
    width, height = page
    side = width * 0.12
    measure = (width - 2 * side) // size * size
    side = (width - measure) / 2
    return side, side, height * 0.09, height * 0.1


class DocTemplate(CompatDocTemplate):
    """One frame filling the text block; reproducible bytes (fixed dates, no random ID); our
    information dictionary; the outline shown on opening."""

    def __init__(self, buffer: io.BytesIO, page_size: tuple[float, float], margins: tuple[float, float, float, float],
                 fonts: Fonts, info: DocumentInfo, size: float, lang: str) -> None:
        self.document_info = info
        self.fonts = fonts
        self.canvases: list[Any] = []
        self.dropped: list[Diagnostic] = []
        super().__init__(buffer, pagesize=page_size, leftMargin=margins[0], rightMargin=margins[1],
                         topMargin=margins[2], bottomMargin=margins[3], lang=lang, invariant=1, pageCompression=1,
                         initialFontName=fonts.body.main.name, initialFontSize=size)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([self.page_template(frame)])

    def page_template(self, frame: Frame) -> PageTemplate:
        """The one page template: a page number at the foot of every page."""
        return PageTemplate(id="page", frames=[frame], onPage=self._footer)

    def canvas_made(self, canvas: Any) -> None:
        self.canvases.append(canvas)

    def handle_flowable(self, flowables: Any) -> None:
        """One block too large for any page (a table row taller than the page) costs that block,
        with a warning, not the whole document."""
        try:
            super().handle_flowable(flowables)
        except LayoutError:
            self.dropped.append(warning("block-too-large", self.too_large_message()))

    def too_large_message(self) -> str:
        return "a block too large for a page was left out"

    def forget_fonts(self) -> None:
        """Drop the fonts' per-document state for this document's canvases (call when done)."""
        forget_document_state(self.canvases, [face.font for face in faces_of(self.fonts)])

    def _footer(self, canvas: Any, doc: Any) -> None:
        """The page number, centred below the text block."""
        draw_page_number(canvas, self.fonts, canvas.getPageNumber(), self.leftMargin + self.width / 2,
                         self.bottomMargin * 0.5)


@contextmanager
def artifact(canvas: Any, subtype: str) -> Iterator[None]:
    """Mark what is drawn inside as pagination furniture (PDF/UA's /Artifact) with an empty
    /ActualText, so copying or extracting a paragraph that runs over a page break does not
    pick up the page number or running header in its middle. It stays visible."""
    content_ops(canvas).append(f"/Artifact <</Type /Pagination /Subtype /{subtype}>> BDC /Span <</ActualText ()>> BDC")
    try:
        yield
    finally:
        content_ops(canvas).append("EMC EMC")


def draw_page_number(canvas: Any, fonts: Fonts, number: int, centre: float, baseline: float) -> None:
    """A page number centred at ``centre``, marked as a footer artifact."""
    canvas.saveState()
    canvas.setFillColorRGB(*GREY)
    canvas.setFont(fonts.body.main.name, 9.0)
    with artifact(canvas, "Footer"):
        canvas.drawCentredString(centre, baseline, str(number))
    canvas.restoreState()
