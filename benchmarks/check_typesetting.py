"""Count Chinese typesetting defects in PDFs, from glyph positions (issue 11's checker).

    python benchmarks/check_typesetting.py out/ [more.pdf ...] [--source seeds/] [--json]

Glyphs come from ``mutool trace`` (MuPDF): for every drawn glyph its Unicode value, glyph
id, pen position, font size and natural advance (the font's width for that glyph). Lines
are rebuilt from the glyphs themselves (same baseline, sorted left to right) rather than
taken from a text extractor's guesses. ``pdffonts`` tells which fonts are embedded and
``pdftotext`` gives the reading order. ``--source DIR`` maps ``PDFROOT/a/b.pdf`` to
``DIR/a/b.txt`` (or the one ``b.txt`` under DIR) and reads it with the project's reader,
which enables the character and reading-order checks and settles ASCII word breaks.

The rules (clreq, "Requirements for Chinese Text Layout", W3C, sections 3.1 and 3.2):

body text
    The body size is the most common glyph size of the document; a rebuilt line is body
    text when most of its glyphs have that size (within 15 %), which leaves out the title,
    the metadata line and page numbers.
paragraphs
    Writers indent a paragraph's first line (2 em; LibreOffice also keeps the two U+3000
    of the seed): a body line starting 1.5 em or more right of the frame's left edge begins
    a paragraph, and so does a line more than 1.25 line pitches below the previous one on
    its page (pictures, spacer lines). A paragraph continues across a page break unless
    the first line on the new page is indented. The frame's left edge is the leftmost line
    start seen twice (2 em left of the only start when all lines start at one place, as in
    a document of one-line paragraphs). In a document without any indented line, a line
    after one that stops 3 em or more short of the right edge (the rightmost line end)
    begins a paragraph. On the 124-article corpus this finds exactly the source's 1,213
    paragraphs in our PDFs (LibreOffice's add its title line, set as body text).
split numbers and words (``split_runs``)
    Between two lines of one paragraph: the last glyph of the first and the first glyph of
    the next are both letters or digits (ASCII or full-width ``０-９ Ａ-Ｚ ａ-ｚ``), as in
    ``４０６|７名`` ``１９|９８年`` ``ＳＯ|Ｓ``; or a number is cut at its inner punctuation,
    ``１１|．６％`` ``１／|３`` ``３：|２`` ``１２|％`` (``，`` only as a thousands separator:
    three digits follow). Two ASCII letters/digits may legitimately meet at a break when a
    space stood between them (``iPhone|11``): with ``--source`` the source text decides;
    without it, ASCII letter pairs are not counted. A run filling the whole first line is
    longer than a line and may be cut: it is counted apart (``long_runs_cut``).
prohibited line starts (``bad_starts``)
    A line other than a paragraph's first starting with one of
    ``，。、；：？！）》」』”’〉】〕〗〙〛］｝…·・％‰々〻ー．／`` , an ASCII ``,.;:?!)]}%``
    or a small kana (clreq 3.1.7 行首禁则, plus ``．`` and ``／`` of numbers).
prohibited line ends (``bad_ends``)
    A line other than a paragraph's last ending with ``“‘（《「『〈【〔〖〘〚［｛`` or ASCII
    ``([{`` (行尾禁则).
split dashes and ellipses (``split_dashes``)
    ``—|—`` or ``…|…`` across lines of one paragraph (clreq 3.1.7: 不可分割); these are not
    counted again as prohibited starts.
punctuation pairs (``pairs``, ``pairs_compressed``)
    Two adjacent full-width punctuation marks on one line, from
    ``，。、；：？！“”‘’（）《》「」『』〈〉【】〔〕〖〗`` (clreq 3.1.6 标点挤压). The pair's set
    width runs from the first mark's pen position to the pen position of the glyph after
    the second (or the second's natural advance at a line end), less the line's added
    letter-spacing; at most 1.6 em (1.5 em and 0.1 em tolerance) counts as compressed.
    ``pairs_narrow`` counts the compressed pairs where one mark's own glyph is narrower than
    0.75 em: proportional quotes from a Latin font (WeasyPrint sets ``“”`` in DejaVu Serif)
    or half-width forms, not a full-width mark moved closer.
Han and Latin (``han_latin``, ``han_latin_spaced``; information, no target)
    Adjacent glyphs on a line, a Han character and an ASCII letter or digit (no space glyph
    between them), and how many of them are set 0.15 em or more apart beyond the line's
    letter-spacing (clreq 3.2's quarter em, with tolerance).
one-character last lines (``lone_last``, ``lone_han_punct``)
    孤字: the last line of a paragraph of two or more lines holds one glyph (punctuation
    counts as a character). ``lone_han_punct`` counts separately last lines of one Han
    character followed only by punctuation (``了。”``).
widows and orphans (``orphans``, ``widows``)
    A paragraph's first line alone at the foot of a page (orphan) or its last line alone at
    the head of the next (widow).
added letter-spacing (``spacing_p95_em``, ``spacing_max_em``)
    For each justified line (not a paragraph's last, at least two glyphs) the median, over
    neighbouring glyphs that are not spaces and not a punctuation pair, of (pen advance -
    natural advance) / body size. Percentile and maximum over all such lines.
missing characters (``notdef``, ``missing``)
    ``notdef``: glyphs drawn with glyph id 0, extracted as U+FFFD, or whose outline in the
    embedded font (read with pikepdf and fontTools) is empty or the .notdef box's, for a
    character that is not white space or a format character (boxes and blanks). ``missing``
    (with ``--source``): characters of the title and paragraphs (white space ignored)
    absent from the page's glyphs other than boxes, counted as a multiset: a character
    drawn as a box is missing.
fonts and order (``fonts_not_embedded``, ``paragraphs_out_of_order``)
    Fonts ``pdffonts`` lists as not embedded; with ``--source``, paragraphs not found in
    order in ``pdftotext`` output (white space, hyphens, which pdftotext drops at line ends,
    and page-number lines removed).
pictures (``pictures``, ``pictures_enlarged``, ``pictures_too_wide``)
    Effective resolution = pixel width / drawn width in inches. Enlarged: below 150 ppi
    (drawn larger than its pixels at 150 ppi). Too wide: drawn wider than the text frame
    (leftmost line start to the rightmost end of a line that is not a paragraph's last;
    not judged in a document without such a line).

Limits: horizontal text in one column (glyphs on one baseline make one line); paragraphs
are found from indents and gaps, not from tags; a pair at a line end is judged from the
second mark's natural advance, so trimming at the line end is not seen; boxes are judged
in embedded TrueType and CFF programs (Type 1 and Type 3 fonts only by glyph id 0);
without ``--source`` ASCII letters meeting at a break are not judged.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdf_glyphs import (  # noqa: E402
    SPACES,
    Glyph,
    Line,
    build_lines,
    count_boxes,
    extracted_text,
    fonts_not_embedded,
    order_key,
    trace,
)

ROOT = Path(__file__).resolve().parent.parent

FW_DIGITS = {chr(c) for c in range(0xFF10, 0xFF1A)}
FW_ALNUM = FW_DIGITS | {chr(c) for c in range(0xFF21, 0xFF3B)} | {chr(c) for c in range(0xFF41, 0xFF5B)}
SMALL_KANA = set("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
BAD_START = set("，。、；：？！）》」』”’〉】〕〗〙〛］｝…·・％‰々〻ー．／,.;:?!)]}%") | SMALL_KANA
BAD_END = set("“‘（《「『〈【〔〖〘〚［｛([{")
PAIR_PUNCT = set("，。、；：？！“”‘’（）《》「」『』〈〉【】〔〕〖〗")
# punctuation inside a number: 11.6%  1/3  3:2  1,200  12%
NUM_INNER = set("．／：.:/")
NUM_COMMA = set("，,")
PERCENT = set("％%‰")


def is_alnum(ch: str) -> bool:
    return (ch.isascii() and ch.isalnum()) or ch in FW_ALNUM


def is_digit(ch: str) -> bool:
    return ("0" <= ch <= "9") or ch in FW_DIGITS


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


@dataclass
class Result:
    file: str
    pages: int = 0
    lines: int = 0
    paragraphs: int = 0
    split_runs: int = 0
    long_runs_cut: int = 0
    bad_starts: int = 0
    bad_ends: int = 0
    split_dashes: int = 0
    pairs: int = 0
    pairs_compressed: int = 0
    pairs_narrow: int = 0
    han_latin: int = 0
    han_latin_spaced: int = 0
    lone_last: int = 0
    lone_han_punct: int = 0
    orphans: int = 0
    widows: int = 0
    spacing: list[float] = field(default_factory=list)
    pair_kinds: dict[str, list[int]] = field(default_factory=dict)  # "。”": [compressed, total]
    notdef: int = 0
    missing: int | None = None
    fonts_not_embedded: int = 0
    paragraphs_out_of_order: int | None = None
    pictures: int = 0
    pictures_enlarged: int = 0
    pictures_too_wide: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None

    def note(self, kind: str, text: str) -> None:
        self.examples.setdefault(kind, [])
        if len(self.examples[kind]) < 5:
            self.examples[kind].append(text)


# -- the source -------------------------------------------------------------------------

def source_for(pdf: Path, root: Path | None, source: Path) -> Path | None:
    if source.is_file():
        return source
    if root is not None and root != pdf:
        candidate = source / pdf.relative_to(root).with_suffix(".txt")
        if candidate.is_file():
            return candidate
    matches = [p for p in source.rglob(pdf.stem + ".txt") if p.is_file()]
    return matches[0] if len(matches) == 1 else None


def source_texts(path: Path) -> list[str]:
    """Title and paragraphs of a seed file, as the project's reader sees them."""
    if str(ROOT) not in sys.path:  # this checkout's reader, not whichever convert is installed
        sys.path.insert(0, str(ROOT))
    import convert
    from convert.model import Heading, Paragraph, plain_text, walk_blocks

    document = convert.read(path).document
    blocks = walk_blocks(document.blocks)
    return [document.meta.title] + [plain_text(b.content) for b in blocks if isinstance(b, (Paragraph, Heading))]


