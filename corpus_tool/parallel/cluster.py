"""The Dask engine: items run as tasks on an existing ``dask.distributed`` cluster.

Items go out in batches through ``client.map`` (earlier batches at higher priority) and results are
gathered one by one in input order; at most two batches are in flight, so neither this process nor
the cluster holds more than a bounded window of items and results. Workers never open the corpus
database: results come back here and the calling stage writes them, in order (see docs/cluster.md).

Time limits: Dask has no per-task time limit, so each task runs its item in a helper thread and
gives up after ``timeout`` seconds. A thread cannot be killed, so this process then restarts that
worker through its nanny (which ends the stuck thread); tasks that were running there are
recomputed by the scheduler. A worker that dies (parser crash, Dask's ``memory_limit``) is restarted
by its nanny; after ``distributed.scheduler.allowed-failures`` deaths the item fails as crashed.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata, resources
from itertools import islice
from typing import Any, TypeVar

from corpus_tool.parallel.base import Engine, EngineError, OnError, TaskTimeout, WorkerCrashed, handle_failure

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger(__name__)

# Packages whose version changes what a stage produces: every worker must run the same ones.
OUTPUT_PACKAGES = ("jieba", "rjieba", "pdfplumber", "pdfminer.six", "pypdfium2", "opencc",
                   "charset-normalizer", "beautifulsoup4", "lxml", "python-docx", "datasketch", "pyarrow",
                   "numpy")


class DaskEngine(Engine):
    """Runs items on the Dask cluster whose scheduler is at ``scheduler`` (``tcp://host:8786``).

    ``scheduler`` may also be a connected ``distributed.Client``, which is then not closed here.
    ``batch_size`` items go out per ``client.map`` call (default: twice the cluster's threads).
    """

    name = "dask"

    def __init__(self, scheduler: Any, *, batch_size: int | None = None, connect_timeout: float = 30.0,
                 check_versions: bool = True) -> None:
        self._client: Any = None
        self._owns_client = isinstance(scheduler, str)
        if isinstance(scheduler, str):
            if not scheduler.strip():
                raise EngineError("--engine dask needs --scheduler ADDRESS (需要 Dask 调度器地址)")
            self.address = scheduler.strip()
        else:
            self._client = scheduler
            self.address = scheduler.scheduler.address
        self.batch_size = batch_size
        self.connect_timeout = connect_timeout
        self.check_versions = check_versions
        self._checked = False

    # -- the connection ---------------------------------------------------------------------------
    @property
    def client(self) -> Any:
        if self._client is None:
            try:
                from distributed import Client
            except ImportError as exc:
                raise EngineError("--engine dask needs dask.distributed (pip install 'corpus-tool[dask]'; "
                                  "需要安装 dask[distributed])") from exc
            try:
                self._client = Client(self.address, timeout=self.connect_timeout, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise EngineError(f"cannot reach the Dask scheduler at {self.address} "
                                  f"(无法连接 Dask 调度器): {exc}") from exc
        if not self._checked:
            self._wait_for_workers()
            if self.check_versions:
                self._check_versions()
            self._checked = True
        return self._client

    def _wait_for_workers(self) -> None:
        try:
            self._client.wait_for_workers(1, timeout=self.connect_timeout)
        except TimeoutError as exc:
            raise EngineError(f"the Dask cluster at {self.address} has no workers "
                              f"(Dask 集群没有可用的 worker)") from exc

    def _check_versions(self) -> None:
        """Same code and same output-relevant packages on every worker, or the rows would differ."""
        here = software_fingerprint()
        there = self._client.run(software_fingerprint)
        for worker, theirs in sorted(there.items()):
            differ = sorted(k for k in here.keys() | theirs.keys() if here.get(k) != theirs.get(k))
            if differ:
                detail = ", ".join(f"{k}: here {here.get(k)}, worker {theirs.get(k)}" for k in differ)
                raise EngineError(f"Dask worker {worker} runs other software than this process "
                                  f"(worker 与本机软件版本不一致), so its results could differ: {detail}")

    @property
    def workers(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def describe(self) -> dict[str, Any]:
        nthreads = self.client.nthreads()
        return {"engine": self.name, "scheduler": self.address, "workers": len(nthreads),
                "threads": sum(nthreads.values())}

    def close(self) -> None:
        if self._client is not None and self._owns_client:
            self._client.close()
            self._client = None
            self._checked = False

    # -- mapping ----------------------------------------------------------------------------------
    def map(self, fn: Callable[[T], R], items: Iterable[T], *, timeout: float | None = None,
            on_error: OnError | None = None, initializer: Callable[..., None] | None = None,
            initargs: tuple[Any, ...] = ()) -> Iterator[R]:
        from distributed import KilledWorker

        client = self.client
        batch = self.batch_size or max(4, 2 * self.workers)
        task = _Task(fn, timeout)
        prefix = f"corpus-tool-{_task_name(fn)}-{uuid.uuid4().hex[:8]}"  # readable on the Dask dashboard
        queue = iter(items)
        pending: deque[tuple[T, Any]] = deque()
        done = 0

        def submit() -> None:
            nonlocal done
            while len(pending) < 2 * batch:
                chunk = list(islice(queue, batch))
                if not chunk:
                    return
                # Boxed: Dask must not look inside items (lists of rows) for keys or tasks.
                keys = [f"{prefix}-{done + i}" for i in range(len(chunk))]
                futures = client.map(task, [_Box(x) for x in chunk], key=keys, priority=-done)
                pending.extend(zip(chunk, futures, strict=True))
                done += len(chunk)

        try:
            submit()
            while pending:
                item, future = pending.popleft()
                try:
                    result = future.result()
                except TaskTimeout as exc:
                    self._restart(exc.worker)
                    result = handle_failure(item, exc, on_error)
                except KilledWorker as exc:
                    result = handle_failure(item, WorkerCrashed(f"the Dask worker running this item died "
                                                                f"repeatedly: {exc}"), on_error)
                except Exception as exc:
                    result = handle_failure(item, exc, on_error)
                finally:
                    future.release()
                submit()
                yield result
        finally:
            for _, future in pending:  # the caller stopped early: drop what is still queued
                future.cancel()

    def _restart(self, worker: str | None) -> None:
        """End a thread stuck past its time limit: restart its worker (the nanny starts a fresh one)."""
        if worker is None:
            return
        try:
            self.client.restart_workers([worker], raise_for_error=False)
        except Exception as exc:  # no nanny, or the worker is gone already: the batch still goes on
            log.warning("could not restart Dask worker %s after a timeout: %s", worker, exc)


def _task_name(fn: Callable[..., Any]) -> str:
    inner = getattr(fn, "func", fn)  # functools.partial
    return str(getattr(inner, "__name__", type(inner).__name__)).strip("_").replace("_", "-") or "task"


class _Box:
    """An item as an opaque object (Dask would otherwise search lists and tuples for task keys)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class _Task:
    """What a Dask worker runs for one item: ``fn(item)``, within ``timeout`` seconds when given."""

    def __init__(self, fn: Callable[[Any], Any], timeout: float | None) -> None:
        self.fn = fn
        self.timeout = timeout

    def __call__(self, box: _Box) -> Any:
        if self.timeout is None:
            return self.fn(box.value)
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["value"] = self.fn(box.value)
            except BaseException as exc:
                outcome["error"] = exc

        thread = threading.Thread(target=run, name="corpus-tool-task", daemon=True)
        thread.start()
        thread.join(self.timeout)
        if thread.is_alive():
            from distributed import get_worker

            raise TaskTimeout(self.timeout, get_worker().address)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]


def software_fingerprint() -> dict[str, str]:
    """Versions of the packages that shape the output, and a hash of corpus_tool's own files.

    Computed afresh on every call (a few milliseconds): a long-lived process must not vouch for code
    that has changed on disk since.
    """
    found: dict[str, str] = {}
    for name in OUTPUT_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "(not installed)"
    h = hashlib.sha256()
    root = resources.files("corpus_tool")
    stack = [root]
    files = []
    while stack:
        for entry in stack.pop().iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    stack.append(entry)
            elif not entry.name.endswith((".pyc", ".pyo")):
                files.append(entry)
    base = str(root)
    for entry in sorted(files, key=str):
        h.update(str(entry)[len(base):].encode("utf-8") + b"\0" + entry.read_bytes() + b"\0")
    found["corpus_tool"] = h.hexdigest()[:16]
    return found
