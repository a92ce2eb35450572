"""Where the work of a stage runs: one abstraction, "map a picklable function over items and yield the
results in input order", with three engines:

* :class:`SerialEngine`: in the calling process (``--engine local --jobs 1``);
* :class:`PoolEngine`: ``jobs`` spawned worker processes on this machine (``--engine local --jobs N``);
* :class:`DaskEngine`: tasks on an existing Dask cluster (``--engine dask --scheduler ADDRESS``).

Ingest maps the reading of files over paths; segment maps the tokenizer over chunks of paragraphs.
Whatever the engine, the calling process alone writes the database, in input order, so the stored
rows are byte-identical across engines and numbers of workers.
"""

from __future__ import annotations

from corpus_tool.parallel.base import Engine, EngineError, TaskTimeout, WorkerCrashed
from corpus_tool.parallel.cluster import DaskEngine
from corpus_tool.parallel.local import PoolEngine, SerialEngine

ENGINES = ("local", "dask")


def make_engine(name: str = "local", *, jobs: int = 1, scheduler: str | None = None) -> Engine:
    """The engine a user asked for with ``--engine``, ``--jobs`` and ``--scheduler``.

    ``jobs`` applies to the local engine; a Dask cluster has as many workers as its owner started.
    """
    name = (name or "local").strip().lower()
    if name == "local":
        if scheduler:
            raise EngineError("--scheduler is only used with --engine dask (--scheduler 仅用于 dask 引擎)")
        return SerialEngine() if jobs <= 1 else PoolEngine(jobs)
    if name == "dask":
        if not scheduler:
            raise EngineError("--engine dask needs --scheduler ADDRESS, e.g. tcp://10.0.0.5:8786 "
                              "(需要 Dask 调度器地址)")
        return DaskEngine(scheduler)
    raise EngineError(f"unknown engine {name!r}; choose {' or '.join(ENGINES)} (未知的计算引擎)")


__all__ = ["ENGINES", "DaskEngine", "Engine", "EngineError", "PoolEngine", "SerialEngine", "TaskTimeout",
           "WorkerCrashed", "make_engine"]
