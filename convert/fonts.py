"""The bundled fonts (top-level ``fonts/`` in the source tree, ``convert/_fontdata`` in a wheel).

Roles: ``body`` (a Ming/Song face for text), ``heading`` (a Hei face for titles),
``fallback`` (faces that cover CJK Extension A/B and symbols the body face lacks).
Every bundled font has TrueType outlines, which reportlab can embed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import FontError


@dataclass(frozen=True)
class FontFile:
    path: Path
    subfont_index: int = 0  # for .ttc collections
    family: str = ""


# role -> (file name, subfont index, family name)
_BUNDLED: dict[str, tuple[tuple[str, int, str], ...]] = {
    "body": (("uming.ttc", 0, "AR PL UMing CN"),),
    "heading": (("wqy-microhei.ttc", 0, "WenQuanYi Micro Hei"),),
    "fallback": (("HanaMinA.ttf", 0, "HanaMinA"), ("HanaMinB.ttf", 0, "HanaMinB")),
}


@lru_cache(maxsize=1)
def font_dir() -> Path:
    """Where the bundled fonts are: the source tree's ``fonts/`` or the wheel's ``convert/_fontdata``."""
    source_tree = Path(__file__).resolve().parent.parent / "fonts"
    if (source_tree / "uming.ttc").is_file():
        return source_tree
    try:
        packaged = Path(str(resources.files("convert._fontdata")))
    except (ModuleNotFoundError, TypeError):
        packaged = None
    if packaged is not None and (packaged / "uming.ttc").is_file():
        return packaged
    raise FontError("the bundled fonts are missing from this installation", source_tree, hint="reinstall convert")


def bundled(role: str) -> tuple[FontFile, ...]:
    """The bundled font files for a role: ``body``, ``heading`` or ``fallback``."""
    folder = font_dir()
    return tuple(FontFile(folder / name, index, family) for name, index, family in _BUNDLED[role])
