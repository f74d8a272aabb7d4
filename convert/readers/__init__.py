"""Readers: input files into the document model. Readers never import writers."""

from __future__ import annotations

from pathlib import Path

from ..model import Document
from .decode import DEFAULT_MAX_SIZE
from .seed import parse_seed, read_seed
from .title import parse_title_line

__all__ = ["DEFAULT_MAX_SIZE", "parse_seed", "parse_title_line", "read", "read_html", "read_seed"]


def read_html(path: str | Path, max_size: int | None = DEFAULT_MAX_SIZE) -> Document:
    """A standalone HTML file as a document (see :func:`convert.readers.html.read_html`)."""
    from .html import read_html as read_html_file  # lxml loads on first use

    return read_html_file(path, max_size=max_size)


def read(path: str | Path, root: str | Path | None = None, max_size: int | None = DEFAULT_MAX_SIZE) -> Document:
    """Read one input file: ``.html``/``.htm`` with the HTML reader, anything else as a seed article."""
    path = Path(path)
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return read_html(path, max_size=max_size)
    return read_seed(path, root=root, max_size=max_size)
