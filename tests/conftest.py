"""In CI every tool the tests use is installed (.ci/run): a skip for a missing tool there
would hide a failure, so it fails instead."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from convert.model import Emphasis, Heading, Image, LineBreak, Link, ListBlock, Paragraph, Quote, Strong, Table, Text

_MISSING_TOOL = ("not installed", "no Java runtime", "is missing")

SEEDS_ROOT = Path(__file__).resolve().parent.parent / "seeds"
#: Set to 1 to rewrite golden and fixture files from the current output (never in CI).
REGENERATE_FLAG = "CONVERT_REGENERATE_GOLDEN"


@pytest.fixture(scope="session")
def regenerate_golden() -> bool:
    """Whether golden files are rewritten instead of compared. Under CI that would make every
    golden test pass by definition, so it fails instead."""
    regenerate = os.environ.get(REGENERATE_FLAG) == "1"
    if regenerate and os.environ.get("CI"):
        pytest.fail(f"{REGENERATE_FLAG} is set under CI: golden files would be rewritten, not compared")
    return regenerate


def bundled_seeds() -> list[Path]:
    """Every bundled seed article, sorted. Never empty: a test over no seeds would pass by accident."""
    files = sorted(p for p in SEEDS_ROOT.rglob("*.txt") if p.is_file())
    assert len(files) >= 10, f"expected the bundled seed articles under {SEEDS_ROOT}, found {len(files)}"
    return files


@pytest.fixture(scope="session")
def seeds_root() -> Path:
    return SEEDS_ROOT


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    return bundled_seeds()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # A test taking ``seed_file`` runs once per bundled seed, named by its path below seeds/.
    if "seed_file" in metafunc.fixturenames:
        files = bundled_seeds()
        metafunc.parametrize("seed_file", files, ids=[p.relative_to(SEEDS_ROOT).as_posix() for p in files])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped:
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if any(words in reason for words in _MISSING_TOOL):
            report.outcome = "failed"
            report.longrepr = f"CI installs every tool the tests use, but this test skipped: {reason}"


@pytest.fixture
def every_kind_of_node() -> tuple:
    """One of each block and inline, nested the ways readers make them."""
    inline = (Text("甲"), Strong((Text("乙"), Emphasis((Text("丙"),)))), LineBreak(), Link((Text("丁"),), "https://例.cn/"))
    return (
        Heading(2, (Text("小标题"),)),
        Paragraph(inline),
        Image("图片/0.jpg", "/x/图片/0.jpg", "图1"),
        ListBlock(True, ((Paragraph((Text("一"),)),), (Image("图片/1.jpg"), Quote((Paragraph((Text("二"),)),))))),
        Quote((Image("图片/2.jpg"),)),
        Table((((Text("表头"),), ()), ((Text("格"),), (Strong((Text("粗"),)),))), header_rows=1),
    )


@pytest.fixture
def deep_quotes() -> Callable[[tuple], tuple]:
    """Blocks wrapped in 5,000 quotes: far past Python's recursion limit, as hostile HTML nests."""

    def nest(inner: tuple) -> tuple:
        blocks = inner
        for _ in range(5000):
            blocks = (Quote(blocks),)
        return blocks

    return nest


STYLE = "font-size:16px;margin-top:15px;line-height:25px;text-indent:30px"


@pytest.fixture(scope="session")
def unit() -> Callable[..., str]:
    """One paragraph unit of the crawler's template, with the two ideographic spaces of indent."""

    def make(text: str, style: str = STYLE) -> str:
        return f"<div><span style='{style}'> \u3000\u3000{text}</span></div><div>&nbsp;</div>"

    return make


def write_long_notice(folder: Path, name: str = "notice.txt") -> Path:
    """The 通知公告 seed with the bundled articles' Chinese prose as its body, three times over,
    ending with an issuer and a date line: pages of full lines to count in the GB/T 9704
    (``--style gongwen``) layout. Written as a seed file ``name`` in ``folder``."""
    seeds = SEEDS_ROOT
    bodies = []
    for path in sorted(seeds.rglob("*.txt")):
        if path.is_file():
            text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[-1])
            han = sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
            if len(text.strip()) > 40 and han > 0.9 * len(text.strip()):  # Chinese prose, as a notice is
                bodies.append(text.strip())
    source = seeds / "网络聚焦" / "通知公告" / "2019-12-01" / "关于做好2019年度考核工作的通知.txt"
    title, body = source.read_text(encoding="utf-8").split("\n", 1)
    paragraphs = "".join(f"<p>{text}</p>" for text in bodies) * 3
    notice = folder / name
    notice.parent.mkdir(parents=True, exist_ok=True)
    notice.write_text(f"{title}\n{body.strip()}{paragraphs}<p>某某市人民政府办公室</p><p>2019年12月1日</p>\n",
                      encoding="utf-8")
    return notice


@pytest.fixture(scope="session")
def long_notice() -> Callable[..., Path]:
    """:func:`write_long_notice`, for tests of the GB/T 9704 layout."""
    return write_long_notice


def pdftotext_lines(pdf: Path) -> list[list[tuple[float, float, float, str]]]:
    """Per page, each text line as (x min, x max, y min, text) in points from the page's top
    left, from ``pdftotext -bbox-layout`` (poppler-utils), as the GB/T 9704 tests count them."""
    xhtml = "{http://www.w3.org/1999/xhtml}"
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True, huge_tree=True))
    pages = []
    for page in root.iter(f"{xhtml}page"):
        pages.append([(float(line.get("xMin")), float(line.get("xMax")), float(line.get("yMin")),
                       "".join(w.text or "" for w in line.iter(f"{xhtml}word"))) for line in page.iter(f"{xhtml}line")])
    return pages


@pytest.fixture(scope="session")
def bbox_lines() -> Callable[[Path], list[list[tuple[float, float, float, str]]]]:
    """:func:`pdftotext_lines`, for tests of the GB/T 9704 layout."""
    return pdftotext_lines
