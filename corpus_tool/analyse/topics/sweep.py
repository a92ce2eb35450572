"""Fit many models — every k × seed, plus refits on bootstrap resamples of the documents — and choose k.

Each fit is a :class:`FitTask`. With ``jobs > 1`` the tasks go to a ``multiprocessing`` pool started with
the "spawn" method (the same on Linux, macOS and Windows); ``Pool.map`` returns results in task order,
and every fit runs with one BLAS/OpenMP thread (threadpoolctl), in the pool and in the main process
alike, so a fit's numbers do not depend on ``jobs``.

Per k, the sweep reports NPMI, C_V and UMass coherence, topic diversity, perplexity (LDA only) and two
kinds of stability (best-match Jaccard of top-20 terms, :mod:`~corpus_tool.analyse.topics.stability`):

* ``init_stability``: between fits on all units from different random initialisations (one per seed): is
  the answer the starting point's doing? The first seed's fit uses the model's own initialisation (the
  tables come from it); a model whose initialisation is deterministic (NMF with NNDSVD) is
  started from a seeded random initialisation (``init="random"``) for the other seeds, so that the seeds
  really start it elsewhere — otherwise the seeds give (nearly) the same fit and "stability 1.00" means nothing.
  The ``init`` column of the sweep table says which initialisation each fit used.
* ``bootstrap_stability``: between a fit on all units and a refit, same seed and initialisation, on a
  bootstrap resample of the documents (documents drawn with replacement, each with all its units;
  Greene et al. 2014): would a slightly different corpus give the same topics?

Recommended k: among the ks whose mean stability (bootstrap stability when measured, else initialisation
stability) is at least 90 % of the best k's, the one with the highest mean NPMI; ties go to the smaller k.
"""

from __future__ import annotations

import multiprocessing as mp
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from corpus_tool.analyse.topics import coherence
from corpus_tool.analyse.topics.models import TopicModel, make_model, random_init_params
from corpus_tool.analyse.topics.stability import STABILITY_TOP_N, best_match_jaccard, pairwise_stability

STABLE_SHARE = 0.9  # ks within this share of the best stability are "stable enough"
RANKED_TERMS = max(coherence.DIVERSITY_TOP_N, STABILITY_TOP_N, coherence.COHERENCE_TOP_N)


@dataclass(frozen=True)
class FitTask:
    """One fit: the model, k, seed, its initialisation and, for a bootstrap refit, the size of the draw
    as a share of the documents."""

    model: str
    k: int
    seed: int
    params: tuple[tuple[str, Any], ...] = ()
    resample: float | None = None
    lam: float = coherence.DEFAULT_LAMBDA
    c_v: bool = True
    random_init: bool = False  # start from a seeded random initialisation instead of the model's own

    def model_params(self) -> dict[str, Any]:
        params = dict(self.params)
        if self.random_init:
            params.update(random_init_params(self.model))
        return params

    def init_name(self) -> str:
        """The initialisation, as the sweep table names it."""
        return str(make_model(self.model, self.k, self.seed, **self.model_params()).init_name())


@dataclass
class FitData:
    """What every fit reads: sent once to each worker process."""

    counts: sp.csr_matrix
    presence: sp.csc_matrix
    vocab: list[str]
    texts: list[list[str]] | None  # for C_V; None skips it
    doc_codes: np.ndarray | None = None  # the document (0..D-1) of each row, for the bootstrap of documents


@dataclass
class FitSummary:
    """What the sweep keeps of one fit: ranked terms and quality measures per topic."""

    task: FitTask
    top: np.ndarray  # topics × RANKED_TERMS term indices, by relevance
    npmi: np.ndarray | None = None
    umass: np.ndarray | None = None
    c_v: np.ndarray | None = None
    diversity: float = float("nan")
    perplexity: float | None = None
    n_iter: int = 0
    warnings: list[str] = field(default_factory=list)


