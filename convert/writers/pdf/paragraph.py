"""The paragraph flowable: clreq line breaking, page splits without widows or orphans.

Why our own paragraph flowable: reportlab's ``wordWrap='CJK'`` ignores the line-end
rules and keeps at most one line-start-prohibited character, and its markup parser
would eat raw ``<`` and ``&``. :class:`CJKParagraph` takes a :class:`~.text.StyledText`,
breaks lines with :func:`convert.typography.fit_lines` and draws them with
:func:`~.draw.draw_lines`.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from ...linebreak import break_paragraph
from ...typography import NO_LINE_END, NO_LINE_START, break_opportunities, fit_lines
from .draw import draw_lines, painter_for
from .reportlab_compat import available_frame_height
from .text import StyledText


class CJKParagraph(Flowable):  # type: ignore[misc]  # reportlab ships no type hints: Flowable is Any
    """A paragraph set by clreq rules: justified, first line indented, split across pages.

    ``align`` is ``justify`` (body text: the last line and lines before a forced break are
    left-aligned), ``left`` or ``center`` (titles).
    """

    def __init__(
        self,
        text: StyledText,
        size: float,
        leading: float,
        indent: float = 0.0,
        align: str = "justify",
        space_before: float = 0.0,
        space_after: float = 0.0,
        outline: tuple[str, int, str] | None = None,
        keep_with_next: bool = False,
        _start: int = 0,
        _first: bool = True,
    ) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.leading = leading
        self.indent = indent
        self.align = align
        self.spaceBefore = space_before if _first else 0.0
        self.spaceAfter = space_after
        self.outline = outline if _first else None  # (title, level, key)
        self.keepWithNext = keep_with_next
        self._start = _start
        self._first = _first
        self._lines: list[tuple[int, int]] = []
        self._layout_width = -1.0

    # -- layout

    def layout(self, width: float) -> list[tuple[int, int]]:
        """The lines at this measure, as (start, end) indices into ``self.text.chars`` (cached)."""
        if width != self._layout_width:
            text = self.text
            start = self._start
            chars = text.chars[start:] if start else text.chars
            widths = text.widths[start:] if start else text.widths
            adjust = text.adjust[start:] if start else text.adjust
            first = width - self.indent if self._first else None
            if self.align == "center":
                # a title: the narrowest even lines (compressed punctuation counted as set)
                widths = [w + a for w, a in zip(widths, adjust, strict=True)]
                lines = fit_lines(chars, widths, width, first)
                if len(lines) > 1:
                    lines = balanced(chars, widths, width, len(lines))
            else:
                stretch = text.stretch[start:] if start else text.stretch
                shrink = text.shrink[start:] if start else text.shrink
                lines = break_paragraph(chars, widths, width, first, adjust, stretch, em=self.size, shrink=shrink)
            self._lines = [(s + self._start, e + self._start) for s, e in lines]
            if not self._lines:
                self._lines = [(self._start, self._start)]  # an empty paragraph still takes a line
            self._layout_width = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        lines = self.layout(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        lines = self.layout(availWidth)
        room = int((availHeight + 1e-6) // self.leading)
        if room >= len(lines):
            return [self]
        if room < 1:
            return []  # not one line fits here
        fit = room - 1 if len(lines) - room == 1 else room  # no widow: carry two lines over, not one
        if fit < 2:
            # no orphan: a first line (or a paragraph of two or three lines) does not stay alone at the
            # foot of a page; the whole paragraph moves on, unless this is a whole frame already
            if availHeight < self._frame_height() - 1e-6:
                return []
            fit = room
        cut = lines[fit][0]
        head = CJKParagraph(
            self.text, self.size, self.leading, self.indent, self.align, self.spaceBefore, 0.0,
            self.outline, False, self._start, self._first,
        )
        head._lines, head._layout_width = lines[:fit], availWidth
        tail = CJKParagraph(
            self.text, self.size, self.leading, self.indent, self.align, 0.0, self.spaceAfter,
            None, self.keepWithNext, cut, False,
        )
        tail._lines, tail._layout_width = [(s, e) for s, e in lines[fit:]], availWidth
        return [head, tail]

    def _frame_height(self) -> float:
        return available_frame_height(self)

    # -- drawing

    def draw(self) -> None:
        canvas = self.canv
        if self.outline is not None:
            title, level, key = self.outline
            canvas.bookmarkHorizontal(key, 0, self.height + self.leading * 0.5)
            canvas.addOutlineEntry(title, key, level=level, closed=False)
        draw_lines(painter_for(canvas), self.text, self._lines, 0.0, self.height, self.width, self.leading,
                   self.indent if self._first else 0.0, self.align)


def balanced(chars: str, widths: list[float], width: float, count: int) -> list[tuple[int, int]]:
    """Lines of a centred title made as even as they can be: the narrowest measure that still
    needs no more lines (a two-line title splits near the middle, not one word on its own).
    A two-line title prefers to split at a phrase boundary (after a closing mark such as
    ”、》, before an opening one such as “《) over a slightly better balance inside a word."""
    if count == 2 and "\n" not in chars:
        split = two_line_split(chars, widths, width)
        if split is not None:
            return [(0, split), (split, len(chars))]
    low, high = width / 2, width
    best = fit_lines(chars, widths, width)
    for _ in range(12):
        middle = (low + high) / 2
        trial = fit_lines(chars, widths, middle)
        if len(trial) <= count:
            best, high = trial, middle
        else:
            low = middle
    return best


def two_line_split(chars: str, widths: list[float], width: float) -> int | None:
    """Where a two-line title breaks: both lines fit, phrase boundaries first, then balance."""
    ok = break_opportunities(chars)
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    total = prefix[-1]
    best: tuple[float, int] | None = None
    for i in range(1, len(chars)):
        if not ok[i]:
            continue
        first = prefix[len(chars[:i].rstrip())]  # spaces at the line end hang
        if first > width or total - prefix[i] > width:
            continue
        boundary = chars[i - 1] in NO_LINE_START or chars[i] in NO_LINE_END or chars[i - 1].isspace()
        cost = abs(first - (total - prefix[i])) + (0.0 if boundary else 0.3 * width)
        if best is None or cost < best[0]:
            best = (cost, i)
    return best[1] if best else None
