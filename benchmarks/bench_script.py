"""What a Traditional edition (``--script``) adds to a Markdown run, in CPU time.

    python benchmarks/bench_script.py                       # both corpora, 3 rounds
    python benchmarks/bench_script.py --files 300 --rounds 5 --corpus /path/to/articles

Two corpora: *real-like*, the 124 articles of ``make_typeset_corpus.py`` (or ``--corpus``),
distinct text throughout (0.5% of its characters are in repeated paragraphs); and
*synthetic*, ``--files`` copies of the bundled seeds made by ``make_corpus.py`` (93%
repeated). For each corpus and each script (none, zh-Hant, zh-TW, zh-HK), CPU time
(user + system: a loaded machine skews it less than wall time):

* the command: ``python -m convert CORPUS --to md -j1 --force`` as a fresh process, its
  start and the loading of OpenCC's dictionaries included -- what a user's run costs;
* the render step in one process: reading and rendering every file as Markdown through
  the batch's render step (``convert.batch.render_input``, which runs the transform stage);
* OpenCC alone: its ``convert`` on each document's text (one call per document, as the
  transform makes), the floor of what conversion can cost.

And the real seed article alone (render step and OpenCC alone). Each figure is the best of
``--rounds`` runs, the scripts alternating.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from make_corpus import make_corpus  # noqa: E402
from make_typeset_corpus import make_typeset_corpus  # noqa: E402

from convert.batch import render_input  # noqa: E402
from convert.model import Document  # noqa: E402
from convert.readers import read  # noqa: E402
from convert.transforms import run  # noqa: E402
from convert.transforms.script import edition_for, text_converter  # noqa: E402
from convert.transforms.text import map_texts  # noqa: E402
from convert.transforms.xml import XmlSanitising  # noqa: E402

SCRIPTS = ("none", "zh-Hant", "zh-TW", "zh-HK")
SAMPLE = ROOT / "seeds" / "000_b01cef3071674085.txt"


def options(script: str) -> dict[str, object]:
    return {} if script == "none" else {"script": script}


def cpu(work: Callable[[], object]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def render_all(files: list[Path], root: Path, out: Path, script: str) -> None:
    for source in files:
        outcome = render_input(source, root, ["md"], [out / (source.stem + ".md")], options(script))
        assert outcome.error is None, outcome.error


def runs_of(document: Document) -> list[list[str]]:
    runs: list[list[str]] = []

    def keep(found: list[list[str]]) -> list[list[str]]:
        runs.extend(found)
        return found

    map_texts(document, keep)
    return runs


def document_texts(files: list[Path], root: Path) -> list[str]:
    """Each document's text as the transform hands it to OpenCC: its runs joined by newlines."""
    texts = []
    for source in files:
        document = run(read(source, root=root).document, (XmlSanitising(),)).document
        texts.append("\n".join("".join(r) for r in runs_of(document)))
    return texts


def opencc_alone(texts: list[str], script: str) -> float:
    if script == "none":
        return 0.0
    edition = edition_for(script)
    assert edition is not None
    convert = text_converter(edition.config)
    return cpu(lambda: [convert(text) for text in texts])


def command(corpus: Path, out: Path, script: str) -> float:
    extra = [] if script == "none" else ["--script", script]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "convert", str(corpus), "--to", "md", "-j1", "--force", "-q", "-o", str(out),
                    *extra], check=True, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(corpus: Path, out: Path, rounds: int) -> dict[str, dict[str, float]]:
    files = sorted(p for p in corpus.rglob("*.txt") if p.is_file())
    texts = document_texts(files, corpus)
    best: dict[str, dict[str, float]] = {k: {} for k in ("command", "render", "opencc")}
    for _ in range(rounds):
        for script in SCRIPTS:
            for key, seconds in (("command", command(corpus, out / "cmd", script)),
                                 ("render", cpu(lambda s=script: render_all(files, corpus, out, s))),
                                 ("opencc", opencc_alone(texts, script))):
                best[key][script] = min(best[key].get(script, float("inf")), seconds)
    best["size"] = {"files": len(files), "characters": sum(len(t) for t in texts)}
    return best


def sample(out: Path, rounds: int) -> dict[str, dict[str, float]]:
    texts = document_texts([SAMPLE], SAMPLE.parent)
    best: dict[str, dict[str, float]] = {"render": {}, "opencc": {}}
    for _ in range(rounds):
        for script in SCRIPTS:
            render = cpu(lambda s=script: [render_input(SAMPLE, SAMPLE.parent, ["md"], [out / "sample.md"], options(s))
                                           for _ in range(200)]) / 200
            alone = cpu(lambda s=script: [opencc_alone(texts, s) for _ in range(200)]) / 200
            best["render"][script] = min(best["render"].get(script, float("inf")), render)
            best["opencc"][script] = min(best["opencc"].get(script, float("inf")), alone)
    best["size"] = {"characters": len(texts[0])}
    return best


def added(figures: dict[str, float], script: str) -> str:
    return "" if script == "none" else f"{100 * (figures[script] / figures['none'] - 1):+.1f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000, help="articles of the synthetic corpus [1000]")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="a folder of real articles instead of make_typeset_corpus.py's 124")
    args = parser.parse_args()
    for script in SCRIPTS[1:]:  # dictionaries loaded before timing: once per process anyway
        opencc_alone([""], script)
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench-script-") as tmp:
        real, synthetic, out = Path(tmp) / "real", Path(tmp) / "synthetic", Path(tmp) / "out"
        if args.corpus is None:
            make_typeset_corpus(real, 124)
        make_corpus(args.files, synthetic)
        out.mkdir()
        corpora = {"real-like": args.corpus or real, "synthetic": synthetic}
        print(f"CPU seconds, best of {args.rounds}; added: over the same step without --script")
        print(f"{'corpus':10} {'script':8} {'command':>8} {'added':>7} {'render step':>12} {'added':>7} {'OpenCC alone':>13}")
        for name, corpus in corpora.items():
            figures = measure(corpus, out, args.rounds)
            results[name] = figures
            size = figures["size"]
            for script in SCRIPTS:
                print(f"{name:10} {script:8} {figures['command'][script]:8.2f} {added(figures['command'], script):>7} "
                      f"{figures['render'][script]:12.3f} {added(figures['render'], script):>7} "
                      f"{figures['opencc'][script]:13.3f}")
            print(f"{'':10} ({int(size['files'])} files, {int(size['characters']):,} characters of text)")
        seed = sample(out, args.rounds)
        results["seed article"] = seed
        print(f"seed article ({int(seed['size']['characters']):,} characters), ms: "
              + "; ".join(f"{s} {1000 * seed['render'][s]:.2f} ({added(seed['render'], s) or 'base'}, OpenCC alone "
                          f"{1000 * seed['opencc'][s]:.2f})" for s in SCRIPTS))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
