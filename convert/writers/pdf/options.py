"""The PDF writer's options, the checks every layout of them makes first, and the page
geometry they give (the OFD writer lays out with the same options, see :mod:`.layout`)."""

from __future__ import annotations

from dataclasses import dataclass

from ... import gongwen as rules
from ...errors import ConvertError
from ..base import PAGE_SIZES, STYLES, WriterOptions
from . import gongwen
from .document import PAGE_SIZES_PT, page_margins

_DEFAULT_FONT_SIZE = {"A4": 12.0, "A5": 10.5, "B5": 11.0, "Letter": 12.0}


@dataclass(frozen=True)
class PdfOptions(WriterOptions):
    page_size: str = "A4"  # A4, A5, B5 or Letter
    font: str | None = None  # a TrueType .ttf/.ttc for body text; None: Convert Serif SC (UMing TW/HK if Traditional)
    font_size: float | None = None  # body size in points; None picks one for the page size
    continuous: bool = False  # book mode: run articles on without starting each on a new page
    pdf_standard: str = "pdfa-2u"  # pdfa-2u (PDF/A-2u, see pdfa.py) or none
    #: Layout: "normal", or "gongwen" (GB/T 9704-2012 official documents and books; see .gongwen).
    style: str = "normal"


def official(opts: PdfOptions) -> bool:
    """Whether ``opts`` asks for the GB/T 9704 layout (``--style gongwen``); an unknown style is an error."""
    for name in STYLES:
        if name == str(opts.style).lower():
            return name == rules.STYLE
    raise ConvertError(f"unknown style {opts.style!r}; styles: {', '.join(STYLES)}")


def body_size(opts: PdfOptions) -> float:
    """The body font size in points, after checking the page size and the size asked for."""
    if opts.page_size not in PAGE_SIZES_PT:
        raise ConvertError(f"unknown page size {opts.page_size!r}; page sizes: {', '.join(PAGE_SIZES)}")
    size = float(opts.font_size or _DEFAULT_FONT_SIZE[opts.page_size])
    if not 4.0 <= size <= 72.0:
        raise ConvertError(f"font size {size:g} pt is out of range (4 to 72)")
    return size


@dataclass(frozen=True)
class Geometry:
    """The pages a layout sets: size and margins in points, the body size, and the style."""

    page: tuple[float, float]
    margins: tuple[float, float, float, float]  # left, right, top, bottom
    size: float
    official: bool  # GB/T 9704 (``--style gongwen``)


def geometry(opts: PdfOptions) -> Geometry:
    """The normal layout's pages for the page and font size asked for, or GB/T 9704's A4
    with its 156 × 225 mm block (the page size asked for is then ignored, with a note)."""
    size = body_size(opts)
    if official(opts):
        return Geometry(gongwen.PAGE, gongwen.margins(), gongwen.BODY_SIZE, True)
    page = PAGE_SIZES_PT[opts.page_size]
    return Geometry(page, page_margins(page, size), size, False)
