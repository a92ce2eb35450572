"""Numbers a researcher can cite: every table says which documents and tokens it counts, nothing is dropped
silently, and the run record and the methods paragraph say the same. On the national government work reports
(wikisource + hprc with the shared manifest), built once per session by ``test_analyse_corpora``.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from test_analyse_corpora import reports_db
from typer.testing import CliRunner

from corpus_tool.analyse.coding import code_corpus, starter_dictionary_path
from corpus_tool.analyse.collocations import collocations
from corpus_tool.analyse.frequency import frequencies
from corpus_tool.analyse.keyness import keyness
from corpus_tool.analyse.kwic import kwic
from corpus_tool.analyse.topics import fit_topics, write_topics
from corpus_tool.analyse.topics.stability import best_match_jaccard
from corpus_tool.analyse.units import MISSING_GROUP
from corpus_tool.cli import app
from corpus_tool.export.methods import load_record, methods_text

runner = CliRunner()
NEW_TERM = "新质生产力"  # first in the 2024 report: a node seen only a handful of times


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reports_db(tmp_path_factory)


def _docs(db: Path) -> pd.DataFrame:
    """The analysable documents (near duplicates excluded, as every analysis does by default)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT doc_id, title, year, date, issuer FROM documents WHERE canonical_id IS NULL").df()


def _no_date(docs: pd.DataFrame) -> set[str]:
    blank = docs["date"].isna() | docs["date"].astype("string").str.strip().eq("")
    return set(docs.loc[blank, "doc_id"])


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


# -- P1: grouping never drops documents silently ------------------------------------------------------------
def test_coding_by_date_counts_every_document_in_a_missing_group(reports: Path) -> None:
    docs = _docs(reports)
    undated = _no_date(docs)
    assert 0 < len(undated) < len(docs)  # the premise: many reports carry a year but no date
    result = code_corpus(reports, starter_dictionary_path(), by="date")
    grouping = result.corpus["grouping"]
    assert grouping["documents"] == grouping["documents_selected"] == result.corpus["documents"] == len(docs)
    assert grouping["missing"] == len(undated) and grouping["missing_label"] == MISSING_GROUP
    table, evidence = result.table, result.tables["evidence"]
    assert table["date"].iloc[-1] == MISSING_GROUP  # the missing group is listed last
    assert table["date"].nunique() == docs["date"].dropna().nunique() + 1
    # Every match is counted in some group: the groups add up to the evidence, the undated ones included.
    assert table["matches"].sum() == len(evidence)
    undated_matches = evidence["doc_id"].isin(undated).sum()
    assert undated_matches > 0
    assert table.loc[table["date"] == MISSING_GROUP, "matches"].sum() == undated_matches
    assert any(str(len(undated)) in w and "date" in w for w in result.warnings)


def test_drop_missing_leaves_out_and_says_so(reports: Path) -> None:
    docs = _docs(reports)
    undated = _no_date(docs)
    result = frequencies(reports, by="date", top=3, drop_missing=True)
    assert MISSING_GROUP not in set(result.table["date"])
    assert result.corpus["documents"] == len(docs) - len(undated)
    assert result.corpus["grouping"]["dropped"] == len(undated)
    assert any(f"{len(undated)} of {len(docs)}" in w and "left out" in w for w in result.warnings)


def test_cli_by_field_record_and_methods_state_the_groups(tmp_path: Path, reports: Path) -> None:
    docs = _docs(reports)
    undated = _no_date(docs)
    out = tmp_path / "kw.csv"
    output = run("keywords", "--db", str(reports), "--by", "date", "--top", "3", "--out", str(out))
    assert f"{len(undated)} of {len(docs)} documents have no date" in output
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert MISSING_GROUP in set(table["date"])
    record = load_record(out.with_name(out.name + ".run.json"))
    assert record["corpus"]["documents"] == len(docs) and record["corpus"]["grouping"]["missing"] == len(undated)
    assert record["warnings"]
    text = methods_text(record, "en")
    assert f"{len(undated)} documents without date form the group" in text
    assert f"The corpus comprised {len(docs)} document(s)" in text and "None" not in text
    assert f"{record['corpus']['tokens_counted']:,} tokens passed the token filter" in text

    out = tmp_path / "kw_drop.csv"
    run("keywords", "--db", str(reports), "--by", "date", "--top", "3", "--drop-missing", "--out", str(out))
    record = load_record(out.with_name(out.name + ".run.json"))
    assert record["corpus"]["documents"] == len(docs) - len(undated)
    assert f"{len(undated)} of {len(docs)} documents without date were left out" in methods_text(record, "en")


