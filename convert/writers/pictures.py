"""A picture checked before it goes into an output: read safely, decoded once with Pillow, and
re-encoded as PNG when the output format cannot hold the file's own format.

The one picture loader of the DOCX, PDF (and OFD) writers and the XHTML body of the EPUB and
HTML writers (:func:`load_picture`); each passes the formats it keeps as they are. A picture
no format can use is reported in one wording by every writer (:func:`unreadable`), so a
batch writing several formats says it once. Decoding the whole picture (JPEG at 1/8 scale, which is
quick) catches a truncated file here instead of leaving a broken picture in the output.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..model import Diagnostic, warning
from ..untrusted import read_picture

#: Modes PNG stores as they are; anything else (CMYK, YCbCr, ...) becomes RGB or RGBA.
_PNG_MODES = ("1", "L", "LA", "P", "RGB", "RGBA")


@dataclass(frozen=True)
class Decoded:
    """A readable picture: ``data`` in ``format`` (Pillow's name), read from a ``source_format``
    file of ``size`` pixels in Pillow's ``mode``; ``pixels``, the decoded Pillow image of
    ``data`` when it was decoded whole (None for a JPEG only checked at 1/8 scale), for a
    consumer that draws from pixels without decoding the file again."""

    data: bytes
    format: str
    source_format: str
    size: tuple[int, int] = (0, 0)
    mode: str = ""
    pixels: Any = field(default=None, compare=False, repr=False)

    @property
    def converted(self) -> bool:
        return self.format != self.source_format


@contextmanager
def refuse_bombs() -> Iterator[None]:
    """Pillow's decompression-bomb limit as an error at its first level (MAX_IMAGE_PIXELS,
    about 89 million pixels), not a warning followed by a decode of hundreds of MB."""
    from PIL import Image as PILImage

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # other warnings of odd files are not ours to print
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        yield


def decode_picture(data: bytes, keep: Collection[str] | None, rgb: bool = False) -> Decoded | str:
    """The picture in ``data``, as it is when its format is in ``keep`` (None: any format), else as PNG;
    or a one-line reason why it cannot be used. ``rgb``: a CMYK (or YCCK) picture is
    converted too, for consumers that show it wrongly or not at all."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with refuse_bombs(), PILImage.open(io.BytesIO(data)) as picture:
            fmt, size, mode = picture.format or "", picture.size, picture.mode
            kept = (keep is None or fmt in keep) and not (rgb and picture.mode not in _PNG_MODES)
            if fmt == "JPEG" and kept:  # only checked, never re-encoded: a reduced decode will do
                picture.draft(picture.mode, (max(1, picture.width // 8), max(1, picture.height // 8)))
            picture.load()
            if kept:
                return Decoded(data, fmt, fmt, size, mode, None if fmt == "JPEG" else picture)
            if picture.mode not in _PNG_MODES:
                picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
            out = io.BytesIO()
            picture.save(out, "PNG")
    except UnidentifiedImageError:
        return "not a picture format Pillow knows"  # Pillow's own message names a memory address
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError, DecompressionBomb*...
        lines = str(exc).strip().splitlines()
        return lines[0] if lines else type(exc).__name__
    return Decoded(out.getvalue(), "PNG", fmt, size, mode, picture)


def load_picture(path: str, keep: Collection[str] | None, rgb: bool = False) -> Decoded | str:
    """The picture file at ``path`` (an :class:`~convert.model.Image`'s checked path, read
    without following links) as :func:`decode_picture` gives it, or the one-line reason why
    it cannot be used."""
    data = read_bytes(path)
    return data if isinstance(data, str) else decode_picture(data, keep, rgb)


def read_bytes(path: str) -> bytes | str:
    """The picture file at ``path`` as it is (read without following links), or the one-line
    reason why it cannot be read."""
    try:
        return read_picture(path)
    except OSError as exc:
        return exc.strerror or str(exc) or type(exc).__name__


def unreadable(src: str, reason: str) -> Diagnostic:
    """The warning for a picture that is there but cannot be used: the same words from every writer."""
    return warning("unreadable-image", f"picture {src} cannot be used ({reason}); a placeholder stands in its place")


def bomb_reason(data: bytes) -> str | None:
    """Why a picture copied as it is (Markdown) must not be: its header claims more pixels than
    Pillow's decompression-bomb limit. Reads the header only; anything else is the viewer's."""
    from PIL import Image as PILImage

    try:
        with refuse_bombs(), PILImage.open(io.BytesIO(data)):
            return None
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        return str(exc).splitlines()[0]
    except Exception:  # not a picture Pillow knows, or a damaged one: copied as before
        return None


def with_jfif_header(data: bytes) -> bytes:
    """A JPEG that starts with neither a JFIF nor an Exif segment, with a minimal JFIF one put
    first (72 dpi): some consumers (python-docx) recognise a JPEG only by that header."""
    if data[:3] != b"\xff\xd8\xff" or data[6:10] in (b"JFIF", b"Exif"):
        return data
    return data[:2] + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + data[2:]


__all__ = [
    "Decoded", "bomb_reason", "decode_picture", "load_picture", "read_bytes", "refuse_bombs", "unreadable", "with_jfif_header",
]
