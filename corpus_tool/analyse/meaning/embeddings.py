"""Word embeddings: word2vec (gensim) trained on the stored tokens, saved beside the corpus, and queried.

Training sentences are the counted tokens of each sentence (or paragraph): stopwords, punctuation and bare
numbers out, the lexicon's and the user's phrases whole (they are single tokens already). One-character
words stay (cntext drops them) and no phrase detection merges words behind the user's back.

Defaults follow cntext's preset (100 dimensions, window 6, minimum count 5, 5 epochs, CBOW). With
``workers=1`` a run is reproducible: the same seed and tokens give the same vectors in any process. gensim's
docs also ask for a fixed PYTHONHASHSEED; gensim 4 seeds the initial vectors from ``seed`` alone, and the
model is given a stable word hash (CRC-32) for the code paths that still hash words, so the hash seed does
not matter (tested). The float32 arithmetic runs in BLAS: the same machine and BLAS library give the same
bytes; another CPU kernel (OpenBLAS picks one per CPU, ``OPENBLAS_CORETYPE``) rounds differently, so
vectors then agree only to rounding. With more workers gensim is *not* reproducible: threads update shared
vectors in an order the OS decides (gensim's own documentation), and the record says so.

The model is saved under ``<db>.models/<name>/``: ``model.gensim`` (``Word2Vec.load``, training can resume),
``vectors.bin`` (word2vec C binary: gensim ``KeyedVectors.load_word2vec_format`` and cntext ``load_w2v``
open it), ``vocab.csv`` and ``model.run.json`` (parameters, segmentation, corpus fingerprint).

The vocabulary counts, already known from the tokens, are handed to gensim in first-occurrence order (the
order its own scan would meet them), so the vectors equal those of ``Word2Vec(sentences, ...)`` with the same
parameters, byte for byte (tested), without gensim's extra pass over the corpus.
"""

from __future__ import annotations

import inspect
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corpus_tool.analyse.meaning.base import UNITS, model_dir, read_tokens
from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import CORPUS, Selection, TokenFilter
from corpus_tool.store.db import CorpusDB

DEFAULT_NAME = "word2vec"
ALGORITHMS = {"cbow": 0, "skipgram": 1}
NEIGHBOUR_COLUMNS = ["query", "rank", "neighbour", "cosine", "frequency", "documents"]
SINGLE_WORKER_NOTE = ("workers=1 with a stable word hash: the same seed and tokens give the same vectors in any "
                      "process on the same machine and BLAS library (another BLAS CPU kernel rounds differently)")
MULTI_WORKER_NOTE = ("workers > 1: gensim threads update shared vectors in an order the OS decides, so vectors "
                     "and neighbours differ from run to run even with the same seed; use workers=1 to reproduce")


def stable_hash(text: str) -> int:
    """A hash of a word that does not change between processes (CRC-32), for gensim's ``hashfxn``."""
    return zlib.crc32(text.encode("utf-8"))


class EmbeddingError(ValueError):
    """No model, a stale model, or a word the model does not know."""


@dataclass
class EmbeddingModel:
    """A trained model, its vocabulary counts and the record of how it was made."""

    model: Any  # gensim Word2Vec
    record: dict[str, Any]
    vocab: pd.DataFrame  # term, frequency, documents (every counted term, also those under min_count)
    path: Path | None = None

    @property
    def wv(self) -> Any:
        return self.model.wv

    def vector(self, term: str) -> np.ndarray:
        return self.wv.get_vector(term, norm=True)

    def has(self, term: str) -> bool:
        return term in self.wv.key_to_index

    def __repr__(self) -> str:
        p, t = self.record.get("parameters", {}), self.record.get("training") or {}
        return (f"<word2vec {p.get('name')!r}: {len(self.wv):,} 词 words × {self.wv.vector_size} 维 dims, "
                f"{p.get('algorithm')}, window {p.get('window')}, min_count {p.get('min_count')}, "
                f"{p.get('epochs')} epochs, seed {p.get('seed')}; trained on {t.get('tokens', 0):,} tokens"
                f"{'' if self.path is None else f' → {self.path}'}>")


