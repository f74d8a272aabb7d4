"""The document model: immutable nodes, helpers writers share, the JSON form, books, and the walk."""

from __future__ import annotations

import datetime
import json

import pytest

from convert.errors import ConvertError
from convert.jsonform import SCHEMA, from_json, to_json
from convert.model import (
    KINDS,
    Book,
    BookMeta,
    Chapter,
    Document,
    Image,
    LineBreak,
    Metadata,
    Paragraph,
    Section,
    Strong,
    Text,
    full_date,
    map_images,
    plain_text,
    text_paragraph,
    walk_blocks,
)

# ---------------------------------------------------------------- helpers


def test_text_paragraph_turns_newlines_into_line_breaks_and_plain_text_gives_them_back():
    paragraph = text_paragraph("第一行\n\n第三行")
    assert paragraph.content == (Text("第一行"), LineBreak(), LineBreak(), Text("第三行"))
    assert plain_text(paragraph.content) == "第一行\n\n第三行"


def test_walk_blocks_reaches_pictures_inside_lists_and_quotes_in_document_order(every_kind_of_node):
    document = Document(blocks=every_kind_of_node)
    assert [image.src for image in document.images()] == ["图片/0.jpg", "图片/1.jpg", "图片/2.jpg"]


def test_map_images_changes_every_picture_and_keeps_everything_else(every_kind_of_node):
    document = Document(Metadata(title="题"), every_kind_of_node)
    changed = map_images(document, lambda image: Image(image.src + "?", None, image.alt))
    assert [image.src for image in changed.images()] == ["图片/0.jpg?", "图片/1.jpg?", "图片/2.jpg?"]
    # Only the pictures differ: undo the change and the document is the same.
    assert map_images(changed, lambda image: Image(image.src[:-1], None, image.alt)) == map_images(
        document, lambda image: Image(image.src, None, image.alt)
    )
    assert changed.meta == document.meta
    assert [type(b) for b in changed.blocks] == [type(b) for b in document.blocks]


def test_map_images_and_walk_blocks_do_not_recurse_on_deep_trees(deep_quotes):
    document = Document(blocks=deep_quotes((Image("图片/0.jpg"),)))
    changed = map_images(document, lambda image: Image("新.jpg"))
    assert [image.src for image in changed.images()] == ["新.jpg"]
    assert sum(1 for _ in walk_blocks(changed.blocks)) == 5000 + 1  # the quotes and the picture


# ---------------------------------------------------------------- dates


def test_only_a_folder_date_with_a_year_is_a_calendar_date():
    assert full_date("2019-08-29") == datetime.date(2019, 8, 29)
    assert [full_date(v) for v in ("--08-29", None, "", "2019-02-30", "20190829")] == [None] * 5


# ---------------------------------------------------------------- JSON form


def test_every_node_type_round_trips_through_json(every_kind_of_node):
    document = Document(Metadata(title="题", category=("甲", "乙"), index=3), every_kind_of_node)
    text = to_json(document)
    assert from_json(text) == document
    assert {node["type"] for node in json.loads(text)["blocks"]} == {"heading", "paragraph", "image", "list", "quote", "table"}


def test_every_node_type_has_one_kind_name():
    assert set(KINDS.values()) == {
        "text", "strong", "emphasis", "link", "linebreak", "paragraph", "heading", "image", "list", "quote", "table",
    }


def test_another_schema_version_is_refused_by_name():
    data = json.loads(to_json(Document()))
    data["schema"] = "convert.document/0"
    with pytest.raises(ValueError, match=SCHEMA):
        from_json(json.dumps(data))


def test_an_unknown_node_type_in_json_is_a_value_error_naming_it():
    data = json.loads(to_json(Document(blocks=(Paragraph((Strong((Text("粗"),)),)),))))
    data["blocks"][0]["content"][0]["type"] = "blink"
    with pytest.raises(ValueError, match="unknown inline type 'blink'"):
        from_json(json.dumps(data))
    data["blocks"][0]["type"] = "marquee"
    with pytest.raises(ValueError, match="unknown block type 'marquee'"):
        from_json(json.dumps(data))


# ---------------------------------------------------------------- books


def book(loader, on_failure=None) -> Book:
    contents = (Chapter("a.txt", "甲"), Section("栏目", (Chapter("b.txt", "乙"),)), Chapter("c.txt", "丙"))
    return Book(BookMeta("书"), contents, loader, on_failure)


def test_a_chapter_that_cannot_be_read_is_reported_and_skipped():
    failed = []

    def loader(chapter: Chapter) -> Document:
        if chapter.key == "b.txt":
            raise ConvertError("cannot decode", chapter.key)
        return Document(Metadata(title=chapter.title))

    walked = [item.chapter.key if item.chapter else item.section.title for item in book(loader, lambda c, e: failed.append((c.key, str(e)))).walk()]
    assert walked == ["a.txt", "栏目", "c.txt"]
    assert failed == [("b.txt", "b.txt: cannot decode")]


def test_without_a_failure_handler_the_error_is_not_swallowed():
    def loader(chapter: Chapter) -> Document:
        raise ConvertError("cannot decode", chapter.key)

    with pytest.raises(ConvertError, match="cannot decode"):
        list(book(loader).walk())


def test_a_bug_in_the_loader_propagates_instead_of_costing_a_chapter():
    failed = []

    def loader(chapter: Chapter) -> Document:
        raise KeyError(chapter.key)  # a bug, not a bad article

    with pytest.raises(KeyError):
        list(book(loader, lambda c, e: failed.append(c.key)).walk())
    assert failed == []


def test_walk_contents_gives_every_node_in_reading_order_with_its_depth_without_recursion() -> None:
    from convert.model import Chapter, Section, walk_contents

    deep: Section | Chapter = Chapter("deep.txt", "deep")
    for i in range(5000):  # deeper than Python's recursion limit
        deep = Section(f"s{i}", (deep,))
    contents = (Section("a", (Chapter("a/1.txt", "1"), Section("b", (Chapter("a/b/2.txt", "2"),)))),
                Chapter("3.txt", "3"), deep)
    walked = [(depth, node.title) for depth, node in walk_contents(contents)]
    assert walked[:5] == [(0, "a"), (1, "1"), (1, "b"), (2, "2"), (0, "3")]
    assert walked[-1] == (5000, "deep") and len(walked) == 5 + 5001


def test_the_book_writers_walk_the_tree_through_walk_contents() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "convert"
    for name in ("writers/pdf/book.py", "writers/docx/book.py"):
        text = (root / name).read_text("utf-8")
        assert "walk_contents(" in text and "node.children" not in text, name
