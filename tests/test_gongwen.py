"""``--style gongwen``: the GB/T 9704-2012 layout of the DOCX writer, measured from LibreOffice's rendering."""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

import convert
from convert import gongwen
from convert.book import write_book
from convert.gongwen import split_closing, split_title
from convert.model import Document, Metadata, Paragraph, plain_text, text_paragraph, walk_blocks
from convert.transforms.script import converter
from convert.typography import line_break_violations

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 72 / 25.4


def notice() -> Document:
    """A long notice: the real seed article's paragraphs three times, then issuer and date."""
    source = convert.read(SEEDS / "000_b01cef3071674085.txt").document
    paragraphs = [plain_text(b.content) for b in walk_blocks(source.blocks) if isinstance(b, Paragraph)]
    blocks = [text_paragraph(p) for p in paragraphs] * 3
    blocks += [text_paragraph("山西省人民政府办公厅"), text_paragraph("2019年12月1日")]
    return Document(Metadata(title="关于做好2019年度全省机关和事业单位工作人员年度考核工作的通知"), tuple(blocks))


def docx_parts(tmp_path: Path, document: Document, **options: object) -> dict[str, etree._Element]:
    target = tmp_path / "notice.docx"
    convert.write(document, "docx", target, **options)
    with zipfile.ZipFile(target) as package:
        return {name: etree.fromstring(package.read(name)) for name in package.namelist() if name.endswith(".xml")}


def style(styles: etree._Element, style_id: str) -> etree._Element:
    return styles.find(f"{W}style[@{W}styleId='{style_id}']")


