"""In CI every tool the tests use is installed (.ci/run): a skip for a missing tool there
would hide a failure, so it fails instead."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from convert.model import Emphasis, Heading, Image, LineBreak, Link, ListBlock, Paragraph, Quote, Strong, Table, Text

_MISSING_TOOL = ("not installed", "no Java runtime", "is missing")


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
