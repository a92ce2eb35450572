"""Opening the corpus database safely: refuse paths that are not one, and name DuckDB's faults plainly.

DuckDB's own messages (``IO Error: Could not set lock on file ...``) are correct but say nothing of
what the researcher should do; every fault here becomes a :class:`DatabaseError` whose message
names the file, the cause and the remedy, in Chinese and English.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
# Suffixes that name an export or an input, never a database: a user who typed `--db out.csv`
# meant `--out`, and DuckDB would otherwise create a database file under that name.
NOT_DATABASE_SUFFIXES = frozenset(
    {".csv", ".tsv", ".xlsx", ".xls", ".parquet", ".json", ".jsonl", ".txt", ".md", ".pdf", ".html", ".docx"}
)
_PID = re.compile(r"\(PID (\d+)\)")
_HOLDER = re.compile(r"lock is held in (.+?) \(PID")


class DatabaseError(Exception):
    """The corpus database cannot be used; the message says why and what to do."""

    exit_code = 4


class NotADatabaseError(DatabaseError):
    """The path names something other than a corpus database (refused before any work)."""

    exit_code = 2


class DatabaseLockedError(DatabaseError):
    """Another process holds the database open for writing."""

    exit_code = 5


class CorruptDatabaseError(DatabaseError):
    """The file is a damaged or truncated DuckDB database."""


class DiskFullError(DatabaseError):
    """The disk filled up while writing; what was committed before is kept."""

    exit_code = 6


def check_path(path: Path, *, read_only: bool) -> None:
    """Refuse a path that is not, and cannot become, a corpus database, before DuckDB touches it."""
    if path.is_dir():
        raise NotADatabaseError(f"数据库路径是一个文件夹 / the database path is a folder: {path}")
    if path.exists():
        with path.open("rb") as f:
            head = f.read(16)
        if len(head) == 0:
            return  # an empty file (e.g. from `touch`): DuckDB initialises it
        if head[8:12] != DUCKDB_MAGIC:
            raise NotADatabaseError(
                f"{path} 不是 DuckDB 数据库，未作任何改动 / is not a DuckDB database and was left untouched. "
                "--db names the corpus database (e.g. corpus.duckdb); write tables with `export --out FILE`."
            )
        return
    if read_only:
        raise FileNotFoundError(
            f"语料库数据库不存在 / corpus database not found: {path} (run `corpus-tool ingest` first)"
        )
    if path.suffix.lower() in NOT_DATABASE_SUFFIXES:
        raise NotADatabaseError(
            f"--db {path}: 扩展名 {path.suffix} 是导出文件格式，不是数据库 / a {path.suffix} name is an export "
            "format, not a database. Use e.g. --db corpus.duckdb, and `export --out FILE` for tables."
        )
    if path.parent.exists() and not path.parent.is_dir():
        raise NotADatabaseError(f"数据库路径的上级不是文件夹 / the database's parent is not a folder: {path.parent}")
    # A new database in a new folder (`--db runs/2024/corpus.duckdb`), as `export --out` creates its folder.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            f"无法创建数据库所在文件夹 / cannot create the folder for the database {path}: {exc.strerror or exc}"
        ) from exc


def translate_any(exc: BaseException, path: Path | None = None) -> DatabaseError | None:
    """:func:`translate` for any exception: None unless it is a DuckDB fault this module can name."""
    return translate(exc, path) if isinstance(exc, duckdb.Error) else None


def translate(exc: duckdb.Error, path: Path | None) -> DatabaseError | None:
    """The :class:`DatabaseError` for a DuckDB exception on ``path``, or None for other errors."""
    text = str(exc)
    if path is None:
        found = re.search(r'file "([^"]+)"', text)
        path = Path(found[1].removesuffix(".wal")) if found else Path("the corpus database")
    if "Could not set lock" in text or "Conflicting lock" in text:
        pid = _PID.search(text)
        holder = _HOLDER.search(text)
        who = f"{holder[1] if holder else 'a process'} (PID {pid[1]})" if pid else "another process"
        return DatabaseLockedError(
            f"数据库正被另一个进程占用 / {path} is held open by {who}. "
            "Close that process (a notebook kernel, another `ingest` or `segment`) and run again; "
            "read-only commands (info, show, export, analyses) can run together while no writer holds it."
        )
    if "not a valid DuckDB database" in text or "Could not read enough bytes" in text or "checksum" in text.lower():
        return CorruptDatabaseError(
            f"数据库文件已损坏或被截断 / {path} is a damaged or truncated DuckDB file ({text.splitlines()[0]}). "
            "Restore it from a copy, or ingest again into a new --db file; the source files are not affected."
        )
    if "No space left on device" in text or "disk is full" in text.lower() or "Out of disk" in text:
        return DiskFullError(
            f"磁盘已满 / the disk holding {path} is full ({text.splitlines()[0]}). What was committed before is "
            "kept; free some space and run the same command again: it continues where it stopped."
        )
    return None


def connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect`` with the path checked first and its faults named."""
    check_path(path, read_only=read_only)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        named = translate(exc, path)
        if named is not None:
            raise named from exc
        raise
