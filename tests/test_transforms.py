"""The transform stage and its first transform, script conversion (Traditional editions)."""

from __future__ import annotations

import collections
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import convert
from convert import transforms
from convert.cli import main
from convert.errors import ConvertError
from convert.jsonform import from_json, to_dict, to_json
from convert.model import (
    Document,
    Emphasis,
    Heading,
    Image,
    LineBreak,
    Link,
    ListBlock,
    Metadata,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
    plain_text,
    walk_blocks,
)
from convert.transforms.script import EDITIONS, converter
from convert.transforms.text import map_texts

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEBIAN_OPENCC = Path("/usr/bin/opencc")


def seed_paths() -> list[Path]:
    paths = sorted(p for p in SEEDS.rglob("*.txt") if p.is_file())
    assert paths, "no bundled seeds found"
    return paths


def seed_documents() -> list[Document]:
    return [convert.read(p, root=SEEDS).document for p in seed_paths()]


def every_document() -> Document:
    """A document with every kind of text the model holds."""
    return Document(
        Metadata(title="标题", first_line="7标题.txt", source="类别/标题.txt", category=("网络聚焦", "国际新闻"),
                 date="2019-08-29", date_folder="08月29日"),
        (
            Heading(2, (Text("一、头发"),)),
            Paragraph((Text("软件"), Strong((Text("里面"),)), Emphasis((Text("后来"),)), LineBreak(),
                       Link((Text("发现"),), "http://example.com/发现"))),
            ListBlock(False, ((Paragraph((Text("处级干部"),)),), (Quote((Paragraph((Text("干净"),)),)),))),
            Table(((( Text("阶段"),), (Text("时间"),)), ((Text("个人总结"),), (Text("12月15日前"),))), 1),
            Image("图片/0.jpg", None, "图片说明"),
        ),
    )


def texts_of(document: Document) -> list[str]:
    found: list[str] = []

    def collect(runs: list[list[str]]) -> list[list[str]]:
        found.extend(value for run in runs for value in run)
        return runs

    map_texts(document, collect)
    return found


# ---------------------------------------------------------------- the stage


def test_the_default_script_adds_no_transform_after_xml_sanitising() -> None:
    for options in ({}, {"script": "zh-Hans"}, {"script": None}):
        assert [t.name for t in transforms.from_options(options)] == ["xml"]
    assert [t.name for t in transforms.from_options({"script": "zh-tw"})] == ["xml", "script:zh-TW"]


def test_an_unknown_script_is_an_error_naming_the_scripts() -> None:
    with pytest.raises(ConvertError, match="unknown script 'zh-XX'.*zh-Hant, zh-TW, zh-HK"):
        transforms.from_options({"script": "zh-XX"})


def test_map_texts_changes_every_text_and_no_reference() -> None:
    document = every_document()
    changed = map_texts(document, lambda runs: [[value + "!" for value in run] for run in runs])
    assert all(value.endswith("!") for value in texts_of(changed))
    assert len(texts_of(changed)) == len(texts_of(document)) == 16
    assert changed.meta.title == "标题!" and changed.meta.category == ("网络聚焦!", "国际新闻!")
    assert changed.meta.date_folder == "08月29日!"
    # References and provenance stay as written.
    assert changed.meta.source == document.meta.source and changed.meta.first_line == document.meta.first_line
    link = changed.blocks[1].content[4]
    assert isinstance(link, Link) and link.href == "http://example.com/发现"
    image = changed.blocks[-1]
    assert isinstance(image, Image) and image.src == "图片/0.jpg" and image.alt == "图片说明!"
    # The structure is the same.
    assert [type(b) for b in walk_blocks(changed.blocks)] == [type(b) for b in walk_blocks(document.blocks)]


def test_map_texts_walks_deep_nesting_without_recursion() -> None:
    block = Paragraph((Text("头发"),))
    for _ in range(20_000):
        block = Quote((block,))
    changed = map_texts(Document(Metadata(title="t"), (block,)), lambda runs: [[v.upper() for v in r] for r in runs])
    assert texts_of(changed)[-1] == "头发"


def test_a_transform_that_changes_the_number_of_strings_is_refused() -> None:
    with pytest.raises(ValueError, match="keep the number"):
        map_texts(every_document(), lambda runs: runs[:-1])


