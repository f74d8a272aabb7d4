"""Paragraph-level line breaking for Chinese text: pure functions, no PDF library.

What a Chinese book printer does that a word processor does not (clreq, W3C
"Requirements for Chinese Text Layout"), with the punctuation widths of
:mod:`convert.punctuation` (compression, the Han-Latin quarter em, stretchable gaps):

- :func:`break_paragraph` -- total-fit breaking in the manner of Knuth and Plass over the
  clreq break opportunities (:func:`convert.typography.break_opportunities`): the whole
  paragraph's breaks are chosen together so that added letter-spacing stays small and even
  and the last line is never one lone character (孤字). It is linear in the paragraph's
  length: prefix sums give a line's width in O(1), and each break looks back at a bounded
  window of line starts (the tightest few that fit).

Widths are in any unit (points at the paragraph's size); ``em`` is that size.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, compress
from operator import add

from .punctuation import is_han, stretchable_gaps
from .typography import NO_BREAK_INSIDE, NO_LINE_END, NO_LINE_START, break_opportunities

# Costs of the total fit (see :func:`break_paragraph`).
LOOSE = 0.25  # em of added spacing per gap beyond which a line is set ragged instead
EVEN = 0.045  # em per gap: spacing that reads as even; a looser line costs a step more
UNEVEN_PENALTY = 10000.0
LINE_COST = 1.0
LOOSE_PENALTY = 1e6
LONE_PENALTY = 1e5
EMERGENCY_PENALTY = 1e7
URL_PENALTY = 5e4  # a URL broken after a slash: better than a ragged line, worse than a few loose ones
OVERFULL_PENALTY = 1e9
REACH_BACK = 12  # lines before the first loose one that the total fit may change
REACH_BACK_LONE = 3  # lines before a lone last line that the total fit may change
WINDOW = 3  # line starts tried for each break: the tightest that fit (written out in _total_fit)
FIRST_FIT_OK = 0.03  # em per gap: first-fit is kept when no line of it is looser

def _is_lone(line: str) -> bool:
    """孤字: a last line holding one character, or one Han character and punctuation (了。”)."""
    stripped = "".join(line.split())
    if len(stripped) <= 1:
        return len(stripped) == 1
    if len(stripped) > 4 or not is_han(stripped[0]):
        return False
    return all(not is_han(c) and not (c.isalnum()) for c in stripped[1:])


def _emergency_positions(text: str, start: int, end: int) -> dict[int, float]:
    """Inside an unbreakable run wider than a line: where it may be cut, and at what penalty
    (cuts that keep the start/end rules first, any other rather than an overfull line)."""
    return {
        j: EMERGENCY_PENALTY if (
            text[j] not in NO_LINE_START and text[j - 1] not in NO_LINE_END
            and not (text[j] == text[j - 1] and text[j] in NO_BREAK_INSIDE)
        ) else 10 * EMERGENCY_PENALTY
        for j in range(start + 1, end)
    }


def break_paragraph(
    text: str,
    widths: Sequence[float],
    width: float,
    first_width: float | None = None,
    adjust: Sequence[float] | None = None,
    stretch: Sequence[bool] | None = None,
    em: float = 1.0,
    shrink: Sequence[float] | None = None,
) -> list[tuple[int, int]]:
    """Total-fit clreq line breaking: ``(start, end)`` character ranges, one per line.

    ``widths[i]``: the advance of ``text[i]``; ``adjust[i]``: extra advance after it (from
    :func:`adjustments`, times the size), dropped at a line end; ``stretch[i]``: may the gap
    after it widen (:func:`stretchable_gaps`); ``shrink[i]``: how far it may close
    (:func:`shrink_allowances`, times the size). ``first_width``: the first line's measure.
    Spaces at a line end hang; a newline ends its line (it is that line's last character).

    First-fit is kept when none of its lines adds more than :data:`FIRST_FIT_OK` em per gap
    and its last line is not a lone character; otherwise the breaks are chosen for the whole
    paragraph (:func:`_total_fit`): a line costs ``1 + (100 r)²`` where ``r`` is the space
    added (or, for a line set tighter with its shrink, taken) per stretchable gap in em, plus
    a step beyond :data:`EVEN` and a large penalty beyond :data:`LOOSE`; a last line costs nothing unless it is a lone
    character (孤字). A run with no break opportunity wider than the measure is cut
    (penalised), the only way a word or number is split. Every line fits its measure (with
    its shrink) unless a single character does not.
    """
    n = len(text)
    if n == 0:
        return []
    if adjust is None:
        adjust = [0.0] * n
    first = width if first_width is None else first_width
    # prefix sums: the width of a line from i to its visible end v is P[v] - P[i] - adjust[v - 1]
    prefix = [0.0, *accumulate(map(add, widths, adjust))]
    if "\n" not in text:
        v = len(text.rstrip(SPACES))
        if v == 0 or prefix[v] - adjust[v - 1] <= first + EPS:
            return [(0, n)]  # one line: no more to decide
    if stretch is None:
        stretch = stretchable_gaps(text)
    prefixes = _Prefixes(prefix, [0, *accumulate(stretch)], [0.0, *accumulate(shrink)] if shrink else None, adjust,
                         shrink)
    ok = break_opportunities(text)
    lines: list[tuple[int, int]] = []
    start = 0
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end + 1
        measure0 = first if start == 0 else width
        lines.extend(_segment(text, start, end, ok, prefixes, measure0, width, em))
        start = end
    return lines


SPACES = " \n\u3000\t"
EPS = 1e-6


class _Prefixes:
    __slots__ = ("width", "gaps", "shrink", "adjust", "allow")

    def __init__(self, width: list[float], gaps: list[int], shrink: list[float] | None, adjust: Sequence[float],
                 allow: Sequence[float] | None) -> None:
        self.width, self.gaps, self.shrink, self.adjust, self.allow = width, gaps, shrink, adjust, allow


_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)[!-~]+", re.IGNORECASE)


def _url_breaks(text: str, s0: int, s1: int, ok: list[bool]) -> list[int]:
    """Places a URL may break, as a last resort before a ragged line: after ``/ . ? & = _ @``
    (not inside ``//``, not between digits, never before a mark that may not start a line)."""
    found = []
    for match in _URL.finditer(text, s0, s1):
        for p in range(match.start() + 1, match.end()):
            x, y = text[p - 1], text[p]
            if x not in "/.?&=_@" or y == "/" or ok[p] or y in NO_LINE_START:
                continue
            if x in "/." and p >= 2 and text[p - 2].isdigit() and y.isdigit():
                continue
            found.append(p)
    return found


def _visible_end(text: str, start: int, end: int) -> int:
    """``end`` less the white space that hangs at a line end (never before ``start``)."""
    while end > start and text[end - 1] in SPACES:
        end -= 1
    return end


def _segment(
    text: str, s0: int, s1: int, ok: list[bool], sums: _Prefixes, measure0: float, measure: float, em: float,
) -> list[tuple[int, int]]:
    """Breaks of text[s0:s1], which ends at the paragraph's end or after a newline."""
    prefix, adjust = sums.width, sums.adjust
    v1 = s0 + len(text[s0:s1].rstrip(SPACES))
    if v1 <= s0 or prefix[v1] - prefix[s0] - adjust[v1 - 1] <= measure0 + EPS:
        return [(s0, s1)]  # one line

    quick = _quick_fit(text, s0, s1, ok, sums, measure0, measure, em)
    if quick is not None:
        return quick
    # candidate breaks: the clreq opportunities, plus cut points inside runs wider than a line
    breaks = [s0, *compress(range(s0 + 1, s1), ok[s0 + 1 : s1]), s1]
    narrow = min(measure0, measure) + EPS
    emergency: dict[int, float] = {}  # break position -> its penalty (a cut inside a run)
    wide = [m for m in range(len(breaks) - 1)
            if prefix[breaks[m + 1]] - prefix[breaks[m]] - adjust[breaks[m + 1] - 1] > narrow
            and breaks[m + 1] - breaks[m] > 1]
    if wide:
        spliced: list[int] = []
        at = 0
        for m in wide:
            spliced.extend(breaks[at : m + 1])
            cuts = _emergency_positions(text, breaks[m], breaks[m + 1])
            spliced.extend(cuts)
            emergency.update(cuts)
            at = m + 1
        spliced.extend(breaks[at:])
        breaks = spliced
    if "/" in text or "@" in text:
        soft = _url_breaks(text, s0, s1, ok)
        if soft:
            emergency.update(dict.fromkeys(soft, URL_PENALTY))
            breaks = sorted(set(breaks).union(soft))
    vis = [j if text[j - 1] not in SPACES else _visible_end(text, s0, j) for j in breaks[1:]]
    vis.insert(0, s0)
    # per break: where a line starting there begins, and where one ending there ends
    lay = _Layout(text, s0, s1, breaks, vis, sums, emergency, measure0, measure, em)
    starts, loose, lone = _first_fit(lay)
    limit = FIRST_FIT_OK * em
    bad = next((number for number, r in enumerate(loose) if r > limit), -1)
    if bad < 0 and not lone:
        return [(breaks[a], breaks[b]) for a, b in zip(starts, starts[1:], strict=False)]  # no loose line
    # the total fit from a few lines before the first loose one (or the lone last line): the lines
    # before it are first-fit's, which are tight
    origin = starts[max(0, bad - REACH_BACK if bad >= 0 else len(loose) - REACH_BACK_LONE)]
    head_lines = [(breaks[a], breaks[b]) for a, b in zip(starts, starts[1:], strict=False) if b <= origin]
    return head_lines + _total_fit(lay, origin)


def _quick_fit(
    text: str, s0: int, s1: int, ok: list[bool], sums: _Prefixes, measure0: float, measure: float, em: float,
) -> list[tuple[int, int]] | None:
    """First-fit straight on the characters (bisection on prefix sums, then back to the last
    break that fits), or None as soon as a line of it would be looser than
    :data:`FIRST_FIT_OK`, a run is wider than a line, or the last line is a lone character:
    most paragraphs need nothing more, and this builds no per-break arrays."""
    prefix, gaps, adjust = sums.width, sums.gaps, sums.adjust
    limit_loose = FIRST_FIT_OK * em
    lines: list[tuple[int, int]] = []
    i = s0
    v1 = s0 + len(text[s0:s1].rstrip(SPACES))
    while True:
        limit = (measure0 if i == s0 else measure) + EPS
        base = prefix[i]
        if prefix[v1] - base - adjust[v1 - 1] <= limit:
            if v1 - i <= 6 and _is_lone(text[i:v1]):
                return None
            lines.append((i, s1))
            return lines
        k = bisect_right(prefix, base + limit, i + 1, s1) + 1
        if k >= s1:
            k = s1 - 1
        while k > i:
            if ok[k]:
                v = k
                while v > i and text[v - 1] in SPACES:
                    v -= 1
                if v > i and prefix[v] - base - adjust[v - 1] <= limit:
                    break
            k -= 1
        if k <= i:
            return None  # a run wider than the line: the full path cuts it
        g = gaps[v - 1] - gaps[i]
        slack = limit - EPS - (prefix[v] - base - adjust[v - 1])
        if (slack / g if g > 0 else slack * 4.0) > limit_loose:
            return None
        lines.append((i, k))
        i = k


class _Layout:
    """The arrays the searches share, indexed by break number."""

    def __init__(self, text: str, s0: int, s1: int, breaks: list[int], vis: list[int], sums: _Prefixes,
                 emergency: dict[int, float], measure0: float, measure: float, em: float) -> None:
        prefix, gaps, adjust = sums.width, sums.gaps, sums.adjust
        self.text, self.s0, self.s1, self.breaks, self.vis = text, s0, s1, breaks, vis
        self.emergency, self.measure0, self.measure, self.em = emergency, measure0, measure, em
        self.head = [prefix[i] for i in breaks]
        self.head_gaps = [gaps[i] for i in breaks]
        self.tails = [prefix[v] - adjust[v - 1] if v > s0 else prefix[v] for v in vis]
        self.tail_gaps = [gaps[v - 1] if v > s0 else 0 for v in vis]
        if sums.shrink is not None and sums.allow is not None:
            shrink = sums.shrink
            self.head_shrink = [shrink[i] for i in breaks]
            # not the last character's: a mark does not hang past the measure (the right edge stays flush)
            self.tail_shrink = [shrink[v - 1] if v > s0 else shrink[v] for v in vis]
        else:
            self.head_shrink = self.tail_shrink = [0.0] * len(breaks)

    def final_cost(self, m: int) -> float:
        """The last line from break ``m``: free unless it holds a lone character."""
        i, v = self.breaks[m], self.vis[-1]
        return LONE_PENALTY if v - i <= 6 and _is_lone(self.text[i:v]) else 0.0


def _first_fit(lay: _Layout) -> tuple[list[int], list[float], bool]:
    """Each line as full as it fits at natural width (bisection on prefix sums). Returns the
    break numbers where lines start (and the last one's end), the space each line but the last
    adds per gap, and whether the last line is a lone character."""
    head, tails, breaks = lay.head, lay.tails, lay.breaks
    last = len(breaks) - 1
    starts = [0]
    loose: list[float] = []
    m = 0
    while True:
        limit = lay.measure0 if m == 0 else lay.measure
        reach = head[m] + limit + EPS
        if tails[last] <= reach:
            starts.append(last)
            return starts, loose, lay.final_cost(m) > 0
        k = bisect_right(tails, reach, m + 1, last) - 1
        while k > m and tails[k] > reach:
            k -= 1
        while k > m + 1 and breaks[k] in lay.emergency and breaks[k - 1] not in lay.emergency:
            k -= 1  # not a cut inside a word or URL when a plain break fits
        if k == m:  # not even the next break fits: an overfull line
            k = m + 1
            if k == last:
                starts.append(last)
                return starts, loose, False
        g = lay.tail_gaps[k] - lay.head_gaps[m]
        slack = limit - tails[k] + head[m]
        loose.append(slack / g if g > 0 else slack * 4.0)
        starts.append(k)
        m = k


def _total_fit(lay: _Layout, origin: int = 0) -> list[tuple[int, int]]:
    """The cheapest breaks (Knuth-Plass over break positions). For each break the line starts
    tried are the :data:`WINDOW` tightest that fit with their shrink (the first found by a
    pointer that only moves forward): linear in the length. Lines that absorb a long
    unbreakable run's slack are each about one character short, so a small window finds
    the spread. The first line starts at break number ``origin``."""
    breaks, head, tails, head_gaps, tail_gaps = lay.breaks, lay.head, lay.tails, lay.head_gaps, lay.tail_gaps
    head_shrink, tail_shrink, emergency = lay.head_shrink, lay.tail_shrink, lay.emergency
    measure0, measure, em = lay.measure0, lay.measure, lay.em
    count = len(breaks)
    best = [0.0] * count
    based = [LINE_COST] * count  # best[m] + LINE_COST: what a line from m costs before its badness
    back = [0] * count
    scale = 10000.0 / (em * em)
    loose = LOOSE * em
    even = EVEN * em
    loose_penalty, uneven_penalty, overfull_penalty = LOOSE_PENALTY, UNEVEN_PENALTY, OVERFULL_PENALTY
    limit0 = measure0 + EPS
    limit = measure + EPS
    lo = origin
    last = count - 1
    # The window of WINDOW (3) starts is written out: this loop runs once per character of most
    # paragraphs. Every sum is formed in the same order as a line's cost is defined.
    for k in range(origin + 1, last):
        tail = tails[k]
        tight = tail - tail_shrink[k]
        if lo == 0 and tight - head[0] + head_shrink[0] > limit0:
            lo = 1  # the first line's measure is narrower (the indent)
        while lo < k and tight - head[lo] + head_shrink[lo] > limit:
            lo += 1
        if lo == k:  # not even the previous break fits: an overfull line (one character too wide)
            best_cost = best[k - 1] + overfull_penalty
            best_m = k - 1
        else:
            g_end = tail_gaps[k]
            rest = measure - tail
            m = lo
            slack = (rest if m else measure0 - tail) + head[m]
            g = g_end - head_gaps[m]
            r = slack / g if g > 0 else slack * 4.0
            best_cost = based[m] + scale * r * r
            if r > even:
                best_cost += loose_penalty if r > loose else uneven_penalty
            best_m = m
            m += 1
            if m < k:
                slack = rest + head[m]
                g = g_end - head_gaps[m]
                r = slack / g if g > 0 else slack * 4.0
                cost = based[m] + scale * r * r
                if r > even:
                    cost += loose_penalty if r > loose else uneven_penalty
                if cost < best_cost:
                    best_cost, best_m = cost, m
                m += 1
                if m < k:
                    slack = rest + head[m]
                    g = g_end - head_gaps[m]
                    r = slack / g if g > 0 else slack * 4.0
                    cost = based[m] + scale * r * r
                    if r > even:
                        cost += loose_penalty if r > loose else uneven_penalty
                    if cost < best_cost:
                        best_cost, best_m = cost, m
        if emergency:
            best_cost += emergency.get(breaks[k], 0.0)
        best[k] = best_cost
        based[k] = best_cost + LINE_COST
        back[k] = best_m
    # the last line: any start that fits, at no cost unless it leaves a lone character
    tail = tails[last]
    best_cost = 1e300
    best_m = last - 1
    for m in range(last - 1, origin - 1, -1):
        if tail - head[m] > (limit0 if m == 0 else limit):
            break
        cost = best[m] + lay.final_cost(m)
        if cost < best_cost:
            best_cost, best_m = cost, m
    back[last] = best_m
    out: list[tuple[int, int]] = []
    k = last
    while k > origin:
        m = back[k]
        out.append((breaks[m], breaks[k]))
        k = m
    out.reverse()
    return out
