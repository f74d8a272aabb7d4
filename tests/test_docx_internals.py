"""The DOCX writer's modules use each other's public names only."""

from __future__ import annotations

import ast
from pathlib import Path

DOCX = Path(__file__).resolve().parent.parent / "convert" / "writers" / "docx"


def test_no_module_imports_another_modules_private_helpers() -> None:
    private = []
    for path in DOCX.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                private += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert private == []
