"""Every word the outputs show readers that is not the article's own text, in one table.

Spellings chosen once for all formats: 图片缺失 followed by the full-width colon ``：``
(Chinese punctuation, as the EPUB, HTML, DOCX and PDF placeholders always had; Markdown's
used ``: ``), 无标题 without brackets (the PDF book and the pages already; the EPUB and
DOCX books wrote （无标题）), 目录 and 文集. ``tests/test_labels.py`` fails when one of
these words is typed anywhere else in ``convert/``.
"""

from __future__ import annotations

#: Before a missing picture's reference.
MISSING_PICTURE = "图片缺失"
#: Before an unreadable picture's reference.
UNREADABLE_PICTURE = "图片无法读取"
#: Between a label and what it labels.
LABEL_SEPARATOR = "："
#: A document, article or folder without a title.
UNTITLED = "无标题"
#: A book's table of contents.
CONTENTS = "目录"
#: A book without a title (no --title and no folder to name it after).
COLLECTION = "文集"


def missing_picture(src: str, label: str = MISSING_PICTURE) -> str:
    """What stands where a picture is missing (or unreadable): 图片缺失：图片/2.jpg."""
    return f"{label}{LABEL_SEPARATOR}{src}"


__all__ = ["COLLECTION", "CONTENTS", "LABEL_SEPARATOR", "MISSING_PICTURE", "UNREADABLE_PICTURE", "UNTITLED", "missing_picture"]
