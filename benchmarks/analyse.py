"""Benchmark the analyses on the whole policy corpus (../shared/data/policy_corpus).

Usage (from the repository root)::

    python benchmarks/analyse.py [--db corpus.duckdb] [--jobs 2] [--json out.json]

Without ``--db`` the corpus is ingested (with its manifest) and segmented into a temporary database
first; that build is timed but reported apart. Then, in one process: keywords (TF-IDF per document,
and TextRank per document), keyness (reports from 2018 on vs earlier government work reports, and
documents from 2018 on vs the rest), collocations and trigrams, and, over the same documents,
our TF-IDF against ``jieba.analyse.extract_tags`` (which re-segments every text and uses jieba's
bundled general-purpose IDF). Ratios are measured within this one run, so machine load affects
both sides alike.
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
SHARED = ROOT.parent / "shared"


def timed(label: str, fn, results: dict) -> object:
    start = time.perf_counter()
    value = fn()
    results[label] = round(time.perf_counter() - start, 3)
    print(f"{label:<40} {results[label]:>8.2f} s", flush=True)
    return value


def build(db: Path, jobs: int, results: dict) -> None:
    from corpus_tool.reading.pipeline import ingest_paths
    from corpus_tool.segment.base import SegmentSettings
    from corpus_tool.segment.run import segment_corpus

    corpus = SHARED / "data" / "policy_corpus"
    folders = []
    for base in sorted(p for p in corpus.iterdir() if p.is_dir()):
        folders.append(base / ("txt" if (base / "txt").is_dir() else "md"))
    timed("build: ingest (not an analysis)", lambda: ingest_paths(
        folders, db, jobs=jobs, manifests=[corpus / "manifest_all.csv"]), results)
    timed("build: segment (not an analysis)", lambda: segment_corpus(db, SegmentSettings(), jobs=jobs), results)


def document_texts(db: Path) -> dict[str, str]:
    from corpus_tool.store.db import CorpusDB

    with CorpusDB(db, read_only=True) as store:
        rows = store.con.execute(
            "SELECT p.doc_id, string_agg(p.text, '\n' ORDER BY p.para_no) FROM paragraphs p "
            "JOIN documents d USING (doc_id) WHERE d.canonical_id IS NULL GROUP BY p.doc_id ORDER BY p.doc_id"
        ).fetchall()
    return dict(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="an ingested and segmented policy-corpus database")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()

    from corpus_tool.analyse.collocations import collocations, ngrams
    from corpus_tool.analyse.keyness import keyness
    from corpus_tool.analyse.keywords import keywords

    results: dict[str, object] = {}
    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = Path(tmp.name) / "policy.duckdb"
        build(db, args.jobs, results)

    from corpus_tool.store.db import CorpusDB

    with CorpusDB(db, read_only=True) as store:
        n_docs, n_tokens = store.con.execute(
            "SELECT (SELECT count(*) FROM documents WHERE canonical_id IS NULL), (SELECT count(*) FROM tokens)"
        ).fetchone()
    results["documents_analysed"] = n_docs
    results["tokens"] = n_tokens
    print(f"{n_docs} documents (near duplicates excluded), {n_tokens} tokens")

    tfidf = timed("keywords tfidf per document (top 20)", lambda: keywords(db, method="tfidf", top=20), results)
    timed("keywords textrank per document (top 20)", lambda: keywords(db, method="textrank", top=20), results)
    timed("keywords tfidf by year (top 20)", lambda: keywords(db, method="tfidf", by="year", top=20), results)
    key = timed("keyness gov reports 2018+ vs earlier", lambda: keyness(
        db, target="year >= 2018", where="fields.doc_type = gov_work_report"), results)
    timed("keyness year >= 2018 vs rest (corpus)", lambda: keyness(db, target="year >= 2018"), results)
    timed("collocations (pairs, ll, floor 5)", lambda: collocations(db), results)
    timed("collocations (window 5, ll, floor 5)", lambda: collocations(db, window=5), results)
    timed("ngrams n=3 (floor 2)", lambda: ngrams(db, n=3), results)

    # Same documents for both sides of the ratio.
    import jieba
    import jieba.analyse

    texts = document_texts(db)
    jieba.initialize()  # dictionary loading is not part of either timing
    extractor = jieba.analyse.TFIDF()
    timed("jieba.analyse.extract_tags (top 20)", lambda: [extractor.extract_tags(t, topK=20) for t in texts.values()],
          results)
    timed("ours: tfidf per document again", lambda: keywords(db, method="tfidf", top=20), results)
    results["ratio_ours_to_jieba_extract_tags"] = round(
        results["ours: tfidf per document again"] / results["jieba.analyse.extract_tags (top 20)"], 3)
    print(f"ratio ours / jieba.extract_tags: {results['ratio_ours_to_jieba_extract_tags']}")
    rank = key.table.set_index("term")["rank"]
    results["keyness_rank_高质量发展"] = int(rank.get("高质量发展", -1))
    results["tfidf_rows"] = len(tfidf.table)
    results["python"] = platform.python_version()
    results["platform"] = platform.platform()
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
