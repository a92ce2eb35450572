"""Topic models behind one estimator-like interface (scikit-learn style).

Every model takes its parameters in ``__init__`` (``n_topics``, ``random_state`` ...), does the work in
``fit(counts)`` on a units × terms count matrix, and exposes what it learned as attributes ending in
``_``:

* ``topic_term_``: topics × terms, each row a distribution (sums to 1);
* ``doc_topic_``: units × topics, each row the unit's topic shares (sums to 1; all zero when a unit has
  no weight on any topic, which NMF allows);
* ``perplexity_``: training-set perplexity for the probabilistic models, None for NMF;
* ``n_iter_`` and ``warnings_``.

Models:

* ``nmf`` (default): scikit-learn NMF on TF-IDF weights (sublinear term frequency, smoothed IDF, unit
  rows scaled to length 1), NNDSVD initialisation, coordinate descent. It measured the highest
  coherence on the government work reports (see ``benchmarks/topics.py``). NNDSVD is a deterministic start:
  the seed reaches it only through the randomized SVD behind it, which mostly finds the same factors (the
  same topics for seeds 1 and 2 at k = 10 and 15 on the reports), so the stability sweep starts the other
  seeds' fits from ``init="random"`` (:func:`random_init_params`). Above ``minibatch_above`` units it
  switches to MiniBatchNMF.
* ``lda``: scikit-learn LatentDirichletAllocation on counts (batch variational Bayes; online above
  ``online_above`` units).
* ``gensim-lda``: gensim LdaModel on counts (online variational Bayes, ``passes`` over the corpus).

Callers pin BLAS threads (see :mod:`corpus_tool.analyse.topics.sweep`) so that fits do not depend on
the number of worker processes.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp

DEFAULT_MODEL = "nmf"


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to sum 1; all-zero rows stay zero."""
    matrix = np.asarray(matrix, dtype=np.float64)
    sums = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, sums, out=np.zeros_like(matrix), where=sums > 0)


