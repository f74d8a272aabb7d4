"""The pure line breaker (convert/linebreak.py, with convert/punctuation.py's widths) and the clreq break rules it relies on:
numbers and words never split, punctuation compression, the Han-Latin quarter em, the
total fit (no lone last character, even spacing), and time linear in the length."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convert.linebreak import break_paragraph
from convert.punctuation import adjustments, shrink_allowances, stretchable_gaps
from convert.typography import NO_LINE_END, NO_LINE_START, break_opportunities

FW_DIGITS = "０１２３４５６７８９"
NUMBER_CHARS = set(FW_DIGITS) | set("0123456789ＡＢＣＤＥＦＧＳＯＷＴabcXYZ")


def _cuts(text: str) -> str:
    """The text with | where a line may break."""
    ok = break_opportunities(text)
    return "".join(("|" if ok[i] and i else "") + ch for i, ch in enumerate(text))


def test_full_width_numbers_and_words_hold_together_with_their_inner_punctuation():
    for token in ("４０６７", "１９９８", "ＳＯＳ", "１１．６％", "１／３", "３：２", "１，２００", "6.1%", "２３．９％"):
        text = "增长" + token + "名"
        ok = break_opportunities(text)
        inside = [i for i in range(3, 2 + len(token)) if ok[i]]
        assert inside == [], (_cuts(text), token)
    # a number's punctuation between digits does not start a line; ． and ／ never do
    assert "．" in NO_LINE_START and "／" in NO_LINE_START
    # but the number still breaks from the Han text around it
    assert _cuts("于１９９８年") == "于|１９９８|年"


def _widths(text: str) -> list[float]:
    return [0.5 if ch.isascii() else 1.0 for ch in text]


def _lines(text: str, measure: float, first: float | None = None) -> list[tuple[int, int]]:
    adjust = adjustments(text)
    return break_paragraph(text, _widths(text), measure, first, adjust, stretchable_gaps(text), 1.0,
                           shrink_allowances(text, adjust))


def _set_width(text: str, start: int, end: int) -> float:
    """A line's natural width: advances and adjustments, less the adjustment after its last
    character and the spaces that hang at its end."""
    adjust = adjustments(text)
    widths = _widths(text)
    v = end
    while v > start and text[v - 1] in " \n":
        v -= 1
    if v == start:
        return 0.0
    return sum(widths[start:v]) + sum(adjust[start : v - 1])


TEXT = st.text(
    alphabet=st.sampled_from(list("中文字词句段落。，、；：？！“”‘’（）《》「」『』【】％—…ab1 ０１２．／ＡＢ\n")),
    min_size=1, max_size=300,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.integers(min_value=4, max_value=40))
def test_every_paragraph_keeps_its_text_and_the_rules(text, measure):
    lines = _lines(text, float(measure), float(measure - 2))
    assert "".join(text[s:e] for s, e in lines) == text  # nothing lost, nothing repeated
    assert all(e > s for s, e in lines)
    ok = break_opportunities(text)
    adjust = adjustments(text)
    shrink = shrink_allowances(text, adjust)
    for number, (s, e) in enumerate(lines):
        limit = measure - 2 if number == 0 else measure
        v = len(text[:e].rstrip(" \n"))
        room = sum(shrink[s : v - 1]) if v > s else 0.0
        # every line fits (set tighter by its punctuation at most), unless one character is wider
        assert _set_width(text, s, e) - room <= limit + 1e-6 or e - s == 1
        if number and text[s - 1] != "\n":  # (a newline ends its line whatever follows)
            if not ok[s]:
                # a forced cut only inside a run with no break that is wider than the line
                run_start = max(i for i in range(s) if ok[i] or i == 0)
                run_end = min(i for i in range(s + 1, len(text) + 1) if ok[i])
                assert sum(_widths(text)[run_start:run_end]) > measure - 2, (text, lines)
            elif text[s] in "，。、”》":
                raise AssertionError((text, lines))
            if ok[s]:
                assert text[s] not in NO_LINE_START and text[s - 1] not in NO_LINE_END
                assert not (text[s - 1] in NUMBER_CHARS and text[s] in NUMBER_CHARS), (text, lines)
        if e < len(text) and ok[e]:
            assert text[e - 1] not in "“《"


def test_no_paragraph_ends_with_a_lone_character_when_first_fit_would():
    text = "国" * 35 + "家" * 37 + "了。"  # first-fit: 35 + 37 + "了。" alone
    lines = _lines(text, 37.0, 35.0)
    last = text[lines[-1][0] : lines[-1][1]]
    assert len(last) > 2, [text[s:e] for s, e in lines]
    text = "国" * 35 + "家" * 37 + "成"
    lines = _lines(text, 37.0, 35.0)
    assert len(text[lines[-1][0] :]) >= 2


def test_spacing_is_spread_over_the_lines_before_a_long_number():
    # a 6-digit number that does not fit at the end of line 4: first-fit leaves that line 3 em short
    text = "国" * 35 + "家" * 37 * 2 + "在" * 34 + "０１２３４５" + "年" * 40
    lines = _lines(text, 37.0, 35.0)
    loosest = 0.0
    for number, (s, e) in enumerate(lines[:-1]):
        measure = 35.0 if number == 0 else 37.0
        loosest = max(loosest, (measure - _set_width(text, s, e)) / (e - s - 1))
    assert loosest < 0.05, [text[s:e] for s, e in lines]  # first-fit: 3 em over 33 gaps, 0.09 em


def test_adjacent_punctuation_is_set_at_one_and_a_half_em_and_han_latin_get_a_quarter():
    text = "他说：“《人民日报》（海外版）”。GDP增长6%，好"
    adjust = adjustments(text)
    got = {text[i : i + 2]: adjust[i] for i in range(len(text) - 1) if adjust[i]}
    assert got == {"：“": -0.5, "“《": -0.5, "》（": -0.5, "）”": -0.5, "”。": -0.5, "P增": 0.25, "长6": 0.25}
    # centred marks (a Taiwan-position face) give a quarter each, so the pair still takes 1.5 em
    assert adjustments("好。”他", frozenset("。")) == [0.0, -0.5, 0.0, 0.0]  # the quote sits high
    assert adjustments("好。）他", frozenset("。")) == [0.0, -0.25, -0.25, 0.0]  # the bracket is tall
    # no quarter where a space or punctuation already stands, none for full-width digits
    assert not any(adjustments("增长 6%。于１９９８年，5G。"[:-1])[i] for i in (1, 2, 3, 4, 6, 7))
    assert adjustments("于１９年")[0] == 0.0


def test_justification_never_widens_a_latin_word_nor_a_space():
    text = "中文abc 12中"
    gaps = stretchable_gaps(text)
    assert gaps == [True, True, False, False, False, False, False, True, False]


def test_time_grows_linearly_with_the_paragraph():
    unit = "国务院在１９９８年３月会见ＯＰＥＣ代表团，占２３．９％。“我们要把握好改革！”他说，《人民日报》报道。GDP增长6.1%。"

    def cost(n: int) -> float:
        text = (unit * (n // len(unit) + 1))[:n]
        adjust = adjustments(text)
        widths = _widths(text)
        stretch = stretchable_gaps(text)
        shrink = shrink_allowances(text, adjust)
        started = time.process_time()
        break_paragraph(text, widths, 37.0, 35.0, adjust, stretch, 1.0, shrink)
        return time.process_time() - started

    cost(20_000)
    small, large = cost(50_000), cost(400_000)
    assert large < small * 8 * 2.5, (small, large)  # 8 times the text: about 8 times the time, never 64
