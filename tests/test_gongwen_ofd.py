"""``--style gongwen`` in OFD: the GB/T 9704 page grid measured from the OFD's own page
content (each ``TextObject``'s position, size and text in ``Content.xml``), as the PDF's is
measured from the PDF (tests/test_pdf_editions.py)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
NS = "{http://www.ofdspec.org/2016}"
PT = 25.4 / 72  # millimetres per point
LEFT, TOP, WIDTH, HEIGHT = 28.0, 37.0, 156.0, 225.0  # the text block, mm
CELL, PITCH = WIDTH / 28, HEIGHT / 22  # one character, one line

#: (x, right edge, baseline, size in points, text) of one text object, in mm from the page's top left.
Run = tuple[float, float, float, float, str]


def _deltas(value: str) -> list[float]:
    out: list[float] = []
    items = value.split()
    i = 0
    while i < len(items):
        if items[i] == "g":
            out += [float(items[i + 2])] * int(items[i + 1])
            i += 3
        else:
            out.append(float(items[i]))
            i += 1
    return out


def ofd_pages(data: bytes) -> tuple[str, list[list[Run]]]:
    """The page box and, per page in the document's order, its text objects."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        document = etree.fromstring(package.read("Doc_0/Document.xml"))
        box = document.findtext(f".//{NS}PhysicalBox") or ""
        pages = []
        for page in document.iter(f"{NS}Page"):
            content = etree.fromstring(package.read("Doc_0/" + page.get("BaseLoc")))
            runs: list[Run] = []
            for obj in content.iter(f"{NS}TextObject"):
                left, top = (float(v) for v in obj.get("Boundary").split()[:2])
                size = float(obj.get("Size"))
                for code in obj.iter(f"{NS}TextCode"):
                    x, text = left + float(code.get("X")), code.text or ""
                    right = x + sum(_deltas(code.get("DeltaX", ""))) + size
                    runs.append((x, right, top + float(code.get("Y")), size / PT, text))
            pages.append(runs)
    return box, pages


def rows(runs: list[Run]) -> dict[float, list[Run]]:
    """The body's text objects (above the text block's lower edge) by baseline."""
    out: dict[float, list[Run]] = {}
    last: float | None = None
    for run in sorted(runs, key=lambda r: (r[2], r[0])):
        if run[2] < TOP + HEIGHT:
            if last is None or run[2] - last > 1:
                last = run[2]
            out.setdefault(last, []).append(run)
    return out


def convert_cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "convert", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stderr


@pytest.fixture(scope="module")
def gongwen_ofd(tmp_path_factory: pytest.TempPathFactory, long_notice: Callable[..., Path]) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("gongwen-ofd")
    notice = long_notice(folder)
    stderr = convert_cli(str(notice), "--style", "gongwen", "-o", str(folder / "notice.ofd"))
    convert_cli(str(notice), "--style", "gongwen", "-o", str(folder / "notice.pdf"), "-q")
    return folder / "notice.ofd", folder / "notice.pdf", stderr


def test_gongwen_ofd_has_22_lines_of_28_characters_on_the_156_by_225_mm_block(gongwen_ofd: tuple[Path, Path, str]) -> None:
    box, pages = ofd_pages(gongwen_ofd[0].read_bytes())
    assert box == "0 0 210 297"  # A4
    assert len(pages) > 10
    lines_per_page, chars_per_line = Counter[int](), Counter[int]()
    for runs in pages[1:-1]:  # full pages: neither the title's nor the last
        body = rows(runs)
        lines_per_page[len(body)] += 1
        baselines = sorted(body)
        assert all(abs(b - a - PITCH) < 0.05 for a, b in zip(baselines, baselines[1:], strict=False))
        first = body[baselines[0]][0]
        assert TOP < first[2] - 0.88 * first[3] * PT < TOP + PITCH  # the first line's glyphs in its grid line
        for line in body.values():
            chars = len("".join(run[4] for run in line).replace(" ", "").replace("\xa0", ""))
            chars_per_line[chars] += 1
            x_min = min(run[0] for run in line)
            assert round((x_min - LEFT) / CELL, 2) in (0, 2)  # at the block's left edge, or indented two cells
            if chars == 28 and x_min < LEFT + 0.1:
                assert abs(max(run[1] for run in line) - (LEFT + WIDTH)) < 0.2  # reaches the right edge
            assert {round(run[3], 2) for run in line} == {round(WIDTH / 28 / PT, 2)}  # 15.79 pt: one cell
    assert max(lines_per_page) == 22 and lines_per_page.most_common(1)[0][0] == 22, lines_per_page
    assert max(chars_per_line) <= 29, chars_per_line  # a hanging punctuation mark at most
    assert chars_per_line.most_common(1)[0][0] == 28, chars_per_line


