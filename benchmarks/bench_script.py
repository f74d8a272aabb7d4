"""What a Traditional edition (``--script``) adds to a Markdown run, in CPU time.

    python benchmarks/bench_script.py                 # 1000 files, 3 rounds
    python benchmarks/bench_script.py --files 300 --rounds 5

Two measurements, both CPU time (user + system), so a loaded machine skews them less than
wall time would:

* in one process: reading and rendering every file of a corpus made by ``make_corpus.py``
  as Markdown through the batch's render step (``convert.batch.render_input``, which runs
  the transform stage), without and with each script; and the real seed article alone;
* the command: ``python -m convert CORPUS --to md -j1 --force`` as a fresh process, with and
  without ``--script zh-TW`` (the process's CPU time, its start included).

Each figure is the best of ``--rounds`` runs, alternating the variants.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from make_corpus import make_corpus  # noqa: E402

from convert.batch import render_input  # noqa: E402
from convert.transforms.script import converter  # noqa: E402

SCRIPTS = (None, "zh-Hant", "zh-TW", "zh-HK")
SAMPLE = ROOT / "seeds" / "000_b01cef3071674085.txt"


def in_process(files: list[Path], root: Path, out: Path, script: str | None) -> float:
    options = {"script": script} if script else {}
    started = time.process_time()
    for source in files:
        outcome = render_input(source, root, ["md"], [out / (source.stem + ".md")], options)
        assert outcome.error is None, outcome.error
    return time.process_time() - started


def command(corpus: Path, out: Path, script: str | None) -> float:
    extra = ["--script", script] if script else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "convert", str(corpus), "--to", "md", "-j1", "--force", "-q", "-o", str(out),
                    *extra], check=True, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for script in SCRIPTS[1:]:  # dictionaries loaded before timing: once per process anyway
        from convert.transforms.script import edition_for

        edition = edition_for(script)
        assert edition is not None
        converter(edition.config)
    with tempfile.TemporaryDirectory(prefix="bench-script-") as tmp:
        corpus, out = Path(tmp) / "corpus", Path(tmp) / "out"
        make_corpus(args.files, corpus)
        out.mkdir()
        files = sorted(p for p in corpus.rglob("*.txt") if p.is_file())
        chars = sum(len(p.read_text("utf-8", errors="replace")) for p in files)
        best: dict[str, float] = {}
        sample: dict[str, float] = {}
        whole: dict[str, float] = {}
        for _ in range(args.rounds):
            for script in SCRIPTS:
                key = script or "zh-Hans (none)"
                best[key] = min(best.get(key, float("inf")), in_process(files, corpus, out, script))
                started = time.process_time()
                for _ in range(200):
                    render_input(SAMPLE, SAMPLE.parent, ["md"], [out / "sample.md"], {"script": script} if script else {})
                sample[key] = min(sample.get(key, float("inf")), (time.process_time() - started) / 200)
            for script in (None, "zh-TW"):
                key = script or "zh-Hans (none)"
                whole[key] = min(whole.get(key, float("inf")), command(corpus, out / "cmd", script))
    base, base_sample, base_whole = best["zh-Hans (none)"], sample["zh-Hans (none)"], whole["zh-Hans (none)"]
    print(f"{len(files)} files, {chars:,} characters; CPU seconds, best of {args.rounds}")
    print(f"{'script':16} {'render step':>12} {'added':>8} {'seed article':>13} {'added':>8}")
    for key in best:
        print(f"{key:16} {best[key]:12.3f} {100 * (best[key] / base - 1):7.1f}% {1000 * sample[key]:11.2f}ms "
              f"{100 * (sample[key] / base_sample - 1):7.1f}%")
    print(f"command (-j1 md): {base_whole:.2f} s; with --script zh-TW {whole['zh-TW']:.2f} s "
          f"({100 * (whole['zh-TW'] / base_whole - 1):+.1f}%)")
    print(json.dumps({"files": len(files), "render": best, "sample": sample, "command": whole}))


if __name__ == "__main__":
    main()
