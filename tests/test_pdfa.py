"""PDF/A-2u by default: every PDF (articles and books) checked by an independent validator
(``page-validation``) and by ``qpdf --check``, and the properties PDF/A asks for checked directly."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

import convert
from convert.book import write_book
from convert.model import Document, Metadata, Paragraph, Text
from convert.writers import get_writer
from convert.writers.pdf.pdfa import srgb_profile, xmp_date

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p for p in sorted((ROOT / "seeds").rglob("*.txt")) if p.is_file()]
WRITER = get_writer("pdf")

try:
    import page as page_validation
except ImportError:  # pragma: no cover - the test extras install it
    page_validation = None
needs_validator = pytest.mark.skipif(page_validation is None, reason="page-validation (PyPI) is not installed")
needs_qpdf = pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")


def render(document: Document, **options: object) -> bytes:
    return WRITER.render(document, WRITER.make_options(**options)).data


@pytest.fixture(scope="module")
def seed_pdfs() -> list[tuple[Path, Document, bytes]]:
    out = []
    for path in SEEDS:
        document = convert.read(path, root=ROOT / "seeds").document
        out.append((path, document, render(document)))
    return out


@pytest.fixture(scope="module")
def book_pdf(tmp_path_factory) -> bytes:
    target = tmp_path_factory.mktemp("pdfabook") / "book.pdf"
    write_book([ROOT / "seeds"], target, title="种子文集", author="编辑部")
    return target.read_bytes()


def failures(data: bytes) -> list[str]:
    report = page_validation.validate_pdf_bytes(data, profile="2u")
    return [f"{f.rule_id}: {f.message}" for f in report.failures] if not report.is_compliant else []


@needs_validator
def test_every_seed_pdf_is_valid_pdfa_2u(seed_pdfs):
    bad = {path.name: failures(data) for path, _, data in seed_pdfs if failures(data)}
    assert bad == {}


@needs_validator
def test_the_book_is_valid_pdfa_2u(book_pdf):
    assert failures(book_pdf) == []


@needs_validator
def test_without_the_standard_the_validator_finds_what_pdfa_fixes(seed_pdfs):
    _, document, _ = seed_pdfs[0]
    found = " ".join(failures(render(document, pdf_standard="none")))
    assert "ID-SCHEMA" in found and "STREAM" in found  # proves the validator looks at what we fix


@needs_qpdf
def test_qpdf_finds_no_error_in_any_seed_pdf_nor_the_book(seed_pdfs, book_pdf, tmp_path):
    for number, data in enumerate([d for _, _, d in seed_pdfs] + [book_pdf]):
        path = tmp_path / f"{number}.pdf"
        path.write_bytes(data)
        done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, (number, done.stdout[-500:], done.stderr[-500:])


def _tounicode_values(data: bytes) -> list[int]:
    """Every code point any ToUnicode map of the file maps a code to."""
    values: list[int] = []
    reader = pypdf.PdfReader(io.BytesIO(data))
    for number in range(1, len(reader.xref_objStm) + reader.trailer["/Size"]):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free or compressed slot
            continue
        if isinstance(obj, pypdf.generic.DictionaryObject) and "/ToUnicode" in obj:
            cmap = obj["/ToUnicode"].get_object().get_data().decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for hexes in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
                    values += [ord(c) for c in bytes.fromhex(hexes).decode("utf-16-be")]
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for lo, hi, first in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    start = ord(bytes.fromhex(first).decode("utf-16-be")[0])
                    values += range(start, start + int(hi, 16) - int(lo, 16) + 1)
    return values


def test_no_tounicode_entry_maps_a_glyph_to_nul_or_a_byte_order_mark(seed_pdfs, book_pdf):
    for data in [d for _, _, d in seed_pdfs] + [book_pdf]:
        values = _tounicode_values(data)
        assert values, "no ToUnicode map found"
        assert not {0, 0xFEFF, 0xFFFE} & set(values)


def _xmp(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    metadata = reader.trailer["/Root"]["/Metadata"].get_object()
    assert metadata["/Type"] == "/Metadata" and metadata["/Subtype"] == "/XML" and "/Filter" not in metadata
    return metadata.get_data().decode("utf-8")


def test_xmp_metadata_agrees_with_the_information_dictionary_and_names_pdfa_2u(seed_pdfs):
    for _, document, data in seed_pdfs:
        reader = pypdf.PdfReader(io.BytesIO(data))
        info = reader.trailer["/Info"]
        xmp = _xmp(data)
        assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>U</pdfaid:conformance>" in xmp
        if document.meta.title:
            assert info["/Title"] == document.meta.title
            title = re.search(r'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">(.*?)</rdf:li>', xmp).group(1)
            assert title.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") == document.meta.title
        assert f"<xmp:CreateDate>{xmp_date(info['/CreationDate'])}</xmp:CreateDate>" in xmp
        assert f"<xmp:ModifyDate>{xmp_date(info['/ModDate'])}</xmp:ModifyDate>" in xmp
        assert f"<pdf:Producer>{info['/Producer']}</pdf:Producer>" in xmp
        assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
        assert "<dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>" in xmp
        assert not [key for key, value in info.items() if value == ""]  # no empty entry lacking its XMP twin


def test_the_output_intent_is_srgb_with_an_embedded_icc_profile(seed_pdfs):
    reader = pypdf.PdfReader(io.BytesIO(seed_pdfs[0][2]))
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data() == srgb_profile()
    assert srgb_profile()[36:40] == b"acsp" and srgb_profile()[16:20] == b"RGB "


def test_every_stream_has_an_end_of_line_before_endstream_and_an_exact_length(seed_pdfs):
    data = seed_pdfs[0][2]
    streams = list(re.finditer(rb"/Length (\d+)[^>]*>>\nstream\n", data))
    assert streams
    for match in streams:
        start = match.end()
        assert data[start + int(match.group(1)) : start + int(match.group(1)) + 11] == b"\nendstream\n"


def test_pdfa_output_is_byte_identical_across_runs(seed_pdfs):
    _, document, data = seed_pdfs[-1]
    assert render(document) == data


def test_pdf_standard_none_writes_no_pdfa_furniture(seed_pdfs):
    data = render(seed_pdfs[0][1], pdf_standard="none")
    root = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/OutputIntents" not in root and "/Metadata" not in root


def test_an_unknown_pdf_standard_is_a_clear_error():
    document = Document(Metadata(title="t"), (Paragraph((Text("字"),)),))
    with pytest.raises(convert.ConvertError, match="unknown PDF standard"):
        render(document, pdf_standard="pdfa-1b")


def test_the_command_line_takes_pdf_standard(tmp_path):
    from click.testing import CliRunner

    from convert.cli import main

    result = CliRunner().invoke(main, [str(SEEDS[0]), "--to", "pdf", "-o", str(tmp_path), "-q", "--pdf-standard", "none"])
    assert result.exit_code == 0, result.output
    (out,) = tmp_path.rglob("*.pdf")
    assert b"pdfaid" not in out.read_bytes()


def test_the_title_with_xml_specials_is_escaped_in_the_xmp():
    document = Document(Metadata(title="A & B <C>"), (Paragraph((Text("正文"),)),))
    xmp = _xmp(render(document))
    assert "A &amp; B &lt;C&gt;" in xmp


@needs_validator
@pytest.mark.parametrize("mode, name", [("CMYK", "cmyk.jpg"), ("RGBA", "rgba.png"), ("LA", "la.png"), ("L", "grey.jpg")])
def test_pictures_of_every_colour_model_stay_valid_pdfa(tmp_path, mode, name):
    from PIL import Image as PILImage

    from convert.model import Image

    colour = {"CMYK": (0, 128, 0, 0), "RGBA": (255, 0, 0, 100), "LA": (100, 100), "L": 100}[mode]
    PILImage.new(mode, (40, 30), colour).save(tmp_path / name)
    document = Document(Metadata(title="图"), (Paragraph((Text("字"),)), Image(src=name, path=str(tmp_path / name))))
    assert failures(render(document)) == []
