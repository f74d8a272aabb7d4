"""The PDF writer, checked through real consumers: poppler's pdftotext and pdffonts, pypdf."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

import convert
from convert.errors import ConvertError, FontError
from convert.model import (
    Document,
    Emphasis,
    Heading,
    Image,
    Link,
    Metadata,
    Paragraph,
    Strong,
    Text,
    plain_text,
    text_paragraph,
    walk_blocks,
)
from convert.typography import NO_LINE_END, NO_LINE_START, fit_lines, line_break_violations
from convert.writers import get_writer
from convert.writers.pdf import CJKParagraph

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").rglob("*.txt"))
SEEDS = [p for p in SEEDS if p.is_file()]
GOLDEN = Path(__file__).resolve().parent / "golden" / "pdf"
REGENERATE = os.environ.get("CONVERT_REGENERATE_GOLDEN") == "1"
POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) is not installed")

WRITER = get_writer("pdf")


def render(document: Document, **options: object) -> tuple[bytes, list]:
    rendered = WRITER.render(document, WRITER.make_options(**options))
    return rendered.data, list(rendered.diagnostics)


def pdftotext(data: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdffonts(data: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    # name, type (may hold spaces), encoding, emb, sub, uni, object, generation
    return [re.split(r"\s+", row.strip()) for row in rows if row.strip()]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_texts(data: bytes, tmp_path: Path) -> str:
    """pdftotext's text, pages joined: page numbers are pagination artifacts, not in it."""
    return "\n".join(line for line in pdftotext(data, tmp_path).replace("\f", "\n").splitlines() if line.strip())


def paragraphs(document: Document) -> list[str]:
    return [plain_text(b.content) for b in walk_blocks(document.blocks) if isinstance(b, Paragraph)]


@pytest.fixture(scope="module")
def seed_documents() -> list[Document]:
    return [convert.read(p, root=ROOT / "seeds").document for p in SEEDS]


# ---------------------------------------------------------------- searchable text, fonts


@needs_poppler
def test_pdftotext_gives_back_every_character_of_title_and_paragraphs_in_order(seed_documents, tmp_path):
    assert seed_documents, "no seeds"
    for document in seed_documents:
        data, _ = render(document)
        text = squash(page_texts(data, tmp_path))
        expected = [squash(document.title)] + [squash(p) for p in paragraphs(document)]
        at = 0
        for piece in expected:
            found = text.find(piece, at)
            assert found >= 0, f"{document.meta.source}: not found in order: {piece[:40]!r}"
            at = found + len(piece)


@needs_poppler
def test_every_font_is_embedded_subset_and_has_a_tounicode_map(seed_documents, tmp_path):
    for document in seed_documents[:4]:
        data, _ = render(document)
        rows = pdffonts(data, tmp_path)
        assert rows
        for row in rows:
            emb, sub, uni = row[-5:-2]
            assert (emb, sub, uni) == ("yes", "yes", "yes"), row
            assert "Helvetica" not in row[0]


@needs_poppler
def test_extension_b_and_emoji_fall_back_to_hanazono_and_come_back_from_pdftotext(tmp_path):
    text = "𠮷野家的𩸽（ほっけ）定食😀，㐀㐁。"
    data, diagnostics = render(Document(Metadata(title="𠮷"), (text_paragraph(text),)))
    assert squash(text) in squash(pdftotext(data, tmp_path))
    fonts = " ".join(row[0] for row in pdffonts(data, tmp_path))
    assert "HanaMin" in fonts
    assert not [d for d in diagnostics if d.code == "uncovered-chars"]


@needs_poppler
def test_a_character_in_no_font_is_counted_in_the_warnings_and_still_extracted(tmp_path):
    data, diagnostics = render(Document(Metadata(title="t"), (text_paragraph("私用\U0010fffd区和\U000e0fff。"),)))
    warned = [d for d in diagnostics if d.code == "uncovered-chars"]
    assert warned and "2 character(s)" in warned[0].message and "U+10FFFD" in warned[0].message
    assert "私用\U0010fffd区和\U000e0fff。" in squash(pdftotext(data, tmp_path))


