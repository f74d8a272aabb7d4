"""Chinese typography rules shared by every writer: clreq line breaking, text cleaning, fonts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from convert.typography import (
    NO_LINE_END,
    NO_LINE_START,
    break_opportunities,
    can_break,
    css_font_stack,
    fit_lines,
    is_blank,
    is_cjk,
    line_break_violations,
    normalize_space,
    strip_illegal,
    strip_indent,
    takes_latin_font,
)

URL = "https://www.stats.gov.cn/tjsj/zxfb/201907.html"  # 46 characters
SENTENCE = f"据统计，2019年上半年GDP增长6.3%，详见{URL}，同比增长12,345.67万元。"


def set_lines(text: str, width: int, first: int | None = None) -> list[str]:
    """``text`` set in lines of ``width`` characters of width 1."""
    return [text[s:e] for s, e in fit_lines(text, [1.0] * len(text), float(width), None if first is None else float(first))]


# ---------------------------------------------------------------- where a line may break


@pytest.mark.parametrize(
    ("before", "after", "allowed"),
    [
        ("中", "文", True),  # Han characters break anywhere
        ("中", "，", False),  # no line starts with ，
        ("“", "中", False),  # no line ends with “
        ("文", "《", True),
        ("…", "…", False),  # the ellipsis is one mark of two characters
        ("a", "b", False),  # a Latin word is never split
        ("1", ".", False),
        ("a", "中", True),
        (" ", "a", True),  # after a space, not before it
        ("a", " ", False),
        ("-", "a", False),  # a hyphen at a line end reads as a split word
        ("中", "\u00a0", False),  # a no-break space joins
        ("\n", "中", True),
    ],
)
def test_can_break_follows_clreq(before, after, allowed):
    assert can_break(before, after) is allowed


def test_break_opportunities_never_at_the_start_always_at_the_end():
    assert break_opportunities("中文，字") == [False, True, False, True, True]
    assert break_opportunities("") == [True]


def _every_kind_of_character() -> str:
    """Each CJK range's ends, each character a rule names, spaces, Latin, digits, controls."""
    from convert import typography

    chars = {chr(c) for lo, hi in typography.CJK_RANGES for c in (lo, lo + 1, hi - 1, hi)}
    for rule in (typography.NO_LINE_START, typography.NO_LINE_END, typography.NO_BREAK_INSIDE,
                 typography.NO_BREAK_SPACES, typography.HYPHENS, typography.FULLWIDTH_ALNUM, typography.NUMBER_INNER):
        chars |= rule
    chars |= set("中文字\u3000 \n\taZ09ｓ１é\u00ad\u2028\U0001F600\U00040000")
    return "".join(sorted(chars))


@given(st.text(alphabet=st.sampled_from(_every_kind_of_character()), max_size=12))
@example("１１．６％，１／３，ＳＯＳ")
@example("６.１、—— …… 中　文")
def test_break_opportunities_are_can_break_between_every_pair(text):
    """Only the pairs beside a character other than plain CJK text are looked up (the fast
    path): the answer is still can_break's for every pair, less the breaks inside numbers."""
    expected = [False, *map(can_break, text[:-1], text[1:]), True] if text else [True]
    for i in range(2, len(text)):
        if text[i - 2] in "0123456789０１２３４５６７８９" and text[i - 1] in "．／：，.:/," and text[i] in "0123456789０１２３４５６７８９":
            expected[i] = False
    assert break_opportunities(text) == expected


# ---------------------------------------------------------------- fitting lines


def test_lines_fill_the_measure_and_the_first_line_is_narrower_by_the_indent():
    assert set_lines("一二三四五六七八九十", 4, first=2) == ["一二", "三四五六", "七八九十"]


def test_a_line_start_prohibited_character_takes_the_previous_character_with_it():
    # "四，" cannot be split and does not fit after 一二三: 四 moves down with the comma.
    assert set_lines("一二三四，五六", 4) == ["一二三", "四，五六"]
    assert set_lines("一二三“四五", 4) == ["一二三", "“四五"]  # an opening quote does not end a line


