"""Turn a seed file's bytes into text: detect the encoding, refuse what is not text.

The crawlers wrote UTF-8; corpora copied through Windows tools arrive as GB18030/GBK,
UTF-8 with a byte-order mark, UTF-16 with a byte-order mark, or with CRLF line ends.
A file that is none of these is refused with a reason; nothing is ever decoded with
replacement characters.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from ..errors import DecodeError, NotASeedError

# Magic numbers of the files most often renamed to .txt by mistake.
_MAGIC = (
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/EPUB)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0", "an Office 97 document"),
    (b"{\\rtf", "an RTF document"),
)

# How many valid multi-byte UTF-8 characters before an invalid byte make a file
# "UTF-8 with a broken byte" rather than "some other encoding": GBK text almost never
# forms even one valid UTF-8 sequence by chance.
_UTF8_EVIDENCE = 3
# Share of Han characters that must be common (GB2312) for a GB18030 decoding to be
# believed; Big5 or Shift-JIS bytes decoded as GBK give mostly rare characters.
_GB_COMMON_SHARE = 0.8
_GB_MIN_HAN = 8


@dataclass(frozen=True)
class Decoded:
    text: str  # with line ends normalized to "\n"
    encoding: str
    line_ending: str  # "lf" or "crlf"


def decode(data: bytes, path: str | None = None) -> Decoded:
    if not data.strip(b" \t\r\n"):
        raise NotASeedError("empty file", path)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotASeedError(f"this is {what}, not a text file", path)

    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data[3:], "utf-8", path), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(data, "utf-16", path), "utf-16"
    else:
        # A stray NUL is a control character to drop; many are a binary file.
        nuls = data.count(b"\x00")
        if nuls > max(2, len(data) // 100):
            nul = data.find(b"\x00")
            raise NotASeedError(
                f"contains {nuls} NUL bytes (first at byte {nul}): a binary file, or UTF-16 without a byte-order mark",
                path,
            )
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            text, encoding = _not_utf8(data, exc, path), "gb18030"

    crlf = "\r\n" in text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, encoding, "crlf" if crlf else "lf")


def _strict(data: bytes, encoding: str, path: str | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DecodeError(f"invalid {encoding.upper()} at byte {exc.start} (line {line})", path) from None


def _not_utf8(data: bytes, exc: UnicodeDecodeError, path: str | None) -> str:
    prefix = data[: exc.start].decode("utf-8")
    if sum(1 for ch in prefix if ord(ch) > 0x7F) >= _UTF8_EVIDENCE:
        line = data[: exc.start].count(b"\n") + 1
        raise DecodeError(
            f"invalid UTF-8 at byte {exc.start} (line {line}, byte {data[exc.start]:#04x}) in a file that is otherwise UTF-8",
            path,
            hint="the file is damaged; repair or re-save it as UTF-8",
        )
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as gb_exc:
        raise DecodeError(
            f"neither UTF-8 (invalid at byte {exc.start}) nor GB18030 (invalid at byte {gb_exc.start})", path
        ) from None
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if len(han) >= _GB_MIN_HAN:
        common = sum(1 for ch in han if _in_gb2312(ch))
        if common / len(han) < _GB_COMMON_SHARE:
            raise DecodeError(
                f"not UTF-8, and as GB18030 it reads as garbage ({100 - 100 * common // len(han)}% rare characters):"
                " probably Big5 or Shift-JIS",
                path,
            )
    return text


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False
