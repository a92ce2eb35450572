"""Policy strength (政策力度/效力): a score per document from its issuer's level and its form (文种).

The scale is an editable YAML file (default ``corpus_tool/analyse/data/policy_strength.yaml``; see its header
for the sources and what is unverified). For each document:

* **Issuers** are the stored ``documents.issuer`` split at 、. A name without any Han character (an English
  manifest value) is not matched against the Chinese patterns: the Chinese issuer the tool read from the
  text itself (the 落款 or title, kept in ``metadata_conflicts`` when the manifest overrode it) is used
  instead; failing that, the manifest's own English value (``documents.fields``, split at commas) is
  matched against the scale's ``english`` patterns. ``issuer_source`` says which.
* **Form**: ``documents.doc_type`` (or, when ingest found none, the stored Chinese title read by ingest's own
  rules); for a document that 印发/转发/批转 another (``relations``) the
  attachment's form is scored (``form="attachment"``, the default) and both are kept; with no doc_type and
  an English title, the scale's ``english_forms`` read it from the title's head (``type_source`` says so).
* **Joint issuers**: every issuer is scored with the same form and the scores combined by ``joint``
  (``highest`` default, ``sum`` or ``mean``); ``n_issuers`` is a column. A document with any issuer the
  scale does not recognise is not scored.

A document without a recognised issuer, a form, or a scale rule for its (level, form) goes to the
``unscored`` table with the reason — it is never scored 0 — so ``scored ∪ unscored`` is every selected document.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import DOCUMENT, Selection, ensure_by, group_column_name, group_order
from corpus_tool.reading.metadata import split_issuers
from corpus_tool.store.db import CorpusDB

DEFAULT_SCALE = "policy_strength.yaml"
JOINT_RULES = ("highest", "sum", "mean")
FORM_RULES = ("attachment", "own")
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
SCORE_COLUMNS = ["doc_id", "title", "year", "date", "issuer", "issuers_scored", "issuer_source", "n_issuers",
                 "issuer_levels", "issuer_scores", "doc_type", "relation", "attachment_type", "scored_type",
                 "type_source", "strength", "joint", "rule"]
UNSCORED_COLUMNS = ["doc_id", "title", "year", "date", "issuer", "issuer_source", "doc_type", "type_source",
                    "reason"]
AGG_COLUMNS = ["documents", "scored", "unscored", "strength_sum", "strength_mean"]
# English title words that introduce the issued or forwarded document ("Notice … on Issuing X").
_EN_RELATION_RE = re.compile(r"\bon (Issuing|Printing and Distributing|Distributing|Forwarding|Transmitting)\b\s*(.*)",
                             re.IGNORECASE)
_EN_HEAD_RE = re.compile(r"\s(?:on|for|of|regarding|concerning|about|to|in)\s")


class ScaleError(ValueError):
    """A strength scale that cannot be read, with the reason."""


@dataclass(frozen=True)
class Level:
    level: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    english: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Rule:
    levels: tuple[str, ...]
    forms: tuple[str, ...]
    score: float
    note: str

    def matches(self, level: str, form: str) -> bool:
        return ("*" in self.levels or level in self.levels) and ("*" in self.forms or form in self.forms)


@dataclass(frozen=True)
class Scale:
    """The issuer levels, the English form words and the score rules of a strength scale file."""

    name: str
    levels: tuple[Level, ...]
    english_forms: tuple[tuple[str, str], ...]
    rules: tuple[Rule, ...]
    source: str
    sha256: str

    def level_of(self, name: str, english: bool) -> str | None:
        for lv in self.levels:
            if any(p.search(name) for p in (lv.english if english else lv.patterns)):
                return lv.level
        return None

    def score(self, level: str, form: str) -> Rule | None:
        return next((r for r in self.rules if r.matches(level, form)), None)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "sha256": self.sha256, "levels": len(self.levels),
                "rules": len(self.rules),
                "scores": sorted({r.score for r in self.rules})}


def default_scale_path() -> Path:
    return Path(str(resources.files("corpus_tool.analyse.data").joinpath(DEFAULT_SCALE)))


def load_scale(path: str | Path | None = None) -> Scale:
    """Read a strength scale (YAML); raise :class:`ScaleError` naming what is wrong."""
    import yaml

    path = Path(path) if path is not None else default_scale_path()
    if not path.is_file():
        raise ScaleError(f"力度量表文件不存在 / strength scale not found: {path}")
    data = path.read_bytes()
    try:
        doc = yaml.safe_load(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ScaleError(f"无法读取力度量表 / cannot read the strength scale {path}: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("issuer_levels"), list) or not isinstance(
            doc.get("scores"), list):
        raise ScaleError(f"{path}: a strength scale needs the lists issuer_levels and scores (需要 issuer_levels 与 "
                         "scores 两个列表)")

    def compile_all(items: Any, where: str, flags: int = 0) -> tuple[re.Pattern[str], ...]:
        try:
            return tuple(re.compile(str(p), flags) for p in (items or []))
        except re.error as exc:
            raise ScaleError(f"{path}: bad pattern in {where}: {exc} (正则表达式有误)") from exc

    levels = []
    for i, item in enumerate(doc["issuer_levels"], 1):
        if not isinstance(item, dict) or "level" not in item:
            raise ScaleError(f"{path}: issuer_levels[{i}] needs a 'level' key")
        name = str(item["level"])
        levels.append(Level(name, str(item.get("label") or name), compile_all(item.get("patterns"), name),
                            compile_all(item.get("english"), name, re.IGNORECASE)))
    known = {lv.level for lv in levels}
    rules = []
    for i, item in enumerate(doc["scores"], 1):
        if not isinstance(item, dict) or "score" not in item:
            raise ScaleError(f"{path}: scores[{i}] needs a 'score' key")
        lvs = tuple(str(v) for v in item.get("levels") or ["*"])
        unknown = [v for v in lvs if v != "*" and v not in known]
        if unknown:
            raise ScaleError(f"{path}: scores[{i}] names unknown levels {unknown} (未定义的级别)")
        try:
            score = float(item["score"])
        except (TypeError, ValueError) as exc:
            raise ScaleError(f"{path}: scores[{i}].score must be a number") from exc
        rules.append(Rule(lvs, tuple(str(v) for v in item.get("forms") or ["*"]), score, str(item.get("note") or "")))
    forms = doc.get("english_forms") or {}
    if not isinstance(forms, dict):
        raise ScaleError(f"{path}: english_forms must be a mapping of English words to 文种")
    return Scale(str(doc.get("name") or path.stem), tuple(levels), tuple((str(k), str(v)) for k, v in forms.items()),
                 tuple(rules), str(path), hashlib.sha256(data).hexdigest())


# -- reading a form from an English title ---------------------------------------------------------------------
def english_form(title: str, scale: Scale) -> tuple[str | None, str | None, str | None]:
    """(own form, relation, attachment form) read from an English title, e.g. ``Notice … on Issuing X Plan``."""
    text = re.sub(r"\s*\[[^\]]*\]\s*$", "", title).strip()
    relation = attachment = None
    m = _EN_RELATION_RE.search(text)
    if m:
        relation = "转发" if m.group(1).lower() in ("forwarding", "transmitting") else "印发"
        attachment = _form_in_head(m.group(2), scale)
        text = text[:m.start()]
    return _form_in_head(text, scale), relation, attachment


def _form_in_head(text: str, scale: Scale) -> str | None:
    """The form word that comes first in the title's head (before " on ", " for " …); longest on a tie."""
    head = _EN_HEAD_RE.split(" " + text.strip() + " ", maxsplit=1)[0]
    best: tuple[int, int, str] | None = None
    for word, form in scale.english_forms:
        m = re.search(r"\b" + re.escape(word) + r"\b", head)
        if m and (best is None or (m.start(), -len(word)) < (best[0], best[1])):
            best = (m.start(), -len(word), form)
    return best[2] if best else None


