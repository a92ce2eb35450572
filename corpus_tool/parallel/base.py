"""What every engine provides: map a picklable function over items, yielding results in input order.

An engine never touches the corpus database. The stage that calls it (ingest, segment) consumes
the results in input order in its own process and is the database's only writer, so the stored
rows are the same whatever engine or number of workers produced them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Called with the item and the failure; what it returns is yielded in the item's place.
OnError = Callable[[Any, BaseException], Any]


class EngineError(RuntimeError):
    """An engine cannot be used as asked (scheduler unreachable, package missing, bad option)."""


class TaskTimeout(Exception):
    """One item ran past its time limit; its worker was stopped (or, on Dask, restarted)."""

    def __init__(self, seconds: float, worker: str | None = None) -> None:
        super().__init__(seconds, worker)
        self.seconds = seconds
        self.worker = worker

    def __str__(self) -> str:
        return f"the task ran longer than {self.seconds:g} s (处理超时)"


class WorkerCrashed(Exception):
    """The process working on an item died (a parser crash, the memory limit, a killed worker)."""

    def __init__(self, detail: str, exitcode: int | None = None) -> None:
        super().__init__(detail, exitcode)
        self.detail = detail
        self.exitcode = exitcode

    def __str__(self) -> str:
        return self.detail


class Engine(ABC):
    """Runs ``fn`` over ``items`` and yields ``fn(item)`` in the order of ``items``.

    ``fn`` and the items must be picklable, except for in-process engines. Items are pulled from the
    iterable lazily and only a bounded window of them is in flight, so memory does not grow with
    the number of items. A failing item raises its exception in the caller unless ``on_error`` turns
    it into a result. ``timeout`` bounds the seconds one item may take; ``initializer(*initargs)``
    runs once in each local worker process (Dask workers are set up by whoever runs the cluster).
    """

    name: str = ""
    in_process: bool = False  # True: fn runs in the calling process (it need not be picklable)

    @abstractmethod
    def map(self, fn: Callable[[T], R], items: Iterable[T], *, timeout: float | None = None,
            on_error: OnError | None = None, initializer: Callable[..., None] | None = None,
            initargs: tuple[Any, ...] = ()) -> Iterator[R]: ...

    @property
    def workers(self) -> int:
        """How many items run at once."""
        return 1

    def describe(self) -> dict[str, Any]:
        """What a run record says about how the work was spread."""
        return {"engine": self.name, "workers": self.workers}

    def close(self) -> None:
        """Release what the engine holds (a Dask client); a no-op for local engines."""
        return None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def handle_failure(item: Any, exc: BaseException, on_error: OnError | None) -> Any:
    """The result that stands for a failed item, or the exception raised again when nobody handles it."""
    if on_error is None:
        raise exc
    return on_error(item, exc)