def bootstrap_rows(doc_codes: np.ndarray, share: float, seed: int, k: int) -> np.ndarray:
    """The rows of a bootstrap resample of the documents, seeded by (seed, k).

    ``round(share × D)`` documents are drawn with replacement from the D documents (share 1: the classic
    bootstrap); every unit of a drawn document is taken, once per draw. Rows come back sorted (a document
    drawn twice contributes its rows twice).
    """
    doc_codes = np.asarray(doc_codes)
    n_docs = int(doc_codes.max()) + 1 if len(doc_codes) else 0
    rng = np.random.default_rng([seed, k, 20141])
    draws = np.bincount(rng.integers(0, n_docs, size=max(2, round(share * n_docs))), minlength=n_docs)
    rows = np.repeat(np.arange(len(doc_codes)), draws[doc_codes])
    if len(np.unique(rows)) < 2:  # a degenerate draw (one tiny document): fall back to every row
        rows = np.arange(len(doc_codes))
    return np.sort(rows)


def fit_model(task: FitTask, counts: sp.csr_matrix) -> TopicModel:
    """Fit one model with BLAS and OpenMP pinned to one thread (identical numbers in any process)."""
    from threadpoolctl import threadpool_limits

    model = make_model(task.model, task.k, task.seed, **task.model_params())
    with threadpool_limits(limits=1):
        model.fit(counts)
    return model


def term_prob(counts: sp.csr_matrix) -> np.ndarray:
    tf = np.asarray(counts.sum(axis=0)).ravel().astype(np.float64)
    return tf / tf.sum()


def fit_task(task: FitTask, data: FitData) -> FitSummary:
    """Run one task and measure it (coherence only for fits on all units)."""
    counts = data.counts
    if task.resample is not None:
        codes = data.doc_codes if data.doc_codes is not None else np.arange(counts.shape[0])
        counts = counts[bootstrap_rows(codes, task.resample, task.seed, task.k)]
    return measure(task, fit_model(task, counts), counts, data)


def measure(task: FitTask, model: TopicModel, counts: sp.csr_matrix, data: FitData) -> FitSummary:
    """Ranked terms of a fitted model and, for a fit on all units, its coherence and diversity."""
    top = coherence.rank_terms(model.topic_term_, term_prob(counts), task.lam, n=RANKED_TERMS)
    summary = FitSummary(task, top, perplexity=model.perplexity_, n_iter=model.n_iter_,
                         warnings=list(model.warnings_))
    if task.resample is None:
        summary.npmi = coherence.npmi(top, data.presence)
        summary.umass = coherence.umass(top, data.presence)
        summary.diversity = coherence.diversity(top)
        if task.c_v and data.texts is not None:
            vocab = np.asarray(data.vocab, dtype=object)
            summary.c_v = coherence.c_v([vocab[row].tolist() for row in top], data.texts)
    return summary


# -- the pool ---------------------------------------------------------------------------------------------
# Set only inside a spawned worker by _init_worker (never in the main process): the data every task reads,
# sent once per worker instead of once per task.
_WORKER_DATA: FitData | None = None


def _init_worker(data: FitData) -> None:
    global _WORKER_DATA
    _WORKER_DATA = data


def _work(task: FitTask) -> FitSummary:
    assert _WORKER_DATA is not None, "worker not initialised"
    return fit_task(task, _WORKER_DATA)


def run_fits(tasks: list[FitTask], data: FitData, jobs: int = 1) -> list[FitSummary]:
    """Run ``tasks``; results in task order whatever ``jobs`` is."""
    if jobs <= 1 or len(tasks) <= 1:
        return [fit_task(t, data) for t in tasks]
    ctx = mp.get_context("spawn")
    with ctx.Pool(min(jobs, len(tasks)), initializer=_init_worker, initargs=(data,)) as pool:
        return pool.map(_work, tasks, chunksize=1)


