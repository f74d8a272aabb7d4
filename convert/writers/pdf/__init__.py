"""PDF writer: reportlab platypus with our own clreq line breaking and per-character font fallback.

The package, one job per module (see each module's docstring):

- :mod:`.options` the writer's options (the OFD writer's too) and their checks;
- :mod:`.layout` the one layout of a document or a book, drawn on a surface (the PDF's
  canvas here, the OFD writer's recording canvas there);
- :mod:`.fonts` faces, fallback chains and font loading, once per process;
- :mod:`.subset` the TrueType subsetter;
- :mod:`.text` styled runs measured per character, and counters of what no font has;
- :mod:`.paragraph` the :class:`CJKParagraph` flowable and its line layout;
- :mod:`.draw` laid-out lines to drawing calls, through a painter;
- :mod:`.flowables` pictures, placeholders, bookmarks;
- :mod:`.document` page sizes and margins, information dictionary, doc template, footer;
- :mod:`.builder` model blocks to flowables;
- :mod:`.gongwen` the GB/T 9704 layout (``--style gongwen``);
- :mod:`.book` book mode;
- :mod:`.reportlab_compat` every use of reportlab's private internals.

This module holds the writer.
"""

from __future__ import annotations

from pathlib import Path

from ...model import Book, Document
from ..base import Rendered, Writer
from .document import artifact, draw_page_number
from .draw import draw_lines
from .layout import BUILD_LOCK, lay_out, lay_out_book
from .options import PdfOptions, body_size
from .paragraph import CJKParagraph
from .reportlab_compat import ZLIB_LEVEL

__all__ = ["BUILD_LOCK", "ZLIB_LEVEL", "CJKParagraph", "PdfOptions", "PdfWriter", "artifact", "body_size", "draw_lines",
           "draw_page_number"]


class PdfWriter(Writer[PdfOptions]):
    name = "pdf"
    extension = ".pdf"
    description = "PDF with embedded, subset CJK fonts and Chinese line breaking (reportlab)"
    options_type = PdfOptions

    def render(self, document: Document, options: PdfOptions, destination: Path | None = None) -> Rendered:
        return lay_out(document, options)

    def render_book(self, book: Book, options: PdfOptions, destination: Path | None = None) -> Rendered:
        return lay_out_book(book, options)
