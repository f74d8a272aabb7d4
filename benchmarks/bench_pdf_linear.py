"""Is the time to set a PDF linear in the document's size? Articles of n picture markers.

Not a test: run it by hand. Writes seed articles of n paragraphs, each followed by a
picture marker whose picture is missing (a placeholder box), into a temporary folder, and
reports the CPU time to read and render each. Linear: the 8,000-marker article costs about
4x the 2,000-marker one (before the fix, 20,000 markers took 31 s and 5,000 took 4 s).

    python benchmarks/bench_pdf_linear.py              # 2,000 and 8,000 markers
    python benchmarks/bench_pdf_linear.py 1000 5000 20000
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import convert  # noqa: E402
from convert.writers import get_writer  # noqa: E402

MARKER = "-" * 40 + " \n" + "-" * 19 + "这里有图片" + "-" * 12 + " \n" + "-" * 40 + " \n"


def article(folder: Path, markers: int) -> Path:
    path = folder / f"{markers}图片测试" / f"{markers}图片测试.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"<div><span style='font-size:16px'> 　　第{i}段文字。</span></div>\n{MARKER}" for i in range(markers))
    path.write_text(f"{markers}图片测试.txt\n{body}", encoding="utf-8")
    return path


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [2000, 8000]
    writer = get_writer("pdf")
    options = writer.make_options()
    with tempfile.TemporaryDirectory() as tmp:
        writer.render(convert.read(article(Path(tmp), 10)).document, options)  # fonts, imports
        times = []
        for count in counts:
            path = article(Path(tmp), count)
            started = time.process_time()
            writer.render(convert.read(path).document, options)
            times.append(time.process_time() - started)
            print(f"{count:6d} markers: {times[-1]:6.2f} s CPU ({times[-1] / count * 1000:.2f} ms per marker)")
    if len(counts) > 1:
        print(f"ratio {counts[-1] / counts[0]:.1f}x the markers: {times[-1] / times[0]:.2f}x the time")


if __name__ == "__main__":
    main()
