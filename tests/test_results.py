"""Readers return a result (the document and their messages), writers return theirs, and
whoever runs them merges the two once: a message is never inside the document, so no writer
can see or repeat a reader's (issue 16, point 3)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import convert
from convert.batch import convert_tree
from convert.book import write_book
from convert.diagnostics import CODES
from convert.jsonform import SCHEMA, from_dict, from_json, to_dict, to_json
from convert.model import Book, BookMeta, Chapter, Document, Image, Metadata, Paragraph, ReadResult, Text
from convert.readers import parse, read_html, read_seed
from convert.single import Source, convert_one
from convert.writers import available_formats, get_writer

MARKER = "---------------------------------------- \n-------------------这里有图片------------ \n---------------------------------------- \n"
#: Every code only a reader reports: a writer that emits one repeats the reader.
READER_CODES = {name for name, code in CODES.items() if code.source == "reader"}
ALL_FORMATS = ",".join(available_formats())


def codes(diagnostics: object) -> list[str]:
    return [d.code for d in diagnostics]  # type: ignore[attr-defined]


@pytest.fixture
def picture_seed(tmp_path: Path, unit: Callable[..., str]) -> Path:
    """An article with a picture the reader finds missing and one only a writer finds unreadable."""
    art = tmp_path / "in" / "3两张图"
    (art / "图片").mkdir(parents=True)
    (art / "图片" / "0.jpg").write_bytes(b"\xff\xd8\xff not a picture")  # a regular file: the reader takes it
    path = art / "3两张图.txt"
    path.write_text("3两张图.txt\n" + unit("一。") + MARKER + unit("二。") + MARKER, "utf-8")
    return path


@pytest.fixture
def empty_seed(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "1只有标题.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("只有标题\n", "utf-8")
    return path


# ---------------------------------------------------------------- readers


def test_a_reader_returns_its_messages_in_the_result_and_none_in_the_document(picture_seed: Path) -> None:
    result = convert.read(picture_seed, root=picture_seed.parent.parent)
    assert isinstance(result, ReadResult) and isinstance(result.document, Document)
    assert codes(result.diagnostics) == ["missing-image"]
    assert "picture 图片/1.jpg is missing" in result.diagnostics[0].message
    assert "diagnostics" not in {f.name for f in dataclasses.fields(Document)}
    # Every entry point gives the same result: convert.read, the seed reader, parse from bytes.
    assert read_seed(picture_seed, root=picture_seed.parent.parent) == result
    assert parse(picture_seed.read_bytes(), picture_seed, root=picture_seed.parent.parent) == result
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.diagnostics = ()  # type: ignore[misc]


def test_the_html_reader_returns_a_result_and_says_empty_body_itself(tmp_path: Path) -> None:
    page = tmp_path / "空页.html"
    page.write_text("<html><head><title>空页</title></head><body></body></html>", "utf-8")
    result = read_html(page)
    assert isinstance(result, ReadResult) and result.document.meta.title == "空页"
    assert codes(result.diagnostics) == ["empty-body"]
    assert convert.read(page) == result


def test_convert_write_takes_the_result_and_gives_the_reader_s_messages_first(picture_seed: Path, tmp_path: Path) -> None:
    result = convert.read(picture_seed, root=picture_seed.parent.parent)
    warnings = convert.write(result, "docx", tmp_path / "out" / "a.docx")
    assert codes(warnings) == ["missing-image", "unreadable-image"]  # the reader's, then the writer's
    assert convert.write(result.document, "docx", tmp_path / "out" / "b.docx") == warnings[1:]


# ---------------------------------------------------------------- writers


@pytest.mark.parametrize("fmt", available_formats())
def test_a_writer_never_emits_a_reader_s_code(fmt: str, tmp_path: Path) -> None:
    # Made by hand, so no reader said anything: a writer that reported the missing picture or
    # the empty body itself would repeat the reader in every real run.
    documents = {
        "missing picture": Document(Metadata(title="缺图"), (Paragraph((Text("正文。"),)), Image("图片/0.jpg", None))),
        "empty": Document(Metadata(title="只有标题")),
    }
    writer = get_writer(fmt)
    for name, document in documents.items():
        rendered = writer.render(document, writer.make_options(), tmp_path / f"{name}{writer.extension}")
        assert READER_CODES.isdisjoint(codes(rendered.diagnostics)), (fmt, name, rendered.diagnostics)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub", "ofd"])
def test_a_book_writer_never_emits_a_reader_s_code(fmt: str) -> None:
    chapters = {"a.txt": Document(Metadata(title="空")),
                "b.txt": Document(Metadata(title="缺图"), (Image("图片/0.jpg", None),))}
    book = Book(BookMeta("书"), tuple(Chapter(key, d.meta.title) for key, d in chapters.items()),
                lambda chapter: chapters[chapter.key])
    writer = get_writer(fmt)
    rendered = writer.render_book(book, writer.make_options())
    assert READER_CODES.isdisjoint(codes(rendered.diagnostics)), rendered.diagnostics


# ---------------------------------------------------------------- the batch, one file, books: merged once


def test_an_empty_seed_gets_exactly_one_empty_warning_in_the_batch_report(empty_seed: Path, tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    report = convert_tree(empty_seed.parent, ALL_FORMATS, tmp_path / "out", jobs=1, report=report_path)
    (result,) = report.results
    assert [c for c in codes(result.diagnostics) if c.startswith("empty-")] == ["empty-body"]
    (entry,) = json.loads(report_path.read_text("utf-8"))["files"]
    assert [w["code"] for w in entry["warnings"]] == ["empty-body"]


def test_the_batch_gives_the_reader_s_messages_then_the_writers_each_once(picture_seed: Path, tmp_path: Path) -> None:
    report = convert_tree(picture_seed.parent.parent, "docx,html,pdf,epub,ofd,md", tmp_path / "out", jobs=1)
    (result,) = report.results
    # the bad picture: every writer says it in the same words (writers.pictures.unreadable), so once
    assert codes(result.diagnostics) == ["missing-image", "unreadable-image"]
    assert result.diagnostics[1].message.endswith("; a placeholder stands in its place")


def test_one_file_gets_exactly_one_empty_warning(empty_seed: Path, tmp_path: Path) -> None:
    targets = [(fmt, tmp_path / f"out.{fmt}") for fmt in ("pdf", "docx", "ofd", "md")]
    result = convert_one(Source(empty_seed), targets, {}, max_size=None, timeout=None)
    assert codes(result.diagnostics) == ["empty-body"]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_book_reports_an_empty_article_once(empty_seed: Path, tmp_path: Path, unit: Callable[..., str], fmt: str) -> None:
    (empty_seed.parent / "2有正文.txt").write_text("有正文\n" + unit("正文。"), "utf-8")
    report = write_book([empty_seed.parent], tmp_path / f"book.{fmt}")
    assert [(d.code, d.message) for d in report.diagnostics] == [
        ("empty-body", "1只有标题.txt: the article has a title but no body text")]


# ---------------------------------------------------------------- the JSON form, schema 3


def test_json_schema_3_holds_the_document_only_and_round_trips(every_kind_of_node: tuple) -> None:
    document = Document(Metadata(title="标题", index=3, category=("网络聚焦",)), every_kind_of_node)
    data = to_dict(document)
    assert SCHEMA == "convert.document/3" and data["schema"] == SCHEMA
    assert set(data) == {"schema", "meta", "blocks"}
    assert from_json(to_json(document)) == document


def test_the_json_writer_writes_schema_3_which_reads_back(picture_seed: Path, tmp_path: Path) -> None:
    result = convert.read(picture_seed, root=picture_seed.parent.parent)
    out = tmp_path / "a.json"
    assert codes(convert.write(result, "json", out)) == ["missing-image"]  # the reader's, not in the file
    data = json.loads(out.read_text("utf-8"))
    assert data["schema"] == "convert.document/3" and "diagnostics" not in data
    assert from_json(out.read_text("utf-8")).meta == result.document.meta


def test_a_schema_2_document_still_loads_without_its_diagnostics() -> None:
    document = Document(Metadata(title="旧"), (Paragraph((Text("正文。"),)),))
    old = to_dict(document)
    old["schema"] = "convert.document/2"
    old["diagnostics"] = [{"level": "warning", "code": "empty-body", "message": "旧的"}]
    assert from_dict(old) == document
    old["schema"] = "convert.document/9"
    with pytest.raises(ValueError, match="convert.document/9"):
        from_dict(old)