# ---------------------------------------------------------------- script conversion


def convert_script(document: Document, script: str) -> Document:
    """The script transform alone (without the XML sanitising that always runs first)."""
    chosen = [t for t in transforms.from_options({"script": script}) if t.name.startswith("script:")]
    return transforms.run(document, chosen).document


def test_every_text_of_the_model_is_converted() -> None:
    document = convert_script(every_document(), "zh-TW")
    assert document.meta.title == "標題"
    assert document.meta.category == ("網絡聚焦", "國際新聞")
    assert texts_of(document)[4:9] == ["一、頭髮", "軟件", "裡面", "後來", "發現"]
    assert "處級幹部" in texts_of(document) and "乾淨" in texts_of(document) and "個人總結" in texts_of(document)
    assert texts_of(document)[-1] == "圖片說明"


def test_metadata_records_the_language_and_the_edition() -> None:
    for script, language, config in (("zh-Hant", "zh-Hant", "s2t"), ("zh-TW", "zh-TW", "s2tw"),
                                     ("zh-HK", "zh-HK", "s2hk"), ("zh-TW-phrases", "zh-TW", "s2twp")):
        meta = convert_script(every_document(), script).meta
        assert (meta.language, meta.edition) == (language, f"{script} (opencc {config})")
    assert every_document().meta.edition is None and every_document().meta.language == "zh-CN"


def test_json_schema_2_carries_the_edition_and_schema_1_still_loads() -> None:
    document = convert_script(every_document(), "zh-HK")
    data = to_dict(document)
    assert data["schema"] == "convert.document/3"
    assert data["meta"]["edition"] == "zh-HK (opencc s2hk)" and data["meta"]["language"] == "zh-HK"
    assert from_json(to_json(document)) == document
    old = to_dict(every_document())
    old["schema"] = "convert.document/1"
    del old["meta"]["edition"]
    assert from_json(json.dumps(old)) == every_document()


def test_taiwan_phrases_only_when_asked_for_by_name() -> None:
    document = Document(Metadata(title="软件和鼠标"), (Paragraph((Text("U盘里的软件"),)),))
    assert convert_script(document, "zh-TW").meta.title == "軟件和鼠標"
    assert convert_script(document, "zh-TW-phrases").meta.title == "軟體和滑鼠"
    # A phrase that changes length: the run is converted string by string, nothing is lost.
    assert texts_of(convert_script(document, "zh-TW-phrases"))[-1] == converter("s2twp").convert("U盘里的软件")


def test_taiwan_phrases_are_reached_by_no_other_value_nor_by_default() -> None:
    from convert.transforms.script import SCRIPTS, edition_for

    assert edition_for(None) is None and transforms.from_options({})[1:] == ()
    others = [name for name in SCRIPTS if name != "zh-TW-phrases"]
    for name in [*others, *(n.lower() for n in others), *(n.upper() for n in others)]:
        edition = edition_for(name)
        assert edition is None or edition.config != "s2twp", name
    assert edition_for("ZH-tw-PHRASES").config == "s2twp"  # by its name, in any case
    option = next(p for p in main.params if p.name == "script")
    assert option.default is None


def test_a_phrase_across_a_bold_span_converts_as_the_whole_paragraph() -> None:
    # 头发 is one phrase (頭髮); split over two runs it must still become 頭髮, not 頭發.
    document = Document(Metadata(title="t"), (Paragraph((Text("剪头"), Strong((Text("发"),)))),))
    converted = convert_script(document, "zh-Hant").blocks[0]
    assert isinstance(converted, Paragraph) and plain_text(converted.content) == "剪頭髮"


def seed_runs() -> list[str]:
    """Every run of text of every bundled seed, one per line."""
    runs: list[str] = []

    def collect(found: list[list[str]]) -> list[list[str]]:
        runs.extend("".join(run) for run in found)
        return found

    for document in seed_documents():
        map_texts(document, collect)
    assert runs and all("\n" not in run for run in runs)
    return runs