def test_keyness_puts_documents_with_an_unknown_target_in_neither_group(reports: Path) -> None:
    docs = _docs(reports)
    undated = _no_date(docs)
    result = keyness(reports, target="date >= '2020-01-01'", top=5)
    p = result.params
    assert p["undecided_documents"] == len(undated)
    assert p["target_documents"] + p["reference_documents"] + len(undated) == len(docs)
    assert any("neither" in w for w in result.warnings)


# -- P9: collocation defaults give a table, an empty one says why ---------------------------------------------
def test_collocations_of_a_new_term_with_the_defaults(reports: Path) -> None:
    result = collocations(reports, node=NEW_TERM)
    table = result.table
    assert len(table) >= 5, table
    assert table["ngram"].str.split(" ").map(lambda pair: NEW_TERM in pair).all()
    assert result.params["window"] == 5
    assert 1 <= result.params["min_freq"] <= result.params["node_frequency"]
    assert (table["frequency"] >= result.params["min_freq"]).all()

    empty = collocations(reports, node=NEW_TERM, window=1, min_freq=50)
    assert empty.table.empty
    why = " ".join(empty.warnings)
    assert f"occurs {result.params['node_frequency']} times" in why and "--min-freq" in why


# -- P12: evidence and concordance rows carry title, year and issuer -----------------------------------------
def test_kwic_and_evidence_rows_can_be_cited_without_a_join(reports: Path) -> None:
    docs = _docs(reports).set_index("doc_id")
    lines = kwic(reports, NEW_TERM, sort="year").table
    evidence = code_corpus(reports, starter_dictionary_path(), by="year").tables["evidence"]
    for rows in (lines, evidence):
        assert len(rows)
        assert list(rows.columns[:5]) == ["doc_id", "title", "year", "date", "issuer"]
        assert (rows["title"] == rows["doc_id"].map(docs["title"])).all()
        assert (rows["issuer"] == rows["doc_id"].map(docs["issuer"])).all()
        assert (rows["year"].astype("Int64") == rows["doc_id"].map(docs["year"]).astype("Int64")).all()
    assert lines["year"].min() >= 2023 and lines["year"].is_monotonic_increasing


# -- P10 + P21: topics methods with real counts; stability that measures something -----------------------------
@pytest.fixture(scope="module")
def recent_topics(reports: Path):
    """A small sweep (two k, two seeds) on the reports since 2000: enough to see the seeds move NMF."""
    # (at k = 5 and 8 a random start now finds NNDSVD's topics exactly: the structure is that strong there)
    return fit_topics(reports, k="4,6", seeds=2, where="year >= 2000", by=["doc_type"], c_v=False, n_boot=20)


def test_nmf_stability_comes_from_random_starts_and_resamples(recent_topics) -> None:
    sweep = recent_topics.sweep
    assert sweep["init"].tolist() == ["nndsvd", "random (seed 2)"] * 2
    # The topics really move between the NNDSVD start and a random start at some k (a strong structure may
    # come back whole at a small k), and under the document bootstrap at every k.
    assert (sweep["init_stability"] < 0.999).any(), sweep
    assert (sweep["bootstrap_stability"] < 0.999).all(), sweep
    assert sweep["init_stability"].between(0, 1).all() and sweep["bootstrap_stability"].between(0, 1).all()
    measures = recent_topics.params["measures"]
    assert "random initialisation" in measures["init_stability"]
    assert "bootstrap resample of the documents" in measures["bootstrap_stability"]


