"""Re-ingest: an unchanged file is known by its stat (size, mtime, ctime, inode) and not read again; a file
rewritten with the same size and its old mtime is still read; a file changed moments ago is hashed;
``rehash`` hashes every file; the run record says how files were checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_tool.reading import pipeline
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.store.db import CorpusDB

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The demo corpus' text files, copied (so that their stats can change)."""
    root = tmp_path / "docs"
    root.mkdir()
    for p in sorted(DEMO.glob("*.txt")):
        shutil.copy(p, root / p.name)
    assert len(list(root.iterdir())) >= 2
    return root


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust stats at once: the test's files are seconds old (the real rule waits two seconds)."""
    monkeypatch.setattr(pipeline, "STAT_SETTLE_NS", 0)


def _count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    real = pipeline.file_hash

    def counting(path: Path) -> str:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(pipeline, "file_hash", counting)
    return read


def test_unchanged_files_are_known_by_their_stat(folder: Path, tmp_path: Path, settled: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.duckdb"
    first = ingest_paths([folder], db)
    n = len(list(folder.iterdir()))
    assert first.hashed == n and first.unchanged_by_stat == 0
    read = _count_hashing(monkeypatch)
    second = ingest_paths([folder], db)
    assert read == []
    assert (second.unchanged, second.unchanged_by_stat, second.hashed, second.ingested) == (n, n, 0, 0)
    assert second.as_dict()["file_check"] == {"method": "stat, else sha256", "hashed": 0, "unchanged_by_stat": n}


def test_same_size_rewrite_with_old_mtime_is_read_again(folder: Path, tmp_path: Path, settled: None) -> None:
    """`touch -d` or an unpacker can restore the mtime, never the ctime: the changed file is hashed and stored."""
    db = tmp_path / "c.duckdb"
    ingest_paths([folder], db)
    target = sorted(folder.iterdir())[0]
    before = target.stat()
    text = target.read_text("utf-8")
    assert "的" in text
    target.write_text(text.replace("的", "地", 1), "utf-8")  # both three bytes in UTF-8: the same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    again = ingest_paths([folder], db)
    assert again.hashed == 1 and again.unchanged == len(list(folder.iterdir())) - 1
    with CorpusDB(db, read_only=True) as store:
        digest = store.con.execute("SELECT file_hash FROM files WHERE source_path LIKE ?",
                                   [f"%{target.name}"]).fetchone()[0]
    assert digest == pipeline.file_hash(target)


def test_recently_changed_files_are_hashed(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the real rule, files written a moment ago get no trusted stat: a re-run hashes them."""
    db = tmp_path / "c.duckdb"
    ingest_paths([folder], db)
    read = _count_hashing(monkeypatch)
    again = ingest_paths([folder], db)
    assert sorted(read) == sorted(p.name for p in folder.iterdir())
    assert again.unchanged == len(read) and again.unchanged_by_stat == 0


def test_rehash_reads_every_file_and_is_recorded(folder: Path, tmp_path: Path, settled: None) -> None:
    db = tmp_path / "c.duckdb"
    ingest_paths([folder], db)
    cli = [sys.executable, "-m", "corpus_tool", "ingest", str(folder), "--db", str(db), "-q", "--rehash"]
    subprocess.run(cli, check=True, capture_output=True, cwd=Path(__file__).resolve().parents[1])
    with CorpusDB(db, read_only=True) as store:
        params, summary = store.con.execute(
            "SELECT params, summary FROM runs WHERE command = 'ingest' ORDER BY rowid DESC LIMIT 1").fetchone()
    n = len(list(folder.iterdir()))
    assert json.loads(params)["rehash"] is True
    assert json.loads(summary)["file_check"] == {"method": "sha256", "hashed": n, "unchanged_by_stat": 0}
    assert json.loads(summary)["unchanged"] == n
