"""The OFD writer, checked through the GB/T 33190-2016 schemas and an independent reader (ofdkit)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image as PILImage

import convert
from convert.book import write_book
from convert.model import Document, Heading, Image, Metadata, Paragraph, Text, plain_text, walk_blocks
from convert.writers import get_writer
from convert.writers.ofd.canvas import OfdPainter, Recording

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p for p in sorted((ROOT / "seeds").rglob("*.txt")) if p.is_file()]
WRITER = get_writer("ofd")
NS = "{http://www.ofdspec.org/2016}"

ofdkit = pytest.importorskip("ofdkit", reason="ofdkit (PyPI) is not installed")


def _schema_dir() -> Path | None:
    """The GB/T 33190-2016 XSDs: $CONVERT_OFD_SCHEMAS, or the project's shared folder beside the worktrees."""
    candidates = [os.environ.get("CONVERT_OFD_SCHEMAS", ""), ROOT.parent / "shared" / "ofd-schema",
                  ROOT.parent.parent / "shared" / "ofd-schema"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "Page.xsd").is_file():
            return Path(candidate)
    return None


SCHEMAS = _schema_dir()
needs_schemas = pytest.mark.skipif(SCHEMAS is None, reason="the OFD XSDs were not found (set CONVERT_OFD_SCHEMAS)")


def render(document: Document, **options: object) -> convert.writers.Rendered:
    return WRITER.render(document, WRITER.make_options(**options))


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def article_text(document: Document) -> str:
    """Every character of the title and the body, in reading order, without white space."""
    texts = [document.meta.title]
    for block in walk_blocks(document.blocks):
        if isinstance(block, (Paragraph, Heading)):
            texts.append(plain_text(block.content))
    return "".join("".join(texts).split())


def lost_characters(expected: str, got: str) -> int:
    """How many characters of ``expected`` are not found, in order, in ``got``."""
    at, lost = 0, 0
    for char in expected:
        found = got.find(char, at)
        if found < 0:
            lost += 1
        else:
            at = found + 1
    return lost


@pytest.fixture(scope="module")
def seed_ofds() -> list[tuple[Path, Document, bytes]]:
    out = []
    for path in SEEDS:
        document = convert.read(path, root=ROOT / "seeds").document
        out.append((path, document, render(document).data))
    return out


@pytest.fixture(scope="module")
def book_ofd(tmp_path_factory) -> bytes:
    target = tmp_path_factory.mktemp("ofdbook") / "book.ofd"
    write_book([ROOT / "seeds"], target, title="种子文集", author="编辑部")
    return target.read_bytes()


# ---------------------------------------------------------------- the package and its schemas


@pytest.fixture(scope="module")
def schemas() -> dict[str, etree.XMLSchema]:
    assert SCHEMAS is not None
    files = {"OFD": "OFD.xsd", "Document": "Document.xsd", "Page": "Page.xsd", "Res": "Res.xsd"}
    return {root: etree.XMLSchema(etree.parse(str(SCHEMAS / name))) for root, name in files.items()}


def invalid_parts(data: bytes, schemas: dict[str, etree.XMLSchema]) -> list[str]:
    bad = []
    for name, content in parts(data).items():
        if name.endswith(".xml"):
            root = etree.fromstring(content)
            schema = schemas[etree.QName(root).localname]
            if not schema.validate(root):
                bad.append(f"{name}: {schema.error_log.last_error}")
    return bad


@needs_schemas
def test_every_xml_part_of_every_seed_ofd_and_the_book_is_valid_against_the_gbt_33190_schemas(seed_ofds, book_ofd, schemas):
    assert [bad for _, _, data in seed_ofds for bad in invalid_parts(data, schemas)] == []
    assert invalid_parts(book_ofd, schemas) == []


@needs_schemas
def test_the_gongwen_layout_of_every_seed_and_of_the_book_is_valid_too(seed_ofds, schemas, tmp_path):
    assert [bad for _, document, _ in seed_ofds for bad in invalid_parts(render(document, style="gongwen").data, schemas)] == []
    write_book([ROOT / "seeds"], tmp_path / "book.ofd", style="gongwen", continuous=True)
    assert invalid_parts((tmp_path / "book.ofd").read_bytes(), schemas) == []


@needs_schemas
def test_the_schema_check_catches_elements_out_of_order(seed_ofds, schemas):
    files = parts(seed_ofds[0][2])
    root = etree.fromstring(files["Doc_0/Document.xml"])
    common = root.find(f"{NS}CommonData")
    common.append(common.find(f"{NS}MaxUnitID"))  # MaxUnitID must come first
    assert not schemas["Document"].validate(root)


