"""Benchmark the meaning analyses: word2vec training against plain gensim, and network building on the policy corpus.

Usage (from the repository root)::

    python benchmarks/meaning.py [--gov-db FILE] [--policy-db FILE] [--repeats 3] [--jobs 1]

1. Embeddings, on the 52 national government work reports: ``train_embeddings`` end to end (reading the stored
   tokens, building sentences, training, the vocabulary table; not saving) against a plain gensim ``Word2Vec`` with
   the same parameters (100/6/5/5, CBOW, workers=1, seed 1) over the very same sentences already in memory. The
   target is ours ≤ 1.2 × plain. Both run ``--repeats`` times alternately in one process, so machine load affects
   both alike; medians are reported.
2. Networks, on the whole policy corpus (every txt/, md/ and html/ folder under ``shared/data/policy_corpus``):
   the default network (sentences, Jaccard, 120 terms, 60 edges), a paragraph network, a window network and one
   network per year, each timed. Databases are built (ingest + segment) when not given; the build is reported apart.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import POLICY_CORPUS, machine, markdown_table, policy_folders  # noqa: E402

GOV = POLICY_CORPUS / "gov_work_reports_wikisource_1954_2025"


def build(db: Path, paths: list[Path], manifest: Path, jobs: int) -> tuple[float, float]:
    from corpus_tool.reading.pipeline import ingest_paths
    from corpus_tool.segment.base import SegmentSettings
    from corpus_tool.segment.run import segment_corpus

    t0 = time.perf_counter()
    ingest_paths(paths, db, jobs=jobs, manifests=[manifest])
    t1 = time.perf_counter()
    segment_corpus(db, SegmentSettings(), jobs=jobs)
    return t1 - t0, time.perf_counter() - t1


def bench_embeddings(db: Path, repeats: int) -> list[list[object]]:
    from gensim.models import Word2Vec

    from corpus_tool.analyse.meaning.base import read_tokens
    from corpus_tool.analyse.meaning.embeddings import train_embeddings
    from corpus_tool.analyse.result import analysis_context
    from corpus_tool.analyse.units import Selection, TokenFilter

    with analysis_context(db, Selection(), TokenFilter()) as ctx:
        sentences = read_tokens(ctx).sentences()
    params = {"vector_size": 100, "window": 6, "min_count": 5, "epochs": 5, "sg": 0, "workers": 1, "seed": 1}
    plain, ours, plain_cpu, ours_cpu = [], [], [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        Word2Vec(sentences=sentences, **params)
        plain.append(time.perf_counter() - t0)
        plain_cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        train_embeddings(db, save=False)
        ours.append(time.perf_counter() - t0)
        ours_cpu.append(time.process_time() - c0)
    n_tokens = sum(len(s) for s in sentences)
    p, o = statistics.median(plain), statistics.median(ours)
    pc, oc = statistics.median(plain_cpu), statistics.median(ours_cpu)
    # CPU seconds (all threads of this process) are less sensitive to other processes on a shared machine
    return [["plain gensim Word2Vec (sentences in memory)", f"{p:.2f}", "1.00", f"{pc:.2f}", "1.00",
             f"{n_tokens:,} tokens"],
            ["corpus-tool train_embeddings (from the store)", f"{o:.2f}", f"{o / p:.2f}", f"{oc:.2f}",
             f"{oc / pc:.2f}", f"{len(sentences):,} sentences"]]


def bench_networks(db: Path) -> list[list[object]]:
    from corpus_tool.analyse.meaning.network import network

    rows = []
    for label, kwargs in [("sentence, Jaccard, 120 terms, 60 edges (default)", {}),
                          ("paragraph, Jaccard", {"unit": "paragraph"}),
                          ("window 5, PMI, 200 edges", {"unit": "window", "weight": "pmi", "max_edges": 200}),
                          ("one network per year (default settings)", {"by": "year"})]:
        t0 = time.perf_counter()
        result = network(db, **kwargs)
        rows.append([label, f"{time.perf_counter() - t0:.2f}", len(result.table), len(result.tables["edges"])])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gov-db", type=Path, default=None, help="reuse (or create) this government-report database")
    ap.add_argument("--policy-db", type=Path, default=None, help="reuse (or create) this policy-corpus database")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    info = machine()
    print(f"{info['date']} · {info['cpu']} · {info['cores']} cores · load {info['load_1min']} · "
          f"Python {info['python']}")
    with tempfile.TemporaryDirectory() as tmp:
        gov = args.gov_db or Path(tmp) / "gov.duckdb"
        if not gov.exists():
            files = sorted((GOV / "txt").glob("wks_gov_*.txt"))
            ing, seg = build(gov, files, GOV / "manifest.csv", args.jobs)
            print(f"built {gov}: ingest {ing:.1f} s, segment {seg:.1f} s")
        print("\n## Word embeddings (government work reports; median of", args.repeats, "runs)\n")
        print(markdown_table(["run", "wall s", "ratio", "CPU s", "CPU ratio", "input"],
                             bench_embeddings(gov, args.repeats)))
        policy = args.policy_db or Path(tmp) / "policy.duckdb"
        if not policy.exists():
            ing, seg = build(policy, policy_folders(), POLICY_CORPUS / "manifest_all.csv", args.jobs)
            print(f"\nbuilt {policy}: ingest {ing:.1f} s, segment {seg:.1f} s")
        from corpus_tool.store.db import CorpusDB

        with CorpusDB(policy, read_only=True) as store:
            n_docs = store.con.execute("SELECT count(*) FROM documents").fetchone()[0]
            n_tok = store.con.execute("SELECT count(*) FROM tokens").fetchone()[0]
        print(f"\n## Co-occurrence networks (whole policy corpus: {n_docs:,} documents, {n_tok:,} tokens)\n")
        print(markdown_table(["network", "seconds", "nodes", "edges"], bench_networks(policy)))


if __name__ == "__main__":
    main()
