"""One dispatch over the document tree: a handler per node kind, and a fallback that reports
what it does not know instead of dropping it (or raising) in each writer its own way.

markdown-it-py renders with one rule per token type; pandoc's writers match one case per
constructor. Every built-in writer (and the JSON form) dispatches through :class:`Dispatch`
from its own loop. For writers that need no loop of their own (plugins; tests reading a
model independently), :func:`walk` turns a tree of blocks and inlines into enter and leave
steps without recursion (articles nest deep in hostile input), and :class:`Visitor` calls
one method per node kind on them, with the same fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .model import (
    KINDS,
    Block,
    Diagnostic,
    Emphasis,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
    warning,
)

__all__ = ["KINDS", "Dispatch", "Step", "Visitor", "unknown_node", "walk"]

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Step:
    """One step of :func:`walk`: entering or leaving a node.

    ``kind`` is a node's kind (:data:`KINDS`), ``"item"``, ``"row"`` or ``"cell"`` for the
    parts of lists and tables (``node`` is then the list or table, ``index`` the item's,
    row's or column's number), or ``"unknown"`` for an object that is no model node.
    """

    entering: bool
    kind: str
    node: Any
    index: int = 0  # position among its siblings
    depth: int = 0  # how many nodes (items, rows and cells included) enclose it


# A child to enter: kind, node, index, and the nodes inside it for items, rows and cells.
_Entry = tuple[str, Any, int, Any]


def _entries(nodes: Iterable[Any]) -> Iterator[_Entry]:
    return ((KINDS.get(type(node), "unknown"), node, i, None) for i, node in enumerate(nodes))


def _children(kind: str, node: Any, inside: Any) -> Iterator[_Entry]:
    if kind in ("paragraph", "heading"):
        return _entries(node.content)
    if kind in ("strong", "emphasis", "link"):
        return _entries(node.children)
    if kind == "quote":
        return _entries(node.blocks)
    if kind == "list":
        return (("item", node, i, item) for i, item in enumerate(node.items))
    if kind == "table":
        return (("row", node, i, row) for i, row in enumerate(node.rows))
    if kind == "row":
        return (("cell", node, i, cell) for i, cell in enumerate(inside))
    if kind in ("item", "cell"):
        return _entries(inside)
    return iter(())  # text, linebreak, image, unknown


def walk(nodes: Iterable[Block | Inline], prune: Callable[[Step], bool] | None = None) -> Iterator[Step]:
    """An enter and a leave step for every node below ``nodes``, in document order, without recursion.

    ``prune`` is asked after each enter step has been handled; True skips that node's
    children (its leave step still comes).
    """
    stack: list[tuple[Step | None, Iterator[_Entry]]] = [(None, _entries(nodes))]
    while stack:
        leave, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            if leave is not None:
                yield leave
            continue
        kind, node, index, inside = entry
        enter = Step(True, kind, node, index, len(stack) - 1)
        yield enter
        children = iter(()) if prune is not None and prune(enter) else _children(kind, node, inside)
        stack.append((Step(False, kind, node, index, enter.depth), children))


def unknown_node(node: object) -> Diagnostic:
    """The one warning every writer gives for an object that is not a node it can write."""
    name = type(node).__name__
    return warning("unknown-node", f"a {name} is not part of the document model and was left out")


class Dispatch(Generic[R]):
    """One handler per node kind, for builders whose own loop (an explicit stack carrying
    context such as a list level or a parent element) does not fit enter/leave steps.

    ``handlers`` maps a kind (:data:`KINDS`) to a callable taking the node and whatever
    arguments the builder passes on. A node whose kind has no handler -- an object that is
    no model node, or an inline where blocks are expected -- is reported once as an
    ``unknown-node`` warning in ``diagnostics`` and gives ``fallback``, as
    :meth:`Visitor.unknown` does.
    """

    __slots__ = ("by_type", "diagnostics", "fallback")

    def __init__(self, handlers: Mapping[str, Callable[..., R]], diagnostics: list[Diagnostic], fallback: R) -> None:
        # Keyed by the node's exact type, as KINDS is: one dictionary look-up per node.
        self.by_type = {node_type: handlers[kind] for node_type, kind in KINDS.items() if kind in handlers}
        self.diagnostics = diagnostics
        self.fallback = fallback

    def __call__(self, node: object, *args: Any) -> R:
        handler = self.by_type.get(type(node))
        if handler is None:
            self.diagnostics.append(unknown_node(node))
            return self.fallback
        return handler(node, *args)


class Visitor:
    """One method per node kind, called entering (``enter_<kind>``) and leaving (``leave_<kind>``).

    Subclass and override what a writer needs; ``enter_`` methods return False to skip the
    node's children. An object that is no model node goes to :meth:`unknown`, which records
    an ``unknown-node`` warning in ``diagnostics``: nothing is dropped silently.
    """

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def visit(self, nodes: Iterable[Block | Inline]) -> None:
        skip = [False]  # what the last enter method asked, read by walk before it descends
        for step in walk(nodes, lambda _: skip[0]):
            if step.kind == "unknown":
                if step.entering:
                    self.unknown(step.node, step)
                continue
            handle = getattr(self, ("enter_" if step.entering else "leave_") + step.kind)
            skip[0] = handle(step.node, step) is False

    def unknown(self, node: object, step: Step) -> None:
        self.diagnostics.append(unknown_node(node))

    def enter_paragraph(self, node: Paragraph, step: Step) -> bool | None: return None
    def leave_paragraph(self, node: Paragraph, step: Step) -> None: return None
    def enter_heading(self, node: Heading, step: Step) -> bool | None: return None
    def leave_heading(self, node: Heading, step: Step) -> None: return None
    def enter_image(self, node: Image, step: Step) -> bool | None: return None
    def leave_image(self, node: Image, step: Step) -> None: return None
    def enter_list(self, node: ListBlock, step: Step) -> bool | None: return None
    def leave_list(self, node: ListBlock, step: Step) -> None: return None
    def enter_item(self, node: ListBlock, step: Step) -> bool | None: return None
    def leave_item(self, node: ListBlock, step: Step) -> None: return None
    def enter_quote(self, node: Quote, step: Step) -> bool | None: return None
    def leave_quote(self, node: Quote, step: Step) -> None: return None
    def enter_table(self, node: Table, step: Step) -> bool | None: return None
    def leave_table(self, node: Table, step: Step) -> None: return None
    def enter_row(self, node: Table, step: Step) -> bool | None: return None
    def leave_row(self, node: Table, step: Step) -> None: return None
    def enter_cell(self, node: Table, step: Step) -> bool | None: return None
    def leave_cell(self, node: Table, step: Step) -> None: return None
    def enter_text(self, node: Text, step: Step) -> bool | None: return None
    def leave_text(self, node: Text, step: Step) -> None: return None
    def enter_strong(self, node: Strong, step: Step) -> bool | None: return None
    def leave_strong(self, node: Strong, step: Step) -> None: return None
    def enter_emphasis(self, node: Emphasis, step: Step) -> bool | None: return None
    def leave_emphasis(self, node: Emphasis, step: Step) -> None: return None
    def enter_link(self, node: Link, step: Step) -> bool | None: return None
    def leave_link(self, node: Link, step: Step) -> None: return None
    def enter_linebreak(self, node: LineBreak, step: Step) -> bool | None: return None
    def leave_linebreak(self, node: LineBreak, step: Step) -> None: return None