def train_embeddings(db: str | Path | CorpusDB, *, name: str = DEFAULT_NAME, vector_size: int = 100,
                     window: int = 6, min_count: int = 5, epochs: int = 5, algorithm: str = "cbow",
                     negative: int = 5, sample: float = 1e-3, seed: int = 1, workers: int = 1,
                     unit: str = "sentence", where: str | None = None, include_duplicates: bool = False,
                     token_filter: TokenFilter | None = None, save: bool = True) -> EmbeddingModel:
    """Train word2vec on the corpus's counted tokens and (with ``save``) write it under ``<db>.models/<name>/``."""
    from gensim.models import Word2Vec

    if algorithm not in ALGORITHMS:
        raise ValueError(f"未知算法 / unknown algorithm {algorithm!r}; choose {', '.join(ALGORITHMS)}")
    if unit not in UNITS:
        raise ValueError(f"未知单元 / unknown unit {unit!r}; choose {', '.join(UNITS)}")
    token_filter = token_filter or TokenFilter()
    selection = Selection(where, include_duplicates, CORPUS)
    with analysis_context(db, selection, token_filter, count_tokens=False) as ctx:
        stream = read_tokens(ctx)
        corpus, segmentation = ctx.corpus, ctx.segmentation
    sentences = stream.sentences(unit)
    params = {"name": name, "vector_size": vector_size, "window": window, "min_count": min_count, "epochs": epochs,
              "algorithm": algorithm, "negative": negative, "sample": sample, "seed": seed, "workers": workers,
              "unit": unit, "token_filter": token_filter.to_dict(), **selection.to_dict()}
    model = Word2Vec(vector_size=vector_size, window=window, min_count=min_count, epochs=epochs,
                     sg=ALGORITHMS[algorithm], negative=negative, sample=sample, seed=seed, workers=workers,
                     hashfxn=stable_hash)
    # The counts are known already: hand them to gensim in first-occurrence order, the order its own scan
    # would find them in, so the vocabulary (ties included) and the vectors equal Word2Vec(sentences).
    counts = stream.frequencies()
    model.build_vocab_from_freq({stream.vocab[c]: int(counts[c]) for c in pd.unique(stream.term)},
                                corpus_count=len(sentences))
    model.corpus_total_words = int(counts.sum())
    model.train(sentences, total_examples=model.corpus_count, total_words=model.corpus_total_words,
                epochs=model.epochs, start_alpha=model.alpha, end_alpha=model.min_alpha)
    vocab = pd.DataFrame({"term": stream.vocab, "frequency": counts,
                          "documents": stream.doc_frequencies()})
    vocab = vocab.sort_values(["frequency", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    in_model = model.wv.key_to_index  # a dict lookup per term: pandas' isin on Arrow strings costs 100× more
    vocab["in_model"] = np.fromiter((t in in_model for t in vocab["term"].tolist()), dtype=bool, count=len(vocab))
    record = {"analysis": "embeddings", "parameters": params, "corpus": corpus, "segmentation": segmentation,
              "training": {"sentences": len(sentences), "tokens": len(stream), "types": len(stream.vocab),
                           "model_vocabulary": len(model.wv), "trained_words": int(model.corpus_total_words)},
              "reproducibility": (SINGLE_WORKER_NOTE if workers == 1 else MULTI_WORKER_NOTE),
              "presets": "cntext Word2Vec (100/6/5/5, CBOW) without dropping one-character words or merging phrases"}
    result = EmbeddingModel(model, record, vocab)
    if save:
        result.path = save_embeddings(result, db)
    return result


def save_embeddings(emb: EmbeddingModel, db: str | Path | CorpusDB) -> Path:
    """Write the model files and their run record; returns the model folder."""
    from corpus_tool.export.runrecord import run_record, write_run_record

    folder = model_dir(db) / emb.record["parameters"]["name"]
    folder.mkdir(parents=True, exist_ok=True)
    emb.model.save(str(folder / "model.gensim"))
    emb.wv.save_word2vec_format(str(folder / "vectors.bin"), binary=True)
    emb.vocab.to_csv(folder / "vocab.csv", index=False, encoding="utf-8-sig", lineterminator="\r\n")
    p = emb.record["parameters"]
    record = run_record("embed", p, corpus=emb.record["corpus"], segmentation=emb.record["segmentation"],
                        seeds={"word2vec_seed": p["seed"], "workers": p["workers"], "hash": "crc32"},
                        extra={k: emb.record[k] for k in ("training", "reproducibility", "presets")})
    outputs = [folder / n for n in ("model.gensim", "vectors.bin", "vocab.csv")]
    write_run_record(folder / "model", record, outputs=outputs)
    return folder


def load_embeddings(db: str | Path | CorpusDB, name: str = DEFAULT_NAME, *, check: bool = True) -> EmbeddingModel:
    """The saved model ``name`` of this corpus; with ``check``, refuse one made from other tokens."""
    from gensim.models import Word2Vec

    folder = model_dir(db) / name
    if not (folder / "model.gensim").exists():
        raise EmbeddingError(f"没有词向量模型 / no word-embedding model {name!r} beside {db}: run `corpus-tool embed` "
                             "first (先训练词向量)")
    record = json.loads((folder / "model.run.json").read_text("utf-8"))
    if check:
        from corpus_tool.analyse.units import open_store, segmentation_info

        store, owns = open_store(db)
        try:
            seg = segmentation_info(store.con)
            fingerprint = store.fingerprint()
        finally:
            if owns:
                store.close()
        made = (record.get("segmentation") or {}).get("seg_id")
        if made != seg.get("seg_id") or record.get("corpus", {}).get("fingerprint") != fingerprint:
            raise EmbeddingError(
                f"词向量模型 {name!r} 是用另一版分词或语料训练的，请重新运行 `corpus-tool embed` / "
                f"the model {name!r} was trained on other tokens (the segmentation or the documents changed since): "
                "train it again")
    vocab = pd.read_csv(folder / "vocab.csv", encoding="utf-8-sig", keep_default_na=False)
    model = Word2Vec.load(str(folder / "model.gensim"))
    rec = {"parameters": record.get("parameters", {}), "corpus": record.get("corpus", {}),
           "segmentation": None, "training": record.get("training"), "reproducibility": record.get("reproducibility"),
           "presets": record.get("presets")}
    emb = EmbeddingModel(model, rec, vocab, folder)
    emb.record["segmentation"] = _segmentation_of(db) if check else None
    return emb


def _segmentation_of(db: str | Path | CorpusDB) -> dict[str, Any] | None:
    from corpus_tool.analyse.units import open_store, segmentation_info

    store, owns = open_store(db)
    try:
        return segmentation_info(store.con)
    finally:
        if owns:
            store.close()


def similar(emb: EmbeddingModel, terms: list[str] | str, *, top: int = 20, stability: int = 0,
            db: str | Path | CorpusDB | None = None) -> AnalysisResult:
    """The ``top`` nearest neighbours (cosine) of each term, with corpus frequency and document count.

    ``stability`` ≥ 2 (needs ``db``): train that many models in all (the saved model's parameters, seeds seed,
    seed + 1 …) and give each neighbour the share of them that also rank it in the term's top ``top``: on a small
    corpus neighbours move with the seed (Antoniak & Mimno 2018), and this column says which ones do not.
    """
    terms = [terms] if isinstance(terms, str) else list(terms)
    freq = emb.vocab.set_index("term")
    rows, warnings = [], []
    for term in terms:
        if not emb.has(term):
            n = int(freq["frequency"].get(term, 0)) if term in freq.index else 0
            floor = emb.record["parameters"].get("min_count")
            warnings.append(f"“{term}” 不在模型词表中（语料中出现 {n} 次，最小词频 {floor}）/ "
                            f"{term!r} is not in the model (frequency {n}, min_count {floor})")
            continue
        for rank, (word, cos) in enumerate(emb.wv.most_similar(term, topn=top), 1):
            rows.append((term, rank, word, float(cos), int(freq.at[word, "frequency"]),
                         int(freq.at[word, "documents"])))
    table = pd.DataFrame(rows, columns=NEIGHBOUR_COLUMNS)
    params: dict[str, Any] = {"terms": terms, "top": top, "model": emb.record["parameters"]}
    if stability >= 2:
        if db is None:
            raise ValueError("stability needs the corpus database (db=...)")
        accepted = set(inspect.signature(train_embeddings).parameters) - {"token_filter", "name", "save", "db"}
        p = {k: v for k, v in emb.record["parameters"].items() if k in accepted}  # the record also holds grouping
        tf = TokenFilter(**{k: tuple(v) if isinstance(v, list) else v
                            for k, v in emb.record["parameters"]["token_filter"].items()})
        seeds = [int(p["seed"]) + i for i in range(1, stability)]
        found = {(r.query, r.neighbour): 1 for r in table.itertuples(index=False)}
        for seed in seeds:
            other = train_embeddings(db, **{**p, "seed": seed}, token_filter=tf, save=False)
            for term in set(table["query"]):
                if other.has(term):
                    for word, _ in other.wv.most_similar(term, topn=top):
                        if (term, word) in found:
                            found[(term, word)] += 1
        table["stability"] = [found[(q, w)] / stability for q, w in zip(table["query"], table["neighbour"],
                                                                          strict=True)]
        params["stability"] = {"models": stability, "seeds": [int(p["seed"]), *seeds]}
    result = AnalysisResult("similar", table, params, emb.record.get("corpus") or {}, emb.record.get("segmentation"))
    result.warnings = warnings
    return result
