"""OFD writer (GB/T 33190-2016, the Chinese national fixed-layout format), from the PDF's layout.

The PDF writer's one layout (:mod:`convert.writers.pdf.layout`) sets the document -- the
same pages, fonts, line breaks and pictures as the PDF, the normal layout or GB/T 9704's
(``--style gongwen``) -- on an :class:`~.canvas.OfdCanvas`, which records
what the painter seam and the templates draw and writes no PDF; :mod:`.package` turns the
recording into the OFD package. Books (``--book x.ofd``) go through the same layout's book
builder, with the book's contents as the OFD outline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import ConvertError
from ...model import Book, Document, full_date
from ...version import __version__
from ..base import Rendered, Writer, WriterOptions
from ..pdf.fonts import Fonts, faces_of
from ..pdf.layout import lay_out, lay_out_book
from ..pdf.options import PdfOptions
from .canvas import OfdCanvas
from .package import DocumentMeta, OfdBuilder


@dataclass(frozen=True)
class OfdOptions(WriterOptions):
    page_size: str = "A4"  # A4, A5, B5 or Letter
    font: str | None = None  # a TrueType .ttf/.ttc for body text; None for the bundled AR PL UMing
    font_size: float | None = None  # body size in points; None picks one for the page size
    continuous: bool = False  # book mode: run articles on without starting each on a new page
    #: Layout: "normal", or "gongwen" (GB/T 9704-2012, the PDF's official-document layout).
    style: str = "normal"


def _pdf_options(opts: OfdOptions) -> PdfOptions:
    return PdfOptions(language=opts.language, page_size=opts.page_size, font=opts.font, font_size=opts.font_size,
                      continuous=opts.continuous, pdf_standard="none", style=opts.style)


def _iso_date(date: str | None) -> str | None:
    day = full_date(date)
    return day.isoformat() if day else None


class _OfdSurface:
    """The layout's surface (:class:`~..pdf.layout.Surface`): a canvasmaker that keeps the
    canvas it made (reportlab makes one per build) and hands each finished page to the package
    builder; ``finish`` packages the recording (under the build lock: it reads the fonts)."""

    label = "OFD"

    def __init__(self, meta: DocumentMeta) -> None:
        self.meta = meta
        self.fonts: Fonts | None = None
        self.page = (0.0, 0.0)
        self.canvas: OfdCanvas | None = None
        self.builder: OfdBuilder | None = None

    def canvasmaker(self, fonts: Fonts, page: tuple[float, float]) -> _OfdSurface:
        self.fonts, self.page = fonts, page
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> OfdCanvas:
        canvas = self.canvas = OfdCanvas(*args, **kwargs)
        if self.fonts is not None:
            canvas.recording.faces.update({face.name: face for face in faces_of(self.fonts)})
        self.builder = OfdBuilder(canvas.recording, self.page)
        canvas.on_page_done = self.builder.page_done
        return canvas

    def finish(self, data: bytes) -> bytes:
        if self.canvas is None or self.builder is None:  # pragma: no cover - reportlab always makes a canvas
            raise ConvertError("the layout drew nothing")
        return self.builder.finish(self.canvas.page_order(), self.meta)


class OfdWriter(Writer[OfdOptions]):
    name = "ofd"
    extension = ".ofd"
    description = "OFD (GB/T 33190-2016) with embedded subset fonts, laid out like the PDF"
    options_type = OfdOptions

    def render(self, document: Document, options: OfdOptions, destination: Path | None = None) -> Rendered:
        meta = document.meta
        surface = _OfdSurface(DocumentMeta(meta.title, "", _iso_date(meta.date), "convert", __version__,
                                           tuple(meta.category)))
        return lay_out(document, _pdf_options(options), surface)

    def render_book(self, book: Book, options: OfdOptions, destination: Path | None = None) -> Rendered:
        meta = book.meta
        surface = _OfdSurface(DocumentMeta(meta.title, meta.author, _iso_date(meta.date), "convert", __version__))
        return lay_out_book(book, _pdf_options(options), surface)
