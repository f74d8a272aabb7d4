"""Flowables other than paragraphs: pictures, placeholder boxes for missing pictures, bookmarks."""

from __future__ import annotations

import io

from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from ...model import Image
from ...typography import fit_lines
from ...untrusted import read_picture
from ..pictures import refuse_bombs
from .draw import draw_lines, painter_for
from .reportlab_compat import jpeg_reader
from .text import GREY, StyledText

#: The finest a picture is printed: never enlarged beyond 150 pixels per inch (a 320-pixel-wide
#: picture is 153.6 pt, about 54 mm, wide), since a web picture blown up to the text width
#: prints blurred.
MIN_PPI = 150.0


# reportlab ships no type hints, so Flowable is Any to mypy (hence the ignores below).
class Picture(Flowable):  # type: ignore[misc]
    """A picture at its resolution, centred: never wider than :data:`MIN_PPI` makes it, reduced
    to the text width when larger, never taller than ``max_height``; aspect ratio kept."""

    def __init__(self, reader: ImageReader, pixel_size: tuple[int, int], max_height: float) -> None:
        super().__init__()
        self.reader = reader
        self.pixel_w, self.pixel_h = pixel_size
        self.max_height = max_height
        self.spaceBefore = self.spaceAfter = 6.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        scale = min(72.0 / MIN_PPI, availWidth / self.pixel_w, self.max_height / self.pixel_h)
        self.draw_w, self.draw_h = self.pixel_w * scale, self.pixel_h * scale
        self.avail_w = availWidth
        return availWidth, self.draw_h

    def draw(self) -> None:
        painter_for(self.canv).image(self.reader, (self.avail_w - self.draw_w) / 2, 0, self.draw_w, self.draw_h)


class Placeholder(Flowable):  # type: ignore[misc]
    """A visible dashed box with the picture's name where a picture is missing or unreadable."""

    def __init__(self, label: StyledText, size: float) -> None:
        super().__init__()
        self.label = label
        self.size = size
        self.spaceBefore = self.spaceAfter = 6.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        inner = availWidth - 2 * self.size
        self.lines = fit_lines(self.label.chars, self.label.widths, inner)
        self.height = max(availWidth * 0.25, (len(self.lines) + 2) * self.size * 1.5)
        return availWidth, self.height

    def draw(self) -> None:
        painter = painter_for(self.canv)
        painter.box(0, 0, self.width, self.height, GREY, fill=(0.95, 0.95, 0.95), dash=(4, 3))
        painter.flush()
        text_height = len(self.lines) * self.size * 1.5
        top = (self.height + text_height) / 2
        draw_lines(painter, self.label, self.lines, self.size, top, self.width - 2 * self.size, self.size * 1.5, 0.0,
                   "center")


def load_picture(image: Image) -> tuple[ImageReader, tuple[int, int]] | str:
    """The picture ready to draw, or why it cannot be drawn. Decoding it here catches a
    truncated JPEG, which reportlab would otherwise embed as is (its bytes go in unchanged);
    a JPEG that is embedded as it is is decoded at 1/8 scale (libjpeg still reads every
    coded block, so truncation shows, in a quarter of the time of a full decode)."""
    if image.path is None:
        return "missing"
    try:
        data = read_picture(image.path)
        with refuse_bombs(), PILImage.open(io.BytesIO(data)) as probe:
            size = probe.size
            fmt = probe.format
            mode = probe.mode
            # DeviceCMYK is not allowed under an sRGB output intent (PDF/A): such a JPEG is converted
            passed_through = fmt == "JPEG" and mode != "CMYK"
            if passed_through:
                probe.draft(mode, (max(1, size[0] // 8), max(1, size[1] // 8)))
            probe.load()
        if size[0] <= 0 or size[1] <= 0:
            return "empty picture"
        if passed_through:
            return jpeg_reader(data, mode), size
        # anything else is re-encoded by reportlab from pixels; hand it a decoded copy
        with refuse_bombs(), PILImage.open(io.BytesIO(data)) as img:
            img.seek(0)
            converted = img.convert("RGBA" if img.mode in ("RGBA", "LA", "P", "PA") else "RGB")
        return ImageReader(converted), size
    except UnidentifiedImageError:
        return "not a picture format Pillow can read"  # its message names a memory address
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        text = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)).strip()
        return text.splitlines()[0] if text else type(exc).__name__


class Bookmark(Flowable):  # type: ignore[misc]
    """An outline entry with nothing drawn (a document without a title still gets one)."""

    def __init__(self, title: str, level: int, key: str) -> None:
        super().__init__()
        self.title, self.level, self.key = title, level, key

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
