"""Benchmark topic models on the 52 national government work reports: fit time and NPMI, in one run.

Usage (from the repository root)::

    python benchmarks/topics.py [--k 15] [--seeds 3] [--passes 10] [--shared ../shared] [--db FILE]

Builds a corpus database from ``<shared>/data/policy_corpus/gov_work_reports_wikisource_1954_2025/txt/wks_gov_*``
(``ingest_paths``, then ``segment_corpus`` with POS tags), then the default units (body paragraphs,
boilerplate and short paragraphs left out, stopwords removed, content POS, document-frequency floor and
ceiling). On exactly these units and this vocabulary it fits, for each seed,

* the default model (``nmf``: NMF on TF-IDF, NNDSVD initialisation);
* ``lda``: scikit-learn LatentDirichletAllocation (batch, 20 iterations);
* ``gensim-lda``: gensim LdaModel with ``--passes`` passes (10, as the issue asks);

every fit with one BLAS thread. NPMI is the mean over topics of the top-10 terms' NPMI by document
co-occurrence over the same paragraphs (pairs that never co-occur count −1), with terms ranked two ways:
by relevance (λ = 0.6, what ``corpus-tool topics`` reports for every model) and by weight (λ = 1, what
gensim's ``show_topic`` and most tutorials print). The last lines give the default model's NPMI and fit
time as ratios to gensim LdaModel's.
"""

from __future__ import annotations

import argparse
import glob
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus_tool.analyse.topics import coherence  # noqa: E402
from corpus_tool.analyse.topics.models import DEFAULT_MODEL  # noqa: E402
from corpus_tool.analyse.topics.sweep import FitTask, fit_model, term_prob  # noqa: E402
from corpus_tool.analyse.topics.units import UnitSettings, build_units  # noqa: E402
from corpus_tool.reading.pipeline import ingest_paths  # noqa: E402
from corpus_tool.segment.base import SegmentSettings  # noqa: E402
from corpus_tool.segment.run import segment_corpus  # noqa: E402

GOV = "data/policy_corpus/gov_work_reports_wikisource_1954_2025/txt/wks_gov_*"


def build_db(db: Path, shared: Path) -> int:
    files = sorted(glob.glob(str(shared / GOV)))
    if not files:
        raise SystemExit(f"no government work reports under {shared / GOV}")
    ingest_paths(files, db, jobs=1)
    segment_corpus(db, SegmentSettings(pos=True))
    return len(files)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--db", type=Path, default=None, help="reuse (or create) this database instead of a temporary one")
    ap.add_argument("--k", type=int, default=15)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--passes", type=int, default=10)
    ap.add_argument("--models", default=f"{DEFAULT_MODEL},lda,gensim-lda")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "gov.duckdb"
        if not db.exists():
            n = build_db(db, args.shared)
            print(f"ingested and segmented {n} reports → {db}")
        units = build_units(db, UnitSettings())
    prob = term_prob(units.counts)
    presence = units.presence()
    print(f"units: {units.n_units} paragraphs, vocabulary {len(units.vocab)} terms, "
          f"{units.info['boilerplate_paragraphs']} boilerplate and {units.info['short_units_dropped']} short "
          f"paragraphs left out; k = {args.k}, seeds 1..{args.seeds}")
    print(f"{'model':<12} {'seed':>4} {'fit s':>8} {'NPMI λ=0.6':>11} {'NPMI λ=1':>9}")
    results: dict[str, dict[str, list[float]]] = {}
    for name in [m.strip() for m in args.models.split(",") if m.strip()]:
        params = {"passes": args.passes} if name == "gensim-lda" else {}
        res = results.setdefault(name, {"time": [], "npmi": [], "npmi_weight": []})
        for seed in range(1, args.seeds + 1):
            task = FitTask(name, args.k, seed, tuple(params.items()))
            t0 = time.perf_counter()
            model = fit_model(task, units.counts)
            seconds = time.perf_counter() - t0
            rel = coherence.npmi(coherence.rank_terms(model.topic_term_, prob, 0.6, n=10), presence).mean()
            wt = coherence.npmi(coherence.rank_terms(model.topic_term_, prob, 1.0, n=10), presence).mean()
            res["time"].append(seconds)
            res["npmi"].append(float(rel))
            res["npmi_weight"].append(float(wt))
            print(f"{name:<12} {seed:>4} {seconds:>8.2f} {rel:>11.3f} {wt:>9.3f}", flush=True)
    print("\nmean over seeds")
    for name, res in results.items():
        print(f"{name:<12} fit {statistics.mean(res['time']):7.2f} s  NPMI λ=0.6 {statistics.mean(res['npmi']):.3f}"
              f"  NPMI λ=1 {statistics.mean(res['npmi_weight']):.3f}")
    if DEFAULT_MODEL in results and "gensim-lda" in results:
        d, g = results[DEFAULT_MODEL], results["gensim-lda"]
        print(f"\n{DEFAULT_MODEL} / gensim LdaModel ({args.passes} passes):")
        print(f"  NPMI ratio (both λ=0.6)            {statistics.mean(d['npmi']) / statistics.mean(g['npmi']):.2f}")
        print(f"  NPMI ratio (default λ=0.6 vs gensim by weight) "
              f"{statistics.mean(d['npmi']) / statistics.mean(g['npmi_weight']):.2f}")
        print(f"  fit-time ratio                     {statistics.mean(d['time']) / statistics.mean(g['time']):.3f}")


if __name__ == "__main__":
    main()
