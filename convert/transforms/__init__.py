"""The transform stage: document -> document, once, between the reader and every writer.

As pandoc runs its filters before any writer, a transform changes the model once and
every format gets the changed document: ``convert.write``, the batch's render step and
books (each chapter as it is read) all call :func:`run` (or :func:`run_book`) with the
transforms :func:`from_options` picks from the shared option values.

A transform is an object with a ``name``, ``apply(document) -> Transformed`` (the new
document and its diagnostics) and ``apply_book(book) -> Book`` (what a book holds besides
its chapters: its title, language, table of contents). Text transforms build on
:func:`convert.transforms.text.map_texts`, which walks every text of the model once; the
first is :class:`~convert.transforms.script.ScriptConversion` (``--script``). Cleaning
text for XML (dropping the characters no XML output can hold, counted under one
diagnostic code) is meant to move here the same way, so writers get text they need not
clean.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from ..model import Book, Chapter, Diagnostic, Document


@dataclass(frozen=True)
class Transformed:
    """A transform's result: the new document and what the transform noticed."""

    document: Document
    diagnostics: tuple[Diagnostic, ...] = ()


class Transform(Protocol):
    @property
    def name(self) -> str: ...

    def apply(self, document: Document) -> Transformed: ...

    def apply_book(self, book: Book) -> Book: ...


#: Option names the stage reads from the shared pool of option values.
TRANSFORM_OPTIONS = ("script",)


def from_options(options: Mapping[str, object] | object) -> tuple[Transform, ...]:
    """The transforms asked for by ``options``: a mapping of option values (the command
    line's pool) or a writer-options object; none for the defaults. Bad values raise
    :class:`convert.errors.ConvertError`."""
    from .script import ScriptConversion, edition_for  # the stage itself stays free of OpenCC

    get: Callable[[str], object]
    if isinstance(options, Mapping):
        get = options.get
    else:
        def get(name: str) -> object:
            return getattr(options, name, None)
    edition = edition_for(get("script"))  # type: ignore[arg-type]
    return (ScriptConversion(edition),) if edition is not None else ()


def run(document: Document, transforms: Sequence[Transform]) -> Transformed:
    """``document`` through every transform in order, with their diagnostics."""
    diagnostics: list[Diagnostic] = []
    for transform in transforms:
        result = transform.apply(document)
        document = result.document
        diagnostics.extend(result.diagnostics)
    return Transformed(document, tuple(diagnostics))


def run_book(book: Book, transforms: Sequence[Transform],
             on_diagnostics: Callable[[Chapter, tuple[Diagnostic, ...]], None] | None = None) -> Book:
    """``book`` with its metadata and contents transformed now and each chapter as it is read
    (so a book still holds one article at a time); chapter diagnostics go to ``on_diagnostics``."""
    if not transforms:
        return book
    for transform in transforms:
        book = transform.apply_book(book)
    load = book.loader

    def loader(chapter: Chapter) -> Document:
        result = run(load(chapter), transforms)
        if on_diagnostics is not None and result.diagnostics:
            on_diagnostics(chapter, result.diagnostics)
        return result.document

    return replace(book, loader=loader)


__all__ = ["TRANSFORM_OPTIONS", "Transform", "Transformed", "from_options", "run", "run_book"]
