"""The corpus database: one DuckDB file holding documents, text units, tokens and logs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from corpus_tool.ingest.model import Document

DEFAULT_DB = "corpus.duckdb"
SCHEMA_VERSION = "1"

# Tables a user can export, with their columns in a fixed order (the public contract first).
EXPORT_COLUMNS: dict[str, list[str]] = {
    "documents": [
        "doc_id", "source_path", "title", "year", "date", "issuer", "doc_number", "doc_type", "abstract",
        "keywords", "n_chars", "authors", "format", "encoding", "script", "n_pages", "scanned_pages",
        "canonical_id", "similarity", "fields",
    ],
    "sections": ["doc_id", "section_no", "level", "title", "parent_no"],
    "paragraphs": ["doc_id", "para_no", "section_no", "section_title", "text", "field", "page"],
    "citations": ["doc_id", "para_no", "number", "page", "offset"],
    "footnotes": ["doc_id", "footnote_no", "page", "text"],
    "log": ["doc_id", "source_path", "step", "count", "detail"],
    "errors": ["source_path", "error", "detail"],
    "files": ["source_path", "doc_id", "size", "file_hash"],
    "tokens": ["doc_id", "para_no", "position", "token", "pos", "start", "is_stop"],
}

# Deterministic row order of every export.
EXPORT_ORDER: dict[str, str] = {
    "documents": "doc_id",
    "sections": "doc_id, section_no",
    "paragraphs": "doc_id, para_no",
    "citations": "doc_id, para_no, \"offset\", number",
    "footnotes": "doc_id, footnote_no",
    "log": "doc_id, step, detail",
    "errors": "source_path",
    "files": "source_path",
    "tokens": "doc_id, para_no, position",
}


class CorpusDB:
    """A connection to one corpus database file, with the schema created on open.

    DuckDB allows one writing process per file; workers never open the database:
    they return results to the process that owns this object, which writes them.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise FileNotFoundError(
                f"语料库数据库不存在 / corpus database not found: {self.path} "
                "(run `corpus-tool ingest` first)"
            )
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        if not read_only:
            self.con.execute(resources.files("corpus_tool.store").joinpath("schema.sql").read_text("utf-8"))
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
            )

    def close(self) -> None:
        self.con.close()

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
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

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

    # -- writing documents -----------------------------------------------------------------------
    def write_document(self, doc: Document, file_row: tuple[str, int, float, str]) -> None:
        """Store one document and the file it came from, all or nothing."""
        source_path, size, mtime, file_hash = file_row
        with self.transaction() as con:
            self._forget_path(con, source_path)
            if not self.has_document(doc.doc_id):
                self._insert_document(con, doc)
            con.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?)", [source_path, doc.doc_id, size, mtime, file_hash]
            )
            con.execute("DELETE FROM errors WHERE source_path = ?", [source_path])

    def write_error(self, source_path: str, error: str, detail: str) -> None:
        """Record a file that could not be ingested; a previous version of it stays removed."""
        with self.transaction() as con:
            self._forget_path(con, source_path)
            con.execute("INSERT OR REPLACE INTO errors VALUES (?, ?, ?)", [source_path, error, detail])

    def touch_file(self, source_path: str, mtime: float) -> None:
        """Remember a new modification time for a file whose bytes did not change."""
        self.con.execute("UPDATE files SET mtime = ? WHERE source_path = ?", [mtime, source_path])

    def _forget_path(self, con: duckdb.DuckDBPyConnection, source_path: str) -> None:
        """Drop a path's file row, and its document when no other path refers to it."""
        row = con.execute("SELECT doc_id FROM files WHERE source_path = ?", [source_path]).fetchone()
        if row is None:
            return
        con.execute("DELETE FROM files WHERE source_path = ?", [source_path])
        others = con.execute("SELECT count(*) FROM files WHERE doc_id = ?", [row[0]]).fetchone()
        if others is not None and others[0] == 0:
            delete_document(con, row[0])

    def _insert_document(self, con: duckdb.DuckDBPyConnection, doc: Document) -> None:
        m = doc.meta
        con.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                doc.doc_id, doc.source_path, doc.title, m.get("year"), m.get("date"), m.get("issuer"),
                m.get("doc_number"), m.get("doc_type"), doc.abstract, "；".join(doc.keywords), doc.n_chars,
                "；".join(doc.authors), doc.fmt, doc.encoding, m.get("script"), doc.n_pages,
                ",".join(map(str, doc.scanned_pages)), None, None,
                json.dumps(m.get("fields", {}), ensure_ascii=False, sort_keys=True),
            ],
        )
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
        _insert_many(con, "log", [(doc.doc_id, doc.source_path, e.step, e.count, e.detail) for e in doc.log])


def delete_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    for table in ("documents", "sections", "paragraphs", "citations", "footnotes", "log", "tokens"):
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])


def _insert_many(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert rows through an Arrow table: DuckDB's executemany costs a round trip per row."""
    rows = list(rows)
    if not rows:
        return
    names = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    arrow = pa.table({name: [r[i] for r in rows] for i, name in enumerate(names)})  # noqa: F841
    con.execute(f"INSERT INTO {table} SELECT * FROM arrow")
