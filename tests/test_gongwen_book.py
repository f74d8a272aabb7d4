"""``--style gongwen`` for books: PDF and DOCX volumes on the GB/T 9704 page grid, measured on
the rendered pages with pdfplumber (the PDF as written; the DOCX as LibreOffice renders it),
and the DOCX's page setup read back with python-docx."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from convert.writers.docx import gongwen as docx_gongwen

pdfplumber = pytest.importorskip("pdfplumber")

ROOT = Path(__file__).resolve().parent.parent
MM = 72 / 25.4
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, (28 + 156) * MM, 37 * MM, (37 + 225) * MM  # the text block, points
CELL = 156 * MM / 28
TITLE = "关于做好2019年度考核工作的通知"


@dataclass
class Page:
    rows: list[str]  # the text block's lines, top to bottom
    footer: list[dict[str, Any]]  # the characters below the block
    title: list[dict[str, Any]]  # characters over 20 pt
    block: list[dict[str, Any]]  # the characters above the block's lower edge


def measure(pdf: Path) -> list[Page]:
    """Each page's lines in the text block (characters grouped by their bottoms), footer and title."""
    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            block = [c for c in chars if c["top"] < BOTTOM]
            rows: dict[float, list[dict[str, Any]]] = {}
            last: float | None = None
            for c in sorted(block, key=lambda c: (c["bottom"], c["x0"])):
                if last is None or c["bottom"] - last > 5:
                    last = c["bottom"]
                rows.setdefault(last, []).append(c)
            pages.append(Page(["".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])) for row in rows.values()],
                              [c for c in chars if c["top"] >= BOTTOM], [c for c in block if c["size"] > 20], block))
    return pages


def full_pages(pages: list[Page]) -> list[Page]:
    """Article pages that are neither an article's first (its title's) nor its last."""
    firsts = [i for i, page in enumerate(pages) if i > 1 and page.title]
    return [page for i, page in enumerate(pages)
            if i > 1 and i not in firsts and i + 1 not in firsts and i != len(pages) - 1]


def check_grid(pages: list[Page], articles: int) -> tuple[Counter[int], Counter[int]]:
    """22 lines of 28 characters on full pages; the articles' titles at 22 pt, centred."""
    firsts = [page for i, page in enumerate(pages) if i > 1 and page.title]
    assert len(firsts) == articles
    for page in firsts:
        assert "".join(c["text"] for c in page.title) == TITLE
        assert {round(c["size"]) for c in page.title} == {22}
        middle = (min(c["x0"] for c in page.title) + max(c["x1"] for c in page.title)) / 2
        assert abs(middle - (LEFT + RIGHT) / 2) < 2
    lines_per_page, chars_per_line = Counter[int](), Counter[int]()
    for page in full_pages(pages):
        lines_per_page[len(page.rows)] += 1
        chars_per_line.update(len(row) for row in page.rows)
        assert {round(c["size"]) for c in page.block} == {16}  # 三号 (the PDF's 15.79 pt: one cell)
        assert min(c["x0"] for c in page.block) > LEFT - 1 and max(c["x1"] for c in page.block) < RIGHT + CELL
        assert min(c["top"] for c in page.block) > TOP - 1
    assert sum(lines_per_page.values()) >= 2 * articles
    # a page may end a line short where a paragraph's last line would be left alone on the next (PDF)
    assert max(lines_per_page) == 22 and lines_per_page.most_common(1)[0][0] == 22, lines_per_page
    assert chars_per_line.most_common(1)[0][0] == 28 and max(chars_per_line) <= 29, chars_per_line
    return lines_per_page, chars_per_line


