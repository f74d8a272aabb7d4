"""Fonts, once per process: faces, fallback chains and the body/heading pair for a ``--font``.

Fonts are reportlab ``TTFont`` objects parsed once per process and reused for every
document (the batch layer renders documents one after another in each worker process;
the writer's lock keeps two threads from building at once, because a ``TTFont`` holds
per-document subset state). Every font is a TrueType subset (see :mod:`.subset`) with a
ToUnicode map, so ``pdffonts`` lists nothing unembedded and ``pdftotext`` gives back the text.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ...errors import FontError
from ...fonts import FontFile, bundled, user_font
from ...typography import takes_latin_font
from .reportlab_compat import install_subsetter
from .subset import Subsetter


class Face:
    """A registered reportlab TTFont with its character coverage and a width cache."""

    def __init__(self, spec: FontFile) -> None:
        key = f"{spec.path}#{spec.subfont_index}".encode()
        self.name = "CV" + hashlib.sha1(key).hexdigest()[:10]  # stable across processes
        try:
            self.font = TTFont(self.name, str(spec.path), subfontIndex=spec.subfont_index)
        except (TTFError, OSError, ValueError, IndexError, KeyError) as exc:
            raise FontError(f"cannot load font: {exc}", spec.path) from None
        pdfmetrics.registerFont(self.font)
        install_subsetter(self.font, Subsetter(self.font.face))  # ours, bound to this face only
        self.cmap: dict[int, int] = self.font.face.charToGlyph
        face_widths = self.font.face.charWidths
        default = self.font.face.defaultWidth
        self._widths = face_widths
        self._default = default

    def covers(self, char: str) -> bool:
        return ord(char) in self.cmap

    def width(self, char: str) -> float:
        """Advance of ``char`` at 1 pt (so multiply by the font size)."""
        return self._widths.get(ord(char), self._default) / 1000.0


_FACES: dict[tuple[str, int], Face] = {}
_FACES_LOCK = threading.Lock()


def face_for(spec: FontFile) -> Face:
    """The face for a font file, parsed and registered once per process."""
    key = (str(spec.path), spec.subfont_index)
    with _FACES_LOCK:
        face = _FACES.get(key)
        if face is None:
            face = _FACES[key] = Face(spec)
        return face


class Chain:
    """A main font plus fallbacks: each character takes the first face that has it.

    Fallback faces are parsed only when a character first needs one; the per-character
    answer is memoised for the life of the process.
    """

    def __init__(self, specs: tuple[FontFile, ...]) -> None:
        self.specs = specs
        self._faces: list[Face | None] = [None] * len(specs)
        self._memo: dict[str, int] = {}

    def loaded(self) -> list[Face]:
        """The faces parsed so far (a fallback face is parsed when first needed)."""
        return [face for face in self._faces if face is not None]

    def face(self, index: int) -> Face:
        face = self._faces[index]
        if face is None:
            face = self._faces[index] = face_for(self.specs[index])
        return face

    @property
    def main(self) -> Face:
        """The principal face: the first that is not limited to Latin letters."""
        return self.face(next((i for i, s in enumerate(self.specs) if not s.latin_only), 0))

    def resolve(self, char: str) -> int:
        """Index of the face that draws ``char``, or -1 when no face has it."""
        found = self._memo.get(char)
        if found is None:
            found = -1
            for i, spec in enumerate(self.specs):
                if spec.latin_only and not takes_latin_font(char):
                    continue
                if self.face(i).covers(char):
                    found = i
                    break
            self._memo[char] = found
        return found


_CHAINS: dict[tuple[FontFile, ...], Chain] = {}


def chain_for(specs: tuple[FontFile, ...]) -> Chain:
    """The chain for these font files (duplicates dropped), made once per process."""
    unique = tuple(dict.fromkeys(specs))
    with _FACES_LOCK:
        chain = _CHAINS.get(unique)
        if chain is None:
            chain = _CHAINS[unique] = Chain(unique)
        return chain


@dataclass
class Fonts:
    """The two chains a document is set in: body text, and headings and strong text (Hei)."""

    body: Chain
    heading: Chain


_FONTS: dict[str | None, Fonts] = {}


def fonts_for(font: str | None) -> Fonts:
    """The font chains for ``--font`` ``font`` (None: the bundled faces), made once per process: checking a
    chosen font file with fontTools again for every document cost 0.5 ms, a tenth of a seed
    article's render."""
    key = os.path.abspath(font) if font else None
    fonts = _FONTS.get(key)
    if fonts is None:
        fallback = bundled("fallback")
        body_main = bundled("body")
        # A chosen --font draws its own Latin letters; the bundled Ming face's are monospaced,
        # so with it Latin text takes the bundled serif.
        main = (user_font(font),) if font else bundled("latin")
        body = chain_for(main + body_main + fallback)
        heading = chain_for(bundled("heading") + main + body_main + fallback)
        body.main  # noqa: B018 - parse the main faces now, so a bad --font fails before layout
        heading.main  # noqa: B018
        fonts = _FONTS[key] = Fonts(body, heading)
    return fonts


def loaded_faces() -> list[tuple[str, int]]:
    """The (path, subfont index) of every face parsed in this process."""
    with _FACES_LOCK:
        return list(_FACES)


def faces_of(fonts: Fonts) -> list[Face]:
    """The faces of both chains parsed so far."""
    return fonts.body.loaded() + fonts.heading.loaded()
