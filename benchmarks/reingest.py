"""Re-ingesting an unchanged corpus costs a small share of the first ingest (target ≤ 5%).

Usage (from the repository root)::

    python benchmarks/reingest.py [--jobs 2] [--json out.json] [--corpus ../shared/data/policy_corpus]

In one process: ingest every file of the policy corpus's txt/, md/ and html/ folders (with each
collection's manifest.csv) into a new temporary database, then ingest the same folders again.
The second run finds every file unchanged (by its stat; only files whose stat changed are hashed)
and reads nothing; the ratio of the two wall times is the figure. Both runs share the machine's load,
so the ratio is comparable between runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus_tool.reading.document import IngestOptions  # noqa: E402
from corpus_tool.reading.pipeline import ingest_paths  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "policy_corpus"
TARGET = 0.05


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    folders = sorted(p for p in args.corpus.glob("*/*") if p.is_dir() and p.name in ("txt", "md", "html"))
    manifests = sorted(args.corpus.glob("*/manifest.csv"))
    options = IngestOptions()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        first = ingest_paths(folders, db, options=options, jobs=args.jobs, manifests=manifests)
        t_first = time.perf_counter() - started
        started = time.perf_counter()
        second = ingest_paths(folders, db, options=options, jobs=args.jobs, manifests=manifests)
        t_second = time.perf_counter() - started
    ratio = t_second / t_first
    figures = {
        "files": first.files, "documents": first.ingested, "failed": first.failed,
        "near_duplicates": first.near_duplicates, "jobs": args.jobs,
        "first_ingest_s": round(t_first, 2), "reingest_s": round(t_second, 2), "ratio": round(ratio, 4),
        "target_ratio": TARGET, "reingest_unchanged": second.unchanged, "reingest_new": second.ingested,
        "python": platform.python_version(), "machine": platform.machine(),
    }
    for key, value in figures.items():
        print(f"{key:20} {value}")
    print(f"re-ingest / first ingest = {ratio:.1%} (target ≤ {TARGET:.0%}): {'OK' if ratio <= TARGET else 'OVER'}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    ok = ratio <= TARGET and second.ingested == 0 and second.unchanged == first.files
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
