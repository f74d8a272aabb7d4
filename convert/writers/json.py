"""JSON writer: the document model itself, versioned (see :mod:`convert.model`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Document, to_json
from .base import Rendered, Writer, WriterOptions


@dataclass(frozen=True)
class JsonOptions(WriterOptions):
    indent: int | None = 2


class JsonWriter(Writer):
    name = "json"
    extension = ".json"
    description = "the document model as JSON (schema convert.document/2), for programs and tests"
    options_type = JsonOptions

    def render(self, document: Document, options: WriterOptions, destination: Path | None = None) -> Rendered:
        options = self.own_options(options)
        assert isinstance(options, JsonOptions)
        return Rendered((to_json(document, indent=options.indent) + "\n").encode("utf-8"))
