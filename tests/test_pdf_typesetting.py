"""Issue 11's typesetting, measured on rendered PDFs with the project's checker
(benchmarks/check_typesetting.py, from glyph positions): numbers never split, adjacent
punctuation compressed, no lone last character, the Han-Latin quarter em, TJ arrays; and
CJKParagraph.split never leaves a widow or an orphan."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from convert.model import Document, Metadata, text_paragraph
from convert.writers import get_writer
from convert.writers.pdf import CJKParagraph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import check_typesetting as checker  # noqa: E402

needs_mutool = pytest.mark.skipif(not shutil.which("mutool"), reason="mutool (mupdf-tools) is not installed")
WRITER = get_writer("pdf")

# A4 at 12 pt: a 37 em measure, the first line 35 em after its 2 em indent
PARAGRAPHS = [
    "国" * 33 + "１９９８年，" + "家" * 30,  # first-fit of old cut 19|98 at the first line's end
    "国" * 34 + "ＳＯＳ组织，" + "家" * 30,
    "国" * 34 + "１１．６％，" + "家" * 30,
    "国" * 35 + "家" * 37 + "了。",  # first-fit leaves 了。 alone on the last line
    "国" * 35 + "家" * 37 + "成",
    "他说：“《人民日报》（海外版）发表评论。”随后，“大家”、“我们”、《求是》（月刊）；好！”。" * 3,
]


def _render(tmp_path: Path, paragraphs: list[str]) -> Path:
    document = Document(Metadata(title="排版"), tuple(text_paragraph(p) for p in paragraphs))
    rendered = WRITER.render(document, WRITER.make_options())
    path = tmp_path / "t.pdf"
    path.write_bytes(rendered.data)
    return path


@needs_mutool
def test_numbers_stay_whole_pairs_are_compressed_and_no_last_line_is_lone(tmp_path):
    result = checker.check(_render(tmp_path, PARAGRAPHS))
    assert result.split_runs == 0, result.examples
    assert result.bad_starts == result.bad_ends == 0, result.examples
    assert result.lone_last == result.lone_han_punct == 0, result.examples
    assert result.pairs >= 20
    assert result.pairs_compressed == result.pairs, result.examples


@needs_mutool
def test_a_quarter_em_stands_between_han_and_latin_and_none_beside_full_width_digits(tmp_path):
    glyphs, _, _ = checker.trace(_render(tmp_path, ["增长6%，于１９９８年达到GDP的一半。"]))
    body = [g for g in glyphs if abs(g.size - 12.0) < 0.1]
    text = "".join(g.ch for g in body)
    at = text.index("增长6")

    def gap(i: int) -> float:
        return (body[i + 1].x - body[i].x - body[i].adv) / 12.0

    assert abs(gap(at + 1) - 0.25) < 0.02  # 长|6
    assert abs(gap(text.index("到G")) - 0.25) < 0.02
    assert abs(gap(text.index("P的")) - 0.25) < 0.02
    assert abs(gap(text.index("于１"))) < 0.02 and abs(gap(text.index("８年"))) < 0.02  # full-width digits: none
    assert abs(gap(text.index("%，"))) < 0.02  # no space where punctuation stands


@needs_mutool
def test_lines_are_drawn_with_one_tj_array_per_run_carrying_the_adjustments(tmp_path):
    path = _render(tmp_path, PARAGRAPHS[-1:])
    import pikepdf

    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        page.contents_coalesce()
        stream = page.Contents.read_bytes()
    assert stream.count(b"] TJ") >= 3
    assert b">500<" in stream or b">500]" in stream  # half an em back: a compressed pair


def _paragraph(lines: int) -> CJKParagraph:
    from convert.writers.pdf.builder import Builder
    from convert.writers.pdf.fonts import fonts_for

    document = Document(Metadata(title="t"), ())
    builder = Builder(document, fonts_for(None), 12.0, 700.0)
    text = "国" * 35 + "家" * 37 * (lines - 1)
    paragraph = CJKParagraph(builder.plain(text, builder.body_style), 12.0, 21.0, indent=24.0)
    paragraph._frame_height = lambda: 700.0  # type: ignore[method-assign]
    paragraph.wrap(444.0, 700.0)
    assert len(paragraph.layout(444.0)) == lines
    return paragraph


def test_a_paragraph_never_leaves_a_widow_or_an_orphan_at_a_page_break():
    # room for two of three lines: the last would be alone at the head of the next page -> all move
    assert _paragraph(3).split(444.0, 21.0 * 2 + 1) == []
    # room for one line of two: an orphan -> all move
    assert _paragraph(2).split(444.0, 21.0 + 1) == []
    # room for three of four: two and two
    head, tail = _paragraph(4).split(444.0, 21.0 * 3 + 1)
    assert len(head.layout(444.0)) == 2 and len(tail.layout(444.0)) == 2
    # room for one of five: the first line would be alone at the foot -> all move
    assert _paragraph(5).split(444.0, 21.0 + 1) == []
    # a whole frame too small for more than one line still splits (nothing better to do)
    paragraph = _paragraph(3)
    paragraph._frame_height = lambda: 21.0 + 1  # type: ignore[method-assign]
    assert len(paragraph.split(444.0, 21.0 + 1)) == 2