# -- the checks -------------------------------------------------------------------------

def split_kind(a: list[Glyph], b: list[Glyph], source: str | None) -> str | None:
    """'split' when the break between line ``a`` and line ``b`` cuts a number or word."""
    x, y = a[-1].ch, b[0].ch
    x2 = a[-2].ch if len(a) > 1 else ""
    after = "".join(g.ch for g in b[:5])
    cut = False
    if is_alnum(x) and is_alnum(y):
        if x.isascii() and y.isascii() and not (is_digit(x) and is_digit(y)):
            if source is None:
                return None
            tail = "".join(g.ch for g in a[-6:])
            head = "".join(g.ch for g in b[:6])
            cut = (tail + head) in source or (tail + " " + head) not in source
        else:
            cut = True
    elif is_digit(x) and y in PERCENT:
        cut = True
    elif is_digit(x) and y in NUM_INNER and len(after) > 1 and is_digit(after[1]):
        cut = True
    elif is_digit(x) and y in NUM_COMMA and re.match(r"^.\d{3}(\D|$)", _ascii_digits(after)):
        cut = True
    elif x in NUM_INNER and is_digit(x2) and is_digit(y):
        cut = True
    elif x in NUM_COMMA and is_digit(x2) and re.match(r"^\d{3}(\D|$)", _ascii_digits(after)):
        cut = True
    if not cut:
        return None
    if all(is_alnum(g.ch) or g.ch in NUM_INNER | NUM_COMMA | PERCENT or (g.ch.isascii() and not g.ch.isspace()) for g in a):
        return "long"
    return "split"


