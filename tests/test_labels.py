"""Words shown to readers are typed once, in convert/labels.py, and follow the edition.

A Traditional edition shows the writers' own words (the missing-picture placeholder, a
book's contents heading, ...) in its script, exactly as OpenCC converts them; in every
format the text of a zh-HK edition is OpenCC s2hk's fixed point except the references
that name files of the input tree (paths are not translated)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import convert
from convert import labels
from convert.book import write_book
from convert.transforms.script import EDITIONS, converter

ROOT = Path(__file__).resolve().parent.parent / "convert"
SEEDS = ROOT.parent / "seeds"
FOLDER = SEEDS / "不忘初心牢记使命" / "学习教育"
#: A seed with three picture markers and two pictures: 图片/2.jpg is missing.
MISSING = FOLDER / "45新时代文明实践中心建设现场会召开" / "45新时代文明实践中心建设现场会召开.txt"
WORDS = ("图片缺失", "图片无法读取", "无标题", '"目录"', '"文集"', "导览", '"文档"', "右键更新目录", "未注明日期", 'f"图片{')


def test_no_label_is_typed_outside_labels_py() -> None:
    found = [f"{p.relative_to(ROOT)}: {word}" for p in ROOT.rglob("*.py") if p.name != "labels.py"
             for word in WORDS if word in p.read_text("utf-8")]
    assert found == []


def test_the_missing_picture_label_has_one_spelling() -> None:
    assert labels.SIMPLIFIED.missing("图片/2.jpg") == "图片缺失：图片/2.jpg"
    assert labels.SIMPLIFIED.missing("a.jpg", unreadable=True) == "图片无法读取：a.jpg"
    assert labels.for_language("zh-HK").missing("图片/2.jpg") == "圖片缺失：图片/2.jpg"  # the reference stays


@pytest.mark.parametrize("edition", list(EDITIONS.values()), ids=list(EDITIONS))
def test_every_traditional_label_is_opencc_s_conversion(edition) -> None:
    """The tables are written down in labels.py; this recomputes every word with OpenCC."""
    words = labels.for_language(edition.language, edition.edition)
    convert_text = converter(edition.config).convert
    assert {f.name: getattr(words, f.name) for f in dataclasses.fields(words)} == {
        f.name: convert_text(getattr(labels.SIMPLIFIED, f.name)) for f in dataclasses.fields(words)}
    assert words != labels.SIMPLIFIED


def test_other_languages_get_the_simplified_words() -> None:
    for language in ("zh-CN", "zh-Hans", "zh", "en", "", None):
        assert labels.for_language(language) is labels.SIMPLIFIED
    assert labels.for_language("ZH-hk") == labels.for_language("zh-HK")  # tags are case-insensitive


# ---------------------------------------------------------------- every writer, a zh-HK edition

S2HK = "s2hk"


def readable_text(path: Path) -> str:
    """What a reader of ``path`` sees: the text (and alternative texts) of each format."""
    fmt = path.suffix.lstrip(".")
    if fmt == "md":
        return path.read_text("utf-8")
    if fmt == "html":
        page = etree.parse(str(path), etree.HTMLParser()).getroot()
        for style in page.iter("style"):
            style.getparent().remove(style)
        return "".join(page.itertext()) + " ".join(page.xpath("//@alt | //@aria-label"))
    if fmt == "epub":
        with zipfile.ZipFile(path) as book:
            pages = [etree.fromstring(book.read(n)) for n in book.namelist() if n.endswith(".xhtml")]
            ncx = [etree.fromstring(book.read(n)) for n in book.namelist() if n.endswith(".ncx")]
        return "\n".join("".join(p.itertext()) + " ".join(p.xpath("//@alt | //@aria-label")) for p in pages + ncx)
    if fmt == "docx":
        with zipfile.ZipFile(path) as package:
            body = etree.fromstring(package.read("word/document.xml"))
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        return "\n".join("".join(t.text or "" for t in p.iter(f"{w}t")) for p in body.iter(f"{w}p"))
    if fmt == "pdf":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                              text=True).stdout
    if fmt == "ofd":
        import ofdkit

        return str(ofdkit.extract_text(path))
    raise AssertionError(fmt)


def simplified_left(text: str, references: list[str]) -> set[str]:
    """Characters that s2hk would still change, once the references (paths) are taken out."""
    for reference in sorted(references, key=len, reverse=True):
        text = text.replace(reference, "")
    text = re.sub(r"\s+", "", text)  # PDF and OFD text breaks lines anywhere, inside references too
    done = converter(S2HK).convert(text)
    return {a for a, b in zip(text, done, strict=True) if a != b} if len(done) == len(text) else {text}


def references(document: convert.Document, output: Path) -> list[str]:
    """The file names an output shows as they are: the missing picture's reference, the
    source path (Markdown front matter), the pictures' folder named after the output."""
    srcs = [image.src for image in document.images()]
    return [*srcs, *(src.split("/")[0] for src in srcs), document.meta.source or "", output.stem]


