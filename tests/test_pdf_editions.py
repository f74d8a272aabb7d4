"""PDF editions: Traditional faces chosen by the document's language, and the GB/T 9704
layout (``--style gongwen``) measured on the rendered page with pdftotext -bbox-layout."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from convert import transforms
from convert.model import Document
from convert.readers import read
from convert.writers import get_writer
from convert.writers.pdf import PdfOptions
from convert.writers.pdf.fonts import body_role

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NOTICE = SEEDS / "网络聚焦" / "通知公告" / "2019-12-01" / "关于做好2019年度考核工作的通知.txt"
POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) is not installed")
MM = 72 / 25.4
TEXT_BOTTOM = (37 + 225) * MM  # the GB/T 9704 text block's lower edge, from the top of the page


def render(document: Document, **options: object) -> tuple[bytes, list[str]]:
    result = get_writer("pdf").render(document, PdfOptions(**options))  # type: ignore[arg-type]
    return result.data, [f"{d.code}: {d.message}" for d in result.diagnostics]


def edition(path: Path, script: str) -> Document:
    return transforms.run(read(path, SEEDS).document, transforms.from_options({"script": script})).document


def save(data: bytes, tmp_path: Path, name: str = "out.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def font_names(path: Path) -> list[str]:
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:]]


def test_body_face_follows_the_language() -> None:
    assert body_role("zh-TW") == body_role("zh-Hant") == body_role("zh-hant-tw") == "body-tw"
    assert body_role("zh-HK") == body_role("zh-MO") == "body-hk"
    assert body_role("zh-CN") == body_role(None) == body_role("en") == "body"


@needs_poppler
@pytest.mark.parametrize(("script", "face"), [("zh-TW", "UMingTW"), ("zh-Hant", "UMingTW"), ("zh-HK", "UMingHK")])
def test_traditional_edition_embeds_the_regional_ming_face(tmp_path: Path, script: str, face: str) -> None:
    document = edition(NOTICE, script)
    data, _ = render(document)
    path = save(data, tmp_path)
    names = font_names(path)
    assert face in names
    assert "ConvertSerifSC-Regular" not in names  # every character here is in the Traditional face
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == script
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    text = text.replace(" ", "")  # pdftotext reads the quarter em between Han and digits as a space
    assert "關於做好2019年度" in text and "全體工作人員" in text


@needs_poppler
def test_simplified_document_keeps_convert_serif(tmp_path: Path) -> None:
    data, _ = render(read(NOTICE, SEEDS).document)
    names = font_names(save(data, tmp_path))
    assert "ConvertSerifSC-Regular" in names and not any(name.startswith("UMing") for name in names)


@needs_poppler
def test_single_file_output_applies_the_script(tmp_path: Path) -> None:
    """``-o FILE.pdf`` (the single-file path) runs the transform stage as a batch does."""
    out = tmp_path / "one.pdf"
    subprocess.run([sys.executable, "-m", "convert", str(NOTICE), "--script", "zh-HK", "-o", str(out), "-q"],
                   check=True, cwd=ROOT)
    assert "UMingHK" in font_names(out)
    assert "考核對象" in subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout


# ---------------------------------------------------------------- --style gongwen


def page_rows(pdf: Path) -> list[dict[float, list[etree._Element]]]:
    """Each page's words grouped into rows by their baseline (pdftotext -bbox-layout)."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    tree = etree.fromstring(html, etree.HTMLParser(encoding="utf-8"))
    pages = []
    for page in tree.iter("page"):
        # One row per line: words whose bottoms lie within 5 pt (a Latin word beside Han,
        # set apart by the quarter em, has a box of its own font's height). Keyed by the first.
        rows: dict[float, list[etree._Element]] = {}
        last: float | None = None
        for word in sorted(page.iter("word"), key=lambda w: float(w.get("ymax"))):
            bottom = float(word.get("ymax"))
            if last is None or bottom - last > 5:
                last = bottom
            rows.setdefault(round(last, 1), []).append(word)
        pages.append(rows)
    return pages


