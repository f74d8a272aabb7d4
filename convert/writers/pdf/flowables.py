"""Flowables other than paragraphs: pictures, placeholder boxes for missing pictures, bookmarks."""

from __future__ import annotations

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from ...model import Image
from ...typography import fit_lines
from ..pictures import load_picture
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


def drawable_picture(image: Image) -> tuple[ImageReader, tuple[int, int]] | str:
    """The picture ready to draw with its size in pixels, or why it cannot be drawn (the shared
    loader of :mod:`..pictures` reads and checks it: a truncated JPEG, which reportlab would
    embed as is, is caught there by a 1/8-scale decode). A JPEG goes in as it is; a CMYK one
    is converted (DeviceCMYK is not allowed under PDF/A's sRGB output intent), and any other
    format is drawn from its pixels."""
    if image.path is None:
        return "missing"
    decoded = load_picture(image.path, None, rgb=True)  # any format Pillow reads: drawn from its pixels
    if isinstance(decoded, str):
        return decoded
    if decoded.size[0] <= 0 or decoded.size[1] <= 0:
        return "empty picture"
    if decoded.format == "JPEG":
        return jpeg_reader(decoded.data, decoded.mode), decoded.size
    # reportlab re-encodes it from pixels: the loader's decoded image, in a mode it takes
    pixels = decoded.pixels
    return ImageReader(pixels.convert("RGBA" if pixels.mode in ("RGBA", "LA", "P", "PA") else "RGB")), decoded.size


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