def test_the_package_has_its_parts_where_ofd_xml_says(seed_ofds):
    files = parts(seed_ofds[0][2])
    assert list(files)[0] == "OFD.xml"
    ofd = etree.fromstring(files["OFD.xml"])
    assert ofd.get("Version") == "1.0" and ofd.get("DocType") == "OFD"
    assert ofd.findtext(f"{NS}DocBody/{NS}DocRoot") == "Doc_0/Document.xml"
    document = etree.fromstring(files["Doc_0/Document.xml"])
    pages = document.findall(f"{NS}Pages/{NS}Page")
    assert pages and all(f"Doc_0/{page.get('BaseLoc')}" in files for page in pages)
    ids = [int(e.get("ID")) for name, data in files.items() if name.endswith(".xml")
           for e in etree.fromstring(data).iter() if e.get("ID") is not None]
    assert len(ids) == len(set(ids)) and int(document.findtext(f"{NS}CommonData/{NS}MaxUnitID")) == max(ids)
    box = document.findtext(f"{NS}CommonData/{NS}PageArea/{NS}PhysicalBox")
    assert box == "0 0 210 297"  # A4 in millimetres


def test_doc_info_has_title_date_and_a_doc_id_derived_from_the_content(seed_ofds):
    ids = set()
    for _, document, data in seed_ofds:
        info = etree.fromstring(parts(data)["OFD.xml"]).find(f"{NS}DocBody/{NS}DocInfo")
        assert info.findtext(f"{NS}Title") == (document.meta.title or None)
        if document.meta.date and not document.meta.date.startswith("--"):
            assert info.findtext(f"{NS}CreationDate") == document.meta.date
        doc_id = info.findtext(f"{NS}DocID")
        assert len(doc_id) == 32
        ids.add(doc_id)
    assert len(ids) == len(seed_ofds)


def test_output_is_byte_identical_across_runs_with_fixed_zip_timestamps(seed_ofds):
    _, document, data = seed_ofds[-1]
    assert render(document).data == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_fonts_carry_their_own_names_and_the_bytes_do_not_depend_on_where_the_font_is(seed_ofds, tmp_path):
    """FontName/FamilyName are the face's PostScript and family names (readers match fonts by
    them); they were the writer's internal key, made from the font file's path, so the same
    article gave other bytes (and another DocID) on another machine."""
    _, document, _ = seed_ofds[0]
    font = ROOT / "fonts" / "ConvertSerifSC-Regular.ttf"
    elsewhere = tmp_path / "elsewhere" / font.name
    elsewhere.parent.mkdir()
    shutil.copy(font, elsewhere)
    writer = get_writer("ofd")
    here = writer.render(document, writer.options_from({"font": str(font)})).data
    there = writer.render(document, writer.options_from({"font": str(elsewhere)})).data
    assert here == there
    with zipfile.ZipFile(io.BytesIO(here)) as archive:
        res = etree.fromstring(archive.read("Doc_0/PublicRes.xml"))
    names = {(f.get("FontName"), f.get("FamilyName")) for f in res.iter("{http://www.ofdspec.org/2016}Font")}
    assert ("ConvertSerifSC-Regular", "Convert Serif SC") in names
    assert all(name and family and not name.startswith("CV") for name, family in names), names


# ---------------------------------------------------------------- reading it back


def test_ofdkit_reads_back_every_character_of_every_seed_in_reading_order(seed_ofds):
    for path, document, data in seed_ofds:
        with ofdkit.open(data) as ofd:
            got = "".join(ofd.text().split())
            assert not ofd.warnings
        expected = article_text(document)
        assert expected and lost_characters(expected, got) == 0, path.name


def test_ofdkit_reads_back_every_article_of_the_book_in_book_order(book_ofd):
    book = convert.book.plan_book([ROOT / "seeds"])
    expected = "".join(article_text(item.document) for item in book.walk() if item.document is not None)
    with ofdkit.open(book_ofd) as ofd:
        got = "".join(ofd.text().split())
        assert ofd.info.title == "种子文集" and ofd.info.author == "编辑部"
    assert len(expected) > 2000 and lost_characters(expected, got) == 0


def test_same_pages_as_the_pdf(seed_ofds):
    import pypdf

    pdf = get_writer("pdf")
    for _, document, data in seed_ofds:
        pdf_pages = len(pypdf.PdfReader(io.BytesIO(pdf.render(document, pdf.make_options()).data)).pages)
        with ofdkit.open(data) as ofd:
            assert len(ofd.pages) == pdf_pages


