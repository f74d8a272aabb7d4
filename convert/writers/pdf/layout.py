"""The one layout of the PDF and OFD writers: a document or a book, set on pages by the PDF
writer's doc templates and flowables, drawn on a :class:`Surface`.

The PDF writer draws on reportlab's own canvas and keeps the bytes it writes; the OFD
writer draws on a recording canvas and packages the recording. Everything else -- fonts,
page geometry (the normal layout or GB/T 9704's, ``--style gongwen``), the story, the
warnings -- is decided here once, so both formats get the same pages.
"""

from __future__ import annotations

import io
import threading
from typing import Any, Protocol

from reportlab.platypus.doctemplate import LayoutError

from ...errors import ConvertError
from ...model import Book, Diagnostic, Document, info
from ..base import Rendered
from . import gongwen
from .book import render_book_pdf
from .builder import Builder
from .document import DocTemplate, document_info
from .fonts import Fonts, fonts_for
from .options import PdfOptions, geometry
from .pdfa import pdf_standard_settings
from .reportlab_compat import reportlab_settings

# One build at a time per process: a face's CIDFont (.cidfont) keeps per-document state (the
# codes a document has used so far), from the first glyph drawn until the fonts are
# forgotten; a surface that reads the fonts to package its output does it inside too.
BUILD_LOCK = threading.Lock()


class Surface(Protocol):
    """Where a layout is drawn. Both methods are called with :data:`BUILD_LOCK` held."""

    #: The format's name in messages ("PDF", "OFD").
    label: str

    def canvasmaker(self, fonts: Fonts, page: tuple[float, float]) -> Any:
        """A reportlab canvas class (or factory) for pages of ``page`` size, or None for reportlab's own."""
        ...

    def finish(self, data: bytes) -> bytes:
        """The output's bytes, from what reportlab's canvas wrote (empty for a recording canvas)."""
        ...


class PdfSurface:
    """reportlab's canvas: the PDF as it writes it."""

    label = "PDF"

    def canvasmaker(self, fonts: Fonts, page: tuple[float, float]) -> Any:
        return None

    def finish(self, data: bytes) -> bytes:
        return data


PDF = PdfSurface()


def gongwen_notes(opts: PdfOptions, fonts: Fonts) -> list[Diagnostic]:
    """What a GB/T 9704 layout says once per output: the faces that stand in, an A4 page forced."""
    notes = [gongwen.stand_in_warning(fonts, bool(opts.font))]
    if opts.page_size != "A4":
        notes.append(info("page-size-ignored", f"--style gongwen sets A4 pages (GB/T 9704); {opts.page_size} ignored"))
    return notes


def lay_out(document: Document, opts: PdfOptions, surface: Surface = PDF) -> Rendered:
    """``document`` on pages, drawn on ``surface``: the normal layout, or GB/T 9704's."""
    pages = geometry(opts)
    meta = document.meta
    language = meta.language or opts.language
    with BUILD_LOCK, reportlab_settings(), pdf_standard_settings(opts.pdf_standard):
        fonts = fonts_for(opts.font, language)  # a Traditional edition's face by the document's language
        properties = document_info(meta.title, "", " / ".join(meta.category), " ".join(meta.category), meta.date,
                                   meta.source or "")
        buffer = io.BytesIO()
        template = gongwen.GongwenTemplate if pages.official else DocTemplate
        doc = template(buffer, pages.page, pages.margins, fonts, properties, pages.size, language)
        builder: Builder
        if pages.official:
            builder = gongwen.GongwenBuilder(document, fonts, doc.height, doc.width)
            story = gongwen.story(builder)
        else:
            builder = Builder(document, fonts, pages.size, doc.height, doc.width)
            story = builder.title_block() + builder.blocks(document.blocks)
        # An empty document is the reader's to report (empty-body), not the writer's.
        maker = surface.canvasmaker(fonts, pages.page)
        try:
            doc.build(story, **({"canvasmaker": maker} if maker is not None else {}))
        except LayoutError as exc:
            raise ConvertError(f"cannot lay out the {surface.label}: {str(exc).splitlines()[0][:200]}") from None
        finally:
            doc.forget_fonts()
        data = surface.finish(buffer.getvalue())
        notes = gongwen_notes(opts, fonts) if pages.official else []
    return Rendered(data, (), (*notes, *builder.finish(), *doc.dropped))


def lay_out_book(book: Book, opts: PdfOptions, surface: Surface = PDF) -> Rendered:
    """The whole book on pages (see :mod:`.book`), drawn on ``surface``."""
    pages = geometry(opts)  # a bad page size or style fails before any article is read
    with BUILD_LOCK, reportlab_settings(), pdf_standard_settings(opts.pdf_standard):
        fonts = fonts_for(opts.font, book.meta.language or opts.language)
        rendered = render_book_pdf(book, opts, fonts, pages, canvasmaker=surface.canvasmaker(fonts, pages.page))
        data = surface.finish(rendered.data)
        notes = gongwen_notes(opts, fonts) if pages.official else []
    return Rendered(data, (), (*notes, *rendered.diagnostics))


__all__ = ["BUILD_LOCK", "PDF", "PdfSurface", "Surface", "gongwen_notes", "lay_out", "lay_out_book"]