@pytest.mark.parametrize("script", ["zh-Hant", "zh-TW", "zh-HK"])
def test_conversion_equals_debians_opencc_command_on_every_seed(script: str) -> None:
    if not DEBIAN_OPENCC.exists():
        pytest.skip("Debian's opencc command is not installed (Debian package opencc)")
    config = EDITIONS[script].config
    source = seed_runs()
    expected = subprocess.run([str(DEBIAN_OPENCC), "-c", f"{config}.json"], input="\n".join(source),
                              capture_output=True, text=True, check=True).stdout.rstrip("\n").split("\n")
    converted: list[str] = []
    for document in seed_documents():
        map_texts(convert_script(document, script), lambda runs: converted.extend("".join(r) for r in runs) or runs)
    assert len(converted) == len(expected) == len(source)
    assert converted == expected
    assert converted != source  # the seeds do have characters to convert


@pytest.mark.parametrize("script", ["zh-Hant", "zh-TW", "zh-HK"])
def test_every_character_is_accounted_for(script: str) -> None:
    for document in seed_documents():
        before, after = texts_of(document), texts_of(convert_script(document, script))
        assert [len(v) for v in before] == [len(v) for v in after]
        for old, new in zip("".join(before), "".join(after), strict=True):
            # Only Han characters change, each into one Han character: digits, Latin, punctuation,
            # emoji and characters beyond the BMP (𠮷 𩸽) come through as they were.
            assert old == new or (_is_han(old) and _is_han(new)), (old, new)


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003ffff"


def test_round_trip_t2s_after_s2tw_restores_the_seeds_but_for_measured_characters() -> None:
    t2s = converter("t2s")
    changed: collections.Counter[tuple[str, str]] = collections.Counter()
    total = 0
    for document in seed_documents():
        before = "".join(texts_of(document))
        back = t2s.convert("".join(texts_of(convert_script(document, "zh-TW"))))
        assert len(back) == len(before)
        total += len(before)
        changed.update((a, b) for a, b in zip(before, back, strict=True) if a != b)
    # Measured: 着 (zhe, 贯穿着, 着力) becomes 著 in s2tw, and t2s keeps 著 (it is also zhù,
    # 著名). Every other character of the 4,346 comes back.
    assert changed == {("着", "著"): 4}, changed
    assert total > 4000


# ---------------------------------------------------------------- everywhere documents go to writers


