"""Pages per second of the whole ingest stage on PDFs, against pdfplumber's plain ``extract_text``;
with ``--text``, characters per second per core of reading text files and the writer's time per file.

The ingest stage is what ``corpus-tool ingest`` does per file: layout-aware extraction, repair,
structure and the database write (a fresh database each run). Both sides run in this process over
the same pages, alternating, best of ``--repeat``. Timed as CPU seconds of this process and of its
finished children (the ingest reads each file in a worker process so that a time limit can stop a
stuck parser), so that other load on the machine hits both sides alike. Target (issue 2): ratio
at most 1.5.

    python benchmarks/ingest.py [PDF ...] [--repeat 3]
    python benchmarks/ingest.py --text [--limit N]

``--text`` (issue 14) reads the policy corpus' txt and md files with the worker function in this process
(decode, repair, layout, structure, metadata, MinHash: one core) against ``jieba.lcut`` over the text it
stored, and writes the results with the batch writer against one transaction per file.
Targets: reading ≥ 2 M characters a second per core; writing ≤ 1 ms per file.
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
from corpus_tool.reading.pipeline import IngestSummary, ingest_paths  # noqa: E402


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


def text_files(limit: int | None = None) -> list[Path]:
    """The policy corpus' plain-text and Markdown files, sorted."""
    from benchmarks._common import POLICY_CORPUS

    files = sorted(p for p in POLICY_CORPUS.glob("*/*/*") if p.parent.name in ("txt", "md") and p.is_file())
    return files[:limit] if limit else files


def process_seconds(fn):  # type: ignore[no-untyped-def]
    """``fn()`` and the CPU seconds of this process it took (other load on the machine does not count)."""
    import time

    start = time.process_time()
    value = fn()
    return value, time.process_time() - start


def bench_text(files: list[Path]) -> dict[str, float]:
    """Reading text files (the worker function, one core) vs jieba.lcut on the stored text; the writer's time
    per file, batched as ``ingest`` batches vs one transaction per file. CPU seconds, both sides in this run."""
    import logging

    import jieba

    from corpus_tool.reading.document import IngestOptions, read_file
    from corpus_tool.reading.pipeline import _BatchWriter
    from corpus_tool.store.db import CorpusDB

    options = IngestOptions(timeout=None)
    read_file(str(files[0]), options)  # warm-up: imports, converters
    results, read_s = process_seconds(lambda: [read_file(str(f), options) for f in files])
    results = [r for r in results if r.error is None]
    texts = [u.text for r in results for d in r.documents for u in d.units]
    chars = sum(d.n_chars for r in results for d in r.documents)
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # dictionary loading is not part of the comparison
    _, jieba_s = process_seconds(lambda: [jieba.lcut(t) for t in texts])
    jieba_chars = sum(map(len, texts))

    def write(store: CorpusDB, batched: bool) -> None:
        if batched:
            writer = _BatchWriter(store, IngestSummary())
            for r in results:
                writer.add(r.path, r.documents, (0, 0.0, r.path, ""))
            writer.flush()
        else:
            for r in results:
                store.write_file(r.path, r.documents, (0, 0.0, r.path, ""))

    seconds = {}
    with tempfile.TemporaryDirectory() as tmp:  # opening the database (its schema) is not counted
        with CorpusDB(Path(tmp) / "warm.duckdb") as store:  # warm-up: pyarrow and DuckDB's Arrow scan
            store.write_files([(r.path, r.documents, (0, 0.0, r.path, "")) for r in results[:2]])
        for batched in (True, False):
            with CorpusDB(Path(tmp) / f"{batched}.duckdb") as store:
                _, seconds[batched] = process_seconds(lambda store=store, batched=batched: write(store, batched))
    batched_s, single_s = seconds[True], seconds[False]
    return {"files": len(results), "chars": chars, "read_s": read_s, "jieba_chars": jieba_chars, "jieba_s": jieba_s,
            "write_batched_s": batched_s, "write_single_s": single_s}


def print_text(r: dict[str, float]) -> None:
    ours, anchor = r["chars"] / r["read_s"], r["jieba_chars"] / r["jieba_s"]
    print(f"reading {r['files']} text files, {r['chars'] / 1e6:.1f} M chars: {ours / 1e6:.2f} M chars/s per core "
          f"(target ≥ 2); jieba.lcut on the stored text {anchor / 1e6:.2f} M chars/s; ratio {ours / anchor:.2f}")
    print(f"writing: {r['write_batched_s'] / r['files'] * 1e3:.2f} ms/file batched (target ≤ 1), "
          f"{r['write_single_s'] / r['files'] * 1e3:.2f} ms/file with one transaction per file")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--text", action="store_true", help="text files of the policy corpus instead of PDFs")
    parser.add_argument("--limit", type=int, help="with --text: the first N files only")
    args = parser.parse_args(argv)
    if args.text:
        print_text(bench_text(text_files(args.limit)))
        return 0
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
