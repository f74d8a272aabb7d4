"""Every format's language tag and fonts follow the edition (PDF excepted: its writer is
being restructured; it must read ``document.meta.language``)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import convert

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NOTICE = SEEDS / "网络聚焦/通知公告/2019-12-01/关于做好2019年度考核工作的通知.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EDITIONS = [("zh-Hans", "zh-CN"), ("zh-Hant", "zh-Hant"), ("zh-TW", "zh-TW"), ("zh-HK", "zh-HK")]


def write(tmp_path: Path, fmt: str, script: str, source: Path = NOTICE) -> Path:
    target = tmp_path / f"{script}.{fmt}"
    convert.write(convert.read(source, root=SEEDS), fmt, target, script=script)
    return target


@pytest.mark.parametrize(("script", "language"), EDITIONS)
def test_markdown_front_matter(tmp_path: Path, script: str, language: str) -> None:
    text = write(tmp_path, "md", script).read_text("utf-8")
    front = text.split("---")[1]
    assert f'lang: "{language}"' in front
    assert ("edition:" in front) == (script != "zh-Hans")
    assert ("# 關於做好" in text) == (script != "zh-Hans")


@pytest.mark.parametrize(("script", "language"), EDITIONS)
def test_json_model(tmp_path: Path, script: str, language: str) -> None:
    data = json.loads(write(tmp_path, "json", script).read_text("utf-8"))
    assert data["schema"] == "convert.document/3"
    assert data["meta"]["language"] == language
    assert (data["meta"]["edition"] is None) == (script == "zh-Hans")


@pytest.mark.parametrize(("script", "language"), EDITIONS)
def test_html_lang_and_fonts(tmp_path: Path, script: str, language: str) -> None:
    page = etree.parse(str(write(tmp_path, "html", script)), etree.HTMLParser())
    assert page.getroot().get("lang") == language
    css = page.find(".//style").text
    body_fonts = re.search(r"body \{\s*font-family: ([^;]+);", css)[1]
    if script == "zh-Hans":
        assert body_fonts.startswith('"SimSun"') and "blockquote {\n  font-family" not in css
    elif script == "zh-HK":
        assert body_fonts.startswith('"MingLiU_HKSCS", "細明體_HKSCS", "PMingLiU"') and "Noto Serif CJK HK" in body_fonts
    else:
        assert body_fonts.startswith('"PMingLiU", "新細明體"') and "Noto Serif CJK TC" in body_fonts
    if script != "zh-Hans":
        assert '"Microsoft JhengHei", "微軟正黑體", "PingFang' in css
        assert re.search(r'blockquote \{\s*font-family: "DFKai-SB", "標楷體"', css)


@pytest.mark.parametrize(("script", "language"), EDITIONS)
def test_epub_language_everywhere(tmp_path: Path, script: str, language: str) -> None:
    with zipfile.ZipFile(write(tmp_path, "epub", script)) as book:
        opf = next(book.read(n) for n in book.namelist() if n.endswith(".opf"))
        pages = [etree.fromstring(book.read(n)) for n in book.namelist() if n.endswith(".xhtml")]
        css = next(book.read(n).decode() for n in book.namelist() if n.endswith(".css"))
    languages = etree.fromstring(opf).findall(".//{http://purl.org/dc/elements/1.1/}language")
    assert [e.text for e in languages] == [language]
    chapters = [p for p in pages if p.get(XML_LANG) is not None]
    assert chapters and all(p.get(XML_LANG) == language and p.get("lang") == language for p in chapters)
    assert ("PMingLiU" in css) == (script != "zh-Hans")


@pytest.mark.parametrize(("script", "language"), EDITIONS)
def test_docx_language_in_styles_settings_and_properties(tmp_path: Path, script: str, language: str) -> None:
    with zipfile.ZipFile(write(tmp_path, "docx", script)) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
        settings = etree.fromstring(package.read("word/settings.xml"))
        core = package.read("docProps/core.xml").decode()
        fonts = package.read("word/fontTable.xml").decode()
        body = etree.fromstring(package.read("word/document.xml"))
    tags = [e.get(f"{W}eastAsia") for e in styles.iter(f"{W}lang")]
    tags += [e.get(f"{W}eastAsia") for e in body.iter(f"{W}lang")]
    assert tags and set(tags) == {language}
    assert settings.find(f"{W}themeFontLang").get(f"{W}eastAsia") == language
    assert {e.get(f"{W}lang") for e in settings if e.tag in (f"{W}noLineBreaksAfter", f"{W}noLineBreaksBefore")} == {language}
    assert f"<dc:language>{language}</dc:language>" in core
    east_asia = styles.find(f"{W}docDefaults//{W}rFonts").get(f"{W}eastAsia")
    expected = {"zh-Hans": "SimSun", "zh-Hant": "PMingLiU", "zh-TW": "PMingLiU", "zh-HK": "MingLiU_HKSCS"}[script]
    assert east_asia == expected and f'w:name="{expected}"' in fonts
    if script != "zh-Hans":
        alt = {"PMingLiU": "新細明體", "MingLiU_HKSCS": "細明體_HKSCS"}[expected]
        assert f'<w:altName w:val="{alt}"/>' in fonts and '<w:charset w:val="88"/>' in fonts
        assert "Microsoft JhengHei" in fonts and "DFKai-SB" in fonts
        assert "關於做好" in "".join(body.itertext())


def test_docx_book_takes_the_edition_language(tmp_path: Path) -> None:
    from convert.book import write_book

    target = tmp_path / "book.docx"
    write_book([SEEDS / "网络聚焦"], target, script="zh-HK")
    with zipfile.ZipFile(target) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
        text = "".join(etree.fromstring(package.read("word/document.xml")).itertext())
    assert {e.get(f"{W}eastAsia") for e in styles.iter(f"{W}lang")} == {"zh-HK"}
    assert "網絡聚焦" in text and "國際新聞" in text


def test_a_language_that_is_not_a_tag_does_not_reach_the_docx_markup(tmp_path: Path) -> None:
    from dataclasses import replace

    document = convert.read(NOTICE, root=SEEDS).document
    bad = replace(document, meta=replace(document.meta, language='zh"\x08<'))
    target = tmp_path / "bad.docx"
    convert.write(bad, "docx", target)
    with zipfile.ZipFile(target) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    assert {e.get(f"{W}eastAsia") for e in styles.iter(f"{W}lang")} == {"zh-CN"}


def test_traditional_epubs_pass_epubcheck(tmp_path: Path) -> None:
    from epubcheck_batch import check_epubs, describe

    from convert.book import write_book

    books = [write(tmp_path, "epub", script) for script in ("zh-Hant", "zh-TW", "zh-HK")]
    books.append(tmp_path / "book.epub")
    write_book([SEEDS], books[-1], script="zh-TW-phrases")
    results = check_epubs(books, tmp_path / "epubcheck")
    assert {path: describe(messages) for path, messages in results.items()} == {path: "" for path in books}