def test_convert_write_runs_the_stage(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    convert.write(every_document(), "md", target, script="zh-HK")
    text = target.read_text("utf-8")
    assert "# 標題" in text and 'lang: "zh-HK"' in text and 'edition: "zh-HK \\\\(opencc s2hk\\\\)"' in text


def test_the_batch_converts_and_rebuilds_when_the_edition_changes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = convert.convert_tree(SEEDS, "md,json", out, jobs=1)
    assert first.converted == len(seed_paths())
    traditional = convert.convert_tree(SEEDS, "md,json", out, jobs=1, script="zh-TW")
    assert traditional.converted == len(seed_paths()) and traditional.up_to_date == 0
    again = convert.convert_tree(SEEDS, "md,json", out, jobs=1, script="zh-TW")
    assert again.up_to_date == len(seed_paths())
    # Output names mirror the input tree: paths are not translated.
    notice = out / "网络聚焦/通知公告/2019-12-01/关于做好2019年度考核工作的通知.json"
    data = json.loads(notice.read_text("utf-8"))
    assert data["meta"]["title"] == "關於做好2019年度考核工作的通知"
    assert data["meta"]["category"] == ["網絡聚焦", "通知公告"] and data["meta"]["language"] == "zh-TW"


def test_the_command_takes_script(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [str(SEEDS / "000_b01cef3071674085.txt"), "--to", "md", "-o", str(tmp_path),
                                       "--script", "zh-hk", "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    assert 'lang: "zh-HK"' in (tmp_path / "000_b01cef3071674085.md").read_text("utf-8")
    bad = CliRunner().invoke(main, [str(SEEDS), "--script", "zh-XX"])
    assert bad.exit_code == 2


def test_a_book_converts_its_title_folders_and_chapters(tmp_path: Path) -> None:
    import zipfile

    from convert.book import write_book

    target = tmp_path / "book.epub"
    report = write_book([SEEDS / "网络聚焦"], target, title="网络聚焦文集", script="zh-TW")
    assert not report.failures
    with zipfile.ZipFile(target) as book:
        names = book.namelist()
        opf = next(book.read(n).decode() for n in names if n.endswith(".opf"))
        nav = next(book.read(n).decode() for n in names if n.endswith("nav.xhtml"))
        chapters = [book.read(n).decode() for n in names if n.endswith(".xhtml") and "/ch" in n]
    assert "<dc:language>zh-TW</dc:language>" in opf and "網絡聚焦文集" in opf
    assert "國際新聞" in nav and "北京市啟動垃圾分類示範小區創建工作" in nav
    assert chapters and all('xml:lang="zh-TW"' in c for c in chapters)
    assert any("聯合國秘書長" in c for c in chapters)


def test_a_book_tree_is_converted_by_the_one_walker_at_any_depth() -> None:
    from convert.model import Book, BookMeta, Chapter, Section, walk_contents
    from convert.transforms.script import ScriptConversion

    deep: Section | Chapter = Chapter("a/b.txt", "里面")
    for level in range(2000):  # deeper than Python's recursion limit: no recursive walk survives it
        deep = Section(f"国际{level}", (deep, Chapter(f"k{level}", "发现")))
    contents = (Chapter("top.txt", "头发"), deep, Section("后来"))
    book = Book(BookMeta("文集"), contents, lambda chapter: Document(Metadata(chapter.title)))
    done = ScriptConversion(EDITIONS["zh-HK"]).apply_book(book)
    before, after = list(walk_contents(book.contents)), list(walk_contents(done.contents))
    assert [(d, type(n), getattr(n, "key", None)) for d, n in after] == [
        (d, type(n), getattr(n, "key", None)) for d, n in before]
    assert [n.title for _, n in after] == [converter("s2hk").convert(n.title) for _, n in before]
    assert done.meta.title == "文集" and done.meta.language == "zh-HK"
    assert [n.title for _, n in after][:3] == ["頭髮", "國際1999", "國際1998"]


_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_ANY_TEXT = st.text(st.one_of(_HAN, st.characters()), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_ANY_TEXT, min_size=1, max_size=4), max_size=5), st.sampled_from(["s2t", "s2tw", "s2hk", "s2twp"]))
def test_each_run_converts_as_opencc_converts_its_joined_text(runs: list[list[str]], config: str) -> None:
    from convert.transforms.script import convert_runs, text_converter

    done = convert_runs(runs, config)
    assert [len(run) for run in done] == [len(run) for run in runs]
    convert = text_converter(config)
    for before, after in zip(runs, done, strict=True):
        joined = "".join(before)
        if len(convert(joined)) == len(joined):  # lengths kept: exactly OpenCC's conversion of the run
            assert "".join(after) == convert(joined)
            assert [len(v) for v in after] == [len(v) for v in before]
        else:  # a phrase changed length: string by string
            assert after == [convert(v) for v in before]


def test_lone_surrogates_pass_through() -> None:
    document = Document(Metadata(title="头\ud800发"), (Paragraph((Text("\udfff软件"),)),))
    converted = convert_script(document, "zh-TW")
    assert converted.meta.title == "頭\ud800發" and texts_of(converted)[-1] == "\udfff軟件"


# ---------------------------------------------------------------- XML sanitising


@pytest.mark.parametrize("fmt", ["md", "json", "html", "epub", "docx", "pdf"])
def test_control_characters_give_one_diagnostic_with_the_count_in_every_format(fmt: str, tmp_path: Path) -> None:
    document = Document(Metadata(title="标\x01题", source="a.txt"),
                        (Paragraph((Text("控\x00制"), Strong((Text("字\x1f符\ufffe"),)))),
                         Image("图片/\x02.jpg", None, "说\x03明")))
    diagnostics = convert.write(document, fmt, tmp_path / f"a.{fmt}")
    dropped = [d for d in diagnostics if d.code == "dropped-control-chars"]
    assert [d.message for d in dropped] == ["dropped 6 control character(s) no output format can hold"]


def test_a_clean_document_passes_the_sanitising_unchanged() -> None:
    document = every_document()
    result = transforms.prepare(document)
    assert result.document is document and result.diagnostics == ()


def test_the_readers_report_dropped_characters_in_the_same_words(tmp_path: Path) -> None:
    seed = tmp_path / "a.txt"
    seed.write_bytes("标题\n<div>正\x01文\x02。</div>".encode())
    result = convert.read(seed)
    assert [d.message for d in result.diagnostics if d.code == "dropped-control-chars"] == [
        "dropped 2 control character(s) no output format can hold"]