def _ascii_digits(text: str) -> str:
    return "".join(chr(ord(c) - 0xFF10 + 48) if c in FW_DIGITS else c for c in text)


def paragraphs_of(lines: list[Line], left: float, right: float, em: float) -> list[list[Line]]:
    pitches = [b.y - a.y for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and b.y > a.y]
    usual = Counter(round(p, 1) for p in pitches if p <= 3 * em).most_common(1)
    pitch = usual[0][0] if usual else em * 1.5
    paragraphs: list[list[Line]] = []
    previous: Line | None = None
    # Short lines end paragraphs only where nothing is indented: a writer that indents may
    # also leave a line short before an unbreakable URL.
    any_indent = any(line.x0 - left >= 1.5 * em for line in lines)
    for line in lines:
        indented = line.x0 - left >= 1.5 * em
        gap = previous is not None and previous.page == line.page and line.y - previous.y > 1.25 * pitch + 0.01
        short = not any_indent and previous is not None and previous.x1 < right - 3 * em
        if previous is None or indented or gap or short:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
        previous = line
    return paragraphs


def line_spacing(line: Line, em: float) -> float | None:
    ink = line.ink
    extras = []
    for g, h in zip(ink, ink[1:], strict=False):
        if g.ch in SPACES or h.ch in SPACES or (g.ch in PAIR_PUNCT and h.ch in PAIR_PUNCT):
            continue
        extras.append((h.x - g.x - g.adv) / em)
    return statistics.median(extras) if extras else None


