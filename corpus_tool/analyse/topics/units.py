"""Units × terms count matrices for topic models, built from the stored tokens (never re-segmented).

A unit is a body paragraph (default) or a whole document. Tokens pass the same filters as every other
analysis (stopwords flagged in ``tokens.is_stop``, POS tag prefixes, shortest term), then the vocabulary
gets a floor and a ceiling on document frequency counted over units. Two kinds of units are left out,
and counted in :attr:`TopicUnits.info`:

* boilerplate: a paragraph whose exact text recurs in many documents (a licence notice or a form
  of address in every file) is page furniture, not content, and would otherwise become its own "topic";
* short units: fewer than ``min_unit_terms`` counted tokens carry no topic signal.

Rows are ordered by ``(doc_id, para_no)`` and terms by code point, so the matrix is the same on every run.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from corpus_tool.analyse.options import DEFAULT_TOPIC_POS
from corpus_tool.analyse.result import ocr_summary
from corpus_tool.analyse.units import (
    TEXT_FIELDS,
    WORD_RE,
    NoSegmentationError,
    Selection,
    open_store,
    segmentation_info,
    select_documents,
    selection_fingerprint,
)
from corpus_tool.store.db import CorpusDB

PARAGRAPH = "paragraph"
DOCUMENT = "document"
UNITS = (PARAGRAPH, DOCUMENT)

# POS tag prefixes kept by default (the ICTCLAS-style tags every segmenter backend stores): nouns and
# named entities (n*), verbs and verbal nouns (v*), adjectives (a*), distinguishing words (b), idioms (i),
# abbreviations (j), fixed expressions (l) and Latin-letter terms (eng: GDP, CPI). Numbers, measure
# words, time words, pronouns and function words are left out, and so are words in no dictionary
# (``un``), which in this corpus are mostly HMM fragments such as 这是 or 一是.
DEFAULT_POS = DEFAULT_TOPIC_POS


class TopicUnitsError(ValueError):
    """The selection leaves too little text to fit topics."""


@dataclass(frozen=True)
class UnitSettings:
    """Which text becomes the rows and columns of the count matrix. Part of every run record.

    ``min_df``/``max_df``: a value below 1 is a share of units, 1 or more a count of units (``max_df=1.0``
    means no ceiling). The floor is never below 2: a term seen in one unit co-occurs with nothing.
    ``boilerplate``: a paragraph whose exact text appears in at least this share of the documents (and
    in at least 3) is left out; 0 keeps every paragraph.
    """

    unit: str = PARAGRAPH
    fields: tuple[str, ...] = ("body",)
    pos: tuple[str, ...] = DEFAULT_POS  # tag prefixes; () keeps every tag
    keep_stopwords: bool = False
    min_chars: int = 2  # single characters are rarely topic words and inflate co-occurrence
    min_df: float = 0.002
    max_df: float = 0.5
    max_terms: int | None = None  # keep only the most widespread terms (by document frequency)
    boilerplate: float = 0.2
    min_unit_terms: int = 3
    where: str | None = None
    include_duplicates: bool = False

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"未知单元 / unknown unit {self.unit!r}: use paragraph or document")
        bad = [f for f in self.fields if f not in TEXT_FIELDS]
        if bad or not self.fields:
            raise ValueError(f"未知文本字段 / unknown text field(s) {bad}; choose from {', '.join(TEXT_FIELDS)}")
        if self.min_df <= 0 or self.max_df <= 0:
            raise ValueError("min_df and max_df must be positive (词频下限与上限必须为正)")
        if not 0 <= self.boilerplate <= 1:
            raise ValueError("boilerplate is a share of documents between 0 and 1")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["fields"] = list(self.fields)
        d["pos"] = list(self.pos)
        return d


@dataclass
class TopicUnits:
    """The count matrix and what its rows and columns are.

    ``units``: one row per matrix row: ``unit`` (``doc_id:para_no`` or ``doc_id``), ``doc_id``, ``para_no``
    (NA for document units) and ``n_terms`` (counted tokens). ``sequences``: each unit's vocabulary term
    ids in text order (for sliding-window coherence). ``documents``: the selected documents' metadata.
    """

    counts: sp.csr_matrix
    vocab: list[str]
    units: pd.DataFrame
    sequences: list[np.ndarray]
    documents: pd.DataFrame
    settings: UnitSettings
    info: dict[str, Any] = field(default_factory=dict)
    corpus: dict[str, Any] = field(default_factory=dict)
    segmentation: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def n_units(self) -> int:
        return int(self.counts.shape[0])

    @property
    def lengths(self) -> np.ndarray:
        """Counted tokens per unit."""
        return np.asarray(self.counts.sum(axis=1)).ravel().astype(np.float64)

    @property
    def term_frequency(self) -> np.ndarray:
        return np.asarray(self.counts.sum(axis=0)).ravel().astype(np.float64)

    @property
    def term_prob(self) -> np.ndarray:
        """The corpus-wide share of each term among counted tokens."""
        tf = self.term_frequency
        return tf / tf.sum()

    def presence(self) -> sp.csc_matrix:
        """Binary units × terms matrix: the reference for document co-occurrence coherence."""
        out = self.counts.astype(bool).astype(np.float64)
        return out.tocsc()

    def texts(self) -> list[list[str]]:
        """Each unit's vocabulary terms in text order, as strings."""
        vocab = np.asarray(self.vocab, dtype=object)
        return [vocab[s].tolist() for s in self.sequences]


