"""PDF/A-2u (ISO 19005-2, level u) for every PDF the writer makes, done while reportlab
serialises the file.

What reportlab 5.1 writes that PDF/A-2u refuses, and what is done about it here:

- no OutputIntent: an sRGB one is added to the catalogue, with an ICC profile made by
  littleCMS through Pillow (``ImageCms.createProfile("sRGB")``), so no profile file has to
  be licensed; its creation date is fixed so the bytes do not change from run to run;
- no XMP metadata: a metadata stream (uncompressed) that repeats the information
  dictionary (title, author, subject, keywords, dates, creator tool, producer), the
  language and the PDF/A identification ``pdfaid:part=2``, ``pdfaid:conformance=U``;
  empty information entries are left out of both, so the two always agree;
- link annotations without the print flag: /F 4 is set on every annotation;
- stream data not followed by an end-of-line before ``endstream`` (so ``/Length`` is
  exact only if an EOL follows): one is always written.

Glyphs mapped to U+0000/U+FEFF in ToUnicode are the font code's business (see
:mod:`.reportlab_compat`); the tests check the property on every PDF.

Everything is patched for the length of :func:`pdf_standard_settings` only, which the
writer enters with its build lock held, like :func:`.reportlab_compat.reportlab_settings`.
This module is the second (and last) place allowed to use reportlab's internals: its
serialisation classes.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfdoc

from ...typography import LANGUAGE

#: The values ``--pdf-standard`` takes.
PDF_STANDARDS = ("pdfa-2u", "none")

_ICC_DATE = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)  # the profile header's dateTime field


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile made by littleCMS (through Pillow), with a fixed creation date."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = _ICC_DATE  # dateTime of the profile header: the time it was made, otherwise
    if any(data[84:100]):  # a profile ID (MD5 of the profile) would cover the date: recompute it
        import hashlib

        masked = bytearray(data)
        masked[44:48] = masked[64:68] = b"\0\0\0\0"
        masked[84:100] = b"\0" * 16
        data[84:100] = hashlib.md5(bytes(masked)).digest()
    return bytes(data)


def _pdf_bytes(value: Any, document: Any) -> bytes:
    """``value`` serialised by reportlab's ``pdfdoc.format`` (untyped: its result is Any)."""
    data: bytes = pdfdoc.format(value, document)
    return data


# reportlab ships no type hints, so its classes are Any to mypy (hence the ignores below).
class _RawStream(pdfdoc.PDFObject):  # type: ignore[misc]
    """A stream written as given: no filter (XMP must stay readable to tools that do not inflate)."""

    __RefOnly__ = 1

    def __init__(self, entries: dict[str, Any], data: bytes) -> None:
        self.entries, self.data = entries, data

    def format(self, document: Any) -> bytes:
        entries = dict(self.entries, Length=len(self.data))
        head = _pdf_bytes(pdfdoc.PDFDictionary(entries), document)
        return head + b"\nstream\n" + self.data + b"\nendstream\n"


class _Info(pdfdoc.PDFObject):  # type: ignore[misc]
    """The information dictionary without its empty entries (PDF/A wants each one in the XMP too)."""

    def __init__(self, entries: dict[str, Any]) -> None:
        self.entries = entries

    def format(self, document: Any) -> bytes:
        return _pdf_bytes(pdfdoc.PDFDictionary(self.entries), document)


class _Catalog(pdfdoc.PDFCatalog):  # type: ignore[misc]
    """reportlab's catalogue with one more entry it does not know: /OutputIntents."""

    def format(self, document: Any) -> bytes:
        text: bytes = super().format(document)
        intents = getattr(self, "OutputIntents", None)
        if intents is None:
            return text
        reference = _pdf_bytes(document.Reference(intents), document)
        return text[: text.rindex(b">>")] + b"/OutputIntents [ " + reference + b" ]\n>>"


def _info_entries(info: Any) -> dict[str, str]:
    """The information dictionary's text entries, as our DocumentInfo (or reportlab's) holds them."""
    values = {
        "Title": getattr(info, "title", ""),
        "Author": getattr(info, "author", ""),
        "Subject": getattr(info, "subject", ""),
        "Keywords": getattr(info, "keywords", ""),
        "Creator": getattr(info, "creator", ""),
        "Producer": getattr(info, "producer", ""),
        "CreationDate": getattr(info, "date", ""),
        "ModDate": getattr(info, "date", ""),
        "Source": getattr(info, "source", ""),
    }
    return {key: str(value) for key, value in values.items() if value}


def xmp_date(pdf_date: str) -> str:
    """``D:YYYYMMDDHHmmSS+08'00'`` (or ``Z``) as an XMP date, ``YYYY-MM-DDTHH:mm:SS+08:00``."""
    match = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:(Z)|([+-])(\d\d)'(\d\d)'?)?", pdf_date)
    if match is None:
        return "2000-01-01T00:00:00Z"
    y, mo, d, h, mi, s, z, sign, oh, om = match.groups()
    zone = "Z" if z or not sign else f"{sign}{oh}:{om}"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"


