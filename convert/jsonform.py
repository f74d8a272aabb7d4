"""The JSON form of a document: plain data with a schema version, round-tripping exactly.

It is how programs and tests inspect what a reader saw (``convert --to json``). Schema
``convert.document/3`` holds ``schema``, ``meta`` and ``blocks``: the ``diagnostics`` list
of versions 1 and 2 left with the document (a reader's messages are in its
:class:`~convert.model.ReadResult`, and in the batch's ``--report``). Documents of versions
1 and 2 still load; their ``diagnostics`` are ignored.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from .model import (
    KINDS,
    Block,
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

#: Version 3 dropped the document's ``diagnostics`` (a reader's messages travel in its
#: :class:`ReadResult`, not in the document); version 2 added ``meta.edition`` (the script
#: conversion a Traditional edition went through, null for the text as read). Version 1
#: and 2 documents still load (their ``diagnostics`` ignored).
SCHEMA = "convert.document/3"
_OLDER_SCHEMAS = ("convert.document/1", "convert.document/2")


def _inline_to(node: Inline) -> dict[str, Any]:
    if isinstance(node, Text):
        return {"type": "text", "text": node.text}
    if isinstance(node, LineBreak):
        return {"type": "linebreak"}
    out: dict[str, Any] = {"type": KINDS[type(node)], "children": [_inline_to(c) for c in node.children]}
    if isinstance(node, Link):
        out["href"] = node.href
    return out


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


def _block_to(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "content": [_inline_to(c) for c in block.content]}
    if isinstance(block, Heading):
        return {"type": "heading", "level": block.level, "content": [_inline_to(c) for c in block.content]}
    if isinstance(block, Image):
        return {"type": "image", "src": block.src, "path": block.path, "alt": block.alt}
    if isinstance(block, ListBlock):
        return {"type": "list", "ordered": block.ordered, "items": [[_block_to(b) for b in item] for item in block.items]}
    if isinstance(block, Quote):
        return {"type": "quote", "blocks": [_block_to(b) for b in block.blocks]}
    if isinstance(block, Table):
        rows = [[[_inline_to(c) for c in cell] for cell in row] for row in block.rows]
        return {"type": "table", "header_rows": block.header_rows, "rows": rows}
    raise TypeError(f"not a block: {block!r}")


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


def to_dict(document: Document) -> dict[str, Any]:
    """The document as plain data (schema ``convert.document/3``: ``schema``, ``meta``, ``blocks``)."""
    meta = {f.name: getattr(document.meta, f.name) for f in fields(Metadata)}
    meta["category"] = list(document.meta.category)
    return {
        "schema": SCHEMA,
        "meta": meta,
        "blocks": [_block_to(b) for b in document.blocks],
    }


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


def to_json(document: Document, indent: int | None = 2) -> str:
    """The document as JSON text; :func:`from_json` gives it back exactly."""
    return json.dumps(to_dict(document), ensure_ascii=False, indent=indent)


def from_json(text: str) -> Document:
    """The document of :func:`to_json`'s text."""
    return from_dict(json.loads(text))


__all__ = ["SCHEMA", "from_dict", "from_json", "to_dict", "to_json"]
