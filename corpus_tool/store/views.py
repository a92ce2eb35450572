"""SQL fragments every analysis shares, so that all of them select documents the same way."""

from __future__ import annotations


def analysable_docs_sql(include_duplicates: bool = False, *, alias: str = "d") -> str:
    """A query of the documents analyses read: all of them, or (by default) all but near duplicates.

    Exact duplicates are stored once already; a near duplicate (``canonical_id`` set) is a copy
    of another document in the corpus and would count the same text twice. Use it as a
    subquery: ``... WHERE doc_id IN ({analysable_docs_sql()})``.
    """
    where = "" if include_duplicates else f" WHERE {alias}.canonical_id IS NULL"
    return f"SELECT {alias}.doc_id FROM documents {alias}{where}"


def duplicate_groups_sql() -> str:
    """Each near duplicate with its canonical document, both titles and paths, for reports."""
    return (
        "SELECT d.doc_id, d.source_path, d.title, d.year, d.similarity, d.canonical_id, "
        "c.source_path AS canonical_path, c.title AS canonical_title "
        "FROM documents d JOIN documents c ON c.doc_id = d.canonical_id "
        "ORDER BY d.canonical_id, d.doc_id"
    )


def exact_duplicates_sql() -> str:
    """Documents read from more than one file: every path of each, in order."""
    return (
        "SELECT doc_id, count(*) AS n_files, string_agg(source_path, ' | ' ORDER BY source_path) AS paths "
        "FROM files GROUP BY doc_id HAVING count(*) > 1 ORDER BY doc_id"
    )