def df_bounds(n_units: int, min_df: float, max_df: float) -> tuple[int, int]:
    """The document-frequency floor and ceiling as counts of units."""
    floor = math.ceil(min_df * n_units) if min_df < 1 else int(min_df)
    ceiling = math.floor(max_df * n_units) if max_df <= 1 else int(max_df)
    return max(2, floor), ceiling


def boilerplate_threshold(n_docs: int, share: float) -> int | None:
    """How many documents an identical paragraph must appear in to count as boilerplate (None: never)."""
    if share <= 0:
        return None
    return max(3, math.ceil(share * n_docs))


def build_units(db: str | Path | CorpusDB, settings: UnitSettings | None = None) -> TopicUnits:
    """Read the selected documents' tokens and build the units × terms count matrix."""
    settings = settings or UnitSettings()
    store, owns = open_store(db)
    try:
        con = store.con
        segmentation = segmentation_info(con)
        docs = select_documents(con, Selection(where=settings.where,
                                               include_duplicates=settings.include_duplicates))
        if docs.empty:
            raise TopicUnitsError("没有符合条件的文档 / no documents match the selection")
        meta = _document_meta(con, docs["doc_id"].tolist())
        tokens, info, warnings = _read_tokens(con, docs, settings)
        corpus = {
            "database": str(store.path),
            "fingerprint": store.fingerprint(),
            "documents_in_database": int(_scalar(con, "SELECT count(*) FROM documents") or 0),
            "documents": len(docs),
            "selection_fingerprint": selection_fingerprint(docs["doc_id"].tolist()),
            "where": settings.where,
            "include_duplicates": settings.include_duplicates,
            **ocr_summary(con, docs["doc_id"].tolist()),
        }
    finally:
        if owns:
            store.close()
    counts, vocab, units, sequences, more = _matrix(tokens, settings)
    info.update(more)
    info["documents_with_units"] = int(units["doc_id"].nunique())
    if counts.shape[0] < 2 or counts.shape[1] < 2:
        raise TopicUnitsError(
            f"过滤后只剩 {counts.shape[0]} 个单元、{counts.shape[1]} 个词，无法拟合主题 / only "
            f"{counts.shape[0]} units and {counts.shape[1]} terms left after filtering: lower --min-df, "
            "raise --max-df, widen --pos or use --unit paragraph"
        )
    return TopicUnits(counts, vocab, units, sequences, meta, settings, info, corpus, segmentation, warnings)


