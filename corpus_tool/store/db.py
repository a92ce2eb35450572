"""The corpus database: one DuckDB file holding documents, text units, tokens and logs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:  # DuckDB loads pandas itself when a query returns a DataFrame
    import pandas as pd

from corpus_tool.reading.filenames import stored_path
from corpus_tool.reading.model import Document
from corpus_tool.store.exports import EXPORT_COLUMNS, EXPORT_ORDER
from corpus_tool.store.opening import DatabaseLockedError, NotADatabaseError, connect, translate

DEFAULT_DB = "corpus.duckdb"
SCHEMA_VERSION = "5"  # 3: tables, metadata_conflicts; 4: tables.source, file_stats; 5: paragraphs.source

# Columns added after version 1: databases made before get them on open.
ADDED_COLUMNS: list[tuple[str, str, str]] = [
    ("documents", "sources", "JSON"), ("documents", "classification", "VARCHAR"), ("documents", "doi", "VARCHAR"),
    ("files", "file_path", "VARCHAR"), ("files", "settings", "VARCHAR"),
    ("errors", "file_hash", "VARCHAR"), ("errors", "settings", "VARCHAR"), ("tables", "source", "VARCHAR"),
    ("paragraphs", "source", "VARCHAR"), ("paragraphs", "ocr_confidence", "DOUBLE"),
]
# What the ingest pipeline stores per file: (size, mtime, file_hash, settings).
FileRow = tuple[int, float, str, str]

class CorpusDB:
    """A connection to one corpus database file, with the schema created on open.

    DuckDB allows one writing process per file; workers never open the database:
    they return results to the process that owns this object, which writes them.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self._column_cache: dict[str, list[tuple[str, str]]] = {}
        new = not read_only and not self.path.exists()
        self.con = connect(self.path, read_only=read_only)
        if read_only and self._stored_version() != SCHEMA_VERSION:
            self._upgrade_then_reopen()
        if not read_only:
            if not new:  # a new file holds no one's tables and gets every column from schema.sql
                self._check_is_corpus()
            self.con.execute(resources.files("corpus_tool.store").joinpath("schema.sql").read_text("utf-8"))
            if not new:
                self._migrate()
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
            )

    def close(self) -> None:
        self.con.close()

    def _stored_version(self) -> str | None:
        try:
            rows = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        except duckdb.Error:  # no meta table yet: an empty or foreign file, judged by the writer
            return SCHEMA_VERSION
        return rows[0][0] if rows else None

    def _upgrade_then_reopen(self) -> None:
        """A database made by an earlier version lacks newer tables: add them (a short write), then read.

        When another process holds the file, the reader goes on with what is there, and a table that is
        missing says so when it is queried.
        """
        self.con.close()
        try:
            CorpusDB(self.path).close()
        except DatabaseLockedError:
            pass
        self.con = connect(self.path, read_only=True)

    def _check_is_corpus(self) -> None:
        """A DuckDB file that holds other tables but no corpus is someone else's database: never touch it."""
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if tables and "meta" not in tables:
            self.con.close()
            raise NotADatabaseError(
                f"{self.path} 是其他用途的 DuckDB 数据库，未作任何改动 / is a DuckDB database that is not a "
                f"corpus (tables: {', '.join(sorted(tables)[:5])}) and was left untouched; choose another --db."
            )

    def _migrate(self) -> None:
        for table, column, sql_type in ADDED_COLUMNS:  # main.: a bare `tables` names DuckDB's catalog view
            have = {r[0] for r in self.con.execute(f"DESCRIBE main.{table}").fetchall()}
            if column not in have:
                self.con.execute(f'ALTER TABLE main.{table} ADD COLUMN "{column}" {sql_type}')
                if (table, column) == ("paragraphs", "source"):
                    self._mark_text_paragraphs()

    def _mark_text_paragraphs(self) -> None:
        """Paragraphs stored before their provenance was: those of documents read without --ocr are text (the
        settings are part of the doc_id); those read with it stay NULL (not recorded: ingest them again)."""
        self.con.execute(
            "UPDATE main.paragraphs SET source = 'text' WHERE doc_id NOT IN (SELECT doc_id FROM main.files "
            "WHERE list_contains(string_split(coalesce(settings, ''), ';'), 'ocr'))")

    def __enter__(self) -> CorpusDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
            self.con.execute("COMMIT")
        except BaseException as exc:
            try:
                self.con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # a failed COMMIT has already ended the transaction
            named = translate(exc, self.path) if isinstance(exc, duckdb.Error) else None
            if named is not None:
                raise named from exc
            raise

    # -- queries ---------------------------------------------------------------------------------
    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def table(self, name: str, where: str | None = None) -> pd.DataFrame:
        """A whole table (or the rows matching ``where``) in its export column order."""
        if name not in EXPORT_COLUMNS:
            raise ValueError(f"unknown table {name!r}; choose from {', '.join(EXPORT_COLUMNS)}")
        cols = ", ".join(f'"{c}"' for c in EXPORT_COLUMNS[name])
        sql = f"SELECT {cols} FROM {name}"
        if where:
            sql += f" WHERE {where}"
        return self.query(f"{sql} ORDER BY {EXPORT_ORDER[name]}")

    def known_file(self, source_path: str) -> tuple[str, int, float, str] | None:
        row = self.con.execute(
            "SELECT doc_id, size, mtime, file_hash FROM files WHERE source_path = ?", [source_path]
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2], row[3])

    def has_document(self, doc_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]).fetchone() is not None

    def doc_ids(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]

    def fingerprint(self) -> str:
        """A hash over the sorted document ids: equal corpora have equal fingerprints."""
        h = hashlib.sha256()
        for doc_id in self.doc_ids():
            h.update(doc_id.encode("ascii") + b"\n")
        return h.hexdigest()[:16]

    def get_meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    # -- what is stored per file ----------------------------------------------------------------
    def file_states(self) -> dict[str, set[tuple[str, str]]]:
        """For each file on disk: the (file_hash, settings) its stored rows were read with."""
        out: dict[str, set[tuple[str, str]]] = {}
        for path, digest, settings in self.con.execute(
                "SELECT coalesce(file_path, source_path), file_hash, coalesce(settings, '') FROM files").fetchall():
            out.setdefault(path, set()).add((digest, settings))
        return out

    def hash_cache(self) -> dict[str, tuple[str, str]]:
        """For each file on disk hashed before: (its stat then, its SHA-256); see :func:`stat_key`."""
        return {r[0]: (r[1], r[2]) for r in self.con.execute(
            "SELECT file_path, stat, file_hash FROM file_stats").fetchall()}

    def remember_hashes(self, entries: list[tuple[str, str, str]]) -> None:
        """Store (file path, stat key, SHA-256) of files just hashed, in one statement."""
        if entries:
            path, stat, digest = (list(c) for c in zip(*entries, strict=True))
            self.con.execute("INSERT OR REPLACE INTO file_stats SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
                             "unnest(?::VARCHAR[])", [path, stat, digest])

    def error_states(self) -> dict[str, tuple[str, str, str | None, str]]:
        """Files that failed before: path → (error, detail, file_hash, settings)."""
        return {r[0]: (r[1], r[2], r[3], r[4] or "") for r in self.con.execute(
            "SELECT source_path, error, detail, file_hash, settings FROM errors").fetchall()}

    # -- writing documents -----------------------------------------------------------------------
    def write_document(self, doc: Document, file_row: tuple[str, int, float, str]) -> None:
        """Store one document and the file it came from, all or nothing."""
        source_path, size, mtime, file_hash = file_row
        self.write_file(source_path, [doc], (size, mtime, file_hash, ""))

    def write_file(self, file_path: str, docs: list[Document], file_row: FileRow) -> int:
        """Store the documents read from one file (one, or one per table row), all or nothing.

        A previous version of the file is removed first. A document whose content is already
        stored (an exact duplicate) is not stored again: the file's path is added to it.
        Returns how many documents were new.
        """
        return self.write_files([(file_path, docs, file_row)])[0]

    def write_files(self, batch: list[tuple[str, list[Document], FileRow]]) -> list[int]:
        """Store many files in one transaction, all or nothing; per file, how many documents were new.

        The result is what :meth:`write_file` gives called once per file in this order; the rows of
        consecutive files that were never stored before go in with one Arrow insert per table (the cost
        of writing is the number of statements, not the rows). A file stored before is replaced on its
        own, in its place in the order, because removing its previous version may touch the others.
        """
        counts: list[int] = []
        with self.transaction() as con:
            stored = self._lookup(con, batch)
            if not stored.files:  # the usual case: new files, written together
                return self._write_new_files(con, batch, stored)
            group: list[tuple[str, list[Document], FileRow]] = []
            for item in batch:
                if item[0] in stored.files:
                    counts += self._write_new_files(con, group)
                    group = []
                    counts.append(self._replace_file(con, *item))
                else:
                    group.append(item)
            counts += self._write_new_files(con, group)
        return counts

    def _lookup(self, con: duckdb.DuckDBPyConnection, batch: list[tuple[str, list[Document], FileRow]]) -> _Stored:
        """What the database already holds of a batch, in one query: its files, documents and errors."""
        paths = [path for path, _, _ in batch]
        ids = sorted({d.doc_id for _, docs, _ in batch for d in docs})
        found = _Stored(set(), set(), set())
        for kind, key in con.execute(
                "WITH paths AS (SELECT unnest(?::VARCHAR[]) AS path), ids AS (SELECT unnest(?::VARCHAR[]) AS doc_id) "
                "SELECT DISTINCT 'file', coalesce(f.file_path, f.source_path) FROM files f "
                "  JOIN paths p ON coalesce(f.file_path, f.source_path) = p.path "
                "UNION ALL SELECT 'doc', d.doc_id FROM documents d JOIN ids USING (doc_id) "
                "UNION ALL SELECT DISTINCT 'error', e.source_path FROM errors e JOIN paths p ON e.source_path = p.path",
                [paths, ids]).fetchall():
            {"file": found.files, "doc": found.docs, "error": found.errors}[kind].add(key)
        return found

    def _replace_file(self, con: duckdb.DuckDBPyConnection, file_path: str, docs: list[Document],
                      file_row: FileRow) -> int:
        """One file whose earlier version is stored: forget it, then store this one."""
        size, mtime, file_hash, settings = file_row
        new = 0
        self._forget_file(con, file_path)
        for doc in docs:
            if self.has_document(doc.doc_id):
                con.execute("UPDATE documents SET source_path = ? WHERE doc_id = ? AND source_path > ?",
                            [doc.source_path, doc.doc_id, doc.source_path])
            else:
                rows = _RowBatch()
                rows.add_document(doc)
                rows.insert(con, self._columns)
                new += 1
            con.execute(
                "INSERT OR REPLACE INTO files (source_path, doc_id, size, mtime, file_hash, file_path, settings) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [doc.source_path, doc.doc_id, size, mtime, file_hash, file_path, settings],
            )
        con.execute("DELETE FROM errors WHERE source_path = ?", [file_path])
        return new

    def _write_new_files(self, con: duckdb.DuckDBPyConnection, group: list[tuple[str, list[Document], FileRow]],
                         stored: _Stored | None = None) -> list[int]:
        """Files with nothing stored under their paths: every table's rows in one insert."""
        if not group:
            return []
        stored = stored or self._lookup(con, group)
        rows = _RowBatch()
        first_path: dict[str, str] = {}  # doc_id → the smallest path of a copy already stored
        counts = []
        for file_path, docs, (size, mtime, file_hash, settings) in group:
            new = 0
            for doc in docs:
                if doc.doc_id in rows.documents:  # a copy earlier in this batch: keep the smallest path
                    row = rows.documents[doc.doc_id]
                    row["source_path"] = min(row["source_path"], doc.source_path)
                elif doc.doc_id in stored.docs:
                    first_path[doc.doc_id] = min(first_path.get(doc.doc_id, doc.source_path), doc.source_path)
                else:
                    rows.add_document(doc)
                    new += 1
                rows.add("files", (doc.source_path, doc.doc_id, size, mtime, file_hash, file_path, settings))
            counts.append(new)
        for doc_id, path in sorted(first_path.items()):
            con.execute("UPDATE documents SET source_path = ? WHERE doc_id = ? AND source_path > ?",
                        [path, doc_id, path])
        rows.insert(con, self._columns)
        failed_before = sorted(stored.errors & {path for path, _, _ in group})
        if failed_before:
            con.execute("DELETE FROM errors WHERE list_contains(?, source_path)", [failed_before])
        return counts

    def _columns(self, table: str) -> list[tuple[str, str]]:
        """A table's (column name, SQL type), all tables' looked up in one query per connection (the schema
        does not change while open)."""
        if not self._column_cache:
            for name, column, sql_type in self.con.execute(
                    "SELECT table_name, column_name, data_type FROM duckdb_columns() "
                    "WHERE database_name = current_database() AND schema_name = 'main' "
                    "ORDER BY table_name, column_index").fetchall():
                self._column_cache.setdefault(name, []).append((column, sql_type))
        return self._column_cache[table]

    def write_error(self, source_path: str, error: str, detail: str, file_hash: str | None = None,
                    settings: str = "") -> None:
        """Record a file that could not be ingested; a previous version of it stays removed."""
        source_path = stored_path(source_path)
        with self.transaction() as con:
            self._forget_file(con, source_path)
            con.execute("INSERT OR REPLACE INTO errors (source_path, error, detail, file_hash, settings) "
                        "VALUES (?, ?, ?, ?, ?)", [source_path, error, detail, file_hash, settings])

    def touch_file(self, source_path: str, mtime: float) -> None:
        """Remember a new modification time for a file whose bytes did not change."""
        self.con.execute("UPDATE files SET mtime = ? WHERE source_path = ?", [mtime, source_path])

    def _forget_file(self, con: duckdb.DuckDBPyConnection, file_path: str) -> None:
        """Drop a file's rows, and each of its documents that no other file refers to."""
        rows = con.execute(
            "SELECT source_path, doc_id FROM files WHERE coalesce(file_path, source_path) = ?", [file_path]
        ).fetchall()
        if not rows:
            return
        con.execute("DELETE FROM files WHERE coalesce(file_path, source_path) = ?", [file_path])
        for doc_id in sorted({r[1] for r in rows}):
            left = con.execute("SELECT min(source_path) FROM files WHERE doc_id = ?", [doc_id]).fetchone()
            if left is None or left[0] is None:
                delete_document(con, doc_id)
            else:  # another copy remains: it becomes the document's first path
                con.execute("UPDATE documents SET source_path = ? WHERE doc_id = ?", [left[0], doc_id])


