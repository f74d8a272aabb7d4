"""The bundled fonts (top-level ``fonts/`` in the source tree, ``convert/_fontdata`` in a wheel).

Roles: ``body`` (a Song face with GB punctuation positions for text, then AR PL UMing CN),
``heading`` (a Hei face for titles), ``fallback`` (faces that cover CJK Extension A/B,
emoji and symbols the body faces lack). Every bundled font has TrueType outlines, which
the PDF writer embeds as CID-keyed subsets.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from struct import error as struct_error

from .errors import FontError


@dataclass(frozen=True)
class FontFile:
    path: Path
    subfont_index: int = 0  # for .ttc collections
    family: str = ""
    latin_only: bool = False  # draws only what typography.takes_latin_font() accepts


# role -> (file name, subfont index, family name)
_BUNDLED: dict[str, tuple[tuple[str, int, str], ...]] = {
    # Latin letters and digits in body text: a proportional serif (Times-metric, like the
    # DOCX writer's default), not the Ming face's monospaced ones. Never CJK punctuation.
    "latin": (("LiberationSerif-Regular.ttf", 0, "Liberation Serif"),),
    # Convert Serif SC (Noto Serif CJK SC with TrueType outlines, see fonts/README.md) puts
    # 。，、 in the lower left of the em box as mainland typography does; AR PL UMing CN centres
    # 。、 (the Taiwan position) and stays as a fallback
    "body": (("ConvertSerifSC-Regular.ttf", 0, "Convert Serif SC"), ("uming.ttc", 0, "AR PL UMing CN")),
    # Traditional editions: AR PL UMing's Taiwan and Hong Kong faces draw the standard forms
    # of those regions and centre 。，、 as their typography does (indices checked with fontTools)
    "body-tw": (("uming.ttc", 2, "AR PL UMing TW"),),
    "body-hk": (("uming.ttc", 1, "AR PL UMing HK"),),
    "heading": (("wqy-microhei.ttc", 0, "WenQuanYi Micro Hei"),),
    # Symbola last: emoji and symbols none of the others has (🎉 ❤ ♻ …), drawn in monochrome
    "fallback": (("HanaMinA.ttf", 0, "HanaMinA"), ("HanaMinB.ttf", 0, "HanaMinB"), ("Symbola_hint.ttf", 0, "Symbola")),
}


@lru_cache(maxsize=1)
def font_dir() -> Path:
    """Where the bundled fonts are: the source tree's ``fonts/`` or the wheel's ``convert/_fontdata``."""
    source_tree = Path(__file__).resolve().parent.parent / "fonts"
    if (source_tree / "uming.ttc").is_file():
        return source_tree
    # convert._fontdata has no __init__.py: it is a namespace package, whose resources.files()
    # is a MultiplexedPath (str() of it is not a path), so look along its __path__ instead.
    try:
        package = importlib.import_module("convert._fontdata")
    except ModuleNotFoundError:
        package = None
    for folder in getattr(package, "__path__", ()):
        if (Path(folder) / "uming.ttc").is_file():
            return Path(folder)
    raise FontError("the bundled fonts are missing from this installation", source_tree, hint="reinstall convert")


def bundled(role: str) -> tuple[FontFile, ...]:
    """The bundled font files for a role: ``latin``, ``body``, ``body-tw``, ``body-hk``, ``heading`` or ``fallback``."""
    folder = font_dir()
    return tuple(FontFile(folder / name, index, family, role == "latin") for name, index, family in _BUNDLED[role])


def user_font(path: str | Path, subfont_index: int = 0) -> FontFile:
    """A font file chosen by the user (``--font``), checked to be TrueType-outlined.

    reportlab embeds only TrueType (``glyf``) outlines, so an OpenType font with CFF
    outlines, a missing file or something that is not a font is a one-line FontError.
    """
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    font_path = Path(path)
    if not font_path.is_file():
        raise FontError("font file not found", font_path)
    try:
        with font_path.open("rb") as handle:
            magic = handle.read(4)
        if magic == b"ttcf":
            collection = TTCollection(str(font_path), lazy=True)
            if not 0 <= subfont_index < len(collection.fonts):
                raise FontError(f"font collection has no subfont {subfont_index}", font_path)
            face = collection.fonts[subfont_index]
        else:
            face = TTFont(str(font_path), lazy=True)
        tables = set(face.keys())
        family = face["name"].getBestFamilyName() or font_path.stem if "name" in tables else font_path.stem
    except (TTLibError, OSError, struct_error, KeyError, AssertionError) as exc:
        raise FontError(f"not a readable TrueType font: {exc}", font_path) from None
    if "CFF " in tables or "CFF2" in tables:
        raise FontError("has CFF (PostScript) outlines, which reportlab cannot embed", font_path)
    if "glyf" not in tables or "cmap" not in tables:
        raise FontError("has no TrueType outlines (glyf table) or no character map", font_path)
    return FontFile(font_path.resolve(), subfont_index, family)
