"""The transform stage: document -> document, once, between the reader and every writer.

As pandoc runs its filters before any writer, a transform changes the model once and
every format gets the changed document: ``convert.write``, the batch's render step and
books (each chapter as it is read) all call :func:`run` (or :func:`run_book`) with the
transforms :func:`from_options` picks from the shared option values.

A transform is an object with a ``name``, ``apply(document) -> Transformed`` (the new
document and its diagnostics) and ``apply_book(book) -> Book`` (what a book holds besides
its chapters: its title, language, table of contents). Text transforms build on
:func:`convert.transforms.text.map_texts`, which walks every text of the model once; the
first, always on, is :class:`~convert.transforms.xml.XmlSanitising` (the characters no
XML output can hold, dropped and counted under one diagnostic code, so writers get text
they need not clean); then :class:`~convert.transforms.script.ScriptConversion`
(``--script``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ..model import Book, Chapter, Diagnostic, Document
from .base import Transform, Transformed

#: Option names the stage reads from the shared pool of option values.
TRANSFORM_OPTIONS = ("script",)


def from_options(options: Mapping[str, object] | object) -> tuple[Transform, ...]:
    """The transforms asked for by ``options``: a mapping of option values (the command
    line's pool) or a writer-options object; XML sanitising alone for the defaults. Bad
    values raise :class:`convert.errors.ConvertError`."""
    from .script import ScriptConversion, edition_for  # the stage itself stays free of OpenCC
    from .xml import XmlSanitising

    def get(name: str) -> object:
        return options.get(name) if isinstance(options, Mapping) else getattr(options, name, None)
    script_value = get("script")
    edition = edition_for(None if script_value is None else str(script_value))
    script: tuple[Transform, ...] = (ScriptConversion(edition),) if edition is not None else ()
    return (XmlSanitising(), *script)


def run(document: Document, transforms: Sequence[Transform]) -> Transformed:
    """``document`` through every transform in order, with their diagnostics."""
    diagnostics: list[Diagnostic] = []
    for transform in transforms:
        result = transform.apply(document)
        document = result.document
        diagnostics.extend(result.diagnostics)
    return Transformed(document, tuple(diagnostics))


def prepare(document: Document, options: Mapping[str, object] | object = None) -> Transformed:
    """``document`` through the transforms ``options`` ask for (always XML sanitising): what
    a program calling a writer's ``render`` or ``write`` itself must do first."""
    return run(document, from_options(options if options is not None else {}))


def run_book(book: Book, transforms: Sequence[Transform],
             on_diagnostics: Callable[[Chapter | None, tuple[Diagnostic, ...]], None] | None = None) -> Book:
    """``book`` with its metadata and contents transformed now and each chapter as it is read
    (so a book still holds one article at a time); diagnostics go to ``on_diagnostics``,
    with the chapter, or None for the book's own title and folder names."""
    if not transforms:
        return book
    for transform in transforms:
        book = transform.apply_book(book)
        notes = getattr(transform, "book_diagnostics", None)  # optional: what apply_book noticed
        found = notes() if notes is not None else ()
        if found and on_diagnostics is not None:
            on_diagnostics(None, found)
    load = book.loader

    def loader(chapter: Chapter) -> Document:
        result = run(load(chapter), transforms)
        if on_diagnostics is not None and result.diagnostics:
            on_diagnostics(chapter, result.diagnostics)
        return result.document

    return replace(book, loader=loader)


__all__ = ["TRANSFORM_OPTIONS", "Transform", "Transformed", "from_options", "prepare", "run", "run_book"]
