"""Styled text: runs of characters with a style, each resolved to a face and measured.

:class:`StyledText` is what the paragraph layout and the drawing code work on: a paragraph's
characters with, for each one, its style, the index of the face in the style's chain that
draws it, and its advance. :class:`Counters` collects what no font could draw.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress
from operator import ne

from fontTools.ttLib import TTFont as FontToolsFont

from ...fonts import FontFile
from ...model import Diagnostic, Emphasis, Inline, LineBreak, Link, Strong, Text
from ...punctuation import CLOSING, LEFT_SITTING, MAYBE_CENTRED, OPENING, adjustment_map, shrink_map, stretchable_gaps
from ...visit import Dispatch
from .fonts import Chain, PerFontFile, face_for

BLACK = (0.0, 0.0, 0.0)
GREY = (0.35, 0.35, 0.35)
LINK = (0.0, 0.2, 0.6)
FAKE_ITALIC = 0.2  # horizontal shear for emphasis: there is no italic CJK face


@dataclass(frozen=True)
class Style:
    """How a run is set: its font chain, size, colour, shear (fake italic) and link target."""

    chain: Chain
    size: float
    color: tuple[float, float, float] = BLACK
    shear: float = 0.0
    href: str | None = None


@dataclass
class Counters:
    """What a render noticed, turned into diagnostics at the end."""

    uncovered: dict[str, int] = field(default_factory=dict)
    dropped_invisible: int = 0

    def uncovered_codes(self) -> str:
        """The characters no font has, for a warning: the first eight as U+XXXX, … for more."""
        listed = ", ".join(f"U+{ord(ch):04X}" for ch in sorted(self.uncovered)[:8])
        return listed + ("…" if len(self.uncovered) > 8 else "")


_Runs = list[tuple[str, Style]]
_Stack = list[tuple[Iterator[Inline], Style]]


class Flattener:
    """Inline tree to (text, style) runs, through the dispatch every builder shares
    (:class:`convert.visit.Dispatch`): one handler per inline kind, and an object that is no
    inline of the model is an ``unknown-node`` warning in ``diagnostics``, left out. Strong
    text is set in the ``strong`` chain (the Hei face: Chinese bold); emphasis is sheared;
    links are coloured and remember their target. An explicit stack, not recursion: hostile
    input nests deep."""

    def __init__(self, strong: Chain, diagnostics: list[Diagnostic]) -> None:
        self.strong = strong
        self.dispatch = Dispatch[None]({
            "text": self._text, "linebreak": self._linebreak, "strong": self._strong, "emphasis": self._emphasis,
            "link": self._link,
        }, diagnostics, None)

    def __call__(self, inlines: tuple[Inline, ...], base: Style) -> _Runs:
        runs: _Runs = []
        stack: _Stack = [(iter(inlines), base)]
        dispatch = self.dispatch
        while stack:
            iterator, style = stack[-1]
            node = next(iterator, None)
            if node is None:
                stack.pop()
            else:
                dispatch(node, style, runs, stack)
        return runs

    @staticmethod
    def _text(node: Text, style: Style, runs: _Runs, stack: _Stack) -> None:
        runs.append((node.text, style))

    @staticmethod
    def _linebreak(node: LineBreak, style: Style, runs: _Runs, stack: _Stack) -> None:
        runs.append(("\n", style))

    def _strong(self, node: Strong, style: Style, runs: _Runs, stack: _Stack) -> None:
        stack.append((iter(node.children), Style(self.strong, style.size, style.color, style.shear, style.href)))

    @staticmethod
    def _emphasis(node: Emphasis, style: Style, runs: _Runs, stack: _Stack) -> None:
        stack.append((iter(node.children), Style(style.chain, style.size, style.color, FAKE_ITALIC, style.href)))

    @staticmethod
    def _link(node: Link, style: Style, runs: _Runs, stack: _Stack) -> None:
        stack.append((iter(node.children), Style(style.chain, style.size, LINK, style.shear, node.href)))


_IGNORABLE_CATEGORIES = ("Cf", "Mn", "Me", "Cc")  # Cc: DEL and C1 controls, nothing to draw


_KNOWN: dict[tuple[Chain, float], tuple[dict[str, int], dict[str, float]]] = {}


def _known(chain: Chain, size: float) -> tuple[dict[str, int], dict[str, float]]:
    """Per chain and size, for the life of the process: character -> face index, and character
    -> advance at that size, for the characters some face draws (bounded by the faces'
    coverage and the few sizes a layout uses); a run made of such characters is measured
    with two ``map`` calls."""
    known = _KNOWN.get((chain, size))
    if known is None:
        known = _KNOWN.setdefault((chain, size), ({}, {}))
    return known


class StyledText:
    """A paragraph's characters with a style, a face and an advance for each one."""

    __slots__ = ("chars", "styles", "faces", "widths", "uncovered", "adjust", "stretch", "shrink", "cuts")

    def __init__(self, runs: list[tuple[str, Style]], counters: Counters) -> None:
        chars: list[str] = []
        styles: list[Style] = []
        faces: list[int] = []
        widths: list[float] = []
        uncovered: set[int] = set()
        starts: list[int] = []  # where each styled run begins
        for raw, style in runs:
            starts.append(len(faces))
            text = raw.replace("\t", " ").replace("\r", "")  # XML-illegal controls: gone in the transform stage
            chain = style.chain
            size = style.size
            known_faces, known_widths = _known(chain, size)
            try:  # every character drawn by a face, as met before: no per-character branches
                faces.extend(map(known_faces.__getitem__, text))
            except KeyError:
                del faces[starts[-1] :]
            else:
                chars.append(text)
                styles.extend([style] * len(text))
                widths.extend(map(known_widths.__getitem__, text))
                continue
            resolve = chain.resolve
            for ch in text:
                index = resolve(ch)
                if index >= 0:
                    width = known_widths[ch] = chain.face(index).width(ch) * size
                    known_faces[ch] = index
                elif ch == "\n":
                    index, width = 0, 0.0
                elif unicodedata.category(ch) in _IGNORABLE_CATEGORIES:
                    # a joiner or variation selector no font draws: leaving it out changes nothing visible
                    counters.dropped_invisible += 1
                    continue
                else:
                    counters.uncovered[ch] = counters.uncovered.get(ch, 0) + 1
                    uncovered.add(len(faces))
                    index, width = 0, size  # drawn as a one-em box
                chars.append(ch)
                styles.append(style)
                faces.append(index)
                widths.append(width)
        self.chars = "".join(chars)
        self.styles = styles
        self.faces = faces
        self.widths = widths
        self.uncovered = uncovered
        #: the starts of runs of one style and face (and of each box), then the length
        self.cuts = _run_starts(starts, faces, uncovered)
        text = self.chars
        #: extra advance after each character, in points: punctuation compression (negative) and
        #: the quarter em between Han and Latin (clreq 3.1.6, 3.2); dropped at a line end
        self.adjust, self.shrink = _adjust_points(text, styles, faces, widths)
        #: may justification widen the gap after each character
        self.stretch = stretchable_gaps(text)


