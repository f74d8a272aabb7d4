"""The seed reader: one crawled article (``.txt``) into a :class:`~convert.model.ReadResult`
(the document and what the reader noticed).

The body is parsed against the crawler's known template exactly, because its paragraph
text was written raw (not HTML-escaped): a literal ``<B & C>`` is text, and a generic
HTML parser would eat it. Bodies that do not follow the template go through the generic
lxml reader; bodies without HTML are the plain-text crawler's one-line-per-paragraph form.
See FORMAT.md for every variant handled here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..model import Block, Diagnostic, Document, Image, Metadata, Paragraph, ReadResult, info, text_paragraph, warning
from ..transforms.xml import dropped_control_chars
from ..typography import is_blank, strip_illegal, strip_indent
from ..untrusted import DEFAULT_MAX_SIZE, check_picture
from .decode import decode, load
from .paths import PICTURE_FOLDER, placement
from .title import TITLE_SUFFIX, ambiguity, parse_title_line

# The unit opener: <div><span style='…'> (quotes either way; the crawlers use single).
_OPEN = re.compile(r"""<div>\s*<span\s+style\s*=\s*(?:'[^'<>]*'|"[^"<>]*")\s*>""", re.IGNORECASE)
_CLOSE = "</span></div>"
_SPACER = r"<div>(?:\s|&nbsp;|\u00a0)*</div>"
# The three-line picture marker; each line ends with a space and a newline. The outer
# dash lines are optional so a marker mangled by an editor still counts as a picture.
_MARKER = r"(?:-{5,}[ \t]*\n[ \t]*)?-+这里有图片-+[ \t]*(?:\n[ \t]*-{5,}[ \t]*(?=\n|$))?"
_MARKER_RE = re.compile(_MARKER)
# What may stand between two units: spacers, markers, whitespace.
_TRAILER_RE = re.compile(rf"(?:\s|{_SPACER}|{_MARKER})*")
# A tag cut off by the end of the file: "<div><span style='font-size:16".
_TRUNCATED_TAG = re.compile(r"\s*(?:<div>\s*)?<[a-zA-Z/][^<>]*|\s*<div>\s*|\s*<")
_HTML_HINT = re.compile(
    r"<(?:p|div|br|span|table|h[1-6]|ul|ol|li|img|strong|b|em|i|a|html|body|section|article)\b[^<>]*>", re.IGNORECASE
)

def read_seed(path: str | Path, root: str | Path | None = None, max_size: int | None = DEFAULT_MAX_SIZE) -> ReadResult:
    """Read one seed file: its document and diagnostics. ``root`` is the input folder the
    category and date folders are read below."""
    path = Path(path)
    root_path = Path(root) if root is not None else None
    return parse_seed(load(path, max_size, root_path), path, root_path, max_size)


def parse_seed(data: bytes, path: Path, root: Path | None = None, max_size: int | None = DEFAULT_MAX_SIZE) -> ReadResult:
    """Parse seed bytes; ``path`` locates pictures and the category/date folders. Pictures
    must lie inside ``root`` (default: the file's folder) and be at most ``max_size`` bytes."""
    decoded = decode(data, str(path))
    text, dropped = strip_illegal(decoded.text)
    diagnostics: list[Diagnostic] = []
    if dropped:
        diagnostics.append(dropped_control_chars(dropped))

    first_line, body = _split_title_line(text)
    place = placement(path, root)
    title_line = parse_title_line(first_line, _file_name_hint(path), in_date_folder=place.date is not None)
    title = title_line.title
    if not title:
        title = parse_title_line(path.stem + TITLE_SUFFIX, None).title if path.suffix == TITLE_SUFFIX else path.stem
        diagnostics.append(warning("no-title", "line 1 holds no title; the title was taken from the file name"))
    if title_line.ambiguous:
        message = ambiguity(first_line, title_line)
        diagnostics.append(info("ambiguous-index", message))
    if len(title) > 1000:
        diagnostics.append(warning("long-title", f"the title is {len(title):,} characters long"))

    blocks, body_format, body_diags = parse_body(body)
    diagnostics.extend(body_diags)
    blocks = _resolve_images(blocks, path.parent, root if root is not None else path.parent, max_size, diagnostics)
    if not blocks:
        diagnostics.append(warning("empty-body", "the article has a title but no body text"))

    meta = Metadata(
        title=title,
        first_line=first_line,
        index=title_line.index,
        source=place.source,
        category=place.category,
        date=place.date,
        date_folder=place.date_folder,
        encoding=decoded.encoding,
        line_ending=decoded.line_ending,
        body_format=body_format,
    )
    return ReadResult(Document(meta, tuple(blocks)), tuple(diagnostics))


# ---------------------------------------------------------------- line 1


def _split_title_line(text: str) -> tuple[str, str]:
    newline = text.find("\n")
    line, body = (text, "") if newline < 0 else (text[:newline], text[newline + 1 :])
    # One crawler forgot the newline: the title runs straight into the first unit.
    glued = _OPEN.search(line) or re.search(r"<div>", line)
    if glued and glued.start() > 0:
        return line[: glued.start()], line[glued.start() :] + ("\n" + body if newline >= 0 else "")
    if glued and glued.start() == 0:
        return "", text
    return line, body


def _file_name_hint(path: Path) -> str | None:
    """The file's (or its picture folder's) own name, which may carry the index line 1 lacks."""
    name = path.name
    if name.endswith(TITLE_SUFFIX):
        return name[: -len(TITLE_SUFFIX)]
    return None


# ---------------------------------------------------------------- body


