"""Script conversion: Traditional Chinese editions (``--script zh-Hant|zh-TW|zh-HK``) with OpenCC.

OpenCC (the official ``opencc`` package) converts Simplified to Traditional character by
character and phrase by phrase (``s2t``), then to a region's standard forms (``s2tw``:
台灣 forms such as 裡, 台; ``s2hk``: Hong Kong forms such as 裏, 着). Taiwan's vocabulary
conversion (``s2twp``: 软件→軟體, 鼠标→滑鼠) rewrites official wording and does not round
trip, so it is only ever used when asked for by name (``zh-TW-phrases``).

A document's text is converted in one call (runs joined by newlines, which no OpenCC
phrase crosses) and cut back into its strings by length: OpenCC's character conversion
keeps lengths, and then the result is exactly OpenCC's conversion of each paragraph's
whole text, phrases across a bold span included. Where a phrase changes length
(``s2twp``: U盘→隨身碟), the runs are converted one by one instead. The converters are
made once per process.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from ..errors import ConvertError
from ..model import Book, BookMeta, Document, map_titles
from .base import Transformed
from .text import map_texts

#: The script of the text as read: no conversion (the default).
DEFAULT_SCRIPT = "zh-Hans"


@dataclass(frozen=True)
class Edition:
    """One ``--script`` choice: the OpenCC configuration and the language tag outputs carry."""

    script: str  # the option's value
    config: str  # OpenCC configuration: s2t, s2tw, s2hk, s2twp
    language: str  # BCP 47 tag for every format's language field

    @property
    def edition(self) -> str:
        """What ``Metadata.edition`` records: the script and the conversion that made it."""
        return f"{self.script} (opencc {self.config})"


EDITIONS: dict[str, Edition] = {
    "zh-Hant": Edition("zh-Hant", "s2t", "zh-Hant"),
    "zh-TW": Edition("zh-TW", "s2tw", "zh-TW"),
    "zh-HK": Edition("zh-HK", "s2hk", "zh-HK"),
    "zh-TW-phrases": Edition("zh-TW-phrases", "s2twp", "zh-TW"),
}
#: Every value ``--script`` accepts.
SCRIPTS = (DEFAULT_SCRIPT, *EDITIONS)


def edition_for(script: str | None) -> Edition | None:
    """The edition a ``script`` value asks for; None for the text as read. Unknown values are errors."""
    if script is None or str(script).lower() == DEFAULT_SCRIPT.lower():  # BCP 47 tags are case-insensitive
        return None
    for name, edition in EDITIONS.items():  # the tags are case-insensitive (BCP 47)
        if name.lower() == str(script).lower():
            return edition
    raise ConvertError(f"unknown script {script!r}; scripts: {', '.join(SCRIPTS)}")


@cache
def converter(config: str) -> Any:
    """The OpenCC converter for ``config``, made once per process (loading dictionaries takes ms)."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - a declared dependency
        raise ConvertError("Traditional editions need the opencc package", hint="pip install opencc") from None
    return opencc.OpenCC(f"{config}.json")


_SURROGATES = re.compile("([\ud800-\udfff]+)")


def text_converter(config: str) -> Callable[[str], str]:
    """OpenCC's ``convert``, passing lone surrogates through (OpenCC takes UTF-8, which cannot
    hold them; the XML sanitising before this drops them, but a library user's document
    may have them). Looking for them only when encoding fails keeps the usual case free."""
    convert: Callable[[str], str] = converter(config).convert

    def safe(text: str) -> str:
        try:
            return convert(text)
        except UnicodeEncodeError:
            return "".join(part if i % 2 else convert(part) for i, part in enumerate(_SURROGATES.split(text)))

    return safe


def _cut(text: str, run: list[str], start: int) -> list[str]:
    """``text[start:]`` cut into strings as long as ``run``'s."""
    out = []
    for value in run:
        end = start + len(value)
        out.append(text[start:end])
        start = end
    return out


def convert_runs(runs: list[list[str]], config: str) -> list[list[str]]:
    """Every string of ``runs`` converted, as OpenCC converts each run's joined text."""
    convert = text_converter(config)
    joined = ["".join(run) for run in runs]
    whole = "\n".join(joined)
    done = convert(whole)
    size = len(done)
    if size == len(whole):  # the usual case: one call for the whole document
        out, position = [], 0
        for run, text in zip(runs, joined, strict=True):
            end = position + len(text)
            if end < size and done[end] != "\n":  # lengths moved between runs: go run by run
                break
            out.append([done[position:end]] if len(run) == 1 else _cut(done, run, position))
            position = end + 1  # past the newline between runs
        else:
            return out
    out = []
    for run, text in zip(runs, joined, strict=True):
        converted = convert(text)
        if len(converted) == len(text):
            out.append(_cut(converted, run, 0))
        else:  # a phrase changed length: convert the run's strings one by one
            out.append([convert(value) for value in run])
    return out


@dataclass(frozen=True)
class ScriptConversion:
    """The transform: every text of the document in the edition's script, its language and edition set."""

    edition: Edition

    @property
    def name(self) -> str:
        return f"script:{self.edition.script}"

    def text(self, value: str) -> str:
        return text_converter(self.edition.config)(value) if value else value

    def apply(self, document: Document) -> Transformed:
        config = self.edition.config
        return Transformed(map_texts(document, lambda runs: convert_runs(runs, config),
                                     language=self.edition.language, edition=self.edition.edition))

    def apply_book(self, book: Book) -> Book:
        """The book's title, language and table of contents (folder names, article titles)."""
        meta: BookMeta = replace(book.meta, title=self.text(book.meta.title), language=self.edition.language,
                                 edition=self.edition.edition)
        return replace(book, meta=meta, contents=map_titles(book.contents, self.text))


__all__ = ["DEFAULT_SCRIPT", "EDITIONS", "SCRIPTS", "Edition", "ScriptConversion", "convert_runs", "converter", "text_converter",
           "edition_for"]
