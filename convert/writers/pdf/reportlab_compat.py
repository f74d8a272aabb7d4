"""Every use of reportlab's private internals, in one place.

The writer leans on parts of reportlab that are not its public API: a canvas's operator list
(``canvas._code``) and document (``canvas._doc``), the string escaper, the ``_makeCanvas``
hook of a doc template, ``_doSave``, a frame's available height, the catalog, the page tree,
and two process-wide patches made for the length of a build (no ASCII85, our deflate). Nothing else
in ``convert.writers.pdf`` touches an underscored reportlab name; a reportlab upgrade is
checked here (``pyproject.toml`` bounds the version to the one tested, reportlab 5.1).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str  # what pdfdoc formats numbers with (C with rl_accel)
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.platypus import BaseDocTemplate, Flowable

from .deflate import ZLIB_LEVEL, deflate

__all__ = ["ZLIB_LEVEL"]  # re-exported for the package's public names


@contextmanager
def reportlab_settings() -> Iterator[None]:
    """reportlab's process-wide settings, changed for our builds only: no ASCII85 around
    compressed streams (it makes files a quarter larger) and our deflate (:mod:`.deflate`)."""
    saved_a85 = rl_config.useA85
    compressor = pdfdoc.PDFZCompress
    pdf_name = pdfdoc.PDFName

    def encode(text: str | bytes) -> bytes:
        return deflate(text.encode("utf-8") if isinstance(text, str) else text)

    pdfdoc_enc = pdfdoc.pdfdocEnc
    rl_config.useA85 = 0
    compressor.encode = encode
    pdfdoc.PDFName = _cached_pdf_name
    pdfdoc.pdfdocEnc = _pdfdoc_enc
    try:
        yield
    finally:
        rl_config.useA85 = saved_a85
        del compressor.encode  # back to the class's method
        pdfdoc.PDFName = pdf_name
        pdfdoc.pdfdocEnc = pdfdoc_enc


_pdfdoc_enc_slow = pdfdoc.pdfdocEnc
#: ASCII without U+0018-U+001F: what PDFDocEncoding writes as the same bytes
_PLAIN_PDFDOC = re.compile("[\x00-\x17\x20-\x7f]*").fullmatch


def _pdfdoc_enc(text: Any) -> Any:
    """reportlab's ``pdfdocEnc`` (text to PDFDocEncoding bytes, bytes as they are), which goes
    through a Python codec for every number and name the file holds; plain ASCII (nearly all
    of them) is encoded directly, to the same bytes."""
    if text.__class__ is str and (text.isascii() and (text.isprintable() or _PLAIN_PDFDOC(text))):
        return text.encode("ascii")
    return _pdfdoc_enc_slow(text)


#: reportlab's PDFName escapes its argument character by character, and every dictionary key
#: of every object goes through it when the file is written: the same few dozen names
_cached_pdf_name = functools.lru_cache(maxsize=4096)(pdfdoc.PDFName)


# ---------------------------------------------------------------- fonts


def forget_document_state(canvases: Iterable[Any], fonts: Iterable[Any]) -> None:
    """Drop the per-document state each font keeps (keyed by the canvas's document: it would
    grow without end over a batch if a build failed before the file was written)."""
    fonts = list(fonts)
    for canvas in canvases:
        for font in fonts:
            font.state.pop(canvas._doc, None)


class PdfName(str):
    """A PDF name for :func:`add_object` (written ``/like-this``)."""


def _pdf_value(value: Any) -> Any:
    if isinstance(value, PdfName):
        return pdfdoc.PDFName(value)
    if isinstance(value, list):
        return pdfdoc.PDFArray([_pdf_value(v) for v in value])
    return value  # numbers, references, and bytes written as they are


def add_object(doc: Any, entries: dict[str, Any], stream: bytes | None = None, name: str | None = None) -> Any:
    """Add a dictionary to the document -- a stream's, with ``stream`` already deflated, when
    given -- and return a reference to it. Values: numbers, :class:`PdfName`, lists, references
    and ``bytes`` (ready-made PDF, written as they are). A dictionary without a stream is
    written to bytes at once (:func:`_dictionary_bytes`)."""
    if stream is None:
        return doc.Reference(_Written(_dictionary_bytes(doc, entries)), name)
    converted = {key: _pdf_value(value) for key, value in entries.items()}
    converted["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])  # so reportlab filters it no more
    return doc.Reference(pdfdoc.PDFStream(pdfdoc.PDFDictionary(converted), stream), name)


# reportlab ships no type hints, so PDFObject is Any to mypy (hence the ignore).
class _Written(pdfdoc.PDFObject):  # type: ignore[misc]
    """An object whose bytes are made already."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