def tfidf(counts: sp.csr_matrix) -> sp.csr_matrix:
    """Sublinear TF-IDF with smoothed IDF and rows scaled to unit length (scikit-learn's definition)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    return TfidfTransformer(sublinear_tf=True).fit_transform(counts.astype(np.float64)).tocsr()


class NMFTopics:
    """Non-negative matrix factorisation of the TF-IDF matrix: ``X ≈ W H``; topics are the rows of H."""

    model_name = "nmf"

    def __init__(self, n_topics: int = 10, *, random_state: int = 1, init: str = "nndsvd", max_iter: int = 1000,
                 tol: float = 1e-4, alpha_W: float = 0.0, alpha_H: float | str = "same", l1_ratio: float = 0.0,
                 minibatch_above: int = 50_000, batch_size: int = 2048) -> None:
        self.n_topics = n_topics
        self.random_state = random_state
        self.init = init
        self.max_iter = max_iter
        self.tol = tol
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.l1_ratio = l1_ratio
        self.minibatch_above = minibatch_above
        self.batch_size = batch_size

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("n_topics", "random_state", "init", "max_iter", "tol", "alpha_W",
                                              "alpha_H", "l1_ratio", "minibatch_above", "batch_size")}

    def seed_changes_init(self) -> bool:
        """Whether ``random_state`` draws the starting point (NNDSVD and NNDSVDa are deterministic starts)."""
        return self.init not in ("nndsvd", "nndsvda")

    def init_name(self) -> str:
        return str(self.init) if not self.seed_changes_init() else f"{self.init} (seed {self.random_state})"

    def fit(self, counts: sp.csr_matrix) -> NMFTopics:
        from sklearn.decomposition import NMF, MiniBatchNMF

        X = tfidf(counts)
        common = {"n_components": self.n_topics, "init": self.init, "random_state": self.random_state,
                  "max_iter": self.max_iter, "tol": self.tol, "alpha_W": self.alpha_W, "alpha_H": self.alpha_H,
                  "l1_ratio": self.l1_ratio}
        if X.shape[0] > self.minibatch_above:
            model: Any = MiniBatchNMF(batch_size=self.batch_size, **common)
        else:
            model = NMF(solver="cd", **common)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            W = model.fit_transform(X)
        self.estimator_ = model
        self.components_ = np.asarray(model.components_, dtype=np.float64)
        self.doc_weight_ = np.asarray(W, dtype=np.float64)
        self.topic_term_ = _normalise_rows(self.components_)
        self.doc_topic_ = _normalise_rows(self.doc_weight_)
        self.perplexity_: float | None = None
        self.n_iter_ = int(model.n_iter_)
        self.warnings_ = sorted({str(w.message) for w in caught})
        return self


class LDATopics:
    """scikit-learn LatentDirichletAllocation (variational Bayes) on counts."""

    model_name = "lda"

    def __init__(self, n_topics: int = 10, *, random_state: int = 1, max_iter: int = 20,
                 doc_topic_prior: float | None = None, topic_word_prior: float | None = None,
                 online_above: int = 50_000, batch_size: int = 256) -> None:
        self.n_topics = n_topics
        self.random_state = random_state
        self.max_iter = max_iter
        self.doc_topic_prior = doc_topic_prior
        self.topic_word_prior = topic_word_prior
        self.online_above = online_above
        self.batch_size = batch_size

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("n_topics", "random_state", "max_iter", "doc_topic_prior",
                                              "topic_word_prior", "online_above", "batch_size")}

    def seed_changes_init(self) -> bool:
        return True  # the variational parameters start from a random draw

    def init_name(self) -> str:
        return f"random (seed {self.random_state})"

    def fit(self, counts: sp.csr_matrix) -> LDATopics:
        from sklearn.decomposition import LatentDirichletAllocation

        method = "online" if counts.shape[0] > self.online_above else "batch"
        model = LatentDirichletAllocation(
            n_components=self.n_topics, random_state=self.random_state, max_iter=self.max_iter,
            learning_method=method, doc_topic_prior=self.doc_topic_prior, topic_word_prior=self.topic_word_prior,
            batch_size=self.batch_size, n_jobs=None,
        )
        X = counts.astype(np.float64)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            theta = model.fit_transform(X)
            self.perplexity_ = float(model.perplexity(X))
        self.estimator_ = model
        self.learning_method_ = method
        self.components_ = np.asarray(model.components_, dtype=np.float64)
        self.topic_term_ = _normalise_rows(self.components_)
        self.doc_topic_ = _normalise_rows(theta)
        self.n_iter_ = int(model.n_iter_)
        self.warnings_ = sorted({str(w.message) for w in caught})
        return self


class GensimLDATopics:
    """gensim LdaModel (online variational Bayes) on counts; ``passes`` full sweeps over the units."""

    model_name = "gensim-lda"

    def __init__(self, n_topics: int = 10, *, random_state: int = 1, passes: int = 10, iterations: int = 50,
                 alpha: str | float = "symmetric", eta: str | float | None = None, chunksize: int = 2000) -> None:
        self.n_topics = n_topics
        self.random_state = random_state
        self.passes = passes
        self.iterations = iterations
        self.alpha = alpha
        self.eta = eta
        self.chunksize = chunksize

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("n_topics", "random_state", "passes", "iterations", "alpha", "eta",
                                              "chunksize")}

    def seed_changes_init(self) -> bool:
        return True  # the topics start from a random draw

    def init_name(self) -> str:
        return f"random (seed {self.random_state})"

    def fit(self, counts: sp.csr_matrix) -> GensimLDATopics:
        from gensim.models import LdaModel

        corpus = bow_corpus(counts)
        id2word = {i: str(i) for i in range(counts.shape[1])}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = LdaModel(corpus=corpus, id2word=id2word, num_topics=self.n_topics, passes=self.passes,
                             iterations=self.iterations, alpha=self.alpha, eta=self.eta, chunksize=self.chunksize,
                             random_state=self.random_state, eval_every=None, dtype=np.float64)
            # Inference draws from the model's random state, so the order of these calls is fixed.
            gamma, _ = model.inference(corpus)
            self.perplexity_ = float(np.exp2(-model.log_perplexity(corpus)))
        self.estimator_ = model
        self.topic_term_ = _normalise_rows(model.get_topics())
        self.components_ = self.topic_term_
        self.doc_topic_ = _normalise_rows(gamma)
        self.n_iter_ = self.passes
        self.warnings_ = sorted({str(w.message) for w in caught})
        return self


def bow_corpus(counts: sp.csr_matrix) -> list[list[tuple[int, int]]]:
    """gensim's bag-of-words form of a count matrix."""
    counts = counts.tocsr()
    return [list(zip(counts.indices[a:b].tolist(), counts.data[a:b].astype(int).tolist(), strict=True))
            for a, b in zip(counts.indptr[:-1], counts.indptr[1:], strict=True)]


MODELS: dict[str, type[NMFTopics] | type[LDATopics] | type[GensimLDATopics]] = {
    "nmf": NMFTopics,
    "lda": LDATopics,
    "gensim-lda": GensimLDATopics,
}
TopicModel = NMFTopics | LDATopics | GensimLDATopics


def random_init_params(name: str) -> dict[str, Any]:
    """Parameters that start model ``name`` from a seeded random initialisation (empty: it already does)."""
    return {"init": "random"} if name == "nmf" else {}


def make_model(name: str, n_topics: int, random_state: int, **params: Any) -> TopicModel:
    """A model by its CLI name (nmf, lda, gensim-lda)."""
    try:
        cls = MODELS[name]
    except KeyError:
        raise ValueError(f"未知模型 / unknown model {name!r}; choose from {', '.join(MODELS)}") from None
    return cls(n_topics, random_state=random_state, **params)