def check(pdf: Path, root: Path | None = None, source: Path | None = None) -> Result:
    result = Result(str(pdf))
    glyphs, pictures, result.pages = trace(pdf)
    boxes = count_boxes(pdf, glyphs)
    result.notdef = len(boxes)
    for index in sorted(boxes):
        g = glyphs[index]
        result.note("notdef", f"p{g.page} {g.ch} ({g.font} glyph {g.gid})")
    result.fonts_not_embedded = fonts_not_embedded(pdf)
    texts: list[str] | None = None
    if source is not None:
        path = source_for(pdf, root, source)
        if path is None:
            result.error = "no source file found"
        else:
            texts = source_texts(path)
    source_joined = "\n".join(texts) if texts is not None else None

    sizes = Counter(g.size for g in glyphs if g.ch not in SPACES)
    lines = build_lines(glyphs)
    left = right = 0.0
    em = 0.0
    if sizes:
        em = sizes.most_common(1)[0][0]
        body = [line for line in lines
                if sum(1 for g in line.ink if abs(g.size - em) <= 0.15 * em) * 2 > len(line.ink)]
        result.lines = len(body)
    else:
        body = []
    paragraphs: list[list[Line]] = []
    if body:
        starts = Counter(round(line.x0, 1) for line in body)
        left = min((x for x, n in starts.items() if n >= 2), default=min(starts))
        if max(starts) - min(starts) < 0.5:  # every line starts at one place: all are indented first lines
            left -= 2 * em
        right = max(line.x1 for line in body)
        paragraphs = paragraphs_of(body, left, right, em)
        result.paragraphs = len(paragraphs)
        for paragraph in paragraphs:
            _check_paragraph(paragraph, em, result, source_joined)

    full = [line for paragraph in paragraphs for line in paragraph[:-1]] if body else []
    frame = max(line.x1 for line in full) - min(line.x0 for line in body) if full else None
    for picture in pictures:
        result.pictures += 1
        if picture.ppi < 149.5:
            result.pictures_enlarged += 1
            result.note("pictures_enlarged", f"p{picture.page}: {picture.width_px}px at {picture.ppi:.0f} ppi")
        if frame is not None and picture.drawn_pt > frame + 0.5:
            result.pictures_too_wide += 1

    if texts is not None:
        expected = Counter("".join("".join(texts).split()))
        got = Counter(g.ch for i, g in enumerate(glyphs) if i not in boxes and not g.ch.isspace())
        lost = expected - got
        result.missing = sum(lost.values())
        if lost:
            result.note("missing", "".join(sorted(lost))[:40])
        extracted = extracted_text(pdf)
        position, out_of_order = 0, 0
        for text in texts[1:]:
            needle = order_key(text)
            if not needle:
                continue
            found = extracted.find(needle, position)
            if found < 0:
                out_of_order += 1
            else:
                position = found + len(needle)
        result.paragraphs_out_of_order = out_of_order
    return result