def _value_bytes(doc: Any, value: Any) -> bytes:
    """A value as reportlab's ``pdfdoc.format`` writes it (numbers by its ``fp_str``)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, PdfName):
        return _name_bytes(value)
    if isinstance(value, list):  # as PDFArray.format: a line break every 10 elements
        items = [_value_bytes(doc, v) for v in value]
        for i in reversed(range(10, len(items), 10)):
            items.insert(i, b"\n ")
        return b"[ " + b" ".join(items) + b" ]"
    if type(value) in (int, float):
        number: str = fp_str(value)
        return number.encode("ascii")
    data: bytes = pdfdoc.format(value, doc)  # a reference, or anything else reportlab knows
    return data


@functools.lru_cache(maxsize=1024)
def _name_bytes(name: str) -> bytes:
    encoded: bytes = pdfdoc.pdfdocEnc(pdfdoc.PDFName(name))
    return encoded


def _dictionary_bytes(doc: Any, entries: dict[str, Any]) -> bytes:
    """A dictionary laid out as reportlab's ``PDFDictionary.format`` lays it out (keys sorted, a
    line break every 6 entries), formatted at once: the font dictionaries' dozen values each
    went through reportlab's formatting one by one when the file was written."""
    pairs = [_name_bytes(key) + b" " + _value_bytes(doc, entries[key]) for key in sorted(entries)]
    for i in reversed(range(6, len(pairs), 6)):
        pairs.insert(i, b"\n ")
    return b"<<\n" + b" ".join(pairs) + b"\n>>"


def register_dynamic_font(doc: Any, font_name: str, font: Any) -> str:
    """Give a font of ours a resource name (``/F3``) in a document; reportlab calls
    ``font.addObjects(doc)`` when it writes the file."""
    name = f"/F{len(doc.fontMapping) + 1}"
    doc.fontMapping[font_name] = name
    doc.delayedFonts.append(font)
    return name


def add_font_resource(doc: Any, name: str, entries: dict[str, Any]) -> None:
    """Add the font dictionary with resource name ``name`` (no slash) to every page's fonts."""
    doc.idToObject["BasicFonts"].dict[name] = add_object(doc, entries, name=name)


# ---------------------------------------------------------------- pictures


def jpeg_reader(data: bytes, mode: str) -> Any:
    """An ``ImageReader`` for the JPEG ``data``, embedded as it is (``DCTDecode``), whose pixels
    are never decoded for reportlab: ``drawImage`` names an image by the md5 of what
    ``getRGBData`` returns (for a JPEG that is all it uses it for), so the reader holds the
    file's own bytes there. Decoding a full-size picture to hash its pixels cost some 10 ms
    per photograph; the bytes name the picture just as uniquely."""
    reader: Any = ImageReader(io.BytesIO(data))  # its cache attributes are not in reportlab's stubs
    reader._data = data
    reader._dataA = None
    reader.mode = mode
    return reader


# ---------------------------------------------------------------- canvas and document


def content_ops(canvas: Any) -> list[str]:
    """The current page's content-stream operators, as the list reportlab appends to."""
    ops: list[str] = canvas._code
    return ops


def pdf_document(canvas: Any) -> Any:
    """The ``PDFDocument`` behind a canvas (fonts keep their subsets per document)."""
    return canvas._doc


def string_escaper(canvas: Any) -> Callable[[str], str]:
    """The canvas's escaper for the bytes of a PDF string literal."""
    escape: Callable[[str], str] = canvas._escape
    return escape


def available_frame_height(flowable: Flowable) -> float:
    """The height of the frame a flowable is being laid out in, 0 outside a frame."""
    frame = getattr(flowable, "_frame", None)
    return frame._aH if frame is not None else 0.0


def page_objects(canvas: Any) -> list[Any]:
    """The page tree's pages, in order (a list that may be reordered)."""
    pages: list[Any] = canvas._doc.Pages.pages
    return pages


def compress_page_streams(canvas: Any, start: int) -> int:
    """Deflate the content of the pages finished since page ``start`` now rather than when the
    file is written; returns the number of pages finished."""
    pages = page_objects(canvas)
    for page in pages[start:]:
        if not page.Contents and page.stream:
            stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])}),
                                      pdfdoc.PDFZCompress.encode(page.stream))
            # read by reportlab's serialiser, missing from the typeshed stubs pyright uses
            stream.__Comment__ = "page stream"  # pyright: ignore[reportAttributeAccessIssue]
            page.Contents, page.stream = stream, None
    return len(pages)


# reportlab ships no type hints, so its classes are Any to mypy (hence the ignores below).
class DocumentInfo(pdfdoc.PDFInfo):  # type: ignore[misc]
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
        data: bytes = pdfdoc.PDFDictionary(entries).format(document)
        return data


class CompatDocTemplate(BaseDocTemplate):  # type: ignore[misc]
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
        # a private reportlab method, absent from the typeshed stubs pyright uses
        canvas = super()._makeCanvas(*args, **kwargs)  # pyright: ignore[reportAttributeAccessIssue]
        canvas._doc.info = self.document_info  # ours: dated by the article, not the build, and with its source
        canvas._doc._catalog.PageMode = pdfdoc.PDFName("UseOutlines")
        self.canvas_made(canvas)
        return canvas