@pytest.mark.parametrize("fmt", ["md", "html", "epub", "docx", "pdf", "ofd"])
def test_a_hong_kong_edition_shows_the_missing_picture_in_traditional(fmt: str, tmp_path: Path) -> None:
    if fmt == "ofd":
        pytest.importorskip("ofdkit", reason="ofdkit (PyPI) is not installed")
    document = convert.read(MISSING, root=SEEDS).document
    assert any(image.path is None for image in document.images()), "the seed lost its missing picture"
    target = tmp_path / f"{MISSING.stem}.{fmt}"
    convert.write(document, fmt, target, script="zh-HK")
    text = readable_text(target)
    squeezed = re.sub(r"\s+", "", text)
    assert "圖片缺失" in squeezed and "图片缺失" not in squeezed
    assert simplified_left(text, references(document, target)) == set()


@pytest.mark.parametrize("fmt", ["epub", "docx", "pdf", "ofd"])
def test_a_hong_kong_book_shows_its_contents_page_in_traditional(fmt: str, tmp_path: Path) -> None:
    if fmt == "ofd":
        pytest.importorskip("ofdkit", reason="ofdkit (PyPI) is not installed")
    target = tmp_path / f"book.{fmt}"
    report = write_book([FOLDER], target, script="zh-HK")
    assert not report.failures
    text = readable_text(target)
    squeezed = re.sub(r"\s+", "", text)
    assert "目錄" in squeezed and "目录" not in squeezed
    assert "圖片缺失" in squeezed and "图片缺失" not in squeezed
    document = convert.read(MISSING, root=FOLDER).document
    assert simplified_left(text, references(document, target)) == set()


def test_a_simplified_book_keeps_the_simplified_words(tmp_path: Path) -> None:
    target = tmp_path / "book.epub"
    write_book([FOLDER], target)
    squeezed = re.sub(r"\s+", "", readable_text(target))
    assert "目录" in squeezed and "图片缺失" in squeezed and "目錄" not in squeezed


@pytest.mark.parametrize("language", ["zh-CN", "zh-TW"])
def test_the_docx_book_s_own_words_follow_the_edition(language: str, tmp_path: Path) -> None:
    """A book without a title, an untitled folder, and the contents field before Word fills it."""
    from convert.model import Book, BookMeta, Document, Metadata, Section
    from convert.writers import get_writer

    words, other = labels.for_language(language), labels.for_language("zh-HK" if language == "zh-CN" else "zh-CN")
    writer = get_writer("docx")
    texts = []
    for contents in ((Section(" "),), ()):
        book = Book(BookMeta("", language=language), contents, lambda chapter: Document(Metadata("")))
        target = tmp_path / f"{len(contents)}.docx"
        target.write_bytes(writer.render_book(book, writer.options_from({}), target).data)
        texts.append(readable_text(target))
    assert words.collection in texts[0] and words.contents in texts[0] and words.untitled in texts[0]
    assert words.update_contents in texts[1]
    assert not {other.contents, other.untitled, other.update_contents} & set(re.split(r"\s+", "\n".join(texts)))