def test_gongwen_ofd_pages_are_the_gongwen_pdfs(gongwen_ofd: tuple[Path, Path, str]) -> None:
    _, pages = ofd_pages(gongwen_ofd[0].read_bytes())
    pdf = PdfReader(io.BytesIO(gongwen_ofd[1].read_bytes()))
    assert len(pages) == len(pdf.pages)
    for runs, page in zip(pages, pdf.pages, strict=True):
        text = "".join(page.extract_text().split())
        for line in rows(runs).values():  # every line of the OFD's page is on the PDF's
            assert "".join("".join(run[4] for run in line).split()) in text


def test_gongwen_ofd_title_page_numbers_and_warning(gongwen_ofd: tuple[Path, Path, str]) -> None:
    path, _, stderr = gongwen_ofd
    assert stderr.count("stands in for 仿宋") == 1  # the PDF's warning: the OFD embeds the same faces
    _, pages = ofd_pages(path.read_bytes())
    title = [run for run in pages[0] if run[3] > 20]
    assert "".join(run[4] for run in title) == "关于做好2019年度考核工作的通知"
    assert {round(run[3]) for run in title} == {22}
    assert abs((min(r[0] for r in title) + max(r[1] for r in title)) / 2 - (LEFT + WIDTH / 2)) < 0.5  # centred
    for number, runs in enumerate(pages, 1):
        foot = [run for run in runs if run[2] > TOP + HEIGHT]
        assert "".join(run[4] for run in foot) == f"— {number} —"
        assert {round(run[3]) for run in foot} == {14}
        assert all(TOP + HEIGHT + 7 < run[2] - 0.88 * run[3] * PT + 0.5 for run in foot)  # 7 mm below the block
        if number % 2:  # odd pages: at the right, one character in
            assert abs(max(run[1] for run in foot) - (LEFT + WIDTH - CELL)) < 1
        else:
            assert abs(min(run[0] for run in foot) - (LEFT + CELL)) < 0.2
    last = rows(pages[-1])
    assert "".join(run[4] for run in last[max(last)]) == "2019年12月1日"


def test_normal_ofd_is_not_on_the_grid(tmp_path: Path, long_notice: Callable[..., Path]) -> None:
    notice = long_notice(tmp_path)
    convert_cli(str(notice), "-o", str(tmp_path / "normal.ofd"), "-q")
    _, pages = ofd_pages((tmp_path / "normal.ofd").read_bytes())
    assert not any("— " in run[4] for runs in pages for run in runs)
    assert Counter(len(rows(runs)) for runs in pages[1:-1]).most_common(1)[0][0] != 22


def test_gongwen_ofd_book_is_on_the_grid(tmp_path: Path, long_notice: Callable[..., Path]) -> None:
    for day in ("2019-12-01", "2019-12-02"):
        long_notice(tmp_path / "notices" / "通知公告" / day, f"{day}.txt")
    convert_cli(str(tmp_path / "notices"), "--book", str(tmp_path / "book.ofd"), "--style", "gongwen", "-q")
    box, pages = ofd_pages((tmp_path / "book.ofd").read_bytes())
    assert box == "0 0 210 297"
    firsts = [i for i, runs in enumerate(pages) if i > 1 and any(run[3] > 20 for run in runs)]  # the titles' pages
    assert len(firsts) == 2
    full = [runs for i, runs in enumerate(pages)
            if i > 1 and i not in firsts and i + 1 not in firsts and i != len(pages) - 1]
    lines_per_page = Counter(len(rows(runs)) for runs in full)
    assert len(full) > 4 and max(lines_per_page) == 22 and lines_per_page.most_common(1)[0][0] == 22, lines_per_page
    for number, runs in enumerate(pages[1:], 2):  # the title page has no number
        assert "".join(run[4] for run in runs if run[2] > TOP + HEIGHT) == f"— {number} —"