def _check_paragraph(paragraph: list[Line], em: float, result: Result, source: str | None) -> None:
    for number, line in enumerate(paragraph):
        ink = line.ink
        last = number == len(paragraph) - 1
        spacing = line_spacing(line, em) if not last and len(ink) > 1 else None
        if spacing is not None:
            result.spacing.append(spacing)
        # punctuation pairs on the line
        for i in range(len(ink) - 1):
            g, h = ink[i], ink[i + 1]
            if g.ch in PAIR_PUNCT and h.ch in PAIR_PUNCT:
                end = ink[i + 2].x if i + 2 < len(ink) else h.x + h.adv
                width = (end - g.x) / em - 2 * max(spacing or 0.0, 0.0)
                result.pairs += 1
                kind = result.pair_kinds.setdefault(g.ch + h.ch, [0, 0])
                kind[1] += 1
                if width <= 1.6:
                    kind[0] += 1
                    result.pairs_compressed += 1
                    if min(g.adv, h.adv) < 0.75 * em:
                        result.pairs_narrow += 1
                else:
                    result.note("pairs_uncompressed", f"p{line.page} {g.ch}{h.ch} {width:.2f} em")
        # clreq 3.2: a quarter em between Han and Latin letters or ASCII digits
        for g, h in zip(ink, ink[1:], strict=False):
            if (is_han(g.ch) and h.ch.isascii() and h.ch.isalnum()) or (g.ch.isascii() and g.ch.isalnum() and is_han(h.ch)):
                result.han_latin += 1
                if (h.x - g.x - g.adv) / em - max(spacing or 0.0, 0.0) >= 0.15:
                    result.han_latin_spaced += 1
        if number and ink[0].ch in BAD_START:
            previous = paragraph[number - 1].ink
            if previous[-1].ch == ink[0].ch and ink[0].ch in "—…":
                pass
            else:
                result.bad_starts += 1
                result.note("bad_starts", f"p{line.page} |{line.text[:12]}")
        if not last and ink[-1].ch in BAD_END:
            result.bad_ends += 1
            result.note("bad_ends", f"p{line.page} {line.text[-12:]}|")
        if not last:
            following = paragraph[number + 1].ink
            if ink[-1].ch in "—…" and following[0].ch == ink[-1].ch:
                result.split_dashes += 1
                result.note("split_dashes", f"p{line.page} {line.text[-6:]}|{following and paragraph[number + 1].text[:6]}")
            cut = split_kind(ink, following, source)
            if cut == "split":
                result.split_runs += 1
                result.note("split_runs", f"p{line.page} {line.text[-8:]}|{paragraph[number + 1].text[:8]}")
            elif cut == "long":
                result.long_runs_cut += 1
    if len(paragraph) > 1:
        tail = paragraph[-1].text.replace(" ", "")
        if len(tail) == 1:
            result.lone_last += 1
            result.note("lone_last", f"p{paragraph[-1].page} {paragraph[-2].text[-8:]}|{tail}")
        elif len(tail) > 1 and is_han(tail[0]) and all(not is_han(c) and not is_alnum(c) for c in tail[1:]):
            result.lone_han_punct += 1
            result.note("lone_han_punct", f"p{paragraph[-1].page} {paragraph[-2].text[-8:]}|{tail}")
        pages = Counter(line.page for line in paragraph)
        if len(pages) > 1:
            if pages[paragraph[0].page] == 1:
                result.orphans += 1
                result.note("orphans", f"p{paragraph[0].page} {paragraph[0].text[:10]}")
            if pages[paragraph[-1].page] == 1:
                result.widows += 1
                result.note("widows", f"p{paragraph[-1].page} {paragraph[-1].text[:10]}")


# -- the report -------------------------------------------------------------------------

