"""Readers: input files into the document model. Readers never import writers."""

from __future__ import annotations

from pathlib import Path

from ..model import Document
from .decode import DEFAULT_MAX_SIZE
from .html import parse_html, read_html
from .seed import parse_seed, parse_title_line, read_seed

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")

__all__ = ["DEFAULT_MAX_SIZE", "parse", "parse_html", "parse_seed", "parse_title_line", "read", "read_html", "read_seed"]


def read(path: str | Path, root: str | Path | None = None, max_size: int | None = DEFAULT_MAX_SIZE) -> Document:
    """Read one input file: ``.html``/``.htm`` with the HTML reader, anything else as a seed article."""
    path = Path(path)
    if path.suffix.lower() in _HTML_SUFFIXES:
        return read_html(path, max_size=max_size, root=root)
    return read_seed(path, root=root, max_size=max_size)


def parse(data: bytes, path: str | Path, root: str | Path | None = None, max_size: int | None = DEFAULT_MAX_SIZE) -> Document:
    """Like :func:`read`, from bytes already read (safely) from ``path``."""
    path = Path(path)
    if path.suffix.lower() in _HTML_SUFFIXES:
        return parse_html(data, path)
    return parse_seed(data, path, Path(root) if root is not None else None, max_size)
