"""Term ranking and topic quality: coherence (NPMI, UMass, C_V) and diversity.

Which texts, and how:

* **NPMI** (reported as ``npmi``, the measure that picks the default model and k): over the *same units
  the model was fitted on* (paragraphs or documents), by document co-occurrence: for two of a topic's top
  ``n`` terms, p(w) is the share of units containing w and p(w1, w2) the share containing both;
  NPMI = log(p(w1,w2) / (p(w1) p(w2))) / −log p(w1,w2). A pair that never co-occurs gets −1, the limit of
  the formula (and the usual convention). A topic's NPMI is the mean over its n(n−1)/2 pairs.
* **UMass** (Mimno et al. 2011), same units and counts: mean over ordered pairs (i > j, by rank) of
  log((D(wi, wj) + 1) / D(wj)).
* **C_V** (Röder et al. 2015) with gensim's CoherenceModel: boolean sliding windows of 110 tokens over
  each unit's counted tokens in text order, NPMI-based context vectors, cosine similarity.
* **Diversity** (Dieng et al. 2020): the share of distinct terms among all topics' top 25 terms.

Terms are ranked by *relevance* (Sievert & Shirley 2014): λ log φ(w|k) + (1 − λ) log(φ(w|k) / p(w)),
where p(w) is the term's corpus share. λ = 1 is the plain weight ranking; the default 0.6 is the value
their user study found best for interpreting topics, and pyLDAvis's slider shows the same measure.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

DEFAULT_LAMBDA = 0.6
COHERENCE_TOP_N = 10
DIVERSITY_TOP_N = 25


def relevance(topic_term: np.ndarray, term_prob: np.ndarray, lam: float = DEFAULT_LAMBDA) -> np.ndarray:
    """Relevance of every term to every topic; −inf where a topic gives a term no weight."""
    with np.errstate(divide="ignore", invalid="ignore"):
        log_phi = np.log(topic_term)
        log_lift = log_phi - np.log(term_prob)[None, :]
        out = lam * log_phi + (1 - lam) * log_lift
    out[~np.isfinite(out)] = -np.inf
    return out


def rank_terms(topic_term: np.ndarray, term_prob: np.ndarray, lam: float = DEFAULT_LAMBDA,
               n: int | None = None) -> np.ndarray:
    """Term indices per topic, most relevant first; ties by term order (deterministic)."""
    score = relevance(topic_term, term_prob, lam) if lam < 1 else np.where(topic_term > 0, topic_term, -np.inf)
    order = np.argsort(-score, axis=1, kind="stable")
    return order if n is None else order[:, :n]


def npmi(top: np.ndarray, presence: sp.csc_matrix, n: int = COHERENCE_TOP_N) -> np.ndarray:
    """NPMI of each topic's top ``n`` terms over the units in ``presence`` (see the module docstring)."""
    n_units = presence.shape[0]
    out = np.empty(len(top))
    for k, terms in enumerate(np.asarray(top)[:, :n]):
        co, d = _cooccurrence(presence, terms)
        scores = []
        for i, j in itertools.combinations(range(len(terms)), 2):
            if co[i, j] == 0:
                scores.append(-1.0)
                continue
            p_ij = co[i, j] / n_units
            if p_ij >= 1.0:  # both terms in every unit: independent by definition
                scores.append(0.0)
                continue
            scores.append(float(np.log(p_ij / ((d[i] / n_units) * (d[j] / n_units))) / -np.log(p_ij)))
        out[k] = float(np.mean(scores)) if scores else np.nan
    return out


def umass(top: np.ndarray, presence: sp.csc_matrix, n: int = COHERENCE_TOP_N) -> np.ndarray:
    """UMass coherence of each topic's top ``n`` terms (mean over ordered pairs)."""
    out = np.empty(len(top))
    for k, terms in enumerate(np.asarray(top)[:, :n]):
        co, d = _cooccurrence(presence, terms)
        scores = [float(np.log((co[i, j] + 1.0) / d[j])) for i in range(1, len(terms)) for j in range(i) if d[j] > 0]
        out[k] = float(np.mean(scores)) if scores else np.nan
    return out


def c_v(top_terms: Sequence[Sequence[str]], texts: list[list[str]], n: int = COHERENCE_TOP_N) -> np.ndarray:
    """C_V of each topic (gensim CoherenceModel, one process so the result is reproducible)."""
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    dictionary = Dictionary(texts)
    topics = [list(t[:n]) for t in top_terms]
    model = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence="c_v", topn=n,
                           processes=1)
    return np.asarray(model.get_coherence_per_topic(), dtype=np.float64)


def diversity(top: np.ndarray, n: int = DIVERSITY_TOP_N) -> float:
    """Share of distinct terms among all topics' top ``n`` terms (1 = no term shared)."""
    block = np.asarray(top)[:, :n]
    return float(len(np.unique(block)) / block.size) if block.size else float("nan")


def _cooccurrence(presence: sp.csc_matrix, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    cols = presence[:, np.asarray(terms, dtype=np.int64)]
    co = (cols.T @ cols).toarray()
    return co, np.diag(co).copy()
