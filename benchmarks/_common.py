"""Helpers shared by the benchmark scripts: paths, the machine description, timing, peak memory, tables.

Benchmarks are scripts, not a package: ``load_benchmark("segment")`` imports ``benchmarks/segment.py`` under
the name ``bench_segment`` so that its measuring functions can be reused without copying them.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("CORPUS_TOOL_SHARED", ROOT.parent / "shared"))
POLICY_CORPUS = SHARED / "data" / "policy_corpus"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load_benchmark(name: str) -> ModuleType:
    """``benchmarks/<name>.py`` as a module named ``bench_<name>``."""
    module_name = f"bench_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, HERE / f"{name}.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"no benchmark {name!r} in {HERE}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def policy_folders(corpus: Path = POLICY_CORPUS) -> list[Path]:
    """Every txt/, md/ and html/ folder of the policy corpus, sorted."""
    return sorted(p for p in corpus.glob("*/*") if p.is_dir() and p.name in ("txt", "md", "html"))


def machine() -> dict[str, Any]:
    """Date, CPU, cores, memory and software: the heading of every recorded result."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3, 1)
    except (ValueError, OSError, AttributeError):
        pass
    load = None
    try:
        load = round(os.getloadavg()[0], 2)
    except (OSError, AttributeError):
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu, "cores": os.cpu_count(),
        "memory_gb": memory_gb, "load_1min": load, "python": platform.python_version(),
        "platform": platform.platform(),
    }


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """``fn()`` and its wall-clock seconds."""
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory in MB of this process and of its largest finished child process (POSIX)."""
    try:
        import resource
    except ImportError:  # Windows: not measured
        return {}
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 1024 ** 2  # ru_maxrss: KB on Linux, bytes on macOS
    return {"self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale, 1),
            "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale, 1)}


class RssSampler:
    """Peak resident memory (MB) of this process, of its largest child and of the whole family, sampled
    from /proc twice a second (Linux). ``ru_maxrss`` cannot tell a spawned worker's own peak: a child
    counts the parent's pages it was forked with."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peak = {"main": 0.0, "largest_child": 0.0, "total": 0.0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        main = _rss_mb(os.getpid())
        children = [_rss_mb(pid) for pid in _children(os.getpid())]
        self.peak["main"] = max(self.peak["main"], main)
        self.peak["largest_child"] = max([self.peak["largest_child"], *children])
        self.peak["total"] = max(self.peak["total"], main + sum(children))

    def figures(self) -> dict[str, float]:
        return {k: round(v, 1) for k, v in self.peak.items()}


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except (OSError, ValueError):
        pass
    return found


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, columns padded so that it also reads as plain text."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "| " + " | ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)) + " |"

    return "\n".join([line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *(line(r) for r in cells[1:])])


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)
