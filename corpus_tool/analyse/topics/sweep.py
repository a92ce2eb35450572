"""Fit many models — every k × seed, plus refits on resampled units — and choose k.

Each fit is a :class:`FitTask`. With ``jobs > 1`` the tasks go to a ``multiprocessing`` pool started with
the "spawn" method (the same on Linux, macOS and Windows); ``Pool.map`` returns results in task order,
and every fit runs with one BLAS/OpenMP thread (threadpoolctl), in the pool and in the main process
alike, so a fit's numbers do not depend on ``jobs``.

Per k, the sweep reports NPMI, C_V and UMass coherence, topic diversity, perplexity (LDA only) and two
kinds of stability (best-match Jaccard of top-20 terms, :mod:`~corpus_tool.analyse.topics.stability`):

* ``stability``: between fits with different seeds on all units (is the answer the seed's doing?);
* ``resample_stability``: between the fit on all units and a refit, same seed, on a random ``resample``
  share of the units (Greene et al. 2014): would a slightly different corpus give the same topics?

Recommended k: among the ks whose mean stability (resample stability when measured, else seed stability)
is at least 90 % of the best k's, the one with the highest mean NPMI; ties go to the smaller k.
"""

from __future__ import annotations

import multiprocessing as mp
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from corpus_tool.analyse.topics import coherence
from corpus_tool.analyse.topics.models import TopicModel, make_model
from corpus_tool.analyse.topics.stability import STABILITY_TOP_N, best_match_jaccard, pairwise_stability

STABLE_SHARE = 0.9  # ks within this share of the best stability are "stable enough"
RANKED_TERMS = max(coherence.DIVERSITY_TOP_N, STABILITY_TOP_N, coherence.COHERENCE_TOP_N)


@dataclass(frozen=True)
class FitTask:
    """One fit: the model, k, seed and, for a stability refit, the share of units to draw."""

    model: str
    k: int
    seed: int
    params: tuple[tuple[str, Any], ...] = ()
    resample: float | None = None
    lam: float = coherence.DEFAULT_LAMBDA
    c_v: bool = True


@dataclass
class FitData:
    """What every fit reads: sent once to each worker process."""

    counts: sp.csr_matrix
    presence: sp.csc_matrix
    vocab: list[str]
    texts: list[list[str]] | None  # for C_V; None skips it


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


def resample_rows(n_units: int, share: float, seed: int, k: int) -> np.ndarray:
    """The sorted rows of a resample: ``share`` of the units without replacement, seeded by (seed, k)."""
    rng = np.random.default_rng([seed, k, 20141])
    size = max(2, round(share * n_units))
    return np.sort(rng.choice(n_units, size=size, replace=False))


def fit_model(task: FitTask, counts: sp.csr_matrix) -> TopicModel:
    """Fit one model with BLAS and OpenMP pinned to one thread (identical numbers in any process)."""
    from threadpoolctl import threadpool_limits

    model = make_model(task.model, task.k, task.seed, **dict(task.params))
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
        counts = counts[resample_rows(counts.shape[0], task.resample, task.seed, task.k)]
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
    """Fits on all units for every (k, seed), then (with ``resample``) one refit per (k, seed)."""
    p = tuple(sorted(params.items()))
    tasks = [FitTask(model, k, s, p, None, lam, c_v) for k in ks for s in seeds]
    if resample is not None:
        tasks += [FitTask(model, k, s, p, resample, lam, c_v) for k in ks for s in seeds]
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
                "npmi": _mean(s.npmi),
                "c_v": _mean(s.c_v),
                "umass": _mean(s.umass),
                "diversity": s.diversity,
                "perplexity": s.perplexity if s.perplexity is not None else np.nan,
                "stability": stab,
                "resample_stability": best_match_jaccard(s.top, refit.top) if refit is not None else np.nan,
                "n_iter": s.n_iter,
            })
    fits_df = pd.DataFrame(rows, columns=["k", "seed", "npmi", "c_v", "umass", "diversity", "perplexity",
                                          "stability", "resample_stability", "n_iter"])
    metrics = ["npmi", "c_v", "umass", "diversity", "perplexity", "stability", "resample_stability"]
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
    use_resample = per_k["resample_stability"].notna().any()
    col = "resample_stability" if use_resample else "stability"
    stab = per_k[col]
    if stab.notna().any():
        best = float(stab.max())
        eligible = per_k[stab >= STABLE_SHARE * best]
        stab_text = (f"{'重抽样' if use_resample else '不同种子间'}稳定性不低于最高值 {best:.2f} 的 90% / "
                     f"{'resample' if use_resample else 'seed'} stability ≥ 90% of the best ({best:.2f})")
    else:
        eligible = per_k
        stab_text = "未测稳定性（只有一个种子且未重抽样）/ stability not measured (one seed, no resampling)"
    top = eligible.sort_values(["npmi", "k"], ascending=[False, True], kind="mergesort").iloc[0]
    k = int(top["k"])
    candidates = ", ".join(str(int(v)) for v in eligible["k"])
    reason = (f"k={k}：在{stab_text.split(' / ')[0]}的 k（{candidates}）中 NPMI 最高（{top['npmi']:.3f}）/ "
              f"k={k}: highest mean NPMI ({top['npmi']:.3f}) among the k with {stab_text.split(' / ')[1]} "
              f"({candidates})")
    return k, reason
