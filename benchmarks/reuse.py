"""Benchmark text reuse over the whole policy corpus: time, peak memory, and how both grow with the documents.

Usage (from the repository root)::

    python benchmarks/reuse.py [--db FILE] [--jobs 1] [--md results.md]

The corpus is every txt/, md/ and html/ folder under ``shared/data/policy_corpus`` (ingested once when ``--db``
is not given; reuse reads the stored text and needs no segmentation). Reuse then runs on about 25 %, 50 % and
100 % of the documents (``doc_id < '4'``, ``< '8'``, all: doc_ids are hashes, so these are unbiased samples),
each in its own process so that its peak resident memory is its own. Reported per run: documents, characters,
the pairs an all-pairs method would compare, the candidate pairs the shingle index proposed (the only pairs
aligned), the pairs with passages, passages, seconds and peak RSS.
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
sys.path.insert(0, str(HERE))

from _common import machine, markdown_table, policy_folders  # noqa: E402

SAMPLES = (("25 %", "doc_id < '4'"), ("50 %", "doc_id < '8'"), ("100 %", None))


def one(db: Path, where: str | None) -> dict[str, object]:
    """Run reuse once in this process; its figures as a dict (printed as JSON by ``--one``)."""
    import duckdb

    from corpus_tool.analyse.policy.reuse import reuse

    t0 = time.perf_counter()
    result = reuse(db, where=where)
    seconds = time.perf_counter() - t0
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = result.corpus["documents"]
        sql = "SELECT sum(length(p.text)) FROM paragraphs p JOIN documents d USING (doc_id) WHERE " \
              "d.canonical_id IS NULL AND p.field IN ('heading', 'body')" + (f" AND d.{where}" if where else "")
        chars = con.execute(sql).fetchone()[0]
    finally:
        con.close()
    p = result.params
    return {"documents": docs, "characters": int(chars or 0), "all_pairs": docs * (docs - 1) // 2,
            "candidate_pairs": p["candidate_pairs"], "pairs_with_passages": p["pairs_with_passages"],
            "passages": p["passages"], "postings": p["postings"], "seconds": round(seconds, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def build(db: Path, jobs: int) -> float:
    from corpus_tool.reading.pipeline import ingest_paths

    t0 = time.perf_counter()
    ingest_paths(policy_folders(), db, jobs=jobs)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="an ingested policy corpus (built in a temporary folder when absent)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--md", type=Path, help="also write the table as Markdown here")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: one run, JSON on stdout
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.db, args.one or None)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        built = None
        if db is None:
            db = Path(tmp) / "policy.duckdb"
            built = build(db, args.jobs)
        rows = []
        for label, where in SAMPLES:
            out = subprocess.run([sys.executable, __file__, "--db", str(db), "--one", where or ""],
                                 check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            rows.append([label, r["documents"], f"{r['characters']:,}", f"{r['all_pairs']:,}",
                         f"{r['candidate_pairs']:,}", r["pairs_with_passages"], r["passages"], r["seconds"],
                         r["peak_rss_mb"]])
            print(label, r, flush=True)
    m = machine()
    head = (f"Text reuse on the policy corpus ({m.get('date')}, {m.get('cpu')}, {m.get('cores')} cores)"
            + (f"; ingest {built:.0f} s" if built else ""))
    table = markdown_table(["sample", "documents", "characters", "all pairs", "candidate pairs (aligned)",
                            "pairs with passages", "passages", "seconds", "peak RSS MB"], rows)
    print(head)
    print(table)
    if args.md:
        args.md.write_text(f"{head}\n\n{table}\n", "utf-8")


if __name__ == "__main__":
    main()
