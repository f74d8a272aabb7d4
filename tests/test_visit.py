"""The one walk for every writer: enter and leave steps in document order, a visitor with one
method per node kind, and a fallback that reports what it does not know."""

from __future__ import annotations

import pytest

from convert.model import KINDS, Image, Paragraph, Quote, Table, Text, plain_text
from convert.visit import Step, Visitor, walk


def outline(nodes) -> list[str]:
    return [("+" if step.entering else "-") + step.kind + (f"{step.index}" if step.kind in ("item", "row", "cell") else "") for step in walk(nodes)]


def test_every_node_is_entered_and_left_in_document_order(every_kind_of_node):
    paragraph, table = every_kind_of_node[1], every_kind_of_node[5]
    assert outline((paragraph,)) == [
        "+paragraph", "+text", "-text", "+strong", "+text", "-text", "+emphasis", "+text", "-text", "-emphasis", "-strong",
        "+linebreak", "-linebreak", "+link", "+text", "-text", "-link", "-paragraph",
    ]
    assert outline((table,)) == [
        "+table", "+row0", "+cell0", "+text", "-text", "-cell0", "+cell1", "-cell1", "-row0",
        "+row1", "+cell0", "+text", "-text", "-cell0", "+cell1", "+strong", "+text", "-text", "-strong", "-cell1", "-row1", "-table",
    ]


def test_list_items_are_steps_of_their_own_with_their_number_and_depth(every_kind_of_node):
    the_list = every_kind_of_node[3]
    steps = [step for step in walk((the_list,)) if step.entering]
    assert [(s.kind, s.index, s.depth) for s in steps] == [
        ("list", 0, 0), ("item", 0, 1), ("paragraph", 0, 2), ("text", 0, 3),
        ("item", 1, 1), ("image", 0, 2), ("quote", 1, 2), ("paragraph", 0, 3), ("text", 0, 4),
    ]


def test_pruning_skips_the_children_but_not_the_leave_step():
    the_quote = Quote((Paragraph((Text("里"),)),))
    assert [s.kind for s in walk((the_quote, Image("x")), lambda step: step.kind == "quote")] == ["quote", "quote", "image", "image"]


def test_the_walk_does_not_recurse_on_deep_trees(deep_quotes):
    steps = walk(deep_quotes((Paragraph((Text("底"),)),)))
    assert [s.node.text for s in steps if s.kind == "text" and s.entering] == ["底"]


class TextCollector(Visitor):
    """A tiny writer: the text of every paragraph, and of tables as rows of cells."""

    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []

    def enter_text(self, node, step):
        self.out.append(node.text)

    def enter_linebreak(self, node, step):
        self.out.append("\n")

    def leave_paragraph(self, node, step):
        self.out.append("|")

    def enter_table(self, node: Table, step: Step):
        self.out.append(f"[table of {len(node.rows)} rows]")
        return False  # rendered whole: no visit to the cells


def test_a_visitor_gets_one_call_per_node_and_can_skip_children(every_kind_of_node):
    collector = TextCollector()
    collector.visit(every_kind_of_node)
    paragraph = every_kind_of_node[1]
    text = "".join(collector.out)
    assert text.startswith("小标题" + plain_text(paragraph.content) + "|")
    assert text.endswith("[table of 2 rows]")
    assert "表头" not in text and collector.diagnostics == []


def test_an_unknown_node_is_reported_not_dropped_silently_or_raised():
    collector = TextCollector()
    collector.visit((Paragraph((Text("前"),)), "not a node", Paragraph((Text("后"),))))
    assert "".join(collector.out) == "前|后|"
    [note] = collector.diagnostics
    assert (note.level, note.code) == ("warning", "unknown-node") and "str" in note.message


@pytest.mark.parametrize("kind", [*KINDS.values(), "item", "row", "cell"])
def test_the_visitor_has_an_enter_and_a_leave_method_for_every_kind(kind):
    visitor = Visitor()
    assert callable(getattr(visitor, f"enter_{kind}")) and callable(getattr(visitor, f"leave_{kind}"))
