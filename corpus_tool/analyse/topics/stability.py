"""Topic stability: do two fits find the same topics?

Two fits are compared by their topics' top-20 terms: the Jaccard similarity of every pair of topics
(shared terms / all terms), then the one-to-one matching of topics that maximises total similarity
(the Hungarian algorithm, :func:`scipy.optimize.linear_sum_assignment`), then the mean similarity of the
matched pairs. 1 means every topic of one fit has an identical twin in the other; values near the
Jaccard of random term sets mean the topics do not reproduce. This is the "average Jaccard with
best match" of Greene, O'Callaghan & Cunningham (2014), on sets rather than ranked lists.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

STABILITY_TOP_N = 20


def jaccard_matrix(a: np.ndarray, b: np.ndarray, n: int = STABILITY_TOP_N) -> np.ndarray:
    """Jaccard similarity of the top-``n`` term sets of every topic of ``a`` (rows) and ``b`` (columns)."""
    sets_a = [set(row[:n].tolist()) for row in np.asarray(a)]
    sets_b = [set(row[:n].tolist()) for row in np.asarray(b)]
    out = np.zeros((len(sets_a), len(sets_b)))
    for i, sa in enumerate(sets_a):
        for j, sb in enumerate(sets_b):
            union = len(sa | sb)
            out[i, j] = len(sa & sb) / union if union else 0.0
    return out


def match_topics(a: np.ndarray, b: np.ndarray, n: int = STABILITY_TOP_N) -> tuple[np.ndarray, np.ndarray]:
    """The best one-to-one matching of topics of ``a`` to topics of ``b``: (pairs as rows [i, j], similarity)."""
    sim = jaccard_matrix(a, b, n)
    rows, cols = linear_sum_assignment(-sim)
    return np.stack([rows, cols], axis=1), sim[rows, cols]


def best_match_jaccard(a: np.ndarray, b: np.ndarray, n: int = STABILITY_TOP_N) -> float:
    """Mean Jaccard similarity of matched topics (with unequal numbers of topics, over the smaller set)."""
    _, sims = match_topics(a, b, n)
    return float(sims.mean()) if len(sims) else float("nan")


def pairwise_stability(fits: Sequence[np.ndarray], n: int = STABILITY_TOP_N) -> np.ndarray:
    """For each fit, its mean best-match Jaccard with every other fit (NaN when there is only one)."""
    m = len(fits)
    sims = np.full((m, m), np.nan)
    for i, j in itertools.combinations(range(m), 2):
        sims[i, j] = sims[j, i] = best_match_jaccard(fits[i], fits[j], n)
    if m < 2:
        return np.full(m, np.nan)
    return np.nanmean(sims, axis=1)
