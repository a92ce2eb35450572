"""New-word discovery: candidate terms that the current segmentation splits, for the user dictionary.

Candidates are runs of 2-4 consecutive tokens inside a paragraph whose joined text is 2-8 Chinese
characters, that start and end with a non-stopword and contain no punctuation, number or Latin token.
Each is scored by

- ``freq``: occurrences; ``n_docs``: documents it occurs in;
- ``pmi``: cohesion, the smallest pointwise mutual information over the ways to cut it in two
  (log2 of p(whole) / p(left) p(right), probabilities over the n-grams of that length);
- ``left_entropy`` / ``right_entropy``: branching entropy (bits) of the tokens just before / after it
  (a paragraph edge counts as a new neighbour each time): a real term is used in many contexts;
- ``score`` = log2(1 + freq) x min(left_entropy, right_entropy) x max(pmi, 0), the ranking key.

Candidates that a longer or shorter candidate always accompanies are not removed; branching entropy
already penalises fragments ("发展新质" always followed by 生产力 has right entropy 0).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from corpus_tool.segment.lexicon import read_dictionary
from corpus_tool.store.db import CorpusDB

_HAN = re.compile(r"^[\u3400-\u4DBF\u4E00-\u9FFF]+$")
COLUMNS = ["term", "parts", "freq", "n_docs", "pmi", "left_entropy", "right_entropy", "score", "examples"]


class NoTokensError(RuntimeError):
    """The corpus has no segmentation yet."""


def _entropy(counter: Counter[str], edges: int) -> float:
    total = sum(counter.values()) + edges
    if not total:
        return 0.0
    h = -sum(c / total * math.log2(c / total) for c in counter.values())
    return h + edges * (-(1 / total) * math.log2(1 / total))  # every edge a distinct neighbour


def find_new_words(
    db: str | Path,
    *,
    min_freq: int = 5,
    max_tokens: int = 4,
    max_chars: int = 8,
    top: int | None = 200,
    n_examples: int = 3,
    window: int = 12,
) -> pd.DataFrame:
    """Rank candidate terms in the current segmentation of ``db`` (see the module doc for the measures)."""
    with CorpusDB(db, read_only=True) as cdb:
        if not cdb.con.execute("SELECT count(*) FROM tokens").fetchone()[0]:
            raise NoTokensError("尚未分词 / the corpus has no tokens yet: run `corpus-tool segment` first")
        cur = cdb.con.execute(
            "SELECT doc_id, para_no, token, is_stop FROM tokens ORDER BY doc_id, para_no, position"
        )
        grams: Counter[tuple[str, ...]] = Counter()
        left: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        right: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        left_edge: Counter[tuple[str, ...]] = Counter()
        right_edge: Counter[tuple[str, ...]] = Counter()
        docs: dict[tuple[str, ...], set[str]] = defaultdict(set)
        n_by_len: Counter[int] = Counter()

        def flush(doc: str, toks: list[str], stop: list[bool]) -> None:
            n = len(toks)
            han = [bool(_HAN.match(t)) for t in toks]
            for i in range(n):
                for k in range(1, max_tokens + 1):
                    j = i + k
                    if j > n or not han[j - 1]:
                        break
                    if not han[i]:
                        break
                    g = tuple(toks[i:j])
                    n_by_len[k] += 1
                    grams[g] += 1
                    if k == 1 or stop[i] or stop[j - 1] or len("".join(g)) > max_chars:
                        continue
                    docs[g].add(doc)
                    if i > 0:
                        left[g][toks[i - 1]] += 1
                    else:
                        left_edge[g] += 1
                    if j < n:
                        right[g][toks[j]] += 1
                    else:
                        right_edge[g] += 1

        key = None
        toks: list[str] = []
        stop: list[bool] = []
        while rows := cur.fetchmany(100_000):
            for doc_id, para_no, token, is_stop in rows:
                if (doc_id, para_no) != key:
                    if toks:
                        flush(key[0], toks, stop)  # type: ignore[index]
                    key, toks, stop = (doc_id, para_no), [], []
                toks.append(token)
                stop.append(bool(is_stop))
        if toks:
            flush(key[0], toks, stop)  # type: ignore[index]

        rows_out = []
        for g, ds in docs.items():
            f = grams[g]
            if f < min_freq:
                continue
            k = len(g)
            p = f / n_by_len[k]
            pmi = min(
                math.log2(p / ((grams[g[:s]] / n_by_len[s]) * (grams[g[s:]] / n_by_len[k - s])))
                for s in range(1, k)
            )
            le = _entropy(left[g], left_edge[g])
            re_ = _entropy(right[g], right_edge[g])
            rows_out.append({
                "term": "".join(g), "parts": "|".join(g), "freq": f, "n_docs": len(ds), "pmi": pmi,
                "left_entropy": le, "right_entropy": re_,
                "score": math.log2(1 + f) * min(le, re_) * max(pmi, 0.0),
            })
        df = pd.DataFrame(rows_out, columns=COLUMNS[:-1])
        if df.empty:
            return pd.DataFrame(columns=COLUMNS)
        # One row per term (different splits of the same text are summed into the best-scoring one).
        df = df.sort_values(["score", "freq", "term"], ascending=[False, False, True], kind="mergesort")
        df = df.drop_duplicates("term", keep="first").reset_index(drop=True)
        if top:
            df = df.head(top).copy()
        df["examples"] = [_examples(cdb, t, n_examples, window) for t in df["term"]]
    return df[COLUMNS]


def _examples(cdb: CorpusDB, term: str, n: int, window: int) -> str:
    """Up to ``n`` contexts of ``term`` (``…左文[term]右文…``), from the first paragraphs that hold it."""
    rows = cdb.con.execute(
        "SELECT text FROM paragraphs WHERE contains(text, ?) ORDER BY doc_id, para_no LIMIT ?", [term, n]
    ).fetchall()
    out = []
    for (text,) in rows:
        i = text.find(term)
        out.append(f"…{text[max(0, i - window):i]}[{term}]{text[i + len(term):i + len(term) + window]}…")
    return " / ".join(out)


def accept_words(words: list[str], user_dict: str | Path, tag: str | None = None) -> list[str]:
    """Append ``words`` to a user dictionary (created if missing), skipping those already in it.

    Returns the words added. The file is validated first, so a malformed dictionary is never extended.
    """
    path = Path(user_dict)
    existing: set[str] = set()
    if path.exists():
        existing = {e.word for e in read_dictionary(path)[0]}
    added = [w for w in dict.fromkeys(w.strip() for w in words) if w and w not in existing]
    if not added:
        return []
    prefix = ""
    if path.exists() and path.stat().st_size and not path.read_bytes().endswith(b"\n"):
        prefix = "\n"
    with open(path, "a", encoding="utf-8", newline="\n") as f:
        f.write(prefix + "".join(f"{w} {tag}\n" if tag else f"{w}\n" for w in added))
    return added