@pytest.fixture(scope="module")
def gongwen_pdf(tmp_path_factory: pytest.TempPathFactory, long_notice: Callable[..., Path]) -> tuple[Path, list[str]]:
    tmp_path = tmp_path_factory.mktemp("gongwen")
    data, notes = render(read(long_notice(tmp_path), tmp_path).document, style="gongwen")
    return save(data, tmp_path), notes


@needs_poppler
def test_gongwen_grid_is_22_lines_of_28_characters(gongwen_pdf: tuple[Path, list[str]]) -> None:
    pages = page_rows(gongwen_pdf[0])
    assert len(pages) > 10
    lines_per_page, chars_per_line = Counter(), Counter()
    for rows in pages[1:-1]:  # full pages: neither the title page nor the last
        body = {y: words for y, words in rows.items() if y < TEXT_BOTTOM}
        lines_per_page[len(body)] += 1
        for words in body.values():
            chars_per_line[len("".join(w.text or "" for w in words))] += 1
    assert max(lines_per_page) == 22 and lines_per_page.most_common(1)[0][0] == 22, lines_per_page
    assert max(chars_per_line) <= 29, chars_per_line  # a hanging punctuation mark at most
    assert chars_per_line.most_common(1)[0][0] == 28, chars_per_line


def test_gongwen_page_numbers_alternate_sides(gongwen_pdf: tuple[Path, list[str]]) -> None:
    """``— N —`` in 14 pt below the text block, odd pages at the right, even at the left, one
    character in (read with pdfplumber: pdftotext leaves out the footer, an artifact)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    left, right = 28 * MM, (28 + 156) * MM
    with pdfplumber.open(gongwen_pdf[0]) as pdf:
        for number, page in enumerate(pdf.pages[:4], 1):
            foot = [c for c in page.chars if c["top"] > TEXT_BOTTOM]
            assert "".join(c["text"] for c in foot) == f"— {number} —"
            assert {round(c["size"]) for c in foot} == {14}
            x0, x1 = min(c["x0"] for c in foot), max(c["x1"] for c in foot)
            if number % 2:
                assert abs(x1 - (right - 156 * MM / 28)) < 1
            else:
                assert abs(x0 - (left + 156 * MM / 28)) < 1


def test_gongwen_title_closing_and_warning(gongwen_pdf: tuple[Path, list[str]]) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    path, notes = gongwen_pdf
    stand_in = [n for n in notes if n.startswith("gongwen-font-stand-in")]
    assert len(stand_in) == 1
    assert "Convert Serif SC stands in for 仿宋" in stand_in[0] and "WenQuanYi Micro Hei stands in for 小标宋" in stand_in[0]
    with pdfplumber.open(path) as pdf:
        first, last = pdf.pages[0], pdf.pages[-1]
        title = [c for c in first.chars if c["size"] > 20]
        assert "".join(c["text"] for c in title) == "关于做好2019年度考核工作的通知"
        assert round(title[0]["size"]) == 22
        assert abs((min(c["x0"] for c in title) + max(c["x1"] for c in title)) / 2 - (28 + 78) * MM) < 1  # centred
        body = [c for c in last.chars if c["top"] < TEXT_BOTTOM]
        date = [c for c in body if c["top"] > max(ch["top"] for ch in body) - 5]  # the last line
        assert "".join(c["text"] for c in date) == "2019年12月1日"
        # right-aligned two characters in from the text block's right edge
        assert abs(max(c["x1"] for c in date) - ((28 + 156) * MM - 2 * 156 * MM / 28)) < 1


def test_gongwen_with_a_font_names_only_the_title_stand_in() -> None:
    font = ROOT / "fonts" / "LiberationSerif-Regular.ttf"
    _, notes = render(read(NOTICE, SEEDS).document, style="gongwen", font=str(font))
    stand_in = [n for n in notes if n.startswith("gongwen-font-stand-in")]
    assert len(stand_in) == 1 and "仿宋" not in stand_in[0] and "小标宋" in stand_in[0]


def test_normal_style_stays_the_default() -> None:
    _, notes = render(read(NOTICE, SEEDS).document)
    assert not any(n.startswith("gongwen") for n in notes)
    assert PdfOptions().style == "normal"
