"""Chinese punctuation widths (clreq): what line breaking and drawing need to know of each mark.

- :func:`adjustments` / :func:`adjustment_map` -- 标点挤压 (clreq 3.1.6): two full-width
  punctuation marks side by side take 1.5 em, not 2: the blank half between them goes (a
  closing mark's or a mainland ``。，、；：！？``'s right half, an opening mark's left half);
  and a quarter-em space stands between a Han character and a Latin letter or ASCII digit
  (clreq 3.2).
- :func:`stretchable_gaps` -- where justification may add space: beside Han characters
  and CJK punctuation, never inside a Latin word or number.
- :func:`shrink_allowances` / :func:`shrink_map` -- how far each gap may close when a line
  is too full (the compressible halves clreq allows).

Pure functions of the text, in em; :mod:`convert.linebreak` chooses the breaks with them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from .typography import CJK_RANGES, is_cjk

#: Opening marks: ink in the right half, the left half blank.
OPENING = frozenset("“‘（《「『〈【〔〖〘〚［｛")
#: Closing marks: ink in the left half, the right half blank.
CLOSING = frozenset("”’）》」』〉】〕〗〙〛］｝")
#: Mainland (GB) positions put these in the lower left: their right half is blank too.
LEFT_SITTING = frozenset("。，、；：！？")
#: Marks some faces (Taiwan positions: AR PL UMing) centre: a quarter em blank each side.
MAYBE_CENTRED = frozenset("。、；：！？")

HALF = 0.5
QUARTER = 0.25


@cache
def is_han(char: str) -> bool:
    """A Han character (or kana): a letter of the CJK ranges, not punctuation."""
    return is_cjk(char) and unicodedata.category(char).startswith("L") and not ("\uff00" <= char <= "\uffef")


@cache
def is_latin(char: str) -> bool:
    """A Latin letter or an ASCII digit: gets a quarter em beside a Han character (clreq 3.2)."""
    cp = ord(char)
    return (char.isascii() and char.isalnum()) or (0xC0 <= cp <= 0x24F and cp not in (0xD7, 0xF7))


def _cls(chars: frozenset[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


_HAN = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
_LATIN = "[A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]"
_CLOSE_OR_LEFT = CLOSING | LEFT_SITTING
# Each pattern consumes the first character of the pair it looks for (not a bare lookahead,
# which the regex engine tries at every position): the matches start at the same places.
_PAIR_AFTER = re.compile(
    "(?:" + _cls(_CLOSE_OR_LEFT) + "(?=" + _cls(_CLOSE_OR_LEFT | OPENING) + ")|" + _cls(OPENING) + "(?=" + _cls(OPENING) + "))"
)
_MARK = re.compile(_cls(_CLOSE_OR_LEFT))
_OPENING = re.compile(_cls(OPENING))
_HAN_LATIN = re.compile("(?:" + _HAN + "(?=" + _LATIN + ")|" + _LATIN + "(?=" + _HAN + "))")
_CJK = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in CJK_RANGES)  # as is_cjk
_WORD_RUN = re.compile("[^\\s" + _CJK + "]{2,}")
_SPACE = re.compile("\\s")


#: Marks whose ink cannot touch a centred 。 or 、 half an em to its left: opening marks (ink on
#: their right), quotes (high), and the low or centred small marks.
_CLEAR_OF_CENTRED = OPENING | frozenset("”’，。、．")


def adjustments(text: str, centred: frozenset[str] = frozenset()) -> list[float]:
    """``result[i]``: extra advance after ``text[i]``, in em (negative: compressed).

    Adjacent full-width punctuation is set at 1.5 em for the pair: after a closing mark or a
    left-sitting mark the blank right half goes; between two opening marks the second's
    blank left half goes. ``centred`` names the marks the face draws centred (Taiwan
    positions): such a mark loses half an em before a mark whose ink stays clear of it
    (opening marks, quotes, low marks); before a tall one (）》；) it loses a quarter and its
    neighbour a quarter, so the pair still takes 1.5 em without the glyphs touching. A Han
    character and a Latin letter or ASCII digit side by side get a quarter em between them.
    At a line break the adjustment after the line's last character does not apply (the
    caller drops it).
    """
    result = [0.0] * len(text)
    for i, value in adjustment_map(text, centred).items():
        result[i] = value
    return result


def adjustment_map(text: str, centred: frozenset[str] = frozenset()) -> dict[int, float]:
    """:func:`adjustments` as {index: em} for the characters that have one (most have none)."""
    result: dict[int, float] = {}
    for match in _HAN_LATIN.finditer(text):
        result[match.start()] = QUARTER
    for match in _PAIR_AFTER.finditer(text):
        i = match.start()
        if text[i] in centred and text[i + 1] not in _CLEAR_OF_CENTRED:
            # a quarter of its own, a quarter of the next mark's blank right side
            result[i] = min(result.get(i, 0.0), -QUARTER)
            result[i + 1] = min(result.get(i + 1, 0.0), -QUARTER)
        else:
            result[i] = -HALF
    return result


def stretchable_gaps(text: str) -> list[bool]:
    """``result[i]``: may justification widen the gap after ``text[i]``? (``len(text)`` entries;
    the last is False.) Yes beside a Han character or CJK punctuation and between a word and
    Han text; never inside a Latin word or number, nor at a space (a widened space reads as
    a column break)."""
    n = len(text)
    result = [True] * n
    if n:
        result[-1] = False
    # only the few places that do not stretch are looked for: runs of word characters, spaces
    for match in _WORD_RUN.finditer(text):
        result[match.start() : match.end() - 1] = [False] * (match.end() - match.start() - 1)
    for match in _SPACE.finditer(text):
        start = match.start()
        if start:
            result[start - 1] = False
        result[start] = False
    return result


def shrink_allowances(text: str, adjust: Sequence[float], centred: frozenset[str] = frozenset()) -> list[float]:
    """``result[i]``: how far, in em, the gap after ``text[i]`` may close when a line is too
    full (clreq allows compressing punctuation to justify): a closing or left-sitting mark
    not already compressed gives its blank right half (a centred one a quarter), an opening
    mark its blank left half (in the gap before it), a Han-Latin quarter em all of itself.
    ``adjust``: from :func:`adjustments`."""
    result = [0.0] * len(text)
    for i, value in shrink_map(text, {i: v for i, v in enumerate(adjust) if v}, centred).items():
        result[i] = value
    return result


def shrink_map(text: str, adjust: dict[int, float], centred: frozenset[str] = frozenset()) -> dict[int, float]:
    """:func:`shrink_allowances` as {index: em}, from :func:`adjustment_map`."""
    result: dict[int, float] = {}
    for match in _OPENING.finditer(text, 1):  # the gap before an opening mark that follows another character
        i = match.start() - 1
        if text[i] not in OPENING and adjust.get(i, 0.0) >= 0:
            result[i] = HALF
    for match in _MARK.finditer(text):
        i = match.start()
        if adjust.get(i, 0.0) >= 0:
            result[i] = QUARTER if text[i] in centred else HALF
    for i, value in adjust.items():
        if value == QUARTER:
            result[i] = QUARTER
    return result


__all__ = ["CLOSING", "HALF", "LEFT_SITTING", "MAYBE_CENTRED", "OPENING", "QUARTER", "adjustment_map", "adjustments",
           "is_han", "is_latin", "shrink_allowances", "shrink_map", "stretchable_gaps"]