@needs_poppler
def test_markup_like_text_appears_literally(tmp_path):
    title = "<b>标题</b> & R&D &amp;"
    body = "A<B & C> <<条例>> &nbsp; <i>x</i>"
    data, _ = render(Document(Metadata(title=title), (text_paragraph(body),)))
    text = squash(pdftotext(data, tmp_path))
    assert squash(title) in text and squash(body) in text


@needs_poppler
def test_inline_styles_keep_their_text(tmp_path):
    para = Paragraph((Text("正文"), Strong((Text("加粗"),)), Emphasis((Text("强调"),)), Link((Text("链接"),), "https://example.com")))
    data, _ = render(Document(Metadata(title="t"), (Heading(2, (Text("小标题"),)), para)))
    assert "小标题正文加粗强调链接" in squash(pdftotext(data, tmp_path))


ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from(list("，。、；：？！“”‘’（）《》「」【】—…％·<>&\"'#*_[]()0123456789abcXYZ 𠮷𩸽㐀")),
    ),
    min_size=1,
    max_size=300,
).filter(lambda t: t.strip())


@needs_poppler
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(ANY_TEXT, ANY_TEXT)
def test_any_text_in_the_same_text_out_through_pdftotext(tmp_path, title, body):
    data, _ = render(Document(Metadata(title=title), (text_paragraph(body),)))
    text = squash(page_texts(data, tmp_path))
    assert squash(title) in text
    assert squash(body) in text[text.index(squash(title)) + len(squash(title)) :]


# ---------------------------------------------------------------- clreq line breaking


def _layout_lines(document: Document, width_em: int = 37) -> list[str]:
    """The writer's own line output for each paragraph at a given measure."""
    out: list[str] = []
    from convert.writers.pdf.builder import Builder
    from convert.writers.pdf.fonts import fonts_for

    builder = Builder(document, fonts_for(None), 12.0, 700.0)
    for block in builder.blocks(document.blocks):
        if isinstance(block, CJKParagraph):
            for start, end in block.layout(width_em * 12.0):
                out.append(block.text.chars[start:end])
    return out


def test_no_line_of_any_seed_breaks_the_clreq_rules_in_the_layout_engine(seed_documents):
    for width in (20, 26, 37):
        for document in seed_documents:
            lines = _layout_lines(document, width)
            assert lines
            assert line_break_violations(lines) == [], document.meta.source


@needs_poppler
def test_no_line_of_any_seed_breaks_the_clreq_rules_in_pdftotext_layout(seed_documents, tmp_path):
    for page_size in ("A4", "A5"):
        for document in seed_documents:
            data, _ = render(document, page_size=page_size)
            lines = pdftotext(data, tmp_path, "-layout").splitlines()
            assert line_break_violations(lines) == [], (document.meta.source, page_size)


PUNCTUATED = st.text(
    alphabet=st.sampled_from(list("中文字词句段落。，、；：？！“”‘’（）《》「」『』【】〔〕〈〉％abc123 ./-")), min_size=1, max_size=400
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PUNCTUATED, st.integers(min_value=3, max_value=40))
def test_fit_lines_keeps_the_rules_whenever_the_text_allows_it(text, width):
    lines = fit_lines(text, [1.0] * len(text), float(width), float(width - 2) if width > 2 else None)
    assert "".join(text[s:e] for s, e in lines) == text  # nothing lost, nothing repeated
    for number, (s, e) in enumerate(lines):
        assert e > s
        measure = width - 2 if number == 0 and width > 2 else width
        assert len(text[s:e].rstrip(" ")) <= max(measure, 1)  # never wider than the measure
    for s, _e in lines[1:]:
        ch = text[s]
        if ch in NO_LINE_START:
            # only when every earlier place on the previous line was forbidden too
            prev_start = next(ps for ps, pe in lines if pe == s)
            assert all(text[j] in NO_LINE_START or text[j - 1] in NO_LINE_END for j in range(prev_start + 1, s + 1)), (text, lines)


def test_latin_words_numbers_and_urls_are_not_split():
    text = "据统计，2019年上半年GDP增长6.3%，详见https://www.stats.gov.cn/tjsj/zxfb/201907.html，同比增长12,345.67万元。"
    for width in range(8, 30):
        lines = fit_lines(text, [1.0] * len(text), float(width))
        for token in ("2019", "GDP", "6.3%", "https://www.stats.gov.cn/tjsj/zxfb/201907.html", "12,345.67"):
            if len(token) <= width:
                joined = [text[s:e] for s, e in lines]
                assert any(token in line for line in joined), (width, token, joined)


