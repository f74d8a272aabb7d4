"""One table of diagnostic codes (convert/diagnostics.py): every code the source reports is in
it with the level it is reported at, nothing in it is stale, and the README lists them all."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from convert.diagnostics import CODES, describe

ROOT = Path(__file__).resolve().parent.parent


def codes_in_source(folder: Path = ROOT / "convert") -> dict[str, set[tuple[str, str]]]:
    """code -> {(level, file)} for every ``warning("code", …)``, ``info("code", …)`` and
    ``Diagnostic("level", "code", …)`` written with a literal code."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    files = sorted(folder.rglob("*.py"))
    assert len(files) > 20, folder
    for path in files:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            literal = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            where = path.name
            if name in ("warning", "info") and literal[:1] and literal[0]:
                found[literal[0]].add((name, where))
            elif name == "Diagnostic" and len(literal) >= 2 and literal[0] and literal[1]:
                found[literal[1]].add((literal[0], where))
    return found


def test_every_code_the_source_reports_is_in_the_table_at_its_level():
    used = codes_in_source()
    assert len(used) >= 20  # the scan found the codes (a broken scan would pass anything)
    unlisted = sorted(code for code in used if code not in CODES)
    assert unlisted == [], f"add these to convert/diagnostics.py: {unlisted}"
    wrong_level = sorted((code, level, where) for code, uses in used.items() for level, where in uses if level != CODES[code].level)
    assert wrong_level == []


def test_no_code_in_the_table_is_stale():
    used = codes_in_source()
    assert sorted(set(CODES) - set(used)) == []


def test_the_scan_sees_a_new_code(tmp_path):
    package = tmp_path / "convert"
    package.mkdir()
    for n in range(21):
        (package / f"m{n}.py").write_text(f'info("code-{n}", "x")\nDiagnostic("warning", "other-{n}", "y")\n')
    assert {"code-3", "other-20"} <= set(codes_in_source(package)) - set(CODES)


def test_the_readme_lists_every_code_with_its_meaning():
    readme = (ROOT / "README.md").read_text("utf-8")
    missing = [code for code in CODES if f"| `{code}` |" not in readme]
    assert missing == []
    assert describe("missing-image").startswith("a picture's file is missing") and "not a known" in describe("nope")


def test_every_code_is_listed_once():
    from convert.diagnostics import TABLE

    names = [code.name for code in TABLE]
    assert len(names) == len(set(names)) == len(CODES), sorted(n for n in names if names.count(n) > 1)


def test_the_readme_lists_each_code_once():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert [code for code in CODES if readme.count(f"| `{code}` |") != 1] == []
