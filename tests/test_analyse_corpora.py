"""Corpus databases for the analysis tests and the benchmark, built from ../shared data.

Ingest (with the policy corpus's ``manifest_all.csv`` as user metadata) → ``segment_corpus`` with the
default settings (jieba + shipped policy lexicon + stopwords), exactly as a user would.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.run import segment_corpus
from corpus_tool.store.db import CorpusDB

SEED_NAME = "000_dad38d6db3becc45.txt"
NATIONAL_REPORTS = ("gov_work_reports_wikisource_1954_2025", "gov_work_reports_hprc_1954_2017")


def segment_db(db: Path, jobs: int = 1) -> None:
    segment_corpus(db, SegmentSettings(), jobs=jobs)


def build_seed_db(path: Path, seed: Path) -> Path:
    ingest_paths([seed], path)
    segment_db(path)
    return path


def build_policy_db(path: Path, policy_corpus: Path, collections: tuple[str, ...] | None = None,
                    jobs: int = 1) -> Path:
    """Ingest the named collections (all when None) with the manifest's metadata, then segment."""
    names = collections or tuple(sorted(p.name for p in policy_corpus.iterdir() if p.is_dir()))
    folders = []
    for name in names:
        base = policy_corpus / name
        folders.append(base / ("md" if (base / "md").is_dir() and not (base / "txt").is_dir() else "txt"))
    ingest_paths(folders, path, jobs=jobs, manifests=[policy_corpus / "manifest_all.csv"])
    segment_db(path, jobs=jobs)
    return path


def cached_db(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]) -> Path:
    """Build a corpus database once per test session (shared by every analysis test module)."""
    folder = tmp_path_factory.getbasetemp() / "analyse-corpora"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.duckdb"
    done = folder / f"{name}.done"
    if not done.exists():
        path.unlink(missing_ok=True)
        build(path)
        done.write_text("ok")
    return path


def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import shared_path

    seed = shared_path("seed", SEED_NAME)
    return cached_db(tmp_path_factory, "seed", lambda p: build_seed_db(p, seed))


def reports_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The national government work reports (wikisource 1954–2025 and hprc 1954–2017) with manifest metadata."""
    from conftest import shared_path

    corpus = shared_path("data", "policy_corpus")
    return cached_db(tmp_path_factory, "reports", lambda p: build_policy_db(p, corpus, NATIONAL_REPORTS, jobs=2))


def test_seed_corpus_has_tokens_for_every_unit(tmp_path: Path) -> None:
    from conftest import shared_path

    db = build_seed_db(tmp_path / "seed.duckdb", shared_path("seed", SEED_NAME))
    with CorpusDB(db, read_only=True) as store:
        missing = store.query(
            "SELECT p.para_no FROM paragraphs p WHERE NOT EXISTS (SELECT 1 FROM tokens t "
            "WHERE t.doc_id = p.doc_id AND t.para_no = p.para_no)"
        )
        n_current = store.query("SELECT count(*) AS n FROM segmentations WHERE current")["n"].iloc[0]
    assert missing.empty
    assert n_current == 1

