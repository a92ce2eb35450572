"""Topic prevalence by a document field (year, issuer, doc_type, any manifest field), with bootstrap intervals.

A group's share of topic k is the share of its counted tokens that the model gives to k:
Σ_u n_u θ_uk / Σ_u n_u over the group's units u (n_u = counted tokens, θ_uk = the unit's topic share).

The 95 % interval is a two-stage (cluster) bootstrap over documents: draw the group's documents with
replacement, then each drawn document's units with replacement, recompute the share, and take the 2.5th and
97.5th percentiles of ``n_boot`` draws. Units of one document are not independent, so documents are the
primary draw; the second stage keeps an interval when a group has a single document (one government work
report per year), where it shows how much the share rests on a few paragraphs. With one unit per document
(``--unit document``) the second stage changes nothing. Each group draws from its own seeded stream, so
results do not depend on the other groups.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_BOOT = 1000
LEVEL = 0.95


def topic_prevalence(doc_topic: np.ndarray, lengths: np.ndarray, unit_docs: pd.Series, groups: pd.DataFrame,
                     field: str, *, n_boot: int = DEFAULT_BOOT, seed: int = 1, level: float = LEVEL,
                     topic_ids: np.ndarray | None = None) -> pd.DataFrame:
    """One row per (group, topic): ``<field>, topic, share, lower, upper, n_documents, n_units, n_terms``.

    ``groups``: ``doc_id``, ``grp`` (label; NA = missing, left out) and ``group`` (typed value), with the
    groups in display order. ``unit_docs``: the document of each row of ``doc_topic``.
    """
    K = doc_topic.shape[1]
    topic_ids = np.arange(1, K + 1) if topic_ids is None else np.asarray(topic_ids)
    weighted = doc_topic * lengths[:, None]
    doc_units = {str(d): np.asarray(ix) for d, ix in pd.Series(np.asarray(unit_docs, dtype=object)).groupby(
        np.asarray(unit_docs, dtype=object), sort=True).indices.items()}
    labels = groups.dropna(subset=["grp"])
    rows: list[dict[str, object]] = []
    alpha = (1 - level) / 2
    for g_index, (_label, members) in enumerate(labels.groupby("grp", sort=False)):
        value = members["group"].iloc[0]
        docs = sorted(members["doc_id"].astype(str))
        unit_index = [np.sort(doc_units[d]) for d in docs if d in doc_units]
        if not unit_index:
            continue
        all_units = np.concatenate(unit_index)
        total = lengths[all_units].sum()
        share = weighted[all_units].sum(axis=0) / total if total > 0 else np.full(K, np.nan)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(g_index,)))
        lower, upper = _bootstrap(weighted, lengths, unit_index, n_boot, rng, alpha)
        for k in range(K):
            rows.append({field: value, "topic": int(topic_ids[k]), "share": float(share[k]),
                         "lower": float(lower[k]), "upper": float(upper[k]), "n_documents": len(unit_index),
                         "n_units": len(all_units), "n_terms": int(total), "_order": g_index})
    out = pd.DataFrame(rows, columns=[field, "topic", "share", "lower", "upper", "n_documents", "n_units",
                                      "n_terms", "_order"])
    out = out.sort_values(["_order", "topic"], kind="mergesort").drop(columns="_order").reset_index(drop=True)
    if len(out) and pd.api.types.is_integer_dtype(groups["group"].dtype):
        out[field] = out[field].astype(groups["group"].dtype)
    return out


def _bootstrap(weighted: np.ndarray, lengths: np.ndarray, unit_index: list[np.ndarray], n_boot: int,
               rng: np.random.Generator, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of the two-stage bootstrap.

    Drawing a document c times and its n units with replacement each time is the same, in distribution,
    as drawing c·n units with replacement once (a sum of multinomials with equal probabilities), so each
    replicate needs one multinomial draw per document.
    """
    K = weighted.shape[1]
    if n_boot <= 0:
        nan = np.full(K, np.nan)
        return nan, nan
    n_docs = len(unit_index)
    doc_draws = rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=n_boot)  # n_boot × n_docs
    num = np.zeros((n_boot, K))
    den = np.zeros(n_boot)
    for d, units in enumerate(unit_index):
        n = len(units)
        picks = rng.multinomial(doc_draws[:, d] * n, np.full(n, 1.0 / n))  # n_boot × n
        num += picks @ weighted[units]
        den += picks @ lengths[units]
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = num / den[:, None]
    lower = np.nanquantile(shares, alpha, axis=0)
    upper = np.nanquantile(shares, 1 - alpha, axis=0)
    return lower, upper
