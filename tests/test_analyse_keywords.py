"""Keywords (TF-IDF with corpus or reference IDF, TextRank) and frequencies on real corpora."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_analyse_corpora import reports_db, seed_db

from corpus_tool.analyse.frequency import frequencies
from corpus_tool.analyse.keywords import keywords, pagerank
from corpus_tool.analyse.units import NoSegmentationError
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.store.db import CorpusDB


def n_documents(db: Path, where: str) -> int:
    with CorpusDB(db, read_only=True) as store:
        return store.con.execute(f"SELECT count(*) FROM documents WHERE {where}").fetchone()[0]


MUST = ["新质生产力", "先立后破", "科技创新", "产业创新", "因地制宜"]


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_db(tmp_path_factory)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reports_db(tmp_path_factory)


def test_seed_tfidf_against_work_reports_ranks_the_papers_concepts(seed: Path, reports: Path) -> None:
    result = keywords(
        seed, method="tfidf", top=30, reference=reports, reference_where="fields.doc_type = gov_work_report"
    )
    terms = result.table["term"].tolist()
    ranks = {t: terms.index(t) + 1 for t in MUST if t in terms}
    assert set(ranks) == set(MUST), f"missing from the top 30: {set(MUST) - set(ranks)}; got {terms}"
    n_ref = n_documents(
        reports, "json_extract_string(fields, '$.doc_type') = 'gov_work_report' AND canonical_id IS NULL"
    )
    assert result.params["reference_corpus"]["documents"] == n_ref
    # The reference IDF follows ln((N+1)/(df+1))+1: a term in no report gets the maximum.
    row = result.table.set_index("term").loc["新质生产力"]
    assert row["idf"] == pytest.approx(np.log((n_ref + 1) / (row["df"] + 1)) + 1)
    assert row["score"] == pytest.approx(row["tf"] * row["idf"])


def test_reference_idf_differs_from_corpus_idf(seed: Path, reports: Path) -> None:
    own = keywords(seed, method="tfidf", top=None)
    # One document: corpus IDF is the same for every term, so TF-IDF ranks like frequency.
    assert own.table["idf"].nunique() == 1
    freq = keywords(seed, method="freq", top=None)
    assert own.table["term"].tolist() == freq.table["term"].tolist()
    ref = keywords(seed, method="tfidf", top=None, reference=reports)
    assert ref.table["term"].tolist() != own.table["term"].tolist()


def test_corpus_idf_per_document_and_per_group(reports: Path) -> None:
    per_doc = keywords(reports, method="tfidf", by="document", top=5, where="fields.doc_type = gov_work_report")
    assert per_doc.table.groupby("doc_id").size().max() == 5
    assert per_doc.table["doc_id"].nunique() == n_documents(
        reports, "json_extract_string(fields, '$.doc_type') = 'gov_work_report' AND canonical_id IS NULL"
    )
    n = per_doc.params["idf_documents"]
    assert per_doc.table["idf"].to_numpy() == pytest.approx(np.log((n + 1) / (per_doc.table["df"] + 1)) + 1)
    by_year = keywords(
        reports, method="tfidf", by="year", top=10, where="year >= 2018 and fields.doc_type = gov_work_report"
    )
    assert by_year.table["year"].tolist() == sorted(by_year.table["year"].tolist())
    with CorpusDB(reports, read_only=True) as store:
        years = {
            r[0]
            for r in store.con.execute(
                "SELECT DISTINCT year FROM documents WHERE year >= 2018 "
                "AND json_extract_string(fields, '$.doc_type') = 'gov_work_report' AND canonical_id IS NULL"
            ).fetchall()
        }
    assert set(by_year.table["year"]) == years
    # Within a group the scores never increase down the ranking.
    for _, g in by_year.table.groupby("year"):
        assert (np.diff(g["score"].to_numpy()) <= 1e-15).all()


def test_textrank_on_the_seed(seed: Path) -> None:
    result = keywords(seed, method="textrank", top=None)
    table = result.table
    assert table["score"].sum() == pytest.approx(1.0)
    assert (table["degree"] >= 1).all()
    top10 = table["term"].head(10).tolist()
    assert "新质生产力" in top10 and "因地制宜" in top10
    assert keywords(seed, method="textrank", top=None).table.equals(table)  # deterministic


def test_pagerank_of_a_star_graph() -> None:
    # Centre 0 joined to 1, 2, 3 with equal weights: the centre ranks first, the leaves tie.
    scores, degree = pagerank(np.array([0, 0, 0]), np.array([1, 2, 3]), np.ones(3), 4)
    assert scores[0] > scores[1] == pytest.approx(scores[2]) == pytest.approx(scores[3])
    assert scores.sum() == pytest.approx(1.0)
    assert degree.tolist() == [3, 1, 1, 1]
    # Closed form for the star: leaf = (1 − d)/n + d·centre/3, centre = (1 − d)/n + d·(3·leaf).
    d, n = 0.85, 4
    leaf = ((1 - d) / n + d * (1 - d) / n / 3) / (1 - d * d)
    assert scores[1] == pytest.approx(leaf)


def test_frequencies_by_manifest_field_and_rates(reports: Path) -> None:
    result = frequencies(reports, by="collection", top=None)
    table = result.table
    assert set(table["collection"]) == {"gov_work_reports_wikisource_1954_2025", "gov_work_reports_hprc_1954_2017"}
    for _, g in table.groupby("collection"):
        assert (g["documents"] <= g["documents"].max()).all()
        assert (np.diff(g["frequency"].to_numpy()) <= 0).all()
    one = table[(table["term"] == "发展")].set_index("collection")
    # per_10k = frequency / words of the group · 10,000: two groups, two different denominators.
    assert (one["per_10k"] / one["frequency"]).nunique() == 2
    corpus = frequencies(reports, top=None).table.set_index("term")
    assert corpus.loc["发展", "frequency"] == one["frequency"].sum()


def test_a_database_without_tokens_says_to_run_segment(tmp_path: Path) -> None:
    from conftest import shared_path

    db = tmp_path / "raw.duckdb"
    ingest_paths([shared_path("seed", "000_dad38d6db3becc45.txt")], db)
    with pytest.raises(NoSegmentationError, match="corpus-tool segment"):
        keywords(db)


def test_per_year_keywords_show_what_distinguishes_each_year(reports: Path) -> None:
    """TF-IDF by year compares the years: the top 10 of a year is not the verbs every report uses."""
    from collections import Counter

    result = keywords(reports, method="tfidf", by="year", top=10, where="fields.doc_type = gov_work_report")
    tops = result.table.groupby("year")["term"].apply(list)
    assert len(tops) >= 40
    # The measure: share of top-10 slots taken by terms that are in the top 10 of at least half the years
    # (31% with the smoothed document IDF: 发展, 建设, 经济, 改革, 加强 in nearly every year).
    in_years = Counter(t for terms in tops for t in terms)
    common = {t for t, n in in_years.items() if n >= len(tops) / 2}
    share = sum(t in common for terms in tops for t in terms) / sum(len(terms) for terms in tops)
    assert share <= 0.05, (share, common)
    assert max(in_years.values()) <= len(tops) / 3, in_years.most_common(5)
    assert "四人帮" in tops[1978]  # a year's own words
    assert result.params["idf"]["over"] == "groups" and result.params["idf"]["formula"] == "ln(N/df)"
    assert result.params["idf_units"] == len(tops)
    # A term that every year uses scores 0; the IDF is ln(N/df) over the years.
    full = keywords(reports, method="tfidf", by="year", top=None, where="fields.doc_type = gov_work_report")
    t = full.table
    assert t["idf"].to_numpy() == pytest.approx(np.log(len(tops) / t["df"].to_numpy()))
    assert (t.loc[t["df"] == len(tops), "score"] == 0).all()
    # The verbs every report uses are policy stopwords: not counted at all.
    assert not set(t["term"]) & {"加强", "推动", "完善", "坚持"}


def test_one_group_warns_that_the_group_idf_says_nothing(reports: Path) -> None:
    result = keywords(reports, method="tfidf", by="year", top=5,
                      where="year = 2024 and fields.doc_type = gov_work_report")
    assert any("only one group" in w for w in result.warnings)
