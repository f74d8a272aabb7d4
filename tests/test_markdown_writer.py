"""The Markdown writer, read back through a real CommonMark parser (markdown-it-py)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import convert
from convert import labels
from convert.model import (
    Document,
    Emphasis,
    Image,
    LineBreak,
    Link,
    ListBlock,
    Metadata,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
    plain_text,
    text_paragraph,
)
from convert.visit import walk
from convert.writers.markdown import MarkdownOptions, MarkdownWriter, markdown_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden" / "md"
# CommonMark, and GFM tables (the writer writes pipe tables, which CommonMark reads as text).
_parser = MarkdownIt("commonmark").enable("table")


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
    """(where, text) for each run of text as a CommonMark parser (with GFM tables) reads it:
    ``where`` is the path of open elements (``ol/li/p``, ``blockquote/p``, ``table/thead/tr/th``),
    and each picture is ("image", its link)."""
    out: list[tuple[str, str]] = []
    path: list[str] = []
    for token in _parser.parse(markdown):
        if token.nesting == 1:
            path.append(token.tag)
        elif token.nesting == -1:
            path.pop()
        elif token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline", "html_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
                elif child.type == "image":
                    out.append(("image", child.attrs["src"]))
            if parts:
                out.append(("/".join(path), "".join(parts)))
    return out


def expected_blocks(document: Document) -> list[tuple[str, str]]:
    """What :func:`blocks_of` must find for ``document``, from the model alone."""
    out = [("h1", document.meta.title)] if document.meta.title else []
    path: list[str] = []
    pictures = row = 0
    for step in walk(document.blocks):
        node, kind = step.node, step.kind
        if kind in ("text", "strong", "emphasis", "link", "linebreak", "unknown"):
            continue  # inside a paragraph, heading or cell: taken whole below
        if not step.entering:
            if kind == "row":
                del path[-2:]
            elif kind != "image":
                path.pop()
            continue
        if kind == "image":
            if node.missing:
                out.append(("/".join([*path, "p"]), f"[{labels.SIMPLIFIED.missing(node.src)}]"))
            else:
                out.append(("image", f"article_files/{pictures}{Path(node.path).suffix.lower()}"))
            pictures += 1
            continue
        if kind == "row":
            row = step.index
            path += ["thead" if row == 0 and node.header_rows else "tbody", "tr"]
            continue
        if kind == "heading":
            path.append(f"h{min(node.level + 1, 6)}")
        elif kind == "cell":
            path.append("th" if path[-2] == "thead" else "td")
        elif kind == "list":
            path.append("ol" if node.ordered else "ul")
        else:
            path.append({"item": "li", "quote": "blockquote", "paragraph": "p", "table": "table"}[kind])
        if kind in ("paragraph", "heading", "cell"):
            content = node.rows[row][step.index] if kind == "cell" else node.content
            text = plain_text(content)
            if text:
                out.append(("/".join(path), text.replace("\n", " ") if kind != "paragraph" else text))
    return out


def test_every_paragraph_of_every_seed_comes_back_through_commonmark(seed_file):
    doc = convert.read(seed_file, root=SEEDS).document
    meta, body = split_front_matter(markdown_text(doc))
    assert blocks_of(body) == expected_blocks(doc)
    assert meta["title"] == doc.meta.title


def test_front_matter_carries_title_index_source_category_and_date():
    path = next(SEEDS.rglob("3市政府召开常务会议研究部署安全生产工作.txt"))
    meta, _ = split_front_matter(markdown_text(convert.read(path, root=SEEDS).document))
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
    doc = convert.read(source, root=SEEDS).document
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
    assert blocks_of(split_front_matter(markdown_text(doc))[1]) == [("h1", "# 标题 #"), ("p", text)]


def test_line_starts_that_would_become_blocks_stay_paragraph_text():
    for text in ["1. 一", "2019) 年", "# 井", "> 引", "- 减", "+ 加", "=== ", "---", "    四个空格"]:
        doc = Document(Metadata(title="t"), (Paragraph((Text("前"), LineBreak(), Text(text))),))
        assert blocks_of(split_front_matter(markdown_text(doc))[1])[1] == ("p", "前\n" + text), text


@pytest.mark.parametrize("name", ["000_b01cef3071674085.txt", "不忘初心牢记使命/学习教育/7条例解读：研发投入比较.txt"])
def test_the_writer_matches_its_golden_file(name, regenerate_golden):
    source = SEEDS / name
    actual = markdown_text(convert.read(source, root=SEEDS).document)
    golden = GOLDEN / (Path(name).stem + ".md")
    if regenerate_golden:
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
# Found by this test (fixed in 1a0dcc6): white space that ends a line was stripped by CommonMark.
@example(texts=["前\n\u00a0"])
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


# ---------------------------------------------------------------- lists, quotes, tables, links


def body_of(document: Document) -> str:
    return split_front_matter(markdown_text(document))[1]


def test_lists_and_quotes_keep_their_nesting_and_their_text():
    doc = Document(Metadata(title="结构"), (
        ListBlock(True, (
            (text_paragraph("第一项"),),
            (text_paragraph("第二项"), Quote((text_paragraph("项里的引文"),)), ListBlock(False, ((text_paragraph("子项"),),))),
        )),
        Quote((text_paragraph("引文一"), text_paragraph("1. 引文二\n第二行"))),
        ListBlock(False, ((text_paragraph("- 像列表的文字"),), ())),
    ))
    assert blocks_of(body_of(doc)) == [
        ("h1", "结构"),
        ("ol/li/p", "第一项"), ("ol/li/p", "第二项"), ("ol/li/blockquote/p", "项里的引文"), ("ol/li/ul/li/p", "子项"),
        ("blockquote/p", "引文一"), ("blockquote/p", "1. 引文二\n第二行"),
        ("ul/li/p", "- 像列表的文字"), ("ul/li/p", " "),  # an empty item holds a space, or it would end the list
    ]
    items = [t for t in _parser.parse(body_of(doc)) if t.type == "list_item_open"]
    assert len(items) == 5  # the empty item is an item too


def test_tables_are_pipe_tables_with_their_header_and_every_cell():
    table = Table((
        ((Text("项目"),), (Text("数量|单位"),)),
        ((Text("甲"),), (Strong((Text("3"),)),)),
        ((Text("乙"), LineBreak(), Text("丙")),),  # a short row and a line break inside a cell
    ), header_rows=1)
    body = body_of(Document(Metadata(title="表"), (table,)))
    assert blocks_of(body) == [
        ("h1", "表"),
        ("table/thead/tr/th", "项目"), ("table/thead/tr/th", "数量|单位"),
        ("table/tbody/tr/td", "甲"), ("table/tbody/tr/td", "3"),
        ("table/tbody/tr/td", "乙 丙"),
    ]
    marks = [c.type for t in _parser.parse(body) if t.type == "inline" for c in t.children if c.type.startswith("strong")]
    assert marks == ["strong_open", "strong_close"]
    headless = body_of(Document(Metadata(), (Table((((Text("格"),),),)),)))
    assert blocks_of(headless) == [("table/tbody/tr/td", "格")]


def test_links_keep_their_target_and_text_and_styles_their_marks():
    href = "https://例子.cn/a b(1)?q=<x>&y=\\z"
    doc = Document(Metadata(), (Paragraph((
        Text("见"), Link((Text("通知"), Emphasis((Text("全文"),))), href), Text("和"), Strong((Text("附件"),)),
    )),))
    [inline] = [t for t in _parser.parse(body_of(doc)) if t.type == "inline"]
    shape = [(c.type, c.content or c.attrs.get("href", "")) for c in inline.children if c.type != "text" or c.content]
    assert shape == [
        ("text", "见"), ("link_open", _parser.normalizeLink(href)), ("text", "通知"), ("em_open", ""), ("text", "全文"),
        ("em_close", ""), ("link_close", ""), ("text", "和"), ("strong_open", ""), ("text", "附件"), ("strong_close", ""),
    ]
