"""Memory follows the largest document, not the corpus: ingest and segment stream.

Two corpora are generated from policy-corpus paragraphs, with documents of the same size: a few
documents and ten times as many. The peak of Python allocations (tracemalloc) plus Arrow buffers in
the calling process is measured while each is ingested and segmented; growing the corpus tenfold may
add only a small share of the extra text's size. Keeping every document (or every token batch) until
the end would add at least the whole extra text. Timings play no part.
"""

from __future__ import annotations

import math
import random
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import shared_path

from corpus_tool.parallel import PoolEngine, SerialEngine
from corpus_tool.parallel.local import AHEAD_PER_WORKER
from corpus_tool.reading.document import IngestOptions
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.run import segment_corpus

DOC_CHARS = 20_000
FEW, MANY = 4, 40


def _paragraphs() -> list[str]:
    folder = shared_path("data", "policy_corpus", "central_and_shandong_policies_2013_2024", "txt")
    paras: list[str] = []
    for path in sorted(folder.glob("central_*.txt"))[:40]:
        paras += [line.strip() for line in path.read_text("utf-8").splitlines()]
    # Whole sentences of ordinary length only (a line without a sentence end is joined to the next one):
    # the peak follows the largest paragraph, so the larger corpus must not get larger paragraphs by
    # drawing more of them.
    return [p for p in paras if 20 < len(p) <= 400 and p.endswith("。")]


def _write_corpus(folder: Path, n_docs: int, paras: list[str]) -> int:
    """``n_docs`` distinct documents of about DOC_CHARS characters; returns the characters written.

    Every document holds the same paragraphs, each rotated differently, under its own title: distinct
    files of equal size and make-up, so a larger corpus has no larger document.
    """
    folder.mkdir(parents=True)
    body: list[str] = []
    rng = random.Random(1)
    while sum(map(len, body)) < DOC_CHARS:
        body.append(rng.choice(paras))
    total = 0
    for i in range(n_docs):
        turn = i % len(body)
        text = "\n".join([f"关于测试文件第{i + 1}号的通知", *body[turn:], *body[:turn]]) + "\n"
        (folder / f"doc_{i:04d}.txt").write_text(text, "utf-8")
        total += len(text)
    return total


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int]]:
    root = tmp_path_factory.mktemp("memory")
    paras = _paragraphs()
    return {name: (root / name, _write_corpus(root / name, n, paras))
            for name, n in (("few", FEW), ("many", MANY))}


class PeakMeter:
    """Peak bytes allocated in this process since the last checkpoint: Python objects (tracemalloc) plus
    Arrow buffers (which tracemalloc does not see; sampled every millisecond, enough to see memory that
    accumulates)."""

    def __enter__(self) -> PeakMeter:
        self.peaks: list[int] = []
        self._arrow = [0]
        self._stop = threading.Event()
        self._arrow_start = pa.total_allocated_bytes()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        tracemalloc.start()
        self._start = tracemalloc.get_traced_memory()[0]
        self._sampler.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.001):
            self._arrow[0] = max(self._arrow[0], pa.total_allocated_bytes() - self._arrow_start)

    def checkpoint(self, *_: object) -> None:
        """Record the peak since the previous checkpoint and start a new period."""
        self.peaks.append(tracemalloc.get_traced_memory()[1] - self._start + self._arrow[0])
        tracemalloc.reset_peak()
        self._arrow[0] = 0

    def __exit__(self, *exc: object) -> None:
        self.checkpoint()
        self._stop.set()
        self._sampler.join()
        tracemalloc.stop()


def _peak(work: Callable[[], object]) -> int:
    with PeakMeter() as meter:
        work()
    return max(meter.peaks)


