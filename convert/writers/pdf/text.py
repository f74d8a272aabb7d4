"""Styled text: runs of characters with a style, each resolved to a face and measured.

:class:`StyledText` is what the paragraph layout and the drawing code work on: a paragraph's
characters with, for each one, its style, the index of the face in the style's chain that
draws it, and its advance. :class:`Counters` collects what no font could draw.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ...model import Emphasis, Inline, LineBreak, Link, Strong, Text
from ...typography import is_cjk
from .fonts import Chain

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


def flatten(inlines: tuple[Inline, ...], base: Style, strong: Chain) -> list[tuple[str, Style]]:
    """Inline tree to (text, style) runs. Strong text is set in the Hei face (Chinese bold);
    emphasis is sheared; links are coloured and remember their target."""
    runs: list[tuple[str, Style]] = []
    stack: list[tuple[Any, Style]] = [(iter(inlines), base)]
    while stack:
        iterator, style = stack[-1]
        node = next(iterator, None)
        if node is None:
            stack.pop()
        elif isinstance(node, Text):
            runs.append((node.text, style))
        elif isinstance(node, LineBreak):
            runs.append(("\n", style))
        elif isinstance(node, Strong):
            stack.append((iter(node.children), Style(strong, style.size, style.color, style.shear, style.href)))
        elif isinstance(node, Emphasis):
            stack.append((iter(node.children), Style(style.chain, style.size, style.color, FAKE_ITALIC, style.href)))
        elif isinstance(node, Link):
            stack.append((iter(node.children), Style(style.chain, style.size, LINK, style.shear, node.href)))
    return runs


_IGNORABLE_CATEGORIES = ("Cf", "Mn", "Me", "Cc")  # Cc: DEL and C1 controls, nothing to draw


_WORD: dict[str, bool] = {}


def is_word(char: str) -> bool:
    """Part of a Latin word, number or URL: not CJK, not a space (memoised: asked per character)."""
    found = _WORD.get(char)
    if found is None:
        found = _WORD[char] = not char.isspace() and not is_cjk(char)
    return found


class StyledText:
    """A paragraph's characters with a style, a face and an advance for each one."""

    __slots__ = ("chars", "styles", "faces", "widths", "uncovered", "word")

    def __init__(self, runs: list[tuple[str, Style]], counters: Counters) -> None:
        chars: list[str] = []
        styles: list[Style] = []
        faces: list[int] = []
        widths: list[float] = []
        uncovered: set[int] = set()
        for raw, style in runs:
            text = raw.replace("\t", " ").replace("\r", "")  # XML-illegal controls: gone in the transform stage
            chain = style.chain
            size = style.size
            resolve = chain.resolve
            for ch in text:
                index = resolve(ch)
                if index >= 0:
                    width = chain.face(index).width(ch) * size
                elif ch == "\n":
                    index, width = 0, 0.0
                elif unicodedata.category(ch) in _IGNORABLE_CATEGORIES:
                    # a joiner or variation selector no font draws: leaving it out changes nothing visible
                    counters.dropped_invisible += 1
                    continue
                else:
                    counters.uncovered[ch] = counters.uncovered.get(ch, 0) + 1
                    uncovered.add(len(chars))
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
        self.word = [is_word(ch) for ch in chars]
