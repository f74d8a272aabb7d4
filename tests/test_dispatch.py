"""Every writer dispatches blocks and inlines through one mechanism (convert.visit): a node it
does not know becomes one ``unknown-node`` warning in every format, never a crash or a silent drop."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from convert.model import Document, Metadata, Paragraph, Quote, Text
from convert.visit import Dispatch
from convert.writers import get_writer


@dataclass(frozen=True)
class Chart:
    """A block type from a newer model (or a plugin) that no writer knows."""

    caption: str = "图表"


@dataclass(frozen=True)
class Ruby:
    """An inline type no writer knows."""

    text: str = "注音"


def document(*blocks: object) -> Document:
    return Document(Metadata(title="标题"), (Paragraph((Text("前文"),)), *blocks, Paragraph((Text("后文"),))))  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["md", "html", "epub", "docx", "pdf", "ofd", "json"])
@pytest.mark.parametrize("unknown", [
    pytest.param(lambda: Chart(), id="block"),
    pytest.param(lambda: Quote((Chart(),)), id="nested-block"),  # type: ignore[arg-type]
])
def test_an_unknown_block_is_one_warning_in_every_format(fmt, unknown):
    rendered = get_writer(fmt).render(document(unknown()), get_writer(fmt).options_type())
    codes = [d.code for d in rendered.diagnostics]
    assert codes.count("unknown-node") == 1, codes
    message = next(d.message for d in rendered.diagnostics if d.code == "unknown-node")
    assert "Chart" in message
    assert rendered.data  # the rest of the document is still written


@pytest.mark.parametrize("fmt", ["md", "html", "epub", "docx", "pdf", "ofd", "json"])
def test_an_unknown_inline_is_one_warning(fmt):
    doc = document(Paragraph((Text("甲"), Ruby(), Text("乙"))))  # type: ignore[arg-type]
    rendered = get_writer(fmt).render(doc, get_writer(fmt).options_type())
    assert [d.code for d in rendered.diagnostics].count("unknown-node") == 1


def test_the_text_around_an_unknown_block_is_kept_in_markdown():
    text = get_writer("md").render(document(Chart()), get_writer("md").options_type()).data.decode()
    assert "前文\n\n后文" in text


def test_a_dispatch_table_calls_the_handler_of_the_node_kind_with_the_extra_arguments():
    diagnostics: list = []
    dispatch = Dispatch[str]({"text": lambda node, suffix: node.text + suffix}, diagnostics, "?")
    assert dispatch(Text("甲"), "!") == "甲!"
    assert dispatch(Paragraph(()), "!") == "?"  # a model node without a handler here is unknown too
    assert [d.code for d in diagnostics] == ["unknown-node"]


def test_the_json_form_reports_or_refuses_a_node_outside_the_model():
    from convert.jsonform import to_dict

    found: list = []
    data = to_dict(document(Chart(), Paragraph((Text("甲"), Ruby()))), found)  # type: ignore[arg-type]
    assert [d.code for d in found] == ["unknown-node", "unknown-node"]
    assert [b["type"] for b in data["blocks"]] == ["paragraph", "paragraph", "paragraph"]
    with pytest.raises(TypeError, match="Chart"):
        to_dict(document(Chart()))
