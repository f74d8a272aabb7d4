"""Line 1 of a seed file: the listing index and the title (FORMAT.md, "Line 1").

The indexed crawler writes ``{index}{title}.txt`` with no separator, and a title may begin
with digits itself (``2019年…``, ``5G…``, ``70年…``), so ``2302019年…`` could split several
ways. Each split is graded by how well the title it leaves reads:

- strong: the digits left in the title are a date or a number with an unmistakable unit
  (``2019年``, ``6月``, ``6日``, ``20余名``, ``5G``, ``30%``);
- a title that starts right after the index with a character, not a digit (``中华…``);
- weak: a number before a character that is a unit but also starts ordinary words
  (``20中`` for a school but also ``中华``; ``5大``, ``90后``, ``70年``).

The longest plausible index (three digits at most: listing indexes run from 0 to a few
hundred) wins among the best graded splits, so a weak unit never outweighs a title that
starts with a character: ``320中华人民共和国主席江泽民`` is index 320, not 3 and
``20中华…``. Every other split that still reads is kept as an alternative, and the reader
reports the ambiguity.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..typography import normalize_space

TITLE_SUFFIX = ".txt"

_STRONG, _STARTS_TITLE, _WEAK, _NO = 3, 2, 1, 0
# Characters that read as the unit of a number written in a title ("3项", "70年", "20中").
# Most are also ordinary first characters of words (中华, 大力, 年轻, 项目), so after a
# number they are weak evidence on their own.
_HAN_UNITS = "年月日号届次个万亿多余名项条周岁天家所批件元人位部篇时分秒点期级型大中后倍"
# After a round number, 余 and 多 followed by a measure word are unmistakable: "20余名", "100多万".
_APPROXIMATE = "余多"
_MEASURES = "名人个家项万亿件篇位次条批所岁天年"
# Units that start no word: "5G", "30%". "G20" is a name, not a unit: G before a digit or letter.
_LATIN_UNITS = "G％%"
# Characters no title starts with.
_NO_TITLE_START = "％%，。、；：！？）》」』”’"
_MAX_PLAUSIBLE_INDEX_DIGITS = 3
_MAX_INDEX_DIGITS = 4


@dataclass(frozen=True)
class TitleLine:
    title: str
    index: int | None
    ambiguous: bool = False
    alternatives: tuple[tuple[int, str], ...] = ()  # other (index, title) splits that also read


def parse_title_line(line: str, file_stem: str | None = None, in_date_folder: bool = False) -> TitleLine:
    """Split line 1 into the listing index and the title (see FORMAT.md, "Line 1").

    The index is taken off only on good evidence: the line ends in ``.txt`` (only the
    indexed crawler writes the file name), or the file is named ``{digits}{line}``.
    Line 1 of a file under a date folder keeps its digits: the crawlers that file by date
    write no index.
    """
    raw = line.strip().lstrip("\ufeff")
    if raw.endswith(TITLE_SUFFIX):
        name = normalize_space(raw[: -len(TITLE_SUFFIX)])
        return TitleLine(name, None) if in_date_folder else split_index(name)
    title = normalize_space(raw)
    if file_stem and title and file_stem.endswith(title):
        prefix = file_stem[: len(file_stem) - len(title)]
        if prefix.isascii() and prefix.isdigit():
            return TitleLine(title, int(prefix))
    return TitleLine(title, None)


def split_index(name: str) -> TitleLine:
    """``{index}{title}`` into its index and title, by the grades in this module's docstring."""
    digits = len(name) - len(name.lstrip("0123456789"))
    if digits == 0 or digits == len(name):  # no index, or nothing but digits: the number is the title
        return TitleLine(name, None)
    ranked = []
    for cut in range(1, min(digits, _MAX_INDEX_DIGITS) + 1):
        grade = _grade(name[cut:digits], name[digits:])
        if grade != _NO:
            ranked.append(((cut <= _MAX_PLAUSIBLE_INDEX_DIGITS, grade, cut), cut))
    if not ranked:
        cut = min(digits, _MAX_PLAUSIBLE_INDEX_DIGITS)
        return TitleLine(name[cut:], int(name[:cut]), ambiguous=True)
    ranked.sort(reverse=True)
    cut = ranked[0][1]
    others = tuple((int(name[:c]), name[c:]) for _, c in ranked[1:])
    return TitleLine(name[cut:], int(name[:cut]), ambiguous=bool(others), alternatives=others)


def _grade(number: str, rest: str) -> int:
    """How well ``number`` + ``rest`` reads as the start of a title."""
    nxt = rest[:1]
    if not number:
        # "月6日…" is the tail of a date ("6月6日"), not a title.
        if nxt in _NO_TITLE_START or (nxt in _HAN_UNITS and rest[1:2].isdigit()):
            return _NO
        return _STARTS_TITLE
    if number[0] == "0":  # "0年", "05月": a title's number has no leading zero
        return _NO
    value = int(number)
    if nxt == "年":
        if len(number) == 4:
            return _STRONG if 1900 <= value <= 2100 else _NO
        return _WEAK if len(number) <= 3 else _NO
    if nxt == "月":
        return _STRONG if 1 <= value <= 12 else _NO
    if nxt in ("日", "号"):
        return _STRONG if 1 <= value <= 31 else _NO
    if nxt in _APPROXIMATE:
        # "20余名", "100多万": a round number, 余/多, a measure word. "2多名" is no number.
        return _STRONG if number.endswith("0") and rest[1:2] in _MEASURES and rest[1:2] else _WEAK
    if nxt in _LATIN_UNITS:
        after = rest[1:2]
        return _NO if after.isascii() and after.isalnum() else _STRONG
    return _WEAK if nxt in _HAN_UNITS else _NO


def ambiguity(line: str, parsed: TitleLine) -> str:
    """The one-line diagnostic for a line 1 that splits more than one way."""
    taken = f"took index {parsed.index} and title {_head(parsed.title)}"
    if not parsed.alternatives:
        return f"line 1 {line!r} gives no good split into index and title; {taken}"
    others = "; ".join(f"index {index}, title {_head(title)}" for index, title in parsed.alternatives)
    return f"line 1 {line!r} splits into index and title more than one way: {taken} (also read: {others})"


def _head(title: str) -> str:
    return repr(title if len(title) <= 12 else title[:12] + "…")
