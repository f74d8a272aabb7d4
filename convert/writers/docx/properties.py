"""Core properties (title, subject, dates...) of a DOCX, for single documents and books alike."""

from __future__ import annotations

import datetime as dt

import docx.document

from ...model import Diagnostic, full_date, info

#: Core-property date (and zip timestamp) of a document without a full date: fixed, so
#: the same input always gives the same bytes.
FALLBACK_DATE = dt.datetime(2000, 1, 1)
#: python-docx refuses core properties longer than this.
MAX_PROPERTY = 255


def document_date(date: str | None) -> dt.datetime:
    """The document's date for core properties: its ISO date folder, else FALLBACK_DATE."""
    day = full_date(date)
    return dt.datetime(day.year, day.month, day.day) if day else FALLBACK_DATE


def finish_properties(out_doc: docx.document.Document, values: dict[str, str], when: dt.datetime) -> list[Diagnostic]:
    """Set the core properties (empty ones left out, each cut to what python-docx accepts),
    revision 1 and ``when`` as both dates; return the notes for cut properties. Shared by single documents and books."""
    props = out_doc.core_properties
    truncated = []
    for name, value in values.items():
        if len(value) > MAX_PROPERTY:  # python-docx refuses longer core properties
            value = value[:MAX_PROPERTY]
            truncated.append(name)
        if value:
            setattr(props, name, value)
    props.revision = 1
    props.created = when
    props.modified = when
    diagnostics = []
    if truncated:
        diagnostics.append(info("truncated-property", f"document properties cut to {MAX_PROPERTY} characters: "
                                f"{', '.join(truncated)} (the text itself is whole)"))
    return diagnostics


__all__ = ["FALLBACK_DATE", "MAX_PROPERTY", "document_date", "finish_properties"]
