"""Reading the store for analyses: which documents, in which groups, and which of their tokens.

Every analysis reads the tokens of the current segmentation (never re-segments), so one
dictionary, one stopword list and one POS filter serve every table. Documents are chosen with a
safe filter (:mod:`corpus_tool.analyse.query`), near duplicates (``canonical_id`` set) are left out
unless asked for, and grouping works on any ``documents`` column or manifest field.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from corpus_tool.analyse.options import TEXT_FIELDS
from corpus_tool.analyse.query import DOCUMENT_FIELDS, FilterError, field_sql, parse_filter
from corpus_tool.store.db import CorpusDB

CORPUS = "corpus"  # --by corpus: one group holding every selected document
DOCUMENT = "document"  # --by document: one group per document (same as --by doc_id)
# A token counts as a word when it holds a letter or a Han character: punctuation and bare numbers
# are not words, so rates per 10,000 words do not move with how a text is punctuated.
WORD_RE = r"\p{L}"


class NoSegmentationError(RuntimeError):
    """The database has no tokens to analyse."""


@dataclass(frozen=True)
class TokenFilter:
    """Which stored tokens an analysis counts. Part of every run record.

    Rates and keyness totals are always per *word* (a token with a letter or Han character,
    stopwords included), so they do not change with the stopword or POS settings.
    """

    keep_stopwords: bool = False
    pos: tuple[str, ...] = ()  # POS tag prefixes to keep, e.g. ("n", "v"); empty keeps every tag
    min_chars: int = 1
    fields: tuple[str, ...] = ()  # text fields to read (title, abstract, keywords, heading, body); empty = all

    def __post_init__(self) -> None:
        bad = [f for f in self.fields if f not in TEXT_FIELDS]
        if bad:
            raise ValueError(f"未知文本字段 / unknown text field(s) {bad}; choose from {', '.join(TEXT_FIELDS)}")
        if self.min_chars < 1:
            raise ValueError("min_chars must be at least 1")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["pos"] = list(self.pos)
        d["fields"] = list(self.fields) or list(TEXT_FIELDS)
        return d


MISSING_GROUP = "(未知 missing)"  # the group of documents whose --by field is empty
MISSING_POLICIES = ("group", "drop")


@dataclass(frozen=True)
class Selection:
    """Which documents, grouped how. ``by``: a field name, ``document`` or ``corpus``.

    ``missing``: what happens to documents whose ``by`` field is empty (NULL or blank): ``group`` (default)
    puts them in an explicit :data:`MISSING_GROUP` group, ``drop`` leaves them out with a warning. Either
    way :func:`select_groups` reports how many there were.
    """

    where: str | None = None
    include_duplicates: bool = False
    by: str = CORPUS
    missing: str = "group"

    def __post_init__(self) -> None:
        if self.missing not in MISSING_POLICIES:
            raise ValueError(f"missing must be one of {', '.join(MISSING_POLICIES)}, not {self.missing!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Grouping:
    """How the selected documents fell into groups: the counts a run record and a methods paragraph state."""

    by: str
    documents_selected: int  # documents matching the selection, before any were dropped for an empty group
    documents: int  # documents actually analysed
    groups: int
    missing: int  # documents whose ``by`` field is empty
    missing_policy: str

    @property
    def dropped(self) -> int:
        return self.missing if self.missing_policy == "drop" else 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["missing_label"] = MISSING_GROUP if self.missing and self.missing_policy == "group" else None
        d["dropped"] = self.dropped
        return d

    def warning(self) -> str | None:
        """What a user must be told about documents without a group value (None when every one has it)."""
        if not self.missing:
            return None
        n, total, by = self.missing, self.documents_selected, self.by
        if self.missing_policy == "drop":
            return (f"{total} 篇文档中有 {n} 篇的 {by} 为空，已按 --drop-missing 排除，分析 {self.documents} 篇 / "
                    f"{n} of {total} documents have no {by} and were left out (--drop-missing); "
                    f"{self.documents} analysed")
        return (f"{total} 篇文档中有 {n} 篇的 {by} 为空，归入“{MISSING_GROUP}”组（--drop-missing 可排除）/ "
                f"{n} of {total} documents have no {by}: they form the group {MISSING_GROUP!r} "
                "(--drop-missing, or drop_missing=True, leaves them out)")


def open_store(db: str | Path | CorpusDB) -> tuple[CorpusDB, bool]:
    """The store for ``db`` (read-only when opened here) and whether the caller must close it."""
    if isinstance(db, CorpusDB):
        return db, False
    return CorpusDB(db, read_only=True), True


def manifest_fields(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the user metadata fields stored in ``documents.fields``."""
    rows = con.execute(
        "SELECT DISTINCT unnest(json_keys(fields)) FROM documents WHERE fields IS NOT NULL"
    ).fetchall()
    return {r[0] for r in rows if r[0] is not None}


