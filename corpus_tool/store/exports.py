"""The tables a user can export: their columns in a fixed order and their row order (plain data, cheap to import)."""

from __future__ import annotations

# Tables a user can export, with their columns in a fixed order (the public contract first).
EXPORT_COLUMNS: dict[str, list[str]] = {
    "documents": [
        "doc_id", "source_path", "title", "year", "date", "issuer", "doc_number", "doc_type", "abstract",
        "keywords", "n_chars", "authors", "format", "encoding", "script", "n_pages", "scanned_pages",
        "canonical_id", "similarity", "fields", "sources", "classification", "doi",
    ],
    "sections": ["doc_id", "section_no", "level", "title", "parent_no"],
    "paragraphs": ["doc_id", "para_no", "section_no", "section_title", "text", "field", "page", "source",
                   "ocr_confidence"],
    "citations": ["doc_id", "para_no", "number", "page", "offset"],
    "footnotes": ["doc_id", "footnote_no", "page", "text"],
    "tables": ["doc_id", "table_no", "page", "row", "col", "row_span", "col_span", "text", "n_rows", "n_cols",
               "source"],
    "log": ["doc_id", "source_path", "step", "count", "detail"],
    "errors": ["source_path", "error", "detail"],
    "metadata_conflicts": ["doc_id", "source_path", "field", "manifest_value", "manifest_source", "text_value",
                           "text_source"],
    "files": ["source_path", "doc_id", "size", "file_hash", "file_path"],
    "relations": ["doc_id", "relation", "title", "issuer", "doc_type", "doc_number", "target_doc_id"],
    "tokens": ["doc_id", "para_no", "position", "token", "pos", "start", "is_stop"],
    "segmentations": ["seg_id", "settings", "corpus_fingerprint", "current"],
    "runs": ["run_id", "command", "params", "started", "finished", "summary"],
}

# Deterministic row order of every export.
EXPORT_ORDER: dict[str, str] = {
    "documents": "doc_id",
    "sections": "doc_id, section_no",
    "paragraphs": "doc_id, para_no",
    "citations": "doc_id, para_no, \"offset\", number",
    "footnotes": "doc_id, footnote_no",
    "tables": 'doc_id, table_no, "row", col',
    "log": "doc_id, step, detail",
    "errors": "source_path",
    "metadata_conflicts": "doc_id, field",
    "files": "source_path",
    "relations": "doc_id, relation, title",
    "tokens": "doc_id, para_no, position",
    "segmentations": "seg_id",
    "runs": "rowid",  # the order the commands ran in
}

# Tables about how the corpus was made rather than what it holds: a re-run adds to them.
PROVENANCE_TABLES = ("segmentations", "runs")
DATA_TABLES = tuple(t for t in EXPORT_COLUMNS if t not in PROVENANCE_TABLES)

__all__ = ["DATA_TABLES", "EXPORT_COLUMNS", "EXPORT_ORDER", "PROVENANCE_TABLES"]
