"""What changed between two documents or two groups: sentences kept, changed, new and dropped, and new terms.

Sentences: each text unit is cut after a sentence-final mark (。！？；!?;…, the marks the token analyses end a
sentence at) and at its end; a sentence without a Han character or a letter (a bare "一、") is left out.

Matching, in three passes, each one to one:

1. *kept*: the same text (spaces ignored) in both;
2. *changed* with ``numbers_only``: the same text once numbers and dates are masked (2024年 → #年, 5%左右 →
   #%左右, 二〇二三年 → #年), so a sentence that only updates its figures is not new;
3. *changed*: the most similar remaining pairs, difflib ``SequenceMatcher(autojunk=False).ratio()`` on the masked
   texts at least ``ratio``, taken greedily from the highest ratio down (candidates: the 10 remaining sentences
   of the first version sharing the most character bigrams, so not every pair is scored);

what is left is *new* (second version only) or *dropped* (first only). A reworded sentence is therefore
"changed", shown with both versions, the ratio and a character diff ([-old-]{+new+}).

New terms (新提法): stored tokens of at least ``min_chars`` characters (with a Han character, stopwords out) found
in the second version and in no baseline document: ``baseline="previous"`` is the first version;
``"all-earlier"`` adds every selected document dated in an earlier year than the second version's first year.
A token that is absent as a token but present as a *string* in the baseline text (segmented differently there) is
not new. Each new term comes with its count, documents and KWIC contexts.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pandas as pd

from corpus_tool.analyse.meaning.base import contexts, split_sentences
from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import Selection, TokenFilter, TokenView, reads_simplified, select_documents
from corpus_tool.store.db import CorpusDB

BASELINES = ("previous", "all-earlier")
STATUSES = ("kept", "changed", "new", "dropped")
DEFAULT_FIELDS = ("heading", "body")
_WORDLIKE = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?|[〇零一二三四五六七八九十百千]{2,}(?=年)")
# An ordinal (第二次, 第四代, 第三届): a number, not a formulation.
_ORDINAL = re.compile(r"^第[〇零一二两三四五六七八九十百千万0-9０-９]+[\u3400-\u9fff]?$")
CANDIDATES = 10
ALIGN_COLUMNS = ["status", "ratio", "numbers_only", "text_a", "text_b", "diff", "doc_a", "para_a", "doc_b", "para_b"]
TERM_COLUMNS = ["term", "count", "documents", "earlier_year", "contexts"]
DOC_COLUMNS = ["version", "doc_id", "title", "year", "sentences", "characters", "kept", "changed", "new", "dropped",
               "novelty_share", "dropped_share"]


@dataclass
class Sentence:
    doc_id: str
    para_no: int
    text: str
    key: str  # spaces removed
    masked: str


def compare(db: str | Path | CorpusDB, a: str, b: str, *, ratio: float = 0.6, baseline: str = "previous",
            min_chars: int = 3, min_count: int = 1, n_contexts: int = 3, width: int = 20,
            fields: tuple[str, ...] = DEFAULT_FIELDS, include_duplicates: bool = False) -> AnalysisResult:
    """Align the sentences of ``a`` (first version) with ``b`` (second): each a doc_id or a filter such as
    ``"year = 2023"``. ``table``: the alignment; ``tables``: ``terms`` (new terms), ``summary``, ``documents``."""
    if baseline not in BASELINES:
        raise ValueError(f"未知基线 / unknown baseline {baseline!r}; choose {', '.join(BASELINES)}")
    if not 0 < ratio <= 1:
        raise ValueError("ratio 应在 (0, 1] 之间 / ratio must be in (0, 1]")
    selection = Selection(None, include_duplicates)
    params: dict[str, Any] = {"a": a, "b": b, "ratio": ratio, "baseline": baseline, "min_chars": min_chars,
                              "min_count": min_count, "contexts": n_contexts, "width": width, "fields": list(fields),
                              **selection.to_dict()}
    warnings: list[str] = []
    with analysis_context(db, selection, need_tokens=False) as ctx:
        con = ctx.store.con
        docs_a = _resolve(con, a, include_duplicates, "A")
        docs_b = _resolve(con, b, include_duplicates, "B")
        both = set(docs_a["doc_id"]) & set(docs_b["doc_id"])
        if both:
            raise ValueError(f"两组有相同文档 / {len(both)} documents are in both versions: {', '.join(sorted(both))}")
        sents_a = _sentences(con, docs_a, fields)
        sents_b = _sentences(con, docs_b, fields)
        base = docs_a
        if baseline == "all-earlier":
            base, note = _earlier(con, docs_a, docs_b, include_duplicates)
            if note:
                warnings.append(note)
        # The tokens read traditional characters as simplified (the segmentation's default): so must the texts a
        # token is looked for in, or every term of a traditional-character baseline would count as new.
        simplify = reads_simplified(ctx.segmentation)
        terms, term_counts = _new_terms(con, docs_b, base, fields, min_chars=min_chars, min_count=min_count,
                                        n_contexts=n_contexts, width=width, simplify=simplify)
        if baseline == "all-earlier":  # every earlier year is the baseline already: no new term occurs there
            terms, note = terms.assign(earlier_year=pd.Series([pd.NA] * len(terms), dtype="Int64"))[TERM_COLUMNS], None
        else:
            terms, note = _earlier_years(con, terms, docs_a, docs_b, fields, include_duplicates, simplify)
        term_counts["terms_in_earlier_years"] = int(terms["earlier_year"].notna().sum())
        if note:
            warnings.append(note)
        corpus = dict(ctx.corpus, documents=len(docs_a) + len(docs_b), documents_a=len(docs_a),
                      documents_b=len(docs_b), baseline_documents=len(base))
        segmentation = ctx.segmentation
    rows = align_sentences(sents_a, sents_b, ratio=ratio)
    table = pd.DataFrame(rows, columns=ALIGN_COLUMNS)
    summary = _summary(table)
    documents = _documents(table, docs_a, docs_b, sents_a, sents_b)
    params.update(term_counts, sentences_a=len(sents_a), sentences_b=len(sents_b),
                  **{f"{s}_sentences": int((table["status"] == s).sum()) for s in STATUSES},
                  documents_a=docs_a["doc_id"].tolist(), documents_b=docs_b["doc_id"].tolist(),
                  baseline_documents=len(base))
    return AnalysisResult("compare", table, params, corpus, segmentation,
                          tables={"terms": terms, "summary": summary, "documents": documents}, warnings=warnings)


# -- documents and sentences ----------------------------------------------------------------------------------
def _resolve(con: Any, spec: str, include_duplicates: bool, name: str) -> pd.DataFrame:
    """A doc_id, or a filter; the documents in reading order (year, date, doc_id)."""
    spec = spec.strip()
    if con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [spec]).fetchone():
        ids = [spec]
    else:
        try:
            ids = select_documents(con, Selection(spec, include_duplicates))["doc_id"].tolist()
        except ValueError as exc:
            # Not a filter: a document named as `show` finds it (id prefix, file name, a manifest value such as
            # the manifest's own doc_id), when that names exactly one.
            ids = _named_document(con, spec, name)
            if not ids:
                raise ValueError(f"版本 {name}（{spec!r}）既不是文档也不是筛选条件 / version {name} {spec!r} names no "
                                 f"document (id, id prefix, file name, manifest value) and is not a filter: {exc}"
                                 ) from exc
    if not ids:
        raise ValueError(f"版本 {name}（{spec!r}）没有文档 / no document matches version {name}: {spec!r}")
    cur = con.cursor()
    try:
        cur.register("ids", pd.DataFrame({"doc_id": ids}))
        return cur.execute("SELECT d.doc_id, d.title, d.year, d.date FROM documents d JOIN ids USING (doc_id) "
                           "ORDER BY d.year NULLS LAST, d.date NULLS LAST, d.doc_id").df()
    finally:
        cur.close()


def _named_document(con: Any, spec: str, name: str) -> list[str]:
    from corpus_tool.store.lookup import find_documents

    found = find_documents(con, spec)
    if len(found) > 1:
        listed = "; ".join(f"{m.doc_id[:12]} {m.title[:30]}" for m in found[:5])
        raise ValueError(f"版本 {name}（{spec!r}）对应多篇文档 / {spec!r} names {len(found)} documents: {listed}"
                         f"{' …' if len(found) > 5 else ''}; give a doc_id or a filter such as \"year = 2023\"")
    return [m.doc_id for m in found]


def mask_numbers(text: str) -> str:
    return _NUMBER.sub("#", text)


def _sentences(con: Any, docs: pd.DataFrame, fields: tuple[str, ...]) -> list[Sentence]:
    cur = con.cursor()
    try:
        cur.register("ids", docs[["doc_id"]].assign(rank=range(len(docs))))
        rows = cur.execute(
            "SELECT p.doc_id, p.para_no, p.text FROM paragraphs p JOIN ids USING (doc_id) WHERE p.field IN ("
            + ", ".join("?" for _ in fields) + ") ORDER BY ids.rank, p.para_no", list(fields)).fetchall()
    finally:
        cur.close()
    out = []
    for doc_id, para_no, text in rows:
        for s in split_sentences(text):
            if _WORDLIKE.search(s):
                key = re.sub(r"\s+", "", s)
                out.append(Sentence(doc_id, int(para_no), s, key, mask_numbers(key)))
    return out


# -- alignment ------------------------------------------------------------------------------------------------
def align_sentences(a: list[Sentence], b: list[Sentence], *, ratio: float) -> list[dict[str, Any]]:
    """Rows of the alignment (see the module docstring), in the second version's order; a dropped sentence
    follows the row of the sentence before it in the first version."""
    match: dict[int, tuple[int, str, float, bool]] = {}  # b index → (a index, status, ratio, numbers_only)
    used_a: set[int] = set()
    for attr, numbers_only in (("key", False), ("masked", True)):
        pool: dict[str, deque[int]] = defaultdict(deque)
        for i, s in enumerate(a):
            if i not in used_a:
                pool[getattr(s, attr)].append(i)
        for j, s in enumerate(b):
            if j in match:
                continue
            q = pool.get(getattr(s, attr))
            if q:
                i = q.popleft()
                used_a.add(i)
                if numbers_only:
                    match[j] = (i, "changed", _ratio(a[i].key, s.key), True)
                else:
                    match[j] = (i, "kept", 1.0, False)
    for r, j, i in _fuzzy_pairs(a, b, used_a, set(match), ratio):
        if i in used_a or j in match:
            continue
        used_a.add(i)
        match[j] = (i, "changed", r, False)
    rows: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    placed = {}
    for j, s in enumerate(b):
        if j in match:
            i, status, r, numbers_only = match[j]
            placed[i] = j
            rows.append(((j, 0, 0), _row(status, r, numbers_only, a[i], s)))
        else:
            rows.append(((j, 0, 0), _row("new", None, False, None, s)))
    last = -1
    for i, s in enumerate(a):
        if i in placed:
            last = placed[i]
        else:
            rows.append(((last, 1, i), _row("dropped", None, False, s, None)))
    rows.sort(key=lambda x: x[0])
    return [r for _, r in rows]


def _ratio(x: str, y: str) -> float:
    return round(SequenceMatcher(None, x, y, autojunk=False).ratio(), 4)


def _bigrams(text: str) -> set[str]:
    return {text[k:k + 2] for k in range(len(text) - 1)} or {text}


def _fuzzy_pairs(a: list[Sentence], b: list[Sentence], used_a: set[int], used_b: set[int],
                 ratio: float) -> list[tuple[float, int, int]]:
    """Scored candidate pairs (ratio, b index, a index) at or above ``ratio``, best first."""
    index: dict[str, list[int]] = defaultdict(list)
    grams_a = {}
    for i, s in enumerate(a):
        if i in used_a:
            continue
        grams_a[i] = _bigrams(s.masked)
        for g in grams_a[i]:
            index[g].append(i)
    limit = max(50, len(grams_a) // 20)  # a bigram in more than 5 % of the sentences does not pick candidates
    scored = []
    for j, s in enumerate(b):
        if j in used_b:
            continue
        gb = _bigrams(s.masked)
        shared: Counter[int] = Counter()
        for g in gb:
            post = index.get(g)
            if post and len(post) <= limit:
                shared.update(post)
        best = sorted(shared.items(), key=lambda kv: (-2 * kv[1] / (len(gb) + len(grams_a[kv[0]])), kv[0]))
        for i, _ in best[:CANDIDATES]:
            sm = SequenceMatcher(None, a[i].masked, s.masked, autojunk=False)
            if sm.real_quick_ratio() < ratio or sm.quick_ratio() < ratio:
                continue
            r = sm.ratio()
            if r >= ratio:
                scored.append((round(r, 4), j, i))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    return scored


def char_diff(x: str, y: str) -> str:
    """``x`` → ``y`` with deletions as [-…-] and insertions as {+…+}."""
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(x[i1:i2])
            continue
        if i2 > i1:
            out.append(f"[-{x[i1:i2]}-]")
        if j2 > j1:
            out.append(f"{{+{y[j1:j2]}+}}")
    return "".join(out)


def _row(status: str, r: float | None, numbers_only: bool, sa: Sentence | None, sb: Sentence | None
         ) -> dict[str, Any]:
    return {"status": status, "ratio": r, "numbers_only": numbers_only,
            "text_a": sa.text if sa else None, "text_b": sb.text if sb else None,
            "diff": char_diff(sa.key, sb.key) if status == "changed" and sa and sb else None,
            "doc_a": sa.doc_id if sa else None, "para_a": sa.para_no if sa else None,
            "doc_b": sb.doc_id if sb else None, "para_b": sb.para_no if sb else None}


def _summary(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    chars_a = table["text_a"].fillna("").str.len()
    chars_b = table["text_b"].fillna("").str.len()
    total_a, total_b = int(chars_a.sum()), int(chars_b.sum())
    for s in STATUSES:
        m = table["status"] == s
        ca, cb = int(chars_a[m].sum()), int(chars_b[m].sum())
        rows.append({"status": s, "sentences": int(m.sum()), "characters_a": ca, "characters_b": cb,
                     "share_a": round(ca / total_a, 4) if total_a else 0.0,
                     "share_b": round(cb / total_b, 4) if total_b else 0.0})
    return pd.DataFrame(rows)


def _documents(table: pd.DataFrame, docs_a: pd.DataFrame, docs_b: pd.DataFrame, sents_a: list[Sentence],
               sents_b: list[Sentence]) -> pd.DataFrame:
    rows = []
    for version, docs, col, sents in (("A", docs_a, "doc_a", sents_a), ("B", docs_b, "doc_b", sents_b)):
        text_col = "text_a" if version == "A" else "text_b"
        by_doc = dict(tuple(table.groupby(col, sort=False)))
        n_sentences = Counter(s.doc_id for s in sents)
        empty = table.iloc[0:0]
        for d in docs.itertuples(index=False):
            t = by_doc.get(d.doc_id, empty)
            chars = t[text_col].str.len()
            total = int(chars.sum())
            counts = {s: int((t["status"] == s).sum()) for s in STATUSES}
            new_chars = int(chars[t["status"] == "new"].sum())
            dropped_chars = int(chars[t["status"] == "dropped"].sum())
            rows.append({"version": version, "doc_id": d.doc_id, "title": d.title,
                         "year": None if pd.isna(d.year) else int(d.year),
                         "sentences": n_sentences[d.doc_id], "characters": total, **counts,
                         "novelty_share": round(new_chars / total, 4) if version == "B" and total else None,
                         "dropped_share": round(dropped_chars / total, 4) if version == "A" and total else None})
    return pd.DataFrame(rows, columns=DOC_COLUMNS)


# -- new terms ------------------------------------------------------------------------------------------------
def _earlier(con: Any, docs_a: pd.DataFrame, docs_b: pd.DataFrame, include_duplicates: bool
             ) -> tuple[pd.DataFrame, str | None]:
    """The first version plus every document dated in a year before the second version's first year."""
    years = docs_b["year"].dropna()
    if years.empty:
        raise ValueError("第二个版本没有年份，无法使用 all-earlier 基线 / the second version has no year: "
                         "use baseline='previous'")
    first = int(years.min())
    every = select_documents(con, Selection(None, include_duplicates))["doc_id"].tolist()
    cur = con.cursor()
    try:
        cur.register("ids", pd.DataFrame({"doc_id": every}))
        rows = cur.execute("SELECT d.doc_id, d.title, d.year, d.date FROM documents d JOIN ids USING (doc_id) "
                           "ORDER BY d.year NULLS LAST, d.date NULLS LAST, d.doc_id").df()
    finally:
        cur.close()
    b_ids = set(docs_b["doc_id"])
    earlier = rows[(rows["year"] < first) & ~rows["doc_id"].isin(b_ids)]
    base = pd.concat([docs_a, earlier[~earlier["doc_id"].isin(set(docs_a["doc_id"]))]], ignore_index=True)
    unknown = int(rows["year"].isna().sum())
    note = (f"{unknown} 篇文档没有年份，不计入基线 / {unknown} documents have no year and are not in the "
            "all-earlier baseline") if unknown else None
    return base, note


