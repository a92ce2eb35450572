"""Ingest and segment on a real Dask cluster store exactly what a one-process run stores.

A ``LocalCluster`` (scheduler and two single-threaded worker processes on loopback, no dashboard) runs
``corpus-tool ingest --engine dask --scheduler ADDRESS`` and ``corpus-tool segment --engine dask`` over the
whole policy corpus (every txt/, md/ and html/ folder, each collection's manifest.csv joined); the same
commands with ``--jobs 1`` build a second database. Every table is exported through the CLI and the files
are compared byte for byte.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest
from conftest import require_extra, shared_path
from typer.testing import CliRunner

from corpus_tool.cli import app
from corpus_tool.parallel import DaskEngine, EngineError, PoolEngine, SerialEngine, TaskTimeout
from corpus_tool.store.db import CorpusDB

pytestmark = pytest.mark.slow

TABLES = ("documents", "sections", "paragraphs", "citations", "footnotes", "log", "errors", "tokens")
runner = CliRunner()


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    require_extra("distributed")
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local:
        yield local


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.output


def _build(folder: Path, root: Path, engine_args: list[str]) -> dict[str, bytes]:
    """Ingest and segment the policy corpus with the given engine options; every table's CSV export."""
    db = str(folder / "corpus.duckdb")
    folders = sorted(str(p) for p in root.glob("*/*") if p.is_dir() and p.name in ("txt", "md", "html"))
    manifests = [a for m in sorted(root.glob("*/manifest.csv")) for a in ("--metadata", str(m))]
    _cli("ingest", *folders, *manifests, "--db", db, "--quiet", *engine_args)
    _cli("segment", "--db", db, *engine_args)
    exports = {}
    for table in TABLES:
        out = folder / f"{table}.csv"
        _cli("export", table, "--db", db, "--out", str(out))
        exports[table] = out.read_bytes()
    return exports


@pytest.fixture(scope="module")
def builds(cluster, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:  # type: ignore[no-untyped-def]
    root = shared_path("data", "policy_corpus")
    started = time.perf_counter()
    serial = _build(tmp_path_factory.mktemp("jobs1"), root, ["--jobs", "1"])
    serial_s = time.perf_counter() - started
    folder = tmp_path_factory.mktemp("dask")
    started = time.perf_counter()
    dask = _build(folder, root, ["--engine", "dask", "--scheduler", cluster.scheduler_address])
    dask_s = time.perf_counter() - started
    print(f"\njobs 1: {serial_s:.0f} s; Dask LocalCluster, 2 workers: {dask_s:.0f} s")
    return {"serial": serial, "dask": dask, "db": folder / "corpus.duckdb"}


def test_dask_exports_equal_jobs1_byte_for_byte(builds: dict) -> None:
    serial, dask = builds["serial"], builds["dask"]
    for table in TABLES:
        assert dask[table] == serial[table], f"{table} export differs between --jobs 1 and --engine dask"
    # The comparison is not vacuous: the corpus is all there, segmented.
    assert serial["documents"].count(b"\n") > 1000
    assert serial["tokens"].count(b"\n") > 3_000_000


def test_dask_runs_are_recorded_with_the_cluster(builds: dict, cluster) -> None:  # type: ignore[no-untyped-def]
    with CorpusDB(builds["db"], read_only=True) as store:
        rows = store.con.execute("SELECT command, params FROM runs ORDER BY command").fetchall()
    executors = {command: json.loads(params)["executor"] for command, params in rows}
    for command in ("ingest", "segment"):
        assert executors[command]["engine"] == "dask"
        assert executors[command]["scheduler"] == cluster.scheduler_address
        assert executors[command]["workers"] == 2


def test_every_engine_yields_in_input_order_and_reports_failures(cluster) -> None:  # type: ignore[no-untyped-def]
    items = [16.0, -1.0, 2.0, 0.0, 81.0, -4.0, 9.0] * 5
    expected = [math.sqrt(x) if x >= 0 else "ValueError" for x in items]

    def failed(item: float, exc: BaseException) -> str:
        return type(exc).__name__

    for engine in (SerialEngine(), PoolEngine(2), DaskEngine(cluster.scheduler_address, batch_size=3)):
        with engine:
            assert list(engine.map(math.sqrt, items, on_error=failed)) == expected, engine.name
            with pytest.raises(ValueError):  # without on_error, a failure reaches the caller
                list(engine.map(math.sqrt, items))


def test_dask_time_limit_restarts_the_stuck_worker(cluster) -> None:  # type: ignore[no-untyped-def]
    with DaskEngine(cluster.scheduler_address) as engine:
        started = time.perf_counter()
        out = list(engine.map(time.sleep, [0.0, 600.0, 0.0, 0.0], timeout=2.0,
                              on_error=lambda item, exc: exc))
        assert time.perf_counter() - started < 120  # not the 600 s the stuck item would take
        assert out[0] is None and out[2] is None and out[3] is None
        assert isinstance(out[1], TaskTimeout) and out[1].worker is not None
        engine.client.wait_for_workers(2, timeout=60)  # the restarted worker is back
        assert list(engine.map(math.sqrt, [4.0, 9.0])) == [2.0, 3.0]


def test_dask_engine_needs_a_reachable_scheduler(tmp_path: Path) -> None:
    require_extra("distributed")
    db = str(tmp_path / "c.duckdb")
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", db, "--engine", "dask"])
    assert result.exit_code == 2 and "--scheduler" in result.output
    with pytest.raises(EngineError, match="Dask"):
        DaskEngine("tcp://127.0.0.1:9", connect_timeout=2).client  # noqa: B018 - connecting is the test