@pytest.fixture(scope="module")
def ingested(corpora: dict, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Each corpus ingested in this process (no time limit, one job: every allocation is traced here).

    The peak while files are read and stored (measured after each file) is kept apart from the peak of
    the last step, which links near duplicates over the whole corpus with one MinHash signature a
    document. A first, unmeasured ingest loads what is loaded once (converters, dictionaries).
    """
    options = IngestOptions(timeout=None)
    warm_up = tmp_path_factory.mktemp("warm_up") / "c.duckdb"
    ingest_paths([corpora["few"][0]], warm_up, options=options)
    out = {}
    for name, (folder, chars) in corpora.items():
        db = tmp_path_factory.mktemp(f"db_{name}") / "c.duckdb"
        with PeakMeter() as meter:
            summary = ingest_paths([folder], db, options=options, progress=meter.checkpoint)
        assert summary.ok and summary.ingested == len(meter.peaks) - 1
        out[name] = {"db": db, "chars": chars, "docs": summary.ingested, "reading": max(meter.peaks[:-1]),
                     "linking": meter.peaks[-1]}
    return out


def _allowed_growth(few_chars: int, many_chars: int) -> float:
    # A CJK character takes 2 bytes in a Python str: holding the extra documents costs at least this.
    # Streaming keeps growth far below it; per-item bookkeeping (ids, offsets) and allocator noise
    # at this small scale stay under half of it, and holding the text would exceed it.
    extra_text = 2 * (many_chars - few_chars)
    return 0.5 * extra_text


def test_ingest_peak_does_not_grow_with_the_corpus(ingested: dict) -> None:
    few, many = ingested["few"], ingested["many"]
    assert many["chars"] > 9 * few["chars"]
    growth = many["reading"] - few["reading"]
    assert growth < _allowed_growth(few["chars"], many["chars"]), (few, many)
    # Linking near duplicates keeps a signature per document (an LSH index), never the documents' text.
    per_doc = (many["linking"] - few["linking"]) / (many["docs"] - few["docs"])
    assert per_doc < 0.5 * 2 * DOC_CHARS, (few, many)


@pytest.mark.parametrize("jobs", [1, 2])
def test_segment_peak_does_not_grow_with_the_corpus(ingested: dict, jobs: int) -> None:
    peaks = {}
    # What the design bounds: the chunks in flight. With workers, up to jobs × AHEAD_PER_WORKER finished
    # chunks wait in the pool's window, plus the writer's queue. Chunks small enough that even the few
    # documents fill that window many times over, so both peaks are the full window's (how full it gets
    # at some moment depends on the machine's load) and what is left to differ is what grows with the corpus.
    chunk_chars = 1_500
    in_flight = jobs * AHEAD_PER_WORKER + 3  # the window, the writer queue (2) and the batch being inserted
    assert ingested["few"]["chars"] > 3 * in_flight * chunk_chars
    # A first, unmeasured run loads what is loaded once (OpenCC, word lists): otherwise it would count in
    # the few documents' peak and hide any growth.
    segment_corpus(ingested["few"]["db"], SegmentSettings(), jobs=jobs, chunk_chars=chunk_chars, force=True)
    for name in ("few", "many"):
        db = ingested[name]["db"]
        peaks[name] = _peak(lambda db=db: segment_corpus(db, SegmentSettings(), jobs=jobs,
                                                         chunk_chars=chunk_chars, force=True))
    growth = peaks["many"] - peaks["few"]
    assert growth < _allowed_growth(ingested["few"]["chars"], ingested["many"]["chars"]), peaks


def _counting(n: int, pulled: list[int]) -> Iterator[float]:
    for i in range(n):
        pulled[0] += 1
        yield float(i)


@pytest.mark.parametrize("make", [SerialEngine, lambda: PoolEngine(2)], ids=["serial", "pool"])
def test_engines_pull_items_lazily(make: Callable[[], object]) -> None:
    """An engine takes a bounded window of items ahead of the results it has given back."""
    pulled = [0]
    with make() as engine:  # type: ignore[attr-defined]
        results = engine.map(math.sqrt, _counting(10_000, pulled))
        assert next(results) == 0.0
        assert pulled[0] <= 2 * 4 + 1
        assert sum(1 for _ in results) == 9_999
        results.close()
    assert pulled[0] == 10_000
