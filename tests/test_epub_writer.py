"""The EPUB writer: valid EPUB 3 (EPUBCheck, 0 errors and 0 warnings), every character back, reproducible."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from epubcheck_batch import check_epubs, describe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xhtml_samples import (
    CONTROL_TEXT,
    EXT_B_TEXT,
    MARKUP_TEXT,
    TEXT,
    XHTML,
    expected_paragraphs,
    make_pictures,
    paragraphs_of,
    synthetic_documents,
)

import convert
from convert import transforms, typography
from convert.model import Document, Metadata, text_paragraph
from convert.writers import get_writer
from convert.writers.epub import EpubOptions, EpubWriter, render_chapter

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (ROOT / "seeds").rglob("*.txt") if p.is_file())
GOLDEN = Path(__file__).parent / "golden" / "epub"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
WRITER = EpubWriter()

# Books EPUBCheck reads, by name: every seed, then each synthetic document, some with a font.
SYNTHETIC = ["empty_body", "empty_everything", "markup_text", "control_chars", "ext_b", "pictures", "bad_pictures", "rich", "deep"]
EMBEDDED = ["ext_b", "markup_text"]
BOOK_NAMES = (
    [f"seed:{p.relative_to(ROOT / 'seeds').as_posix()}" for p in SEEDS]
    + ["seed-embedded:" + SEEDS[0].name]
    + SYNTHETIC
    + [f"{name}+font" for name in EMBEDDED]
)


def read_seed(path: Path) -> Document:
    return convert.read(path, root=ROOT / "seeds").document


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Document, Path, tuple]]:
    """Every book, written to disk once: name -> (document, path, diagnostics)."""
    folder = tmp_path_factory.mktemp("books")
    synthetic = synthetic_documents(make_pictures(folder / "pictures"))
    out: dict[str, tuple[Document, Path, tuple]] = {}
    for i, name in enumerate(BOOK_NAMES):
        if name.startswith("seed:"):
            document, options = read_seed(SEEDS[i]), EpubOptions()
        elif name.startswith("seed-embedded:"):
            document, options = read_seed(SEEDS[0]), EpubOptions(embed_font=True)
        else:
            base = name.removesuffix("+font")
            document, options = synthetic[base], EpubOptions(embed_font=name.endswith("+font"))
        path = folder / f"book{i}.epub"
        stage = transforms.prepare(document, options)
        diagnostics = [*stage.diagnostics, *WRITER.write(stage.document, path, options)]
        out[name] = (document, path, tuple(diagnostics))
    return out


@pytest.fixture(scope="module")
def epubcheck_messages(books: dict, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """EPUBCheck over every book in one run of the Java VM."""
    paths = [path for _, path, _ in books.values()]
    results = check_epubs(paths, tmp_path_factory.mktemp("epubcheck"))
    return {name: results[path] for name, (_, path, _) in books.items()}


def chapter_root(path: Path | bytes) -> etree._Element:
    with zipfile.ZipFile(path if isinstance(path, Path) else io.BytesIO(path)) as z:
        return etree.fromstring(z.read("EPUB/text/article.xhtml"))


def opf_root(path: Path | bytes) -> etree._Element:
    with zipfile.ZipFile(path if isinstance(path, Path) else io.BytesIO(path)) as z:
        return etree.fromstring(z.read("EPUB/content.opf"))


# ---------------------------------------------------------------- validity


@pytest.mark.parametrize("name", BOOK_NAMES)
def test_every_book_passes_epubcheck_with_no_errors_and_no_warnings(name: str, epubcheck_messages: dict) -> None:
    messages = epubcheck_messages[name]
    assert messages == [], describe(messages)


@pytest.mark.parametrize("name", BOOK_NAMES)
def test_every_xhtml_file_is_well_formed_xml_in_chinese(name: str, books: dict) -> None:
    _, path, _ = books[name]
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert names[0] == "mimetype" and z.read("mimetype") == b"application/epub+zip"
        assert z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        xhtml = [n for n in names if n.endswith(".xhtml")]
        assert "EPUB/nav.xhtml" in xhtml and "EPUB/text/article.xhtml" in xhtml and "EPUB/toc.ncx" in names
        for member in xhtml:
            root = etree.fromstring(z.read(member), etree.XMLParser(resolve_entities=False, no_network=True))
            assert root.tag == XHTML + "html"
            assert root.get("lang") == "zh-CN"
            assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
        assert all(n.isascii() for n in names), names


@pytest.mark.parametrize("name", BOOK_NAMES)
def test_every_paragraph_comes_back_from_the_xhtml_in_order(name: str, books: dict) -> None:
    document, path, _ = books[name]
    assert paragraphs_of(chapter_root(path)) == expected_paragraphs(document)


def test_the_package_metadata_names_title_language_date_category_and_source(books: dict) -> None:
    document, path, _ = books["pictures"]
    metadata = opf_root(path).find(OPF + "metadata")
    assert metadata.findtext(DC + "title") == "有图片的文章"
    assert metadata.findtext(DC + "language") == "zh-CN"
    assert metadata.findtext(DC + "date") == "2019-09-30"
    assert metadata.findtext(DC + "subject") == "网络聚焦/本市新闻"
    assert metadata.findtext(DC + "source") == "网络聚焦/本市新闻/2019-09-30/图片文章.txt"
    modified = metadata.find(OPF + "meta[@property='dcterms:modified']").text
    assert modified == "2019-09-30T00:00:00Z"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", metadata.findtext(DC + "identifier"))


def test_a_book_without_title_or_date_still_gets_a_title_and_a_fixed_modified_date(books: dict) -> None:
    metadata = opf_root(books["empty_everything"][1]).find(OPF + "metadata")
    assert metadata.findtext(DC + "title")
    assert metadata.find(OPF + "meta[@property='dcterms:modified']").text == "1980-01-01T00:00:00Z"
    assert metadata.find(DC + "date") is None  # "--08-29"-style partial dates are not W3CDTF either
    assert opf_root(books["bad_pictures"][1]).find(OPF + "metadata").find(DC + "date") is None


def test_the_identifier_is_derived_from_the_source_path_so_a_rebuilt_book_replaces_the_old_one() -> None:
    def identifier(document: Document) -> str:
        return opf_root(WRITER.render(document, EpubOptions()).data).find(f"{OPF}metadata/{DC}identifier").text

    a = Document(Metadata(title="旧标题", source="网络聚焦/a.txt"), (text_paragraph("旧"),))
    b = Document(Metadata(title="新标题", source="网络聚焦/a.txt"), (text_paragraph("新的正文"),))
    c = Document(Metadata(title="旧标题", source="网络聚焦/b.txt"), (text_paragraph("旧"),))
    assert identifier(a) == identifier(b) != identifier(c)


def test_the_navigation_and_ncx_point_at_the_chapter(books: dict) -> None:
    _, path, _ = books["seed:" + SEEDS[0].relative_to(ROOT / "seeds").as_posix()]
    with zipfile.ZipFile(path) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        ncx = etree.fromstring(z.read("EPUB/toc.ncx"))
    links = nav.findall(f".//{XHTML}nav/{XHTML}ol/{XHTML}li/{XHTML}a")
    assert links[0].get("href") == "text/article.xhtml"
    assert links[0].text == "山西省“不忘初心、牢记使命”主题教育工作会议召开"
    assert ncx.find(".//{http://www.daisy.org/z3986/2005/ncx/}content").get("src") == "text/article.xhtml"


# ---------------------------------------------------------------- content


def test_markup_like_text_stays_text_and_never_becomes_markup(books: dict) -> None:
    _, path, _ = books["markup_text"]
    root = chapter_root(path)
    assert not list(root.iter(XHTML + "script", XHTML + "b", "script"))
    assert paragraphs_of(root)[0] == MARKUP_TEXT
    assert root.findtext(f".//{XHTML}h1") == "<b>标题</b> & ]]> <script>"
    with zipfile.ZipFile(path) as z:
        raw = z.read("EPUB/text/article.xhtml").decode("utf-8")
    assert "<script>" not in raw and "]]>" not in raw and "&lt;script&gt;alert(1)" in raw


def test_control_characters_are_dropped_counted_and_reported(books: dict) -> None:
    _, path, diagnostics = books["control_chars"]
    kept, dropped = typography.strip_illegal(CONTROL_TEXT)
    assert paragraphs_of(chapter_root(path))[0] == kept
    warning = [d for d in diagnostics if d.code == "dropped-control-chars"]
    # The body's, one in the title, one in the picture's name and one in its alt text: counted once.
    assert len(warning) == 1 and warning[0].message.startswith(f"dropped {dropped + 3} control character")


def test_pictures_are_embedded_at_their_positions_with_media_types_from_their_bytes(books: dict) -> None:
    _, path, diagnostics = books["pictures"]
    root = chapter_root(path)
    body = root.find(XHTML + "body")
    sequence = [el.tag.removeprefix(XHTML) for el in body if el.tag != XHTML + "header"]
    assert sequence == ["p", "figure", "p", "figure", "figure", "figure", "figure", "p"]
    sources = [img.get("src") for img in root.iter(XHTML + "img")]
    assert sources == ["../images/0.jpg", "../images/1.png", "../images/2.png", "../images/3.gif", "../images/4.png"]
    manifest = {i.get("href"): i.get("media-type") for i in opf_root(path).iter(OPF + "item")}
    assert manifest["images/0.jpg"] == "image/jpeg"
    assert manifest["images/1.png"] == "image/png"  # a PNG that was named .jpg
    assert manifest["images/3.gif"] == "image/gif"
    assert manifest["images/4.png"] == "image/png"  # a BMP, re-encoded for readers
    with zipfile.ZipFile(path) as z:
        assert z.read("EPUB/images/1.png").startswith(b"\x89PNG")
        assert z.read("EPUB/images/0.jpg") == (path.parent / "pictures" / "photo.jpg").read_bytes()
    assert [img.get("alt") for img in root.iter(XHTML + "img")][0] == "图1"
    assert not [d for d in diagnostics if d.level == "warning"]


def test_missing_and_unreadable_pictures_become_visible_placeholders_with_warnings(books: dict) -> None:
    _, path, diagnostics = books["bad_pictures"]
    root = chapter_root(path)
    placeholders = [div for div in root.iter(XHTML + "div") if "missing" in (div.get("class") or "")]
    assert len(placeholders) == 4
    assert "图片/0.jpg" in placeholders[0].text and "图片缺失" in placeholders[0].text
    assert "图片无法读取" in placeholders[1].text
    assert not list(root.iter(XHTML + "img"))
    unreadable = [d for d in diagnostics if d.code == "unreadable-image"]
    assert len(unreadable) == 3  # truncated, not a picture, file gone (the missing one the reader reports)
    assert not [d.message for d in unreadable if "0x" in d.message]  # stable messages: no object addresses
    with zipfile.ZipFile(path) as z:
        assert not [n for n in z.namelist() if "/images/" in n]


def test_rich_structure_keeps_headings_lists_quotes_tables_and_only_absolute_links(books: dict) -> None:
    _, path, diagnostics = books["rich"]
    root = chapter_root(path)
    assert root.findtext(f".//{XHTML}h2") == "一、小标题"
    assert root.find(f".//{XHTML}h6") is not None
    hrefs = [a.get("href") for a in root.iter(XHTML + "a")]
    assert hrefs == ["http://www.xinhuanet.com/a%20b?x=1&y=2", "mailto:news@example.cn"]
    assert "本地" in "".join(root.itertext())  # a relative link's text stays
    assert [d.code for d in diagnostics] == ["dropped-links"]
    assert root.find(f".//{XHTML}table/{XHTML}thead/{XHTML}tr/{XHTML}th").text == "项目"
    assert root.find(f".//{XHTML}blockquote/{XHTML}p").text == "引用的一段话。"


def test_the_stylesheet_sets_chinese_reading_typography_and_names_the_chosen_fonts() -> None:
    document = Document(Metadata(title="字体"), (text_paragraph("正文"),))
    data = WRITER.render(document, EpubOptions(cjk_font="FangSong", latin_font="Georgia")).data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        css = z.read("EPUB/style/book.css").decode("utf-8")
    assert "text-indent: 2em" in css and "text-align: justify" in css and "line-break: strict" in css
    assert "-epub-line-break: strict" in css and "line-height: 1.8" in css
    family = re.search(r"body \{\n  font-family: ([^;]+);", css).group(1)
    assert family.startswith('"Georgia", "FangSong", "SimSun"') and family.endswith("serif")
    evil = WRITER.render(document, EpubOptions(cjk_font='X"; } body { color: red } </style>')).data
    with zipfile.ZipFile(io.BytesIO(evil)) as z:
        css = z.read("EPUB/style/book.css").decode("utf-8")
    assert "color: red" not in css and "</style>" not in css


# ---------------------------------------------------------------- the embedded font


def test_embed_font_embeds_a_small_subset_covering_every_character_used(books: dict) -> None:
    from fontTools.ttLib import TTFont

    document, path, diagnostics = books["seed-embedded:" + SEEDS[0].name]
    with zipfile.ZipFile(path) as z:
        fonts = [n for n in z.namelist() if n.endswith(".ttf")]
        assert fonts == ["EPUB/fonts/font0.ttf"]
        data = z.read(fonts[0])
        css = z.read("EPUB/style/book.css").decode("utf-8")
        text = "".join(chapter_root(path).itertext())
    assert '@font-face {\n  font-family: "Convert Embedded";\n  src: url("../fonts/font0.ttf")' in css
    assert 'font-family: "Convert Embedded", "SimSun"' in css
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert {c for c in text if not c.isspace()} <= {chr(u) for u in cmap}
    assert len(data) < 400_000, len(data)  # the full face is 20 MB
    manifest = {i.get("href"): i.get("media-type") for i in opf_root(path).iter(OPF + "item")}
    assert manifest["fonts/font0.ttf"] == "font/ttf"
    assert any(d.code == "embedded-font" for d in diagnostics)


def test_characters_the_body_font_lacks_come_from_a_fallback_subset(books: dict) -> None:
    from fontTools.ttLib import TTFont

    _, path, diagnostics = books["ext_b+font"]
    with zipfile.ZipFile(path) as z:
        fonts = sorted(n for n in z.namelist() if n.endswith(".ttf"))
        covered = set()
        for name in fonts:
            covered |= {chr(u) for u in TTFont(io.BytesIO(z.read(name))).getBestCmap()}
    assert len(fonts) >= 2
    assert set("𠮷𩸽𪚥") <= covered and set(EXT_B_TEXT) - {" "} <= covered
    assert not [d for d in diagnostics if d.code == "font-missing-chars"]


def test_every_glyph_of_a_subset_draws_exactly_as_in_the_full_font(monkeypatch: pytest.MonkeyPatch,
                                                                  request: pytest.FixtureRequest) -> None:
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    from convert import fonts
    from convert.fonts import bundled
    from convert.writers import fontsubset
    from convert.writers.fontsubset import subset_for

    # the default body face (converted from CFF) has no composite glyphs; AR PL UMing CN has
    # many, and the subset must renumber their components: check with it as the body face
    monkeypatch.setitem(fonts._BUNDLED, "body", (("uming.ttc", 0, "AR PL UMing CN"),))
    fontsubset._face.cache_clear()
    request.addfinalizer(fontsubset._face.cache_clear)  # later tests get the default body face
    body = bundled("body")[0]
    full = TTFont(str(body.path), fontNumber=body.subfont_index, lazy=True)
    full_cmap = full.getBestCmap()
    # Composite glyphs (accented Latin) are stored by component id, which a subset renumbers.
    composites = [chr(u) for u, g in sorted(full_cmap.items()) if full["glyf"].glyphs[g].isComposite()][::25]
    sample = set("".join(composites) + "山西省“不忘初心、牢记使命”主题教育，。R&D 2019年5G" + EXT_B_TEXT) - {" "}
    subsets, missing = subset_for(sample)
    assert not missing and len(subsets) >= 2

    def outline(font: TTFont, char: str) -> tuple:
        glyphs = font.getGlyphSet()
        glyph = glyphs[font.getBestCmap()[ord(char)]]
        pen = DecomposingRecordingPen(glyphs)
        glyph.draw(pen)
        return pen.value, glyph.width

    first = TTFont(io.BytesIO(subsets[0].data))
    assert set(subsets[0].chars) == {chr(u) for u in first.getBestCmap()}
    assert len(composites) > 10
    for char in subsets[0].chars:
        assert outline(first, char) == outline(full, char), char


# ---------------------------------------------------------------- reproducibility, registry, golden


def test_the_same_input_gives_identical_bytes(books: dict) -> None:
    for name in ("pictures", "markup_text", "ext_b+font"):
        document, path, _ = books[name]
        again = WRITER.render(document, EpubOptions(embed_font=name.endswith("+font"))).data
        assert again == path.read_bytes(), name
    with zipfile.ZipFile(books["pictures"][1]) as z:
        assert {i.date_time for i in z.infolist()} == {(2019, 9, 30, 0, 0, 0)}


def test_identical_bytes_do_not_depend_on_the_process_hash_seed(books: dict, tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys; from convert.model import Document, Metadata, text_paragraph\n"
        "from convert.writers.epub import EpubWriter, EpubOptions\n"
        f"d = Document(Metadata(title='生僻字𠮷', source='extb.txt'), (text_paragraph({EXT_B_TEXT!r}),))\n"
        "sys.stdout.buffer.write(EpubWriter().render(d, EpubOptions(embed_font=True)).data)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env, check=True).stdout
    assert other == books["ext_b+font"][1].read_bytes()


def test_the_writer_is_registered_and_takes_the_command_line_options() -> None:
    writer = get_writer("epub")
    assert isinstance(writer, EpubWriter) and writer.extension == ".epub"
    options = writer.options_from({"page_size": "A5", "font": None, "cjk_font": "KaiTi", "latin_font": None,
                                   "embed_font": True})
    assert options == EpubOptions(cjk_font="KaiTi", embed_font=True)


def test_writing_through_the_library_api_leaves_a_complete_file(tmp_path: Path) -> None:
    document = Document(Metadata(title="库"), (text_paragraph("正文"),))
    target = tmp_path / "out" / "a.epub"
    convert.write(document, "epub", target)
    assert zipfile.ZipFile(target).testzip() is None
    assert [p.name for p in target.parent.iterdir()] == ["a.epub"]


def _golden_cases(tmp_path: Path) -> dict[str, bytes]:
    synthetic = synthetic_documents(make_pictures(tmp_path / "pictures"))
    return {
        "sample": WRITER.render(read_seed(SEEDS[0]), EpubOptions()).data,
        "rich": WRITER.render(synthetic["rich"], EpubOptions()).data,
        "markup_text": WRITER.render(synthetic["markup_text"], EpubOptions()).data,
    }


def test_output_matches_the_golden_books_entry_by_entry(tmp_path: Path, regenerate_golden: bool) -> None:
    for name, data in _golden_cases(tmp_path).items():
        golden = GOLDEN / f"{name}.epub"
        if regenerate_golden:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(data)
        with zipfile.ZipFile(io.BytesIO(data)) as new, zipfile.ZipFile(golden) as old:
            assert new.namelist() == old.namelist(), name
            for member in new.namelist():
                assert new.read(member) == old.read(member), f"{name}: {member} differs from {golden}"


# ---------------------------------------------------------------- properties



@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, paragraphs=st.lists(TEXT, max_size=4))
def test_any_text_comes_back_from_the_chapter_in_order(title: str, paragraphs: list[str]) -> None:
    document = Document(Metadata(title=title), tuple(text_paragraph(p) for p in paragraphs))
    root = etree.fromstring(render_chapter(transforms.prepare(document).document).content)
    assert paragraphs_of(root) == expected_paragraphs(document)
    shown = typography.normalize_space(typography.strip_illegal(title)[0])  # the stage strips first
    if shown:
        assert root.findtext(f".//{XHTML}h1") == shown


@settings(max_examples=25, deadline=None)
@given(paragraphs=st.lists(TEXT, min_size=1, max_size=3))
def test_any_text_comes_back_from_a_whole_book(paragraphs: list[str]) -> None:
    document = Document(Metadata(title="性质", source="p.txt"), tuple(text_paragraph(p) for p in paragraphs))
    rendered = WRITER.render(transforms.prepare(document).document, EpubOptions())
    assert paragraphs_of(chapter_root(rendered.data)) == expected_paragraphs(document)


def test_picture_names_in_the_book_are_ascii_even_for_chinese_sources(books: dict) -> None:
    for name, (_, path, _) in books.items():
        with zipfile.ZipFile(path) as z:
            for member in z.namelist():
                assert member.isascii() and " " not in member, (name, member)
                assert PurePosixPath(member).name
