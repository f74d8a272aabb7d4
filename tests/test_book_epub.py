"""Book mode as EPUB: the seeds tree as one book that EPUBCheck passes clean."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from epubcheck_batch import check_epubs, describe
from lxml import etree
from xhtml_samples import expected_paragraphs, paragraphs_of

import convert
from convert.book import plan_book, write_book

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("books")
    corpus = folder / "corpus"
    # The seeds plus one broken article: it is left out and reported, the book still written.
    import shutil

    shutil.copytree(SEEDS, corpus)
    (corpus / "网络聚焦" / "坏文件.txt").write_bytes(b"\xff\xd8\xff\xe0 not an article")
    plain = write_book([corpus], folder / "seeds.epub", title="种子文集", author="编辑部")
    embedded = write_book([SEEDS], folder / "embedded.epub", embed_font=True)
    return corpus, {"plain": plain, "embedded": embedded}


def test_every_book_passes_epubcheck_with_no_errors_and_no_warnings(books, tmp_path):
    _, reports = books
    results = check_epubs([r.output for r in reports.values()], tmp_path)
    for path, messages in results.items():
        assert messages == [], f"{path}:\n{describe(messages)}"


def test_a_broken_article_is_left_out_and_reported(books, seed_files):
    corpus, reports = books
    report = reports["plain"]
    assert report.failed
    assert [Path(source).name for source, _ in report.failures] == ["坏文件.txt"]
    assert report.chapters == len(seed_files)


def test_every_article_is_a_chapter_with_every_paragraph_in_order(books):
    corpus, reports = books
    book = plan_book([corpus])
    with zipfile.ZipFile(reports["plain"].output) as epub:
        spine = [n for n in sorted(epub.namelist()) if n.startswith("EPUB/text/ch")]
        assert len(spine) == reports["plain"].chapters
        for name, item in zip(spine, [i for i in book.walk() if i.chapter], strict=True):
            root = etree.fromstring(epub.read(name))
            assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
            assert paragraphs_of(root) == expected_paragraphs(item.document), name


def test_the_navigation_nests_articles_under_their_folders(books):
    _, reports = books
    with zipfile.ZipFile(reports["plain"].output) as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        ncx = etree.fromstring(epub.read("EPUB/toc.ncx"))
    entries = {}
    for li in nav.iter(XHTML + "li"):
        a = li.find(XHTML + "a")
        depth = sum(1 for _ in li.iterancestors(XHTML + "ol")) - 1
        entries[a.text] = depth
    assert entries["网络聚焦"] == 0 and entries["国际新闻"] == 1 and entries["2019-08-29"] == 2
    assert entries["联合国秘书长呼吁各方保持克制"] == 3
    assert entries["全省主题教育推进会在太原召开"] == 2
    nav_points = ncx.findall(".//{http://www.daisy.org/z3986/2005/ncx/}navPoint")
    assert len(nav_points) == len(entries)


def test_the_book_carries_its_title_author_language_and_a_stable_identifier(books, tmp_path):
    corpus, reports = books
    with zipfile.ZipFile(reports["plain"].output) as epub:
        opf = epub.read("EPUB/content.opf").decode()
    assert "<dc:title>种子文集</dc:title>" in opf and "<dc:creator" in opf and "编辑部" in opf
    assert "<dc:language>zh-CN</dc:language>" in opf
    again = write_book([corpus], tmp_path / "again.epub", title="种子文集", author="编辑部")
    assert again.output.read_bytes() == reports["plain"].output.read_bytes()


def test_embed_font_subsets_over_the_whole_book(books):
    _, reports = books
    with zipfile.ZipFile(reports["embedded"].output) as epub:
        fonts = [n for n in epub.namelist() if n.endswith(".ttf")]
        assert fonts and all(epub.getinfo(n).file_size < 2_000_000 for n in fonts)


def test_a_format_without_book_mode_is_a_clear_error(tmp_path):
    with pytest.raises(convert.ConvertError, match="no book mode"):
        write_book([SEEDS], tmp_path / "book.md")


def test_control_characters_in_a_folder_name_and_the_author_are_dropped_and_reported(tmp_path):
    corpus = tmp_path / "corpus"
    folder = corpus / "坏\x01目录"
    folder.mkdir(parents=True)
    (folder / "文章.txt").write_text("标题\n<div>正文。</div>", encoding="utf-8")
    (corpus / "另一篇.txt").write_text("另一篇\n<div>正文。</div>", encoding="utf-8")
    report = write_book([corpus], tmp_path / "book.epub", author="编\x02辑部")
    assert not report.failed
    notes = [d.message for d in report.diagnostics if d.code == "dropped-control-chars"]
    # once for the book (folder name, author), once for the article (its category and source path)
    assert "the book's title, author or folder names: dropped 2 control character(s) no output format can hold" in notes
    assert any(note.startswith("坏\x01目录/文章.txt: dropped 2 ") for note in notes), notes  # category, source
    with zipfile.ZipFile(report.output) as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        opf = epub.read("EPUB/content.opf").decode()
    assert "坏目录" in [a.text for a in nav.iter(XHTML + "a")]
    assert "编辑部" in opf
    assert check_epubs([report.output], tmp_path / "check")[report.output] == []
