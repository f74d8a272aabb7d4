"""CPU time per document: our PDF writer against LibreOffice and WeasyPrint, on one core.

    python benchmarks/compare_pdf.py CORPUS [--out DIR] [--tools ours,libreoffice,weasyprint] [--rounds 3]

Every process is pinned to CPU 0 (``sched_setaffinity``, inherited by the children) and
timed by CPU time (user + system, of this process or of its waited-for children), not wall
time, since the machine is shared. The other tools get each seed the way a user would
hand it to them (as ``compare_fidelity.py`` does): the raw file decoded into an ``.html``
page, the title line ending in ``<br>``, with each picture marker replaced by an
``<img>`` of its ``图片/{n}.jpg``. The PDFs stay in ``--out`` (``ours/``, ``libreoffice/``,
``weasyprint/``, flat and named after the seed; ``command/`` keeps the corpus tree) for ``check_typesetting.py --source CORPUS``.

Rows:
  ours (in process)   ``writer.render`` per document after a warm-up, fonts loaded once;
  ours (command)      ``python -m convert CORPUS --to pdf -j1``: start, fonts, every file;
  LibreOffice         one ``soffice --headless --convert-to pdf`` for all files (its multi-file
                      mode, the page imported as a Writer document), a private profile made
                      beforehand, start-up included;
  WeasyPrint          ``HTML(...).write_pdf`` per document in one process after a warm-up, on
                      every k-th article only (``--sample``), for it takes seconds each.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARKER = re.compile(r"-{40} ?\r?\n-+这里有图片-+ ?\r?\n-{40} ?\r?\n?")


def seed_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.txt") if p.is_file())


def as_html(path: Path, folder: Path) -> Path:
    """The seed as an HTML page: raw text decoded, title line ended by <br>, markers as <img>.

    ``<body>`` comes first so that LibreOffice does not take the title line for head text.
    """
    text = path.read_bytes().decode("utf-8", "replace").replace("\n", "<br>\n", 1)
    pictures = iter(range(10**6))

    def picture(_match: re.Match[str]) -> str:
        image = path.parent / "图片" / f"{next(pictures)}.jpg"
        return f"<img src='{image.as_uri()}'>" if image.is_file() else ""

    target = folder / (path.stem + ".html")
    target.write_text("<meta charset='utf-8'><body>" + MARKER.sub(picture, text), "utf-8")
    return target


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_children(command: list[str]) -> float:
    """CPU seconds of a command and its children (run in this checkout, so ``-m convert`` is its own)."""
    before = children_cpu()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return children_cpu() - before


def ours_in_process(files: list[Path], out: Path) -> list[float]:
    import convert
    from convert.writers import get_writer

    writer = get_writer("pdf")
    options = writer.make_options()
    documents = [(path, convert.read(path).document) for path in files]
    writer.render(documents[0][1], options)  # fonts parsed once, as in a batch worker
    times = []
    for path, document in documents:
        started = time.process_time()
        data = writer.render(document, options).data
        times.append(time.process_time() - started)
        (out / (path.stem + ".pdf")).write_bytes(data)
    return times


def ours_command(corpus: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    return run_children([sys.executable, "-m", "convert", str(corpus), "--to", "pdf", "-o", str(out), "-j1"])


def libreoffice(pages: list[Path], out: Path, profile: Path) -> float:
    # Imported as a Writer document: the default Writer/Web route (``--convert-to pdf`` of an
    # .html file) leaves the page's first paragraph out of the PDF (LibreOffice 7.4).
    base = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--infilter=HTML (StarWriter)",
            "--convert-to", "pdf:writer_pdf_Export"]
    warm = out.parent / "lo-warmup"
    warm.mkdir(exist_ok=True)
    run_children(base + ["--outdir", str(warm), str(pages[0])])  # makes the profile: not timed
    return run_children(base + ["--outdir", str(out)] + [str(p) for p in pages])


def weasyprint(pages: list[Path], out: Path) -> list[float]:
    from weasyprint import HTML

    HTML(filename=str(pages[0])).write_pdf(str(out.parent / "weasyprint-warmup.pdf"))
    times = []
    for page in pages:
        started = time.process_time()
        HTML(filename=str(page)).write_pdf(str(out / (page.stem + ".pdf")))
        times.append(time.process_time() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, default=Path("/tmp/compare_pdf"))
    parser.add_argument("--tools", default="ours,command,libreoffice,weasyprint")
    parser.add_argument("--rounds", type=int, default=1, help="runs of every tool, alternating; the best is shown [1]")
    parser.add_argument("--sample", type=int, default=24,
                        help="WeasyPrint sets only every k-th article, this many in all (it is slow) [24]")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    args.corpus = args.corpus.resolve()
    files = seed_files(args.corpus)
    if not files:
        sys.exit(f"compare_pdf: no .txt files under {args.corpus}")
    count = len(files)
    html = args.out / "html"
    html.mkdir(parents=True, exist_ok=True)
    pages = [as_html(path, html) for path in files]
    step = max(1, count // max(1, args.sample))
    sample = list(range(0, count, step))[: args.sample]
    ours_times: list[float] = []
    print(f"{count} articles, one core, CPU time per document (the machine was shared)")
    print(f"{'tool':40} {'articles':>8} {'ms/doc':>8} {'docs/s':>8}")

    def row(name: str, documents: int, seconds: float) -> None:
        print(f"{name:40} {documents:8} {seconds / documents * 1000:8.1f} {documents / seconds:8.1f}", flush=True)

    # Rounds alternate the tools; each row is the best round (the least disturbed by other work
    # on a shared machine), with the spread over rounds beside it.
    measured: dict[str, tuple[str, int, list[float]]] = {}  # key -> (row name, documents, seconds per round)

    def record(key: str, name: str, documents: int, seconds: float) -> None:
        measured.setdefault(key, (name, documents, []))[2].append(seconds)

    for _ in range(args.rounds):
        for tool in args.tools.split(","):
            out = args.out / tool
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True, exist_ok=True)
            if tool == "ours":
                ours_times = ours_in_process(files, out)
                record("ours", "ours, in process", count, sum(ours_times))
                record("ours-sample", "  the same, on the WeasyPrint sample", len(sample),
                       sum(ours_times[i] for i in sample))
            elif tool == "command":
                record(tool, "ours, `convert --to pdf -j1` command", count, ours_command(args.corpus, out))
            elif tool == "libreoffice":
                if not shutil.which("soffice"):
                    print("LibreOffice: soffice not installed, skipped")
                    continue
                seconds = libreoffice(pages, out, args.out / "lo-profile")
                made = len(list(out.glob("*.pdf")))
                if made < count:  # it gives up on some inputs without an exit status saying so
                    print(f"LibreOffice wrote {made} of {count} PDFs: its figure is per PDF written")
                record(tool, "LibreOffice, one multi-file run", max(made, 1), seconds)
            elif tool == "weasyprint":
                try:
                    times = weasyprint([pages[i] for i in sample], out)
                except ImportError:
                    print("WeasyPrint: not installed (pip install weasyprint), skipped")
                    continue
                record(tool, "WeasyPrint, in process (sample)", len(sample), sum(times))
    for name, documents, rounds in measured.values():
        row(name, documents, min(rounds))
        if len(rounds) > 1:
            print(f"{'':40} {'':8} rounds: {', '.join(f'{r / documents * 1000:.1f}' for r in rounds)}")

if __name__ == "__main__":
    main()
