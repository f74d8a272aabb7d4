"""Writer registry: built-in writers by name, plus third-party ones from entry points.

Built-in writers are imported only when first used, so ``convert --to md`` never pays
for reportlab. A third-party package registers a :class:`~convert.writers.base.Writer`
subclass under the entry-point group ``convert.writers``; one that fails to load is
skipped with a warning rather than breaking the command.
"""

from __future__ import annotations

import importlib
import warnings
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, cast

from ..errors import UnknownFormatError
from .base import PAGE_SIZES, Rendered, Resource, Writer, WriterOptions

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

ENTRY_POINT_GROUP = "convert.writers"

_BUILTIN: dict[str, str] = {
    "md": "convert.writers.markdown:MarkdownWriter",
    "json": "convert.writers.json:JsonWriter",
    "html": "convert.writers.html:HtmlWriter",
    "epub": "convert.writers.epub:EpubWriter",
    "docx": "convert.writers.docx:DocxWriter",
    "pdf": "convert.writers.pdf:PdfWriter",
    "ofd": "convert.writers.ofd:OfdWriter",
}
_ALIASES = {"markdown": "md"}
#: The built-in formats' names, in the registry's order (plugins: :func:`available_formats`).
BUILTIN_FORMATS = tuple(_BUILTIN)

__all__ = [
    "BUILTIN_FORMATS",
    "ENTRY_POINT_GROUP",
    "PAGE_SIZES",
    "Rendered",
    "Resource",
    "Writer",
    "WriterOptions",
    "available_formats",
    "get_writer",
]


def _load(target: str) -> type[Writer[Any]]:
    module_name, _, attr = target.partition(":")
    writer_class: type[Writer[Any]] = getattr(importlib.import_module(module_name), attr)
    return writer_class


@lru_cache(maxsize=1)
def _plugins() -> dict[str, EntryPoint]:
    from importlib.metadata import entry_points  # about 20 ms: only when a name is not built in

    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name not in _BUILTIN:
            found[ep.name] = ep
    return found


def available_formats() -> list[str]:
    """Every format name that ``get_writer`` accepts (built-in first, then plugins)."""
    return list(_BUILTIN) + sorted(_plugins())


def get_writer(name: str) -> Writer[Any]:
    """The writer registered under ``name`` (any case, ``.pdf`` or ``pdf``, ``markdown`` for
    ``md``); one instance per process and format, since writers cache fonts and templates."""
    key = name.lower().lstrip(".")
    writer = _writer(_ALIASES.get(key, key))
    if writer is None:
        raise UnknownFormatError(f"unknown format {name!r}; formats: {', '.join(available_formats())}")
    return writer


@cache
def _writer(key: str) -> Writer[Any] | None:
    if key in _BUILTIN:
        return _load(_BUILTIN[key])()
    plugin = _plugins().get(key)
    if plugin is not None:
        try:
            # An entry point's object is untyped: the plugin's contract is a Writer subclass.
            return cast("Writer[Any]", plugin.load()())
        except Exception as exc:  # a broken plugin must not break the command
            warnings.warn(f"writer plugin {key!r} failed to load: {exc}", stacklevel=2)
    return None
