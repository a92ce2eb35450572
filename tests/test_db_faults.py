"""Faults a real machine has, end to end through the CLI: a clear message, the right exit code, nothing lost."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from corpus_tool.reading.filenames import readable_path, stored_path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "demo"


def cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("CORPUS_TOOL_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "corpus_tool", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def _text_corpus(folder: Path, n: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"doc{i}.txt").write_text(f"关于推进第{i}项改革的通知\n\n各地区要坚持稳中求进，推动高质量发展。\n",
                                            encoding="utf-8")
    return folder


def test_db_with_an_export_suffix_is_refused_before_any_work(tmp_path: Path) -> None:
    docs = _text_corpus(tmp_path / "docs")
    r = cli("ingest", str(docs), "--db", "notes.csv", "-q", cwd=tmp_path)
    assert r.returncode == 2
    assert "export" in r.stderr and "notes.csv" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "notes.csv").exists()


def test_db_in_a_new_folder_is_created_and_a_file_in_the_way_is_named(tmp_path: Path) -> None:
    docs = _text_corpus(tmp_path / "docs")
    r = cli("ingest", str(docs), "--db", "runs/2024/corpus.duckdb", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(tmp_path / "runs" / "2024" / "corpus.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
    con.close()
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    r = cli("ingest", str(docs), "--db", "plain/corpus.duckdb", "-q", cwd=tmp_path)
    assert r.returncode == 2 and "not a folder" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("name, content", [("notes.csv", b"a,b\n1,2\n"), ("corpus.duckdb", b"not a database" * 50)])
def test_existing_file_that_is_not_a_database_is_never_touched(tmp_path: Path, name: str, content: bytes) -> None:
    target = tmp_path / name
    target.write_bytes(content)
    for args in (("ingest", str(_text_corpus(tmp_path / "docs")), "-q"), ("info",)):
        r = cli(*args, "--db", name, cwd=tmp_path)
        assert r.returncode == 2, r.stderr
        assert "not a DuckDB database" in r.stderr and "Traceback" not in r.stderr
        assert target.read_bytes() == content


def test_someone_elses_duckdb_database_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "sales.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE sales AS SELECT 1 AS amount")
    con.close()
    before = other.read_bytes()
    r = cli("ingest", str(_text_corpus(tmp_path / "docs")), "--db", str(other), "-q", cwd=tmp_path)
    assert r.returncode == 2 and "not a corpus" in r.stderr
    assert other.read_bytes() == before


def test_database_held_by_another_process(tmp_path: Path) -> None:
    docs = _text_corpus(tmp_path / "docs")
    assert cli("ingest", str(docs), "-q", cwd=tmp_path).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import duckdb, sys, time
            con = duckdb.connect("corpus.duckdb")
            print("holding", flush=True)
            time.sleep(120)
        """)], cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        for args in (("ingest", str(docs), "-q"), ("info",)):
            r = cli(*args, cwd=tmp_path)
            assert r.returncode == 5, r.stderr
            assert f"PID {holder.pid}" in r.stderr and "Traceback" not in r.stderr
    finally:
        holder.kill()
        holder.wait()
    r = cli("info", cwd=tmp_path)
    assert r.returncode == 0 and "documents: 3" in r.stdout  # nothing was lost


def test_read_only_commands_run_side_by_side(tmp_path: Path) -> None:
    assert cli("ingest", str(_text_corpus(tmp_path / "docs")), "-q", cwd=tmp_path).returncode == 0
    reader = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, time; c = duckdb.connect('corpus.duckdb', read_only=True); "
         "print('reading', flush=True); time.sleep(120)"], cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
        for args in (("info",), ("export", "documents", "--out", "docs.csv")):
            r = cli(*args, cwd=tmp_path)
            assert r.returncode == 0, r.stderr
    finally:
        reader.kill()
        reader.wait()


def test_truncated_database_gets_a_clear_message(tmp_path: Path) -> None:
    assert cli("ingest", str(_text_corpus(tmp_path / "docs")), "-q", cwd=tmp_path).returncode == 0
    db = tmp_path / "corpus.duckdb"
    db.write_bytes(db.read_bytes()[:6000])
    r = cli("info", cwd=tmp_path)
    assert r.returncode == 4 and "damaged or truncated" in r.stderr and "Traceback" not in r.stderr


