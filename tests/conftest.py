"""In CI every tool the tests use is installed (.ci/run): a skip for a missing tool there
would hide a failure, so it fails instead."""

from __future__ import annotations

import os

import pytest

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
