"""Engines on this machine: in the calling process, or in a pool of worker processes.

The pool is ``pebble``'s ProcessPool started with the "spawn" method (the same on Linux, macOS and
Windows: no fork-only tricks). pebble can kill a worker whose item runs past its time limit and
replace a worker that died, which a ``multiprocessing`` pool cannot do without breaking.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from corpus_tool.parallel.base import Engine, EngineError, OnError, TaskTimeout, WorkerCrashed, handle_failure

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

AHEAD_PER_WORKER = 4  # items in flight per worker: enough to keep workers busy, few enough to bound memory
MAX_TASKS_PER_WORKER = 200  # a worker is replaced after this many items, so a slow leak cannot build up
_END: Any = object()  # marks the end of the items


class SerialEngine(Engine):
    """Runs every item in the calling process, one after the other.

    A time limit needs a process that can be stopped: with ``timeout``, items run in one worker
    process instead (see :class:`PoolEngine`), which also keeps a crash or the memory limit
    (``initializer``) away from the calling process. With ``alarm=True`` (for a single item, where a worker's
    start-up would cost more than the item) the limit is a timer signal in this process instead, where
    the platform has one (POSIX, main thread): it stops Python code, not a call stuck inside a C library,
    and the ``initializer`` is not run here.
    """

    name = "local"
    in_process = True

    def __init__(self, *, alarm: bool = False) -> None:
        self.alarm = alarm

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, timeout: float | None = None,
            on_error: OnError | None = None, initializer: Callable[..., None] | None = None,
            initargs: tuple[Any, ...] = ()) -> Iterator[R]:
        if timeout is not None and not (self.alarm and _has_timer()):
            yield from PoolEngine(1).map(fn, items, timeout=timeout, on_error=on_error,
                                         initializer=initializer, initargs=initargs)
            return
        for item in items:
            try:
                result = fn(item) if timeout is None else _within(timeout, fn, item)
            except Exception as exc:
                result = handle_failure(item, exc, on_error)
            yield result


class _TimeUp(BaseException):
    """Raised by the timer signal: a BaseException, so that no ``except Exception`` of the item's code
    (a page that fails is recorded and skipped) swallows it."""


def _has_timer() -> bool:
    import signal
    import threading

    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _within(seconds: float, fn: Callable[[T], R], item: T) -> R:
    """``fn(item)`` in this process, stopped with :class:`TaskTimeout` after ``seconds``."""
    import signal

    def time_up(signum: int, frame: object) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, time_up)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)  # again every 0.5 s, should a bare except swallow it
        try:
            return fn(item)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimeUp:
        raise TaskTimeout(seconds) from None
    finally:
        signal.signal(signal.SIGALRM, previous)


class PoolEngine(Engine):
    """Runs items in ``jobs`` worker processes (spawned), yielding results in input order."""

    name = "local"

    def __init__(self, jobs: int, *, ahead: int = AHEAD_PER_WORKER,
                 max_tasks: int = MAX_TASKS_PER_WORKER) -> None:
        if jobs < 1:
            raise EngineError(f"--jobs must be at least 1, not {jobs} (进程数至少为 1)")
        self.jobs = jobs
        self.ahead = ahead
        self.max_tasks = max_tasks

    @property
    def workers(self) -> int:
        return self.jobs

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, timeout: float | None = None,
            on_error: OnError | None = None, initializer: Callable[..., None] | None = None,
            initargs: tuple[Any, ...] = ()) -> Iterator[R]:
        import multiprocessing  # here, not at the top: one file is read without a pool and imports neither

        try:
            from pebble import ProcessPool
        except ImportError as exc:  # pragma: no cover - pebble is a dependency
            raise EngineError("the local process pool needs the 'pebble' package (pip install pebble; "
                              "需要安装 pebble)") from exc

        pool = ProcessPool(max_workers=self.jobs, max_tasks=self.max_tasks, initializer=initializer,
                           initargs=initargs, context=multiprocessing.get_context("spawn"))
        pending: deque[tuple[T, Future[R]]] = deque()
        queue = iter(items)
        window = self.jobs * self.ahead
        try:
            def schedule() -> None:
                while len(pending) < window:
                    item = next(queue, _END)
                    if item is _END:
                        return
                    pending.append((item, pool.schedule(fn, args=(item,), timeout=timeout)))

            schedule()
            while pending:
                item, future = pending.popleft()
                try:
                    result = future.result()
                except Exception as exc:
                    result = handle_failure(item, _translate(exc, timeout), on_error)
                schedule()
                yield result
        finally:
            # Reached at the end, on an error, or when the caller stops early (--strict): workers go away.
            pool.stop()
            pool.join(timeout=10)


def _translate(exc: Exception, timeout: float | None) -> BaseException:
    """pebble's ways of saying "too slow" and "the worker died" as this package's exceptions."""
    from pebble import ProcessExpired

    if isinstance(exc, TimeoutError) and exc.args[:1] == ("Task timeout",):
        return TaskTimeout(timeout or 0.0)
    if isinstance(exc, ProcessExpired):
        return WorkerCrashed(f"the worker process died (exit code {exc.exitcode})", exc.exitcode)
    return exc
