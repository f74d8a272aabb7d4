"""Chinese typography rules shared by every writer: plain functions and data.

Sources: W3C "Requirements for Chinese Text Layout" (clreq), sections on line
breaking (禁则) and paragraph indentation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

LANGUAGE = "zh-CN"

#: First-line indent of a body paragraph, in em (two full-width characters).
INDENT_EM = 2

#: Characters that may not begin a line (clreq 3.1.7, "line-start prohibition").
NO_LINE_START = frozenset(
    "，。、；：？！）》」』】〕〉”’％‰℃…‥·・—～〗〙〛｝］｠»›,.;:?!)]}%．／"
    "ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
#: Characters that may not end a line (clreq "line-end prohibition").
NO_LINE_END = frozenset("“‘（《「『【〔〈〖〘〚｛［｟«‹([{$￥£¥")
#: Pairs that must never be split (the two-em dash, the ellipsis).
NO_BREAK_INSIDE = frozenset("—…‥")

CJK_RANGES = (
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


@cache  # asked for every pair of characters a line breaker looks at
def is_cjk(char: str) -> bool:
    """True for a Han character, kana, or full-width punctuation: a character that breaks anywhere."""
    cp = ord(char)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


# C0 controls except tab, newline and carriage return; plus the XML non-characters and
# lone surrogates. None of these can exist in XML 1.0 (DOCX, EPUB, HTML) or in a PDF text.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def takes_latin_font(char: str) -> bool:
    """Should ``char`` be drawn in the Latin face of mixed Chinese text?

    ASCII and accented Latin letters: yes. Curly quotes, the middle dot of foreign names
    (·), dashes and ellipses belong to the Chinese face, full width, as clreq sets them.
    """
    cp = ord(char)
    return 0x20 <= cp <= 0x7E or (0xC0 <= cp <= 0x24F and cp not in (0xD7, 0xF7))


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
CJK_SANS_STACK = (
    "SimHei", "黑体", "PingFang SC", "Heiti SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
    "WenQuanYi Micro Hei", "sans-serif",
)


def css_font_stack(*preferred: str | None, fallback: tuple[str, ...] = CJK_SERIF_STACK) -> str:
    """A CSS font-family value: the preferred names first, then the fallback stack, no repeats."""
    names = [n for n in preferred if n] + list(fallback)
    unique = list(dict.fromkeys(names))
    return ", ".join(n if n in ("serif", "sans-serif") else '"' + n.replace('"', "") + '"' for n in unique)


# ---------------------------------------------------------------- line breaking (clreq 禁则)
# Shared by every writer that sets its own lines (the PDF writer) and by tests that check
# line starts and ends of any rendered output.

#: A line never ends in one of these beside Chinese text: readers (and pdftotext, which
#: deletes it and joins the lines) take a hyphen at a line end for a word split.
HYPHENS = frozenset("-\u00ad\u2010\u2011")

#: Spaces that join rather than separate: no break on either side.
NO_BREAK_SPACES = frozenset("\u00a0\u2007\u202f\u2060\ufeff")


#: Full-width digits and Latin letters (U+FF10-FF19, FF21-FF3A, FF41-FF5A): a run of them is
#: a number or a word, set like ASCII ones (never split), though drawn full width.
FULLWIDTH_ALNUM = frozenset(
    [chr(c) for c in range(0xFF10, 0xFF1A)] + [chr(c) for c in range(0xFF21, 0xFF3B)] + [chr(c) for c in range(0xFF41, 0xFF5B)]
)
#: Punctuation inside a number, between two digits: ``１１．６`` ``１／３`` ``３：２`` ``１，２００`` ``6.1``.
NUMBER_INNER = frozenset("．／：，.:/,")
_NUMBER_INNER_RE = re.compile("[0-9\uff10-\uff19][" + re.escape("".join(sorted(NUMBER_INNER))) + "](?=[0-9\uff10-\uff19])")


def is_alnum_word(char: str) -> bool:
    """An ASCII or full-width letter or digit: part of a word or number that is never split."""
    return (char.isascii() and char.isalnum()) or char in FULLWIDTH_ALNUM


@cache  # asked for every pair of neighbours; news text repeats few pairs
def can_break(before: str, after: str) -> bool:
    """May a line end after ``before`` and the next line start with ``after``?

    Han characters, kana and full-width punctuation break anywhere, except before a
    line-start-prohibited character or after a line-end-prohibited one; a break is taken
    after spaces, never before them; a run of Latin letters, digits and ASCII punctuation
    (a word, a number, a URL) is never split.
    """
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before == after and before in NO_BREAK_INSIDE:
        return False
    if before in NO_BREAK_SPACES or after in NO_BREAK_SPACES or before == "\n":
        return before == "\n"
    if after.isspace():
        return False
    if before.isspace():
        return True
    if before in HYPHENS:
        return False
    if is_alnum_word(before) and is_alnum_word(after):
        return False  # inside a word or number, full-width ones too (ＳＯＳ, １９９８)
    return is_cjk(before) or is_cjk(after)


def _plain_ranges() -> list[tuple[int, int]]:
    """The code point ranges of CJK characters that break on both sides of one another: not
    punctuation with a line-start or line-end rule, not a space, hyphen or full-width letter."""
    # U+3000 is the one white space character in the CJK ranges
    special = NO_LINE_START | NO_LINE_END | NO_BREAK_INSIDE | NO_BREAK_SPACES | HYPHENS | FULLWIDTH_ALNUM | {"\u3000"}
    ranges = []
    for lo, hi in CJK_RANGES:
        start = lo
        for cp in sorted(ord(c) for c in special if lo <= ord(c) <= hi):
            if start < cp:
                ranges.append((start, cp - 1))
            start = cp + 1
        if start <= hi:
            ranges.append((start, hi))
    return ranges


#: Runs of characters other than plain CJK ones: only beside these can a pair refuse a break.
_SPECIAL_RUN = re.compile(
    "[^" + "".join(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "") for lo, hi in _plain_ranges())
    + "]+"
)


@lru_cache(maxsize=4096)
def _run_breaks(run: str) -> tuple[bool, ...]:
    """:func:`can_break` before each character of ``run`` and after its last, between plain CJK
    neighbours (the same answers for any of them: none has a rule, a space or a word)."""
    return (can_break("中", run[0]), *map(can_break, run[:-1], run[1:]), can_break(run[-1], "中"))


def break_opportunities(text: str) -> list[bool]:
    """``result[i]`` is True when a line may break before ``text[i]`` (``len(text) + 1`` entries).

    A newline is a forced break after it. Position 0 is never a break; the end always is.
    """
    n = len(text)
    if n == 0:
        return [True]
    # Between two plain CJK characters (most of a Chinese text) a break is always allowed:
    # :func:`can_break` is asked only at the edges and inside runs of other characters.
    result = [True] * (n + 1)
    for match in _SPECIAL_RUN.finditer(text):
        start, end = match.span()
        result[start : end + 1] = _run_breaks(match.group())
    result[0] = False
    result[n] = True
    # a number's inner punctuation between two digits (１１．|６, １／|３, ３：|２, １，|２００) holds it together
    for match in _NUMBER_INNER_RE.finditer(text):
        result[match.start() + 2] = False
    return result


def _emergency_break(text: str, start: int, limit: int) -> int:
    """Where to cut an unbreakable run that overflows at ``limit``: the last position in
    (start, limit] that keeps the start/end rules, else ``limit`` itself (at least one character)."""
    for j in range(limit, start, -1):
        a, b = text[j - 1], text[j]
        if b not in NO_LINE_START and a not in NO_LINE_END and not (a == b and a in NO_BREAK_INSIDE):
            return j
    return max(limit, start + 1)


def _longer_than(widths: list[float], ok: list[bool], start: int, limit: float) -> bool:
    """Is the unbreakable run that starts at ``start`` wider than ``limit``?"""
    total = 0.0
    for i in range(start, len(widths)):
        if i > start and ok[i]:
            return False
        total += widths[i]
        if total > limit:
            return True
    return False


def fit_lines(text: str, widths: list[float], width: float, first_width: float | None = None) -> list[tuple[int, int]]:
    """Greedy clreq line breaking: ``(start, end)`` character ranges, one per line.

    ``widths[i]`` is the advance of ``text[i]``; ``first_width`` is the first line's measure
    (narrower by the indent). Spaces at a line end hang (they do not count against the
    measure). A newline ends its line (it is the last character of that line). A run with
    no break opportunity that is wider than the line (a very long number or URL, a
    paragraph without any break) is cut as close to the measure as the start/end rules allow.
    """
    n = len(text)
    ok = break_opportunities(text)
    lines: list[tuple[int, int]] = []
    start = 0
    eps = 1e-6
    while start < n:
        avail = first_width if (first_width is not None and not lines) else width
        x = 0.0
        last_ok = -1
        i = start
        end = n
        while i < n:
            ch = text[i]
            if ch == "\n":
                end = i + 1
                break
            w = widths[i]
            if x + w > avail + eps and i > start and not ch.isspace():
                if last_ok > start and not _longer_than(widths, ok, last_ok, width):
                    end = last_ok
                else:  # the run must be cut anyway: cut it here rather than leave this line near empty
                    end = _emergency_break(text, start, i)
                break
            x += w
            i += 1
            if ok[i]:
                last_ok = i
        lines.append((start, end))
        start = end
    return lines


def line_break_violations(lines: list[str]) -> list[tuple[int, str]]:
    """Lines of set text that break the clreq rules: ``(line number, reason)``.

    A line may not start with a line-start-prohibited character nor end with a
    line-end-prohibited one (surrounding white space ignored; blank lines skipped).
    """
    found = []
    for number, line in enumerate(lines):
        stripped = line.strip(" \t\r\n\u3000\f")
        if not stripped:
            continue
        if stripped[0] in NO_LINE_START:
            found.append((number, f"starts with {stripped[0]!r}: {stripped[:20]!r}"))
        if stripped[-1] in NO_LINE_END:
            found.append((number, f"ends with {stripped[-1]!r}: {stripped[-20:]!r}"))
    return found


# ---------------------------------------------------------------- editions: fonts by script and region
# Traditional editions (--script) name the faces their readers have: Windows 新細明體
# (PMingLiU) and 細明體_HKSCS for Hong Kong's extra characters, 微軟正黑體 for headings,
# 標楷體 (DFKai-SB) for quotations as Taiwanese print sets them, Apple's Songti TC /
# PingFang TC·HK / Kaiti TC, and the Noto CJK TC and HK faces. The simplified defaults
# above stay what a zh-CN document gets.

TRADITIONAL_LANGUAGES = ("zh-Hant", "zh-TW", "zh-HK")


@dataclass(frozen=True)
class FontSet:
    """The faces one script and region is set in: names for DOCX, stacks for CSS."""

    cjk: str  # DOCX body face (the name Word stores)
    heading_cjk: str  # DOCX title and heading face
    serif: tuple[str, ...]  # CSS body stack, after the chosen face
    sans: tuple[str, ...]  # CSS heading stack
    quote: tuple[str, ...] = ()  # CSS quotation stack (a Kai face), empty: the body's
    quote_cjk: str | None = None  # DOCX quotation face, None: the body's


_TW_SERIF = ("PMingLiU", "新細明體", "Songti TC", "LiSong Pro", "Noto Serif CJK TC", "Source Han Serif TC",
             "AR PL UMing TW", "serif")
_HK_SERIF = ("MingLiU_HKSCS", "細明體_HKSCS", "PMingLiU", "新細明體", "Songti TC", "Noto Serif CJK HK",
             "Source Han Serif HC", "AR PL UMing HK", "serif")
_TW_SANS = ("Microsoft JhengHei", "微軟正黑體", "PingFang TC", "Heiti TC", "Noto Sans CJK TC", "Source Han Sans TC",
            "sans-serif")
_HK_SANS = ("Microsoft JhengHei", "微軟正黑體", "PingFang HK", "PingFang TC", "Noto Sans CJK HK", "Source Han Sans HC",
            "sans-serif")
_TW_KAI = ("DFKai-SB", "標楷體", "BiauKai", "Kaiti TC", "AR PL UKai TW", "serif")
_HK_KAI = ("DFKai-SB", "標楷體", "Kaiti TC", "AR PL UKai HK", "serif")

FONT_SETS: dict[str, FontSet] = {
    LANGUAGE: FontSet(DEFAULT_CJK_FONT, DEFAULT_HEADING_CJK_FONT, CJK_SERIF_STACK, CJK_SANS_STACK),
    "zh-Hant": FontSet("PMingLiU", "Microsoft JhengHei", _TW_SERIF, _TW_SANS, _TW_KAI, "DFKai-SB"),
    "zh-TW": FontSet("PMingLiU", "Microsoft JhengHei", _TW_SERIF, _TW_SANS, _TW_KAI, "DFKai-SB"),
    "zh-HK": FontSet("MingLiU_HKSCS", "Microsoft JhengHei", _HK_SERIF, _HK_SANS, _HK_KAI, "DFKai-SB"),
}


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


def language_tag(value: str | None) -> str:
    """``value`` when it is a well-formed language tag (zh-TW), else zh-CN: formats that write
    the tag into their own markup (DOCX styles) must not take arbitrary text."""
    return value if value and _LANGUAGE_TAG.fullmatch(value) else LANGUAGE


def font_set(language: str | None) -> FontSet:
    """The faces for a document's language tag (case-insensitive); zh-CN's for any other."""
    wanted = (language or "").lower()
    for tag, fonts in FONT_SETS.items():
        if tag.lower() == wanted:
            return fonts
    return FONT_SETS[LANGUAGE]
