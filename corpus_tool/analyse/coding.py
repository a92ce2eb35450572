"""Dictionary coding: count a codebook's terms and patterns in the text, with every match as evidence.

Entries match on the stored text itself, never on tokens, so segmentation can never split a
dictionary term (the failure of token-based lookups such as quanteda's ``tokens_lookup`` with
Chinese values). Within one code the alternatives are tried longest term first, so 税收优惠
is one match, not also 税收; a span may carry several codes. ``exclude`` entries veto matches
that overlap them (保险 but not 养老保险). Counts are computed from the evidence rows, so every
counted match is in the evidence file.

Dictionary files are YAML or CSV:

* YAML: ``codes:`` a list of ``{code, category, label, terms, patterns, exclude}``, or a mapping
  ``code: [terms]`` / ``code: {terms, patterns, exclude, category, label}``.
* CSV (UTF-8, BOM allowed): columns ``code`` and ``term``, optional ``category``, ``label`` and
  ``type`` (``term`` | ``pattern`` | ``exclude``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import (
    DOCUMENT,
    TEXT_FIELDS,
    Selection,
    add_citation,
    ensure_by,
    group_column_name,
    group_order,
    iter_unit_batches,
)
from corpus_tool.store.db import CorpusDB

STARTER_DICTIONARY = "policy_instruments.yaml"
COUNT_COLUMNS = ["category", "code", "label", "matches", "documents", "per_10k_chars"]
# Each evidence row carries the document's title, year, date and issuer, so that it can be cited without a join.
EVIDENCE_COLUMNS = ["doc_id", "title", "year", "date", "issuer", "para_no", "field", "category", "code", "entry",
                    "match", "start", "end", "left", "right"]
_MATCH_COLUMNS = [c for c in EVIDENCE_COLUMNS if c not in ("title", "year", "date", "issuer")]


class DictionaryError(ValueError):
    """A dictionary file that cannot be read, with the reason."""


@dataclass(frozen=True)
class Code:
    """One code of a dictionary: literal terms, regular expressions and exclusions."""

    code: str
    category: str = ""
    label: str = ""
    terms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # regular expressions; a match overlapping one is dropped

    def entries(self) -> list[tuple[str, str]]:
        """(kind, entry) in matching order: terms longest first, then patterns."""
        terms = sorted(set(self.terms), key=lambda t: (-len(t), t))
        return [("term", t) for t in terms] + [("pattern", p) for p in self.patterns]


@dataclass(frozen=True)
class Dictionary:
    """A coding dictionary and where it came from."""

    name: str
    codes: tuple[Code, ...]
    source: str = ""
    sha256: str = ""
    meta: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "sha256": self.sha256, "codes": len(self.codes),
                "entries": sum(len(c.terms) + len(c.patterns) for c in self.codes)}


def starter_dictionary_path() -> Path:
    """The shipped policy-instrument dictionary (a starting point: validate before use)."""
    return Path(str(resources.files("corpus_tool.analyse.data").joinpath(STARTER_DICTIONARY)))


def load_dictionary(path: str | Path) -> Dictionary:
    """Read a YAML or CSV dictionary; raise :class:`DictionaryError` with the reason."""
    path = Path(path)
    if not path.is_file():
        raise DictionaryError(f"词典文件不存在 / dictionary file not found: {path}")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DictionaryError(f"词典须为 UTF-8 编码 / dictionary must be UTF-8: {path}: {exc}") from exc
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        name, codes, meta = _from_yaml(text, path)
    elif suffix == ".csv":
        name, codes, meta = path.stem, _from_csv(text, path), ()
    else:
        raise DictionaryError(f"词典格式须为 .yaml 或 .csv / dictionary must be .yaml or .csv: {path}")
    if not codes:
        raise DictionaryError(f"词典没有任何编码 / the dictionary defines no codes: {path}")
    for code in codes:
        _compile(code)  # fail early on a bad pattern, naming the code
    return Dictionary(name, tuple(codes), str(path), digest, meta)


def _as_list(value: Any, what: str, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return tuple(str(v) for v in value if str(v).strip())
    raise DictionaryError(f"{path}: {what} must be a list of strings (应为字符串列表)")


def _from_yaml(text: str, path: Path) -> tuple[str, list[Code], tuple[tuple[str, str], ...]]:
    import yaml

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DictionaryError(f"YAML 格式错误 / invalid YAML in {path}: {exc}") from exc
    if not isinstance(doc, dict):
        raise DictionaryError(f"{path}: expected a mapping at the top level (顶层应为映射)")
    raw = doc.get("codes", doc)
    meta = tuple((str(k), str(v)) for k, v in doc.items() if k != "codes" and isinstance(v, (str, int, float)))
    items: list[tuple[str, Any]]
    if isinstance(raw, list):
        items = []
        for i, entry in enumerate(raw, 1):
            if not isinstance(entry, dict) or "code" not in entry:
                raise DictionaryError(f"{path}: codes[{i}] needs a 'code' key (缺少 code)")
            items.append((str(entry["code"]), entry))
    elif isinstance(raw, dict):
        items = [(str(k), v) for k, v in raw.items()]
    else:
        raise DictionaryError(f"{path}: 'codes' must be a list or a mapping")
    codes = []
    seen: set[str] = set()
    for name, body in items:
        if name in seen:
            raise DictionaryError(f"{path}: code {name!r} is defined twice (编码重复)")
        seen.add(name)
        if isinstance(body, (list, str)):
            codes.append(Code(name, terms=_as_list(body, f"code {name!r}", path)))
            continue
        if not isinstance(body, dict):
            raise DictionaryError(f"{path}: code {name!r} must be a list of terms or a mapping")
        unknown = set(body) - {"code", "category", "label", "terms", "patterns", "exclude", "note", "notes"}
        if unknown:
            raise DictionaryError(f"{path}: code {name!r} has unknown keys {sorted(unknown)} (未知键)")
        codes.append(Code(
            name, str(body.get("category") or ""), str(body.get("label") or ""),
            _as_list(body.get("terms"), f"{name}.terms", path),
            _as_list(body.get("patterns"), f"{name}.patterns", path),
            _as_list(body.get("exclude"), f"{name}.exclude", path),
        ))
    name = str(doc.get("name") or path.stem) if isinstance(raw, list) or "codes" in doc else path.stem
    return name, codes, meta


def _from_csv(text: str, path: Path) -> list[Code]:
    reader = csv.DictReader(io.StringIO(text))
    cols = {c.strip().lower() for c in reader.fieldnames or []}
    if not {"code", "term"} <= cols:
        raise DictionaryError(f"{path}: a CSV dictionary needs the columns code and term (需要 code 与 term 列)")
    acc: dict[str, dict[str, Any]] = {}
    for lineno, row in enumerate(reader, 2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row.get("code") or not row.get("term"):
            continue
        kind = row.get("type", "") or "term"
        if kind not in ("term", "pattern", "exclude"):
            raise DictionaryError(f"{path}:{lineno}: type must be term, pattern or exclude, not {kind!r}")
        c = acc.setdefault(row["code"], {"category": row.get("category", ""), "label": row.get("label", ""),
                                         "term": [], "pattern": [], "exclude": []})
        c[kind].append(row["term"])
    return [Code(k, v["category"], v["label"], tuple(v["term"]), tuple(v["pattern"]), tuple(v["exclude"]))
            for k, v in acc.items()]


def _compile(code: Code) -> tuple[re.Pattern[str] | None, list[str], re.Pattern[str] | None]:
    """One alternation per code (group _eN per entry), the entries, and the exclusion pattern."""
    entries = code.entries()
    parts = []
    for i, (kind, entry) in enumerate(entries):
        body = re.escape(entry) if kind == "term" else entry
        parts.append(f"(?P<_e{i}>{body})")
    try:
        pattern = re.compile("|".join(parts)) if parts else None
        exclude = re.compile("|".join(f"(?:{p})" for p in code.exclude)) if code.exclude else None
    except re.error as exc:
        raise DictionaryError(f"编码 {code.code} 的正则表达式有误 / bad pattern in code {code.code!r}: {exc}") from exc
    return pattern, [e for _, e in entries], exclude


def match_text(text: str, compiled: list[tuple[Code, re.Pattern[str] | None, list[str], re.Pattern[str] | None]]
               ) -> Iterator[tuple[Code, str, int, int]]:
    """Every (code, entry, start, end) in ``text``."""
    for code, pattern, entries, exclude in compiled:
        if pattern is None:
            continue
        vetoes = [(m.start(), m.end()) for m in exclude.finditer(text)] if exclude else []
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            if any(s < m.end() and m.start() < e for s, e in vetoes):
                continue
            index = next(i for i in range(len(entries)) if m.group(f"_e{i}") is not None)
            yield code, entries[index], m.start(), m.end()


def code_corpus(
    db: str | Path | CorpusDB,
    dictionary: Dictionary | str | Path,
    *,
    by: str | None = DOCUMENT,
    window: int = 30,
    fields: tuple[str, ...] = (),
    where: str | None = None,
    include_duplicates: bool = False,
    drop_missing: bool = False,
) -> AnalysisResult:
    """Code every selected document; ``table`` holds counts per group × code (zeros included),
    ``tables["evidence"]`` every match with ``window`` characters of context."""
    if not isinstance(dictionary, Dictionary):
        dictionary = load_dictionary(dictionary)
    bad = [f for f in fields if f not in TEXT_FIELDS]
    if bad:
        raise ValueError(f"unknown text field(s) {bad}; choose from {', '.join(TEXT_FIELDS)}")
    by = ensure_by(by)
    selection = Selection(where, include_duplicates, by, "drop" if drop_missing else "group")
    params = {"dictionary": dictionary.to_dict(), "by": by, "window": window,
              "fields": list(fields) or list(TEXT_FIELDS), **selection.to_dict()}
    compiled = [(c, *_compile(c)) for c in dictionary.codes]
    with analysis_context(db, selection, need_tokens=False) as ctx:
        evidence, chars = _scan(ctx.store, ctx.docs, compiled, window, fields)
        counts = count_table(evidence, chars, ctx.docs, dictionary, by)
        col = group_column_name(by)
        if col is not None and col not in evidence.columns:
            # The group each match is counted in (a manifest field, doc_type ...), beside the citation columns.
            groups = ctx.docs.drop_duplicates("doc_id").set_index("doc_id")["group"]
            evidence.insert(EVIDENCE_COLUMNS.index("issuer") + 1, col, evidence["doc_id"].map(groups))
        warnings = list(ctx.warnings)
        if evidence.empty:
            warnings.append(
                f"没有任何命中：词典“{dictionary.name}”的 {len(dictionary.codes)} 个编码在 {len(ctx.docs)} "
                "篇文档中均未出现 / "
                f"0 matches: no entry of the {len(dictionary.codes)} codes of {dictionary.name!r} occurs in the "
                f"{len(ctx.docs)} selected documents (text fields {', '.join(fields) or 'all'}); check the "
                "dictionary's terms against the texts (traditional script 繁体? --fields?)"
            )
        params["matches"] = len(evidence)
        params["characters"] = int(chars.sum())  # the denominator of per_10k_chars, over every selected document
        return AnalysisResult("coding", counts, params, ctx.corpus, ctx.segmentation, tables={"evidence": evidence},
                              warnings=warnings)


def _scan(store: CorpusDB, docs: pd.DataFrame, compiled: list, window: int,
          fields: tuple[str, ...]) -> tuple[pd.DataFrame, pd.Series]:
    rows: list[tuple] = []
    chars: dict[str, int] = {}
    for batch in iter_unit_batches(store.con, docs, fields, ("field", "text")):
        for doc_id, para_no, field, text in batch:
            text = text or ""
            chars[doc_id] = chars.get(doc_id, 0) + len(text)
            for code, entry, start, end in match_text(text, compiled):
                rows.append((doc_id, para_no, field, code.category, code.code, entry, text[start:end], start, end,
                             text[max(0, start - window):start], text[end:end + window]))
    evidence = pd.DataFrame(rows, columns=_MATCH_COLUMNS)
    order = {c.code: i for i, c in enumerate(d[0] for d in compiled)}
    evidence = evidence.assign(_c=evidence["code"].map(order)).sort_values(
        ["doc_id", "para_no", "start", "_c", "end"], kind="mergesort").drop(columns="_c").reset_index(drop=True)
    evidence = add_citation(evidence, store.con)[EVIDENCE_COLUMNS]
    return evidence, pd.Series(chars, dtype="int64")


def count_table(evidence: pd.DataFrame, chars: pd.Series, docs: pd.DataFrame, dictionary: Dictionary,
                by: str) -> pd.DataFrame:
    """Matches per group × code from the evidence rows, with zeros for codes a group never uses."""
    groups = group_order(docs)
    codes = pd.DataFrame([(c.category, c.code, c.label) for c in dictionary.codes],
                         columns=["category", "code", "label"])
    grid = pd.MultiIndex.from_product([groups, codes["code"]], names=["grp", "code"]).to_frame(index=False)
    doc_grp = docs.set_index("doc_id")["grp"]
    ev = evidence.assign(grp=evidence["doc_id"].map(doc_grp))
    agg = ev.groupby(["grp", "code"], sort=False).agg(matches=("doc_id", "size"), documents=("doc_id", "nunique"))
    table = grid.merge(agg.reset_index(), on=["grp", "code"], how="left").merge(codes, on="code", how="left")
    table[["matches", "documents"]] = table[["matches", "documents"]].fillna(0).astype("int64")
    group_chars = chars.reindex(docs["doc_id"]).fillna(0).groupby(docs["grp"].to_numpy()).sum()
    table["per_10k_chars"] = table["matches"] / table["grp"].map(group_chars).where(lambda s: s > 0) * 10_000
    col = group_column_name(by)
    lead: list[str] = []
    if col is not None:
        first = docs.drop_duplicates("grp").set_index("grp")
        table[col] = table["grp"].map(first["group"]).astype(docs["group"].dtype)
        lead.append(col)
        if col == "doc_id":
            table["title"] = table["grp"].map(first["title"])
            lead.append("title")
    return table[lead + COUNT_COLUMNS].reset_index(drop=True)
