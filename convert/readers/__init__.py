"""Readers: input files into the document model. Readers never import writers.

Every reader returns a :class:`~convert.model.ReadResult`: the document and what the
reader noticed (the messages stay outside the document, so writers never see them).
"""

from __future__ import annotations

from pathlib import Path

from ..model import ReadResult
from ..untrusted import DEFAULT_MAX_SIZE
from .seed import parse_seed, read_seed
from .title import parse_title_line

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")

__all__ = ["DEFAULT_MAX_SIZE", "parse", "parse_html", "parse_seed", "parse_title_line", "read", "read_html", "read_seed"]

# The HTML reader (lxml) loads on first use: most inputs are seed files whose body is the template.


def read_html(path: str | Path, max_size: int | None = DEFAULT_MAX_SIZE, root: str | Path | None = None) -> ReadResult:
    """A standalone HTML file as a document (see :func:`convert.readers.html.read_html`)."""
    from .html import read_html as read_html_file

    return read_html_file(path, max_size=max_size, root=root)


def parse_html(data: bytes, path: Path) -> ReadResult:
    """A standalone HTML file's bytes as a document (see :func:`convert.readers.html.parse_html`)."""
    from .html import parse_html as parse_html_bytes

    return parse_html_bytes(data, path)


def read(path: str | Path, root: str | Path | None = None, max_size: int | None = DEFAULT_MAX_SIZE) -> ReadResult:
    """Read one input file: ``.html``/``.htm`` with the HTML reader, anything else as a seed
    article. The result holds the document and the reader's diagnostics."""
    path = Path(path)
    if path.suffix.lower() in _HTML_SUFFIXES:
        return read_html(path, max_size=max_size, root=root)
    return read_seed(path, root=root, max_size=max_size)


def parse(data: bytes, path: str | Path, root: str | Path | None = None, max_size: int | None = DEFAULT_MAX_SIZE) -> ReadResult:
    """Like :func:`read`, from bytes already read (safely) from ``path``."""
    path = Path(path)
    if path.suffix.lower() in _HTML_SUFFIXES:
        return parse_html(data, path)
    return parse_seed(data, path, Path(root) if root is not None else None, max_size)
