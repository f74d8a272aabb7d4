"""DOCX documents per second on one core.

    python benchmarks/bench_docx.py                 # the seeds, plus a 3,000-character article
    python benchmarks/bench_docx.py --seconds 10 --read

Renders in this one process (pinned to one CPU where the OS allows it), after a warm-up
render that builds the configured template; reading is left out unless ``--read`` is
given. The target is at least 120 documents per second per core for seed-sized articles.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import convert  # noqa: E402
from convert.model import Document, Metadata, Paragraph, Text  # noqa: E402

TARGET = 120.0


def synthetic_article(chars: int) -> Document:
    """A seed-like article: paragraphs of about 300 characters of Chinese news prose."""
    sentence = "省委常委会召开会议，传达学习贯彻中央有关会议精神，研究部署下一阶段重点工作。"
    text = (sentence * (chars // len(sentence) + 1))[:chars]
    paragraphs = tuple(Paragraph((Text(text[i:i + 300]),)) for i in range(0, chars, 300))
    meta = Metadata(title="山西省“不忘初心、牢记使命”主题教育工作会议召开", category=("网络聚焦", "本省新闻"),
                    date="2019-09-02", source="网络聚焦/本省新闻/2019-09-02/synthetic.txt")
    return Document(meta, paragraphs)


def load(inputs: list[Path], synthetic_chars: int) -> list[tuple[str, Path | None, Document]]:
    documents: list[tuple[str, Path | None, Document]] = []
    for root in inputs:
        paths = sorted(p for p in root.rglob("*.txt") if p.is_file()) if root.is_dir() else [root]
        for path in paths:
            name = str(path.relative_to(root)) if root.is_dir() else path.name
            documents.append((name, path, convert.read(path, root=root if root.is_dir() else None).document))
    if synthetic_chars:
        documents.append((f"synthetic {synthetic_chars:,} characters", None, synthetic_article(synthetic_chars)))
    return documents


def measure(name: str, path: Path | None, document: Document, seconds: float, read: bool) -> tuple[float, int]:
    writer = convert.get_writer("docx")
    options = writer.make_options()
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    size = 0
    while time.perf_counter() < deadline:
        doc = convert.read(path).document if read and path is not None else document
        size = len(writer.render(doc, options).data)
        count += 1
    return count / (time.perf_counter() - start), size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", type=Path, default=[ROOT / "seeds"])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per document (default 2)")
    parser.add_argument("--synthetic-chars", type=int, default=3000, help="size of the synthetic article (0: none)")
    parser.add_argument("--read", action="store_true", help="include reading the seed file in each round")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, honestly
    writer = convert.get_writer("docx")
    documents = load(args.inputs, args.synthetic_chars)
    start = time.perf_counter()
    writer.render(documents[0][2], writer.make_options())  # builds the configured template
    warmup = time.perf_counter() - start
    print(f"first document (builds the template): {warmup * 1000:.1f} ms")
    print(f"{'document':60} {'chars':>7} {'bytes':>7} {'docs/s':>8}")
    rates = []
    for name, path, document in documents:
        chars = sum(len(convert.model.plain_text(b.content)) for b in document.blocks if isinstance(b, Paragraph))
        rate, size = measure(name, path, document, args.seconds, args.read)
        rates.append(rate)
        print(f"{name[-60:]:60} {chars:7,} {size:7,} {rate:8.1f}")
    median = statistics.median(rates)
    verdict = "meets" if min(rates) >= TARGET else "misses"
    print(f"median {median:.1f} documents/s per core, slowest {min(rates):.1f}; {verdict} the target of {TARGET:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
