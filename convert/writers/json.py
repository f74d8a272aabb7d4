"""JSON writer: the document model itself, versioned (see :mod:`convert.model`).

Schema ``convert.document/3``: ``schema``, ``meta``, ``blocks``. Like every writer it gets
the document only, not the reader's diagnostics: those are in the batch's report
(``--report``) and printed, once, with the transform stage's and the writers'.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from pathlib import Path

from ..jsonform import to_json
from ..model import Diagnostic, Document, Image, map_images
from .base import Rendered, Writer, WriterOptions


@dataclass(frozen=True)
class JsonOptions(WriterOptions):
    indent: int | None = 2


class JsonWriter(Writer[JsonOptions]):
    name = "json"
    extension = ".json"
    description = "the document model as JSON (schema convert.document/3), for programs and tests"
    options_type = JsonOptions

    def render(self, document: Document, options: JsonOptions, destination: Path | None = None) -> Rendered:
        diagnostics: list[Diagnostic] = []  # a node not in the model: unknown-node, as in every format
        text = to_json(_relative_pictures(document), indent=options.indent, diagnostics=diagnostics)
        return Rendered((text + "\n").encode("utf-8"), (), tuple(diagnostics))


def _relative_pictures(document: Document) -> Document:
    """Pictures named by their path below the input root, as ``meta.source`` is: the output
    does not depend on where the input tree lies, nor reveal it (as no other format does)."""
    folder = posixpath.dirname(document.meta.source or "")

    def relative(image: Image) -> Image:
        if image.path is None:
            return image
        return replace(image, path=posixpath.normpath(posixpath.join(folder, image.src)))

    return map_images(document, relative)