def test_topics_methods_paragraph_has_real_counts(tmp_path: Path, recent_topics) -> None:
    paths = write_topics(recent_topics, tmp_path / "topics", html=False, command_line="corpus-tool topics …")
    record = load_record(next(p for p in paths if p.name == "topic_labels.csv.run.json"))
    units = recent_topics.params["units"]
    en, zh = methods_text(record, "en"), methods_text(record, "zh")
    for text in (en, zh):
        assert "None" not in text
        assert f"{units['units']:,}" in text and f"{units['vocabulary']:,}" in text
        assert f"{units['tokens_counted']:,}" in text and "stopwordsiso" in text
        assert "nndsvd" in text and "1000" in text  # the model's initialisation and iterations
    assert f"The corpus comprised {recent_topics.corpus['documents']} document(s)" in en
    assert "seeds 1, 2" in en and "bootstrap resample of the documents" in en and "NPMI" in en
    assert "SHA-256 prefix" in en and "-fc-" not in en  # hash prefixes named as such, no kernel build string
    missing = recent_topics.params["grouping"]["doc_type"]["missing"]
    if missing:
        assert f"{missing} documents without doc_type form the group" in en
        assert MISSING_GROUP in set(recent_topics.prevalence["doc_type"]["doc_type"])


def test_export_methods_paragraph(tmp_path: Path, reports: Path) -> None:
    out = tmp_path / "documents.csv"
    run("export", "documents", "--db", str(reports), "--out", str(out))
    record = json.loads(out.with_name(out.name + ".run.json").read_text("utf-8"))
    n = len(pd.read_csv(out, encoding="utf-8-sig"))
    text = methods_text(record)
    assert "None" not in text
    assert f"The corpus comprised {n} document(s) (of {n} in the database" in text
    assert f"({n} rows)" in text and f"（{n} 行）" in text


def test_best_match_jaccard_is_below_one_for_moved_topics() -> None:
    """The measure behind both stabilities: one topic moved by two of its terms is no longer a perfect match."""
    a = np.arange(40).reshape(2, 20)
    b = a.copy()
    b[1, :2] = [90, 91]
    assert best_match_jaccard(a, a) == 1.0
    assert best_match_jaccard(a, b) == pytest.approx((1 + 18 / 22) / 2)


def test_blank_values_are_missing_and_numbers_sort_numerically(tmp_path: Path) -> None:
    """A manifest value that is blank counts as missing; numeric labels sort 9 before 10; missing comes last."""
    from corpus_tool.analyse.units import Selection, group_order, select_groups
    from corpus_tool.reading.pipeline import ingest_paths
    from corpus_tool.store.db import CorpusDB

    texts = {"a.txt": "第一份通知：加快发展新质生产力。", "b.txt": "第二份通知：推动高质量发展。",
             "c.txt": "第三份通知：深化改革开放。", "d.txt": "第四份通知：保障和改善民生。"}
    for name, text in texts.items():
        (tmp_path / name).write_text(text * 5, encoding="utf-8")
    (tmp_path / "m.csv").write_text("file,batch\na.txt,10\nb.txt,9\nc.txt, \nd.txt,\n", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    ingest_paths([tmp_path / n for n in texts], db, manifests=[tmp_path / "m.csv"])
    with CorpusDB(db, read_only=True) as store:
        docs, grouping = select_groups(store.con, Selection(by="batch"))
        assert group_order(docs) == ["9", "10", MISSING_GROUP]
        assert grouping.missing == 2 and grouping.documents == 4 and grouping.groups == 3
        dropped, grouping = select_groups(store.con, Selection(by="batch", missing="drop"))
        assert len(dropped) == 2 and grouping.dropped == 2 and str(dropped["group"].dtype) == "Int64"


def test_evidence_rows_name_the_group_they_are_counted_in(reports: Path) -> None:
    result = code_corpus(reports, starter_dictionary_path(), by="collection")
    evidence, table = result.tables["evidence"], result.table
    assert list(evidence.columns[:6]) == ["doc_id", "title", "year", "date", "issuer", "collection"]
    per_group = evidence["collection"].value_counts().to_dict()
    assert per_group == table.groupby("collection")["matches"].sum().loc[lambda s: s > 0].to_dict()
