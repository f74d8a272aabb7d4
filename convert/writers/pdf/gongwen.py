"""``--style gongwen``: the PDF layout of GB/T 9704-2012, 党政机关公文格式.

The geometry, sizes and text decisions are :mod:`convert.gongwen`'s (shared with DOCX);
this module sets them with the PDF writer's own flowables:

* A4, one frame of 156 × 225 mm at 37 mm from the top and 28 mm from the left;
* 22 lines of 28 characters: every body line is one grid line, 225 mm / 22 apart, and
  body characters are set 156 mm / 28 apart. 28 characters of 三号 (16 pt) are 158 mm,
  wider than the block, so, as the DOCX layout draws them at 98 % width, the PDF sets the
  body at the grid's pitch, 15.79 pt; paragraphs have no space between them;
* the title at 二号 (22 pt), centred, one paragraph a line as :func:`convert.gongwen.split_title`
  breaks it, then a blank grid line; headings at the body size (Hei for levels 1 and 2);
* a trailing issuer and date line (:func:`convert.gongwen.split_closing`) right-aligned two
  characters in from the margin, a blank line above;
* page numbers ``— N —`` in 4号 (14 pt) half-width digits, 7 mm below the text block, odd
  pages at the right and even pages at the left, one character in from the block's edge.

Fonts are embedded, so they must be at hand: a 仿宋 face from ``--font`` draws the body;
without one the bundled body face stands in, and the title's 小标宋 is always stood in for
by the bundled Hei face. One warning per document names the faces that stand in.

The OFD writer draws the same layout (:mod:`.layout`), and books (:mod:`.book`) set every
article with :class:`GongwenBuilder` and :func:`story` on these pages, numbered by
:func:`draw_page_number`.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, Spacer

from ... import gongwen as rules
from ... import labels
from ...model import Diagnostic, Document, Heading, Paragraph, warning
from ...typography import INDENT_EM
from .builder import Builder
from .document import DocTemplate, artifact
from .draw import ASCENT
from .fonts import Chain, Face, Fonts
from .paragraph import CJKParagraph
from .text import Style

MM = 72 / 25.4
PAGE = (rules.PAGE_MM[0] * MM, rules.PAGE_MM[1] * MM)
#: The body size: one character cell of the 28-character line (15.79 pt).
BODY_SIZE = rules.TEXT_BLOCK_MM[0] * MM / rules.CHARS
#: The line pitch: 22 lines fill the 225 mm block (28.99 pt).
PITCH = rules.TEXT_BLOCK_MM[1] * MM / rules.LINES
#: Room for rounding: the frame's 22 lines must not come out a hair too tall for it.
_SLACK = 0.5


def margins() -> tuple[float, float, float, float]:
    """Left, right, top, bottom margins: a frame exactly 28 cells wide and 22 lines (plus slack) tall."""
    left = rules.MARGIN_LEFT_MM * MM
    top = rules.MARGIN_TOP_MM * MM
    right = PAGE[0] - left - rules.CHARS * BODY_SIZE
    bottom = PAGE[1] - top - rules.LINES * PITCH - _SLACK
    return left, right, top, bottom


def stand_in_warning(fonts: Fonts, own_font: bool) -> Diagnostic:
    """The one warning saying which faces stand in for 仿宋 and 小标宋."""
    title = fonts.heading.main.family
    if own_font:
        text = f"the title is set in {title}, standing in for 小标宋 (no free 小标宋 face is bundled)"
    else:
        text = (f"no 仿宋 (FangSong) face was given with --font, so {fonts.body.main.family} stands in for 仿宋 "
                f"in the body, and {title} stands in for 小标宋 in the title")
    return warning("gongwen-font-stand-in", f"--style gongwen: {text}")


class GongwenBuilder(Builder):
    """Blocks on the 22-line grid: body paragraphs and headings one pitch a line, no spacing."""

    def __init__(self, document: Document, fonts: Fonts, frame_height: float, frame_width: float,
                 outline_headings: bool = True, key_prefix: str = "h") -> None:
        super().__init__(document, fonts, BODY_SIZE, frame_height, frame_width, outline_headings, key_prefix)
        self.leading = PITCH

    def title_block(self, outline_level: int = 0, outline_title: str | None = None,
                    key: str | None = None) -> list[Flowable]:
        meta = self.document.meta
        lines = rules.split_title(meta.title)
        outline = (outline_title or meta.title or labels.of(meta).document, outline_level, key or self.key())
        style = Style(self.fonts.heading, rules.TITLE_PT)
        out: list[Flowable] = []
        for n, line in enumerate(lines):
            out.append(CJKParagraph(self.plain(line, style), rules.TITLE_PT, PITCH, align="center",
                                    outline=outline if n == 0 else None, keep_with_next=True))
        if not out:
            return super().title_block(outline_level, outline_title, key)[:1]  # the bookmark
        out.append(Spacer(1, PITCH))  # 标题下空一行
        return out

    # the dispatch table (Builder.block) calls these for paragraphs and headings
    def paragraph(self, block: Paragraph) -> list[Flowable]:
        return [CJKParagraph(self.text(block.content), self.size, PITCH, indent=INDENT_EM * self.size)]

    def heading(self, block: Heading) -> list[Flowable]:
        chain = self.fonts.heading if block.level <= 2 else self.fonts.body
        text = self.text(block.content, Style(chain, self.size))
        outline = None
        if self.outline_headings:
            level = min(max(block.level, 1), self._outline_level + 1)
            self._outline_level = level
            outline = (text.chars.replace("\n", " ") or "—", level, self.key())
        return [CJKParagraph(text, self.size, PITCH, indent=INDENT_EM * self.size, align="left",
                             outline=outline, keep_with_next=True)]

    def closing(self, signature: Paragraph | None, date: Paragraph | None) -> list[Flowable]:
        """The issuer and date lines, right-aligned two characters in, a blank line above (7.3.5)."""
        out: list[Flowable] = []
        for line in (signature, date):
            if line is None:
                continue
            text = self.text(line.content)
            room = self.frame_width - INDENT_EM * self.size - sum(text.widths) - sum(text.adjust)  # with the quarter ems
            if room < 0:  # longer than a line: set as a body paragraph
                out.append(CJKParagraph(text, self.size, PITCH))
            else:
                out.append(CJKParagraph(text, self.size, PITCH, indent=room, align="left"))
        return [Spacer(1, PITCH), *out] if out else []


def _number_face(chain: Chain, text: str) -> Face:
    """The first face of ``chain`` (not a Latin-only one) that has every character of ``text``."""
    for index, spec in enumerate(chain.specs):
        if not spec.latin_only and all(chain.face(index).covers(ch) for ch in text):
            return chain.face(index)
    return chain.main


def draw_page_number(canvas: Any, fonts: Fonts, number: int, left: float, width: float) -> None:
    """``— N —`` in 4号 below the text block (``left``, ``width``): odd numbers at the right,
    even ones at the left, one character in from the block's edge."""
    text = f"— {number} —"
    face = _number_face(fonts.body, text)
    size = float(rules.PAGE_NUMBER_PT)
    # the number line's top 7 mm below the text block: baseline one ascent (ASCENT, 0.88 em) lower
    baseline = PAGE[1] - (rules.MARGIN_TOP_MM + rules.TEXT_BLOCK_MM[1] + rules.PAGE_NUMBER_GAP_MM) * MM - size * ASCENT
    canvas.saveState()
    canvas.setFont(face.name, size)
    with artifact(canvas, "Footer"):
        if number % 2:  # odd pages: at the right, one character in
            canvas.drawRightString(left + width - BODY_SIZE, baseline, text)
        else:
            canvas.drawString(left + BODY_SIZE, baseline, text)
    canvas.restoreState()


class GongwenTemplate(DocTemplate):
    """The A4 page with the ``— N —`` page number at the outer side."""

    def _footer(self, canvas: Any, doc: Any) -> None:
        draw_page_number(canvas, self.fonts, canvas.getPageNumber(), self.leftMargin, self.width)


def story(builder: GongwenBuilder, outline_level: int = 0, outline_title: str | None = None,
          key: str | None = None) -> list[Flowable]:
    """The whole document: title, body, closing lines (a book passes its outline entry for the title)."""
    body, signature, date = rules.split_closing(builder.document.blocks)
    return (builder.title_block(outline_level, outline_title, key) + builder.blocks(body)
            + builder.closing(signature, date))