# -- the analysis ------------------------------------------------------------------------------------------------
def strength(
    db: str | Path | CorpusDB,
    *,
    scale: str | Path | Scale | None = None,
    joint: str = "highest",
    form: str = "attachment",
    by: str | None = "year",
    dictionary: Any = None,
    where: str | None = None,
    include_duplicates: bool = False,
) -> AnalysisResult:
    """Strength per document (``table``), the documents not scored with the reason (``tables["unscored"]``) and
    count, sum and mean per ``by`` group (``tables["by_<by>"]``, unscored documents counted apart); with a coding
    ``dictionary`` (a path or :class:`~corpus_tool.analyse.coding.Dictionary`), ``tables["by_code"]``: code ×
    strength."""
    if joint not in JOINT_RULES:
        raise ValueError(f"joint must be one of {', '.join(JOINT_RULES)}, not {joint!r}")
    if form not in FORM_RULES:
        raise ValueError(f"form must be one of {', '.join(FORM_RULES)}, not {form!r}")
    sc = scale if isinstance(scale, Scale) else load_scale(scale)
    by = ensure_by(by)
    selection = Selection(where, include_duplicates, by)
    with analysis_context(db, selection, need_tokens=False) as ctx:
        docs = read_document_metadata(ctx.store, ctx.docs["doc_id"].tolist())
        rows = [score_document(d, sc, joint, form) for d in docs]
        scored = pd.DataFrame([r for r in rows if "reason" not in r], columns=SCORE_COLUMNS)
        unscored = pd.DataFrame([r for r in rows if "reason" in r], columns=UNSCORED_COLUMNS)
        for t in (scored, unscored):
            t["year"] = pd.to_numeric(t["year"], errors="coerce").astype("Int64")
        scored["n_issuers"] = scored["n_issuers"].astype("int64")
        scored["strength"] = scored["strength"].astype("float64")
        tables = {"unscored": unscored}
        col = group_column_name(by)
        if col is not None and col != "doc_id":
            tables[f"by_{col}"] = aggregate(scored, unscored, ctx.docs, col)
        params = {"scale": sc.to_dict(), "joint": joint, "form": form, "by": by, **selection.to_dict(),
                  "scored": len(scored), "unscored": len(unscored),
                  "sources": {"issuer_from_text": int(scored["issuer_source"].str.contains("manifest value in English",
                                                                                          regex=False).sum()),
                              "issuer_english": int(scored["issuer_source"].str.endswith("(English)").sum()),
                              "form_from_english_title": int(scored["type_source"].str.startswith("English title")
                                                             .sum())}}
        if dictionary is not None:
            tables["by_code"], params["dictionary"] = strength_by_code(scored, ctx.store, dictionary, where,
                                                                       include_duplicates)
        warnings = list(ctx.warnings)
        if len(unscored):
            reasons = unscored["reason"].str.split(";").str[0].str.split(":").str[0].value_counts()
            listed = "; ".join(f"{k} ×{v}" for k, v in sorted(reasons.items()))
            warnings.append(f"{len(unscored)} 篇文档未评分（见 unscored 表）/ {len(unscored)} of {len(rows)} documents "
                            f"not scored, listed with the reason in the unscored table: {listed}")
        return AnalysisResult("strength", scored.reset_index(drop=True), params, ctx.corpus, ctx.segmentation,
                              tables=tables, warnings=warnings)