def test_text_with_stray_control_characters_is_read_and_counted(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "scraped.txt").write_bytes("关于加强\x00基层治理的意见\n\n坚持\x07党的领导。\n".encode())
    r = cli("ingest", str(docs), "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    text = "".join(t for (t,) in con.execute("SELECT text FROM paragraphs").fetchall())
    assert "加强基层治理" in text and "坚持党的领导" in text and "\x00" not in text
    assert con.execute("SELECT count FROM log WHERE step = 'control_chars_removed'").fetchone() == (2,)
    con.close()


def test_gbk_byte_file_name_is_stored_and_the_batch_goes_on(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    gbk_name = "政策通知".encode("gbk") + b".txt"
    try:
        with open(os.path.join(os.fsencode(docs), gbk_name), "wb") as f:
            f.write("关于做好就业工作的通知\n\n各地要稳定就业。\n".encode())
    except OSError as exc:  # a file system that insists on UTF-8 names
        pytest.skip(f"cannot create a GBK-byte file name here: {exc}")
    (docs / "plain.txt").write_text("关于推进改革的意见\n\n深化改革。\n", encoding="utf-8")
    r = cli("ingest", str(docs), "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    paths = sorted(p for (p,) in con.execute("SELECT source_path FROM files").fetchall())
    assert len(paths) == 2
    escaped = next(p for p in paths if "\\x" in p)
    assert readable_path(escaped).endswith("政策通知.txt")
    assert stored_path(os.fsdecode(os.path.join(os.fsencode(docs), gbk_name))) == escaped
    con.close()
    again = cli("ingest", str(docs), "-q", cwd=tmp_path)  # the escaped name finds its stored file
    assert again.returncode == 0 and "unchanged: 2" in again.stdout


def _mount_tmpfs(where: Path, size: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    where.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def test_disk_full_during_ingest_keeps_the_database_consistent(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "3m"):
        pytest.skip("needs root and a tmpfs mount to fill a disk (not available here)")
    try:
        docs = tmp_path / "docs"
        docs.mkdir()
        rng = random.Random(7)
        hanzi = [chr(c) for c in range(0x4E00, 0x6000)]
        for i in range(60):  # text that neither compresses nor looks like a near duplicate
            body = "\n\n".join("".join(rng.choices(hanzi, k=300)) + "。" for _ in range(100))
            (docs / f"report{i:02}.txt").write_text(f"第{i}号报告\n\n{body}\n", encoding="utf-8")
        r = cli("ingest", str(docs), "--db", str(disk / "corpus.duckdb"), "-q", cwd=tmp_path)
        assert r.returncode == 6, (r.returncode, r.stderr[-2000:])
        assert "disk" in r.stderr and "Traceback" not in r.stderr
        subprocess.run(["mount", "-o", "remount,size=200m", str(disk)], check=True)
        time.sleep(0.2)
        info = cli("info", "--db", str(disk / "corpus.duckdb"), cwd=tmp_path)
        assert info.returncode == 0, info.stderr
        again = cli("ingest", str(docs), "--db", str(disk / "corpus.duckdb"), "-q", cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        con = duckdb.connect(str(disk / "corpus.duckdb"), read_only=True)
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (60,)
        assert con.execute("SELECT count(*) FROM files").fetchone() == (60,)
        con.close()
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_database_from_an_earlier_version_is_upgraded_by_a_reader(tmp_path: Path) -> None:
    assert cli("ingest", str(_text_corpus(tmp_path / "docs")), "-q", cwd=tmp_path).returncode == 0
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"))
    con.execute("DROP TABLE tables")  # what a database made before PDF tables were stored looks like
    con.execute("DROP TABLE metadata_conflicts")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    for args in (("info",), ("export", "tables", "--out", "t.csv"), ("export", "metadata_conflicts", "--out", "m.csv")):
        r = cli(*args, cwd=tmp_path)
        assert r.returncode == 0, (args, r.stderr)
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (3,)
    con.close()


def test_paragraphs_without_provenance_columns_gain_them(tmp_path: Path) -> None:
    """A version-4 database (paragraphs without source/ocr_confidence) opened by this version: columns added,
    rows kept; read without --ocr, they are text."""
    assert cli("ingest", str(_text_corpus(tmp_path / "docs")), "-q", cwd=tmp_path).returncode == 0
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"))
    con.execute("ALTER TABLE main.paragraphs DROP COLUMN source")
    con.execute("ALTER TABLE main.paragraphs DROP COLUMN ocr_confidence")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.execute("UPDATE files SET settings = 'ocr' WHERE source_path LIKE '%doc0.txt'")  # as if read with --ocr
    n = con.execute("SELECT count(*) FROM paragraphs").fetchone()
    con.close()
    r = cli("export", "paragraphs", "--out", "p.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()[0].endswith(",source,ocr_confidence")
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("5",)
    assert con.execute("SELECT count(*) FROM paragraphs").fetchone() == n
    marked = con.execute("SELECT f.source_path LIKE '%doc0.txt', p.source, p.ocr_confidence FROM paragraphs p "
                         "JOIN files f USING (doc_id) GROUP BY ALL ORDER BY ALL").fetchall()
    assert marked == [(False, "text", None), (True, None, None)]  # read with --ocr: not recorded, not guessed
    con.close()
    (tmp_path / "docs" / "d9.txt").write_text("关于新增文件的通知\n\n一、总则\n\n本文件自发布之日起施行。\n",
                                              encoding="utf-8")
    assert cli("ingest", str(tmp_path / "docs"), "-q", cwd=tmp_path).returncode == 0
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    new = con.execute("SELECT DISTINCT source, ocr_confidence FROM paragraphs WHERE source IS NOT NULL").fetchall()
    assert new == [("text", None)]
    con.close()


def test_tables_without_a_source_column_gain_it(tmp_path: Path) -> None:
    """A version-3 database (no tables.source, no file_stats) opened by this version: columns added, rows kept."""
    assert cli("ingest", str(_text_corpus(tmp_path / "docs")), "-q", cwd=tmp_path).returncode == 0
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"))
    con.execute("ALTER TABLE main.tables DROP COLUMN source")
    con.execute("DROP TABLE file_stats")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    r = cli("export", "tables", "--out", "t.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()[0].endswith(",source")
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    assert "source" in {row[0] for row in con.execute("DESCRIBE main.tables").fetchall()}
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("5",)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (3,)
    con.close()