def test_first_line_indented_two_em_and_lines_justified_except_the_last(tmp_path):
    if not POPPLER:
        pytest.skip("poppler-utils is not installed")
    text = "这是一个测试段落，" * 30 + "包含英文words和数字12345以及更多的中文内容。" * 3
    data, _ = render(Document(Metadata(title="t"), (text_paragraph(text),)))
    path = tmp_path / "j.pdf"
    path.write_bytes(data)
    html = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    boxes = [tuple(float(v) for v in m) for m in re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', html)]
    body = boxes[1:]  # not the title (the page number is an artifact pdftotext leaves out)
    left = min(b[0] for b in body)
    right = max(b[1] for b in body)
    assert abs(body[0][0] - left - 24.0) < 1.0  # 2 em at 12 pt
    for x_min, x_max in body[1:-1]:
        assert abs(x_min - left) < 0.5 and abs(x_max - right) < 1.5, (x_min, x_max, left, right)
    assert body[-1][1] < right - 12  # the last line is left ragged


def test_a_50000_character_paragraph_without_punctuation_renders_quickly():
    for text in ("中" * 50_000, "a" * 50_000):
        started = time.perf_counter()
        data, _ = render(Document(Metadata(title="长"), (text_paragraph(text),)))
        assert time.perf_counter() - started < 15
        assert len(pypdf.PdfReader(_bytes_io(data)).pages) > 10


# ---------------------------------------------------------------- document structure


def test_metadata_lang_outline_and_page_size(seed_documents):
    document = next(d for d in seed_documents if d.meta.category and d.meta.date and len(d.meta.date) == 10)
    data, _ = render(document, page_size="A5")
    reader = pypdf.PdfReader(_bytes_io(data))
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    info = reader.metadata
    assert info.title == document.title
    assert info.subject == " / ".join(document.meta.category)
    assert info["/Source"] == document.meta.source
    assert info["/CreationDate"].startswith("D:" + document.meta.date.replace("-", ""))
    assert [o.title for o in reader.outline][:1] == [document.title]
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (420, 595)


@pytest.mark.parametrize("page_size, expected", [("A4", (595, 842)), ("B5", (499, 709)), ("Letter", (612, 792))])
def test_page_sizes(page_size, expected):
    data, _ = render(Document(Metadata(title="t"), (text_paragraph("正文"),)), page_size=page_size)
    box = pypdf.PdfReader(_bytes_io(data)).pages[0].mediabox
    assert (round(float(box[2])), round(float(box[3]))) == expected


def test_the_same_input_gives_byte_identical_pdfs_even_in_a_fresh_process(seed_documents):
    document = seed_documents[0]
    first, _ = render(document)
    assert render(document)[0] == first
    code = (
        "import sys, convert; from convert.writers import get_writer; w = get_writer('pdf');"
        f"sys.stdout.buffer.write(w.render(convert.read({str(SEEDS[0])!r}).document, w.make_options()).data)"
    )
    fresh = subprocess.run([os.sys.executable, "-c", code], check=True, capture_output=True, cwd=ROOT).stdout
    assert fresh == first


def _drawn_pictures(data: bytes) -> list[tuple[float, float, float]]:
    """Where pictures are drawn: width, height and x offset of the "w 0 0 h x y cm" before each Do."""
    reader = pypdf.PdfReader(_bytes_io(data))
    drawn = []
    for page in reader.pages:
        ops = pypdf.generic.ContentStream(page.get_contents(), reader).operations
        drawn += [tuple(float(ops[i - 1][0][k]) for k in (0, 3, 4)) for i, (_, op) in enumerate(ops) if op == b"Do"]
    return drawn


def _text_block() -> tuple[float, float]:
    from reportlab.lib.pagesizes import A4

    from convert.writers.pdf.document import page_margins

    left, right, top, bottom = page_margins(A4, 12.0)
    return A4[0] - left - right, A4[1] - top - bottom


def test_pictures_larger_than_the_text_width_are_reduced_to_it_and_tall_ones_capped(tmp_path):
    wide = tmp_path / "wide.jpg"
    PILImage.new("RGB", (2000, 500), (200, 40, 40)).save(wide)
    tall = tmp_path / "tall.png"
    PILImage.new("RGB", (100, 3000), (40, 40, 200)).save(tall)
    document = Document(Metadata(title="图"), (Image("图片/0.jpg", str(wide)), Image("图片/1.png", str(tall))))
    data, diagnostics = render(document)
    assert not diagnostics
    reader = pypdf.PdfReader(_bytes_io(data))
    assert len([img for page in reader.pages for img in page.images]) == 2
    text_width, frame_height = _text_block()
    (wide_w, wide_h, _), (tall_w, tall_h, _) = _drawn_pictures(data)
    assert wide_w == pytest.approx(text_width, abs=0.01) and wide_h == pytest.approx(text_width / 4, abs=0.01)
    assert tall_h == pytest.approx(frame_height * 0.9, abs=0.01) and tall_w == pytest.approx(tall_h / 30, abs=0.01)


def test_a_small_picture_is_drawn_at_150_ppi_centred_not_blown_up_to_the_text_width(tmp_path):
    small = tmp_path / "small.jpg"
    PILImage.new("RGB", (320, 200), (40, 160, 40)).save(small)
    data, _ = render(Document(Metadata(title="图"), (Image("图片/0.jpg", str(small)),)))
    ((width, height, x),) = _drawn_pictures(data)
    assert width == pytest.approx(320 * 72 / 150, abs=0.01)  # 153.6 pt, about 54 mm
    assert height == pytest.approx(200 * 72 / 150, abs=0.01)
    assert x == pytest.approx((_text_block()[0] - width) / 2, abs=0.01)


@needs_poppler
def test_a_missing_or_truncated_picture_is_a_placeholder_box_with_its_name(tmp_path):
    good = tmp_path / "good.jpg"
    PILImage.new("RGB", (300, 200), (0, 120, 0)).save(good)
    truncated = tmp_path / "bad.jpg"
    truncated.write_bytes(good.read_bytes()[:300])
    document = Document(Metadata(title="图"), (Image("图片/0.jpg", None), Image("图片/1.jpg", str(truncated))))
    data, diagnostics = render(document)
    codes = sorted(d.code for d in diagnostics)
    assert codes == ["unreadable-image"]  # the missing one is the reader's to report (missing-image), once
    text = pdftotext(data, tmp_path)
    assert "图片/0.jpg" in text and "图片/1.jpg" in text


def test_an_empty_document_is_a_valid_pdf_and_the_writer_adds_no_warning():
    data, diagnostics = render(Document())
    assert diagnostics == []  # an empty article is the reader's to report (empty-body), once
    assert len(pypdf.PdfReader(_bytes_io(data)).pages) == 1


def test_a_bad_font_is_a_one_line_font_error(tmp_path):
    not_a_font = tmp_path / "x.ttf"
    not_a_font.write_text("hello")
    with pytest.raises(FontError) as caught:
        render(Document(Metadata(title="t")), font=str(not_a_font))
    assert "\n" not in str(caught.value)
    with pytest.raises(FontError, match="CFF"):
        render(Document(Metadata(title="t")), font=str(_cff_font(tmp_path)))


def test_another_truetype_font_can_be_chosen(tmp_path):
    wqy = ROOT / "fonts" / "wqy-microhei.ttc"
    data, _ = render(Document(Metadata(title="t"), (text_paragraph("正文"),)), font=str(wqy))
    fonts = [f["/BaseFont"] for p in pypdf.PdfReader(_bytes_io(data)).pages for f in p["/Resources"]["/Font"].values()]
    assert all("WenQuanYi" in str(f) for f in fonts)


def test_unknown_page_size_is_a_one_line_error():
    with pytest.raises(ConvertError):
        render(Document(Metadata(title="t")), page_size="A3")


def test_writing_is_atomic_and_the_command_line_writes_pdfs(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run(
        [os.sys.executable, "-m", "convert", str(SEEDS[0]), "--to", "pdf", "-o", str(out), "-q", "--page-size", "A5"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    pdfs = list(out.rglob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    assert not [p for p in out.rglob("*") if p.is_file() and p.suffix != ".pdf" and not p.name.startswith(".convert-")]


# ---------------------------------------------------------------- golden: text and font list


@needs_poppler
def test_output_matches_the_golden_text_and_font_list(seed_documents, tmp_path):
    document = seed_documents[0]
    data, _ = render(document)
    fonts = [row[0].split("+", 1)[-1] for row in pdffonts(data, tmp_path)]
    current = {"text": pdftotext(data, tmp_path, "-layout").splitlines(), "fonts": fonts}
    golden = GOLDEN / "seed000.json"
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert current == json.loads(golden.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- helpers


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def _cff_font(tmp_path: Path) -> Path:
    """A tiny OpenType font with CFF outlines, which reportlab cannot embed."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "A"])
    fb.setupCharacterMap({65: "A"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0))
    pen.lineTo((500, 0))
    pen.lineTo((250, 700))
    pen.closePath()
    charstring = pen.getCharString()
    fb.setupCFF("Test-Regular", {"FullName": "Test"}, {".notdef": charstring, "A": charstring}, {})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "A": (500, 0)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    path = tmp_path / "cff.otf"
    fb.save(str(path))
    return path


def test_a_table_row_taller_than_a_page_costs_that_block_with_a_warning_not_the_pdf():
    from convert.model import Document, Metadata, Paragraph, Table, Text
    from convert.writers.pdf import PdfWriter

    tall = Table((((Text("格" * 40_000),), (Text("右"),)),))
    doc = Document(Metadata(title="超高表格"), (Paragraph((Text("表前。"),)), tall, Paragraph((Text("表后。"),))))
    writer = PdfWriter()
    rendered = writer.render(doc, writer.make_options())
    assert rendered.data.startswith(b"%PDF")
    assert [d.code for d in rendered.diagnostics if d.code == "block-too-large"] == ["block-too-large"]
    assert rendered.data == writer.render(doc, writer.make_options()).data


def test_latin_letters_and_digits_take_the_serif_while_chinese_punctuation_stays_full_width():
    from convert.writers.pdf.fonts import fonts_for

    chain = fonts_for(None).body
    family = {ch: chain.specs[chain.resolve(ch)].family for ch in "R5 é“”·—…，。《"}
    assert {family[ch] for ch in "R5 é"} == {"Liberation Serif"}
    assert {family[ch] for ch in "“”·—…，。《"} == {"Convert Serif SC"}
    widths = {ch: chain.face(chain.resolve(ch)).width(ch) for ch in "“”·—…，。《"}
    assert set(widths.values()) == {1.0}, widths  # full width: · and — too (their fwid forms)


def test_a_chosen_font_draws_its_own_latin_letters(tmp_path):
    from convert.fonts import bundled
    from convert.writers.pdf.fonts import fonts_for

    heading_font = bundled("heading")[0].path
    chain = fonts_for(str(heading_font)).body
    assert chain.specs[chain.resolve("R")].family != "Liberation Serif"


def test_a_two_line_title_splits_at_a_phrase_boundary_not_inside_a_word():
    from convert.writers.pdf.paragraph import two_line_split

    title = "山西省“不忘初心、牢记使命”主题教育工作会议召开"
    split = two_line_split(title, [1.0] * len(title), 20.0)
    assert title[:split] == "山西省“不忘初心、牢记使命”"


def test_page_numbers_are_drawn_but_never_split_a_paragraph_in_extracted_text(tmp_path):
    if not POPPLER:
        pytest.skip("poppler-utils is not installed")
    text = "跨页的段落文字，" * 400
    data, _ = render(Document(Metadata(title="跨页"), (text_paragraph(text),)))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, 1):
        assert str(number) in page.extract_text().splitlines()  # drawn (pypdf ignores /ActualText)
    assert squash(pdftotext(data, tmp_path)) == squash("跨页" + text)  # pdftotext: the text alone, unbroken


def test_no_line_ends_in_a_hyphen_so_extraction_keeps_it():
    from convert.typography import can_break

    assert not can_break("-", "中") and can_break("中", "沪")
    text = "京-沪" * 200
    lines = fit_lines(text, [1.0] * len(text), 17.0)
    assert all(not text[s:e].rstrip().endswith("-") for s, e in lines[:-1])