def read_document_metadata(store: CorpusDB, doc_ids: list[str]) -> list[dict[str, Any]]:
    """Per document: the stored metadata, the manifest's raw issuer, the text's issuer and the relation."""
    con = store.con.cursor()
    try:
        con.register("strength_ids", pd.DataFrame({"doc_id": pd.Series(doc_ids, dtype=object)}))
        docs = con.execute(
            "SELECT d.doc_id, d.title, d.year, d.date, d.issuer, d.doc_type, d.sources, "
            "json_extract_string(d.fields, '$.issuer') AS manifest_issuer FROM documents d "
            "JOIN strength_ids USING (doc_id) ORDER BY d.doc_id").df()
        text_issuer = con.execute(
            "SELECT m.doc_id, m.text_value, m.text_source FROM metadata_conflicts m JOIN strength_ids USING (doc_id) "
            "WHERE m.field = 'issuer' ORDER BY m.doc_id, m.text_source, m.text_value").fetchall()
        rel = con.execute(
            "SELECT r.doc_id, r.relation, r.doc_type, r.title FROM relations r JOIN strength_ids USING (doc_id) "
            "ORDER BY r.doc_id, r.relation, r.title").fetchall()
    finally:
        con.close()
    texts: dict[str, tuple[str, str]] = {}
    for doc_id, value, source in text_issuer:
        texts.setdefault(doc_id, (value, source))
    relations: dict[str, tuple[str, str | None]] = {}
    for doc_id, relation, doc_type, _ in rel:
        relations.setdefault(doc_id, (relation, doc_type))
    out = []
    for r in docs.to_dict("records"):
        r = {k: (None if _missing(v) else v) for k, v in r.items()}
        sources = json.loads(r["sources"]) if isinstance(r["sources"], str) else (r["sources"] or {})
        r["issuer_source"] = sources.get("issuer")
        r["doc_type_source"] = sources.get("doc_type")
        r["text_issuer"] = texts.get(r["doc_id"])
        r["relation"] = relations.get(r["doc_id"])
        out.append(r)
    return out