def delete_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    for table in ("documents", "sections", "paragraphs", "citations", "footnotes", "tables", "log", "tokens",
                  "signatures", "relations", "metadata_conflicts"):
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])


@dataclass
class _Stored:
    """Of a batch: the file paths, doc_ids and failed paths the database holds already."""

    files: set[str]
    docs: set[str]
    errors: set[str]


FILES_COLUMNS = ["source_path", "doc_id", "size", "mtime", "file_hash", "file_path", "settings"]
# The tables a document's rows go to, in the order they are inserted.
DOCUMENT_TABLES = ("documents", "sections", "paragraphs", "citations", "footnotes", "tables", "log", "signatures",
                   "metadata_conflicts", "relations", "files")


class _RowBatch:
    """The rows of many documents, table by table, inserted with one Arrow insert per table."""

    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Any]] = {}  # doc_id → the documents row (by column name)
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in DOCUMENT_TABLES if t != "documents"}

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows[table].append(row)

    def add_document(self, doc: Document) -> None:
        m = doc.meta
        fields = dict(m.get("fields", {}))
        classification = fields.pop("classification", None)
        doi = fields.pop("doi", None)
        self.documents[doc.doc_id] = {
            "doc_id": doc.doc_id, "source_path": doc.source_path, "title": doc.title, "year": m.get("year"),
            "date": m.get("date"), "issuer": m.get("issuer"), "doc_number": m.get("doc_number"),
            "doc_type": m.get("doc_type"), "abstract": doc.abstract, "keywords": "；".join(doc.keywords),
            "n_chars": doc.n_chars, "authors": "；".join(doc.authors), "format": doc.fmt, "encoding": doc.encoding,
            "script": m.get("script"), "n_pages": doc.n_pages, "scanned_pages": ",".join(map(str, doc.scanned_pages)),
            "canonical_id": None, "similarity": None,
            "fields": json.dumps(fields, ensure_ascii=False, sort_keys=True),
            "sources": json.dumps(m.get("sources", {}), ensure_ascii=False, sort_keys=True),
            "classification": classification, "doi": doi,
        }
        rows, doc_id = self.rows, doc.doc_id
        titles = {s.section_no: s.title for s in doc.sections}
        rows["sections"] += [(doc_id, s.section_no, s.level, s.title, s.parent_no) for s in doc.sections]
        rows["paragraphs"] += [(doc_id, u.para_no, u.section_no, titles.get(u.section_no) if u.section_no else None,
                                u.text, u.field, u.page, u.source, u.ocr_confidence) for u in doc.units]
        rows["citations"] += [(doc_id, c.para_no, c.number, c.page, c.offset) for c in doc.citations]
        rows["footnotes"] += [(doc_id, f.footnote_no, f.page, f.text) for f in doc.footnotes]
        rows["tables"] += [(doc_id, t.table_no, c.page or t.page, c.row, c.col, c.row_span, c.col_span, c.text,
                            t.n_rows, t.n_cols, c.source) for t in doc.tables for c in t.cells]
        rows["log"] += [(doc_id, doc.source_path, e.step, e.count, e.detail) for e in doc.log]
        if m.get("minhash") is not None:
            rows["signatures"].append((doc_id, m["minhash"], m.get("n_shingles", 0)))
        rows["metadata_conflicts"] += [
            (doc_id, doc.source_path, c["field"], c["manifest_value"], c["manifest_source"], c["text_value"],
             c["text_source"]) for c in m.get("conflicts", [])]
        rows["relations"] += [(doc_id, r["relation"], r["title"], r.get("issuer"), r.get("doc_type"),
                               r.get("doc_number"), None) for r in m.get("relations", [])]

    def insert(self, con: duckdb.DuckDBPyConnection, columns: Callable[[str], list[tuple[str, str]]]) -> None:
        """One insert per table that has rows (``files`` replaces the rows of the same source path).

        Each column goes to DuckDB as a NumPy array: one statement per table, and neither pyarrow nor pandas
        to load (pyarrow imports pandas to build a table, most of the start-up of ingesting one file).
        """
        if self.documents:
            names = [name for name, _ in columns("documents")]
            _insert(con, "INSERT", "documents", columns("documents"),
                    [tuple(d[n] for n in names) for d in self.documents.values()])
        for table, rows in self.rows.items():
            if rows:
                typed = dict(columns(table))
                names = FILES_COLUMNS if table == "files" else list(typed)
                _insert(con, "INSERT OR REPLACE" if table == "files" else "INSERT", table,
                        [(n, typed[n]) for n in names], rows)


