"""The ``--engine`` and ``--scheduler`` options shared by ``ingest`` and ``segment``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from corpus_tool.cli.app import fail

if TYPE_CHECKING:
    from corpus_tool.parallel import Engine

EngineOption = Annotated[str, typer.Option(
    "--engine",
    help="计算引擎 / where the work runs: local (本机 --jobs 个进程 / --jobs processes here) | "
         "dask (Dask 集群 / a Dask cluster, with --scheduler); same rows either way",
)]
SchedulerOption = Annotated[str | None, typer.Option(
    "--scheduler",
    help="Dask 调度器地址 / Dask scheduler address for --engine dask, e.g. tcp://10.0.0.5:8786",
)]


@contextmanager
def open_engine(name: str, jobs: int, scheduler: str | None) -> Iterator[Engine]:
    """The engine the options ask for, closed at the end; an unusable one exits with code 2."""
    from corpus_tool.parallel import EngineError, make_engine

    try:
        engine = make_engine(name, jobs=jobs, scheduler=scheduler)
    except EngineError as exc:
        raise fail(str(exc), 2) from exc
    try:
        yield engine
    except EngineError as exc:  # e.g. the scheduler cannot be reached, or a worker runs other software
        raise fail(str(exc), 2) from exc
    finally:
        engine.close()
