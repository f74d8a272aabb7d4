"""The HTML writer: a standalone HTML5 page with the EPUB's body and CSS, pictures beside it."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from xhtml_samples import MARKUP_TEXT, TEXT, XHTML, expected_paragraphs, make_pictures, paragraphs_of, synthetic_documents

import convert
from convert import transforms, typography
from convert.model import Document, Metadata, text_paragraph
from convert.writers import get_writer
from convert.writers.epub import EpubOptions, EpubWriter
from convert.writers.html import HtmlOptions, HtmlWriter
from convert.writers.xhtml import reading_css

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_b01cef3071674085.txt"  # the real example
GOLDEN = Path(__file__).parent / "golden" / "html"
WRITER = HtmlWriter()


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    return synthetic_documents(make_pictures(tmp_path_factory.mktemp("pictures")))


def page(document: Document, destination: Path | None = None) -> tuple[lxml.html.HtmlElement, bytes]:
    data = WRITER.render(transforms.prepare(document).document, HtmlOptions(), destination).data
    return lxml.html.document_fromstring(data), data


def test_the_page_is_standalone_html5_in_chinese_with_the_reading_css_inline() -> None:
    document = convert.read(SAMPLE, root=ROOT / "seeds").document
    root, data = page(document)
    assert data.startswith(b"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">")
    assert root.findtext(".//head/title") == document.meta.title
    assert root.findtext(".//body//h1") == document.meta.title
    from convert.writers.html import PAGE_CSS

    assert root.findtext(".//head/style").strip() == (reading_css() + PAGE_CSS).strip()
    assert "max-width: 40em" in PAGE_CSS  # a readable measure in a wide browser window
    assert not root.findall(".//link") and not root.findall(".//script")


def test_a_page_without_a_title_is_named_like_the_epub_by_its_source_file() -> None:
    untitled = Document(Metadata(source="网络聚焦/本市新闻/无题\x01文章.txt"), (text_paragraph("正文"),))
    root, _ = page(untitled)
    assert root.findtext(".//head/title") == "无题文章"
    with zipfile.ZipFile(io.BytesIO(EpubWriter().render(transforms.prepare(untitled).document, EpubOptions()).data)) as epub:
        assert "<dc:title>无题文章</dc:title>" in epub.read("EPUB/content.opf").decode()
    assert page(Document(Metadata(), (text_paragraph("正文"),)))[0].findtext(".//head/title") == "无标题"


def test_every_paragraph_of_every_seed_comes_back_in_order(seed_file: Path) -> None:
    document = convert.read(seed_file, root=ROOT / "seeds").document
    root, _ = page(document)
    assert paragraphs_of(root, ns="") == expected_paragraphs(document)


@pytest.mark.parametrize("name", ["empty_body", "empty_everything", "markup_text", "control_chars", "ext_b",
                                  "pictures", "bad_pictures", "rich", "deep"])
def test_awkward_documents_give_a_page_holding_every_paragraph(name: str, samples: dict, tmp_path: Path) -> None:
    document = samples[name]
    target = tmp_path / "page.html"
    stage = transforms.prepare(document)
    warnings = [*stage.diagnostics, *WRITER.write(stage.document, target)]
    root = lxml.html.document_fromstring(target.read_bytes())
    assert paragraphs_of(root, ns="") == expected_paragraphs(document)
    assert root.get("lang") == "zh-CN"
    # The standard library's parser reads the same paragraphs (a second, independent consumer).
    assert _stdlib_paragraphs(target.read_text(encoding="utf-8")) == expected_paragraphs(document)
    if name == "control_chars":
        assert [w.code for w in warnings] == ["dropped-control-chars"]


def test_markup_like_text_is_escaped_never_markup(samples: dict) -> None:
    root, data = page(samples["markup_text"])
    assert not root.findall(".//script") and not root.findall(".//body//b")
    assert paragraphs_of(root, ns="")[0] == MARKUP_TEXT
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in data
    assert data.count(b"<script") == 0


def test_pictures_are_copied_beside_the_page_and_linked_relatively(samples: dict, tmp_path: Path) -> None:
    target = tmp_path / "网络聚焦" / "图片 文章.html"
    WRITER.write(samples["pictures"], target)
    root = lxml.html.document_fromstring(target.read_bytes())
    sources = [img.get("src") for img in root.iter("img")]
    assert len(sources) == 5
    for src in sources:
        assert not src.startswith(("/", "file:")) and " " not in src
        assert (target.parent / unquote(src)).is_file()
    assert unquote(sources[0]) == "图片 文章_files/0.jpg"
    assert (target.parent / "图片 文章_files" / "0.jpg").read_bytes() == (
        Path(samples["pictures"].blocks[1].path).read_bytes()
    )
    assert unquote(sources[1]).endswith("1.png")  # a PNG named .jpg keeps its real type


def test_a_missing_picture_is_a_visible_placeholder(samples: dict) -> None:
    root, _ = page(samples["bad_pictures"])
    placeholders = root.find_class("missing")
    assert len(placeholders) == 4 and "图片缺失" in placeholders[0].text_content()
    assert not root.findall(".//img")


def test_links_from_the_model_are_kept_relative_ones_too(samples: dict) -> None:
    root, _ = page(samples["rich"])
    hrefs = [a.get("href") for a in root.iter("a")]
    # The serialiser percent-encodes what a URL may not hold (the space); nothing else changes.
    assert hrefs == ["http://www.xinhuanet.com/a%20b?x=1&y=2", "../other.html", "mailto:news@example.cn"]


def test_the_page_body_is_the_epub_chapter_body(samples: dict) -> None:
    """Same elements, same text, same attributes (but the pictures' locations) in both formats."""
    for name in ("rich", "pictures", "markup_text"):
        document = samples[name]
        html_root, _ = page(document)
        epub = EpubWriter().render(document, EpubOptions()).data
        import io

        with zipfile.ZipFile(io.BytesIO(epub)) as z:
            chapter = etree.fromstring(z.read("EPUB/text/article.xhtml"))

        def shape(root: etree._Element, ns: str) -> list[tuple]:
            body = root.find(ns + "body")
            if ns == "":
                body = body.find("article")
            return [(el.tag.removeprefix(ns), (el.text or "").strip(), el.get("class"), el.get("alt"))
                    for el in body.iter() if isinstance(el.tag, str) and el is not body and el.tag not in (ns + "a", ns + "span")]

        assert shape(html_root, "") == shape(chapter, XHTML), name


def test_the_same_input_gives_identical_bytes(samples: dict) -> None:
    for name in ("pictures", "rich"):
        assert WRITER.render(samples[name], HtmlOptions()).data == WRITER.render(samples[name], HtmlOptions()).data


def test_the_writer_is_registered_and_ignores_options_it_does_not_have() -> None:
    writer = get_writer("html")
    assert isinstance(writer, HtmlWriter) and writer.extension == ".html"
    options = writer.options_from({"page_size": "A4", "cjk_font": "KaiTi", "embed_font": True, "latin_font": None})
    assert options == HtmlOptions(cjk_font="KaiTi")
    css = writer.render(Document(Metadata(title="t")), options).data.decode()
    assert re.search(r'font-family: "KaiTi", "SimSun"', css)


def test_output_matches_the_golden_pages(samples: dict, regenerate_golden: bool) -> None:
    cases = {
        "sample": convert.read(SAMPLE, root=ROOT / "seeds").document,
        "rich": samples["rich"],
        "markup_text": samples["markup_text"],
    }
    for name, document in cases.items():
        data = WRITER.render(document, HtmlOptions(), Path(f"{name}.html")).data
        golden = GOLDEN / f"{name}.html"
        if regenerate_golden:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(data)
        assert data == golden.read_bytes(), f"{name} differs from {golden}"




@settings(max_examples=150, deadline=None)
@given(title=TEXT, paragraphs=st.lists(TEXT, max_size=4))
def test_any_text_comes_back_from_the_page_in_order(title: str, paragraphs: list[str]) -> None:
    document = Document(Metadata(title=title), tuple(text_paragraph(p) for p in paragraphs))
    root, _ = page(document)
    assert paragraphs_of(root, ns="") == expected_paragraphs(document)
    shown = typography.normalize_space(typography.strip_illegal(title)[0])  # the stage strips first
    if shown:
        assert root.findtext(".//body//h1") == shown


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "p":
            self.out.append("")
            self.depth += 1
        elif tag == "br" and self.depth:
            self.out[-1] += "\n"

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.out[-1] += data


def _stdlib_paragraphs(text: str) -> list[str]:
    parser = _Paragraphs()
    parser.feed(text)
    parser.close()
    return parser.out
