"""The PDF writer's options, and the checks every layout of them makes first (the OFD
writer lays out with the same options, see :mod:`.layout`)."""

from __future__ import annotations

from dataclasses import dataclass

from ... import gongwen as rules
from ...errors import ConvertError
from ..base import PAGE_SIZES, STYLES, WriterOptions
from .document import PAGE_SIZES_PT

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