COLUMNS = ["pages", "paragraphs", "split_runs", "long_runs_cut", "bad_starts", "bad_ends", "split_dashes", "pairs",
           "pairs_compressed", "pairs_narrow", "han_latin", "han_latin_spaced", "lone_last", "lone_han_punct",
           "orphans", "widows", "notdef", "missing", "fonts_not_embedded", "paragraphs_out_of_order", "pictures",
           "pictures_enlarged", "pictures_too_wide"]


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(result: Result) -> dict[str, object]:
    row: dict[str, object] = {"file": result.file}
    for name in COLUMNS:
        row[name] = getattr(result, name)
    row["pairs_compressed_rate"] = round(result.pairs_compressed / result.pairs, 4) if result.pairs else None
    p95 = percentile(result.spacing, 0.95)
    row["spacing_p95_em"] = None if p95 is None else round(p95, 4)
    row["spacing_max_em"] = round(max(result.spacing), 4) if result.spacing else None
    row["pair_kinds"] = result.pair_kinds
    row["examples"] = result.examples
    if result.error:
        row["error"] = result.error
    return row


def totals(results: list[Result]) -> dict[str, object]:
    total: dict[str, object] = {"files": len(results), "errors": sum(1 for r in results if r.error)}
    for name in COLUMNS:
        values = [getattr(r, name) for r in results if getattr(r, name) is not None]
        total[name] = sum(values) if values else None
    pairs = sum(r.pairs for r in results)
    compressed = sum(r.pairs_compressed for r in results)
    total["pairs_compressed_rate"] = round(compressed / pairs, 4) if pairs else None
    kinds: dict[str, list[int]] = {}
    for r in results:
        for pair, (done, seen) in r.pair_kinds.items():
            kind = kinds.setdefault(pair, [0, 0])
            kind[0] += done
            kind[1] += seen
    total["pair_kinds"] = dict(sorted(kinds.items(), key=lambda item: -item[1][1]))
    spacing = [s for r in results for s in r.spacing]
    p95 = percentile(spacing, 0.95)
    total["spacing_p95_em"] = None if p95 is None else round(p95, 4)
    total["spacing_max_em"] = round(max(spacing), 4) if spacing else None
    return total


def missed_targets(total: dict[str, object]) -> list[str]:
    """Issue 11's acceptance figures that ``total`` misses (one-character last lines: 3 per 124 articles)."""
    def value(name: str) -> float:
        v = total.get(name)
        return float(v) if isinstance(v, (int, float)) else 0.0

    missed = [f"{name} {int(value(name))} (target 0)" for name in (
        "split_runs", "bad_starts", "bad_ends", "split_dashes", "orphans", "widows", "notdef", "missing",
        "fonts_not_embedded", "paragraphs_out_of_order", "pictures_enlarged", "pictures_too_wide") if value(name) > 0]
    if total.get("pairs") and value("pairs_compressed_rate") < 0.95:
        missed.append(f"pairs_compressed_rate {value('pairs_compressed_rate'):.1%} (target 95%)")
    if value("lone_last") > 3 * value("files") / 124:
        missed.append(f"lone_last {int(value('lone_last'))} (target 3 per 124 articles)")
    if value("spacing_p95_em") > 0.05:
        missed.append(f"spacing_p95_em {value('spacing_p95_em')} (target 0.05)")
    if value("spacing_max_em") > 0.25 + 1e-3:
        missed.append(f"spacing_max_em {value('spacing_max_em')} (target 0.25)")
    return missed


def _check_one(job: tuple[Path, Path | None, Path | None]) -> Result:
    pdf, root, source = job
    try:
        return check(pdf, root, source)
    except (subprocess.CalledProcessError, etree.XMLSyntaxError, OSError) as exc:
        failed = Result(str(pdf), error=f"{type(exc).__name__}: {exc}")
        print(f"check_typesetting: {pdf}: {failed.error}", file=sys.stderr)
        return failed


