"""Keyness and association statistics against hand-computed 2×2 tables and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2_contingency

from corpus_tool.analyse import stats
from corpus_tool.analyse.collocations import association_table
from corpus_tool.analyse.keyness import keyness_table

# Term: 10 of 100 target words, 5 of 200 reference words. N = 300, E11 = 15·100/300 = 5.
A, B, C, D = 10, 5, 100, 200
CELLS = (A, B, C - A, D - B)


def test_g2_matches_the_formula_and_scipy() -> None:
    by_hand = 2 * (10 * math.log(10 / 5) + 5 * math.log(5 / 10) + 90 * math.log(90 / 95) + 195 * math.log(195 / 190))
    assert stats.g2(*CELLS) == pytest.approx(by_hand, rel=1e-12)
    g, _, _, _ = chi2_contingency(np.array([[10, 5], [90, 195]]), correction=False, lambda_="log-likelihood")
    assert stats.g2(*CELLS) == pytest.approx(g, rel=1e-12)
    assert by_hand == pytest.approx(7.32981, abs=1e-5)


def test_chi2_yates_by_hand_and_scipy() -> None:
    # N(|ad − bc| − N/2)² / (R1 R2 C1 C2) = 300 · (1950 − 450 − 150)² / (15 · 285 · 100 · 200)
    assert stats.chi2_yates(*CELLS) == pytest.approx(300 * 1350**2 / (15 * 285 * 100 * 200), rel=1e-12)
    assert stats.chi2_yates(*CELLS) == pytest.approx(6.394737, abs=1e-6)
    ref, p, _, _ = chi2_contingency(np.array([[10, 5], [90, 195]]), correction=True)
    assert stats.chi2_yates(*CELLS) == pytest.approx(ref, rel=1e-12)
    assert stats.p_value(stats.chi2_yates(*CELLS)) == pytest.approx(p, rel=1e-10)


def test_yates_correction_never_crosses_zero() -> None:
    # |ad − bc| = |5·95 − 5·95| = 0 < N/2: the corrected statistic is 0, not positive.
    assert stats.chi2_yates(5, 5, 95, 95) == 0.0
    ref, _, _, _ = chi2_contingency(np.array([[5, 5], [95, 95]]), correction=True)
    assert ref == pytest.approx(0.0)


def test_signs_follow_the_direction_of_the_difference() -> None:
    # The same counts with target and reference swapped: same magnitude, opposite sign.
    assert stats.g2(5, 10, 195, 90) == pytest.approx(-stats.g2(*CELLS))
    assert stats.chi2_yates(5, 10, 195, 90) == pytest.approx(-stats.chi2_yates(*CELLS))


def test_pmi_t_score_dice_log_ratio_by_hand() -> None:
    assert stats.expected(*CELLS) == pytest.approx(5.0)
    assert stats.pmi(*CELLS) == pytest.approx(1.0)  # log2(10 / 5)
    assert stats.t_score(*CELLS) == pytest.approx((10 - 5) / math.sqrt(10))
    assert stats.dice(*CELLS) == pytest.approx(2 * 10 / (2 * 10 + 5 + 90))
    assert stats.log_ratio(A, C, B, D) == pytest.approx(2.0)  # log2((10/100) / (5/200))


def test_zero_frequencies() -> None:
    assert math.isnan(float(stats.pmi(0, 5, 100, 195)))
    # Hardie: a zero frequency counts as 0.5 → log2((0.5/100) / (5/200)).
    assert stats.log_ratio(0, 100, 5, 200) == pytest.approx(math.log2(0.005 / 0.025))
    assert stats.g2(0, 5, 100, 195) < 0
    assert stats.p_value(0.0) == pytest.approx(1.0)


def test_keyness_table_columns_sorting_and_floor() -> None:
    import pandas as pd

    terms = pd.DataFrame({
        "grp": ["target", "reference", "target", "reference", "target", "target", "reference"],
        "term": ["甲", "甲", "乙", "乙", "丙", "丁", "戊"],
        "n": [10, 5, 3, 30, 2, 2, 1],
        "docs": [2, 1, 1, 3, 1, 1, 1],
    })
    table = keyness_table(terms, 100, 200, measure="ll", min_freq=2)
    assert list(table["term"])[:1] == ["甲"]
    assert "戊" not in set(table["term"])  # joint frequency 1 < 2
    row = table.set_index("term").loc["甲"]
    assert row["log_likelihood"] == pytest.approx(stats.g2(*CELLS))
    assert row["chi2"] == pytest.approx(stats.chi2_yates(*CELLS))
    assert row["log_ratio"] == pytest.approx(2.0)
    assert row["pmi"] == pytest.approx(math.log2(10 * 300 / (15 * 100)))
    assert row["target_per_10k"] == pytest.approx(1000.0)
    # 丙 and 丁 tie on every measure: the term breaks the tie, so the order is fixed.
    ties = table[table["term"].isin(["丙", "丁"])]["term"].tolist()
    assert ties == sorted(ties)
    assert table.set_index("term").loc["乙", "preferred"] == "reference"
    assert table["rank"].tolist() == list(range(1, len(table) + 1))


def test_association_table_uses_pair_marginals() -> None:
    import pandas as pd

    # Pairs: (科技, 创新) ×6, (科技, 进步) ×2, (制度, 创新) ×2 → N = 10.
    grams = pd.DataFrame({"w0": ["科技", "科技", "制度"], "w1": ["创新", "进步", "创新"],
                          "frequency": [6, 2, 2], "documents": [2, 1, 1]})
    table = association_table(grams, 10, 2, measure="pmi", min_freq=1).set_index("ngram")
    row = table.loc["科技 创新"]
    # R1 = 8 pairs start with 科技, C1 = 8 end with 创新, E11 = 8·8/10 = 6.4.
    assert row["first_freq"] == 8 and row["last_freq"] == 8
    assert row["expected"] == pytest.approx(6.4)
    assert row["pmi"] == pytest.approx(math.log2(6 / 6.4))
    assert row["t_score"] == pytest.approx((6 - 6.4) / math.sqrt(6))
    assert row["dice"] == pytest.approx(2 * 6 / (8 + 8))
    assert row["log_likelihood"] == pytest.approx(stats.g2(6, 2, 2, 0))
    assert row["joined"] == "科技创新"
    # A floor drops rows but never changes the marginals of the rest.
    floored = association_table(grams, 10, 2, measure="pmi", min_freq=3).set_index("ngram")
    assert list(floored.index) == ["科技 创新"]
    assert floored.loc["科技 创新", "pmi"] == pytest.approx(row["pmi"])