def _missing(v: Any) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _issuers(d: dict[str, Any]) -> tuple[list[str], bool, str | None]:
    """(issuer names, whether they are English, where they came from)."""
    stored = (d.get("issuer") or "").strip()
    if stored and HAN_RE.search(stored):
        return split_issuers(stored), False, d.get("issuer_source") or "documents"
    if d.get("text_issuer") and HAN_RE.search(d["text_issuer"][0]):
        value, source = d["text_issuer"]
        why = "manifest value in English" if stored else "no stored issuer"
        return split_issuers(value), False, f"{source} ({why})"
    raw = (d.get("manifest_issuer") or stored).strip()
    if not raw:
        return [], False, None
    raw = re.sub(r"\s*\[[^\]]*\]\s*$", "", raw)  # a trailing tag such as "[English]"
    parts = [p.strip() for p in re.split(r"[,;，；]", raw) if p.strip()]
    return parts, True, f"{d.get('issuer_source') or 'manifest'} (English)"


def score_document(d: dict[str, Any], scale: Scale, joint: str, form_rule: str) -> dict[str, Any]:
    """A row of the score table, or of the unscored table (with ``reason``)."""
    names, english, issuer_source = _issuers(d)
    own_type, type_source = d.get("doc_type"), ("documents.doc_type" + (
        f" ({d['doc_type_source']})" if d.get("doc_type_source") else "")) if d.get("doc_type") else None
    relation, attachment = d["relation"] if d.get("relation") else (None, None)
    relation_source = "relations" if relation else None
    title = d.get("title") or ""
    if HAN_RE.search(title):
        # Ingest reads the form and the 印发/转发 relation from the title it finds in the text; a manifest's clean
        # Chinese title (the text gave none) is read here by the same rules. The relation is read even when the
        # form is known (ingest may take 通知 from the manifest title and store no relation), so that a notice
        # issuing a plan is not scored as a bare 通知.
        from corpus_tool.reading.metadata import doc_type_of, relation_from_title

        if own_type is None:
            own_type = doc_type_of(title)
            type_source = "stored title" if own_type else None
        found = relation_from_title(title, None) if relation is None else None
        if found is not None:
            relation, attachment, relation_source = found.relation, found.doc_type, "stored title"
    if own_type is None and title and not HAN_RE.search(title):
        own_type, en_relation, en_attachment = english_form(title, scale)
        if own_type or en_attachment:
            type_source = "English title"
            if relation is None and en_relation:
                relation, attachment, relation_source = en_relation, en_attachment, "English title"
    scored_type = attachment if (form_rule == "attachment" and attachment) else own_type
    if relation and attachment and form_rule == "attachment":
        type_source = f"{type_source}; attachment form from {relation_source}" if type_source != relation_source \
            else f"{type_source} (attachment)"
    base = {"doc_id": d["doc_id"], "title": d.get("title"), "year": d.get("year"), "date": d.get("date"),
            "issuer": d.get("issuer"), "issuer_source": issuer_source, "doc_type": own_type, "type_source": type_source}
    reasons = []
    levels = []
    if not names:
        reasons.append("no issuer: 发文机关未读出")
    for name in names:
        level = scale.level_of(name, english)
        if level is None:
            reasons.append(f"issuer not in the scale: 量表未识别发文机关 {name!r}")
        levels.append(level)
    if relation and form_rule == "attachment" and not attachment:
        reasons.append(f"attached document's form not read: {relation}的文件文种未读出 (--form own scores the notice)")
    elif not scored_type:
        en = " (English title)" if title and not HAN_RE.search(title) else ""
        reasons.append("no document type: 文种未读出" + en)
    rules = []
    if not reasons:
        for level in levels:
            rule = scale.score(level, scored_type)  # type: ignore[arg-type]
            if rule is None:
                reasons.append(f"no scale rule: 量表无 {level} × {scored_type} 的分值")
            rules.append(rule)
    if reasons:
        return {**base, "reason": "; ".join(dict.fromkeys(reasons))}
    scores = [r.score for r in rules]  # type: ignore[union-attr]
    value = max(scores) if joint == "highest" else sum(scores) if joint == "sum" else sum(scores) / len(scores)
    top = rules[scores.index(max(scores))]
    return {**base, "issuers_scored": "、".join(names), "n_issuers": len(names), "issuer_levels": "、".join(levels),
            "issuer_scores": "、".join(f"{s:g}" for s in scores), "relation": relation, "attachment_type": attachment,
            "scored_type": scored_type, "strength": float(value), "joint": joint,
            "rule": top.note if top else None}