def collect(paths: list[Path]) -> list[tuple[Path, Path | None]]:
    found: list[tuple[Path, Path | None]] = []
    for path in paths:
        if not path.exists():
            raise SystemExit(f"check_typesetting: {path}: no such file or folder")
        if path.is_dir():
            found += [(p, path) for p in sorted(path.rglob("*.pdf"))]
        else:
            found.append((path, None))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="PDF files or folders of them")
    parser.add_argument("--source", type=Path, help="the seed files the PDFs were made from (folder or file)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (files and total)")
    parser.add_argument("--quiet", action="store_true", help="print the total only")
    parser.add_argument("--targets", action="store_true", help="exit with status 1 when issue 11's targets are missed")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="processes [1]")
    args = parser.parse_args(argv)
    if not shutil.which("mutool"):
        sys.exit("check_typesetting: mutool (mupdf-tools) is not installed")
    jobs = [(pdf, root, args.source) for pdf, root in collect(args.paths)]
    if args.jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(_check_one, jobs, chunksize=4))
    else:
        results = [_check_one(job) for job in jobs]
    total = totals(results)
    missed = missed_targets(total)
    status = 1 if args.targets and missed else 0
    if args.json:
        total["targets_missed"] = missed
        json.dump({"files": [summary(r) for r in results], "total": total}, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return status
    if not args.quiet:
        for result in results:
            row = summary(result)
            quiet = ("pairs", "pairs_compressed", "pairs_narrow", "han_latin", "han_latin_spaced", "pictures")
            flagged = {k: v for k, v in row.items() if k in COLUMNS[2:] and v and k not in quiet}
            print(f"{result.file}: {result.pages} pages, {result.pairs_compressed}/{result.pairs} pairs compressed"
                  + "".join(f", {k} {v}" for k, v in flagged.items()) + (f" [{result.error}]" if result.error else ""))
            for kind, examples in result.examples.items():
                print(f"    {kind}: " + "  ".join(examples))
    print_total(total)
    if args.targets:
        print("\nissue 11's targets: " + ("all met" if not missed else "missed: " + "; ".join(missed)))
    return status


def print_total(total: dict[str, object]) -> None:
    rate = total["pairs_compressed_rate"]
    print(f"\n{total['files']} PDFs ({total['errors']} with errors), {total['pages']} pages, {total['paragraphs']} paragraphs")
    rows = [
        ("numbers/words split across lines", total["split_runs"]),
        ("runs longer than a line, cut", total["long_runs_cut"]),
        ("prohibited line starts", total["bad_starts"]),
        ("prohibited line ends", total["bad_ends"]),
        ("split —— / ……", total["split_dashes"]),
        ("punctuation pairs compressed", f"{total['pairs_compressed']} of {total['pairs']}"
         + (f" ({rate:.1%})" if rate is not None else "")),
        ("  of which narrow glyphs, not compression", total["pairs_narrow"]),
        ("Han next to Latin/ASCII digits, spaced", f"{total['han_latin_spaced']} of {total['han_latin']}"),
        ("one-character last lines (孤字)", total["lone_last"]),
        ("  one Han + punctuation last lines", total["lone_han_punct"]),
        ("orphans (first line alone at a foot)", total["orphans"]),
        ("widows (last line alone at a head)", total["widows"]),
        ("added letter-spacing p95 / max (em)", f"{total['spacing_p95_em']} / {total['spacing_max_em']}"),
        ("glyphs drawn as .notdef", total["notdef"]),
        ("characters missing (with --source)", total["missing"]),
        ("fonts not embedded", total["fonts_not_embedded"]),
        ("paragraphs not in reading order", total["paragraphs_out_of_order"]),
        ("pictures / enlarged (<150 ppi) / too wide",
         f"{total['pictures']} / {total['pictures_enlarged']} / {total['pictures_too_wide']}"),
    ]
    for name, value in rows:
        print(f"{name:42} {value}")
    kinds = total.get("pair_kinds") or {}
    if isinstance(kinds, dict) and kinds:
        print("pairs by kind (compressed/total): " + "  ".join(f"{k} {d}/{n}" for k, (d, n) in list(kinds.items())[:16]))


if __name__ == "__main__":
    sys.exit(main())
