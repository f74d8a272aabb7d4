"""One article, one fresh process: how long the command takes, beside pandoc in the same run.

    python benchmarks/bench_startup.py                  # 15 runs of each
    python benchmarks/bench_startup.py --runs 31 --python .venv/bin/python --installed

Each case is run ``--runs`` times as a new process (as a user or a shell loop would) on the
real seed article; the table gives the median and the minimum of the wall time and of the
CPU time (user + system, from the kernel's accounting of the child). pandoc converts the
same article, as this toolkit's HTML, to DOCX and to Markdown. ``python -c pass`` is the
interpreter's own start-up on this machine (site-packages, .pth files), which every Python
command pays. The load average is printed: wall times mean little on a busy machine, CPU
times much more.

By default the command runs from this checkout (``PYTHONPATH``); ``--installed`` runs the
package installed in ``--python``'s environment instead. Byte-code caching is on (a
throw-away ``PYTHONPYCACHEPREFIX``), as in a normal installation, and one unmeasured run of
each case warms it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_b01cef3071674085.txt"


def measure(command: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    """Median and minimum wall and CPU seconds of ``runs`` fresh runs of ``command`` (after one warm-up)."""
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {"wall_median": statistics.median(walls), "wall_min": min(walls),
            "cpu_median": statistics.median(cpus), "cpu_min": min(cpus)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--python", default=sys.executable, help="the interpreter to run the command with")
    parser.add_argument("--installed", action="store_true", help="use the installed package, not this checkout")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    if not args.installed:
        env["PYTHONPATH"] = str(ROOT)
    convert = [args.python, "-m", "convert"]
    html = work / "article.html"
    subprocess.run([*convert, str(SEED), "-o", str(html)], env=env, check=True)

    cases: list[tuple[str, list[str]]] = [
        ("python -c pass (interpreter start-up)", [args.python, "-c", "pass"]),
        ("convert article.txt -o a.md", [*convert, str(SEED), "-o", str(work / "a.md")]),
        ("convert article.txt -o out/ (batch path, md)", [*convert, str(SEED), "-o", str(work / "out"), "--force", "-q"]),
        ("convert article.txt -o a.docx", [*convert, str(SEED), "-o", str(work / "a.docx")]),
        ("convert article.txt -o a.pdf", [*convert, str(SEED), "-o", str(work / "a.pdf")]),
    ]
    pandoc = shutil.which("pandoc")
    if pandoc:
        cases += [
            ("pandoc article.html -o a.md (markdown)", [pandoc, str(html), "-t", "markdown", "-o", str(work / "p.md")]),
            ("pandoc article.html -o a.docx", [pandoc, str(html), "-o", str(work / "p.docx")]),
        ]
    else:
        print("pandoc not found: its rows are left out", file=sys.stderr)

    load_before = os.getloadavg()
    results = {}
    for label, command in cases:
        results[label] = measure(command, env, args.runs)
    load_after = os.getloadavg()
    shutil.rmtree(work, ignore_errors=True)

    print(f"{args.runs} fresh processes per case; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
          f"{os.cpu_count()} CPUs; {args.python}")
    print(f"{'case':48} {'wall median':>12} {'wall min':>9} {'CPU median':>11} {'CPU min':>8}")
    for label, r in results.items():
        print(f"{label:48} {r['wall_median']:11.3f}s {r['wall_min']:8.3f}s {r['cpu_median']:10.3f}s {r['cpu_min']:7.3f}s")
    print(json.dumps({"runs": args.runs, "load": [load_before, load_after], "results": results}, indent=1))


if __name__ == "__main__":
    main()
