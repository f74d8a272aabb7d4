"""In CI every tool the tests use is installed (.ci/run): a skip for a missing tool there
would hide a failure, so it fails instead."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

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
