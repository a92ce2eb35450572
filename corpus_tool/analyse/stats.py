"""Association and keyness statistics over 2×2 contingency tables, vectorised with NumPy.

The table for a term (or word pair) is::

                 target (or: second word)   reference (or: other)
    term         o11                        o12
    other        o21                        o22

All functions take arrays (or scalars) of the four cells and return arrays. Zero cells follow
the usual conventions: 0·ln 0 = 0 in G², PMI is undefined (NaN) when o11 = 0, and the log ratio
replaces a zero frequency by 0.5 (Hardie 2014).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats as _scipy_stats


def _cells(o11: ArrayLike, o12: ArrayLike, o21: ArrayLike, o22: ArrayLike) -> tuple[NDArray[np.float64], ...]:
    return tuple(np.asarray(x, dtype=np.float64) for x in (o11, o12, o21, o22))


def expected(o11: ArrayLike, o12: ArrayLike, o21: ArrayLike, o22: ArrayLike) -> NDArray[np.float64]:
    """E11 = R1·C1 / N: the expected count of the first cell under independence."""
    a, b, c, d = _cells(o11, o12, o21, o22)
    n = a + b + c + d
    return (a + b) * (a + c) / n


def g2(o11: ArrayLike, o12: ArrayLike, o21: ArrayLike, o22: ArrayLike, *, signed: bool = True) -> NDArray[np.float64]:
    """Log-likelihood G² = 2 Σ O ln(O/E) over the four cells (Dunning 1993).

    Signed: negative when o11 is below its expected count (the term prefers the other column).
    """
    a, b, c, d = _cells(o11, o12, o21, o22)
    n = a + b + c + d
    r1, r2, c1, c2 = a + b, c + d, a + c, b + d
    total = np.zeros_like(n)
    for o, e in ((a, r1 * c1 / n), (b, r1 * c2 / n), (c, r2 * c1 / n), (d, r2 * c2 / n)):
        with np.errstate(divide="ignore", invalid="ignore"):
            total += np.where(o > 0, o * np.log(o / e), 0.0)
    stat = np.maximum(2.0 * total, 0.0)
    return np.where(a < r1 * c1 / n, -stat, stat) if signed else stat


def chi2_yates(o11: ArrayLike, o12: ArrayLike, o21: ArrayLike, o22: ArrayLike, *,
               signed: bool = True) -> NDArray[np.float64]:
    """Pearson's χ² with Yates' continuity correction: N(|ad − bc| − N/2)² / (R1 R2 C1 C2).

    The correction never carries the statistic past zero (as ``scipy.stats.chi2_contingency``).
    """
    a, b, c, d = _cells(o11, o12, o21, o22)
    n = a + b + c + d
    num = n * np.maximum(np.abs(a * d - b * c) - n / 2.0, 0.0) ** 2
    den = (a + b) * (c + d) * (a + c) * (b + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = np.where(den > 0, num / den, 0.0)
    return np.where(a * d - b * c < 0, -stat, stat) if signed else stat


def p_value(stat: ArrayLike) -> NDArray[np.float64]:
    """Upper-tail p of a χ²(1) statistic (G² or χ²; the sign is ignored)."""
    return np.asarray(_scipy_stats.chi2.sf(np.abs(np.asarray(stat, dtype=np.float64)), 1))


def pmi(o11: ArrayLike, o12: ArrayLike, o21: ArrayLike, o22: ArrayLike) -> NDArray[np.float64]:
    """Pointwise mutual information log₂(O11 / E11); NaN when O11 = 0."""
    a = np.asarray(o11, dtype=np.float64)
    e = expected(o11, o12, o21, o22)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a > 0, np.log2(a / e), np.nan)


def t_score(o11: ArrayLike, o12: ArrayLike, o21: ArrayLike, o22: ArrayLike) -> NDArray[np.float64]:
    """t-score (O11 − E11) / √O11 (Church et al. 1991); NaN when O11 = 0."""
    a = np.asarray(o11, dtype=np.float64)
    e = expected(o11, o12, o21, o22)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a > 0, (a - e) / np.sqrt(a), np.nan)


def dice(o11: ArrayLike, o12: ArrayLike, o21: ArrayLike, o22: ArrayLike) -> NDArray[np.float64]:
    """Dice coefficient 2·O11 / (R1 + C1)."""
    a, b, c, _ = _cells(o11, o12, o21, o22)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((2 * a + b + c) > 0, 2.0 * a / (2 * a + b + c), np.nan)


def log_ratio(freq_target: ArrayLike, total_target: ArrayLike, freq_reference: ArrayLike,
              total_reference: ArrayLike) -> NDArray[np.float64]:
    """Hardie's Log Ratio: log₂ of the ratio of relative frequencies, a zero frequency taken as 0.5."""
    ft = np.asarray(freq_target, dtype=np.float64)
    fr = np.asarray(freq_reference, dtype=np.float64)
    ft = np.where(ft == 0, 0.5, ft)
    fr = np.where(fr == 0, 0.5, fr)
    return np.log2((ft / np.asarray(total_target, dtype=np.float64)) / (fr / np.asarray(total_reference,
                                                                                          dtype=np.float64)))