def _document_meta(con: Any, doc_ids: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({"doc_id": doc_ids})
    name = f"topic_docs_{uuid.uuid4().hex}"
    con.register(name, frame)
    try:
        return con.execute(
            f"SELECT d.doc_id, d.title, d.year, d.issuer FROM documents d JOIN {name} s USING (doc_id) "
            "ORDER BY d.doc_id"
        ).df()
    finally:
        con.unregister(name)


def _scalar(con: Any, sql: str, params: list[Any] | None = None) -> Any:
    """One value; fetchall, because DuckDB keeps a half-read result open and then refuses ``register``."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def _read_tokens(con: Any, docs: pd.DataFrame, s: UnitSettings) -> tuple[pd.DataFrame, dict[str, Any], list[str]]:
    """Counted tokens of the selected units, in (doc_id, para_no, position) order."""
    warnings: list[str] = []
    name = f"topic_sel_{uuid.uuid4().hex}"
    con.register(name, docs[["doc_id"]].copy())
    registered = [name]
    try:
        missing = _scalar(
            con, f"SELECT count(*) FROM {name} s WHERE NOT EXISTS (SELECT 1 FROM tokens t WHERE t.doc_id = s.doc_id)"
        )
        if missing:
            raise NoSegmentationError(
                f"{missing} 篇文档没有分词结果，请重新运行 `corpus-tool segment` / {missing} selected document(s) "
                "have no tokens (added after the last segmentation): run `corpus-tool segment` again"
            )
        field_marks = ", ".join("?" for _ in s.fields)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name}_paras AS SELECT p.doc_id, p.para_no, p.text "
            f"FROM paragraphs p JOIN {name} USING (doc_id) WHERE p.field IN ({field_marks})", list(s.fields)
        )
        n_paras = _scalar(con, f"SELECT count(*) FROM {name}_paras")
        threshold = boilerplate_threshold(len(docs), s.boilerplate)
        boiler = pd.DataFrame(columns=["text", "n_docs", "n_paragraphs"])
        if threshold is not None:
            boiler = con.execute(
                f"SELECT text, count(DISTINCT doc_id) AS n_docs, count(*) AS n_paragraphs FROM {name}_paras "
                "WHERE text IS NOT NULL GROUP BY text HAVING count(DISTINCT doc_id) >= ? ORDER BY n_docs DESC, text",
                [threshold],
            ).df()
        pos_applied = bool(s.pos)
        if s.pos:
            tagged = _scalar(
                con, f"SELECT count(*) FROM tokens t JOIN {name}_paras u USING (doc_id, para_no) "
                "WHERE t.pos IS NOT NULL AND t.pos <> ''"
            )
            if not tagged:
                pos_applied = False
                warnings.append(
                    "分词结果没有词性标注，未按词性过滤；用 `corpus-tool segment --pos` 重新分词可得到更干净的主题 / "
                    "the stored tokens have no POS tags, so no POS filter was applied: segment with POS tags "
                    "for cleaner topics"
                )
        keep = [f"regexp_matches(t.token, '{WORD_RE}')", "length(t.token) >= ?"]
        params: list[Any] = [s.min_chars]
        if not s.keep_stopwords:
            keep.append("NOT coalesce(t.is_stop, FALSE)")
        if pos_applied:
            keep.append("(" + " OR ".join("lower(t.pos) LIKE ?" for _ in s.pos) + ")")
            params += [p.lower() + "%" for p in s.pos]
        boiler_sql = ""
        if len(boiler):
            registered.append(f"{name}_boiler")
            con.register(f"{name}_boiler", boiler[["text"]])
            boiler_sql = f" WHERE u.text NOT IN (SELECT text FROM {name}_boiler)"
        tokens = con.execute(
            f"SELECT t.doc_id, t.para_no, t.token FROM tokens t JOIN (SELECT doc_id, para_no FROM {name}_paras u"
            f"{boiler_sql}) u USING (doc_id, para_no) WHERE {' AND '.join(keep)} "
            "ORDER BY t.doc_id, t.para_no, t.position", params
        ).df()
        n_boiler_paras = int(boiler["n_paragraphs"].sum()) if len(boiler) else 0
    finally:
        for view in registered:
            con.unregister(view)
        con.execute(f"DROP TABLE IF EXISTS {name}_paras")
    info: dict[str, Any] = {
        "paragraphs_in_fields": int(n_paras),
        "boilerplate_threshold_documents": threshold,
        "boilerplate_paragraphs": n_boiler_paras,
        "boilerplate_texts": [t[:60] for t in boiler["text"].tolist()][:20],
        "pos_filter_applied": pos_applied,
    }
    if n_boiler_paras:
        warnings.append(
            f"排除了 {n_boiler_paras} 个在至少 {threshold} 篇文档中逐字重复的段落（模板/版权声明）/ left out "
            f"{n_boiler_paras} paragraphs repeated verbatim in {threshold}+ documents (boilerplate)"
        )
    return tokens, info, warnings


def _matrix(tokens: pd.DataFrame, s: UnitSettings
            ) -> tuple[sp.csr_matrix, list[str], pd.DataFrame, list[np.ndarray], dict[str, Any]]:
    if s.unit == DOCUMENT:
        keys = tokens["doc_id"].astype(str)
    else:
        keys = tokens["doc_id"].astype(str) + ":" + tokens["para_no"].astype(str)
    # Units in (doc_id, para_no) order: the tokens are already sorted that way, so codes follow first sight.
    unit_codes, unit_keys = pd.factorize(keys, sort=False)
    sizes = np.bincount(unit_codes, minlength=len(unit_keys))
    long_enough = sizes >= s.min_unit_terms
    n_short = int((~long_enough).sum())
    row_keep = long_enough[unit_codes]
    tokens = tokens[row_keep]
    unit_codes = unit_codes[row_keep]
    remap = np.cumsum(long_enough) - 1
    unit_codes = remap[unit_codes]
    unit_keys = unit_keys[long_enough]
    n_units = len(unit_keys)

    term_codes, terms = pd.factorize(tokens["token"].to_numpy(dtype=object), sort=True)
    pairs = np.unique(unit_codes.astype(np.int64) * len(terms) + term_codes)
    df = np.bincount(pairs % max(len(terms), 1), minlength=len(terms)) if len(terms) else np.zeros(0, int)
    floor, ceiling = df_bounds(n_units, s.min_df, s.max_df)
    keep_term = (df >= floor) & (df <= ceiling)
    if s.max_terms is not None and keep_term.sum() > s.max_terms:
        # Most widespread first; ties by term order, so the cut is deterministic.
        order = np.lexsort((np.arange(len(terms)), -df))
        order = order[keep_term[order]][: s.max_terms]
        keep_term = np.zeros(len(terms), bool)
        keep_term[order] = True
    term_map = np.cumsum(keep_term) - 1
    vocab = [str(t) for t in np.asarray(terms)[keep_term]]
    in_vocab = keep_term[term_codes]
    rows = unit_codes[in_vocab]
    cols = term_map[term_codes[in_vocab]]
    counts = sp.csr_matrix((np.ones(len(rows), np.int64), (rows, cols)), shape=(n_units, len(vocab)))
    counts.sum_duplicates()
    nonempty = np.asarray(counts.sum(axis=1)).ravel() > 0
    n_empty = int((~nonempty).sum())
    counts = counts[nonempty]
    counts.sort_indices()
    row_remap = np.cumsum(nonempty) - 1
    kept_rows = nonempty[rows]
    seq_rows = row_remap[rows[kept_rows]]
    seq_cols = cols[kept_rows]
    bounds = np.searchsorted(seq_rows, np.arange(counts.shape[0] + 1))
    sequences = [seq_cols[bounds[i]:bounds[i + 1]].astype(np.int32) for i in range(counts.shape[0])]

    kept_keys = pd.Index(unit_keys)[nonempty]
    if s.unit == DOCUMENT:
        units = pd.DataFrame({"unit": kept_keys.astype(str), "doc_id": kept_keys.astype(str)})
        units["para_no"] = pd.array([pd.NA] * len(units), dtype="Int64")
    else:
        split = kept_keys.str.rsplit(":", n=1)
        units = pd.DataFrame({"unit": kept_keys.astype(str), "doc_id": split.str[0],
                              "para_no": pd.array(split.str[1].astype(int), dtype="Int64")})
    units["n_terms"] = np.asarray(counts.sum(axis=1)).ravel().astype(np.int64)
    info = {
        "unit": s.unit,
        "units": int(counts.shape[0]),
        "short_units_dropped": n_short,
        "units_without_vocabulary": n_empty,
        "terms_seen": len(terms),
        "vocabulary": len(vocab),
        "min_df_units": floor,
        "max_df_units": ceiling,
        "tokens_counted": int(counts.sum()),
    }
    return counts.tocsr(), vocab, units.reset_index(drop=True), sequences, info
