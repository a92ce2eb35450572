"""Dictionary coding: starter dictionary on the seed, evidence, exclusions, dictionary formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_analyse_corpora import seed_db

from corpus_tool.analyse.coding import (
    Code,
    DictionaryError,
    code_corpus,
    load_dictionary,
    match_text,
    starter_dictionary_path,
)
from corpus_tool.analyse.coding import _compile as compile_code
from corpus_tool.store.db import CorpusDB


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_db(tmp_path_factory)


@pytest.fixture(scope="module")
def coded(seed: Path):
    return code_corpus(seed, starter_dictionary_path())


def test_starter_dictionary_is_marked_and_covers_the_three_sides() -> None:
    text = starter_dictionary_path().read_text("utf-8")
    assert "STARTING POINT" in text and "起步" in text and "Rothwell" in text
    d = load_dictionary(starter_dictionary_path())
    assert {c.category.split()[0] for c in d.codes} == {"供给型", "环境型", "需求型"}


def test_every_counted_match_is_in_the_evidence(coded) -> None:
    counts, evidence = coded.table, coded.tables["evidence"]
    assert counts["matches"].sum() == len(evidence) > 0
    per_code = evidence.groupby("code").size()
    for row in counts.itertuples():
        assert row.matches == per_code.get(row.code, 0)
    assert (counts["matches"] == 0).any()  # codes the article never uses are reported as zeros


def test_evidence_rows_point_at_the_text(seed: Path, coded) -> None:
    with CorpusDB(seed, read_only=True) as store:
        texts = {(d, p): t for d, p, t in store.con.execute("SELECT doc_id, para_no, text FROM paragraphs").fetchall()}
    for row in coded.tables["evidence"].itertuples():
        text = texts[(row.doc_id, row.para_no)]
        assert text[row.start:row.end] == row.match
        assert text[:row.start].endswith(row.left) and text[row.end:].startswith(row.right)


def test_multiword_entries_split_by_the_segmenter_are_matched(seed: Path, coded) -> None:
    with CorpusDB(seed, read_only=True) as store:
        tokens = {t for (t,) in store.con.execute("SELECT DISTINCT token FROM tokens").fetchall()}
    evidence = coded.tables["evidence"]
    split = sorted(set(evidence["entry"]) - tokens)
    # e.g. 基础设施建设, 成果转化, 体制机制改革: never one token, still coded.
    assert split, "expected at least one matched entry that the segmenter splits"
    for entry in split:
        assert (evidence["match"] == entry).sum() > 0


def test_longest_term_wins_and_exclusions_veto() -> None:
    code = Code("finance", terms=("保险", "融资", "融资担保"), exclude=("养老保险",))
    compiled = [(code, *compile_code(code))]
    hits = [(e, s, t) for _, e, s, t in match_text("完善融资担保体系，发展养老保险和科技保险", compiled)]
    assert hits == [("融资担保", 2, 6), ("保险", 18, 20)]


def test_dictionary_formats(tmp_path: Path) -> None:
    csv_path = tmp_path / "d.csv"
    csv_path.write_text("\ufeffcode,term,type,category\n"
                        "tax,税收优惠,,环境型\ntax,减[免征]税,pattern,环境型\ntax,增值税,exclude,环境型\n", "utf-8")
    d = load_dictionary(csv_path)
    assert d.codes[0].terms == ("税收优惠",) and d.codes[0].patterns == ("减[免征]税",)
    assert d.codes[0].exclude == ("增值税",) and d.sha256
    simple = tmp_path / "s.yaml"
    simple.write_text("tax: [税收优惠, 减税]\nfund:\n  terms: [专项资金]\n  patterns: ['\\\\d+亿元']\n", "utf-8")
    assert [c.code for c in load_dictionary(simple).codes] == ["tax", "fund"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("x:\n  patterns: ['(']\n", "utf-8")
    with pytest.raises(DictionaryError, match="x"):
        load_dictionary(bad)
    with pytest.raises(DictionaryError):
        load_dictionary(tmp_path / "missing.yaml")


def test_counts_by_group(seed: Path) -> None:
    by_corpus = code_corpus(seed, starter_dictionary_path(), by="corpus").table
    assert "doc_id" not in by_corpus.columns
    assert by_corpus["matches"].sum() == code_corpus(seed, starter_dictionary_path()).table["matches"].sum()
