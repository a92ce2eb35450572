"""Keyness on the government work reports: target by filter, reference the rest or another database."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_analyse_corpora import reports_db, seed_db

from corpus_tool.analyse import stats
from corpus_tool.analyse.frequency import frequencies
from corpus_tool.analyse.keyness import keyness
from corpus_tool.analyse.query import FilterError
from corpus_tool.store.db import CorpusDB


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reports_db(tmp_path_factory)


@pytest.fixture(scope="module")
def recent(reports: Path):
    return keyness(reports, target="year >= 2018", where="fields.doc_type = gov_work_report", measure="ll")


def test_high_quality_development_is_key_for_reports_from_2018(recent) -> None:
    table = recent.table
    top50 = table.head(50)["term"].tolist()
    assert "高质量发展" in top50, top50
    row = table.set_index("term").loc["高质量发展"]
    assert row["preferred"] == "target" and row["log_likelihood"] > 0 and row["ll_p"] < 1e-10


def test_sides_and_counts_match_the_frequency_table(reports: Path, recent) -> None:
    p = recent.params
    with CorpusDB(reports, read_only=True) as store:
        n_target, n_rest = store.con.execute(
            "SELECT count(*) FILTER (WHERE year >= 2018), count(*) FILTER (WHERE year < 2018) FROM documents "
            "WHERE json_extract_string(fields, '$.doc_type') = 'gov_work_report' AND canonical_id IS NULL"
        ).fetchone()
    assert p["target_documents"] == n_target and p["reference_corpus"]["documents"] == n_rest
    target = frequencies(reports, where="fields.doc_type = gov_work_report and year >= 2018", top=None).table
    term = target.set_index("term").loc["高质量发展"]
    row = recent.table.set_index("term").loc["高质量发展"]
    assert row["target_freq"] == term["frequency"]
    assert row["target_per_10k"] == pytest.approx(term["per_10k"])
    a, b, c, d = row["target_freq"], row["reference_freq"], p["target_words"], p["reference_words"]
    assert row["log_likelihood"] == pytest.approx(float(stats.g2(a, b, c - a, d - b)))
    assert row["chi2"] == pytest.approx(float(stats.chi2_yates(a, b, c - a, d - b)))
    assert row["log_ratio"] == pytest.approx(float(stats.log_ratio(a, c, b, d)))


def test_sorting_by_each_measure(reports: Path) -> None:
    for measure, column in (("chi2", "chi2"), ("pmi", "pmi"), ("lr", "log_ratio")):
        table = keyness(
            reports, target="year >= 2018", where="fields.doc_type = gov_work_report", measure=measure, min_freq=10
        ).table
        values = table[column].dropna().to_numpy()
        assert (values[:-1] >= values[1:]).all()
        assert (table["target_freq"] + table["reference_freq"] >= 10).all()


def test_reference_database(tmp_path_factory: pytest.TempPathFactory, reports: Path) -> None:
    seed = seed_db(tmp_path_factory)
    result = keyness(seed, target=None, reference=reports, reference_where="fields.doc_type = gov_work_report", top=20)
    assert "新质生产力" in result.table["term"].head(10).tolist()
    with CorpusDB(reports, read_only=True) as store:
        n_ref = store.con.execute(
            "SELECT count(*) FROM documents WHERE json_extract_string(fields, '$.doc_type') = 'gov_work_report' "
            "AND canonical_id IS NULL"
        ).fetchone()[0]
    assert result.params["reference_corpus"]["documents"] == n_ref


def test_bad_targets_are_explained(reports: Path) -> None:
    with pytest.raises(ValueError, match="target"):
        keyness(reports, target=None)
    with pytest.raises(ValueError, match="no document"):
        keyness(reports, target="year > 3000")
    with pytest.raises(FilterError):
        keyness(reports, target="year >= 2018; DROP TABLE tokens")