# Each information entry's XMP property (ISO 19005-2 6.6.2.3: the two must agree).
_DC = (
    ("Title", '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:title>'),
    ("Author", "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>"),
    ("Subject", '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:description>'),
)
_XMP = (
    ("Creator", "<xmp:CreatorTool>{}</xmp:CreatorTool>"),
    ("CreationDate", "<xmp:CreateDate>{}</xmp:CreateDate>"),
    ("ModDate", "<xmp:ModifyDate>{}</xmp:ModifyDate>"),
)
_PDF = (
    ("Producer", "<pdf:Producer>{}</pdf:Producer>"),
    ("Keywords", "<pdf:Keywords>{}</pdf:Keywords>"),
)


def xmp_packet(entries: dict[str, str], language: str) -> bytes:
    """The XMP metadata of a PDF/A-2u file, agreeing with the information ``entries``."""

    def fill(table: tuple[tuple[str, str], ...]) -> list[str]:
        dated = ("CreationDate", "ModDate")
        return [template.format(escape(xmp_date(entries[key]) if key in dated else entries[key]))
                for key, template in table if key in entries]

    dc = fill(_DC)
    if language:
        dc.append(f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>")
    xmp = fill(_XMP)
    pdf = fill(_PDF)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance></rdf:Description>\n"
        f'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">{"".join(dc)}</rdf:Description>\n'
        f'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">{"".join(xmp)}</rdf:Description>\n'
        f'<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">{"".join(pdf)}</rdf:Description>\n'
        "</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


_PRINT_FLAG = 4  # an annotation's /F: printed with the page (PDF/A: always set, never hidden)


def _flag_annotations(document: Any) -> None:
    """Give every annotation the print flag: links are made by reportlab without /F."""
    for page in document.Pages.pages:
        for annotation in getattr(page, "Annots", None) or ():
            if isinstance(annotation, pdfdoc.PDFObjectReference):
                annotation = document.idToObject[annotation.name]
            if isinstance(annotation, pdfdoc.PDFDictionary):
                annotation.dict.setdefault("F", _PRINT_FLAG)
            elif isinstance(annotation, pdfdoc.LinkAnnotation):
                annotation.otherkw.setdefault("F", _PRINT_FLAG)


def _make_pdfa(document: Any) -> None:
    """Turn the document about to be serialised into PDF/A-2u: catalogue, info, XMP, output
    intent, annotation flags."""
    _flag_annotations(document)
    catalog = document.Catalog
    entries = _info_entries(document.info)
    document.info = _Info({key: pdfdoc.PDFString(value) for key, value in entries.items()} | {"Trapped": pdfdoc.PDFName("False")})
    lang = getattr(catalog, "Lang", None)
    language = str(getattr(lang, "s", "") or "") if lang is not None else ""
    if not language:
        language = LANGUAGE
        catalog.Lang = pdfdoc.PDFString(language)
    catalog.__class__ = _Catalog
    catalog.Metadata = _RawStream({"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")},
                                  xmp_packet(entries, language))
    profile = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"N": 3}), srgb_profile())
    catalog.OutputIntents = pdfdoc.PDFDictionary({
        "Type": pdfdoc.PDFName("OutputIntent"),
        "S": pdfdoc.PDFName("GTS_PDFA1"),
        "OutputConditionIdentifier": pdfdoc.PDFString("sRGB IEC61966-2.1"),
        "Info": pdfdoc.PDFString("sRGB IEC61966-2.1"),
        "RegistryName": pdfdoc.PDFString("http://www.color.org"),
        "DestOutputProfile": profile,
    })


def _stream_format(self: Any, document: Any) -> bytes:
    """reportlab's ``PDFStream.format`` with an end-of-line before ``endstream`` (and the
    ``/Length`` of the data alone), as PDF/A requires."""
    dictionary = pdfdoc.PDFDictionary(self.dictionary.dict.copy())
    content = self.content
    if content is None:
        raise ValueError("stream content not set")
    filters = self.filters if self.filters is not None else document.defaultStreamFilters
    if filters is not None and "Filter" not in dictionary.dict:
        names: list[Any] = []
        for f in reversed(list(filters)):
            content = f.encode(content)
            names.insert(0, pdfdoc.PDFName(f.pdfname))
        dictionary["Filter"] = pdfdoc.PDFArray(names)
    content = document.encrypt.encode(content)
    data = _pdf_bytes(content, document)
    dictionary["Length"] = len(data)
    return _pdf_bytes(dictionary, document) + b"\nstream\n" + data + b"\nendstream\n"


@contextmanager
def pdf_standard_settings(standard: str) -> Iterator[None]:
    """While inside, every PDF reportlab serialises conforms to ``standard`` (``pdfa-2u``), or
    is left as reportlab makes it (``none``)."""
    if standard == "none":
        yield
        return
    if standard != "pdfa-2u":
        from ...errors import ConvertError

        raise ConvertError(f"unknown PDF standard {standard!r}; standards: {', '.join(PDF_STANDARDS)}")
    document_format = pdfdoc.PDFDocument.format
    stream_format = pdfdoc.PDFStream.format

    def format_pdfa(self: Any) -> bytes:
        _make_pdfa(self)
        data: bytes = document_format(self)
        return data

    pdfdoc.PDFDocument.format = format_pdfa
    pdfdoc.PDFStream.format = _stream_format
    try:
        yield
    finally:
        pdfdoc.PDFDocument.format = document_format
        pdfdoc.PDFStream.format = stream_format
