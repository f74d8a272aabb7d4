"""convert: crawled Chinese news articles (the seed format) into Markdown, DOCX, PDF, EPUB and HTML.

Library use::

    import convert
    doc = convert.read("seeds/000_b01cef3071674085.txt")
    convert.write(doc, "pdf", "out/article.pdf", page_size="A5")
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import transforms
from .errors import ConvertError
from .model import Diagnostic, Document
from .readers import read
from .writers import available_formats, get_writer

try:
    __version__ = version("convert")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "ConvertError", "Diagnostic", "Document", "__version__", "available_formats", "convert_tree", "get_writer", "read", "write",
]


def __getattr__(name: str) -> object:
    # The batch engine loads on first use: `import convert` stays cheap.
    if name == "convert_tree":
        from .batch import convert_tree

        return convert_tree
    raise AttributeError(f"module 'convert' has no attribute {name!r}")


def write(document: Document, format: str, destination: str | Path, **options: object) -> list[Diagnostic]:
    """Write ``document`` as ``format`` to ``destination`` atomically; return the warnings.

    The transform stage runs first (``script="zh-TW"`` writes a Traditional edition)."""
    writer = get_writer(format)
    made = writer.make_options(**options)
    transformed = transforms.run(document, transforms.from_options(made))
    return list(transformed.diagnostics) + writer.write(transformed.document, destination, made)