def check_page_numbers(pages: list[Page], inset: float) -> None:
    """``— N —`` in 14 pt below the block on every page but the title page, odd numbers at the
    right and even ones at the left, ``inset`` in from the block's edge."""
    for number, page in enumerate(pages[1:], 2):
        assert "".join(c["text"] for c in page.footer) == f"—{number}—"
        assert {round(c["size"]) for c in page.footer} == {14}
        if number % 2:
            assert abs(max(c["x1"] for c in page.footer) - (RIGHT - inset)) < 2
        else:
            assert abs(min(c["x0"] for c in page.footer) - (LEFT + inset)) < 2


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory, long_notice: Callable[..., Path]) -> Path:
    root = tmp_path_factory.mktemp("gongwen-book") / "notices"
    long_notice(root / "通知公告" / "2019-12-01", "1关于做好2019年度考核工作的通知.txt")
    long_notice(root / "通知公告" / "2019-12-02", "2关于做好2019年度考核工作的通知.txt")
    return root


def make_book(tree: Path, name: str, *options: str) -> tuple[Path, str]:
    out = tree.parent / name
    done = subprocess.run([sys.executable, "-m", "convert", str(tree), "--book", str(out), *options], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return out, done.stderr


@pytest.fixture(scope="module")
def pdf_book(tree: Path) -> tuple[Path, str]:
    return make_book(tree, "book.pdf", "--style", "gongwen")


@pytest.fixture(scope="module")
def docx_book(tree: Path) -> tuple[Path, str]:
    return make_book(tree, "book.docx", "--style", "gongwen", "--page-size", "A5")


def test_pdf_book_is_on_the_22_by_28_grid(pdf_book: tuple[Path, str]) -> None:
    pages = measure(pdf_book[0])
    check_grid(pages, 2)
    check_page_numbers(pages, CELL)
    assert not pages[0].footer  # the title page has no number
    contents = pages[1]  # the book's own contents page: its style, on the same page and block
    assert min(c["x0"] for c in contents.block) > LEFT - 1 and max(c["x1"] for c in contents.block) < RIGHT + 1
    assert min(c["top"] for c in contents.block) > TOP - 1


def test_pdf_book_warns_once_which_faces_stand_in(pdf_book: tuple[Path, str]) -> None:
    assert pdf_book[1].count("stands in for 仿宋") == 1


def test_normal_pdf_book_keeps_its_layout(tree: Path) -> None:
    pages = measure(make_book(tree, "normal.pdf")[0])
    assert not any("—" in "".join(c["text"] for c in page.footer) for page in pages)
    assert Counter(len(page.rows) for page in full_pages(pages)).most_common(1)[0][0] != 22


def test_docx_book_page_setup_styles_and_titles(docx_book: tuple[Path, str]) -> None:
    path, stderr = docx_book
    assert "A5 ignored" not in stderr  # an info, not a warning
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, not the A5 asked for
    assert [round(m.mm) for m in (section.top_margin, section.left_margin, section.right_margin,
                                  section.bottom_margin)] == [37, 28, 26, 35]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    height = section.page_height - section.top_margin - section.bottom_margin  # EMU
    assert int(height / 635) // int(grid.get(qn("w:linePitch"))) == 22
    assert int(grid.get(qn("w:charSpace"))) == docx_gongwen.CHAR_SPACE
    normal, title = document.styles["Normal"], document.styles["Title"]
    assert normal.font.size.pt == 16 and title.font.size.pt == 22
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    titles = [p for p in document.paragraphs if p.style.name == "Title" and p._p.pPr.find(qn("w:outlineLvl")) is not None]
    assert [p.text.replace("\n", "") for p in titles] == [TITLE, TITLE]
    assert [p.style.name for p in document.paragraphs[-2:]] == ["Signature", "DateLine"]
    assert document.settings.odd_and_even_pages_header_footer
    footers = (section.footer, section.even_page_footer)
    assert [f.paragraphs[0].alignment for f in footers] == [2, 0]  # odd: right, even: left


def test_libreoffice_renders_the_docx_book_on_the_grid(docx_book: tuple[Path, str], tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (Debian package libreoffice-writer-nogui)")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(docx_book[0])], capture_output=True, check=True, timeout=300)
    pages = measure(tmp_path / "book.pdf")
    check_grid(pages, 2)
    check_page_numbers(pages, 14)  # one 4号 character in
