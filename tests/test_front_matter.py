"""The Markdown front matter read back, character for character, by pandoc and by markdown-it-py.

pandoc reads YAML metadata strings as Markdown, so a plain quoted YAML string loses text
(``<<条例>>`` is read as raw HTML); the writer escapes the Markdown inside the quotes.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import string
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

import convert
from convert.model import Document, Metadata, text_paragraph
from convert.writers.markdown import MarkdownOptions, MarkdownWriter, markdown_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed (apt-get install pandoc)")

_markdown_it = MarkdownIt("commonmark").use(front_matter_plugin)

# Titles as crawled pages have them, and the characters that are markup somewhere in pandoc's Markdown.
TRICKY = [
    "《<<条例>>》解读：R&D投入与A<B的比较",
    "《<>》条例解读",
    '"引号" \'单引号\' ... -- --- 1) a) (a) i. A.  @cite [^1] ^上标^ ~下标~ $x$ `code` <b>粗</b> &amp; &#32; \\ \\*',
    "e.g. Mr. Smith 2019-08-29 5G-A 3.5% a_b_c _x_ *y* **z** # 井 #",
    "# 标题", "- 减", "+ 加", "> 引", "1. 一", "2019) 年", ": 冒号", "= 等", "| 表 |", "{.class}", "::: div",
    "  前后空格  ", "内部  两个空格", "全角\u3000空格", "不换行\u00a0空格", "制表\t符", "行\u2028分隔", "𠮷𩸽😀",
    "“0”", "学习“两会”，精神", "‘单’", "“嵌‘套’”", "http://example.com/a_b?c=d&e=f", "<https://x.cn>", "[链接](http://x)", "![图](x.png)", "a\\", "\\", "*", "-", ".",
]

# Any text a title could hold: every Unicode category but surrogates and the C0/C1 controls the
# reader drops, with ASCII punctuation and spaces made frequent.
_characters = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc")),
    st.sampled_from(string.punctuation + "  \t"),
    st.sampled_from("《》“”，。、：；！？（）…—条例解读"),
)
TITLES = st.text(_characters, min_size=1, max_size=40)


def document(title: str) -> Document:
    return Document(Metadata(title=title, source="a/b_c/2019-08-29/x.txt", category=("a", "b_c"), date="2019-08-29"),
                    (text_paragraph("正文"),))


def front_matter_of(markdown: str) -> dict[str, object]:
    tokens = _markdown_it.parse(markdown)
    assert tokens[0].type == "front_matter"  # not a rule and a heading
    return yaml.safe_load(tokens[0].content)


def commonmark_string(text: str) -> str:
    rendered = MarkdownIt("commonmark").renderInline(text)
    assert "<" not in rendered, rendered
    return html.unescape(rendered)


def pandoc_titles(titles: list[str]) -> list[str]:
    """Each title as pandoc reads it back from one Markdown file (one pandoc run for them all)."""
    heads = []
    for number, title in enumerate(titles):
        head = markdown_text(document(title)).split("\n---\n", 1)[0]
        heads.append(next(line for line in head.splitlines() if line.startswith("title: ")).replace("title", f"t{number}", 1))
    text = "---\n" + "\n".join(heads) + "\n---\n"
    done = subprocess.run([PANDOC, "-f", "markdown", "-t", "json"], input=text.encode("utf-8"), capture_output=True,
                          timeout=60, check=True)
    meta = json.loads(done.stdout)["meta"]
    return [_inlines(meta[f"t{number}"]) for number in range(len(titles))]


def _inlines(node: object) -> str:
    """The text of pandoc's JSON metadata value; any markup it made is shown as <Kind>, so it differs."""
    if isinstance(node, list):
        return "".join(_inlines(n) for n in node)
    assert isinstance(node, dict)
    kind, content = node["t"], node.get("c")
    if kind in ("Str", "MetaString"):
        return content
    if kind == "Space":
        return " "
    if kind in ("MetaInlines", "Plain", "Para"):
        return _inlines(content)
    if kind == "Quoted":
        # pandoc's smart quotes read “…” and ‘…’ (the straight ones are escaped) as a Quoted
        # node, which every pandoc writer prints as the same curly quotes.
        double = content[0]["t"] == "DoubleQuote"
        return ("“" if double else "‘") + _inlines(content[1]) + ("”" if double else "’")
    return f"<{kind}>"


@needs_pandoc
def test_pandoc_reads_the_tricky_titles_back_exactly():
    assert pandoc_titles(TRICKY) == TRICKY


@needs_pandoc
@settings(max_examples=int(os.environ.get('FRONT_MATTER_EXAMPLES', 40)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TITLES, min_size=1, max_size=25))
def test_pandoc_reads_any_title_back_exactly(titles):
    assert pandoc_titles(titles) == titles


@needs_pandoc
def test_pandoc_reads_every_field_of_the_seeds_back():
    fields = ("title", "source", "category", "date", "lang")
    for path in sorted(p for p in SEEDS.rglob("*.txt") if p.is_file()):
        doc = convert.read(path, root=SEEDS).document
        markdown = markdown_text(doc)
        meta = json.loads(subprocess.run([PANDOC, "-f", "markdown", "-t", "json"], input=markdown.encode("utf-8"),
                                         capture_output=True, timeout=60, check=True).stdout)["meta"]
        expected = {"title": doc.meta.title, "source": doc.meta.source, "category": "/".join(doc.meta.category) or None,
                    "date": doc.meta.date, "lang": doc.meta.language}
        assert {k: _inlines(meta[k]) for k in fields if k in meta} == {k: v for k, v in expected.items() if v}, path


@pytest.mark.parametrize("title", TRICKY)
def test_markdown_it_reads_the_front_matter_as_front_matter_and_the_title_exactly(title):
    assert commonmark_string(front_matter_of(markdown_text(document(title)))["title"]) == title


@settings(max_examples=300, deadline=None)
@given(TITLES)
def test_markdown_it_reads_any_title_back_exactly(title):
    meta = front_matter_of(markdown_text(document(title)))
    assert commonmark_string(meta["title"]) == title
    assert [commonmark_string(meta[k]) for k in ("source", "category", "date")] == [
        "a/b_c/2019-08-29/x.txt", "a/b_c", "2019-08-29"]


def test_the_front_matter_can_be_left_out_for_plain_commonmark_renderers(tmp_path):
    doc = document("标题")
    text = MarkdownWriter().render(doc, MarkdownOptions(front_matter=False)).data.decode("utf-8")
    assert text.startswith("# 标题\n")
    convert.write(doc, "md", tmp_path / "a.md", front_matter=False)
    assert MarkdownIt("commonmark").parse((tmp_path / "a.md").read_text("utf-8"))[0].type == "heading_open"
