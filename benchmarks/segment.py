"""Benchmark the ``segment`` stage against a plain ``jieba.lcut`` loop on the same policy-corpus text.

Usage (from the repository root)::

    python benchmarks/segment.py [--jobs 1] [--segmenter jieba] [--limit N] [--shared ../shared]

Builds a corpus database from ``<shared>/data/policy_corpus`` (the ``txt/`` and ``md/`` files; one text
unit per non-blank line, written with ``CorpusDB.write_document``, so the figure does not depend on the
ingest stage), then in one run times

1. ``segment_corpus`` with the given settings: read paragraphs, segment, store tokens (the whole stage);
2. ``jieba.lcut(text)`` over the same paragraphs, with jieba's default global tokenizer, storing nothing;

and prints characters per second of both and their ratio. Timings include each tokenizer's loading.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus_tool.reading.model import Document, Unit  # noqa: E402
from corpus_tool.segment.base import SegmentSettings  # noqa: E402
from corpus_tool.segment.run import segment_corpus  # noqa: E402
from corpus_tool.store.db import CorpusDB  # noqa: E402


def policy_files(shared: Path) -> list[Path]:
    root = shared / "data" / "policy_corpus"
    return sorted([*root.glob("*/txt/*.txt"), *root.glob("*/md/**/*.md")])


def build_db(db: Path, files: list[Path]) -> list[str]:
    """Write one document per file, one unit per non-blank line; return the paragraphs in DB order."""
    with CorpusDB(db) as cdb:
        for f in files:
            raw = f.read_bytes()
            doc_id = hashlib.sha256(raw).hexdigest()[:16]
            lines = [ln.strip() for ln in raw.decode("utf-8").splitlines() if ln.strip()]
            doc = Document(doc_id=doc_id, source_path=str(f), fmt=f.suffix.lstrip("."),
                           units=[Unit(para_no=i, field="body", text=t) for i, t in enumerate(lines, 1)])
            cdb.write_document(doc, (str(f), len(raw), 0.0, hashlib.sha256(raw).hexdigest()))
        rows = cdb.con.execute("SELECT text FROM paragraphs ORDER BY doc_id, para_no").fetchall()
    return [r[0] for r in rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--segmenter", default="jieba")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--pos", action="store_true")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N files")
    args = ap.parse_args()
    files = policy_files(args.shared)
    if not files:
        sys.exit(f"no policy corpus under {args.shared}/data/policy_corpus")
    if args.limit:
        files = files[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        paragraphs = build_db(db, files)
        n_chars = sum(map(len, paragraphs))
        settings = SegmentSettings.from_spec(args.segmenter, pos=args.pos)
        t0 = time.perf_counter()
        summary = segment_corpus(db, settings, jobs=args.jobs)
        stage = time.perf_counter() - t0

        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        t0 = time.perf_counter()
        jieba.initialize()
        n_tok = 0
        for p in paragraphs:
            n_tok += len(jieba.lcut(p))
        plain = time.perf_counter() - t0

    print(f"policy corpus: {len(files)} files, {len(paragraphs)} paragraphs, {n_chars:,} chars")
    print(f"segment stage ({summary.settings.engine_version}, jobs={args.jobs}, pos={args.pos}): "
          f"{stage:.2f} s, {n_chars / stage:,.0f} chars/s, {summary.n_tokens:,} tokens stored")
    print(f"plain jieba.lcut loop (jieba, HMM on, no dictionary, nothing stored): {plain:.2f} s, "
          f"{n_chars / plain:,.0f} chars/s, {n_tok:,} tokens")
    print(f"ratio segment stage / plain jieba: {plain / stage:.2f}x")


if __name__ == "__main__":
    main()
