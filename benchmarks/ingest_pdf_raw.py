"""Speed of :func:`corpus_tool.reading.pdf.extract_pdf` against pdfplumber's plain ``extract_text``.

Both run in one process over the same pages, alternating, best of ``--repeat`` runs each, timed in
CPU seconds so other load on the machine hits both alike. Target: ratio (layout / plain) at most 1.5.

    python benchmarks/ingest_pdf_raw.py [PDF ...] [--repeat 3]

Without arguments it reads the fixtures and official PDFs in ``../shared``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus_tool.reading.pdf import extract_pdf  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_FILES = [
    SHARED / "fixtures/pdf/two_column.pdf",
    SHARED / "fixtures/pdf/row_interleaved.pdf",
    SHARED / "fixtures/pdf/founder_tounicode.pdf",
    SHARED / "data/pdfs/gov_official/《中华人民共和国宪法》.pdf",
    SHARED / "data/pdfs/gov_official/中华人民共和国民法典.pdf",
]


def plain_text(path: Path) -> int:
    """pdfplumber's default text extraction, page by page; returns the page count."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def layout_text(path: Path) -> int:
    return extract_pdf(path).n_pages


def cpu_time(fn, path: Path) -> float:
    """CPU seconds of one call: steadier than wall time on a shared machine (both are single-threaded)."""
    start = time.process_time()
    fn(path)
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    files = args.pdfs or [f for f in DEFAULT_FILES if f.exists()]
    if not files:
        print("no PDFs given and ../shared not found", file=sys.stderr)
        return 2
    print(f"{'file':34} {'pages':>5} {'plain p/s':>10} {'layout p/s':>11} {'ratio':>6}")
    total_plain = total_layout = 0.0
    for path in files:
        pages = plain_text(path)  # warm-up: imports, font caches
        plain = layout = float("inf")
        for _ in range(args.repeat):
            plain = min(plain, cpu_time(plain_text, path))
            layout = min(layout, cpu_time(layout_text, path))
        total_plain += plain
        total_layout += layout
        rates = f"{pages / plain:10.1f} {pages / layout:11.1f} {layout / plain:6.2f}"
        print(f"{path.name[:34]:34} {pages:5d} {rates}")
    print(f"{'all files':34} {'':5} {'':10} {'':11} {total_layout / total_plain:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
