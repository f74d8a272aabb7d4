"""The PDF writer's package structure: the painter seam and the one home of reportlab internals."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from PIL import Image as PILImage

from convert.model import Document, Image, Link, Metadata, Paragraph, Text
from convert.writers.pdf.builder import Builder
from convert.writers.pdf.document import PAGE_SIZES_PT, DocTemplate, document_info, page_margins
from convert.writers.pdf.draw import PdfPainter, painter_for, use_painter
from convert.writers.pdf.fonts import fonts_for
from convert.writers.pdf.reportlab_compat import reportlab_settings

PACKAGE = Path(__file__).resolve().parent.parent / "convert" / "writers" / "pdf"


class Recorder:
    """A second painter, as an OFD writer would plug in: records what each page gets."""

    calls: list[tuple[Any, ...]] = []

    def __init__(self, canvas: Any) -> None:
        self.page = canvas.getPageNumber()

    def show_run(self, face: Any, size: float, text: str, x: float, y: float, char_spacing: float = 0.0,
                 color: Any = None, shear: float = 0.0, actual_text: str | None = None,
                 adjustments: Any = None) -> None:
        self.calls.append(("run", self.page, actual_text if actual_text is not None else text, x, y, size))

    def box(self, x: float, y: float, width: float, height: float, stroke: Any = None, line_width: Any = None,
            fill: Any = None, dash: Any = None) -> None:
        self.calls.append(("box", self.page, width, height, dash))

    def link(self, href: str, rect: Any) -> None:
        self.calls.append(("link", self.page, href))

    def image(self, reader: Any, x: float, y: float, width: float, height: float) -> None:
        self.calls.append(("image", self.page, width, height))

    def flush(self) -> None:
        self.calls.append(("flush", self.page))


class _RecordingTemplate(DocTemplate):
    def canvas_made(self, canvas: Any) -> None:
        super().canvas_made(canvas)
        use_painter(canvas, Recorder)


def test_a_second_painter_gets_every_positioned_run_picture_box_and_link(tmp_path):
    picture = tmp_path / "p.png"
    PILImage.new("RGB", (300, 200), (0, 120, 0)).save(picture)
    body = "第一段正文，" * 60
    document = Document(Metadata(title="画家"), (
        Paragraph((Text(body), Link((Text("链接"),), "https://example.com/"), Text("\U0010FFFD"))),
        Image("p.png", str(picture)),
        Image("missing.png", None),
    ))
    fonts = fonts_for(None)
    page = PAGE_SIZES_PT["A4"]
    Recorder.calls = []
    with reportlab_settings():
        doc = _RecordingTemplate(io.BytesIO(), page, page_margins(page, 12.0), fonts,
                                 document_info("画家", "", "", "", None), 12.0, "zh-CN")
        builder = Builder(document, fonts, 12.0, doc.height, doc.width)
        try:
            doc.build(builder.title_block() + builder.blocks(document.blocks))
        finally:
            doc.forget_fonts()
    calls = Recorder.calls
    runs = [c for c in calls if c[0] == "run"]
    text = "".join(c[2] for c in runs)
    assert text.startswith("画家") and (body + "链接\U0010FFFD") in text  # the uncovered character as its actual text
    assert "图片缺失：missing.png" in text  # the placeholder's label
    assert all(c[5] > 0 for c in runs) and len({round(c[4]) for c in runs}) > 5  # positioned, on many lines
    assert ("link", 1, "https://example.com/") in calls
    # at its resolution: 300 x 200 pixels at 150 ppi
    assert [c for c in calls if c[0] == "image"] == [("image", 1, 300 * 72 / 150, 200 * 72 / 150)]
    boxes = [c for c in calls if c[0] == "box"]
    assert [c[4] for c in boxes] == [None, (4, 3)]  # the uncovered character's box, the placeholder's dashed box


def test_the_default_painter_is_the_pdf_painter_and_use_painter_none_restores_it():
    class Canvas:
        _doc = None
        _escape = staticmethod(str)

    canvas = Canvas()
    assert isinstance(painter_for(canvas), PdfPainter)
    use_painter(canvas, Recorder)
    Recorder.calls = []
    canvas.getPageNumber = lambda: 3  # type: ignore[attr-defined]
    assert isinstance(painter_for(canvas), Recorder)
    use_painter(canvas, None)
    assert isinstance(painter_for(canvas), PdfPainter)


# reportlab's private names the writer relies on, and its process-wide settings we patch
_INTERNALS = re.compile(
    r"\._(code|doc|escape|makeCanvas|doSave|catalog|aH|frame|ttf_data|savedInfo)\b|"
    r"\b(rl_config|makeToUnicodeCMap|PDFZCompress|pdfdoc|_makeCanvas)\b"
)


def test_only_reportlab_compat_touches_reportlab_internals():
    offenders = []
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name in ("reportlab_compat.py", "pdfa.py"):  # pdfa.py patches reportlab's serialisation
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _INTERNALS.search(line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
    assert _INTERNALS.search((PACKAGE / "reportlab_compat.py").read_text(encoding="utf-8"))


def test_book_imports_no_private_name_from_its_siblings():
    source = (PACKAGE / "book.py").read_text(encoding="utf-8")
    imported = re.findall(r"^from \.(\w*) import \(?([^)]*?)\)?$", source, re.MULTILINE)
    names = [name.strip() for _, group in imported for name in group.split(",") if name.strip()]
    assert names and not [name for name in names if name.startswith("_")]


def test_every_module_of_the_package_stays_small():
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in PACKAGE.glob("*.py")}
    assert len(sizes) >= 10 and max(sizes.values()) <= 500, sizes


def test_a_jpeg_picture_is_decoded_once_per_render(tmp_path, monkeypatch):
    """load_picture decodes it to catch truncation, at 1/8 scale (libjpeg still reads every
    block); drawImage names the image by the file's bytes rather than decoding the JPEG again."""
    from PIL import ImageFile

    from convert.writers import get_writer

    picture = tmp_path / "p.jpg"
    PILImage.new("RGB", (400, 300), (200, 40, 40)).save(picture)
    decodes = []
    load = ImageFile.ImageFile.load

    def counting_load(self: Any) -> Any:
        if not self.tile:  # decoded already
            return load(self)
        pixels = load(self)
        decodes.append((self.format, self.size))
        return pixels

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    writer = get_writer("pdf")
    result = writer.render(Document(Metadata(title="图"), (Image("图片/0.jpg", str(picture)),)), writer.make_options())
    assert b"/DCTDecode" in result.data  # the JPEG is still embedded as it is
    assert decodes == [("JPEG", (50, 38))]  # once, reduced


def test_reportlab_runs_with_its_c_accelerator():
    """pyproject asks for reportlab[accel]: without rl_accel reportlab formats every number of
    the file in Python (the same bytes, slower)."""
    from reportlab.lib import rl_accel

    assert {"fp_str", "escapePDF"} <= set(rl_accel._c_funcs)