def sweep_tasks(model: str, ks: list[int], seeds: list[int], params: dict[str, Any], *, resample: float | None,
                lam: float, c_v: bool) -> list[FitTask]:
    """Fits on all units for every (k, seed), then (with ``resample``) one bootstrap refit per (k, seed).

    The first seed keeps the model's own initialisation; with a deterministic one (NNDSVD) the other
    seeds start from a seeded random initialisation (see the module docstring).
    """
    p = tuple(sorted(params.items()))
    fixed = not make_model(model, 2, 0, **params).seed_changes_init()
    tasks = [FitTask(model, k, s, p, None, lam, c_v, random_init=fixed and i > 0)
             for k in ks for i, s in enumerate(seeds)]
    if resample is not None:
        tasks += [FitTask(model, k, s, p, resample, lam, c_v, random_init=fixed and i > 0)
                  for k in ks for i, s in enumerate(seeds)]
    return tasks


def sweep_tables(summaries: list[FitSummary]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-fit rows (k, seed) and per-k means, from the summaries of :func:`sweep_tasks`."""
    full = [s for s in summaries if s.task.resample is None]
    refits = {(s.task.k, s.task.seed): s for s in summaries if s.task.resample is not None}
    rows = []
    for k in sorted({s.task.k for s in full}):
        fits = [s for s in full if s.task.k == k]
        seed_stab = pairwise_stability([s.top for s in fits])
        for s, stab in zip(fits, seed_stab, strict=True):
            refit = refits.get((k, s.task.seed))
            rows.append({
                "k": k,
                "seed": s.task.seed,
                "init": s.task.init_name(),
                "npmi": _mean(s.npmi),
                "c_v": _mean(s.c_v),
                "umass": _mean(s.umass),
                "diversity": s.diversity,
                "perplexity": s.perplexity if s.perplexity is not None else np.nan,
                "init_stability": stab,
                "bootstrap_stability": best_match_jaccard(s.top, refit.top) if refit is not None else np.nan,
                "n_iter": s.n_iter,
            })
    fits_df = pd.DataFrame(rows, columns=["k", "seed", "init", "npmi", "c_v", "umass", "diversity", "perplexity",
                                          "init_stability", "bootstrap_stability", "n_iter"])
    metrics = ["npmi", "c_v", "umass", "diversity", "perplexity", "init_stability", "bootstrap_stability"]
    grouped = fits_df.groupby("k", sort=True)
    per_k = grouped[metrics].mean()
    per_k.insert(1, "npmi_sd", grouped["npmi"].std(ddof=1))
    per_k.insert(0, "seeds", grouped["seed"].count())
    per_k = per_k.reset_index()
    return fits_df, per_k


def _mean(values: np.ndarray | None) -> float:
    return float(np.mean(values)) if values is not None and len(values) else float("nan")


def recommend_k(per_k: pd.DataFrame) -> tuple[int, str]:
    """The recommended k and the reason, in Chinese and English (rule in the module docstring)."""
    if len(per_k) == 1:
        k = int(per_k["k"].iloc[0])
        return k, f"只拟合了一个主题数 k={k} / only one k was fitted (k={k})"
    use_resample = per_k["bootstrap_stability"].notna().any()
    col = "bootstrap_stability" if use_resample else "init_stability"
    stab = per_k[col]
    if stab.notna().any():
        best = float(stab.max())
        eligible = per_k[stab >= STABLE_SHARE * best]
        kind = "文档自助重抽样" if use_resample else "不同随机初始化间"
        stab_text = (f"{kind}稳定性不低于最高值 {best:.2f} 的 90% / "
                     f"{'bootstrap' if use_resample else 'initialisation'} stability ≥ 90% of the best ({best:.2f})")
    else:
        eligible = per_k
        stab_text = ("未测稳定性（只有一个种子且未重抽样）/ stability not measured (one seed, no bootstrap)")
    top = eligible.sort_values(["npmi", "k"], ascending=[False, True], kind="mergesort").iloc[0]
    k = int(top["k"])
    candidates = ", ".join(str(int(v)) for v in eligible["k"])
    reason = (f"k={k}：在{stab_text.split(' / ')[0]}的 k（{candidates}）中 NPMI 最高（{top['npmi']:.3f}）/ "
              f"k={k}: highest mean NPMI ({top['npmi']:.3f}) among the k with {stab_text.split(' / ')[1]} "
              f"({candidates})")
    return k, reason