# Up to this many values an insert binds them as parameters of one VALUES list: a one-file ingest in a fresh
# process then does not import numpy (~0.1 s); larger batches go as numpy arrays, faster for DuckDB to take.
PLAIN_MAX_VALUES = 2000


def _insert(con: duckdb.DuckDBPyConnection, verb: str, table: str, columns: list[tuple[str, str]],
            rows: list[tuple[Any, ...]]) -> None:
    """Rows (tuples in the order of ``columns``) into ``table`` in one statement: a dict of NumPy object arrays,
    one per column, which DuckDB scans as it is, each cast to the column's type (few rows: a VALUES list)."""
    names = ", ".join(f'"{name}"' for name, _ in columns)
    values = ", ".join(f"c{i}::{sql_type}" for i, (_, sql_type) in enumerate(columns))
    if len(rows) * len(columns) <= PLAIN_MAX_VALUES:
        marks = "(" + ", ".join("?" * len(columns)) + ")"
        aliases = ", ".join(f"c{i}" for i in range(len(columns)))
        con.execute(f"{verb} INTO {table} ({names}) SELECT {values} FROM (VALUES {', '.join([marks] * len(rows))}) "
                    f"AS v({aliases})", [v for row in rows for v in row])
        return
    import numpy as np

    scanned = {f"c{i}": np.fromiter((row[i] for row in rows), dtype=object, count=len(rows))  # noqa: F841
               for i in range(len(columns))}
    con.execute(f"{verb} INTO {table} ({names}) SELECT {values} FROM scanned")
