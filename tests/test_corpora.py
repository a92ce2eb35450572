"""The whole policy corpus (../shared/data/policy_corpus): every file in, metadata right, copies linked.

One ingest of the 1,221 files (txt/, md/, html/ of every collection, each collection's
manifest.csv joined) is shared by the tests of this module.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from conftest import shared_path

from corpus_tool.reading.document import IngestOptions
from corpus_tool.reading.metadata import normalize_doc_number, normalize_issuer
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.store.db import CorpusDB
from corpus_tool.store.exports import DATA_TABLES
from corpus_tool.store.views import analysable_docs_sql

pytestmark = pytest.mark.slow

STATE_COUNCIL = "state_council_docs_govcn_html_2019crawl"
WIKISOURCE = "gov_work_reports_wikisource_1954_2025"
HPRC = "gov_work_reports_hprc_1954_2017"


def corpus_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*/*") if p.is_dir() and p.name in ("txt", "md", "html"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = shared_path("data", "policy_corpus")
    db = tmp_path_factory.mktemp("corpus") / "policy.duckdb"
    manifests = sorted(root.glob("*/manifest.csv"))
    summary = ingest_paths(corpus_folders(root), db, manifests=manifests, jobs=2,
                           options=IngestOptions(timeout=600))
    with CorpusDB(db, read_only=True) as store:
        files = store.query("SELECT f.source_path, f.doc_id, d.* EXCLUDE (doc_id, source_path) "
                            "FROM files f JOIN documents d USING (doc_id)")
        conflicts = store.table("metadata_conflicts")
    files["collection"] = files.source_path.map(lambda p: Path(p).relative_to(root).parts[0])
    files["manifest"] = files.fields.map(json.loads)
    files["year_source"] = files.sources.map(lambda s: json.loads(s or "{}").get("year"))
    return {"root": root, "db": db, "summary": summary, "files": files, "manifests": manifests,
            "conflicts": conflicts}


def test_every_file_ingests_with_its_manifest_row(corpus: dict) -> None:
    root, summary, files = corpus["root"], corpus["summary"], corpus["files"]
    on_disk = sorted(str(p) for folder in corpus_folders(root) for p in folder.rglob("*") if p.is_file())
    assert summary.failed == 0, summary.errors[:5]
    assert summary.files == len(on_disk)
    assert sorted(files.source_path) == on_disk  # every file is stored, exact copies included
    rows = sum(len(pd.read_csv(m)) for m in corpus["manifests"])
    assert summary.ingested + summary.duplicates == len(on_disk)
    # Every txt/md file has its own manifest row; the HTML copies match by file name stem.
    listed = files[~files.source_path.str.endswith(".html")]
    assert len(listed) == rows
    assert all("doc_id" in m and m.get("manifest_match") == "path" for m in listed.manifest)
    html = files[files.source_path.str.endswith(".html")]
    assert all(m.get("manifest_match") == "stem" and Path(p).stem == m["doc_id"]
               for p, m in zip(html.source_path, html.manifest, strict=True))


def test_state_council_doc_numbers_and_issuers_match_the_manifest(corpus: dict) -> None:
    sc = corpus["files"][corpus["files"].collection == STATE_COUNCIL]
    assert len(sc) == 120  # 60 documents, as HTML and as text
    numbers = [d == normalize_doc_number(m["doc_number"]) for d, m in zip(sc.doc_number, sc.manifest, strict=True)]
    issuers = [i == normalize_issuer(m["issuer"]) for i, m in zip(sc.issuer, sc.manifest, strict=True)]
    assert sum(numbers) / len(sc) >= 0.95, sc[~pd.Series(numbers, index=sc.index)][["source_path", "doc_number"]]
    assert sum(issuers) / len(sc) >= 0.95
    # The manifest's values win. Nearly all come from the documents themselves too (an agreeing value
    # keeps the text as its source); each one the text gave differently is a recorded disagreement.
    sources = [json.loads(s) for s in sc.sources]
    conflicts = corpus["conflicts"]
    for key in ("doc_number", "issuer"):
        by_manifest = {d for d, s in zip(sc.doc_id, sources, strict=True) if s.get(key) == "manifest"}
        assert len(by_manifest) / len(sc) <= 0.05
        assert all(s.get(key, "").startswith("content") for d, s in zip(sc.doc_id, sources, strict=True)
                   if d not in by_manifest)
        assert set(conflicts[conflicts.field == key].doc_id) & set(sc.doc_id) == by_manifest


def test_years_match_the_manifest(corpus: dict) -> None:
    files = corpus["files"]
    known = files[files.manifest.map(lambda m: bool(m.get("year")))]
    same = known.year.astype("Int64").astype(str) == known.manifest.map(lambda m: m["year"])
    assert same.all(), known[~same][["source_path", "year", "year_source"]].head(20)  # the manifest wins
    # Most years are also read from the text or the file name (an agreeing year keeps that source);
    # where the tool read another year, the disagreement is recorded with its value.
    own = known.year_source != "manifest"
    assert own.mean() >= 0.8
    assert all(s == "manifest" or s.split(":")[0] in ("content", "filename") for s in known.year_source)
    disagree = corpus["conflicts"][corpus["conflicts"].field == "year"]
    assert len(disagree) <= 0.05 * len(known), disagree[["source_path", "manifest_value", "text_value"]].head(20)
    assert set(disagree.doc_id) <= set(known.doc_id[~own])


def test_state_council_html_and_text_copies_are_linked(corpus: dict) -> None:
    sc = corpus["files"][corpus["files"].collection == STATE_COUNCIL]
    pairs = defaultdict(dict)
    for row in sc.itertuples():
        pairs[Path(row.source_path).stem][Path(row.source_path).suffix] = row
    assert len(pairs) == 60
    for stem, pair in pairs.items():
        html, txt = pair[".html"], pair[".txt"]
        assert html.canonical_id == txt.doc_id or txt.canonical_id == html.doc_id, stem


def test_work_reports_from_two_websites_are_linked_year_for_year(corpus: dict) -> None:
    files = corpus["files"]
    reports = files[files.collection.isin([WIKISOURCE, HPRC])]
    year = {r.doc_id: r.manifest.get("year") for r in reports.itertuples()}
    canonical = {r.doc_id: r.canonical_id for r in reports.itertuples()}
    wiki = reports[(reports.collection == WIKISOURCE) & (reports.manifest.map(lambda m: m["doc_type"])
                                                         == "gov_work_report")]
    hprc = reports[reports.collection == HPRC]
    overlap = sorted(set(wiki.manifest.map(lambda m: m["year"])) & set(hprc.manifest.map(lambda m: m["year"])))
    assert len(overlap) >= 40

    def linked(a: str, b: str) -> bool:
        return canonical[a] == b or canonical[b] == a or (canonical[a] is not None and canonical[a] == canonical[b])

    hits = 0
    for y in overlap:
        w_ids = [d for d in wiki.doc_id if year[d] == y]
        h_ids = [d for d in hprc.doc_id if year[d] == y]
        hits += any(linked(a, b) for a in w_ids for b in h_ids)
    assert hits / len(overlap) >= 0.90
    # No link joins two different years, anywhere in the two collections.
    for doc_id, target in canonical.items():
        if target is not None and target in year:
            assert year[doc_id] == year[target], (doc_id, target)


def test_near_duplicates_are_left_out_of_analyses_by_default(corpus: dict) -> None:
    with CorpusDB(corpus["db"], read_only=True) as store:
        n_all = len(store.query(analysable_docs_sql(include_duplicates=True)))
        n_default = len(store.query(analysable_docs_sql()))
        n_dups = store.query("SELECT count(*) AS n FROM documents WHERE canonical_id IS NOT NULL").n[0]
    assert n_dups >= 60 + 40
    assert n_default == n_all - n_dups


def test_reingesting_the_unchanged_corpus_adds_nothing(corpus: dict) -> None:
    with CorpusDB(corpus["db"], read_only=True) as store:
        before = {t: store.table(t) for t in DATA_TABLES}
    summary = ingest_paths(corpus_folders(corpus["root"]), corpus["db"], manifests=corpus["manifests"], jobs=2)
    assert summary.unchanged == summary.files == corpus["summary"].files
    assert summary.ingested == summary.failed == summary.duplicates == 0
    with CorpusDB(corpus["db"], read_only=True) as store:
        for table, df in before.items():
            pd.testing.assert_frame_equal(store.table(table), df, obj=table)


def test_traditional_reports_are_detected(corpus: dict) -> None:
    files = corpus["files"]
    traditional = files[files.script == "traditional"]
    names = " ".join(traditional.source_path)
    assert "1954" in names  # the 1954 report on wikisource is in traditional characters
    assert len(traditional) >= 2
    assert (files.script == "simplified").mean() > 0.95
