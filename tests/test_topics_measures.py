"""Units for the subtle parts of topics: coherence, stability matching, the bootstrap, the k rule."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from corpus_tool.analyse.topics import coherence, parse_k
from corpus_tool.analyse.topics.prevalence import topic_prevalence
from corpus_tool.analyse.topics.stability import best_match_jaccard, pairwise_stability
from corpus_tool.analyse.topics.sweep import bootstrap_rows, recommend_k
from corpus_tool.analyse.topics.units import boilerplate_threshold, df_bounds


def _presence(rows: list[set[int]], n_terms: int) -> sp.csc_matrix:
    data = [(i, t) for i, r in enumerate(rows) for t in r]
    m = sp.csr_matrix((np.ones(len(data)), ([d[0] for d in data], [d[1] for d in data])),
                      shape=(len(rows), n_terms))
    return m.tocsc()


def test_npmi_by_hand() -> None:
    # 4 units; term 0 in units 0,1; term 1 in units 0,1,2; term 2 only in unit 3.
    presence = _presence([{0, 1}, {0, 1}, {1}, {2}], 3)
    p01, p0, p1 = 2 / 4, 2 / 4, 3 / 4
    expected_01 = math.log(p01 / (p0 * p1)) / -math.log(p01)
    (value,) = coherence.npmi(np.array([[0, 1]]), presence, n=2)
    assert value == pytest.approx(expected_01)
    # term 2 never meets term 0 or 1: those pairs count −1.
    (value,) = coherence.npmi(np.array([[0, 1, 2]]), presence, n=3)
    assert value == pytest.approx((expected_01 - 1 - 1) / 3)
    # Terms that always co-occur score 1.
    (value,) = coherence.npmi(np.array([[0, 1]]), _presence([{0, 1}, {0, 1}, set(), {2}], 3), n=2)
    assert value == pytest.approx(1.0)


def test_umass_by_hand() -> None:
    presence = _presence([{0, 1}, {0, 1}, {1}, {2}], 3)
    (value,) = coherence.umass(np.array([[1, 0]]), presence, n=2)
    assert value == pytest.approx(math.log((2 + 1) / 3))  # D(w0, w1) = 2, D(w1) = 3 (w1 ranked first)


def test_relevance_ranking() -> None:
    phi = np.array([[0.5, 0.3, 0.2, 0.0]])
    p = np.array([0.6, 0.1, 0.2, 0.1])
    # λ = 1 is the weight order; lower λ lifts terms that are rare in the corpus (term 1).
    assert coherence.rank_terms(phi, p, 1.0).tolist() == [[0, 1, 2, 3]]
    assert coherence.rank_terms(phi, p, 0.0)[0, :3].tolist() == [1, 2, 0]
    assert coherence.rank_terms(phi, p, 0.6)[0, -1] == 3  # zero weight always last
    assert coherence.diversity(np.array([[0, 1, 2], [2, 3, 4]]), n=3) == pytest.approx(5 / 6)


def test_best_match_uses_the_optimal_assignment() -> None:
    # Greedy would match a0 with b0 (J = 0.6) and leave a1 with b1 (J = 0); the best one-to-one
    # matching is a0-b1 (0.5) and a1-b0 (0.5).
    a = np.array([[0, 1, 2, 3], [0, 1, 2, 9]])
    b = np.array([[0, 1, 2, 4], [3, 5, 6, 7]])
    sim = [[3 / 5, 1 / 7], [3 / 5, 0.0]]
    assert sim[0][1] + sim[1][0] > sim[0][0] + sim[1][1]
    assert best_match_jaccard(a, b, n=4) == pytest.approx((sim[0][1] + sim[1][0]) / 2)
    # Same topics in another order: perfectly stable.
    assert best_match_jaccard(a, a[::-1], n=4) == 1.0
    assert best_match_jaccard(a, np.array([[10, 11, 12, 13], [14, 15, 16, 17]]), n=4) == 0.0
    stab = pairwise_stability([a, a[::-1], b], n=4)
    assert stab[0] == pytest.approx((1.0 + best_match_jaccard(a, b, n=4)) / 2)
    assert np.isnan(pairwise_stability([a])).all()


def test_prevalence_share_and_interval() -> None:
    # Two documents in group A (two units each), one in group B (three units), two topics.
    theta = np.array([[1, 0], [0.5, 0.5], [0, 1], [0, 1], [1, 0], [1, 0], [0.2, 0.8]], dtype=float)
    lengths = np.array([10, 10, 20, 20, 5, 5, 10], dtype=float)
    docs = pd.Series(["d1", "d1", "d2", "d2", "d3", "d3", "d3"])
    groups = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "grp": ["A", "A", "B"], "group": ["A", "A", "B"]})
    table = topic_prevalence(theta, lengths, docs, groups, "issuer", n_boot=500, seed=7)
    assert table[["issuer", "topic"]].to_numpy().tolist() == [["A", 1], ["A", 2], ["B", 1], ["B", 2]]
    share_a1 = (10 * 1 + 10 * 0.5) / 60
    assert table.loc[0, "share"] == pytest.approx(share_a1)
    assert table.loc[2, "share"] == pytest.approx((5 + 5 + 2) / 20)
    assert (table["lower"] <= table["share"]).all() and (table["share"] <= table["upper"]).all()
    assert table.loc[0, "upper"] > table.loc[0, "lower"]
    assert table.loc[2, "n_documents"] == 1 and table.loc[2, "upper"] > table.loc[2, "lower"]
    again = topic_prevalence(theta, lengths, docs, groups, "issuer", n_boot=500, seed=7)
    pd.testing.assert_frame_equal(table, again)
    # A group's interval does not depend on the other groups' data.
    other = theta.copy()
    other[4:] = [[0, 1], [0, 1], [0, 1]]
    changed = topic_prevalence(other, lengths, docs, groups, "issuer", n_boot=500, seed=7)
    pd.testing.assert_frame_equal(table.iloc[:2], changed.iloc[:2])


def test_prevalence_leaves_out_missing_groups() -> None:
    theta = np.array([[1.0, 0.0], [0.0, 1.0]])
    groups = pd.DataFrame({"doc_id": ["d1", "d2"], "grp": [pd.NA, "2020"],
                           "group": pd.array([pd.NA, 2020], dtype="Int64")})
    table = topic_prevalence(theta, np.array([3.0, 4.0]), pd.Series(["d1", "d2"]), groups, "year", n_boot=50)
    assert table["year"].tolist() == [2020, 2020]
    assert table["share"].tolist() == [0.0, 1.0]


def test_recommend_k_rule() -> None:
    per_k = pd.DataFrame({
        "k": [5, 10, 15, 20],
        "npmi": [0.20, 0.30, 0.35, 0.40],
        "init_stability": [0.9, 0.9, 0.9, 0.9],
        "bootstrap_stability": [0.80, 0.78, 0.73, 0.50],
    })
    k, reason = recommend_k(per_k)
    assert k == 15  # 20 has the best NPMI but is unstable (0.50 < 0.9 × 0.80)
    assert "15" in reason and "NPMI" in reason
    per_k["bootstrap_stability"] = np.nan
    per_k["npmi"] = [0.3, 0.3, 0.2, 0.1]
    assert recommend_k(per_k)[0] == 5  # tie on NPMI goes to the smaller k; init stability used instead
    assert recommend_k(per_k.iloc[[2]])[0] == 15


def test_parse_k_and_bounds() -> None:
    assert parse_k(15) == (15,)
    assert parse_k("5:30:5") == (5, 10, 15, 20, 25, 30)
    assert parse_k("5：15：5") == (5, 10, 15)
    assert parse_k("20,5,10") == (5, 10, 20)
    for bad in ("9:3", "a", "5:10:0"):
        with pytest.raises(ValueError):
            parse_k(bad)
    assert df_bounds(5000, 0.002, 0.5) == (10, 2500)
    assert df_bounds(28, 0.002, 0.5) == (2, 14)  # floor never below 2
    assert df_bounds(100, 5, 40) == (5, 40)
    assert boilerplate_threshold(52, 0.2) == 11 and boilerplate_threshold(1, 0.2) == 3
    assert boilerplate_threshold(52, 0) is None
    # The bootstrap draws documents with replacement and takes all of a drawn document's units.
    docs = np.repeat(np.arange(50), 3)  # 50 documents of 3 units each
    rows = bootstrap_rows(docs, 1.0, seed=1, k=5)
    assert len(rows) == 150 and (np.diff(rows) >= 0).all()
    drawn = np.bincount(docs[rows], minlength=50)
    assert (drawn % 3 == 0).all() and drawn.max() > 3  # whole documents, some drawn more than once
    assert 0 < (drawn == 0).sum() < 50  # and some not at all
    assert (rows == bootstrap_rows(docs, 1.0, seed=1, k=5)).all()
    assert not np.array_equal(rows, bootstrap_rows(docs, 1.0, seed=2, k=5))
