"""Sanitising for XML: the characters no XML output can hold, dropped and counted once.

XML 1.0 cannot hold C0 controls other than tab, line feed and carriage return, lone
surrogates, U+FFFE or U+FFFF. This transform runs first, always, so that every writer
gets a document it need not clean, and the count is reported once under one code
(``dropped-control-chars``) with one wording, :func:`dropped_control_chars`. The readers
strip the same characters as they read (the seed reader must, before splitting lines;
lxml cannot parse them) and report them with the same function; then this finds none.

Every string of the model is cleaned (the source path and line 1 too: the DOCX writer
keeps them as properties) except a picture's resolved path, which locates its file. The walk is
iterative (hostile input nests deeply) and rebuilds only what changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass, replace
from typing import Any

from ..model import Book, BookMeta, Diagnostic, Document, warning
from ..typography import strip_illegal
from .base import Transformed

#: Fields that are not text: references and provenance, kept exactly as they are.
_KEEP = frozenset({"path", "key"})


def dropped_control_chars(count: int) -> Diagnostic:
    """The one diagnostic for ``count`` characters dropped because no output format can hold them."""
    return warning("dropped-control-chars", f"dropped {count} control character(s) no output format can hold")


_END = object()


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _text_fields(kind: type) -> tuple[str, ...] | None:
    """The fields of a model class the sanitising walks into; None for a non-dataclass (a leaf).
    Worked out once per class: ``dataclasses.fields`` for every node was most of the walk's time."""
    try:
        return _FIELDS[kind]
    except KeyError:
        names = tuple(f.name for f in fields(kind) if f.name not in _KEEP) if is_dataclass(kind) else None
        _FIELDS[kind] = names
        return names


def _strings(root: Any) -> Iterator[str]:
    """Every string :func:`clean_tree` would clean, read without rebuilding anything."""
    stack: list[Iterator[Any]] = [iter((root,))]
    while stack:
        for node in stack[-1]:
            if isinstance(node, str):
                yield node
            elif isinstance(node, tuple):
                stack.append(iter(node))
                break
            else:
                names = _text_fields(type(node))
                if names is not None:
                    stack.append(iter([getattr(node, name) for name in names]))
                    break
        else:
            stack.pop()


def clean_tree(root: Any) -> tuple[Any, int]:
    """``root`` (a model node, a tuple of them, or a string) with every text cleaned, and the count."""
    if not strip_illegal("".join(_strings(root)))[1]:  # the usual case (readers clean as they read): no rebuild
        return root, 0
    dropped = 0

    def parts(node: Any) -> tuple[list[Any], Any] | None:
        if isinstance(node, tuple):
            return list(node), None
        names = _text_fields(type(node))
        if names is None:
            return None
        return [getattr(node, name) for name in names], names

    def leaf(value: Any) -> Any:
        nonlocal dropped
        if isinstance(value, str):
            cleaned, count = strip_illegal(value)
            dropped += count
            return cleaned
        return value

    found = parts(root)
    if found is None:
        return leaf(root), dropped
    # Frames: (node, children, field names or None for a tuple, position, rebuilt children)
    stack: list[tuple[Any, list[Any], Any, list[Any]]] = [(root, found[0], found[1], [])]
    result: Any = root
    while stack:
        node, children, names, done = stack[-1]
        if len(done) < len(children):
            child = children[len(done)]
            sub = parts(child)
            if sub is None:
                done.append(leaf(child))
            else:
                stack.append((child, sub[0], sub[1], []))
            continue
        stack.pop()
        if all(a is b for a, b in zip(done, children, strict=True)):
            new = node
        elif names is None:
            new = tuple(done)
        else:
            new = replace(node, **dict(zip(names, done, strict=True)))
        if stack:
            stack[-1][3].append(new)
        else:
            result = new
    return result, dropped


class XmlSanitising:
    """Always the first transform: see the module's note."""

    name = "xml"

    def __init__(self) -> None:
        self.book_dropped = 0  # dropped from the book's title, author and folder names

    def apply(self, document: Document) -> Transformed:
        meta, dropped_meta = clean_tree(document.meta)
        blocks, dropped_blocks = clean_tree(document.blocks)
        dropped = dropped_meta + dropped_blocks
        if not dropped:
            return Transformed(document)
        return Transformed(replace(document, meta=meta, blocks=blocks), (dropped_control_chars(dropped),))

    def apply_book(self, book: Book) -> Book:
        meta, dropped_meta = clean_tree(book.meta)
        contents, dropped_contents = clean_tree(book.contents)
        self.book_dropped = dropped_meta + dropped_contents
        if not self.book_dropped:
            return book
        assert isinstance(meta, BookMeta)
        return replace(book, meta=meta, contents=contents)

    def book_diagnostics(self) -> tuple[Diagnostic, ...]:
        return (dropped_control_chars(self.book_dropped),) if self.book_dropped else ()


__all__ = ["XmlSanitising", "clean_tree", "dropped_control_chars"]
