"""The JSON form of a document: plain data with a schema version, round-tripping exactly.

It is how programs and tests inspect what a reader saw (``convert --to json``). Schema
``convert.document/3`` holds ``schema``, ``meta`` and ``blocks``: the ``diagnostics`` list
of versions 1 and 2 left with the document (a reader's messages are in its
:class:`~convert.model.ReadResult`, and in the batch's ``--report``). Documents of versions
1 and 2 still load; their ``diagnostics`` are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from .model import (
    Block,
    Diagnostic,
    Document,
    Emphasis,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Metadata,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
)
from .visit import Dispatch

#: Version 3 dropped the document's ``diagnostics`` (a reader's messages travel in its
#: :class:`ReadResult`, not in the document); version 2 added ``meta.edition`` (the script
#: conversion a Traditional edition went through, null for the text as read). Version 1
#: and 2 documents still load (their ``diagnostics`` ignored).
SCHEMA = "convert.document/3"
_OLDER_SCHEMAS = ("convert.document/1", "convert.document/2")


def _inline_from(data: dict[str, Any]) -> Inline:
    kind = data["type"]
    if kind == "text":
        return Text(data["text"])
    if kind == "linebreak":
        return LineBreak()
    children = tuple(_inline_from(c) for c in data["children"])
    if kind == "link":
        return Link(children, data["href"])
    if kind == "strong":
        return Strong(children)
    if kind == "emphasis":
        return Emphasis(children)
    raise ValueError(f"unknown inline type {kind!r}")


class _ToData:
    """The model as plain data, one handler per node kind (:class:`convert.visit.Dispatch`, as
    every writer's builder): a node that is not part of the model is an ``unknown-node``
    warning in ``diagnostics`` and is left out."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.inline = Dispatch[dict[str, Any] | None]({
            "text": lambda node: {"type": "text", "text": node.text},
            "linebreak": lambda node: {"type": "linebreak"},
            "strong": lambda node: {"type": "strong", "children": self.inlines(node.children)},
            "emphasis": lambda node: {"type": "emphasis", "children": self.inlines(node.children)},
            "link": lambda node: {"type": "link", "children": self.inlines(node.children), "href": node.href},
        }, diagnostics, None)
        self.block = Dispatch[dict[str, Any] | None]({
            "paragraph": lambda node: {"type": "paragraph", "content": self.inlines(node.content)},
            "heading": lambda node: {"type": "heading", "level": node.level, "content": self.inlines(node.content)},
            "image": lambda node: {"type": "image", "src": node.src, "path": node.path, "alt": node.alt},
            "list": lambda node: {"type": "list", "ordered": node.ordered,
                                  "items": [self.blocks(item) for item in node.items]},
            "quote": lambda node: {"type": "quote", "blocks": self.blocks(node.blocks)},
            "table": lambda node: {"type": "table", "header_rows": node.header_rows,
                                   "rows": [[self.inlines(cell) for cell in row] for row in node.rows]},
        }, diagnostics, None)

    def inlines(self, nodes: Iterable[object]) -> list[dict[str, Any]]:
        return [data for data in map(self.inline, nodes) if data is not None]

    def blocks(self, nodes: Iterable[object]) -> list[dict[str, Any]]:
        return [data for data in map(self.block, nodes) if data is not None]


def _block_from(data: dict[str, Any]) -> Block:
    kind = data["type"]
    if kind == "paragraph":
        return Paragraph(tuple(_inline_from(c) for c in data["content"]))
    if kind == "heading":
        return Heading(data["level"], tuple(_inline_from(c) for c in data["content"]))
    if kind == "image":
        return Image(data["src"], data.get("path"), data.get("alt", ""))
    if kind == "list":
        return ListBlock(data["ordered"], tuple(tuple(_block_from(b) for b in item) for item in data["items"]))
    if kind == "quote":
        return Quote(tuple(_block_from(b) for b in data["blocks"]))
    if kind == "table":
        rows = tuple(tuple(tuple(_inline_from(c) for c in cell) for cell in row) for row in data["rows"])
        return Table(rows, data.get("header_rows", 0))
    raise ValueError(f"unknown block type {kind!r}")


def to_dict(document: Document, diagnostics: list[Diagnostic] | None = None) -> dict[str, Any]:
    """The document as plain data (schema ``convert.document/3``: ``schema``, ``meta``, ``blocks``).

    A node that is not part of the model is left out with an ``unknown-node`` warning added
    to ``diagnostics``; without that list it raises ``TypeError``."""
    found: list[Diagnostic] = [] if diagnostics is None else diagnostics
    meta = {f.name: getattr(document.meta, f.name) for f in fields(Metadata)}
    meta["category"] = list(document.meta.category)
    blocks = _ToData(found).blocks(document.blocks)
    if diagnostics is None and found:
        raise TypeError(found[0].message)
    return {"schema": SCHEMA, "meta": meta, "blocks": blocks}


def from_dict(data: dict[str, Any]) -> Document:
    """The document :func:`to_dict` gave (this schema or an older one: the ``diagnostics`` of
    versions 1 and 2 are ignored, as the document no longer holds them); another schema
    raises ``ValueError`` naming it."""
    if data.get("schema") != SCHEMA and data.get("schema") not in _OLDER_SCHEMAS:
        raise ValueError(f"unsupported schema {data.get('schema')!r}; expected {SCHEMA!r}")
    meta_data = dict(data["meta"])
    meta_data["category"] = tuple(meta_data.get("category", ()))
    known = {f.name for f in fields(Metadata)}
    meta = Metadata(**{k: v for k, v in meta_data.items() if k in known})
    return Document(meta=meta, blocks=tuple(_block_from(b) for b in data["blocks"]))


def to_json(document: Document, indent: int | None = 2, diagnostics: list[Diagnostic] | None = None) -> str:
    """The document as JSON text (see :func:`to_dict`); :func:`from_json` gives it back exactly."""
    return json.dumps(to_dict(document, diagnostics), ensure_ascii=False, indent=indent)


def from_json(text: str) -> Document:
    """The document of :func:`to_json`'s text."""
    return from_dict(json.loads(text))


__all__ = ["SCHEMA", "from_dict", "from_json", "to_dict", "to_json"]
