"""Every use of reportlab's private internals, in one place.

The writer leans on parts of reportlab that are not its public API: a canvas's operator list
(``canvas._code``) and document (``canvas._doc``), the string escaper, the ``_makeCanvas``
hook of a doc template, ``_doSave``, a frame's available height, the catalog, the page tree,
the raw bytes of a parsed TrueType file, and three process-wide patches made for the length
of a build (no ASCII85, our deflate level, ToUnicode maps right beyond the BMP). Nothing else
in ``convert.writers.pdf`` touches an underscored reportlab name; a reportlab upgrade is
checked here (``pyproject.toml`` bounds the version to the one tested, reportlab 5.1).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, ttfonts
from reportlab.platypus import BaseDocTemplate, Flowable

#: Deflate level for every stream. Font subsets are most of a file, and level 1 writes them
#: about twice as fast as zlib's default 6 for files some 10 % larger.
ZLIB_LEVEL = 1


def to_unicode_cmap(font_name: str, subset: list[int]) -> str:
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo << /Registry ({font_name}) /Ordering ({font_name}) /Supplement 0 >> def",
        f"/CMapName /{font_name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
    ]
    # code 0 (.notdef) has no character: PDF/A forbids mapping anything to U+0000, U+FEFF or U+FFFE
    pairs = [f"<{code:02X}> <{chr(value).encode('utf-16-be').hex().upper()}>" for code, value in enumerate(subset)
             if value not in (0, 0xFEFF, 0xFFFE)]
    for at in range(0, len(pairs), 100):  # at most 100 entries per block (PDF 1.7, 9.10.3)
        chunk = pairs[at : at + 100]
        lines += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


@contextmanager
def reportlab_settings() -> Iterator[None]:
    """reportlab's process-wide settings, changed for our builds only: no ASCII85 around
    compressed streams (it makes files a quarter larger), a faster deflate level, and
    ToUnicode maps that are right beyond the BMP."""
    saved_a85 = rl_config.useA85
    compressor = pdfdoc.PDFZCompress

    def encode(text: str | bytes) -> bytes:
        return zlib.compress(text.encode("utf-8") if isinstance(text, str) else text, ZLIB_LEVEL)

    saved_cmap = ttfonts.makeToUnicodeCMap
    rl_config.useA85 = 0
    compressor.encode = encode
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
    try:
        yield
    finally:
        rl_config.useA85 = saved_a85
        del compressor.encode  # back to the class's method
        ttfonts.makeToUnicodeCMap = saved_cmap


# ---------------------------------------------------------------- fonts


def install_subsetter(font: ttfonts.TTFont, subsetter: Callable[[list[int]], bytes]) -> None:
    """Make ``subsetter`` build this font's subsets (reportlab calls ``face.makeSubset(subset)``)."""
    font.face.makeSubset = subsetter


def font_file_bytes(face: Any) -> bytes:
    """The whole font file a reportlab ``TTFontFile`` was parsed from."""
    return face._ttf_data


def forget_document_state(canvases: Iterable[Any], fonts: Iterable[ttfonts.TTFont]) -> None:
    """Drop the per-document subset state reportlab keeps in each TTFont (it would grow without
    end over a batch, holding every finished document)."""
    fonts = list(fonts)
    for canvas in canvases:
        for font in fonts:
            font.state.pop(canvas._doc, None)


# ---------------------------------------------------------------- canvas and document


def content_ops(canvas: Any) -> list[str]:
    """The current page's content-stream operators, as the list reportlab appends to."""
    return canvas._code


def pdf_document(canvas: Any) -> Any:
    """The ``PDFDocument`` behind a canvas (fonts keep their subsets per document)."""
    return canvas._doc


def string_escaper(canvas: Any) -> Callable[[str], str]:
    """The canvas's escaper for the bytes of a PDF string literal."""
    return canvas._escape


def available_frame_height(flowable: Flowable) -> float:
    """The height of the frame a flowable is being laid out in, 0 outside a frame."""
    frame = getattr(flowable, "_frame", None)
    return frame._aH if frame is not None else 0.0


def page_objects(canvas: Any) -> list[Any]:
    """The page tree's pages, in order (a list that may be reordered)."""
    return canvas._doc.Pages.pages


def compress_page_streams(canvas: Any, start: int) -> int:
    """Deflate the content of the pages finished since page ``start`` now rather than when the
    file is written; returns the number of pages finished."""
    pages = page_objects(canvas)
    for page in pages[start:]:
        if not page.Contents and page.stream:
            stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])}),
                                      pdfdoc.PDFZCompress.encode(page.stream))
            stream.__Comment__ = "page stream"
            page.Contents, page.stream = stream, None
    return len(pages)


class DocumentInfo(pdfdoc.PDFInfo):
    """The document information dictionary with the entries we choose: fixed dates, the source."""

    def __init__(self, title: str, author: str, subject: str, keywords: str, creator: str, date: str,
                 source: str = "") -> None:
        super().__init__()
        self.title, self.author, self.subject, self.keywords = title, author, subject, keywords
        self.creator = creator
        self.date = date
        self.source = source

    def format(self, document: Any) -> bytes:
        entries = {
            "Title": pdfdoc.PDFString(self.title),
            "Author": pdfdoc.PDFString(self.author),
            "Subject": pdfdoc.PDFString(self.subject),
            "Keywords": pdfdoc.PDFString(self.keywords),
            "Creator": pdfdoc.PDFString(self.creator),
            "Producer": pdfdoc.PDFString(self.producer),
            "CreationDate": pdfdoc.PDFString(self.date),
            "ModDate": pdfdoc.PDFString(self.date),
            "Trapped": pdfdoc.PDFName("False"),
        }
        if self.source:
            entries["Source"] = pdfdoc.PDFString(self.source)
        return pdfdoc.PDFDictionary(entries).format(document)


class CompatDocTemplate(BaseDocTemplate):
    """A doc template whose canvases carry our information dictionary and open on the outline.

    Subclasses set ``self.document_info`` before calling ``__init__`` and may override
    :meth:`canvas_made`; :meth:`defer_save` keeps ``build`` from writing the file, for a
    caller that adds pages afterwards and calls ``canvas.save()`` itself.
    """

    document_info: DocumentInfo

    def canvas_made(self, canvas: Any) -> None:
        """Called with every canvas the template makes."""

    def defer_save(self) -> None:
        self._doSave = 0

    def _makeCanvas(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - reportlab API
        canvas = super()._makeCanvas(*args, **kwargs)
        canvas._doc.info = self.document_info  # ours: dated by the article, not the build, and with its source
        canvas._doc._catalog.PageMode = pdfdoc.PDFName("UseOutlines")
        self.canvas_made(canvas)
        return canvas
