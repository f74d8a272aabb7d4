"""convert: crawled Chinese news articles (the seed format) into Markdown, DOCX, PDF, EPUB and HTML.

Library use::

    import convert
    result = convert.read("seeds/000_b01cef3071674085.txt")  # result.document, result.diagnostics
    convert.write(result, "pdf", "out/article.pdf", page_size="A5")  # the reader's and the writer's warnings
    report = convert.convert_tree("seeds/", "md,pdf", "out/")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import transforms
from .errors import ConvertError
from .model import Diagnostic, Document, ReadResult
from .readers import read
from .version import __version__
from .writers import available_formats, get_writer

if TYPE_CHECKING:  # what __getattr__ below loads on first use, spelled out for type checkers
    from .batch import BatchInterrupted, BatchReport, FileResult, convert_tree

__all__ = [
    "BatchInterrupted", "BatchReport", "ConvertError", "Diagnostic", "Document", "FileResult", "ReadResult", "__version__",
    "available_formats", "convert_tree", "get_writer", "read", "write",
]

_LAZY = ("convert_tree", "BatchReport", "FileResult", "BatchInterrupted")


def __getattr__(name: str) -> Any:
    # The batch engine loads on first use: `import convert` stays cheap.
    if name in _LAZY:
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'convert' has no attribute {name!r}")


def write(document: Document | ReadResult, format: str, destination: str | Path, **options: object) -> list[Diagnostic]:
    """Write ``document`` as ``format`` to ``destination`` atomically and return the warnings.

    ``document`` is a :class:`Document`, or what :func:`read` gave: then the reader's
    diagnostics come first in the list returned (reader, transforms, writer: each once).

    ``options`` are the writer's own (``page_size="A5"`` for PDF, ``front_matter=False``
    for Markdown, ...) and the transform stage's (``script="zh-TW"`` writes a Traditional
    edition: the transforms run first); an unknown format or option raises
    :class:`ConvertError` naming the ones there are. Resources (pictures) are written
    beside ``destination`` first.
    """
    writer = get_writer(format)
    made = writer.make_options(**options)
    notes: list[Diagnostic] = []
    if isinstance(document, ReadResult):
        notes, document = list(document.diagnostics), document.document
    transformed = transforms.prepare(document, made)
    return notes + list(transformed.diagnostics) + writer.write(transformed.document, destination, made)
