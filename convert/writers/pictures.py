"""A picture checked before it goes into an output: decoded once with Pillow, and re-encoded
as PNG when the output format cannot hold the file's own format.

Shared by the DOCX writer and the XHTML body of the EPUB and HTML writers; each passes the
formats it keeps as they are. Decoding the whole picture (JPEG at 1/8 scale, which is
quick) catches a truncated file here instead of leaving a broken picture in the output.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Collection
from dataclasses import dataclass

#: Modes PNG stores as they are; anything else (CMYK, YCbCr, ...) becomes RGB or RGBA.
_PNG_MODES = ("1", "L", "LA", "P", "RGB", "RGBA")


@dataclass(frozen=True)
class Decoded:
    """A readable picture: ``data`` in ``format`` (Pillow's name), read from a ``source_format`` file."""

    data: bytes
    format: str
    source_format: str

    @property
    def converted(self) -> bool:
        return self.format != self.source_format


def decode_picture(data: bytes, keep: Collection[str]) -> Decoded | str:
    """The picture in ``data``, as it is when its format is in ``keep``, else as PNG;
    or a one-line reason why it cannot be used."""
    from PIL import Image as PILImage

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning and friends; the error still raises
            with PILImage.open(io.BytesIO(data)) as picture:
                fmt = picture.format or ""
                if fmt == "JPEG" and fmt in keep:  # only checked, never re-encoded: a reduced decode will do
                    picture.draft("RGB", (max(1, picture.width // 8), max(1, picture.height // 8)))
                picture.load()
                if fmt in keep:
                    return Decoded(data, fmt, fmt)
                if picture.mode not in _PNG_MODES:
                    picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
                out = io.BytesIO()
                picture.save(out, "PNG")
    except PILImage.UnidentifiedImageError:
        return "not a picture format Pillow knows"  # Pillow's own message names a memory address
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError, DecompressionBombError...
        lines = str(exc).strip().splitlines()
        return lines[0] if lines else type(exc).__name__
    return Decoded(out.getvalue(), "PNG", fmt)


__all__ = ["Decoded", "decode_picture"]