def aggregate(scored: pd.DataFrame, unscored: pd.DataFrame, docs: pd.DataFrame, col: str) -> pd.DataFrame:
    """Per group: documents, scored and unscored counts, the sum and mean of strength over scored documents."""
    grp = docs.set_index("doc_id")["grp"]
    s = scored.assign(grp=scored["doc_id"].map(grp))
    agg = s.groupby("grp")["strength"].agg(["size", "sum", "mean"])
    n_docs = docs.groupby("grp")["doc_id"].size()
    n_un = unscored.assign(grp=unscored["doc_id"].map(grp)).groupby("grp").size()
    groups = group_order(docs)
    first = docs.drop_duplicates("grp").set_index("grp")["group"]
    out = pd.DataFrame({
        col: pd.Series([first[g] for g in groups], dtype=docs["group"].dtype),
        "documents": [int(n_docs.get(g, 0)) for g in groups],
        "scored": [int(agg["size"].get(g, 0)) for g in groups],
        "unscored": [int(n_un.get(g, 0)) for g in groups],
        "strength_sum": [float(agg["sum"].get(g, 0.0)) for g in groups],
        "strength_mean": [float(agg["mean"].get(g)) if g in agg.index else float("nan") for g in groups],
    })
    return out[[col, *AGG_COLUMNS]]


def strength_by_code(scored: pd.DataFrame, store: CorpusDB, dictionary: Any, where: str | None,
                     include_duplicates: bool) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Instrument × strength: per code and strength value, the scored documents that use the code and its matches
    (dictionary coding on the text, as ``corpus-tool code``); and the dictionary's description."""
    from corpus_tool.analyse.coding import code_corpus

    coded = code_corpus(store, dictionary, by=DOCUMENT, where=where, include_duplicates=include_duplicates)
    ev = coded.tables["evidence"].merge(scored[["doc_id", "strength"]], on="doc_id", how="inner")
    codes = coded.table.drop_duplicates("code")[["category", "code", "label"]]
    values = sorted(scored["strength"].unique().tolist())
    grid = pd.MultiIndex.from_product([codes["code"], values], names=["code", "strength"]).to_frame(index=False)
    agg = ev.groupby(["code", "strength"]).agg(documents=("doc_id", "nunique"), matches=("doc_id", "size"))
    out = grid.merge(agg.reset_index(), on=["code", "strength"], how="left").merge(codes, on="code", how="left")
    out[["documents", "matches"]] = out[["documents", "matches"]].fillna(0).astype("int64")
    return (out[["category", "code", "label", "strength", "documents", "matches"]].reset_index(drop=True),
            coded.params["dictionary"])
