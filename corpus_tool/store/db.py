"""The corpus database: one DuckDB file holding documents, text units, tokens and logs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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
SCHEMA_VERSION = "3"  # 3: tables, metadata_conflicts

# Columns added after version 1: databases made before get them on open.
ADDED_COLUMNS: list[tuple[str, str, str]] = [
    ("documents", "sources", "JSON"), ("documents", "classification", "VARCHAR"), ("documents", "doi", "VARCHAR"),
    ("files", "file_path", "VARCHAR"), ("files", "settings", "VARCHAR"),
    ("errors", "file_hash", "VARCHAR"), ("errors", "settings", "VARCHAR"),
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
        self.con = connect(self.path, read_only=read_only)
        if read_only and self._stored_version() != SCHEMA_VERSION:
            self._upgrade_then_reopen()
        if not read_only:
            self._check_is_corpus()
            self.con.execute(resources.files("corpus_tool.store").joinpath("schema.sql").read_text("utf-8"))
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
        for table, column, sql_type in ADDED_COLUMNS:
            have = {r[0] for r in self.con.execute(f"DESCRIBE {table}").fetchall()}
            if column not in have:
                self.con.execute(f'ALTER TABLE {table} ADD COLUMN "{column}" {sql_type}')

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
        size, mtime, file_hash, settings = file_row
        new = 0
        with self.transaction() as con:
            self._forget_file(con, file_path)
            for doc in docs:
                if self.has_document(doc.doc_id):
                    con.execute("UPDATE documents SET source_path = ? WHERE doc_id = ? AND source_path > ?",
                                [doc.source_path, doc.doc_id, doc.source_path])
                else:
                    self._insert_document(con, doc)
                    new += 1
                con.execute(
                    "INSERT OR REPLACE INTO files (source_path, doc_id, size, mtime, file_hash, file_path, settings) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [doc.source_path, doc.doc_id, size, mtime, file_hash, file_path, settings],
                )
            con.execute("DELETE FROM errors WHERE source_path = ?", [file_path])
        return new

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

    def _insert_document(self, con: duckdb.DuckDBPyConnection, doc: Document) -> None:
        m = doc.meta
        fields = dict(m.get("fields", {}))
        classification = fields.pop("classification", None)
        doi = fields.pop("doi", None)
        values = {
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
        names = ", ".join(f'"{k}"' for k in values)
        con.execute(f"INSERT INTO documents ({names}) VALUES ({', '.join('?' * len(values))})", list(values.values()))
        titles = {s.section_no: s.title for s in doc.sections}
        _insert_many(con, "sections", [(doc.doc_id, s.section_no, s.level, s.title, s.parent_no)
                                       for s in doc.sections])
        _insert_many(con, "paragraphs", [
            (doc.doc_id, u.para_no, u.section_no, titles.get(u.section_no) if u.section_no else None,
             u.text, u.field, u.page) for u in doc.units
        ])
        _insert_many(con, "citations", [(doc.doc_id, c.para_no, c.number, c.page, c.offset)
                                        for c in doc.citations])
        _insert_many(con, "footnotes", [(doc.doc_id, f.footnote_no, f.page, f.text) for f in doc.footnotes])
        _insert_many(con, "tables", [
            (doc.doc_id, t.table_no, t.page, c.row, c.col, c.row_span, c.col_span, c.text, t.n_rows, t.n_cols)
            for t in doc.tables for c in t.cells
        ])
        _insert_many(con, "log", [(doc.doc_id, doc.source_path, e.step, e.count, e.detail) for e in doc.log])
        if m.get("minhash") is not None:
            con.execute("INSERT INTO signatures VALUES (?, ?, ?)", [doc.doc_id, m["minhash"], m.get("n_shingles", 0)])
        _insert_many(con, "metadata_conflicts", [
            (doc.doc_id, doc.source_path, c["field"], c["manifest_value"], c["manifest_source"], c["text_value"],
             c["text_source"]) for c in m.get("conflicts", [])
        ])
        _insert_many(con, "relations", [
            (doc.doc_id, r["relation"], r["title"], r.get("issuer"), r.get("doc_type"), r.get("doc_number"), None)
            for r in m.get("relations", [])
        ])


def delete_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    for table in ("documents", "sections", "paragraphs", "citations", "footnotes", "tables", "log", "tokens",
                  "signatures", "relations", "metadata_conflicts"):
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])


def _insert_many(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert rows through an Arrow table: DuckDB's executemany costs a round trip per row."""
    rows = list(rows)
    if not rows:
        return
    # column names from a query: `DESCRIBE tables` would list the database's tables instead
    names = [d[0] for d in con.execute(f"SELECT * FROM main.{table} LIMIT 0").description]
    import pyarrow as pa

    arrow = pa.table({name: [r[i] for r in rows] for i, name in enumerate(names)})  # noqa: F841
    con.execute(f"INSERT INTO {table} SELECT * FROM arrow")