def _joined(texts: list[tuple[str]], simplify: bool) -> str:
    text = "\n".join(r[0] or "" for r in texts)
    if simplify:
        from corpus_tool.reading.convert import to_simplified

        text = to_simplified(text)
    return text


def _new_terms(con: Any, docs_b: pd.DataFrame, base: pd.DataFrame, fields: tuple[str, ...], *, min_chars: int,
               min_count: int, n_contexts: int, width: int, simplify: bool = False
               ) -> tuple[pd.DataFrame, dict[str, int]]:
    tf = TokenFilter(min_chars=min_chars, fields=fields)
    with TokenView(con, docs_b.assign(grp="B"), tf) as vb:
        counts_b = vb.doc_term_counts()
    with TokenView(con, base.assign(grp="base"), tf) as vbase:
        rel, p = vbase.relation(words_only=True)
        base_terms = {r[0] for r in con.execute(f"SELECT DISTINCT token FROM ({rel})", p).fetchall()}
    counts_b = counts_b[counts_b["term"].map(lambda t: bool(_HAN.search(t)) and not _ORDINAL.match(t))]
    per = counts_b.groupby("term").agg(count=("n", "sum"), documents=("doc_id", "nunique")).reset_index()
    cand = per[~per["term"].isin(base_terms) & (per["count"] >= min_count)]
    text = _joined(_texts(con, base, fields), simplify)
    as_string = cand["term"].map(lambda t: t in text)
    new = cand[~as_string].sort_values(["count", "term"], ascending=[False, True], kind="mergesort")
    ctx = contexts(con, docs_b, new["term"].tolist(), n=n_contexts, width=width)
    new = new.assign(contexts=[" | ".join(ctx.get(t, [])) for t in new["term"]]).reset_index(drop=True)
    return new[["term", "count", "documents", "contexts"]], {
        "candidate_terms": len(cand), "terms_in_baseline_text": int(as_string.sum()), "new_terms": len(new)}


