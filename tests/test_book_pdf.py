"""Book mode as PDF: the seeds tree as one volume, read back with pdftotext, pdffonts and pypdf."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from convert.book import plan_book, write_book
from convert.errors import ConvertError
from convert.model import (
    Book,
    BookMeta,
    Chapter,
    Document,
    Heading,
    Metadata,
    Paragraph,
    Section,
    Table,
    Text,
    plain_text,
    text_paragraph,
    walk_blocks,
)
from convert.writers import get_writer

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) is not installed")
WRITER = get_writer("pdf")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def pages_of(path: Path, *args: str) -> list[str]:
    pages = pdftotext(path, *args).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def lines_of(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def body_of(page: str) -> list[str]:
    """An article page as pdftotext reads it: the running header and page number are marked as
    pagination artifacts with an empty /ActualText, so they are not in it."""
    lines = lines_of(page)
    assert lines, "an empty page"
    return lines


def furniture_of(path: Path, number: int) -> tuple[str, str]:
    """(running header, page number) of a page, as drawn: pypdf ignores /ActualText."""
    lines = [line.strip() for line in pypdf.PdfReader(path).pages[number - 1].extract_text().splitlines() if line.strip()]
    return lines[0], lines[1]


def outline_of(data: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) for every outline entry, in order."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    found: list[tuple[int, str, int]] = []

    def visit(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    visit(reader.outline, 0)
    return found


def planned(book: Book) -> list[tuple[int, str, bool]]:
    """(depth, title, is a section) for every folder and article of the plan, in reading order."""
    out = []

    def visit(nodes: tuple, depth: int) -> None:
        for node in nodes:
            if isinstance(node, Section):
                out.append((depth, node.title, True))
                visit(node.children, depth + 1)
            else:
                out.append((depth, node.title, False))

    visit(book.contents, 0)
    return out


def contents_entries(path: Path, front_pages: int) -> list[tuple[str, int]]:
    """(title, page) read from the contents pages; the title may wrap onto earlier lines."""
    entries: list[tuple[str, int]] = []
    pending = ""
    for page in pages_of(path, "-layout", "-f", "2", "-l", str(front_pages)):
        for line in lines_of(page):
            if line == "目录":
                continue
            match = re.fullmatch(r"(.*?)\s+(\d+)", line)
            if match:
                entries.append((pending + squash(match.group(1)), int(match.group(2))))
                pending = ""
            else:
                pending += squash(line)
    return entries


def front_page_count(path: Path) -> int:
    """Title page plus contents pages: the pages before the first outline destination."""
    return min(page for _, _, page in outline_of(path.read_bytes())) - 1


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfbooks")
    corpus = folder / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "网络聚焦" / "坏文件.txt").write_bytes(b"\xff\xd8\xff\xe0 not an article")
    paged = write_book([corpus], folder / "seeds.pdf", title="种子文集", author="编辑部")
    continuous = write_book([corpus], folder / "continuous.pdf", title="种子文集", continuous=True)
    return corpus, paged, continuous


@pytest.fixture(scope="module")
def walked(books):
    """The plan and every article that was read, in book order."""
    corpus, _, _ = books
    book = plan_book([corpus])
    return book, [item for item in book.walk() if item.chapter is not None]


def expected_text(document: Document) -> list[str]:
    pieces = [squash(document.title)]
    for block in walk_blocks(document.blocks):
        if isinstance(block, (Paragraph, Heading)):
            pieces.append(squash(plain_text(block.content)))
    return [p for p in pieces if p]


# ---------------------------------------------------------------- errors and report


def test_a_broken_article_is_left_out_and_named_in_the_report_and_the_book_is_still_written(books):
    _, paged, _ = books
    assert paged.failed and paged.format == "pdf"
    assert [Path(source).name for source, _ in paged.failures] == ["坏文件.txt"]
    assert paged.failures[0][1] and "\n" not in paged.failures[0][1]
    assert paged.chapters == sum(1 for p in SEEDS.rglob("*.txt") if p.is_file())
    assert paged.output.read_bytes().startswith(b"%PDF-")


# ---------------------------------------------------------------- text


@needs_poppler
def test_every_article_title_and_paragraph_comes_back_from_pdftotext_in_book_order(books, walked):
    _, paged, _ = books
    front = front_page_count(paged.output)
    pages = pages_of(paged.output)[front:]
    text = squash("".join("".join(body_of(page)) for page in pages))
    _, items = walked
    at = 0
    for item in items:
        for piece in expected_text(item.document):
            found = text.find(piece, at)
            assert found >= 0, f"{item.chapter.key}: not found in order: {piece[:40]!r}"
            at = found + len(piece)


@needs_poppler
def test_the_title_page_has_title_author_and_date_and_no_header_or_page_number(books):
    _, paged, _ = books
    first = lines_of(pages_of(paged.output, "-f", "1", "-l", "1")[0])
    assert first == ["种子文集", "编辑部", "2019-12-01"]
    info = pypdf.PdfReader(paged.output).metadata
    assert info.title == "种子文集" and info.author == "编辑部"


# ---------------------------------------------------------------- contents, outline, pages


@needs_poppler
def test_the_contents_list_every_folder_and_article_with_the_page_it_starts_on(books, walked):
    _, paged, _ = books
    book, items = walked
    front = front_page_count(paged.output)
    entries = contents_entries(paged.output, front)
    assert [title for title, _ in entries] == [squash(title) for _, title, _ in planned(book)]
    pages = pages_of(paged.output)
    chapter_titles = {squash(item.chapter.title) for item in items}
    for title, number in entries:
        if title in chapter_titles:  # the article starts there: its title is the first thing below the header
            body = squash("".join(body_of(pages[number - 1])))
            assert title in body and body.index(title) < 40, (title, number)
    numbers = [n for _, n in entries]
    assert numbers == sorted(numbers) and numbers[0] == front + 1


@needs_poppler
def test_the_outline_nests_like_the_contents_and_points_at_the_same_pages(books, walked):
    _, paged, _ = books
    book, _ = walked
    outline = outline_of(paged.output.read_bytes())
    assert [(depth, title) for depth, title, _ in outline] == [(depth, title) for depth, title, _ in planned(book)]
    entries = contents_entries(paged.output, front_page_count(paged.output))
    assert [page for _, _, page in outline] == [page for _, page in entries]
    by_title = {title: depth for depth, title, _ in outline}
    assert by_title["网络聚焦"] == 0 and by_title["国际新闻"] == 1 and by_title["2019-08-29"] == 2
    assert by_title["联合国秘书长呼吁各方保持克制"] == 3 and by_title["全省主题教育推进会在太原召开"] == 2


@needs_poppler
def test_each_article_starts_on_a_new_page_with_its_title_in_the_running_header(books, walked):
    _, paged, _ = books
    _, items = walked
    outline = outline_of(paged.output.read_bytes())
    titles = {item.chapter.title for item in items}
    starts = [page for _, title, page in outline if title in titles]
    assert len(starts) == len(set(starts)) == len(items)
    pages = pages_of(paged.output)
    ends = starts[1:] + [len(pages) + 1]
    for item, start, end in zip(items, starts, ends, strict=True):
        for number in range(start, end):
            header, printed = furniture_of(paged.output, number)
            # the quarter em between Han and Latin (clreq 3.2) reads as a space to pypdf
            assert header.replace(" ", "") == item.chapter.title.replace(" ", ""), (number, header)
            assert printed == str(number)


@needs_poppler
def test_continuous_runs_articles_on_and_keeps_contents_and_outline_right(books, walked):
    _, paged, continuous = books
    _, items = walked
    assert continuous.chapters == paged.chapters
    count = len(pypdf.PdfReader(continuous.output).pages)
    assert count < len(pypdf.PdfReader(paged.output).pages)
    outline = outline_of(continuous.output.read_bytes())
    entries = contents_entries(continuous.output, front_page_count(continuous.output))
    assert [page for _, _, page in outline] == [page for _, page in entries]
    starts = [page for _, title, page in outline if title in {i.chapter.title for i in items}]
    assert len(set(starts)) < len(starts)  # some pages hold the end of one article and the start of another
    pages = pages_of(continuous.output)
    for (_, title, page) in outline:
        assert squash(title) in squash("".join(body_of(pages[page - 1])))


# ---------------------------------------------------------------- fonts, bytes


@needs_poppler
def test_every_font_is_embedded_once_for_the_whole_book(books):
    _, paged, _ = books
    out = subprocess.run(["pdffonts", str(paged.output)], check=True, capture_output=True, text=True).stdout
    rows = [re.split(r"\s+", row.strip()) for row in out.splitlines()[2:] if row.strip()]
    assert rows
    for row in rows:
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, ToUnicode
    names = [row[0] for row in rows]
    assert len(names) == len(set(names))  # one set of subsets, not one per article


def test_the_same_book_gives_the_same_bytes(books, tmp_path):
    corpus, paged, _ = books
    again = write_book([corpus], tmp_path / "again.pdf", title="种子文集", author="编辑部")
    assert again.output.read_bytes() == paged.output.read_bytes()


# ---------------------------------------------------------------- made-up books


def _made_up_book(sections: int, per_section: int, title_of=lambda s, c: f"第{s}部分第{c}篇文章",
                  failing: frozenset[str] = frozenset()) -> Book:
    contents = tuple(
        Section(f"栏目{s}", tuple(Chapter(f"{s}/{c}.txt", title_of(s, c)) for c in range(per_section)))
        for s in range(sections)
    )

    def load(chapter: Chapter) -> Document:
        if chapter.key in failing:
            raise ConvertError("cannot decode: made up")
        return Document(Metadata(title=chapter.title), (text_paragraph("正文。" * 30),))

    return Book(BookMeta("试验"), contents, load, lambda chapter, exc: None)


def _render(book: Book, tmp_path: Path, name: str, **options: object) -> Path:
    path = tmp_path / name
    path.write_bytes(WRITER.render_book(book, WRITER.make_options(**options)).data)
    return path


@needs_poppler
def test_a_long_contents_flows_across_pages_with_right_page_numbers(tmp_path):
    book = _made_up_book(6, 15)
    path = _render(book, tmp_path, "long.pdf")
    front = front_page_count(path)
    assert front >= 4  # title page and three or more contents pages
    outline = outline_of(path.read_bytes())
    assert len(outline) == 6 + 6 * 15
    assert [page for _, page in contents_entries(path, front)] == [page for _, _, page in outline]


@needs_poppler
def test_a_long_title_is_cut_with_an_ellipsis_in_the_running_header(tmp_path):
    long = "关于进一步加强和改进新时代基层治理工作的若干意见" * 5
    book = _made_up_book(1, 1, title_of=lambda s, c: long)
    path = _render(book, tmp_path, "long-title.pdf")
    header, _ = furniture_of(path, front_page_count(path) + 1)
    assert header.endswith("…") and long.startswith(header[:-1]) and len(header) < len(long)


@needs_poppler
def test_an_article_failing_while_the_book_is_drawn_is_left_out_and_page_numbers_still_hold(tmp_path):
    # The articles that fail have titles so long that the planned contents need a page more
    # than the contents drawn: the article pages were numbered for the planned contents.
    def title_of(s: int, c: int) -> str:
        return f"第{s}部分第{c}篇" + ("很长的标题" * 40 if s == 0 and c < 10 else "")

    book = _made_up_book(2, 20, title_of=title_of, failing=frozenset(f"0/{c}.txt" for c in range(10)))
    path = _render(book, tmp_path, "failing.pdf")
    outline = outline_of(path.read_bytes())
    assert len(outline) == 2 + 30
    assert not any("很长的标题" in title for _, title, _ in outline)
    front = front_page_count(path)
    assert lines_of(pages_of(path)[front - 1]) == []  # a contents page left blank…
    assert pypdf.PdfReader(path).pages[front - 1].extract_text().strip() == str(front)  # …and numbered
    assert [page for _, page in contents_entries(path, front_page_count(path))] == [page for _, _, page in outline]
    pages = pages_of(path)
    for _, title, page in outline:
        assert squash(title)[:10] in squash("".join(body_of(pages[page - 1])))
        assert furniture_of(path, page)[1] == str(page)


def test_a_book_with_no_readable_article_is_a_valid_pdf_with_a_warning(tmp_path):
    book = _made_up_book(1, 2, failing=frozenset({"0/0.txt", "0/1.txt"}))
    rendered = WRITER.render_book(book, WRITER.make_options())
    assert any(d.code == "empty-book" for d in rendered.diagnostics)
    reader = pypdf.PdfReader(io.BytesIO(rendered.data))
    assert len(reader.pages) == 3  # title page, contents, the folder's heading (folders always show)


@needs_poppler
def test_a_block_too_large_for_a_page_costs_that_block_with_a_warning_not_the_book(tmp_path):
    cell = (Text("很长的单元格。" * 800),)
    documents = {
        "a.txt": Document(Metadata(title="表格"), (text_paragraph("前文。"), Table(((cell, (Text("乙"),)),)), text_paragraph("后文。"))),
        "b.txt": Document(Metadata(title="第二篇"), (text_paragraph("第二篇正文。"),)),
    }
    book = Book(BookMeta("书"), (Chapter("a.txt", "表格"), Chapter("b.txt", "第二篇")), lambda c: documents[c.key])
    rendered = WRITER.render_book(book, WRITER.make_options(page_size="A5"))
    assert [(d.code, d.message) for d in rendered.diagnostics] == [
        ("block-too-large", "a.txt: a block too large for a page was left out")]
    path = tmp_path / "big.pdf"
    path.write_bytes(rendered.data)
    text = squash(pdftotext(path))
    assert text.index("前文。") < text.index("后文。") < text.index("第二篇正文。")
    assert "很长的单元格" not in text
    assert pypdf.PdfReader(path).pages[0].mediabox.width == pytest.approx(419.5, abs=1)


def test_a_paragraph_with_no_room_for_one_line_does_not_split():
    # Continuous books met this at a page's foot: a one-line paragraph asked to split into
    # less than a line's height must refuse (return no parts), not fail.
    from convert.writers.pdf import CJKParagraph
    from convert.writers.pdf.builder import Builder
    from convert.writers.pdf.fonts import fonts_for

    builder = Builder(Document(), fonts_for(None), 12.0, 700.0)
    paragraph = CJKParagraph(builder.plain("一行字。", builder.body_style), 12.0, 21.0)
    paragraph.wrap(400.0, 1000.0)
    assert paragraph.split(400.0, 10.0) == []
    assert len(paragraph.split(400.0, 30.0)) == 1


@needs_poppler
def test_a_runaway_title_is_cut_in_contents_and_outline_but_whole_in_the_article(tmp_path):
    runaway = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(5000))  # a damaged file's whole text as title
    book = _made_up_book(1, 2, title_of=lambda s, c: runaway if c == 0 else "正常标题")
    path = _render(book, tmp_path, "runaway.pdf")
    outline = outline_of(path.read_bytes())
    assert outline[1][1].endswith("…") and len(outline[1][1]) <= 200 and runaway.startswith(outline[1][1][:-1])
    assert outline[2][1] == "正常标题"
    front = front_page_count(path)
    assert front == 2  # title page and one contents page
    assert runaway in squash("".join("".join(body_of(page)) for page in pages_of(path)[front:]))


def test_an_article_without_a_body_keeps_its_title_and_the_writer_does_not_repeat_the_reader():
    book = Book(BookMeta("书"), (Chapter("a.txt", "空"),), lambda c: Document(Metadata(title="空")))
    rendered = WRITER.render_book(book, WRITER.make_options())
    assert rendered.diagnostics == ()  # the reader's empty-body is in the book's report, once
    assert [title for _, title, _ in outline_of(rendered.data)] == ["空"]


def test_characters_in_no_font_on_the_title_page_are_warned_about_with_the_first_eight_listed():
    title = "".join(chr(0x10FFF0 + i) for i in range(10))  # private use: in no font
    book = Book(BookMeta(title), (Chapter("a.txt", "文"),), lambda c: Document(Metadata(title="文"), (text_paragraph("正文。"),)))
    rendered = WRITER.render_book(book, WRITER.make_options())
    listed = ", ".join(f"U+{0x10FFF0 + i:04X}" for i in range(8))
    assert [d.message for d in rendered.diagnostics if d.code == "uncovered-chars"] == [
        f"title page or contents: character(s) in no font ({listed}…) drawn as boxes"]