def test_page_grid_fonts_and_sizes_in_the_docx(tmp_path: Path) -> None:
    parts = docx_parts(tmp_path, notice(), style="gongwen")
    sect = parts["word/document.xml"].find(f".//{W}body/{W}sectPr")
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    twips_mm = 1440 / 25.4
    assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (round(210 * twips_mm), round(297 * twips_mm))
    assert int(margins.get(f"{W}top")) == round(37 * twips_mm) and int(margins.get(f"{W}left")) == round(28 * twips_mm)
    width = int(size.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))
    height = int(size.get(f"{W}h")) - int(margins.get(f"{W}top")) - int(margins.get(f"{W}bottom"))
    assert abs(width / twips_mm - 156) < 0.1 and abs(height / twips_mm - 225) < 0.1
    grid = sect.find(f"{W}docGrid")
    assert grid.get(f"{W}type") == "linesAndChars"
    pitch, space = int(grid.get(f"{W}linePitch")), int(grid.get(f"{W}charSpace"))
    assert height // pitch == 22  # 22 lines fill the block, 23 do not
    char_pitch = 16 + space / 4096  # points: Word's character pitch
    assert int(width / 20 / char_pitch) == 28
    styles = parts["word/styles.xml"]
    normal = style(styles, "Normal")
    assert normal.find(f".//{W}sz").get(f"{W}val") == "32"  # 三号
    assert normal.find(f".//{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    title = style(styles, "Title")
    assert title.find(f".//{W}sz").get(f"{W}val") == "44"  # 二号
    assert title.find(f".//{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    assert title.find(f".//{W}jc").get(f"{W}val") == "center"
    fonts = etree.tostring(parts["word/fontTable.xml"], encoding="unicode")
    for name, alt in (("仿宋_GB2312", "仿宋"), ("仿宋", "FangSong"), ("方正小标宋简体", "小标宋"), ("小标宋", "华文中宋"),
                      ("华文中宋", "宋体")):
        assert f'<w:font w:name="{name}"><w:altName w:val="{alt}"/>' in fonts
    assert parts["word/settings.xml"].find(f"{W}evenAndOddHeaders") is not None


def test_page_numbers_alternate_sides_in_two_footers(tmp_path: Path) -> None:
    parts = docx_parts(tmp_path, notice(), style="gongwen")
    sect = parts["word/document.xml"].find(f".//{W}body/{W}sectPr")
    kinds = {ref.get(f"{W}type") for ref in sect.findall(f"{W}footerReference")}
    assert kinds == {"default", "even"}
    footers = [root for name, root in parts.items() if name.startswith("word/footer")]
    sides = []
    for footer in footers:
        text = "".join(footer.itertext())
        assert re.fullmatch(r"— \d —", text.replace(" PAGE ", "")), text
        assert any(" PAGE " in (t.text or "") for t in footer.iter(f"{W}instrText"))
        assert {e.get(f"{W}val") for e in footer.iter(f"{W}sz")} == {"28"}  # 4号
        sides.append(footer.find(f".//{W}jc").get(f"{W}val"))
    assert sorted(sides) == ["left", "right"]


def test_closing_lines_are_set_right(tmp_path: Path) -> None:
    body = docx_parts(tmp_path, notice(), style="gongwen")["word/document.xml"].find(f"{W}body")
    paragraphs = body.findall(f"{W}p")
    assert "".join(paragraphs[-2].itertext()) == "山西省人民政府办公厅"
    assert paragraphs[-2].find(f".//{W}pStyle").get(f"{W}val") == "Signature"
    assert paragraphs[-1].find(f".//{W}pStyle").get(f"{W}val") == "DateLine"


def test_the_normal_style_stays_the_default(tmp_path: Path) -> None:
    parts = docx_parts(tmp_path, notice())
    grid = parts["word/document.xml"].find(f".//{W}body/{W}sectPr/{W}docGrid")
    assert grid is None or grid.get(f"{W}type") is None
    assert style(parts["word/styles.xml"], "Normal").find(f".//{W}sz").get(f"{W}val") == "24"


def test_other_writers_ignore_the_style(tmp_path: Path) -> None:
    plain = convert.convert_tree(SEEDS, "md,html,json,epub", tmp_path / "plain", jobs=1)
    official = convert.convert_tree(SEEDS, "md,html,json,epub", tmp_path / "official", jobs=1, style="gongwen")
    assert plain.converted == official.converted > 0
    files = sorted(p.relative_to(tmp_path / "plain") for p in (tmp_path / "plain").rglob("*") if p.is_file()
                   and not p.name.startswith(".convert"))
    assert files
    for name in files:
        assert (tmp_path / "plain" / name).read_bytes() == (tmp_path / "official" / name).read_bytes(), name


IGNORED = "--style gongwen applies to DOCX, PDF and OFD only"


def test_the_formats_with_the_style_are_the_writers_with_the_option() -> None:
    from dataclasses import fields

    from convert.writers import available_formats, get_writer

    with_option = [fmt for fmt in available_formats() if "style" in {f.name for f in fields(get_writer(fmt).options_type)}]
    assert sorted(with_option) == sorted(gongwen.FORMATS)


def test_formats_without_the_style_say_so_once(tmp_path: Path) -> None:
    """Single files, batches and books: one warning naming what keeps the normal layout."""
    def run(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "convert", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stderr

    notice = str(SEEDS / "000_b01cef3071674085.txt")
    batch = run(str(SEEDS), "--to", "md,pdf,epub", "--style", "gongwen", "-o", str(tmp_path / "batch"))
    assert batch.count(IGNORED) == 1 and f"{IGNORED}; md, epub are written in the normal layout" in batch
    single = run(notice, "--style", "gongwen", "-o", str(tmp_path / "one.html"))
    assert single.count(IGNORED) == 1 and "html is written" in single
    book = run(str(SEEDS), "--book", str(tmp_path / "book.epub"), "--style", "gongwen")
    assert book.count(IGNORED) == 1 and "epub is written" in book
    for quiet in (run(str(SEEDS), "--to", "docx,pdf,ofd", "--style", "gongwen", "-o", str(tmp_path / "fixed")),
                  run(str(SEEDS), "--to", "md", "-o", str(tmp_path / "plain")),
                  run(str(SEEDS), "--book", str(tmp_path / "book.docx"), "--style", "gongwen")):
        assert IGNORED not in quiet


def test_the_library_says_so_too(tmp_path: Path) -> None:
    report = convert.convert_tree(SEEDS, "md,docx", tmp_path / "out", jobs=1, style="gongwen")
    assert [note for note in report.notes if IGNORED in note] == [f"{IGNORED}; md is written in the normal layout"]
    book = write_book([SEEDS], tmp_path / "book.epub", style="gongwen")
    assert [d.code for d in book.diagnostics if IGNORED in d.message] == ["style-ignored"]
    assert gongwen.style_ignored(["md"], "normal") is None and gongwen.style_ignored(["pdf", "ofd", "docx"], "GONGWEN") is None


def test_the_title_breaks_at_phrase_ends() -> None:
    assert split_title("关于做好2019年度考核工作的通知") == ["关于做好2019年度考核工作的通知"]
    assert split_title("关于做好2019年度全省机关和事业单位工作人员年度考核工作的通知") == [
        "关于做好2019年度全省机关和", "事业单位工作人员年度考核工作的通知"]
    lines = split_title("山西省人民政府办公厅关于印发山西省深化“放管服”改革优化营商环境实施方案的通知")
    assert lines == ["山西省人民政府办公厅关于印发山西省深化", "“放管服”改革优化营商环境实施方案的通知"]
    long = "国务院关于进一步加强和改进新形势下高校宣传思想工作的意见和建议以及其他若干事项的补充通知"
    lines = split_title(long)
    assert "".join(lines) == long and all(len(line) <= gongwen.TITLE_LINE_CHARS for line in lines)
    assert not line_break_violations(lines)
    assert all(not line[-1].isdigit() or not nxt[0].isdigit() for line, nxt in zip(lines, lines[1:], strict=False))


@pytest.mark.parametrize("config", ["s2t", "s2tw", "s2hk"])
def test_a_traditional_title_breaks_where_its_simplified_form_does(config: str) -> None:
    # the phrase ends, function words and document types are written down in both scripts
    words = [*gongwen._PHRASE_ENDS, *gongwen._DOC_TYPES, *gongwen._AFTER]
    to_traditional = converter(config).convert
    assert sorted({to_traditional(w) for w in words} - set(words)) == []
    for title in ("关于做好2019年度全省机关和事业单位工作人员年度考核工作的通知",
                  "山西省人民政府办公厅关于印发山西省深化“放管服”改革优化营商环境实施方案的通知"):
        assert [to_traditional(line) for line in split_title(title)] == split_title(to_traditional(title))


def test_a_trailing_date_and_issuer_are_found_only_where_they_are() -> None:
    body = (text_paragraph("正文。"),)
    _, signature, date = split_closing(body + (text_paragraph("某某局"), text_paragraph("2019年12月1日")))
    assert plain_text(signature.content) == "某某局" and plain_text(date.content) == "2019年12月1日"
    _, signature, date = split_closing(body + (text_paragraph("二〇一九年十二月一日"),))
    assert signature is None and plain_text(date.content) == "二〇一九年十二月一日"
    assert split_closing(body + (text_paragraph("会议于2019年12月1日召开。"),))[1:] == (None, None)
    # A sentence before the date is body text, not an issuer.
    _, signature, date = split_closing(body + (text_paragraph("特此通知。"), text_paragraph("2019年12月1日")))
    assert signature is None and date is not None


# ---------------------------------------------------------------- measured from the rendered page


def test_libreoffice_renders_22_lines_of_28_characters(tmp_path: Path, bbox_lines: Callable[[Path], list]) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (Debian package libreoffice-writer-nogui)")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian package poppler-utils)")
    document = notice()
    source = tmp_path / "notice.docx"
    convert.write(document, "docx", source, style="gongwen")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(source)], capture_output=True, check=True, timeout=300)
    pages = bbox_lines(tmp_path / "notice.pdf")
    assert len(pages) >= 4
    left, right = 28 * MM, (210 - 26) * MM
    numbers = []
    per_line: collections.Counter[int] = collections.Counter()
    for number, page in enumerate(pages, 1):
        footer = [line for line in page if line[2] > (297 - 35) * MM]
        text = [line for line in page if line[2] <= (297 - 35) * MM]
        assert len(footer) == 1
        numbers.append(footer[0])
        if 1 < number < len(pages):  # a full page: neither the title's nor the last
            assert len(text) == 22, [t[3] for t in text]
            for x_min, x_max, _, chars in text:
                if x_max >= right - 2:  # a full line: it reaches the right edge of the block
                    hanging = x_max > right + 2  # punctuation hung past the margin is not in the block
                    indent = round((x_min - left) / 15.75)  # a paragraph's first line starts 2 cells in
                    assert indent in (0, 2), (x_min, chars)
                    per_line[len(chars) - hanging + indent] += 1
    assert set(per_line) == {28}, per_line
    assert sum(per_line.values()) > 40
    # Page numbers: — N — in 4号, odd pages at the right, even at the left.
    for number, (x_min, x_max, _, text) in enumerate(numbers, 1):
        assert text == f"—{number}—", text
        if number % 2:
            assert abs(x_max - (right - 14)) < 2
        else:
            assert abs(x_min - (left + 14)) < 2
    # Nothing lost: every character of the article is on the pages.
    rendered = "".join(line[3] for page in pages for line in page)
    wanted = "".join(plain_text(b.content) for b in document.blocks if isinstance(b, Paragraph))
    assert collections.Counter(wanted) - collections.Counter(rendered) == collections.Counter()


def test_odd_documents_still_render(tmp_path: Path) -> None:
    cases = [
        Document(Metadata(title=""), ()),
        Document(Metadata(title="1" * 90), (text_paragraph("2019年12月1日"),)),
        Document(Metadata(title="通知"), (text_paragraph("甲\n乙"), text_paragraph("二〇一九年十二月一日"))),
    ]
    for number, document in enumerate(cases):
        target = tmp_path / f"{number}.docx"
        convert.write(document, "docx", target, style="gongwen", script="zh-TW")
        with zipfile.ZipFile(target) as package:
            text = "".join(etree.fromstring(package.read("word/document.xml")).itertext())
        wanted = document.meta.title + "".join(plain_text(b.content) for b in document.blocks).replace("\n", "")
        assert collections.Counter(text) >= collections.Counter(
            converter("s2tw").convert(wanted))
    assert split_title("1" * 90) == ["1" * 20] * 4 + ["1" * 10]