def _earlier_years(con: Any, terms: pd.DataFrame, docs_a: pd.DataFrame, docs_b: pd.DataFrame,
                   fields: tuple[str, ...], include_duplicates: bool, simplify: bool = False
                   ) -> tuple[pd.DataFrame, str | None]:
    """``earlier_year``: the first year a selected document dated before the second version holds the term (as a
    string), empty when none does. With the default baseline a term is only new against the first version: a
    word used for decades but absent from last year's report is listed, and this column says so."""
    terms = terms.assign(earlier_year=pd.Series([pd.NA] * len(terms), dtype="Int64"))[TERM_COLUMNS]
    if terms.empty or docs_b["year"].dropna().empty:
        return terms, None
    base, _ = _earlier(con, docs_a, docs_b, include_duplicates)
    first_b = int(docs_b["year"].dropna().min())
    base = base[base["year"].notna() & (base["year"] < first_b)]
    if base.empty:
        return terms, None
    texts = {int(year): _joined(_texts(con, group, fields), simplify)
             for year, group in base.groupby("year", sort=True)}
    found = [next((y for y, text in texts.items() if t in text), None) for t in terms["term"]]
    terms["earlier_year"] = pd.Series(found, dtype="Int64", index=terms.index)
    n = int(terms["earlier_year"].notna().sum())
    note = (f"{n} 个新词在更早年份的文档中已出现（见 earlier_year 列；--baseline all-earlier 可排除）/ {n} of "
            f"{len(terms)} new terms occur in documents of earlier years (column earlier_year): they are new only "
            "against the first version; --baseline all-earlier leaves them out") if n else None
    return terms, note


def _texts(con: Any, docs: pd.DataFrame, fields: tuple[str, ...]) -> list[tuple[str]]:
    cur = con.cursor()
    try:
        cur.register("ids", docs[["doc_id"]].copy())
        return cur.execute("SELECT p.text FROM paragraphs p JOIN ids USING (doc_id) WHERE p.field IN ("
                           + ", ".join("?" for _ in fields) + ") ORDER BY p.doc_id, p.para_no",
                           list(fields)).fetchall()
    finally:
        cur.close()
