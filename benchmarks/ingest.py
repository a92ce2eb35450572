"""Pages per second of the whole ingest stage on PDFs, against pdfplumber's plain ``extract_text``.

The ingest stage is what ``corpus-tool ingest`` does per file: layout-aware extraction, repair,
structure and the database write (a fresh database each run). Both sides run in this process over
the same pages, alternating, best of ``--repeat``. Timed as CPU seconds of this process and of its
finished children (the ingest reads each file in a worker process so that a time limit can stop a
stuck parser), so that other load on the machine hits both sides alike. Target (issue 2): ratio
at most 1.5.

    python benchmarks/ingest.py [PDF ...] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.ingest_pdf_raw import DEFAULT_FILES, plain_text  # noqa: E402
from corpus_tool.reading.pipeline import ingest_paths  # noqa: E402


def ingest_stage(paths: list[Path]) -> int:
    """Ingest the PDFs as one batch into a new database (as ``corpus-tool ingest FOLDER`` does)."""
    with tempfile.TemporaryDirectory() as tmp:
        summary = ingest_paths(paths, Path(tmp) / "bench.duckdb")
        return summary.pages


def plain_batch(paths: list[Path]) -> int:
    return sum(plain_text(p) for p in paths)


def cpu_seconds(fn, paths: list[Path]) -> float:
    """CPU time of this process plus its children that finished during the call."""

    def now() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    start = now()
    fn(paths)
    return now() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    files = args.pdfs or [f for f in DEFAULT_FILES if f.exists()]
    if not files:
        print("no PDFs given and ../shared not found", file=sys.stderr)
        return 2
    print(f"{'file':34} {'pages':>5} {'extract_text p/s':>16} {'ingest p/s':>11} {'ratio':>6}")
    rows = [[p] for p in files] + [files]
    for batch in rows:
        pages = plain_batch(batch)  # warm-up: imports, font caches
        ingest_stage(batch)
        plain = ingest = float("inf")
        for _ in range(args.repeat):
            plain = min(plain, cpu_seconds(plain_batch, batch))
            ingest = min(ingest, cpu_seconds(ingest_stage, batch))
        name = batch[0].name[:34] if len(batch) == 1 else f"all {len(batch)} files, one batch"
        print(f"{name:34} {pages:5d} {pages / plain:16.1f} {pages / ingest:11.1f} {ingest / plain:6.2f}")
    print("ratio = ingest CPU seconds / extract_text CPU seconds on the same pages (target ≤ 1.5); a single "
          "small file also pays for starting the worker process that enforces the time limit")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