def _run_starts(starts: list[int], faces: list[int], uncovered: set[int]) -> list[int]:
    cuts = set(starts)
    at = len(faces)
    cuts.add(0)
    if faces.count(faces[0] if faces else 0) != at:  # where the face changes
        cuts.update(compress(range(1, at), map(ne, faces[1:], faces[:-1])))
    for i in uncovered:
        cuts.update((i, i + 1))
    cuts.add(at)
    return sorted(c for c in cuts if c <= at)


def _adjust_points(text: str, styles: list[Style], faces: list[int], widths: list[float]) -> tuple[list[float], list[float]]:
    """The adjustments after each character and how far each gap may close, in points."""
    centred = frozenset(
        c for c in MAYBE_CENTRED
        if (at := text.find(c)) >= 0 and c in _centred_in(styles[at].chain, faces[at])
    )
    ems = adjustment_map(text, centred)
    allowed = shrink_map(text, ems, centred)
    n = len(text)
    adjust = [0.0] * n
    shrink = [0.0] * n
    if n and styles.count(styles[0]) == n:
        # one style (most paragraphs): one size, and each character has the same face and width
        # wherever it stands, so the marks are told proportional or not once per character
        size = styles[0].size
        for i, value in ems.items():
            adjust[i] = value * size
        for i, value in allowed.items():
            shrink[i] = value * size
        narrow = [c for c in _MARKS.intersection(text) if widths[text.find(c)] < 0.9 * size]
        positions: Iterable[int] = sorted(i for c in narrow for i in _occurrences(text, c)) if narrow else ()
    else:
        for i, value in ems.items():
            adjust[i] = value * styles[i].size
        for i, value in allowed.items():
            shrink[i] = value * styles[i].size
        positions = [i for i in (m.start() for m in _MARKS_RE.finditer(text)) if widths[i] < 0.9 * styles[i].size]
    for i in positions:  # a proportional mark (a Latin face's): no blank half to lose
        adjust[i] = max(adjust[i], 0.0)
        shrink[i] = 0.0
        if i and text[i] in OPENING:
            adjust[i - 1] = max(adjust[i - 1], 0.0)
            shrink[i - 1] = 0.0
    return adjust, shrink


