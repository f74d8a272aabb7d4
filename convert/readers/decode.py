"""Turn a seed file's bytes into text: detect the encoding, refuse what is not text.

The crawlers wrote UTF-8; corpora copied through Windows tools arrive as GB18030/GBK,
UTF-8 with a byte-order mark, UTF-16 with a byte-order mark, or with CRLF line ends.
A file that is none of these is refused with a reason; nothing is ever decoded with
replacement characters.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..errors import DecodeError, InputTooLargeError, NotASeedError, ReadError
from ..untrusted import DEFAULT_MAX_SIZE, Refused, read_input

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
# The 500 most frequent characters of modern Chinese text (after the classic frequency lists).
_FREQUENT = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行"
    "学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前"
    "外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军"
    "很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别"
    "她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油"
    "思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才"
    "科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿"
    "千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按"
    "格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
)
_FREQUENT_SHARE = 0.35
_FREQUENT_MIN_HAN = 40


def load(path: Path, max_size: int | None = DEFAULT_MAX_SIZE, root: Path | None = None) -> bytes:
    """An input file's bytes, opened once without following links (see :mod:`convert.untrusted`):
    one outside ``root``, not a regular file, or larger than ``max_size`` is refused unread."""
    try:
        return read_input(path, root, max_size)
    except Refused as exc:
        if exc.too_large:
            raise InputTooLargeError(f"file {exc.strerror}", path) from None
        raise NotASeedError(exc.strerror or "refused", path, hint="leave it out of the input") from None
    except OSError as exc:
        raise read_error(path, exc) from None


def read_error(path: Path, exc: OSError) -> ReadError:
    """A :class:`ReadError` whose hint fits the cause: a missing file, a folder, or permissions."""
    if isinstance(exc, FileNotFoundError):
        hint = "check the path: no such file"
    elif isinstance(exc, IsADirectoryError):
        hint = "this is a folder: pass a file, or convert the folder with convert_tree / the convert command"
    elif isinstance(exc, PermissionError):
        hint = "check the file's permissions"
    else:
        hint = "check that the file can be read"
    return ReadError(f"cannot read file: {exc.strerror or exc}", path, hint=hint)


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
        _check_utf16(text, path)
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
    _check_reads_as_chinese(text, path)
    return text


def _plausible(ch: str) -> bool:
    """A character news text is made of: ASCII, Latin-1, CJK ideographs and punctuation."""
    return (ch < "\u0250" or "\u2000" <= ch <= "\u206f" or "\u3000" <= ch <= "\u303f" or "\u3400" <= ch <= "\u9fff"
            or "\uff00" <= ch <= "\uffef" or "\U00020000" <= ch <= "\U0003134f" or ch == "\ufeff")


def _check_utf16(text: str, path: str | None) -> None:
    """A byte-order mark makes any even run of bytes decode as UTF-16, and pairs of ASCII bytes
    decode as CJK ideographs (``garbage`` reads 牡慢敧…): believe it only where it reads as a
    seed does, with line breaks or markup, as Chinese, and without many unlikely characters."""
    if not any(ch < "\x80" for ch in text):
        raise DecodeError("starts with a UTF-16 byte-order mark, but as UTF-16 it has no line break, space or markup:"
                          " not a text file", path)
    visible = [ch for ch in text if not ch.isspace()]
    odd = sum(1 for ch in visible if not _plausible(ch))
    if visible and odd / len(visible) > 0.1:
        raise DecodeError(f"starts with a UTF-16 byte-order mark, but as UTF-16 it reads as garbage ({100 * odd // len(visible)}%"
                          " of its characters are neither Chinese, Latin nor punctuation)", path)
    _check_reads_as_chinese(text, path, "starts with a UTF-16 byte-order mark, but as UTF-16")


def _check_reads_as_chinese(text: str, path: str | None, decoded_as: str = "not UTF-8, and as GB18030") -> None:
    """GB18030 decodes most byte soups: believe it only where the result reads as Chinese.

    Big5 and Shift-JIS bytes give mostly characters outside GB2312; EUC-KR bytes give
    GB2312 characters, but not the frequent ones (real news text: 70-90% of its characters
    are among the 500 most frequent; Korean decoded as GBK: about 15%).
    """
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return
    common = sum(1 for ch in han if _in_gb2312(ch))
    if common / len(han) < (_GB_COMMON_SHARE if len(han) >= _GB_MIN_HAN else 0.5):
        raise DecodeError(
            f"{decoded_as} it reads as garbage ({100 - 100 * common // len(han)}% rare characters):"
            " probably Big5, Shift-JIS or a Western code page",
            path,
        )
    if len(han) >= _FREQUENT_MIN_HAN:
        frequent = sum(1 for ch in han if ch in _FREQUENT)
        if frequent / len(han) < _FREQUENT_SHARE:
            raise DecodeError(
                f"{decoded_as} it does not read as Chinese (only {100 * frequent // len(han)}% of its"
                " characters are common ones): probably EUC-KR or another double-byte encoding",
                path,
            )


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False
