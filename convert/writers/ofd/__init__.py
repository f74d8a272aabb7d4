"""OFD writer (GB/T 33190-2016, the Chinese national fixed-layout format), from the PDF's layout.

The PDF writer's doc template and flowables lay the document out -- the same pages, fonts,
line breaks and pictures as the PDF -- on an :class:`~.canvas.OfdCanvas`, which records
what the painter seam and the templates draw and writes no PDF; :mod:`.package` turns the
recording into the OFD package. Books (``--book x.ofd``) go through the PDF writer's book
builder the same way, with the book's contents as the OFD outline.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.platypus.doctemplate import LayoutError

from ... import __version__
from ...errors import ConvertError
from ...model import Book, Document, full_date
from ..base import Rendered, Writer, WriterOptions
from ..pdf import BUILD_LOCK, PdfOptions, body_size
from ..pdf.builder import Builder
from ..pdf.document import PAGE_SIZES_PT, DocTemplate, document_info, page_margins
from ..pdf.fonts import Fonts, faces_of, fonts_for
from ..pdf.reportlab_compat import reportlab_settings
from .canvas import OfdCanvas
from .package import DocumentMeta, OfdBuilder


@dataclass(frozen=True)
class OfdOptions(WriterOptions):
    page_size: str = "A4"  # A4, A5, B5 or Letter
    font: str | None = None  # a TrueType .ttf/.ttc for body text; None for the bundled AR PL UMing
    font_size: float | None = None  # body size in points; None picks one for the page size
    continuous: bool = False  # book mode: run articles on without starting each on a new page


def _pdf_options(opts: OfdOptions) -> PdfOptions:
    return PdfOptions(language=opts.language, page_size=opts.page_size, font=opts.font, font_size=opts.font_size,
                      continuous=opts.continuous, pdf_standard="none")


def _iso_date(date: str | None) -> str | None:
    day = full_date(date)
    return day.isoformat() if day else None


class _Maker:
    """A canvasmaker that keeps the canvas it made (reportlab makes one per build) and hands
    each finished page to the package builder."""

    def __init__(self, fonts: Fonts, page: tuple[float, float]) -> None:
        self.fonts = fonts
        self.page = page
        self.canvas: OfdCanvas | None = None
        self.builder: OfdBuilder | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> OfdCanvas:
        canvas = self.canvas = OfdCanvas(*args, **kwargs)
        canvas.recording.faces.update({face.name: face for face in faces_of(self.fonts)})
        self.builder = OfdBuilder(canvas.recording, self.page)
        canvas.on_page_done = self.builder.page_done
        return canvas

    def package(self, meta: DocumentMeta) -> bytes:
        if self.canvas is None or self.builder is None:  # pragma: no cover - reportlab always makes a canvas
            raise ConvertError("the layout drew nothing")
        return self.builder.finish(self.canvas.page_order(), meta)


class OfdWriter(Writer[OfdOptions]):
    name = "ofd"
    extension = ".ofd"
    description = "OFD (GB/T 33190-2016) with embedded subset fonts, laid out like the PDF"
    options_type = OfdOptions

    def render(self, document: Document, options: OfdOptions, destination: Path | None = None) -> Rendered:
        opts = options
        pdf_opts = _pdf_options(opts)
        size = body_size(pdf_opts)
        meta = document.meta
        page = PAGE_SIZES_PT[opts.page_size]
        with BUILD_LOCK, reportlab_settings():
            fonts = fonts_for(opts.font, meta.language or opts.language)  # a Traditional edition's face, as in the PDF
            info = document_info(meta.title, "", " / ".join(meta.category), " ".join(meta.category), meta.date,
                                 meta.source or "")
            doc = DocTemplate(io.BytesIO(), page, page_margins(page, size), fonts, info, size,
                              meta.language or opts.language)
            builder = Builder(document, fonts, size, doc.height, doc.width)
            story = builder.title_block() + builder.blocks(document.blocks)
            maker = _Maker(fonts, page)
            try:
                doc.build(story, canvasmaker=maker)
            except LayoutError as exc:
                raise ConvertError(f"cannot lay out the OFD: {str(exc).splitlines()[0][:200]}") from None
            finally:
                doc.forget_fonts()
            data = maker.package(DocumentMeta(meta.title, "", _iso_date(meta.date), "convert", __version__,
                                              tuple(meta.category)))
        return Rendered(data, (), tuple(builder.finish() + doc.dropped))

    def render_book(self, book: Book, options: OfdOptions, destination: Path | None = None) -> Rendered:
        from ..pdf.book import render_book_pdf

        opts = options
        pdf_opts = _pdf_options(opts)
        size = body_size(pdf_opts)
        page = PAGE_SIZES_PT[opts.page_size]
        with BUILD_LOCK, reportlab_settings():
            fonts = fonts_for(opts.font, book.meta.language or opts.language)
            maker = _Maker(fonts, page)
            rendered = render_book_pdf(book, pdf_opts, fonts, size, canvasmaker=maker)
            meta = book.meta
            data = maker.package(DocumentMeta(meta.title, meta.author, _iso_date(meta.date), "convert", __version__))
        return Rendered(data, (), rendered.diagnostics)
