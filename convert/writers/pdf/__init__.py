"""PDF writer: reportlab platypus with our own clreq line breaking and per-character font fallback.

The package, one job per module (see each module's docstring):

- :mod:`.fonts` faces, fallback chains and font loading, once per process;
- :mod:`.subset` the TrueType subsetter;
- :mod:`.text` styled runs measured per character, and counters of what no font has;
- :mod:`.paragraph` the :class:`CJKParagraph` flowable and its line layout;
- :mod:`.draw` laid-out lines to drawing calls, through a painter;
- :mod:`.flowables` pictures, placeholders, bookmarks;
- :mod:`.document` page sizes and margins, information dictionary, doc template, footer;
- :mod:`.builder` model blocks to flowables;
- :mod:`.book` book mode;
- :mod:`.reportlab_compat` every use of reportlab's private internals.

This module holds the writer and its options.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.platypus.doctemplate import LayoutError

from ... import gongwen as gongwen_rules
from ...errors import ConvertError
from ...model import Book, Diagnostic, Document, info
from ..base import PAGE_SIZES, STYLES, Rendered, Writer, WriterOptions
from . import gongwen
from .builder import Builder
from .document import PAGE_SIZES_PT, DocTemplate, artifact, document_info, draw_page_number, page_margins
from .draw import draw_lines
from .fonts import Fonts, fonts_for
from .paragraph import CJKParagraph
from .pdfa import pdf_standard_settings
from .reportlab_compat import ZLIB_LEVEL, reportlab_settings

__all__ = ["ZLIB_LEVEL", "CJKParagraph", "PdfOptions", "PdfWriter", "artifact", "draw_lines", "draw_page_number"]

_DEFAULT_FONT_SIZE = {"A4": 12.0, "A5": 10.5, "B5": 11.0, "Letter": 12.0}

# One build at a time per process: a reportlab TTFont keeps per-document state.
BUILD_LOCK = threading.Lock()


@dataclass(frozen=True)
class PdfOptions(WriterOptions):
    page_size: str = "A4"  # A4, A5, B5 or Letter
    font: str | None = None  # a TrueType .ttf/.ttc for body text; None: Convert Serif SC (UMing TW/HK if Traditional)
    font_size: float | None = None  # body size in points; None picks one for the page size
    continuous: bool = False  # book mode: run articles on without starting each on a new page
    pdf_standard: str = "pdfa-2u"  # pdfa-2u (PDF/A-2u, see pdfa.py) or none
    #: Layout: "normal", or "gongwen" (GB/T 9704-2012 official documents, single files; see .gongwen).
    style: str = "normal"


def _style(value: str) -> str:
    for name in STYLES:
        if name == str(value).lower():
            return name
    raise ConvertError(f"unknown style {value!r}; styles: {', '.join(STYLES)}")


def body_size(opts: PdfOptions) -> float:
    """The body font size in points, after checking the page size and the size asked for."""
    if opts.page_size not in PAGE_SIZES_PT:
        raise ConvertError(f"unknown page size {opts.page_size!r}; page sizes: {', '.join(PAGE_SIZES)}")
    size = float(opts.font_size or _DEFAULT_FONT_SIZE[opts.page_size])
    if not 4.0 <= size <= 72.0:
        raise ConvertError(f"font size {size:g} pt is out of range (4 to 72)")
    return size


class PdfWriter(Writer[PdfOptions]):
    name = "pdf"
    extension = ".pdf"
    description = "PDF with embedded, subset CJK fonts and Chinese line breaking (reportlab)"
    options_type = PdfOptions

    def render(self, document: Document, options: PdfOptions, destination: Path | None = None) -> Rendered:
        opts = options
        size = body_size(opts)
        language = document.meta.language or opts.language
        official = _style(opts.style) == gongwen_rules.STYLE
        with BUILD_LOCK, reportlab_settings(), pdf_standard_settings(opts.pdf_standard):
            fonts = fonts_for(opts.font, language)
            if official:
                return self._build_gongwen(document, opts, fonts)
            return self._build(document, opts, fonts, size)

    def render_book(self, book: Book, options: PdfOptions, destination: Path | None = None) -> Rendered:
        from . import book as book_module  # the package is fully imported by now

        opts = options
        size = body_size(opts)
        with BUILD_LOCK, reportlab_settings(), pdf_standard_settings(opts.pdf_standard):
            return book_module.render_book_pdf(book, opts, fonts_for(opts.font, book.meta.language or opts.language), size)

    def _build(self, document: Document, opts: PdfOptions, fonts: Fonts, size: float) -> Rendered:
        meta = document.meta
        page = PAGE_SIZES_PT[opts.page_size]
        info = document_info(meta.title, "", " / ".join(meta.category), " ".join(meta.category), meta.date, meta.source or "")
        buffer = io.BytesIO()
        doc = DocTemplate(buffer, page, page_margins(page, size), fonts, info, size, meta.language or opts.language)
        builder = Builder(document, fonts, size, doc.height, doc.width)
        story = builder.title_block() + builder.blocks(document.blocks)
        return _set(document, doc, builder, story, buffer)

    def _build_gongwen(self, document: Document, opts: PdfOptions, fonts: Fonts) -> Rendered:
        """The GB/T 9704 layout (see :mod:`.gongwen`)."""
        meta = document.meta
        notes: list[Diagnostic] = [gongwen.stand_in_warning(fonts, bool(opts.font))]
        if opts.page_size != "A4":
            notes.append(info("page-size-ignored", f"--style gongwen sets A4 pages (GB/T 9704); {opts.page_size} ignored"))
        info_dict = document_info(meta.title, "", " / ".join(meta.category), " ".join(meta.category), meta.date,
                                  meta.source or "")
        buffer = io.BytesIO()
        doc = gongwen.GongwenTemplate(buffer, gongwen.PAGE, gongwen.margins(), fonts, info_dict, gongwen.BODY_SIZE,
                                      meta.language or opts.language)
        builder = gongwen.GongwenBuilder(document, fonts, doc.height, doc.width)
        story = gongwen.story(builder)
        rendered = _set(document, doc, builder, story, buffer)
        return Rendered(rendered.data, (), (*notes, *rendered.diagnostics))


def _set(document: Document, doc: DocTemplate, builder: Builder, story: list[Any], buffer: io.BytesIO) -> Rendered:
    """Set ``story`` on ``doc``'s pages (both layouts, normal and gongwen, end here). An empty
    document is the reader's to report (empty-body), not the writer's."""
    try:
        doc.build(story)
    except LayoutError as exc:
        raise ConvertError(f"cannot lay out the PDF: {str(exc).splitlines()[0][:200]}") from None
    finally:
        doc.forget_fonts()
    return Rendered(buffer.getvalue(), (), tuple(builder.finish() + doc.dropped))
