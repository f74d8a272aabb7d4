"""Every word the outputs show readers that is not the article's own text, in one table per edition.

Spellings chosen once for all formats: 图片缺失 followed by the full-width colon ``：``
(Chinese punctuation, as the EPUB, HTML, DOCX and PDF placeholders always had; Markdown's
used ``: ``), 无标题 without brackets (the PDF book and the pages already; the EPUB and
DOCX books wrote （无标题）), 目录 and 文集. ``tests/test_labels.py`` fails when one of
these words is typed anywhere else in ``convert/``.

A Traditional edition (``--script``) shows them in its script: writers ask
:func:`of` (or :func:`for_language`) for the document's or book's labels, never take the
Simplified ones directly. The Traditional tables are OpenCC's conversion of the
Simplified one for each configuration, written down here rather than computed, so that
writers (and a program rendering a document already tagged ``zh-HK``) need no OpenCC
dictionaries; ``tests/test_labels.py`` converts every Simplified word with OpenCC s2t,
s2tw, s2hk and s2twp and fails if a table differs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol


@dataclass(frozen=True)
class Labels:
    """The words of one edition."""

    missing_picture: str = "图片缺失"  # before a missing picture's reference
    unreadable_picture: str = "图片无法读取"  # before an unreadable picture's reference
    separator: str = "："  # between a label and what it labels
    untitled: str = "无标题"  # a document, article or folder without a title
    contents: str = "目录"  # a book's table of contents
    collection: str = "文集"  # a book without a title (no --title and no folder to name it after)
    undated: str = "未注明日期"  # the section of a date-ordered book for articles without a date
    picture: str = "图片"  # a picture's alternative text when it has none: 图片1, 图片2 …
    landmarks: str = "导览"  # the EPUB navigation's landmarks list
    document: str = "文档"  # a PDF outline entry for a document without a title
    update_contents: str = "右键更新目录"  # the DOCX contents field's text before Word updates it

    def missing(self, src: str, unreadable: bool = False) -> str:
        """What stands where a picture is missing (or unreadable): 图片缺失：图片/2.jpg."""
        return f"{self.unreadable_picture if unreadable else self.missing_picture}{self.separator}{src}"


#: The Simplified words: the text as read (zh-CN, the default).
SIMPLIFIED = Labels()
#: OpenCC s2t, s2tw and s2hk give the same forms for every word of the table.
_TRADITIONAL = Labels(
    missing_picture="圖片缺失", unreadable_picture="圖片無法讀取", untitled="無標題", contents="目錄",
    undated="未註明日期", picture="圖片", landmarks="導覽", document="文檔", update_contents="右鍵更新目錄",
)
#: By the language tag a Traditional edition carries (case-insensitive, as BCP 47 tags are).
TRADITIONAL: dict[str, Labels] = {"zh-hant": _TRADITIONAL, "zh-tw": _TRADITIONAL, "zh-hk": _TRADITIONAL}
#: Taiwan's vocabulary conversion (s2twp, ``--script zh-TW-phrases``) also swaps words: 文檔 → 文件.
TAIWAN_PHRASES = replace(_TRADITIONAL, document="文件")


def for_language(language: str | None, edition: str | None = None) -> Labels:
    """The labels for a document or book in ``language`` (its ``meta.language``), made by
    ``edition`` (its ``meta.edition``, which tells Taiwan's phrase conversion apart)."""
    found = TRADITIONAL.get((language or "").lower())
    if found is None:
        return SIMPLIFIED
    if edition and "s2twp" in edition:
        return TAIWAN_PHRASES
    return found


class _Tagged(Protocol):
    @property
    def language(self) -> str: ...

    @property
    def edition(self) -> str | None: ...


def of(meta: _Tagged) -> Labels:
    """The labels for a document's or book's metadata (``document.meta``, ``book.meta``)."""
    return for_language(meta.language, meta.edition)


__all__ = ["SIMPLIFIED", "TAIWAN_PHRASES", "TRADITIONAL", "Labels", "for_language", "of"]
