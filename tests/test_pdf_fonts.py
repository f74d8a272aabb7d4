"""The PDF writer's fonts and speed-related behaviour: the body face's GB punctuation, the
symbol fallback, faces opened lazily, CID-keyed subsets, and costs linear in the size."""

from __future__ import annotations

from convert.model import Diagnostic, Document, Image, Metadata, warning
from convert.writers.pdf.builder import Builder
from convert.writers.pdf.fonts import fonts_for


class _CountingDiagnostics(tuple):
    """A document's diagnostics that count how often they are walked through."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        type(self).walks += 1
        return super().__iter__()


def test_missing_pictures_are_checked_against_the_readers_warnings_once_not_once_per_picture():
    count = 50
    reported: tuple[Diagnostic, ...] = tuple(
        warning("missing-image", f"picture 图片/{i}.jpg is missing; its position is kept as a placeholder")
        for i in range(count)
    )
    diagnostics = _CountingDiagnostics(reported)
    images = tuple(Image(f"图片/{i}.jpg", None) for i in range(count + 1))
    document = Document(Metadata(title="图"), images, diagnostics=diagnostics)
    builder = Builder(document, fonts_for(None), 12.0, 700.0, 440.0)
    _CountingDiagnostics.walks = 0
    for image in images:
        builder.picture(image)
    assert _CountingDiagnostics.walks <= 1  # was once per picture: n pictures cost n**2
    # the reader reported the first 50; only the last one is the writer's to report
    assert [d.message for d in builder.finish()] == [
        f"picture 图片/{count}.jpg is missing; a placeholder box stands in its place"
    ]
