"""Fonts, once per process: faces, fallback chains and the body/heading pair for a ``--font``.

A face is opened once per process, lazily (:mod:`.sfnt`: a memory-mapped file whose
character map is searched when a character is first asked for), and only when a document
first needs it: a fallback face is opened when a character falls through to it. Each face is
embedded as one CID-keyed TrueType subset per document (:mod:`.cidfont`) with a ToUnicode
map, so ``pdffonts`` lists nothing unembedded and ``pdftotext`` gives back the text. The
writer's lock keeps two threads from building at once (a font holds per-document state).
"""

from __future__ import annotations

import hashlib
import os
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from reportlab.pdfbase import pdfmetrics

from ...errors import FontError
from ...fonts import FontFile, bundled, user_font
from ...typography import takes_latin_font
from .cidfont import CIDFont
from .sfnt import SfntError, SfntFace

_T = TypeVar("_T")


class PerFontFile(Generic[_T]):
    """A value made once per process for each font file (path, subfont index), behind a lock
    so that two threads never make it twice: the faces here, a face's centred marks in :mod:`.text`."""

    def __init__(self, make: Callable[[FontFile], _T]) -> None:
        self._make = make
        self._made: dict[tuple[str, int], _T] = {}
        self._lock = threading.Lock()

    def __call__(self, spec: FontFile) -> _T:
        key = (str(spec.path), spec.subfont_index)
        with self._lock:
            found = self._made.get(key)
            if found is None:
                found = self._made[key] = self._make(spec)
            return found

    def keys(self) -> list[tuple[str, int]]:
        """The (path, subfont index) of every file made so far."""
        with self._lock:
            return list(self._made)


class Face:
    """A font face: character coverage, advances (memoised per character) and its PDF font."""

    def __init__(self, spec: FontFile) -> None:
        key = f"{spec.path}#{spec.subfont_index}".encode()
        self.name = "CV" + hashlib.sha1(key).hexdigest()[:10]  # stable across processes
        self.family = spec.family
        try:
            sfnt = SfntFace(spec.path, spec.subfont_index)
        except (SfntError, OSError, struct.error, IndexError) as exc:
            raise FontError(f"cannot load font: {exc}", spec.path) from None
        self.font = CIDFont(self.name, sfnt)
        pdfmetrics.registerFont(self.font)  # the canvas's own drawString finds it by name
        self._glyph = self.font.glyph
        self._advance = sfnt.advance
        self._per_em = 1.0 / sfnt.units_per_em
        self._covers: dict[str, bool] = {}
        self._widths: dict[str, float] = {}

    def covers(self, char: str) -> bool:
        found = self._covers.get(char)
        if found is None:
            found = self._covers[char] = self._glyph(char) != 0
        return found

    def width(self, char: str) -> float:
        """Advance of ``char`` at 1 pt (so multiply by the font size)."""
        found = self._widths.get(char)
        if found is None:
            found = self._widths[char] = self._advance(self._glyph(char)) * self._per_em
        return found


#: The face for a font file, parsed and registered once per process.
face_for = PerFontFile(Face)


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
_CHAINS_LOCK = threading.Lock()


def chain_for(specs: tuple[FontFile, ...]) -> Chain:
    """The chain for these font files (duplicates dropped), made once per process."""
    unique = tuple(dict.fromkeys(specs))
    with _CHAINS_LOCK:
        chain = _CHAINS.get(unique)
        if chain is None:
            chain = _CHAINS[unique] = Chain(unique)
        return chain


@dataclass
class Fonts:
    """The two chains a document is set in: body text, and headings and strong text (Hei)."""

    body: Chain
    heading: Chain


_FONTS: dict[tuple[str | None, str], Fonts] = {}


def body_role(language: str | None) -> str:
    """The bundled body role for a document's language tag: AR PL UMing HK for Hong Kong (and
    Macau) editions, AR PL UMing TW for Taiwan and plain Traditional ones, else the Simplified body."""
    tag = (language or "").lower()
    if tag.startswith(("zh-hk", "zh-mo")) or tag in ("zh-hant-hk", "zh-hant-mo"):
        return "body-hk"
    if tag.startswith(("zh-tw", "zh-hant")):
        return "body-tw"
    return "body"


def fonts_for(font: str | None, language: str | None = None) -> Fonts:
    """The font chains for ``--font`` ``font`` (None: the bundled faces) and a document's
    language (a Traditional edition's body face comes first, see :func:`body_role`), made once
    per process: checking a chosen font file with fontTools again for every document cost
    0.5 ms, a tenth of a seed article's render."""
    role = body_role(language)
    key = (os.path.abspath(font) if font else None, role)
    fonts = _FONTS.get(key)
    if fonts is None:
        fallback = bundled("fallback")
        # a Traditional face goes before the Simplified ones, which stay as fallbacks
        body_main = (bundled(role) if role != "body" else ()) + bundled("body")
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
    return face_for.keys()


def faces_of(fonts: Fonts) -> list[Face]:
    """The faces of both chains parsed so far."""
    return fonts.body.loaded() + fonts.heading.loaded()