def test_every_embedded_font_is_a_subset_whose_unicode_cmap_covers_its_text(seed_ofds):
    files = parts(seed_ofds[0][2])
    res = etree.fromstring(files["Doc_0/PublicRes.xml"])
    fonts = {f.get("ID"): TTFont(io.BytesIO(files["Doc_0/Res/" + f.findtext(f"{NS}FontFile")]))
             for f in res.iter(f"{NS}Font")}
    assert fonts
    for name, data in files.items():
        if name.endswith("Content.xml"):
            for obj in etree.fromstring(data).iter(f"{NS}TextObject"):
                cmap = fonts[obj.get("Font")]["cmap"].getcmap(3, 10).cmap
                assert all(ord(c) in cmap for c in obj.findtext(f"{NS}TextCode")), obj.findtext(f"{NS}TextCode")
    assert all(font["maxp"].numGlyphs < 2000 for font in fonts.values())  # subsets, not whole CJK fonts


def _picture_seed(seed_ofds) -> tuple[Document, bytes]:
    for _, document, data in seed_ofds:
        if any(isinstance(b, Image) and b.path for b in walk_blocks(document.blocks)):
            return document, data
    pytest.fail("no bundled seed has a picture")


def test_pictures_are_image_resources_drawn_on_the_page(seed_ofds):
    document, data = _picture_seed(seed_ofds)
    files = parts(data)
    res = etree.fromstring(files["Doc_0/DocumentRes.xml"])
    media = {m.get("ID"): m.findtext(f"{NS}MediaFile") for m in res.iter(f"{NS}MultiMedia")}
    assert media
    for location in media.values():
        with PILImage.open(io.BytesIO(files["Doc_0/Res/" + location])) as image:
            image.load()
    drawn = [obj.get("ResourceID") for name, content in files.items() if name.endswith("Content.xml")
             for obj in etree.fromstring(content).iter(f"{NS}ImageObject")]
    assert sorted(set(drawn)) == sorted(media)


def test_headings_and_the_book_contents_become_the_outline(book_ofd):
    document = Document(Metadata(title="标题"), (Heading(1, (Text("第一章"),)), Paragraph((Text("正文。"),)),
                                                Heading(2, (Text("第一节"),)), Paragraph((Text("正文。"),))))
    outline = etree.fromstring(parts(render(document).data)["Doc_0/Document.xml"]).find(f"{NS}Outlines")
    titles = [(e.get("Title"), len(list(e.iterancestors(f"{NS}OutlineElem")))) for e in outline.iter(f"{NS}OutlineElem")]
    assert titles == [("标题", 0), ("第一章", 1), ("第一节", 2)]
    book = etree.fromstring(parts(book_ofd)["Doc_0/Document.xml"])
    book_titles = [e.get("Title") for e in book.iter(f"{NS}OutlineElem")]
    assert "不忘初心牢记使命" in book_titles and "网络聚焦" in book_titles and len(book_titles) > 15
    page_ids = {p.get("ID") for p in book.iter(f"{NS}Page")}
    assert all(d.get("PageID") in page_ids for d in book.iter(f"{NS}Dest"))
    contents = etree.fromstring(parts(book_ofd)["Doc_0/Pages/Page_1/Content.xml"])
    links = list(contents.iter(f"{NS}Goto"))
    assert len(links) > 15 and all(d.get("PageID") in page_ids for g in links for d in g.iter(f"{NS}Dest"))


# ---------------------------------------------------------------- the painter


class _Canvas:
    def __init__(self) -> None:
        self.recording = Recording()

    def getPageNumber(self) -> int:  # noqa: N802
        return 1

    def absolutePosition(self, x: float, y: float) -> tuple[float, float]:  # noqa: N802
        return x + 100, y + 200


def test_the_painter_adds_adjustments_after_each_glyph_and_places_runs_on_the_page():
    from convert.writers.pdf.fonts import fonts_for

    face = fonts_for(None).body.main
    canvas = _Canvas()
    painter = OfdPainter(canvas)
    painter.show_run(face, 10.0, "中，文", 5.0, 6.0, char_spacing=1.0, adjustments=[0.0, -5.0, 2.5])
    (run,) = canvas.recording.pages[1].items
    assert (run.x, run.y, run.text) == (105.0, 206.0, "中，文")
    assert run.advances == [11.0, 6.0, 13.5]


