"""GB/T 9704-2012 (党政机关公文格式): the layout rules every writer of ``--style gongwen`` shares.

Format-independent facts of the standard (page geometry in millimetres, sizes in points,
the named faces and their fallbacks) and the two decisions a writer makes from the text:
where a long title breaks into lines, and whether the article ends with an issuer and a
date line. The DOCX writer (:mod:`convert.writers.docx.gongwen`) and the PDF writer
(:mod:`convert.writers.pdf.gongwen`, whose layout the OFD writer shares) build on these,
for single documents and books alike; other formats have no such layout, and asking them
for it is a warning (:func:`style_ignored`), never silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .model import Block, Diagnostic, Paragraph, plain_text, warning
from .typography import NO_LINE_END, NO_LINE_START

STYLE = "gongwen"
#: The formats whose writers set this layout (their options have ``style``), documents and books.
FORMATS = ("docx", "pdf", "ofd")

BODY_FONT = "仿宋_GB2312"
BODY_FALLBACKS = ("仿宋", "FangSong")
TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACKS = ("小标宋", "华文中宋", "宋体")
HEADING_FONTS = {1: "黑体", 2: "黑体", 3: "楷体_GB2312"}  # 7.3.3; deeper levels: the body's 仿宋
KAI_FALLBACKS = ("楷体", "KaiTi")
PAGE_NUMBER_FONT = "宋体"

LINES = 22  # a page
CHARS = 28  # a line
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 4号

PAGE_MM = (210, 297)  # A4
MARGIN_TOP_MM, MARGIN_LEFT_MM = 37, 28
TEXT_BLOCK_MM = (156, 225)
MARGIN_RIGHT_MM = PAGE_MM[0] - MARGIN_LEFT_MM - TEXT_BLOCK_MM[0]  # 26
MARGIN_BOTTOM_MM = PAGE_MM[1] - MARGIN_TOP_MM - TEXT_BLOCK_MM[1]  # 35
#: The page number's top line sits this far below the text block (7.5: 一字线上距版心下边缘 7 mm).
PAGE_NUMBER_GAP_MM = 7
#: Title characters a line holds (22 pt in 156 mm).
TITLE_LINE_CHARS = int(TEXT_BLOCK_MM[0] * 72 / 25.4 // TITLE_PT)


# ---------------------------------------------------------------- the title and the closing lines

# Where a title line may end (标题回行，词意完整): after a pause or a function word, and,
# less surely, after words that end a phrase in official titles.
_AFTER = {"、": 4, "，": 4, "：": 4, "；": 4, "的": 2, "和": 2, "与": 2, "及": 2, "暨": 3, "于": 1, "在": 1, "與": 2, "於": 1}
_PHRASE_ENDS = ("关于", "年度", "工作", "单位", "人员", "机关", "部门", "会议", "活动", "问题", "情况", "建设",
                "发展", "管理", "服务", "制度", "规划", "实施", "全省", "全市", "全国", "开展", "做好", "进一步",
                # the same in a Traditional edition (OpenCC s2t, s2tw and s2hk agree on them; a test checks)
                "關於", "單位", "人員", "機關", "部門", "會議", "活動", "問題", "情況", "建設", "發展", "服務", "規劃", "實施",
                "全國", "開展", "進一步")
_DOC_TYPES = ("通知", "通报", "意见", "决定", "办法", "规定", "报告", "请示", "批复", "方案", "公告", "通告", "函", "纪要",
              "通報", "意見", "決定", "辦法", "規定", "報告", "請示", "批覆", "紀要")


def _break_value(title: str, i: int) -> int | None:
    """How good a line break before ``title[i]`` is (None: never there)."""
    before, after = title[i - 1], title[i]
    if after in NO_LINE_START or before in NO_LINE_END:
        return None
    if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
        return None  # inside a number or a Latin word
    tail = title[i:]
    if any(tail == kind or tail == "的" + kind for kind in _DOC_TYPES):
        return None  # the document type stays with what it names
    value = _AFTER.get(before, 0)
    if not value and any(title[:i].endswith(word) for word in _PHRASE_ENDS):
        value = 1
    return value


def split_title(title: str, width: int = TITLE_LINE_CHARS) -> list[str]:
    """The title as lines of at most ``width`` characters, broken where a phrase ends.

    A break goes after a pause mark or a function word (的, 和, 与, 及, 于), else after a
    word that ends a phrase in official titles (…工作, …单位, 关于…), never inside a number
    or a Latin word, never before the closing document type (…的通知) nor against the
    line-start and line-end rules; among breaks that are equally good, the one giving lines
    closest to even length wins (the 梯形/菱形 the standard asks for). Lines are as few as
    the width allows.
    """
    title = title.strip()
    if len(title) <= width:
        return [title] if title else []
    out: list[str] = []
    start = 0
    lines_left = -(-len(title) // width)
    while lines_left > 1 and len(title) - start > width:
        ideal = (len(title) - start) / lines_left
        best, best_value = None, None
        for i in range(start + 1, min(start + width, len(title) - 1) + 1):
            if len(title) - i > width * (lines_left - 1):
                continue  # the rest would not fit the lines left
            value = _break_value(title, i)
            if value is None:
                continue
            score = 3 * value - 0.5 * abs((i - start) - ideal)
            if best_value is None or score > best_value:
                best, best_value = i, score
        if best is None:
            best = min(start + width, len(title))
        out.append(title[start:best])
        start = best
        lines_left -= 1
    out.append(title[start:])
    return out


_NUMERAL = "〇○零一二三四五六七八九十"
DATE_LINE = re.compile(
    rf"^\s*(\d{{4}}|[{_NUMERAL}]{{4}})\s*年\s*(\d{{1,2}}|[{_NUMERAL}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_NUMERAL}]{{1,3}})\s*日\s*$"
)
_SENTENCE_END = frozenset("。！？；：，、…")
MAX_SIGNATURE = 30


def split_closing(blocks: Sequence[Block]) -> tuple[tuple[Block, ...], Paragraph | None, Paragraph | None]:
    """``(body, signature, date)``: a trailing date line and the issuer line before it, when the
    article ends with them (the issuer: a short paragraph that is not a sentence)."""
    blocks = tuple(blocks)
    if not blocks or not isinstance(blocks[-1], Paragraph) or not DATE_LINE.match(plain_text(blocks[-1].content)):
        return blocks, None, None
    date = blocks[-1]
    rest = blocks[:-1]
    if rest and isinstance(rest[-1], Paragraph):
        text = plain_text(rest[-1].content).strip()
        if text and len(text) <= MAX_SIGNATURE and text[-1] not in _SENTENCE_END and "\n" not in text and len(rest) > 1:
            return rest[:-1], rest[-1], date
    return rest, None, date


def style_ignored(formats: Iterable[str], style: object) -> Diagnostic | None:
    """The one warning for a run that asks for ``--style gongwen`` in formats without it
    (Markdown, HTML, EPUB, JSON): they are written in their normal layout. None otherwise."""
    if str(style or "").lower() != STYLE:
        return None
    others = [fmt for fmt in dict.fromkeys(formats) if fmt not in FORMATS]
    if not others:
        return None
    return warning("style-ignored", f"--style gongwen applies to DOCX, PDF and OFD only; "
                                    f"{', '.join(others)} {'is' if len(others) == 1 else 'are'} written in the normal layout")


__all__ = [
    "BODY_FALLBACKS", "BODY_FONT", "BODY_PT", "CHARS", "DATE_LINE", "FORMATS", "HEADING_FONTS", "KAI_FALLBACKS", "LINES",
    "MARGIN_BOTTOM_MM", "MARGIN_LEFT_MM", "MARGIN_RIGHT_MM", "MARGIN_TOP_MM", "PAGE_MM", "PAGE_NUMBER_FONT",
    "PAGE_NUMBER_GAP_MM", "PAGE_NUMBER_PT", "STYLE", "TEXT_BLOCK_MM", "TITLE_FALLBACKS", "TITLE_FONT",
    "TITLE_LINE_CHARS", "TITLE_PT", "split_closing", "split_title", "style_ignored",
]
