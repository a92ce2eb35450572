"""Dictionary expansion: candidate terms for a coding category from its seed terms, with evidence.

Two sources, each giving frequency, document count, a score and example contexts:

* ``embedding``: words near the seeds in a trained word2vec model. A candidate's score is its cosine to
  the normalised mean of the seeds' unit vectors (gensim ``most_similar``), ``nearest_seed`` the seed it is
  closest to. Seeds the model does not know are reported, never dropped silently (cntext drops them).
* ``sopmi`` (Turney & Littman 2003, as cntext's SoPmi; for corpora too small for embeddings): co-occurrence
  within ``window`` counted tokens on either side (default 10: counted tokens leave out stopwords and
  punctuation, and on the government work reports cntext's ±5 missed compounds such as 数字化转型 listed
  further along the same clause), inside one paragraph, one count per pair per seed
  occurrence (the centre token is not counted twice, unlike cntext). PMI = log₂(p(s,w) / (p(s)·p(w))) with
  every p a count over N counted tokens; a candidate's score is the mean PMI over the seeds it co-occurs
  with at least ``min_joint`` times (``agg="sum"``: cntext's sum, which grows with the number of seeds met),
  minus the same over ``negative`` seeds when given.

Accepted candidates (the ``keep`` column marked, or a list of terms) go into a user dictionary
(jieba format, for the next segmentation) or a code of a YAML coding dictionary with :func:`accept`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corpus_tool.analyse.meaning.base import contexts, read_tokens
from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import CORPUS, Selection, TokenFilter
from corpus_tool.store.db import CorpusDB

METHODS = ("embedding", "sopmi", "both")
COLUMNS = ["method", "rank", "candidate", "score", "frequency", "documents", "nearest_seed", "joint", "seeds_met",
           "contexts", "keep"]


def expand(db: str | Path | CorpusDB, seeds: list[str], *, method: str = "both", negative: list[str] | None = None,
           model: str = "word2vec", top: int = 30, window: int = 10, min_joint: int = 2, min_freq: int = 2,
           agg: str = "mean", n_contexts: int = 2, where: str | None = None, include_duplicates: bool = False,
           token_filter: TokenFilter | None = None) -> AnalysisResult:
    """Candidates for the category of ``seeds`` by embedding similarity and/or SO-PMI, best first per method."""
    if method not in METHODS:
        raise ValueError(f"未知方法 / unknown method {method!r}; choose {', '.join(METHODS)}")
    if agg not in ("mean", "sum"):
        raise ValueError("agg must be mean or sum")
    seeds = list(dict.fromkeys(s.strip() for s in seeds if s.strip()))
    negative = list(dict.fromkeys(s.strip() for s in (negative or []) if s.strip()))
    if not seeds:
        raise ValueError("至少需要一个种子词 / give at least one seed term")
    token_filter = token_filter or TokenFilter()
    selection = Selection(where, include_duplicates, CORPUS)
    params: dict[str, Any] = {"seeds": seeds, "negative": negative, "method": method, "model": model, "top": top,
                              "window": window, "min_joint": min_joint, "min_freq": min_freq, "agg": agg,
                              "token_filter": token_filter.to_dict(), **selection.to_dict()}
    warnings: list[str] = []
    tables = []
    with analysis_context(db, selection, token_filter, count_tokens=False) as ctx:
        stream = read_tokens(ctx)
        freq = pd.DataFrame({"frequency": stream.frequencies(), "documents": stream.doc_frequencies()},
                            index=pd.Index(stream.vocab, name="term"))
        absent = [s for s in seeds + negative if s not in freq.index]
        if absent:
            warnings.append("种子词未在语料的计数词中出现 / seed terms absent from the counted tokens: "
                            + ", ".join(absent))
        if method in ("embedding", "both"):
            from corpus_tool.analyse.meaning.embeddings import load_embeddings

            emb = load_embeddings(ctx.store, model)
            params["model_parameters"] = emb.record["parameters"]
            tables.append(_by_embedding(emb, seeds, negative, freq, top, min_freq, warnings))
        if method in ("sopmi", "both"):
            tables.append(_by_sopmi(stream, seeds, negative, freq, top, window, min_joint, min_freq, agg))
        table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=COLUMNS)
        ctx_map = contexts(ctx.store.con, ctx.docs, sorted(set(table["candidate"])), n=n_contexts)
        table["contexts"] = table["candidate"].map(lambda t: " | ".join(ctx_map.get(t, [])))
        table["keep"] = ""
        result = AnalysisResult("expand", table[COLUMNS], params, ctx.corpus, ctx.segmentation)
    result.warnings = warnings
    return result


def _by_embedding(emb: Any, seeds: list[str], negative: list[str], freq: pd.DataFrame, top: int, min_freq: int,
                  warnings: list[str]) -> pd.DataFrame:
    known = [s for s in seeds if emb.has(s)]
    known_neg = [s for s in negative if emb.has(s)]
    oov = [s for s in seeds + negative if not emb.has(s)]
    if oov:
        warnings.append(f"词向量模型中没有这些种子词 / seeds not in the embedding model: {', '.join(oov)}")
    if not known:
        return pd.DataFrame(columns=COLUMNS)
    wv = emb.wv
    skip = set(seeds) | set(negative)
    hits = wv.most_similar(positive=known, negative=known_neg or None, topn=top * 3 + len(skip))
    seed_vecs = np.vstack([wv.get_vector(s, norm=True) for s in known])
    rows = []
    for word, cos in hits:
        if word in skip or word not in freq.index or freq.at[word, "frequency"] < min_freq:
            continue
        sims = seed_vecs @ wv.get_vector(word, norm=True)
        rows.append(("embedding", 0, word, float(cos), int(freq.at[word, "frequency"]),
                     int(freq.at[word, "documents"]), known[int(np.argmax(sims))], None, None))
        if len(rows) == top:
            break
    out = pd.DataFrame(rows, columns=COLUMNS[:9])
    out["rank"] = np.arange(1, len(out) + 1)
    return out


def cooccurrence_with(stream: Any, seed_codes: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """(seed code, term code) pairs: each term within ``window`` counted tokens of a seed occurrence in its
    paragraph, once per occurrence."""
    term, para = stream.term, stream.para
    at = np.flatnonzero(np.isin(term, seed_codes))
    pairs_s, pairs_t = [], []
    for k in range(-window, window + 1):
        if k == 0:
            continue
        j = at + k
        ok = (j >= 0) & (j < len(term))
        src, dst = at[ok], j[ok]
        same = para[src] == para[dst]
        pairs_s.append(src[same])  # occurrence index: a term counts once per seed occurrence
        pairs_t.append(term[dst[same]])
    occ = np.concatenate(pairs_s) if pairs_s else np.zeros(0, np.int64)
    dst_terms = np.concatenate(pairs_t) if pairs_t else np.zeros(0, np.int64)
    key = np.unique(occ * len(stream.vocab) + dst_terms)  # one count per (occurrence, term)
    occ_u, term_u = key // len(stream.vocab), key % len(stream.vocab)
    return term[occ_u], term_u


def _by_sopmi(stream: Any, seeds: list[str], negative: list[str], freq: pd.DataFrame, top: int, window: int,
              min_joint: int, min_freq: int, agg: str) -> pd.DataFrame:
    index = stream.index()
    n_total = float(len(stream))
    counts = stream.frequencies().astype(np.float64)

    def pmi_table(words: list[str]) -> pd.DataFrame:
        codes = np.array([index[w] for w in words if w in index], dtype=np.int64)
        if not len(codes):
            return pd.DataFrame(columns=["seed", "term", "joint", "pmi"])
        s, t = cooccurrence_with(stream, codes, window)
        pairs = pd.DataFrame({"seed": s, "term": t}).value_counts().rename("joint").reset_index()
        pairs = pairs[pairs["joint"] >= min_joint]
        pj = pairs["joint"].to_numpy(np.float64) / n_total
        ps = counts[pairs["seed"].to_numpy()] / n_total
        pt = counts[pairs["term"].to_numpy()] / n_total
        return pairs.assign(pmi=np.log2(pj / (ps * pt)))

    pos = pmi_table(seeds)
    if pos.empty:
        return pd.DataFrame(columns=COLUMNS)
    grouped = pos.groupby("term")
    score = grouped["pmi"].mean() if agg == "mean" else grouped["pmi"].sum()
    joint = grouped["joint"].sum()
    met = grouped["seed"].nunique()
    best = pos.sort_values(["term", "pmi", "seed"], ascending=[True, False, True]).drop_duplicates("term")
    nearest = best.set_index("term")["seed"]
    if negative:
        neg = pmi_table(negative)
        if not neg.empty:
            ng = neg.groupby("term")["pmi"]
            score = score.sub(ng.mean() if agg == "mean" else ng.sum(), fill_value=0.0).reindex(score.index)
    vocab = np.asarray(stream.vocab, dtype=object)
    out = pd.DataFrame({"method": "sopmi", "candidate": vocab[score.index.to_numpy()], "score": score.to_numpy(),
                        "nearest_seed": vocab[nearest.reindex(score.index).to_numpy()],
                        "joint": joint.to_numpy(), "seeds_met": met.to_numpy()})
    skip = set(seeds) | set(negative)
    out["frequency"] = freq["frequency"].reindex(out["candidate"]).to_numpy()
    out["documents"] = freq["documents"].reindex(out["candidate"]).to_numpy()
    out = out[~out["candidate"].isin(skip) & (out["frequency"] >= min_freq)]
    out = out.sort_values(["score", "joint", "candidate"], ascending=[False, False, True], kind="mergesort").head(top)
    out["rank"] = np.arange(1, len(out) + 1)
    return out[COLUMNS[:9]]


def accepted_terms(table: pd.DataFrame) -> list[str]:
    """Candidates whose ``keep`` cell is marked (1, y, yes, x, true, 是, ✓), in table order, once each."""
    marks = {"1", "y", "yes", "x", "true", "是", "✓", "√", "keep"}
    keep = table["keep"].astype(str).str.strip().str.lower().isin(marks)
    return list(dict.fromkeys(table.loc[keep, "candidate"].astype(str)))


def accept(terms: list[str], *, user_dict: str | Path | None = None, dictionary: str | Path | None = None,
           code: str | None = None, category: str | None = None, out: str | Path | None = None) -> Path:
    """Add ``terms`` to a user dictionary (one word a line, appended, duplicates skipped) or to ``code`` of a YAML
    coding dictionary (written to ``out``, default: the same file). Returns the file written."""
    terms = [t.strip() for t in terms if t and t.strip()]
    if (user_dict is None) == (dictionary is None):
        raise ValueError("give exactly one of user_dict or dictionary")
    if user_dict is not None:
        path = Path(user_dict)
        existing = path.read_text("utf-8").splitlines() if path.exists() else []
        have = {line.split()[0] for line in existing if line.strip() and not line.startswith("#")}
        new = [t for t in terms if t not in have]
        with open(path, "a", encoding="utf-8") as f:
            if existing and not path.read_text("utf-8").endswith("\n"):
                f.write("\n")
            f.writelines(f"{t}\n" for t in new)
        return path
    import yaml

    if not code:
        raise ValueError("name the code to add the terms to (code=...)")
    src = Path(dictionary)  # type: ignore[arg-type]
    data = yaml.safe_load(src.read_text("utf-8")) if src.exists() else {}
    data = data or {}
    codes = data.setdefault("codes", [])
    if isinstance(codes, dict):  # the mapping form: code → terms or a mapping
        entry = codes.setdefault(code, {"terms": []})
        if isinstance(entry, list):
            entry = codes[code] = {"terms": entry}
    else:
        entry = next((c for c in codes if c.get("code") == code), None)
        if entry is None:
            entry = {"code": code, "category": category or "", "label": code, "terms": []}
            codes.append(entry)
    entry.setdefault("terms", [])
    entry["terms"] += [t for t in terms if t not in entry["terms"]]
    target = Path(out) if out is not None else src
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
