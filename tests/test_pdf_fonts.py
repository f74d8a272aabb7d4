"""The PDF writer's fonts and speed-related behaviour: the body face's GB punctuation, the
symbol fallback, faces opened lazily, CID-keyed subsets, and costs linear in the size."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from convert.model import Diagnostic, Document, Image, Metadata, text_paragraph
from convert.writers import get_writer
from convert.writers.pdf.builder import Builder
from convert.writers.pdf.fonts import fonts_for

ROOT = Path(__file__).resolve().parent.parent
WRITER = get_writer("pdf")
needs_poppler = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts")),
                                   reason="poppler-utils (pdftotext, pdffonts) is not installed")


def render(document: Document, **options: object) -> tuple[bytes, list[Diagnostic]]:
    rendered = WRITER.render(document, WRITER.make_options(**options))
    return rendered.data, list(rendered.diagnostics)


def _poppler(tool: str, data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    args = [tool, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdftotext(data: bytes, tmp_path: Path) -> str:
    return _poppler("pdftotext", data, tmp_path)


def pdffonts(data: bytes, tmp_path: Path) -> list[list[str]]:
    rows = _poppler("pdffonts", data, tmp_path).splitlines()[2:]
    return [re.split(r"\s+", row.strip()) for row in rows if row.strip()]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_missing_pictures_are_placeholders_the_writer_does_not_report_again():
    # The reader reported each missing picture (missing-image) in its result; the writer, which
    # never sees the reader's messages, draws the boxes and says nothing of them.
    images = tuple(Image(f"图片/{i}.jpg", None) for i in range(51))
    document = Document(Metadata(title="图"), images)
    builder = Builder(document, fonts_for(None), 12.0, 700.0, 440.0)
    for image in images:
        builder.picture(image)
    assert builder.finish() == []


@needs_poppler
def test_emoji_and_symbols_no_other_font_has_come_from_symbola_not_boxes(tmp_path):
    text = "庆祝🎉，爱心❤，回收♻，对勾✔，笑脸😀，星☆，圈①，温度℃。"
    data, diagnostics = render(Document(Metadata(title="符号"), (text_paragraph(text),)))
    assert not [d for d in diagnostics if d.code == "uncovered-chars"]
    assert "Symbola" in " ".join(row[0] for row in pdffonts(data, tmp_path))
    assert squash(text) in squash(pdftotext(data, tmp_path))


def _fresh_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT).stdout


def test_faces_are_cheap_to_open_no_whole_character_map_is_parsed():
    # reportlab's TTFont parsed every face's whole cmap and metrics: about 1 s of CPU for the
    # three faces a seed article uses; opening one now reads a few small tables
    opened = _fresh_python("""
import time
from convert.writers.pdf.fonts import fonts_for
started = time.process_time()
chains = fonts_for(None)
for chain in (chains.body, chains.heading):
    for index in range(len(chain.specs)):
        chain.face(index).covers("中")
print(time.process_time() - started)
""")
    assert float(opened) < 0.25  # every bundled face, opened and asked one character


def test_a_plain_chinese_article_opens_no_fallback_face():
    loaded = _fresh_python("""
from convert.model import Document, Metadata, text_paragraph
from convert.writers import get_writer
from convert.writers.pdf.fonts import loaded_faces
writer = get_writer("pdf")
writer.render(Document(Metadata(title="标题"), (text_paragraph("正文，Latin 2019。"),)), writer.make_options())
print(";".join(path for path, _ in loaded_faces()))
""")
    names = {Path(p).name for p in loaded.strip().split(";")}
    assert names and not names & {"HanaMinA.ttf", "HanaMinB.ttf", "Symbola_hint.ttf"}


def test_the_default_body_face_puts_chinese_punctuation_in_gb_positions():
    # mainland typography: 。，、 in the lower left of the em box, ；：！？ on its left half
    # (AR PL UMing CN centred 。 and 、: x 387-637 of 1024, the Taiwan position)
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    from convert.fonts import bundled

    spec = bundled("body")[0]
    font = TTFont(str(spec.path), fontNumber=spec.subfont_index, lazy=True)
    em = font["head"].unitsPerEm
    cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
    for char in "。，、；：！？":
        pen = BoundsPen(glyphs)
        glyphs[cmap[ord(char)]].draw(pen)
        x_min, y_min, x_max, y_max = pen.bounds
        assert glyphs[cmap[ord(char)]].width == em, char
        assert x_max < 0.5 * em, f"{char} is not on the left: x {x_min}-{x_max} of {em}"
        if char in "。，、":
            assert y_max < 0.35 * em, f"{char} is not low: y {y_min}-{y_max} of {em}"


def test_deflate_is_repeatable_with_isal_and_with_the_zlib_fallback(monkeypatch):
    import zlib

    from convert.writers.pdf import deflate

    data = ("中文字体子集 subset ".encode() * 5000) + bytes(range(256)) * 50
    first = deflate.deflate(data)
    assert zlib.decompress(first) == data and deflate.deflate(data) == first
    monkeypatch.setattr(deflate, "_isal", None)  # isal not installed
    fallback = deflate.deflate(data)
    assert zlib.decompress(fallback) == data and fallback == zlib.compress(data, deflate.ZLIB_LEVEL)


def test_one_cid_font_per_face_and_no_tounicode_entry_maps_to_u0000_or_ufeff():
    # PDF/A-2u wants every code mapped to a real character: reportlab's 256-glyph subsets
    # mapped code 0 (.notdef) of each subset to U+0000
    import io

    import pypdf

    text = "中文字体" * 50 + "".join(chr(0x4E00 + i) for i in range(600)) + "Latin 2019 😀🎉"
    data, _ = render(Document(Metadata(title="标题"), (text_paragraph(text),)))
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            fonts[name] = ref.get_object() if hasattr(ref, "get_object") else ref
    faces = sorted(str(font["/BaseFont"]).split("+", 1)[1] for font in fonts.values())
    assert len(faces) == len(set(faces))  # one font per face, however many characters
    for font in fonts.values():
        assert font["/Subtype"] == "/Type0" and font["/Encoding"] == "/Identity-H"
        cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
        targets = re.findall(r"<[0-9A-F]{4}> <([0-9A-F]+)>", cmap)
        assert targets and not {t for t in targets if t in ("0000", "FEFF")}
