"""Every text of the model, mapped in one walk: the shared machinery of text transforms.

A text transform (script conversion now, XML sanitising later) changes strings, never
structure. :func:`map_texts` hands it the document's strings grouped into *runs* (the
inline text of one paragraph, heading or table cell, or one metadata value: title, a
category or date folder name, a picture's alternative text) and rebuilds the document
with what it returns. Runs matter to converters that look at phrases (OpenCC segments
text into words): a phrase may cross a bold span inside a paragraph, never a paragraph.

Link targets, picture paths, the source path and the seed's first line are not text of
the article but references and provenance: they are left as they are.

The walk is iterative (no recursion): hostile input can nest quotes and lists deeply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..model import (
    Document,
    Emphasis,
    Heading,
    Image,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
)

#: Runs of strings in document order -> the same shape, changed.
RunsChange = Callable[[list[list[str]]], list[list[str]]]


@dataclass(frozen=True, slots=True)
class _Cell:
    """A table cell while the walk passes through it (cells are plain tuples in the model)."""

    content: tuple[Any, ...]


_END = object()


def _split(flat: Sequence[Any], sizes: Sequence[int]) -> list[tuple[Any, ...]]:
    out, start = [], 0
    for size in sizes:
        out.append(tuple(flat[start:start + size]))
        start += size
    return out


def _children(node: Any) -> tuple[Sequence[Any], Callable[[list[Any]], Any], bool] | None:
    """``(children, rebuild, starts_a_run)`` for a node with children, None for a leaf."""
    if isinstance(node, Paragraph):
        return node.content, lambda c: Paragraph(tuple(c)), True
    if isinstance(node, Heading):
        return node.content, lambda c, n=node: Heading(n.level, tuple(c)), True
    if isinstance(node, _Cell):
        return node.content, tuple, True
    if isinstance(node, Strong):
        return node.children, lambda c: Strong(tuple(c)), False
    if isinstance(node, Emphasis):
        return node.children, lambda c: Emphasis(tuple(c)), False
    if isinstance(node, Link):
        return node.children, lambda c, n=node: Link(tuple(c), n.href), False
    if isinstance(node, Quote):
        return node.blocks, lambda c: Quote(tuple(c)), False
    if isinstance(node, ListBlock):
        sizes = [len(item) for item in node.items]
        return ([b for item in node.items for b in item],
                lambda c, n=node, s=sizes: ListBlock(n.ordered, tuple(_split(c, s))), False)
    if isinstance(node, Table):
        shape = [len(row) for row in node.rows]
        cells = [_Cell(cell) for row in node.rows for cell in row]
        return cells, lambda c, n=node, s=shape: Table(tuple(_split(c, s)), n.header_rows), False
    return None


def _plain_texts(node: Any) -> list[str] | None:
    """The texts of a paragraph of nothing but Text (the usual paragraph: one Text), else
    None: both passes take such a paragraph in one step, not through the walk's stack."""
    if type(node) is not Paragraph:
        return None
    texts = [child.text for child in node.content if type(child) is Text]
    return texts if len(texts) == len(node.content) else None


def _collect(nodes: Sequence[Any], runs: list[list[str]]) -> None:
    """Append the texts of ``nodes`` to ``runs`` in document order, a new run where one starts
    (a paragraph, heading, cell, picture alt): the first pass of :func:`map_texts`, which
    reads and builds nothing."""
    stack: list[Iterator[Any]] = [iter(nodes)]
    while stack:
        for node in stack[-1]:
            plain = _plain_texts(node)
            if plain is not None:
                runs.append(plain)
            elif isinstance(node, Text):
                if not runs:
                    runs.append([])
                runs[-1].append(node.text)
            elif isinstance(node, Image):
                if node.alt:
                    runs.append([node.alt])
            elif not isinstance(node, LineBreak):
                found = _children(node)
                if found is not None:
                    children, _rebuild, starts_run = found
                    if starts_run:
                        runs.append([])
                    stack.append(iter(children))
                    break
        else:
            stack.pop()


def _walk(nodes: Sequence[Any], text: Callable[[str], str]) -> tuple[Any, ...]:
    """Rebuild ``nodes`` with every Text and picture alt passed through ``text`` in document
    order (the order :func:`_collect` reads them in)."""
    top: list[Any] = []
    stack: list[tuple[Any, list[Any], Callable[[list[Any]], Any] | None, list[Any] | None]] = [
        (iter(nodes), top, None, None)
    ]
    while stack:
        items, out, rebuild, parent = stack[-1]
        node = next(items, _END)
        if node is _END:
            stack.pop()
            if rebuild is not None and parent is not None:
                parent.append(rebuild(out))
            continue
        plain = _plain_texts(node)
        if plain is not None:
            out.append(Paragraph(tuple([Text(text(value)) for value in plain])))
        elif isinstance(node, Text):
            out.append(Text(text(node.text)))
        elif isinstance(node, LineBreak):
            out.append(node)
        elif isinstance(node, Image):
            if node.alt:
                node = Image(node.src, node.path, text(node.alt))
            out.append(node)
        else:
            found = _children(node)
            if found is None:  # a node type this walk does not know: kept as it is
                out.append(node)
                continue
            children, rebuild_node, _starts_run = found
            stack.append((iter(children), [], rebuild_node, out))
    return tuple(top)


def map_texts(document: Document, change: RunsChange, **meta_fields: Any) -> Document:
    """A copy of ``document`` whose texts (title, category and date folder names, paragraph,
    heading, list, quote and table text, link text, picture alt text) went through ``change``.

    ``change`` receives every run and must return as many runs, each with as many strings
    (new lists: ``runs`` is not to be changed in place). ``meta_fields`` are set in the
    copy's metadata as well (one copy, not two).
    """
    meta = document.meta
    runs: list[list[str]] = [[meta.title], *([value] for value in meta.category)]
    if meta.date_folder:
        runs.append([meta.date_folder])
    _collect(document.blocks, runs)
    runs = [run for run in runs if run]
    changed = change(runs)
    if len(changed) != len(runs) or any(len(a) != len(b) for a, b in zip(changed, runs, strict=True)):
        raise ValueError("a text transform must keep the number of runs and of strings in each")
    if changed is not runs and changed == runs:  # nothing changed (no Simplified characters): no copy
        return replace(document, meta=replace(meta, **meta_fields)) if meta_fields else document
    flat = iter([value for run in changed for value in run])
    title = next(flat)
    category = tuple(next(flat) for _ in meta.category)
    date_folder = next(flat) if meta.date_folder else meta.date_folder
    blocks = _walk(document.blocks, lambda _old: next(flat))
    new_meta = replace(meta, title=title, category=category, date_folder=date_folder, **meta_fields)
    return replace(document, meta=new_meta, blocks=blocks)
