"""Finding documents by what a user calls them: an id or its prefix, a path, a file name, a manifest value or
part of the title (``corpus-tool show``, ``compare`` A and B)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from corpus_tool.reading.filenames import readable_path


@dataclass(frozen=True)
class DocMatch:
    doc_id: str
    title: str
    path: str


def find_documents(con: duckdb.DuckDBPyConnection, query: str) -> list[DocMatch]:
    """Documents ``query`` names, by the first rule that finds any: id or id prefix, stored path, the same
    file (a path from another folder), file name or stem, a manifest value, then a part of the title."""
    rows = con.execute(
        "SELECT d.doc_id, coalesce(d.title, ''), coalesce(min(f.source_path), d.source_path), "
        "list(f.source_path), CAST(d.fields AS VARCHAR) FROM documents d LEFT JOIN files f USING (doc_id) "
        "GROUP BY d.doc_id, d.title, d.source_path, CAST(d.fields AS VARCHAR) ORDER BY d.doc_id"
    ).fetchall()
    target = Path(query)
    resolved = str(target.resolve()) if target.exists() else None

    def field_values(raw: str | None) -> set[str]:
        try:
            values = json.loads(raw) if raw else {}
        except ValueError:
            return set()
        return {str(v) for v in values.values()} if isinstance(values, dict) else set()

    rules = (
        lambda r: r[0].startswith(query.lower()),
        lambda r: query in r[3],
        lambda r: resolved is not None and any(p and str(Path(p).resolve()) == resolved for p in r[3]),
        lambda r: any(p and readable_path(p).rsplit("/", 1)[-1] in (query, f"{query}{Path(p).suffix}")
                      for p in r[3]),
        lambda r: query in field_values(r[4]),
        lambda r: len(query) >= 2 and query in r[1],
    )
    for rule in rules:
        found = [DocMatch(r[0], r[1], r[2] or "") for r in rows if rule(r)]
        if found:
            return found
    return []