def group_column_name(by: str) -> str | None:
    """The column that holds the group in result tables (None for the whole corpus)."""
    if by in (CORPUS, "", None):
        return None
    return "doc_id" if by == DOCUMENT else by


def select_documents(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Selected documents: ``doc_id``, ``grp`` (group label, text), ``group`` (typed value), ``title``.

    See :func:`select_groups`, which also says how many documents had no group value.
    """
    return select_groups(con, selection)[0]


def select_groups(con: duckdb.DuckDBPyConnection, selection: Selection) -> tuple[pd.DataFrame, Grouping]:
    """Selected documents (``doc_id``, ``grp``, ``group``, ``group_rank``, ``title``) and how they group.

    ``grp`` is the group label (text), ``group`` the value shown in result tables (numbers stay numbers
    unless the :data:`MISSING_GROUP` label has to sit among them), ``group_rank`` the display order
    (numbers numerically, the missing group last). The one place where every analysis with ``--by``
    learns which documents have no group value: they are grouped or dropped per ``selection.missing``,
    never lost silently. Sorted by doc_id. Raises :class:`FilterError` for a bad filter or unknown field.
    """
    fields = manifest_fields(con)
    params: list[Any] = []
    by = selection.by or CORPUS
    if by == CORPUS:
        group_sql, kind = "NULL", "text"
    elif by == DOCUMENT:
        group_sql, kind = "d.doc_id", "text"
    else:
        group_sql, group_params, kind = field_sql(by, fields)
        params += group_params
    where = []
    if not selection.include_duplicates:
        where.append("d.canonical_id IS NULL")
    if selection.where and selection.where.strip():
        flt = parse_filter(selection.where, fields)
        where.append(flt.sql)
        params += list(flt.params)
    sql = (f"SELECT d.doc_id, CAST({group_sql} AS VARCHAR) AS grp, d.title FROM documents d"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY d.doc_id")
    docs = con.execute(sql, params).df()
    n_selected = len(docs)
    if by == CORPUS:
        docs["grp"] = "all"
    labels = docs["grp"].astype("string").str.strip()
    missing = labels.isna() | labels.eq("")
    n_missing = int(missing.sum())
    if n_missing and selection.missing == "drop":
        keep = ~missing
        docs, labels = docs[keep].reset_index(drop=True), labels[keep].reset_index(drop=True)
        missing = missing[keep].reset_index(drop=True)
    typed = _typed_groups(labels.where(~missing), kind if by != CORPUS else "text", by)
    keys = [None if m else str(lab) for m, lab in zip(missing.tolist(), labels.tolist(), strict=True)]
    # Display order: typed values (numbers numerically), then label; the missing group last.
    order_frame = pd.DataFrame({"typed": typed, "label": pd.Series(keys, dtype=object), "missing": missing})
    order_frame = order_frame.sort_values(["missing", "typed", "label"], na_position="last", kind="mergesort")
    ranked = list(dict.fromkeys(order_frame["label"].tolist()))
    rank = {key: i for i, key in enumerate(ranked)}
    docs["grp"] = pd.Series([MISSING_GROUP if k is None else k for k in keys], dtype=object)
    docs["group_rank"] = pd.Series([rank[k] for k in keys], dtype="int64")
    if missing.any():
        # The label must be visible in the table, so the column becomes text ("2019", …, "(未知 missing)").
        shown = typed.astype("string").where(~missing, MISSING_GROUP)
        docs["group"] = shown.astype("string")
    else:
        docs["group"] = typed
    grouping = Grouping(by=by, documents_selected=n_selected, documents=len(docs),
                        groups=int(docs["grp"].nunique()), missing=n_missing, missing_policy=selection.missing)
    return docs, grouping


def _typed_groups(labels: pd.Series, kind: str, by: str) -> pd.Series:
    present = labels.dropna()
    numeric = kind == "number" or (kind == "json" and len(present) > 0 and present.map(_is_number).all())
    if (by in DOCUMENT_FIELDS and DOCUMENT_FIELDS[by] == "number") or numeric:
        values = pd.to_numeric(labels, errors="coerce")
        if values.dropna().mod(1).eq(0).all():
            return values.astype("Int64")
        return values
    return labels.astype("string")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


CITATION_COLUMNS = ["title", "year", "date", "issuer"]  # what a row needs to be cited without a join


def citation_columns(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> pd.DataFrame:
    """``doc_id`` with the document's title, year, date and issuer, for evidence and concordance rows."""
    frame = pd.DataFrame({"doc_id": pd.Series(sorted(set(doc_ids)), dtype=object)})
    name = f"cite_{uuid.uuid4().hex}"
    con.register(name, frame)
    try:
        out = con.execute(
            f"SELECT d.doc_id, d.title, d.year, d.date, d.issuer FROM documents d JOIN {name} s USING (doc_id) "
            "ORDER BY d.doc_id"
        ).df()
    finally:
        con.unregister(name)
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    for col in ("title", "date", "issuer"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def add_citation(table: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``table`` with title, year, date and issuer inserted after ``doc_id`` (rows and their order unchanged)."""
    meta = citation_columns(con, table["doc_id"].tolist()).set_index("doc_id")
    out = table.drop(columns=[c for c in CITATION_COLUMNS if c in table.columns])
    at = list(out.columns).index("doc_id") + 1
    for i, col in enumerate(CITATION_COLUMNS):
        values = out["doc_id"].map(meta[col])
        out.insert(at + i, col, values.astype("Int64") if col == "year" else values)
    return out


def group_order(docs: pd.DataFrame) -> list[str]:
    """Group labels in display order: by typed value (numbers numerically), the missing group last."""
    if "group_rank" in docs:
        first = docs.drop_duplicates("grp").sort_values(["group_rank", "grp"], kind="mergesort")
        return first["grp"].tolist()
    first = docs.drop_duplicates("grp")[["grp", "group"]]
    first = first.sort_values(["group", "grp"], na_position="last", kind="mergesort")
    return [g for g in first["grp"].tolist()]


def reads_simplified(segmentation: dict[str, Any] | None) -> bool:
    """Whether a segmentation reads traditional characters as simplified (its default): text that tokens are
    looked for in must then be read so too."""
    seg = segmentation or {}
    return bool(seg.get("to_simplified", (seg.get("settings") or {}).get("to_simplified")))


def segmentation_info(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The current segmentation's id and settings; raises :class:`NoSegmentationError` when none."""
    n_tokens = (con.execute("SELECT count(*) FROM tokens").fetchone() or (0,))[0]
    row = con.execute(
        "SELECT seg_id, settings, corpus_fingerprint FROM segmentations WHERE current ORDER BY seg_id LIMIT 1"
    ).fetchone()
    if not n_tokens:
        raise NoSegmentationError(
            "数据库中还没有分词结果，请先运行 `corpus-tool segment` / the database has no tokens: "
            "run `corpus-tool segment` first"
        )
    if row is None:
        return {"seg_id": None, "settings": {}, "corpus_fingerprint": None}
    settings = json.loads(row[1]) if isinstance(row[1], str) else (row[1] or {})
    return {"seg_id": row[0], "settings": settings, "corpus_fingerprint": row[2]}


def selection_fingerprint(doc_ids: list[str]) -> str:
    """A hash over the sorted ids (content hashes) of the analysed documents."""
    h = hashlib.sha256()
    for doc_id in sorted(doc_ids):
        h.update(doc_id.encode("ascii") + b"\n")
    return h.hexdigest()[:16]


class TokenView:
    """The tokens of selected documents under a :class:`TokenFilter`, as SQL over the store.

    The selected documents are registered with the connection under a private name; call
    :meth:`close` (or use ``with``) to unregister them.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, docs: pd.DataFrame, token_filter: TokenFilter) -> None:
        self.con = con
        self.filter = token_filter
        self.name = f"sel_{uuid.uuid4().hex}"
        con.register(self.name, docs[["doc_id", "grp"]].copy())
        missing = con.execute(
            f"SELECT count(*) FROM {self.name} s WHERE NOT EXISTS "
            "(SELECT 1 FROM tokens t WHERE t.doc_id = s.doc_id)"
        ).fetchone()
        if missing and missing[0]:
            self.close()
            raise NoSegmentationError(
                f"{missing[0]} 篇文档没有分词结果，请重新运行 `corpus-tool segment` / {missing[0]} selected "
                "document(s) have no tokens (added after the last segmentation): run `corpus-tool segment` again"
            )
        if token_filter.pos:
            has_pos = con.execute(
                f"SELECT count(*) FROM tokens t JOIN {self.name} s USING (doc_id) WHERE t.pos IS NOT NULL "
                "AND t.pos <> ''"
            ).fetchone()
            if not has_pos or not has_pos[0]:
                self.close()
                raise NoSegmentationError(
                    "分词结果没有词性标注，请用 `corpus-tool segment --pos` 重新分词 / the stored tokens have "
                    "no POS tags: segment again with POS tagging to filter by POS"
                )

    def __enter__(self) -> TokenView:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.con.unregister(self.name)
        except duckdb.Error:
            pass

    def relation(self, *, words_only: bool = True) -> tuple[str, list[Any]]:
        """SQL of (grp, doc_id, para_no, position, token, is_word, keep) and its parameters.

        ``keep`` marks the tokens the filter counts; ``is_word`` the tokens in the denominators.
        With ``words_only`` the relation holds words only; otherwise every token (n-grams need
        punctuation to know where a phrase ends).
        """
        f = self.filter
        params: list[Any] = []
        keep = [f"regexp_matches(t.token, '{WORD_RE}')", "length(t.token) >= ?"]
        params.append(f.min_chars)
        if not f.keep_stopwords:
            keep.append("NOT coalesce(t.is_stop, FALSE)")
        if f.pos:
            keep.append("(" + " OR ".join("t.pos LIKE ?" for _ in f.pos) + ")")
            params += [p + "%" for p in f.pos]
        join = ""
        if f.fields and set(f.fields) != set(TEXT_FIELDS):
            join = (" JOIN paragraphs p ON p.doc_id = t.doc_id AND p.para_no = t.para_no AND p.field IN ("
                    + ", ".join("?" for _ in f.fields) + ")")
        sql = (
            f"SELECT s.grp, t.doc_id, t.para_no, t.position, t.token, "
            f"regexp_matches(t.token, '{WORD_RE}') AS is_word, ({' AND '.join(keep)}) AS keep "
            f"FROM tokens t JOIN {self.name} s ON s.doc_id = t.doc_id{join}"
        )
        params += list(f.fields) if join else []
        if words_only:
            sql += f" WHERE regexp_matches(t.token, '{WORD_RE}')"
        return sql, params

    def doc_term_counts(self) -> pd.DataFrame:
        """Counted tokens per document: grp, doc_id, term, n (sorted)."""
        rel, params = self.relation()
        return self.con.execute(
            f"SELECT grp, doc_id, token AS term, count(*)::BIGINT AS n FROM ({rel}) WHERE keep "
            "GROUP BY grp, doc_id, token ORDER BY doc_id, token", params
        ).df()

    def doc_word_totals(self) -> pd.DataFrame:
        """Words per document: grp, doc_id, n_words (every selected document, zero when it has none)."""
        rel, params = self.relation()
        return self.con.execute(
            f"SELECT s.grp, s.doc_id, coalesce(w.n_words, 0)::BIGINT AS n_words FROM {self.name} s "
            f"LEFT JOIN (SELECT doc_id, count(*) AS n_words FROM ({rel}) GROUP BY doc_id) w USING (doc_id) "
            "ORDER BY s.doc_id", params
        ).df()


def ensure_by(by: str | None) -> str:
    """Normalise a ``--by`` value: ``doc_id`` → document; empty → corpus."""
    if by is None or by == "" or by.lower() in (CORPUS, "all", "none"):
        return CORPUS
    if by.lower() in (DOCUMENT, "doc", "doc_id", "documents"):
        return DOCUMENT
    return by


__all__ = [
    "CORPUS",
    "DOCUMENT",
    "MISSING_GROUP",
    "TEXT_FIELDS",
    "FilterError",
    "Grouping",
    "NoSegmentationError",
    "Selection",
    "TokenFilter",
    "TokenView",
    "ensure_by",
    "group_column_name",
    "group_order",
    "manifest_fields",
    "open_store",
    "segmentation_info",
    "select_documents",
    "select_groups",
    "selection_fingerprint",
]


UNIT_BATCH = 2000  # text units fetched at a time: memory stays bounded on a large corpus


def iter_unit_batches(con: duckdb.DuckDBPyConnection, docs: pd.DataFrame, fields: tuple[str, ...],
                      columns: tuple[str, ...]) -> Iterator[list[tuple]]:
    """Rows ``(doc_id, para_no, *columns)`` of the selected documents' text units, in (doc_id, para_no)
    order and in batches; ``fields`` limits them to some fields (all when empty)."""
    name = "selected_docs"
    con.register(name, docs[["doc_id"]].copy())
    try:
        cols = ", ".join(f"p.{c}" for c in ("doc_id", "para_no", *columns))
        sql = f"SELECT {cols} FROM paragraphs p JOIN {name} s ON s.doc_id = p.doc_id"
        params: list = []
        if fields:
            sql += " WHERE p.field IN (" + ", ".join("?" for _ in fields) + ")"
            params += list(fields)
        result = con.execute(sql + " ORDER BY p.doc_id, p.para_no", params)
        while batch := result.fetchmany(UNIT_BATCH):
            yield batch
    finally:
        con.unregister(name)

