"""Resumable, incremental ingest: kill -9 then re-run equals one uninterrupted run; an unchanged
folder adds nothing; a changed file replaces its previous version."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import shared_path

from corpus_tool.reading.convert import detect_script
from corpus_tool.reading.document import IngestOptions
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.store.db import CorpusDB
from corpus_tool.store.exports import DATA_TABLES

CLI = [sys.executable, "-c", "from corpus_tool.cli import main; main()"]


def export_all(db: Path) -> dict[str, pd.DataFrame]:
    """Every exportable table, in its export order: what a user could ever see of the corpus."""
    with CorpusDB(db, read_only=True) as store:
        return {table: store.table(table) for table in DATA_TABLES}


def assert_same_corpus(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for table in DATA_TABLES:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """About 230 real files: State Council documents (HTML and text), hprc reports, regulations."""
    corpus = shared_path("data", "policy_corpus")
    root = tmp_path_factory.mktemp("batch")
    sc = corpus / "state_council_docs_govcn_html_2019crawl"
    shutil.copytree(sc / "txt", root / "sc" / "txt")
    shutil.copytree(sc / "html", root / "sc" / "html")
    shutil.copy(sc / "manifest.csv", root / "sc" / "manifest.csv")
    shutil.copytree(corpus / "gov_work_reports_hprc_1954_2017" / "txt", root / "hprc")
    (root / "regs").mkdir()
    for md in sorted((corpus / "state_council_admin_regulations_lawrefbook" / "md").glob("*.md"))[:60]:
        shutil.copy(md, root / "regs" / md.name)
    return {"paths": [root / "sc", root / "hprc", root / "regs"], "manifest": root / "sc" / "manifest.csv",
            "root": root}


def _ingest_args(batch: dict, db: Path, jobs: int) -> list[str]:
    return ["ingest", *map(str, batch["paths"]), "--metadata", str(batch["manifest"]), "--db", str(db),
            "-j", str(jobs), "-q"]


@pytest.fixture(scope="module")
def reference(batch: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    db = tmp_path_factory.mktemp("ref") / "ref.duckdb"
    started = time.monotonic()
    proc = subprocess.run([*CLI, *_ingest_args(batch, db, 2)], capture_output=True, text=True, timeout=900)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    return {"db": db, "tables": export_all(db), "elapsed": elapsed}


def test_kill_9_then_rerun_equals_an_uninterrupted_run(batch: dict, reference: dict, tmp_path: Path) -> None:
    seed = int(os.environ.get("CORPUS_TOOL_KILL_SEED", random.SystemRandom().randrange(10**6)))
    rng = random.Random(seed)
    db = tmp_path / "killed.duckdb"
    kills = []
    for _ in range(2):
        # Kill at a random point of the batch: after a random number of files was read (each
        # reported by --verbose as it arrives), between reading and writing, or while writing.
        proc = subprocess.Popen([*CLI, *_ingest_args(batch, db, 2), "--verbose"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        assert proc.stdout is not None
        first = proc.stdout.readline()  # "[1/229] path"
        total = int(first.split("/")[1].split("]")[0]) if first.startswith("[") else 0
        # the second kill lands in the first half of what is left, so that the re-run has work to finish
        stop_after = rng.randint(1, max(1, (total // 2) if kills else total - 1))
        seen = 1 if total else 0
        while seen < stop_after and proc.stdout.readline():
            seen += 1
        time.sleep(rng.uniform(0, 0.05))
        killed = proc.poll() is None
        if killed:
            os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its workers, no cleanup
        proc.wait()
        proc.stdout.close()
        kills.append((seen, total, "killed" if killed else "finished first"))
    assert kills[0][2] == "killed", f"seed {seed}: never interrupted {kills}"
    partial = CorpusDB(db)
    n_partial = len(partial.doc_ids())
    partial.close()
    assert n_partial < len(reference["tables"]["documents"]), f"seed {seed}: nothing left to do {kills}"
    rerun = subprocess.run([*CLI, *_ingest_args(batch, db, 1)], capture_output=True, text=True, timeout=900)
    assert rerun.returncode == 0, rerun.stderr
    try:
        assert_same_corpus(export_all(db), reference["tables"])  # with --jobs 1 after runs with --jobs 2
    except AssertionError as exc:
        raise AssertionError(f"seed {seed}, kills {kills}: {exc}") from exc


def test_an_unchanged_folder_adds_nothing_and_a_changed_file_replaces_its_version(batch: dict, reference: dict,
                                                                                   tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(reference["db"], db)
    paths = batch["paths"]
    again = ingest_paths(paths, db, manifests=[batch["manifest"]], jobs=2)
    assert again.unchanged == again.files and again.ingested == 0 and again.failed == 0
    assert_same_corpus(export_all(db), reference["tables"])

    work = tmp_path / "work"
    shutil.copytree(batch["root"] / "hprc", work)
    db = tmp_path / "work.duckdb"  # alone: in the batch's database the same bytes live on under another path
    ingest_paths([work], db, options=IngestOptions(timeout=None))
    target = work / "1990政府工作报告_李鹏.txt"
    with CorpusDB(db, read_only=True) as store:
        old_id = store.query("SELECT doc_id FROM files WHERE source_path = ?", [str(target)]).doc_id[0]
        n_docs = len(store.doc_ids())
    target.write_text(target.read_text("utf-8").replace("各位代表", "各位代表同志们"), "utf-8")
    changed = ingest_paths([work], db, options=IngestOptions(timeout=None))
    assert (changed.ingested, changed.unchanged, changed.failed) == (1, changed.files - 1, 0)
    with CorpusDB(db, read_only=True) as store:
        new_id = store.query("SELECT doc_id FROM files WHERE source_path = ?", [str(target)]).doc_id[0]
        assert new_id != old_id
        # The old version left every table, the new one is complete; nothing else changed.
        for table in ("documents", "paragraphs", "sections", "log", "signatures"):
            assert store.query(f"SELECT count(*) AS n FROM {table} WHERE doc_id = ?", [old_id]).n[0] == 0, table
        assert "各位代表同志们" in "".join(store.query("SELECT text FROM paragraphs WHERE doc_id = ?", [new_id]).text)
        assert len(store.doc_ids()) == n_docs


def test_other_settings_read_the_file_again(tmp_path: Path) -> None:
    folder = shared_path("data", "policy_corpus", "gov_work_reports_wikisource_1954_2025", "txt")
    source = next(p for p in sorted(folder.glob("*1954*")) if "政府工作报告" in p.name)
    db = tmp_path / "t.duckdb"
    first = ingest_paths([source], db, options=IngestOptions(timeout=None))
    converted = ingest_paths([source], db, options=IngestOptions(timeout=None, to_simplified=True))
    assert (first.ingested, converted.ingested, converted.unchanged) == (1, 1, 0)
    with CorpusDB(db, read_only=True) as store:
        docs = store.table("documents")
        text = "".join(store.table("paragraphs").text)
    assert len(docs) == 1 and docs.script[0] == "traditional"  # recorded whether converted or not
    assert detect_script(text) == "simplified"  # the stored text is the converted one