def test_a_newline_ends_its_line_and_spaces_at_a_line_end_hang():
    assert set_lines("一二\n三四", 10) == ["一二\n", "三四"]
    assert set_lines("ab cd ef", 5) == ["ab cd ", "ef"]  # the space after cd hangs past the measure


# The URL is followed by "，", which no line may start with: the unbreakable run is 47 wide.
@pytest.mark.parametrize("width", range(len(URL) + 1, len(URL) + 16))
def test_a_url_that_fits_the_measure_is_never_split(width):
    lines = set_lines(SENTENCE, width)
    assert any(URL + "，" in line for line in lines), lines
    for token in ("2019", "GDP", "6.3%", "12,345.67"):
        assert any(token in line for line in lines), (token, lines)


@pytest.mark.parametrize("width", range(8, len(URL) + 1))
def test_a_url_wider_than_the_measure_is_cut_near_the_measure_and_nothing_is_lost(width):
    lines = set_lines(SENTENCE, width)
    assert "".join(lines) == SENTENCE
    assert all(len(line) <= width for line in lines)
    assert len(lines) <= -(-len(SENTENCE) // width) + 2, lines  # cut where the line is full: no near-empty lines


PUNCTUATED = st.text(alphabet=st.sampled_from(list("中文字词。，、；：？！“”‘’（）《》「」％abc123 ./-\n")), min_size=1, max_size=200)


@settings(max_examples=200, deadline=None)
@given(PUNCTUATED, st.integers(min_value=2, max_value=30))
@example("。。。。。", 2)  # nothing but line-start-prohibited characters: cut anyway, never loop
@example("“““““", 2)
@example("a" * 50, 3)  # one unbreakable run
def test_fit_lines_loses_nothing_and_never_exceeds_the_measure(text, width):
    lines = set_lines(text, width)
    assert "".join(lines) == text
    assert all(line for line in lines)
    assert all(len(line.rstrip(" \n")) <= width for line in lines)


# ---------------------------------------------------------------- checking set text


def test_line_break_violations_names_each_bad_line_start_and_end():
    assert line_break_violations(["正文“", "，正文", "  ", "正常。"]) == [
        (0, "ends with '“': '正文“'"),
        (1, "starts with '，': '，正文'"),
    ]
    assert set(NO_LINE_START) & set(NO_LINE_END) == set()


# ---------------------------------------------------------------- text cleaning and classes


def test_strip_illegal_drops_what_xml_cannot_hold_and_counts_it():
    assert strip_illegal("前\x00\x07\x1b\ufffe后\t\n\r") == ("前后\t\n\r", 4)
    assert strip_illegal("𠮷😀") == ("𠮷😀", 0)


def test_blank_indent_and_space_helpers():
    assert is_blank(" \u3000\u00a0\u200b") and not is_blank("　字")
    assert strip_indent("\u3000\u3000正文。 \n") == "正文。"
    assert normalize_space(" 标题\n 第二行\t ") == "标题 第二行"


def test_cjk_and_latin_font_classes():
    assert is_cjk("中") and is_cjk("，") and is_cjk("𠮷") and is_cjk("あ") and not is_cjk("a")
    assert takes_latin_font("A") and takes_latin_font("é") and not takes_latin_font("“") and not takes_latin_font("·")


def test_a_css_font_stack_puts_the_choice_first_and_never_repeats():
    stack = css_font_stack("KaiTi", None, "SimSun", fallback=("SimSun", "serif"))
    assert stack == '"KaiTi", "SimSun", serif'


def test_the_default_language_tag_is_typed_once() -> None:
    """Writers use typography.LANGUAGE, never their own copy of the tag."""
    root = Path(__file__).resolve().parent.parent / "convert"
    typed = [str(p.relative_to(root)) for p in root.rglob("*.py")
             if '"zh-CN"' in p.read_text(encoding="utf-8") and p.name != "typography.py"]
    assert typed == []
