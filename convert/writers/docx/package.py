"""Starting a document from the configured template, and saving it reproducibly.

Both are on the hot path of a batch, so each takes the faster of two ways and keeps the
plain one as a fallback:

* start: a deep copy of a template document parsed once per process (0.4 ms) rather
  than python-docx parsing the template's bytes again (1.1 ms);
* save: python-docx's own package writer, fed a zip writer that stamps every entry
  with a fixed time (python-docx stamps the clock), rather than saving and rewriting
  the zip (about 2 ms more per document).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import threading
import zipfile
from functools import lru_cache

import docx
import docx.document
from docx.opc.pkgwriter import PackageWriter

from ...typography import LANGUAGE
from ..fixedzip import FixedTimeZip
from . import gongwen
from .template import Fonts, template_bytes

_ZIP_EPOCH = dt.datetime(1980, 1, 1)  # zip dates cannot be earlier
_lock = threading.Lock()


def _template(page_size: str, fonts: Fonts, language: str, style: str) -> bytes:
    if style == "gongwen":
        return gongwen.template_bytes(fonts, language)
    return template_bytes(page_size, fonts, language)


@lru_cache(maxsize=16)
def _prototype(page_size: str, fonts: Fonts, language: str, style: str) -> docx.document.Document:
    return docx.Document(io.BytesIO(_template(page_size, fonts, language, style)))


def new_document(page_size: str, fonts: Fonts, language: str = LANGUAGE, style: str = "normal") -> docx.document.Document:
    """A fresh python-docx document holding the configured template and an empty body:
    ``language`` tags its styles and settings, ``style`` picks the layout (normal, gongwen)."""
    try:
        prototype = _prototype(page_size, fonts, language, style)
        with _lock:  # lazy properties of the prototype must not be filled while it is copied
            return copy.deepcopy(prototype)
    except (TypeError, AttributeError, copy.Error):  # a python-docx whose objects do not copy
        return docx.Document(io.BytesIO(_template(page_size, fonts, language, style)))


class _PackageZip:
    """The writer interface python-docx's PackageWriter uses (write, close) on a FixedTimeZip."""

    def __init__(self, stream: io.BytesIO, when: dt.datetime) -> None:
        self._zip = FixedTimeZip(stream, "w", zipfile.ZIP_DEFLATED)
        self._zip.fixed_time = max(when, _ZIP_EPOCH).timetuple()[:6]
        self._zip.create_system = 0  # the same bytes on every platform
        self._zip.external_attr = 0

    def write(self, pack_uri: object, blob: bytes) -> None:
        self._zip.writestr(pack_uri.membername, blob)  # type: ignore[attr-defined]

    def close(self) -> None:
        self._zip.close()


def _rewrite_zip(data: bytes, when: dt.datetime) -> bytes:
    out = io.BytesIO()
    writer = _PackageZip(out, when)
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        for entry in src.infolist():
            writer.write(_Name(entry.filename), src.read(entry))
    writer.close()
    return out.getvalue()


class _Name:
    def __init__(self, membername: str) -> None:
        self.membername = membername


def save(document: docx.document.Document, when: dt.datetime) -> bytes:
    """The document as DOCX bytes whose zip entries all carry ``when`` as their time."""
    package = document.part.package
    assert package is not None  # a part python-docx loaded always belongs to its package
    parts = list(package.iter_parts())
    out = io.BytesIO()
    steps = [getattr(PackageWriter, name, None) for name in ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")]
    if None in steps:  # another python-docx: save its way, then fix the times
        plain = io.BytesIO()
        document.save(plain)
        return _rewrite_zip(plain.getvalue(), when)
    for part in parts:
        part.before_marshal()
    writer = _PackageZip(out, when)
    content_types, pkg_rels, write_parts = steps
    content_types(writer, parts)  # type: ignore[misc]
    pkg_rels(writer, package.rels)  # type: ignore[misc]
    write_parts(writer, parts)  # type: ignore[misc]
    writer.close()
    return out.getvalue()