# ---------------------------------------------------------------- bad input


def test_a_missing_picture_becomes_a_dashed_placeholder_with_its_name(tmp_path):
    document = Document(Metadata(title="缺图"), (Image(src="图片/none.jpg", path=None),))
    rendered = render(document)
    assert "missing-image" not in [d.code for d in rendered.diagnostics]  # the reader's to report, once
    files = parts(rendered.data)
    page = etree.fromstring(files["Doc_0/Pages/Page_0/Content.xml"])
    assert [p for p in page.iter(f"{NS}PathObject") if p.get("DashPattern")]
    with ofdkit.open(rendered.data) as ofd:
        assert "none.jpg" in ofd.text()


def test_a_character_no_font_has_is_a_counted_box_and_still_read_back():
    document = Document(Metadata(title="无字"), (Paragraph((Text("前\U000f0001后"),)),))
    rendered = render(document)
    assert [d for d in rendered.diagnostics if d.code == "uncovered-chars" and "1 character" in d.message]
    page = etree.fromstring(parts(rendered.data)["Doc_0/Pages/Page_0/Content.xml"])
    assert len(list(page.iter(f"{NS}PathObject"))) == 1
    with ofdkit.open(rendered.data) as ofd:
        assert "前\U000f0001后" in "".join(ofd.text().split())  # ofdkit guesses the last glyph's width


def test_characters_xml_cannot_hold_are_shown_as_replacement_characters_in_text_and_doc_info():
    document = Document(Metadata(title="标\x0b题"), (Paragraph((Text("前\uffff后"),)),))
    files = parts(render(document).data)
    title = etree.fromstring(files["OFD.xml"]).find(f".//{NS}Title")
    assert title is not None and title.text == "标\ufffd题"
    page = etree.fromstring(files["Doc_0/Pages/Page_0/Content.xml"])
    assert "前\ufffd后" in "".join(code.text or "" for code in page.iter(f"{NS}TextCode"))


def test_an_empty_body_gives_a_valid_one_page_ofd_and_the_writer_adds_no_warning():
    rendered = render(Document(Metadata(title=""), ()))
    assert rendered.diagnostics == ()  # an empty article is the reader's to report (empty-body), once
    with ofdkit.open(rendered.data) as ofd:
        assert len(ofd.pages) == 1


def test_a_failed_render_leaves_no_partial_ofd(tmp_path, monkeypatch):
    from convert.writers.ofd import package

    def broken(self, order, meta):
        raise OSError("disk full")

    monkeypatch.setattr(package.OfdBuilder, "finish", broken)
    target = tmp_path / "out.ofd"
    with pytest.raises(OSError):
        convert.write(Document(Metadata(title="t"), (Paragraph((Text("字"),)),)), "ofd", target)
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_writes_ofd_files_and_an_ofd_book(tmp_path):
    corpus = tmp_path / "in"
    shutil.copytree(ROOT / "seeds" / "网络聚焦" / "北京新闻", corpus)
    done = subprocess.run([sys.executable, "-m", "convert", str(corpus), "--to", "ofd", "-o", str(tmp_path / "out"), "-q"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "out").rglob("*.ofd"))
    done = subprocess.run([sys.executable, "-m", "convert", str(corpus), "--book", str(tmp_path / "b.ofd"), "-q"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with ofdkit.open(tmp_path / "b.ofd") as ofd:
        assert "北京市启动垃圾分类示范小区创建工作" in "".join(ofd.text().split())


def test_the_hostile_corpus_gives_a_readable_ofd_for_every_accepted_file_and_one_error_line_for_each_refused(tmp_path):
    sys.path.insert(0, str(ROOT / "tests" / "hostile"))
    from make_corpus import make

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    expect = make(corpus)
    done = subprocess.run([sys.executable, "-m", "convert", str(corpus), "--to", "ofd", "-o", str(out), "-j", "2",
                           "--timeout", "120"], capture_output=True, timeout=600,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr and done.returncode == 1
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    refused = sorted(rel for rel, e in expect.items() if e == "fail")
    assert sorted(rel for rel in expect if any(str(corpus / rel) in line for line in errors)) == refused
    for rel, expectation in expect.items():
        if expectation == "ok":
            path = (out / rel).with_name(Path(rel).stem + ".ofd")
            with ofdkit.open(path) as ofd:
                assert len(ofd.pages) >= 1 and not ofd.warnings
                ofd.text()
    assert not [p for p in out.rglob("*") if p.name.startswith(".convert-tmp-")]
