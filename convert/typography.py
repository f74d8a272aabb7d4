"""Chinese typography rules shared by every writer: plain functions and data.

Sources: W3C "Requirements for Chinese Text Layout" (clreq), sections on line
breaking (禁则) and paragraph indentation.
"""

from __future__ import annotations

import re
import unicodedata

LANGUAGE = "zh-CN"

#: First-line indent of a body paragraph, in em (two full-width characters).
INDENT_EM = 2

#: Characters that may not begin a line (clreq 3.1.7, "line-start prohibition").
NO_LINE_START = frozenset(
    "，。、；：？！）》」』】〕〉”’％‰℃…‥·・—～〗〙〛｝］｠»›,.;:?!)]}%"
    "ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
#: Characters that may not end a line (clreq "line-end prohibition").
NO_LINE_END = frozenset("“‘（《「『【〔〈〖〘〚｛［｟«‹([{$￥£¥")
#: Pairs that must never be split (the two-em dash, the ellipsis).
NO_BREAK_INSIDE = frozenset("—…‥")

_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x312F),  # bopomofo
    (0x3190, 0x31FF),
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3FFFF),  # planes 2 and 3: Extensions B-H
)


def is_cjk(char: str) -> bool:
    """True for a Han character, kana, or full-width punctuation: a character that breaks anywhere."""
    cp = ord(char)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


# C0 controls except tab, newline and carriage return; plus the XML non-characters and
# lone surrogates. None of these can exist in XML 1.0 (DOCX, EPUB, HTML) or in a PDF text.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def strip_illegal(text: str) -> tuple[str, int]:
    """Remove characters no XML output can hold; return the cleaned text and how many went."""
    cleaned, count = _XML_ILLEGAL.subn("", text)
    return cleaned, count


def normalize_space(text: str) -> str:
    """Collapse the whitespace of a title into single spaces (titles are one line)."""
    return " ".join(text.split())


def is_blank(text: str) -> bool:
    """True when text holds nothing visible (ASCII or ideographic spaces, NBSP, zero-width)."""
    return all(ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs") for ch in text)


def strip_indent(text: str) -> str:
    """Remove a paragraph's typed indent (ASCII spaces and U+3000) and trailing whitespace."""
    return text.strip(" \t\r\n\u3000\u00a0")


# Font names for formats that name fonts rather than embed them (DOCX, EPUB, HTML).
# The DOCX writer's --cjk-font/--latin-font and the EPUB/HTML CSS share these defaults.
DEFAULT_CJK_FONT = "SimSun"  # 宋体: body text
DEFAULT_HEADING_CJK_FONT = "SimHei"  # 黑体: title and headings
DEFAULT_LATIN_FONT = "Times New Roman"
DEFAULT_HEADING_LATIN_FONT = "Arial"
#: CSS fallbacks after the chosen CJK font: Song/Ming faces on Windows, macOS, Linux, Android.
CJK_SERIF_STACK = ("SimSun", "宋体", "Songti SC", "STSong", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "serif")
CJK_SANS_STACK = ("SimHei", "黑体", "PingFang SC", "Heiti SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "sans-serif")


def css_font_stack(*preferred: str | None, fallback: tuple[str, ...] = CJK_SERIF_STACK) -> str:
    """A CSS font-family value: the preferred names first, then the fallback stack, no repeats."""
    names = [n for n in preferred if n] + list(fallback)
    unique = list(dict.fromkeys(names))
    return ", ".join(n if n in ("serif", "sans-serif") else '"' + n.replace('"', "") + '"' for n in unique)
