"""Every stage against the tool a researcher would otherwise use, measured in one run on this machine.

Usage (from the repository root; not run in CI)::

    python benchmarks/run_all.py [--jobs 2] [--seeds 1] [--json results.json] [--quick]

Prints one table: each stage's throughput and its ratio to its anchor. Both sides of a pair run in this
process one after the other on the same input, so machine load affects both alike:

* ingest (PDF): ``ingest_paths`` on the official PDFs and the PDF fixtures (extract, repair, structure,
  metadata, store) vs pdfplumber ``page.extract_text()`` on the same pages (``benchmarks/ingest_pdf_raw.py``);
* segment: ``segment_corpus`` with one job vs a plain ``jieba.lcut`` loop over the same paragraphs
  (``benchmarks/segment.py``: the policy corpus, one unit per line);
* TF-IDF keywords: ``keywords(method="tfidf")`` per document vs ``jieba.analyse.extract_tags`` over the same
  documents (``benchmarks/analyse.py``), on the ingested and segmented policy corpus;
* topics: the default model vs gensim ``LdaModel`` (10 passes) on the same units and vocabulary, fit time and
  NPMI (``benchmarks/topics.py``: the national government work reports);
* re-ingest: ingesting the unchanged policy corpus again vs its first ingest (``benchmarks/reingest.py``);
* start-up and one file, each in fresh processes (``benchmarks/startup.py``): ``corpus-tool --help`` and
  ``kwic --help`` vs a bare ``python -c pass``; ingesting a one-page PDF vs plain pdfplumber ``extract_text``
  of it; ingesting one small text file.
* reading text: the worker function (decode, repair, layout, structure, metadata, MinHash) over the policy
  corpus' txt/md files on one core vs ``jieba.lcut`` over the text it stored, and the writing process's time
  per file, batched vs one transaction per file (``benchmarks/ingest.py --text``).

``--quick`` uses small inputs (one collection, one PDF) to check that the script works; its figures are
not the benchmark. Takes about 5–10 minutes on 2 cores without ``--quick``.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import POLICY_CORPUS, SHARED, load_benchmark, machine, markdown_table, policy_folders, timed

HEADERS = ["阶段 stage", "本工具 ours", "参照 anchor", "比值 ratio", "目标 target"]


def bench_pdf(quick: bool) -> dict[str, Any]:
    """Full ingest of PDFs vs pdfplumber's plain text extraction, pages per second."""
    from corpus_tool.reading.document import IngestOptions
    from corpus_tool.reading.pipeline import ingest_paths

    raw = load_benchmark("ingest_pdf_raw")
    files = [f for f in raw.DEFAULT_FILES if f.exists()]
    if quick:
        files = [f for f in files if "宪法" in f.name] or files[:1]
    pages = sum(raw.plain_text(f) for f in files)  # also warms up imports and font caches for both sides
    _, anchor = timed(lambda: [raw.plain_text(f) for f in files])
    with tempfile.TemporaryDirectory() as tmp:
        summary, ours = timed(lambda: ingest_paths(files, Path(tmp) / "pdf.duckdb",
                                                   options=IngestOptions(timeout=None)))
    return {"files": len(files), "pages": pages, "failed": summary.failed, "ours_s": ours, "anchor_s": anchor}


def bench_segment(quick: bool) -> dict[str, Any]:
    """segment_corpus (one job) vs jieba.lcut over the same paragraphs, characters per second."""
    import jieba

    from corpus_tool.segment.base import SegmentSettings
    from corpus_tool.segment.run import segment_corpus

    seg = load_benchmark("segment")
    files = seg.policy_files(SHARED)
    if quick:
        files = files[:60]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "segment.duckdb"
        paragraphs = seg.build_db(db, files)
        summary, ours = timed(lambda: segment_corpus(db, SegmentSettings(), jobs=1))
        _, ours2 = timed(lambda: segment_corpus(db, SegmentSettings(), jobs=2, force=True))
    jieba.setLogLevel(logging.WARNING)

    def plain() -> int:
        jieba.initialize()  # counted, as the stage counts loading its tokenizer
        return sum(len(jieba.lcut(p)) for p in paragraphs)

    n_plain, anchor = timed(plain)
    return {"paragraphs": len(paragraphs), "chars": sum(map(len, paragraphs)), "tokens": summary.n_tokens,
            "plain_tokens": n_plain, "ours_s": ours, "ours_2jobs_s": ours2, "anchor_s": anchor,
            "engine": summary.settings.engine_version}