def _occurrences(text: str, char: str) -> Iterator[int]:
    i = text.find(char)
    while i >= 0:
        yield i
        i = text.find(char, i + 1)


_MARKS = CLOSING | OPENING | LEFT_SITTING
_MARKS_RE = re.compile("[" + "".join(sorted(_MARKS)) + "]")


_CENTRED_IN: dict[tuple[Chain, int], frozenset[str]] = {}


def _centred_in(chain: Chain, index: int) -> frozenset[str]:
    """:func:`centred_marks` of a chain's face, memoised per chain and face without the lock."""
    found = _CENTRED_IN.get((chain, index))
    if found is None:
        found = _CENTRED_IN[(chain, index)] = centred_marks(chain.specs[index])
    return found


def _read_centred(spec: FontFile) -> frozenset[str]:
    """Which of ``。、；：！？`` the face draws centred in the em box (Taiwan positions, as AR PL
    UMing does ``。、``) rather than in the lower left (mainland positions), from the glyphs'
    bounding boxes (TrueType outlines; CFF faces are taken as mainland ones)."""
    try:
        font = FontToolsFont(str(spec.path), fontNumber=spec.subfont_index, lazy=True)
        if "glyf" not in font or "loca" not in font:
            return frozenset()
        long_offsets = font["head"].indexToLocFormat == 1
        loca, glyf = font.reader["loca"], font.reader["glyf"]
        em = font["head"].unitsPerEm
        glyph_of = face_for(spec).font.glyph  # the face's cmap, parsed already
        found = set()
        for char in MAYBE_CENTRED:
            gid = glyph_of(char)
            if not gid:
                continue
            if long_offsets:
                start = struct.unpack_from(">I", loca, gid * 4)[0]
            else:
                start = struct.unpack_from(">H", loca, gid * 2)[0] * 2
            x_min, _y_min, x_max = struct.unpack_from(">hhh", glyf, start + 2)
            if x_min > 0.3 * em and x_max < 0.7 * em:
                found.add(char)
        return frozenset(found)
    except Exception:  # noqa: BLE001 - a font we cannot read this way: take it for a mainland one
        return frozenset()


#: Which of ``。、；：！？`` a font file draws centred (:func:`_read_centred`), read once per process.
centred_marks = PerFontFile(_read_centred)
