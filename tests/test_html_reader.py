"""The generic HTML reader: bodies that are not the crawler template, and hostile markup."""

from __future__ import annotations

import time

from convert.jsonform import to_json
from convert.model import Emphasis, Heading, Image, LineBreak, Link, ListBlock, Paragraph, Quote, Strong, Table, Text, plain_text
from convert.readers.html import parse_fragment, read_html, safe_href


def texts(blocks) -> list[str]:
    return [plain_text(b.content) for b in blocks if isinstance(b, (Paragraph, Heading))]


def test_paragraphs_headings_lists_quotes_and_tables_map_to_the_model():
    blocks, _ = parse_fragment(
        "<h1>标题一</h1><p>段落<strong>加粗</strong><em>强调</em><a href='https://www.gov.cn/'>链接</a><br>第二行</p>"
        "<ol><li>甲</li><li><p>乙</p></li></ol><blockquote><p>引文</p></blockquote>"
        "<table><thead><tr><th>项</th><th>值</th></tr></thead><tr><td>人口</td><td>14亿</td></tr></table>"
    )
    heading, paragraph, listing, quote, table = blocks
    assert heading == Heading(1, (Text("标题一"),))
    assert paragraph.content == (
        Text("段落"), Strong((Text("加粗"),)), Emphasis((Text("强调"),)), Link((Text("链接"),), "https://www.gov.cn/"), LineBreak(), Text("第二行"),
    )
    assert isinstance(listing, ListBlock) and listing.ordered and len(listing.items) == 2
    assert isinstance(quote, Quote) and texts(quote.blocks) == ["引文"]
    assert isinstance(table, Table) and table.header_rows == 1 and len(table.rows) == 2


def test_the_typed_indent_and_html_white_space_are_not_text():
    blocks, _ = parse_fragment("<p>\u3000\u3000第一段\n  续行</p>")
    assert texts(blocks) == ["第一段 续行"]


def test_scripts_styles_and_event_handlers_never_reach_the_model():
    blocks, diags = parse_fragment(
        "<p onclick='steal()'>正文<script>alert(1)</script><style>p{color:red}</style>"
        "<a href=' JaVaScript:alert(2)'>点我</a><a href='data:text/html,x'>数据</a><iframe src='x'></iframe></p>"
    )
    dumped = to_json_blocks(blocks)
    for bad in ("alert", "steal", "color:red", "javascript", "data:", "iframe"):
        assert bad not in dumped.lower()
    assert texts(blocks) == ["正文点我数据"]
    assert any(d.code == "dropped-html" for d in diags)


def to_json_blocks(blocks) -> str:
    from convert.model import Document

    return to_json(Document(blocks=tuple(blocks)))


def test_safe_hrefs_keep_web_links_and_drop_script_schemes():
    assert safe_href("https://www.gov.cn/a?b=1") == "https://www.gov.cn/a?b=1"
    assert safe_href("mailto:x@y.cn") == "mailto:x@y.cn"
    assert safe_href("附件/1.doc") == "附件/1.doc"
    for bad in ("javascript:alert(1)", " java\tscript:x", "vbscript:x", "data:text/html;base64,xx", "file:///etc/passwd"):
        assert safe_href(bad) is None


def test_remote_images_are_never_fetched():
    (image,) = [b for b in parse_fragment("<p><img src='http://evil.example/x.jpg' alt='图'></p>")[0] if isinstance(b, Image)]
    assert image.path is None and not image.src.startswith("http")


def test_markup_nested_100000_deep_keeps_its_text_quickly():
    started = time.perf_counter()
    blocks, diags = parse_fragment("<div>" * 100_000 + "深层文字" + "</div>" * 100_000 + "<p>之后</p>")
    assert time.perf_counter() - started < 5
    assert texts(blocks) == ["深层文字", "之后"]
    assert any(d.code == "flattened-html" for d in diags)


def test_unclosed_inline_tags_100000_deep_do_not_recurse():
    blocks, _ = parse_fragment("<b>" * 100_000 + "粗体")
    assert texts(blocks) == ["粗体"]


def test_entity_definitions_in_a_doctype_are_never_expanded():
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    markup = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "lol">{laughs}]><p>&l9;</p>'
    started = time.perf_counter()
    blocks, _ = parse_fragment(markup)
    assert time.perf_counter() - started < 2
    assert texts(blocks) == ["&l9;"]


def test_truncated_markup_keeps_what_is_there():
    assert texts(parse_fragment("<p>第一段</p><p>截断<span style='x")[0]) == ["第一段", "截断"]


def test_a_standalone_html_file_reads_title_and_body(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>网页标题</title></head><body><p>正文。</p></body></html>", "utf-8")
    doc = read_html(page).document
    assert doc.meta.title == "网页标题" and texts(doc.blocks) == ["正文。"]


def test_a_standalone_html_file_above_max_size_is_refused_before_it_is_read(tmp_path):
    import pytest

    from convert.errors import InputTooLargeError

    page = tmp_path / "big.html"
    page.write_text("<p>" + "字" * 1000 + "</p>", "utf-8")
    with pytest.raises(InputTooLargeError):
        read_html(page, max_size=100)