def bench_policy(jobs: int, quick: bool) -> dict[str, Any]:
    """First ingest, re-ingest, segment and TF-IDF keywords of the policy corpus in one database."""
    import jieba
    import jieba.analyse

    from corpus_tool.analyse.keywords import keywords
    from corpus_tool.reading.pipeline import ingest_paths
    from corpus_tool.segment.base import SegmentSettings
    from corpus_tool.segment.run import segment_corpus

    analyse = load_benchmark("analyse")
    folders = policy_folders()
    if quick:
        folders = [f for f in folders if "hprc" in str(f)]
    manifests = sorted(POLICY_CORPUS.glob("*/manifest.csv"))
    out: dict[str, Any] = {"jobs": jobs}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "policy.duckdb"
        first, out["ingest_s"] = timed(lambda: ingest_paths(folders, db, jobs=jobs, manifests=manifests))
        again, out["reingest_s"] = timed(lambda: ingest_paths(folders, db, jobs=jobs, manifests=manifests))
        out.update(files=first.files, documents=first.ingested, chars=first.characters, failed=first.failed,
                   reingest_unchanged=again.unchanged, reingest_new=again.ingested)
        seg, out["segment_s"] = timed(lambda: segment_corpus(db, SegmentSettings(), jobs=jobs))
        out["tokens"] = seg.n_tokens
        texts = analyse.document_texts(db)
        out["tfidf_documents"] = len(texts)
        out["tfidf_chars"] = sum(map(len, texts.values()))
        jieba.initialize()  # dictionary loading is part of neither timing
        extractor = jieba.analyse.TFIDF()
        _, out["extract_tags_s"] = timed(lambda: [extractor.extract_tags(t, topK=20) for t in texts.values()])
        _, out["tfidf_s"] = timed(lambda: keywords(db, method="tfidf", top=20))
    return out


def bench_text(quick: bool) -> dict[str, Any]:
    """Reading text files on one core vs jieba.lcut on the same text; the writer's milliseconds per file."""
    ingest = load_benchmark("ingest")
    return ingest.bench_text(ingest.text_files(60 if quick else None))


def bench_topics(seeds: int, quick: bool) -> dict[str, Any]:
    """The default topic model vs gensim LdaModel (10 passes) on the same units: fit time and NPMI."""
    topics = load_benchmark("topics")
    from corpus_tool.analyse.topics import coherence
    from corpus_tool.analyse.topics.models import DEFAULT_MODEL
    from corpus_tool.analyse.topics.sweep import FitTask, fit_model, term_prob
    from corpus_tool.analyse.topics.units import UnitSettings, build_units

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "gov.duckdb"
        n_reports = topics.build_db(db, SHARED)
        units = build_units(db, UnitSettings())
    prob, presence = term_prob(units.counts), units.presence()
    k = 8 if quick else 15
    out: dict[str, Any] = {"reports": n_reports, "units": units.n_units, "vocabulary": len(units.vocab),
                           "k": k, "model": DEFAULT_MODEL}
    for name, params in ((DEFAULT_MODEL, ()), ("gensim-lda", (("passes", 10),))):
        times, npmi = [], []
        for seed in range(1, seeds + 1):
            model, seconds = timed(lambda seed=seed, name=name, params=params: fit_model(
                FitTask(name, k, seed, params), units.counts))
            times.append(seconds)
            top = coherence.rank_terms(model.topic_term_, prob, 0.6, n=10)
            npmi.append(float(coherence.npmi(top, presence).mean()))
        out[name] = {"fit_s": statistics.mean(times), "npmi": statistics.mean(npmi)}
    return out


def bench_startup(quick: bool) -> dict[str, Any]:
    """Fresh-process start-up of the command line and one-file ingests (medians; see benchmarks/startup.py)."""
    return load_benchmark("startup").measure(runs=1 if quick else 5)


