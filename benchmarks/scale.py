"""Scale run: ingest and segment generated corpora of 100 MB, 300 MB and 1 GB; time and peak memory per size.

Usage (from the repository root; not run in CI, the 1 GB size takes the better part of an hour on 2 cores)::

    python benchmarks/scale.py [--sizes 100,300,1000] [--jobs 2] [--work DIR] [--json out.json]

Each corpus is built from the policy corpus's txt/ and md/ documents (``../shared/data/policy_corpus``):
document *i* keeps the first lines (title, 发文字号, addressee) of source document *i mod n*, then its
paragraphs with each one, with probability one half, swapped for a paragraph drawn from the whole corpus,
and ends with its own serial number. No two files are equal and copies share about a third of their
text, so neither exact nor near-duplicate detection can shortcut them. Generation is seeded: the same
size gives the same files.

Every size is measured in a fresh process (``--measure``): ``ingest_paths`` then ``segment_corpus`` with
``--jobs`` local workers, wall time of each, and the peak resident memory (RSS, sampled from /proc twice a
second, Linux) of the main process, of the largest worker process and of all of them together. The
corpora and databases stay in ``--work`` (default: a folder under the system temp directory) so that a
size can be measured again without generating it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import POLICY_CORPUS, RssSampler, machine, markdown_table, peak_rss_mb, timed

MB = 1_000_000
FILES_PER_FOLDER = 1000
HEAD_LINES = 3  # title, document number, addressee: kept, so metadata extraction has real work


def _sources(corpus: Path) -> list[tuple[str, list[str]]]:
    """(suffix, non-blank lines) of every txt/md document of the policy corpus, in path order."""
    files = sorted([*corpus.glob("*/txt/*.txt"), *corpus.glob("*/md/**/*.md")])
    out = []
    for f in files:
        lines = [line.rstrip() for line in f.read_text("utf-8").splitlines() if line.strip()]
        if len(lines) > HEAD_LINES:
            out.append((f.suffix, lines))
    return out


def generate(folder: Path, size_mb: int, corpus: Path = POLICY_CORPUS, seed: int = 1) -> dict[str, int]:
    """Write a corpus of at least ``size_mb`` MB of UTF-8 text into ``folder``; return files and bytes."""
    sources = _sources(corpus)
    pool = [line for _, lines in sources for line in lines[HEAD_LINES:] if len(line) > 10]
    folder.mkdir(parents=True, exist_ok=True)
    written = files = 0
    while written < size_mb * MB:
        suffix, lines = sources[files % len(sources)]
        rng = random.Random(seed * 1_000_003 + files)
        body = [rng.choice(pool) if rng.random() < 0.5 else line for line in lines[HEAD_LINES:]]
        text = "\n".join([*lines[:HEAD_LINES], *body, f"（编号 No. S{files:07d}）"]) + "\n"
        data = text.encode("utf-8")
        sub = folder / f"part_{files // FILES_PER_FOLDER:04d}"
        sub.mkdir(exist_ok=True)
        (sub / f"doc_{files:07d}{suffix}").write_bytes(data)
        written += len(data)
        files += 1
    (folder / "DONE").write_text(json.dumps({"files": files, "bytes": written}))
    return {"files": files, "bytes": written}


def measure(folder: Path, db: Path, jobs: int) -> dict[str, Any]:
    """Ingest and segment ``folder`` into a new database ``db``, in this process (see --measure)."""
    from corpus_tool.reading.pipeline import ingest_paths
    from corpus_tool.segment.base import SegmentSettings
    from corpus_tool.segment.run import segment_corpus

    if db.exists():
        db.unlink()
    with RssSampler() as ingest_rss:
        ingest, ingest_s = timed(lambda: ingest_paths([folder], db, jobs=jobs))
    with RssSampler() as segment_rss:
        seg, segment_s = timed(lambda: segment_corpus(db, SegmentSettings(), jobs=jobs))
    return {
        "files": ingest.files, "documents": ingest.ingested, "duplicates": ingest.duplicates,
        "near_duplicates": ingest.near_duplicates, "failed": ingest.failed, "chars": ingest.characters,
        "tokens": seg.n_tokens, "ingest_s": round(ingest_s, 1), "segment_s": round(segment_s, 1),
        "db_mb": round(db.stat().st_size / MB, 1), "jobs": jobs,
        "rss_ingest_mb": ingest_rss.figures(), "rss_segment_mb": segment_rss.figures(),
        "ru_maxrss_mb": peak_rss_mb(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000", help="corpus sizes in MB, comma-separated")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "corpus-tool-scale")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--clean", action="store_true", help="delete each corpus and database after its run")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # child mode: FOLDER
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.db, args.jobs)))
        return 0
    if not POLICY_CORPUS.is_dir():
        print(f"policy corpus not found: {POLICY_CORPUS} (set CORPUS_TOOL_SHARED)", file=sys.stderr)
        return 2
    results: dict[str, Any] = {"machine": machine(), "jobs": args.jobs, "sizes": {}}
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        folder = args.work / f"corpus_{size}mb"
        if not (folder / "DONE").exists():
            shutil.rmtree(folder, ignore_errors=True)
            started = time.perf_counter()
            made = generate(folder, size)
            print(f"{size} MB: generated {made['files']:,} files in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr, flush=True)
        made = json.loads((folder / "DONE").read_text())
        db = args.work / f"corpus_{size}mb.duckdb"
        load_start = _load()
        run = subprocess.run([sys.executable, __file__, "--measure", str(folder), "--db", str(db),
                              "--jobs", str(args.jobs)], capture_output=True, text=True, check=False)
        if run.returncode != 0:
            print(run.stderr, file=sys.stderr)
            return 1
        figures = {"bytes": made["bytes"], **json.loads(run.stdout.strip().splitlines()[-1]),
                   "load_start": load_start, "load_end": _load()}
        results["sizes"][size] = figures
        print(f"{size} MB: {json.dumps(figures)}", file=sys.stderr, flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
        if args.clean:
            shutil.rmtree(folder, ignore_errors=True)
            db.unlink(missing_ok=True)
    print(report(results))
    return 0


def _load() -> float | None:
    """The 1-minute load average (other processes sharing the cores make every time longer)."""
    try:
        return round(os.getloadavg()[0], 2)
    except (OSError, AttributeError):
        return None


def report(results: dict[str, Any]) -> str:
    """The table of docs/benchmarks.md: time, throughput and peak memory per size, and time per MB."""
    rows = []
    sizes = results["sizes"]
    first = None
    for size, r in sorted(sizes.items(), key=lambda kv: int(kv[0])):
        total = r["ingest_s"] + r["segment_s"]
        per_mb = total / (r["bytes"] / MB)
        first = first or per_mb
        main = max(r["rss_ingest_mb"]["main"], r["rss_segment_mb"]["main"])
        child = max(r["rss_ingest_mb"]["largest_child"], r["rss_segment_mb"]["largest_child"])
        family = max(r["rss_ingest_mb"]["total"], r["rss_segment_mb"]["total"])
        rows.append([f"{int(size):,} MB", f"{r['files']:,}", f"{r['chars'] / 1e6:,.0f} M",
                     f"{r['tokens'] / 1e6:,.0f} M", f"{r['ingest_s']:,.0f} s", f"{r['segment_s']:,.0f} s",
                     f"{total / 60:,.1f} min",
                     f"{r['bytes'] / MB / total:.2f} MB/s", f"{per_mb:.2f} s", f"{per_mb / first:.2f}",
                     f"{main:,.0f} MB", f"{child:,.0f} MB", f"{family:,.0f} MB",
                     f"{r.get('load_start')} → {r.get('load_end')}"])
    m = results["machine"]
    head = (f"{m['date']}; {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; load {m['load_1min']} at "
            f"start; Python {m['python']}; {m['platform']}; --jobs {results['jobs']}\n\n")
    return head + markdown_table(
        ["size", "files", "chars", "tokens", "ingest", "segment", "total", "throughput", "time per MB",
         "time/MB vs first", "peak RSS main", "peak RSS worker", "peak RSS all", "load (1 min) start → end"],
        rows)


if __name__ == "__main__":
    sys.exit(main())
