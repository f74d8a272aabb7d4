"""The typesetting checker (benchmarks/check_typesetting.py) counts each defect it is built
for, on tiny PDFs drawn glyph by glyph with reportlab, and counts nothing on the same text
set correctly."""

from __future__ import annotations

import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import check_typesetting as checker  # noqa: E402

pytestmark = pytest.mark.skipif(not shutil.which("mutool"), reason="mutool (mupdf-tools) is not installed")

SIZE = 12.0
LEFT = 72.0
MEASURE = 20  # em per full line
TOP = 100.0
PITCH = 18.0


@dataclass
class L:
    """One line: its text, indent in em, and the advance of each glyph in em (1 by default)."""

    text: str
    indent: float = 0.0
    advances: list[float] | None = None


@pytest.fixture(scope="module")
def font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(ROOT / "fonts" / "wqy-microhei.ttc"), subfontIndex=0))
    return "WQY"


def draw(path: Path, pages: list[list[L | float]], font: str, picture: tuple[int, float] | None = None) -> Path:
    """Draw ``pages`` of lines glyph by glyph; a float in a page is vertical space in line pitches."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=(LEFT * 2 + MEASURE * SIZE, 842), initialFontName=font)
    for page in pages:
        y = 842 - TOP
        for item in page:
            if isinstance(item, float):
                y -= item * PITCH
                continue
            x = LEFT + item.indent * SIZE
            advances = item.advances or [1.0] * len(item.text)
            for ch, advance in zip(item.text, advances, strict=True):
                canvas.setFont(font, SIZE)
                canvas.drawString(x, y, ch)
                x += advance * SIZE
            y -= PITCH
        if picture:
            from PIL import Image

            pixels, width = picture
            buffer = io.BytesIO()
            Image.new("RGB", (pixels, pixels * 5 // 8), (200, 30, 30)).save(buffer, "JPEG")
            canvas.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), LEFT, 300, width, width * 5 / 8)
        canvas.showPage()
    canvas.save()
    return path


HAN = "国务院召开会议研究部署经济工作强调要推进改革开放"  # 25 distinct-looking Han characters


def han(n: int, start: int = 0) -> str:
    return "".join(HAN[(start + i) % len(HAN)] for i in range(n))


def full(text: str) -> L:
    """A justified continuation line: ``text`` padded with Han to the full measure."""
    return L(text if len(text) >= MEASURE else han(MEASURE - len(text)) + text)


def first(text: str = "") -> L:
    return L(han(MEASURE - 2 - len(text)) + text, indent=2)


def check(tmp_path: Path, font: str, pages: list[list[L | float]], **kw: object) -> checker.Result:
    return checker.check(draw(tmp_path / "t.pdf", pages, font, **kw))  # type: ignore[arg-type]


def test_clean_paragraphs_have_no_defects(tmp_path: Path, font: str) -> None:
    result = check(tmp_path, font, [[first(), full(""), L(han(5) + "。"), first(), L(han(7) + "。")]])
    assert result.paragraphs == 2
    assert (result.split_runs, result.bad_starts, result.bad_ends, result.split_dashes) == (0, 0, 0, 0)
    assert (result.lone_last, result.lone_han_punct, result.orphans, result.widows, result.notdef) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(("end", "start", "split"), [
    ("１９", "９８年", 1), ("４０６", "７名", 1), ("１１", "．６％", 1), ("１／", "３名", 1), ("ＳＯ", "Ｓ信号", 1),
    ("１２", "％的", 1), ("１，", "２００人", 1), ("１９９８", "年底", 0), ("共有", "１９９８", 0), ("１２，", "３人", 0),
])
def test_numbers_split_across_lines(tmp_path: Path, font: str, end: str, start: str, split: int) -> None:
    result = check(tmp_path, font, [[first(end), L(start + han(6) + "。")]])
    assert result.split_runs == split


def test_fullwidth_point_at_line_start_is_also_a_bad_start(tmp_path: Path, font: str) -> None:
    result = check(tmp_path, font, [[first("１１"), L("．６％" + han(6) + "。")]])
    assert (result.split_runs, result.bad_starts) == (1, 1)


def test_prohibited_line_start_and_end(tmp_path: Path, font: str) -> None:
    result = check(tmp_path, font, [[first(), L("，" + han(6) + "。"), first("《"), L("人民日报》" + han(3) + "。")]])
    assert (result.bad_starts, result.bad_ends) == (1, 1)
    # the same marks inside a line are fine
    result = check(tmp_path, font, [[first("，"), L(han(6) + "。"), first("《人"), L("民日报》" + han(3) + "。")]])
    assert (result.bad_starts, result.bad_ends) == (0, 0)


def test_split_dash_and_ellipsis(tmp_path: Path, font: str) -> None:
    result = check(tmp_path, font, [[first("—"), L("—" + han(6) + "。"), first("…"), L("…" + han(3) + "。")]])
    assert (result.split_dashes, result.bad_starts) == (2, 0)
    result = check(tmp_path, font, [[first(), L("——" + han(6) + "。")]])
    assert result.split_dashes == 0


def test_punctuation_pairs_compressed_or_not(tmp_path: Path, font: str) -> None:
    text = han(5) + "。”" + han(5) + "）、" + han(3)
    plain = L(text, indent=2)
    squeezed = L(text, indent=2, advances=[1.0] * 5 + [0.5, 1.0] + [1.0] * 5 + [0.5, 1.0] + [1.0] * 3)
    result = check(tmp_path, font, [[plain, squeezed]])
    assert (result.pairs, result.pairs_compressed, result.pairs_narrow) == (4, 2, 0)


def test_one_character_last_lines(tmp_path: Path, font: str) -> None:
    result = check(tmp_path, font, [[first(), L("字"), first(), L("了。"), first(), L("。"), L("字", indent=2)]])
    # a one-line paragraph of one character is not a 孤字
    assert (result.lone_last, result.lone_han_punct) == (2, 1)


def test_orphan_and_widow(tmp_path: Path, font: str) -> None:
    pages: list[list[L | float]] = [
        [first(), full(""), L(han(4) + "。"), first()],  # orphan: a first line alone at the foot
        [full(""), L(han(3) + "。"), first(), full("")],
        [L(han(4) + "。")],  # widow: a last line alone at the head
    ]
    result = check(tmp_path, font, pages)
    assert (result.orphans, result.widows) == (1, 1)


def test_added_letter_spacing(tmp_path: Path, font: str) -> None:
    spaced = L(han(MEASURE - 3), indent=2, advances=[1.1] * (MEASURE - 3))
    result = check(tmp_path, font, [[spaced, L(han(4) + "。")]])
    assert result.spacing and abs(result.spacing[0] - 0.1) < 0.005
    result = check(tmp_path, font, [[first(), L(han(4) + "。", advances=[1.3] * 5)]])
    assert result.spacing == [0.0]  # a paragraph's last line is not justified: not measured


def test_glyph_missing_from_the_font_is_a_box(tmp_path: Path, font: str) -> None:
    result = check(tmp_path, font, [[first(), L(han(4) + "𠮷。")]])
    assert result.notdef == 1


def test_missing_characters_against_the_source(tmp_path: Path, font: str) -> None:
    seed = tmp_path / "t.txt"
    text = han(16) + han(3) + "。"
    style = "font-size:16px;margin-top:15px;line-height:25px;text-indent:30px"
    seed.write_text(f"标题\n<div><span style='{style}'> 　　{text}X</span></div><div>&nbsp;</div>", "utf-8")
    pdf = draw(tmp_path / "t.pdf", [[L("标题", indent=5), 2.0, L(text[:18], indent=2), L(text[18:])]], font)
    result = checker.check(pdf, tmp_path, tmp_path)
    assert result.missing == 1 and result.paragraphs_out_of_order == 1
    seed.write_text(f"标题\n<div><span style='{style}'> 　　{text}</span></div><div>&nbsp;</div>", "utf-8")
    result = checker.check(pdf, tmp_path, tmp_path)
    assert result.missing == 0 and result.paragraphs_out_of_order == 0


def test_pictures_enlarged_and_too_wide(tmp_path: Path, font: str) -> None:
    lines: list[L | float] = [first(), full(""), L(han(3) + "。")]
    result = check(tmp_path, font, [lines], picture=(320, MEASURE * SIZE + 20))
    assert (result.pictures, result.pictures_enlarged, result.pictures_too_wide) == (1, 1, 1)
    result = check(tmp_path, font, [lines], picture=(320, 320 / 150 * 72))
    assert (result.pictures, result.pictures_enlarged, result.pictures_too_wide) == (1, 0, 0)


def test_fonts_not_embedded(tmp_path: Path, font: str) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "base14.pdf"
    canvas = Canvas(str(path))
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 700, "Hello")
    canvas.save()
    assert checker.check(path).fonts_not_embedded == 1
    import convert
    from convert.writers import get_writer

    writer = get_writer("pdf")
    document = convert.read(ROOT / "seeds" / "000_b01cef3071674085.txt").document
    (tmp_path / "seed.pdf").write_bytes(writer.render(document, writer.make_options()).data)
    result = checker.check(tmp_path / "seed.pdf")
    assert result.fonts_not_embedded == 0 and result.pages == 3 and result.notdef == 0


def test_command_line_json(tmp_path: Path, font: str, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    draw(tmp_path / "a.pdf", [[first("１９"), L("９８年" + han(3) + "。")]], font)
    assert checker.main([str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"]["split_runs"] == 1 and report["total"]["files"] == 1


def test_glyphs_drawn_blank_or_as_the_notdef_box(tmp_path: Path) -> None:
    """A font that maps 'A' to an empty glyph and 'B' to a copy of its .notdef box."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    def box() -> object:
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0)), pen.lineTo((100, 700)), pen.lineTo((500, 700)), pen.lineTo((500, 0)), pen.closePath()
        return pen.glyph()

    def bar() -> object:
        pen = TTGlyphPen(None)
        pen.moveTo((200, 0)), pen.lineTo((200, 600)), pen.lineTo((300, 600)), pen.lineTo((300, 0)), pen.closePath()
        return pen.glyph()

    builder = FontBuilder(1000, isTTF=True)
    order = [".notdef", "A", "B", "C"]
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord("A"): "A", ord("B"): "B", ord("C"): "C"})
    builder.setupGlyf({".notdef": box(), "A": TTGlyphPen(None).glyph(), "B": box(), "C": bar()})
    builder.setupHorizontalMetrics({name: (600, 0) for name in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Boxes", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(tmp_path / "boxes.ttf"))
    pdfmetrics.registerFont(TTFont("Boxes", str(tmp_path / "boxes.ttf")))
    canvas = Canvas(str(tmp_path / "boxes.pdf"))
    canvas.setFont("Boxes", 12)
    canvas.drawString(72, 700, "ABCC")
    canvas.save()
    result = checker.check(tmp_path / "boxes.pdf")
    assert result.notdef == 2


def test_pair_of_a_narrow_latin_quote_is_told_apart(tmp_path: Path, font: str) -> None:
    """'。' then a proportional '”' from a Latin font spans 1.5 em without any compression."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "narrow.pdf"
    canvas = Canvas(str(path))
    x = LEFT
    for ch in han(5) + "。":
        canvas.setFont(font, SIZE)
        canvas.drawString(x, 700, ch)
        x += SIZE
    canvas.setFont("Times-Roman", SIZE)
    canvas.drawString(x, 700, "\u201d")
    x += max(stringWidth("\u201d", "Times-Roman", SIZE), SIZE * 0.5)
    canvas.setFont(font, SIZE)
    canvas.drawString(x, 700, "国")
    canvas.save()
    result = checker.check(path)
    assert (result.pairs, result.pairs_compressed, result.pairs_narrow) == (1, 1, 1)


def test_targets_exit_status(tmp_path: Path, font: str, capsys: pytest.CaptureFixture[str]) -> None:
    draw(tmp_path / "good.pdf", [[first(), full(""), L(han(5) + "。")]], font)
    assert checker.main([str(tmp_path / "good.pdf"), "--targets", "--quiet"]) == 0
    assert "all met" in capsys.readouterr().out
    draw(tmp_path / "bad.pdf", [[first("１９"), L("９８年" + han(3) + "。")]], font)
    assert checker.main([str(tmp_path / "bad.pdf"), "--targets", "--quiet"]) == 1
    assert "split_runs 1 (target 0)" in capsys.readouterr().out
    assert checker.main([str(tmp_path / "bad.pdf"), "--quiet"]) == 0


def test_space_between_han_and_latin(tmp_path: Path, font: str) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = han(3) + "5G" + han(3)
    natural = [stringWidth(ch, font, SIZE) / SIZE for ch in text]
    tight = L(text, indent=2, advances=natural)
    spaced = L(text, indent=2, advances=[a + (0.25 if i in (2, 4) else 0.0) for i, a in enumerate(natural)])
    result = check(tmp_path, font, [[tight, spaced]])
    assert (result.han_latin, result.han_latin_spaced) == (4, 2)
