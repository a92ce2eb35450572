"""Small inserts bind their values as one VALUES list (no numpy import for one file), large ones scan numpy
arrays: the same rows either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.store import db as store_db
from corpus_tool.store.db import CorpusDB

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
_SKIP = {"ingested_at", "created_at", "updated_at", "started", "finished", "elapsed", "seconds", "run_id"}


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with CorpusDB(path, read_only=True) as store:
        con = store.con
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main' AND table_name != 'file_stats'").fetchall()]
        out = {}
        for t in tables:
            cols = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                              "WHERE table_name = ? ORDER BY ordinal_position", [t]).fetchall()]
            keep = ", ".join(f'"{c}"' for c in cols if c not in _SKIP)
            out[t] = con.execute(f"SELECT {keep} FROM {t} ORDER BY ALL").fetchall()
        return out


def test_values_insert_equals_numpy_insert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_paths([DEMO], tmp_path / "values.duckdb")
    monkeypatch.setattr(store_db, "PLAIN_MAX_VALUES", 0)  # every insert through numpy arrays
    ingest_paths([DEMO], tmp_path / "numpy.duckdb")
    values, arrays = _tables(tmp_path / "values.duckdb"), _tables(tmp_path / "numpy.duckdb")
    assert values == arrays
    assert len(values["documents"]) == 4 and values["paragraphs"]