def table(r: dict[str, Any]) -> list[list[str]]:
    rows = []
    pdf = r["pdf"]
    rows.append([
        f"导入 ingest PDF ({pdf['files']} files, {pdf['pages']} pages)",
        f"{pdf['pages'] / pdf['ours_s']:.1f} pages/s",
        f"pdfplumber extract_text {pdf['pages'] / pdf['anchor_s']:.1f} pages/s",
        f"{pdf['ours_s'] / pdf['anchor_s']:.2f}× the time", "≤ 1.5× the time"])
    seg = r["segment"]
    rows.append([
        f"分词 segment ({seg['chars'] / 1e6:.1f} M chars, 1 job)",
        f"{seg['chars'] / seg['ours_s'] / 1e3:,.0f} K chars/s",
        f"jieba.lcut {seg['chars'] / seg['anchor_s'] / 1e3:,.0f} K chars/s",
        f"{seg['anchor_s'] / seg['ours_s']:.1f}× faster", "≥ 10× faster"])
    rows.append([
        "分词 segment (2 jobs)", f"{seg['chars'] / seg['ours_2jobs_s'] / 1e3:,.0f} K chars/s",
        f"jieba.lcut {seg['chars'] / seg['anchor_s'] / 1e3:,.0f} K chars/s",
        f"{seg['anchor_s'] / seg['ours_2jobs_s']:.1f}× faster; {seg['ours_s'] / seg['ours_2jobs_s']:.2f}× 1 job",
        "≥ 1.6× 1 job (large corpus)"])
    pol = r["policy"]
    rows.append([
        f"关键词 TF-IDF ({pol['tfidf_documents']} docs, top 20)",
        f"{pol['tfidf_documents'] / pol['tfidf_s']:,.0f} docs/s",
        f"jieba.analyse.extract_tags {pol['tfidf_documents'] / pol['extract_tags_s']:,.0f} docs/s",
        f"{pol['extract_tags_s'] / pol['tfidf_s']:.1f}× faster", ""])
    top = r["topics"]
    ours, gensim = top[top["model"]], top["gensim-lda"]
    rows.append([
        f"主题 topics ({top['model']}, k={top['k']}, {top['units']} units)",
        f"fit {ours['fit_s']:.2f} s, NPMI {ours['npmi']:.3f}",
        f"gensim LdaModel 10 passes: fit {gensim['fit_s']:.2f} s, NPMI {gensim['npmi']:.3f}",
        f"time {ours['fit_s'] / gensim['fit_s']:.2f}×, NPMI {ours['npmi'] / gensim['npmi']:.2f}×"
        if gensim["npmi"] > 0 else f"time {ours['fit_s'] / gensim['fit_s']:.2f}×", "NPMI ≥ gensim"])
    rows.append([
        f"导入 ingest text ({pol['files']} files, {pol['chars'] / 1e6:.1f} M chars, {pol['jobs']} jobs)",
        f"{pol['chars'] / pol['ingest_s'] / 1e3:,.0f} K chars/s", "", "", ""])
    text = r["text"]
    ours, anchor = text["chars"] / text["read_s"], text["jieba_chars"] / text["jieba_s"]
    rows.append([
        f"读取文本 read text ({text['files']} files, {text['chars'] / 1e6:.1f} M chars, 1 core)",
        f"{ours / 1e6:.2f} M chars/s", f"jieba.lcut {anchor / 1e6:.2f} M chars/s", f"{ours / anchor:.1f}× faster",
        "≥ 2 M chars/s"])
    rows.append([
        "写入 write (the one writing process)", f"{text['write_batched_s'] / text['files'] * 1e3:.2f} ms/file",
        f"one transaction per file {text['write_single_s'] / text['files'] * 1e3:.2f} ms/file",
        f"{text['write_batched_s'] / text['write_single_s']:.2f}× the time", "≤ 1 ms/file"])
    rows.append([
        "重新导入 re-ingest, unchanged", f"{pol['reingest_s']:.1f} s",
        f"first ingest {pol['ingest_s']:.1f} s",
        f"{pol['reingest_s'] / pol['ingest_s']:.1%} of the first", "≤ 5%"])
    st = r["startup"]
    bare = f"python -c pass {st['python']:.2f} s"
    rows.append(["启动 start-up: corpus-tool --help", f"{st['help']:.2f} s", bare, "", "≤ 0.3 s"])
    rows.append(["启动 start-up: corpus-tool kwic --help", f"{st['kwic_help']:.2f} s", bare, "", "≤ 0.5 s"])
    rows.append([f"导入 ingest one PDF page, fresh process ({st['pdf']})", f"{st['ingest_pdf_page']:.2f} s",
                 f"pdfplumber extract_text, fresh process {st['pdfplumber_page']:.2f} s",
                 f"{st['ingest_pdf_page'] / st['pdfplumber_page']:.1f}× the time (CPU "
                 f"{st['cpu']['ingest_pdf_page'] / st['cpu']['pdfplumber_page']:.1f}×)", "≤ 2× the time"])
    rows.append([f"导入 ingest one text file, fresh process ({st['text']})", f"{st['ingest_text']:.2f} s", bare,
                 "", ""])
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the policy-corpus build")
    parser.add_argument("--seeds", type=int, default=1, help="topic-model seeds to average")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--quick", action="store_true",
                        help="small inputs: checks the script, not a benchmark")
    args = parser.parse_args()
    if not POLICY_CORPUS.is_dir():
        print(f"policy corpus not found: {POLICY_CORPUS} (set CORPUS_TOOL_SHARED)", file=sys.stderr)
        return 2
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick}
    started = time.perf_counter()
    for name, run in (("pdf", lambda: bench_pdf(args.quick)), ("segment", lambda: bench_segment(args.quick)),
                      ("policy", lambda: bench_policy(args.jobs, args.quick)), ("text", lambda: bench_text(args.quick)),
                      ("topics", lambda: bench_topics(args.seeds, args.quick)),
                      ("startup", lambda: bench_startup(args.quick))):
        results[name], seconds = timed(run)
        print(f"  {name}: {seconds:.0f} s", file=sys.stderr, flush=True)
    results["total_s"] = round(time.perf_counter() - started, 1)
    m = results["machine"]
    note = " (--quick: not a benchmark)" if args.quick else ""
    print(f"\n{m['date']}; {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; load {m['load_1min']} at "
          f"start; Python {m['python']}; total {results['total_s']:.0f} s{note}\n")
    print(markdown_table(HEADERS, table(results)))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
