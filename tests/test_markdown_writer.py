"""The Markdown writer, read back through a real CommonMark parser (markdown-it-py)."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import convert
from convert.model import Document, Heading, Image, LineBreak, Metadata, Paragraph, Text, plain_text, text_paragraph
from convert.writers.markdown import MarkdownOptions, MarkdownWriter, markdown_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden" / "md"
_parser = MarkdownIt("commonmark")


def split_front_matter(markdown: str) -> tuple[dict, str]:
    """The front matter's values as a reader of Markdown metadata (pandoc) gets them, and the body."""
    assert markdown.startswith("---\n")
    head, body = markdown[4:].split("\n---\n", 1)
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(": ")
        meta[key] = json.loads(value)  # the values are written so that a JSON parser reads them too
        if isinstance(meta[key], str):
            meta[key] = markdown_string(meta[key])
    return meta, body


def markdown_string(text: str) -> str:
    """What a CommonMark parser reads a one-line Markdown string as (escapes and references resolved)."""
    rendered = _parser.renderInline(text)
    assert "<" not in rendered, rendered  # no markup: text only
    return html.unescape(rendered)


def blocks_of(markdown: str) -> list[tuple[str, str]]:
    """(kind, text) for each heading, paragraph and image, as a CommonMark parser reads them."""
    out: list[tuple[str, str]] = []
    tokens = _parser.parse(markdown)
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        kind = tokens[i - 1].type.replace("_open", "")
        parts = []
        for child in token.children or []:
            if child.type in ("text", "code_inline", "html_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append("\n")
            elif child.type == "image":
                out.append(("image", child.attrs["src"]))
        if parts:
            out.append((kind, "".join(parts)))
    return out


def expected_blocks(document: Document) -> list[tuple[str, str]]:
    out = [("heading", document.meta.title)]
    for block in document.blocks:
        if isinstance(block, Paragraph):
            out.append(("paragraph", plain_text(block.content)))
        elif isinstance(block, Heading):
            out.append(("heading", plain_text(block.content)))
        elif isinstance(block, Image) and block.missing:
            out.append(("paragraph", f"[图片缺失: {block.src}]"))
        elif isinstance(block, Image):
            out.append(("image", f"article_files/{Path(block.src).name}"))
    return out


def test_every_paragraph_of_every_seed_comes_back_through_commonmark():
    for path in sorted(p for p in SEEDS.rglob("*.txt") if p.is_file()):
        doc = convert.read(path, root=SEEDS)
        if doc.meta.body_format == "html":
            continue  # lists and tables are checked separately
        meta, body = split_front_matter(markdown_text(doc))
        assert blocks_of(body) == expected_blocks(doc), path
        assert meta["title"] == doc.meta.title


def test_front_matter_carries_title_index_source_category_and_date():
    path = next(SEEDS.rglob("3市政府召开常务会议研究部署安全生产工作.txt"))
    meta, _ = split_front_matter(markdown_text(convert.read(path, root=SEEDS)))
    assert meta == {
        "title": "市政府召开常务会议研究部署安全生产工作",
        "index": 3,
        "source": "网络聚焦/本市新闻/2019-08-30/3市政府召开常务会议研究部署安全生产工作.txt",
        "category": "网络聚焦/本市新闻",
        "date": "2019-08-30",
        "lang": "zh-CN",
    }


def test_pictures_are_copied_beside_the_output_and_linked_relatively(tmp_path):
    source = next(p for p in SEEDS.rglob("45*.txt") if p.is_file())
    doc = convert.read(source, root=SEEDS)
    destination = tmp_path / "out" / "article.md"
    warnings = convert.write(doc, "md", destination)
    assert warnings == []
    links = [src for kind, src in blocks_of(destination.read_text("utf-8")) if kind == "image"]
    assert links == ["article_files/0.jpg", "article_files/1.jpg"]
    for link in links:
        assert (destination.parent / link).read_bytes() == (source.parent / "图片" / Path(link).name).read_bytes()
    assert "图片缺失" in destination.read_text("utf-8")  # the missing third picture stays visible


def test_markup_characters_are_text_not_markup():
    text = "*星* _下_ # 井 [x](javascript:alert(1)) <div>块</div> &amp; &nbsp; \\ `码` ~~删~~ | 竖"
    doc = Document(Metadata(title="# 标题 #"), (Paragraph((Text(text),)),))
    html = _parser.render(split_front_matter(markdown_text(doc))[1])
    assert "<em>" not in html and "<a " not in html and "<div>" not in html and "<code>" not in html
    assert blocks_of(split_front_matter(markdown_text(doc))[1]) == [("heading", "# 标题 #"), ("paragraph", text)]


def test_line_starts_that_would_become_blocks_stay_paragraph_text():
    for text in ["1. 一", "2019) 年", "# 井", "> 引", "- 减", "+ 加", "=== ", "---", "    四个空格"]:
        doc = Document(Metadata(title="t"), (Paragraph((Text("前"), LineBreak(), Text(text))),))
        assert blocks_of(split_front_matter(markdown_text(doc))[1])[1] == ("paragraph", "前\n" + text), text


@pytest.mark.parametrize("name", ["000_b01cef3071674085.txt", "不忘初心牢记使命/学习教育/7条例解读：研发投入比较.txt"])
def test_the_writer_matches_its_golden_file(name):
    source = SEEDS / name
    actual = markdown_text(convert.read(source, root=SEEDS))
    golden = GOLDEN / (Path(name).stem + ".md")
    if os.environ.get("CONVERT_REGENERATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, "utf-8")
    assert actual == golden.read_text("utf-8")


def test_an_image_with_no_file_is_a_visible_placeholder():
    doc = Document(Metadata(title="t"), (Image("图片/0.jpg"),))
    rendered = MarkdownWriter().render(doc, MarkdownOptions())
    assert rendered.resources == ()
    assert "图片/0.jpg" in _parser.render(rendered.data.decode())


_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
_pieces = st.sampled_from(["*", "_", "#", "[", "]", "(", ")", "<", ">", "&", "&amp;", "&#32;", "\\", "`", "!", "1.", "2)", "-", "+", "=", "|", "~", "  ", "\n", "😀", "𠮷", "\u3000", "http://x.cn"])
_texts = st.lists(st.one_of(st.text(_chars, max_size=20), _pieces), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts=st.lists(_texts, min_size=1, max_size=4))
def test_any_text_survives_markdown_and_commonmark(texts):
    # The reader hands writers stripped, non-blank paragraphs with newlines as line breaks.
    paragraphs = [text_paragraph(t.strip(" \t\n\u3000")) for t in texts]
    paragraphs = [p for p in paragraphs if plain_text(p.content).strip()]
    doc = Document(Metadata(title="标题"), tuple(paragraphs))
    got = blocks_of(split_front_matter(markdown_text(doc))[1])
    assert got == expected_blocks(doc)


def test_two_pictures_with_one_name_in_different_folders_are_both_kept(tmp_path):
    for folder, colour in (("a", b"A"), ("b", b"B")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "1.jpg").write_bytes(colour)
    doc = Document(Metadata(title="t"), (Image("a/1.jpg", str(tmp_path / "a" / "1.jpg")), Image("b/1.jpg", str(tmp_path / "b" / "1.jpg"))))
    rendered = MarkdownWriter().render(doc, MarkdownOptions(), tmp_path / "out" / "x.md")
    assert [(r.relpath, r.data) for r in rendered.resources] == [("x_files/0.jpg", b"A"), ("x_files/1.jpg", b"B")]