def parse_body(body: str) -> tuple[list[Block], str, list[Diagnostic]]:
    """Blocks of a body, which of the three body forms it was, and what was noticed."""
    if _OPEN.search(body):
        blocks, diags = _parse_template(body)
        return blocks, "template", diags
    if _HTML_HINT.search(body):
        from .html import parse_fragment  # lxml loads only for bodies that need it (most are the template)

        blocks, diags = parse_fragment(body)
        return blocks, "html", diags
    return _parse_plain(body), "plain", []


def _parse_template(body: str) -> tuple[list[Block], list[Diagnostic]]:
    blocks: list[Block] = []
    diags: list[Diagnostic] = []
    openers = list(_OPEN.finditer(body))

    preamble = body[: openers[0].start()]
    if not _TRAILER_RE.fullmatch(preamble):
        diags.append(info("text-before-template", "text before the first paragraph unit was kept as plain paragraphs"))
        blocks.extend(_parse_plain(preamble))
    else:
        blocks.extend(_markers(preamble))

    # A unit's text runs from its opener to the last </span></div> that only spacers,
    # markers and whitespace follow before the next opener. An opener inside a unit's
    # raw text leaves no such close before it: it is text, and the units are merged.
    start = openers[0].end()
    for i in range(len(openers)):
        end = openers[i + 1].start() if i + 1 < len(openers) else len(body)
        segment = body[start:end]
        close = segment.rfind(_CLOSE)
        if close >= 0 and _TRAILER_RE.fullmatch(segment, close + len(_CLOSE)):
            blocks.extend(_unit(segment[:close]))
            blocks.extend(_markers(segment[close + len(_CLOSE) :]))
            start = openers[i + 1].end() if i + 1 < len(openers) else len(body)
        elif i + 1 < len(openers):
            continue  # the next opener is part of this unit's text
        elif close >= 0:
            # The file ends in something that is not a unit: a truncated tag, or stray text.
            blocks.extend(_unit(segment[:close]))
            rest = segment[close + len(_CLOSE) :]
            trailer = _TRAILER_RE.match(rest)
            assert trailer is not None  # the pattern matches the empty string
            trailer_end = trailer.end()
            blocks.extend(_markers(rest[:trailer_end]))
            leftover = rest[trailer_end:]
            if _TRUNCATED_TAG.fullmatch(leftover):
                diags.append(warning("truncated", "the file ends inside a tag (truncated?); the tag was left out"))
            else:
                diags.append(info("text-after-template", "text after the last paragraph unit was kept as plain paragraphs"))
                blocks.extend(_parse_plain(leftover))
        else:
            diags.append(warning("unclosed-unit", "the last paragraph unit is not closed (truncated file?); its text was kept"))
            blocks.extend(_unit(segment))
    return blocks, diags


def _unit(raw: str) -> list[Block]:
    """One unit's raw text; blank units (the text of a picture's own <p>) are not paragraphs."""
    text = strip_indent(raw)
    if is_blank(text):
        return []
    return [text_paragraph(text)]


def _markers(trailer: str) -> list[Block]:
    return [Image(src="") for _ in _MARKER_RE.finditer(trailer)]


def _parse_plain(body: str) -> list[Block]:
    """The plain-text crawler: one paragraph per line (two ASCII spaces first), markers between."""
    blocks: list[Block] = []
    pos = 0
    for marker in _MARKER_RE.finditer(body):
        blocks.extend(_plain_lines(body[pos : marker.start()]))
        blocks.append(Image(src=""))
        pos = marker.end()
    blocks.extend(_plain_lines(body[pos:]))
    return blocks


def _plain_lines(text: str) -> list[Paragraph]:
    out = []
    for line in text.split("\n"):
        stripped = strip_indent(line)
        if not is_blank(stripped):
            out.append(text_paragraph(stripped))
    return out


def _resolve_images(
    blocks: list[Block], folder: Path, root: Path, max_size: int | None, diagnostics: list[Diagnostic]
) -> list[Block]:
    """Give the n-th picture marker its file ``图片/{n}.jpg``; keep and report a missing one.

    A picture that leads outside the input tree, is not a regular file or is above
    ``max_size`` is refused like a missing one (placeholder and warning). A kept picture
    is named by its real path, which writers open again without following links."""
    pictures = folder / PICTURE_FOLDER
    resolved: list[Block] = []
    n = 0
    missing = []
    refused = []
    for block in blocks:
        if isinstance(block, Image) and block.src == "":
            src = f"{PICTURE_FOLDER}/{n}.jpg"
            found = _find_picture(pictures, n)
            real, reason = check_picture(found, root, max_size) if found is not None else (None, None)
            if reason:
                refused.append((src, reason))
            elif real is None:
                missing.append(src)
            resolved.append(Image(src=src, path=real, alt=f"图{n + 1}"))
            n += 1
        elif isinstance(block, Image) and block.path is None and block.src:
            candidate = folder / block.src
            real, reason = check_picture(candidate, folder, max_size)  # an HTML body's picture: inside its folder
            if reason:
                refused.append((block.src, reason))
            elif real is None:
                missing.append(block.src)
            resolved.append(Image(block.src, real, block.alt))
        else:
            resolved.append(block)
    for src in missing:
        diagnostics.append(warning("missing-image", f"picture {src} is missing; its position is kept as a placeholder"))
    for src, reason in refused:
        diagnostics.append(warning("refused-image", f"picture {src} {reason}; its position is kept as a placeholder"))
    return resolved


def _find_picture(pictures: Path, n: int) -> Path | None:
    exact = pictures / f"{n}.jpg"
    if os.path.lexists(exact):
        return exact
    if pictures.is_dir():
        for ext in (".jpeg", ".JPG", ".png", ".gif", ".webp", ".bmp"):
            other = pictures / f"{n}{ext}"
            if os.path.lexists(other):
                return other
    return None
