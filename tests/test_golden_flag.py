"""Golden and fixture files are compared, not rewritten, whenever the tests count.

CONVERT_REGENERATE_GOLDEN=1 rewrites them from the current output (run it on the one test
file whose outputs changed on purpose). A run that rewrites proves nothing, so the flag
must be off in CI, and CI must say it is CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAG = "CONVERT_REGENERATE_GOLDEN"


def test_the_regenerate_flag_is_off():
    # Fails a whole-suite run that rewrote golden files: that run compared nothing.
    assert os.environ.get(FLAG, "") in ("", "0"), f"{FLAG} is set: golden files were rewritten, not compared"


def test_the_ci_script_sets_ci_before_it_runs_the_tests():
    script = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    exports = [i for i, line in enumerate(script) if line.strip() in ("export CI=true", "export CI=1")]
    runs = [i for i, line in enumerate(script) if "-m pytest" in line and not line.lstrip().startswith("#")]
    assert exports and runs and exports[0] < runs[0]


def test_golden_tests_under_ci_with_the_flag_set_fail_instead_of_rewriting(tmp_path):
    golden = ROOT / "tests" / "golden" / "md" / "000_b01cef3071674085.md"
    before = golden.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_markdown_writer.py", "-k", "golden"],
        cwd=ROOT, capture_output=True, timeout=300, env={**os.environ, "CI": "true", FLAG: "1"},
    )
    out = proc.stdout.decode("utf-8", "replace")
    assert proc.returncode == 1 and f"{FLAG} is set under CI" in out, out
    assert golden.read_bytes() == before
