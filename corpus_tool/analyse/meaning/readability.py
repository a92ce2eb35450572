"""Readability and lexical diversity per document, from the stored tokens.

The Chinese annual-report readability measure of 徐巍、姚振晔、陈冬华 (2021, 《会计研究》第 3 期 28–44 页),
which cntext 1.x implemented:

* ``readability1``: characters per clause (分句), a clause ending at ，；：。！？ (``clause_marks``) or at the end
  of a paragraph; characters are those of word tokens (punctuation is not counted, unlike cntext 1.9);
* ``readability2``: the share of adverbs and conjunctions among the words of a sentence (POS tags starting
  with ``d`` or ``c`` in the stored tags), averaged over sentences (a sentence ends at 。！？; or a paragraph end);
* ``readability3``: their arithmetic mean, as in the paper (it is dominated by readability1, whose scale is
  tens of characters while readability2 is a share).

Higher values read as harder text. ``readability2`` needs POS tags (``corpus-tool segment --pos``); without
them it is left empty and a warning says why.

Lexical diversity over the words (tokens with a letter or Han character, stopwords included): ``ttr``
(types / tokens, which falls with length) and ``mattr`` (moving-average TTR over windows of ``window`` words,
Covington & McFall 2010), empty for a document shorter than the window (never a shorter window).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from corpus_tool.analyse.meaning.base import doc_years
from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import Selection, TokenFilter
from corpus_tool.store.db import CorpusDB

CLAUSE_MARKS = "，,；;：:。！？!?"
SENTENCE_MARKS = "。！？!?；;"
ADV_CONJ = ("d", "c")
COLUMNS = ["doc_id", "year", "title", "sentences", "clauses", "characters", "words", "adv_conj", "readability1",
           "readability2", "readability3", "ttr", "mattr"]


def readability(db: str | Path | CorpusDB, *, window: int = 100, clause_marks: str = CLAUSE_MARKS,
                sentence_marks: str = SENTENCE_MARKS, fields: tuple[str, ...] = ("body",), where: str | None = None,
                include_duplicates: bool = False) -> AnalysisResult:
    """One row per document: counts, readability1–3, TTR and MATTR."""
    if window < 2:
        raise ValueError("the MATTR window must be at least 2 words")
    token_filter = TokenFilter(keep_stopwords=True, fields=tuple(fields))
    selection = Selection(where, include_duplicates, "document")
    params = {"window": window, "clause_marks": clause_marks, "sentence_marks": sentence_marks,
              "fields": list(fields), **selection.to_dict()}
    warnings: list[str] = []
    with analysis_context(db, selection, token_filter) as ctx:
        assert ctx.view is not None
        rel, rel_params = ctx.view.relation(words_only=False)
        sql = (f"SELECT r.doc_id, r.para_no, r.token, r.is_word, t.pos FROM ({rel}) r JOIN tokens t "
               "ON t.doc_id = r.doc_id AND t.para_no = r.para_no AND t.position = r.position "
               "ORDER BY r.doc_id, r.para_no, r.position")
        df = ctx.view.con.execute(sql, rel_params).df()
        docs = ctx.docs
        years = doc_years(ctx.store.con, docs["doc_id"].tolist())
        corpus, segmentation = ctx.corpus, ctx.segmentation
    has_pos = df["pos"].notna().any() and (df["pos"].astype(str) != "").any()
    if not has_pos:
        warnings.append("分词结果没有词性标注，readability2/3 为空 / the tokens have no POS tags: "
                        "readability2 and 3 are empty (segment with --pos)")
    clause_re = "^[" + re.escape(clause_marks) + "]+$"
    sent_re = "^[" + re.escape(sentence_marks) + "]+$"
    by_doc = dict(tuple(df.groupby("doc_id", sort=False))) if len(df) else {}
    rows = []
    for doc_id, title in zip(docs["doc_id"], docs["title"].fillna(""), strict=True):
        d = by_doc.get(doc_id, df.iloc[0:0])
        rows.append((doc_id, years.get(doc_id), title, *_measures(d, clause_re, sent_re, window, has_pos)))
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["year"] = table["year"].astype("Int64")
    short = int(table["mattr"].isna().sum())
    if short:
        warnings.append(f"{short} 篇文档少于 {window} 个词，MATTR 为空 / {short} document(s) shorter than the window: "
                        "MATTR left empty")
    result = AnalysisResult("readability", table, params, corpus, segmentation)
    result.warnings = warnings
    return result


def _measures(d: pd.DataFrame, clause_re: str, sent_re: str, window: int, has_pos: bool) -> tuple:
    tokens = d["token"].astype(str)
    para = d["para_no"].to_numpy()
    is_word = d["is_word"].to_numpy(bool)
    is_clause_end = tokens.str.match(clause_re).to_numpy(bool)
    is_sent_end = tokens.str.match(sent_re).to_numpy(bool)
    para_end = np.r_[para[1:] != para[:-1], True] if len(para) else np.zeros(0, bool)
    # A unit counts where it holds at least one word.
    sent_id = np.cumsum(np.r_[False, (is_sent_end | para_end)[:-1]]) if len(para) else np.zeros(0, int)
    clause_id = np.cumsum(np.r_[False, (is_clause_end | is_sent_end | para_end)[:-1]]) if len(para) else sent_id
    words = tokens[is_word]
    n_words = int(is_word.sum())
    chars = int(words.str.count(r"[^\W_]").sum()) if n_words else 0  # letters, Han characters and digits
    n_clauses = len(np.unique(clause_id[is_word]))
    n_sents = len(np.unique(sent_id[is_word]))
    r1 = chars / n_clauses if n_clauses else np.nan
    if has_pos and n_words:
        pos = d["pos"].fillna("").astype(str).to_numpy()[is_word]
        ac = np.char.startswith(pos.astype(str), ADV_CONJ[0]) | np.char.startswith(pos.astype(str), ADV_CONJ[1])
        sid = sent_id[is_word]
        per_sent = pd.Series(ac.astype(float)).groupby(sid).mean()
        r2 = float(per_sent.mean())
        n_ac = int(ac.sum())
    else:
        r2, n_ac = np.nan, 0
    r3 = (r1 + r2) / 2 if not (np.isnan(r1) or np.isnan(r2)) else np.nan
    ttr = len(set(words)) / n_words if n_words else np.nan
    return (n_sents, n_clauses, chars, n_words, n_ac, r1, r2, r3, ttr, mattr(words.tolist(), window))


def mattr(words: list[str], window: int = 100) -> float:
    """Moving-average type-token ratio (NaN when there are fewer words than ``window``). O(n): a word counts as a
    new type in the windows that start after its previous occurrence."""
    n = len(words)
    if n < window:
        return float("nan")
    codes = pd.factorize(pd.Series(words))[0]
    prev = np.full(n, -1)
    last: dict[int, int] = {}
    for i, c in enumerate(codes):
        prev[i] = last.get(c, -1)
        last[c] = i
    idx = np.arange(n)
    lo = np.maximum.reduce([prev + 1, idx - window + 1, np.zeros(n, int)])
    hi = np.minimum(idx, n - window)
    ok = lo <= hi
    diff = np.zeros(n - window + 2)
    np.add.at(diff, lo[ok], 1)
    np.add.at(diff, hi[ok] + 1, -1)
    types = np.cumsum(diff)[: n - window + 1]
    return float(types.mean() / window)
