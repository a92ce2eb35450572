"""Fit topics on the stored tokens and write every table: the entry point of the CLI and the Python API.

``fit_topics`` returns a :class:`TopicsResult` of DataFrames (nothing written); ``write_topics`` writes
them to a folder, each table with its ``.run.json``, plus the pyLDAvis page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corpus_tool.analyse.topics import coherence
from corpus_tool.analyse.topics.models import DEFAULT_MODEL, MODELS, TopicModel
from corpus_tool.analyse.topics.outputs import (
    TOPIC_ZH_HEADERS,
    doc_topics_table,
    ldavis_html,
    representative_rows,
    safe_name,
    topic_labels_table,
    topic_terms_table,
)
from corpus_tool.analyse.topics.prevalence import DEFAULT_BOOT, topic_prevalence
from corpus_tool.analyse.topics.sweep import (
    FitData,
    FitSummary,
    FitTask,
    fit_model,
    measure,
    recommend_k,
    run_fits,
    sweep_tables,
    sweep_tasks,
)
from corpus_tool.analyse.topics.units import TopicUnits, TopicUnitsError, UnitSettings, build_units
from corpus_tool.analyse.units import MISSING_GROUP, Grouping, Selection, open_store, select_groups
from corpus_tool.store.db import CorpusDB

EXCERPT_CHARS = 500  # document units: how much of the document the representative table shows
XLSX_MAX_ROWS = 1_048_576  # one sheet, header row included


@dataclass(frozen=True)
class TopicSettings:
    """How topics are fitted and summarised. Part of every run record.

    ``k``: one or several numbers of topics (several: a sweep, and the outputs use the recommended k).
    ``seeds``: fits per k, with random states ``seed, seed+1, ...``; the outputs use the first.
    ``resample``: size of each bootstrap draw of documents (per seed, with replacement) as a share of the
    documents, for the bootstrap-stability refits (1: the classic bootstrap); None: no refits.
    ``lam``: λ of the relevance ranking of terms. ``by``: document fields for ``topic_by_<field>``.
    """

    model: str = DEFAULT_MODEL
    k: tuple[int, ...] = (10,)
    seeds: int = 3
    seed: int = 1
    resample: float | None = 1.0
    lam: float = coherence.DEFAULT_LAMBDA
    n_terms: int = 20
    n_representative: int = 5
    by: tuple[str, ...] = ("year",)
    n_boot: int = DEFAULT_BOOT
    c_v: bool = True
    model_params: tuple[tuple[str, Any], ...] = ()
    drop_missing: bool = False  # topic_by_<field>: leave out documents with an empty field (default: own group)

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"未知模型 / unknown model {self.model!r}; choose from {', '.join(MODELS)}")
        if not self.k or min(self.k) < 2:
            raise ValueError("主题数至少为 2 / k must be at least 2")
        if self.seeds < 1:
            raise ValueError("seeds must be at least 1")
        if self.resample is not None and not 0 < self.resample <= 1:
            raise ValueError("resample is the size of a bootstrap draw as a share of the documents, in (0, 1]")
        if not 0 <= self.lam <= 1:
            raise ValueError("λ (lam) must be between 0 and 1")

    @property
    def seed_list(self) -> list[int]:
        return [self.seed + i for i in range(self.seeds)]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["k"] = list(self.k)
        d["by"] = list(self.by)
        d["model_params"] = dict(self.model_params)
        d["seed_list"] = self.seed_list
        return d


def parse_k(value: int | str | Sequence[int]) -> tuple[int, ...]:
    """``15`` → (15,); ``"5:30:5"`` → (5, 10, ..., 30) (end included); ``"5,10,20"`` or a list → as given."""
    if isinstance(value, int):
        return (value,)
    if not isinstance(value, str):
        return tuple(sorted({int(v) for v in value}))
    text = value.strip().replace("：", ":").replace("，", ",")
    try:
        if ":" in text:
            parts = [int(p) for p in text.split(":")]
            if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] <= 0) or parts[1] < parts[0]:
                raise ValueError
            step = parts[2] if len(parts) == 3 else 1
            return tuple(range(parts[0], parts[1] + 1, step))
        return tuple(sorted({int(p) for p in text.split(",") if p.strip()}))
    except ValueError:
        raise ValueError(f"无法解析主题数 / cannot read k {value!r}: use N, A:B:STEP or A,B,C") from None


@dataclass
class TopicsResult:
    """Everything a topic run produced. Tables (DataFrames):

    ``topic_terms`` (topic, rank, term, weight, relevance), ``doc_topics`` (doc_id, para_no, topic, weight),
    ``topic_labels``, ``representative``, ``prevalence`` (field → ``topic_by_<field>``), ``sweep`` (one row per
    k × seed) and ``sweep_summary`` (one row per k, with ``recommended``). ``k`` is the number of topics of
    the tables, ``reason`` why (the recommended k of a sweep).
    """

    topic_terms: pd.DataFrame
    doc_topics: pd.DataFrame
    topic_labels: pd.DataFrame
    representative: pd.DataFrame
    prevalence: dict[str, pd.DataFrame]
    sweep: pd.DataFrame
    sweep_summary: pd.DataFrame
    k: int
    reason: str
    params: dict[str, Any]
    corpus: dict[str, Any]
    segmentation: dict[str, Any] | None
    units: TopicUnits
    model: TopicModel
    topic_term: np.ndarray  # topics × terms in topic-id order
    doc_topic: np.ndarray  # units × topics in topic-id order
    warnings: list[str] = field(default_factory=list)
    jobs: int = 1  # how the fits were spread; changes no number

    def __getattr__(self, name: str) -> pd.DataFrame:
        # result.topic_by_year etc.
        if name.startswith("topic_by_"):
            prevalence = self.__dict__.get("prevalence", {})
            for f, table in prevalence.items():
                if "topic_by_" + safe_name(f) == name:
                    return table
        raise AttributeError(name)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by its file name (without suffix), in writing order."""
        out = {"topic_terms": self.topic_terms, "topic_labels": self.topic_labels, "doc_topics": self.doc_topics,
               "representative": self.representative}
        for f, table in self.prevalence.items():
            out["topic_by_" + safe_name(f)] = table
        out["sweep"] = self.sweep
        out["sweep_summary"] = self.sweep_summary
        return out

    def ldavis_html(self, title: str | None = None) -> str:
        u = self.units
        title = title or f"主题模型 / topic model: {self.params['model']}, k = {self.k}"
        return ldavis_html(self.topic_term, self.doc_topic, u.lengths, u.vocab, u.term_frequency,
                           lam=self.params["topic_settings"]["lam"], title=title)

    def __repr__(self) -> str:
        return f"<topics: {self.params['model']}, k={self.k}, {self.units.n_units} units>\n" + \
            self.topic_labels[["topic", "label", "share", "npmi"]].to_string(index=False)


def _split_options(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    topic_names = {f.name for f in fields(TopicSettings)}
    unit_names = {f.name for f in fields(UnitSettings)}
    unknown = set(options) - topic_names - unit_names
    if unknown:
        raise TypeError(f"unknown option(s) {sorted(unknown)}; topic options: {sorted(topic_names)}, "
                        f"unit options: {sorted(unit_names)}")
    t = {k: v for k, v in options.items() if k in topic_names}
    u = {k: v for k, v in options.items() if k in unit_names}
    if "k" in t:
        t["k"] = parse_k(t["k"])
    for name in ("by", "fields", "pos"):
        for d in (t, u):
            if name in d and isinstance(d[name], str):
                d[name] = tuple(p.strip() for p in re.split(r"[,，]", d[name]) if p.strip())
            elif name in d and d[name] is not None:
                d[name] = tuple(d[name])
    if "model_params" in t and isinstance(t["model_params"], dict):
        t["model_params"] = tuple(sorted(t["model_params"].items()))
    return t, u


def fit_topics(db: str | Path | CorpusDB, settings: TopicSettings | None = None, units: UnitSettings | None = None,
               *, jobs: int = 1, progress: Callable[[str], None] | None = None, **options: Any) -> TopicsResult:
    """Fit topics on the stored tokens of ``db`` and build every table.

    Options can be given as settings objects or by name, e.g. ``fit_topics(db, k="5:30:5", seeds=3,
    unit="paragraph", by=["year", "issuer"], min_df=5)``. ``jobs`` spreads the fits over processes; the
    result is the same for any ``jobs``.
    """
    t_opts, u_opts = _split_options(options)
    settings = replace(settings or TopicSettings(), **t_opts)
    unit_settings = replace(units or UnitSettings(), **u_opts)
    say = progress or (lambda _msg: None)
    store, owns = open_store(db)
    try:
        say("读取词语 / reading tokens")
        tu = build_units(store, unit_settings)
        # Group documents now: an unknown --by field fails before any fitting.
        groupings = {by: _groups(store, tu, by, settings.drop_missing) for by in settings.by}
        max_k = min(tu.n_units - 1, len(tu.vocab) - 1)
        if max(settings.k) > max_k:
            raise TopicUnitsError(
                f"主题数 {max(settings.k)} 超过可拟合的上限 {max_k}（单元 {tu.n_units}，词 {len(tu.vocab)}）/ "
                f"k={max(settings.k)} is more than {tu.n_units} units and {len(tu.vocab)} terms allow"
            )
        doc_codes = pd.factorize(tu.units["doc_id"], sort=True)[0].astype(np.int64)
        data = FitData(tu.counts, tu.presence(), tu.vocab, tu.texts() if settings.c_v else None, doc_codes)
        params = dict(settings.model_params)
        tasks = sweep_tasks(settings.model, list(settings.k), settings.seed_list, params,
                            resample=settings.resample, lam=settings.lam, c_v=settings.c_v)
        say(f"拟合 {len(tasks)} 个模型 / fitting {len(tasks)} models (jobs={jobs})")
        summaries = run_fits(tasks, data, jobs)
        fits_df, per_k = sweep_tables(summaries)
        k, reason = recommend_k(per_k)
        per_k["recommended"] = per_k["k"] == k
        fits_df["recommended"] = fits_df["k"] == k
        task = FitTask(settings.model, k, settings.seed, tuple(sorted(params.items())), None, settings.lam,
                       settings.c_v)
        say(f"最终模型 / final model: k={k}, seed={settings.seed}")
        model = fit_model(task, tu.counts)
        summary = measure(task, model, tu.counts, data)
        result = _build_result(store, tu, settings, model, summary, k, reason, fits_df, per_k, jobs, groupings)
    finally:
        if owns:
            store.close()
    return result


def order_topics(topic_term: np.ndarray, doc_topic: np.ndarray, lengths: np.ndarray, vocab: list[str],
                 term_prob: np.ndarray, lam: float) -> np.ndarray:
    """Topic order for ids 1..K: largest share of counted tokens first; ties by the top term (deterministic)."""
    shares = np.round(lengths @ doc_topic / lengths.sum(), 12)
    top = coherence.rank_terms(topic_term, term_prob, lam, n=1)[:, 0]
    first_terms = np.array([vocab[i] for i in top], dtype=object)
    return np.array(sorted(range(len(shares)), key=lambda i: (-shares[i], first_terms[i], i)), dtype=np.int64)


def _build_result(store: CorpusDB, tu: TopicUnits, settings: TopicSettings, model: TopicModel,
                  summary: FitSummary, k: int, reason: str, fits_df: pd.DataFrame, per_k: pd.DataFrame,
                  jobs: int, groupings: dict[str, tuple[pd.DataFrame, Grouping]]) -> TopicsResult:
    lengths = tu.lengths
    order = order_topics(model.topic_term_, model.doc_topic_, lengths, tu.vocab, tu.term_prob, settings.lam)
    topic_term = model.topic_term_[order]
    doc_topic = model.doc_topic_[:, order]
    shares = lengths @ doc_topic / lengths.sum()
    has_topic = doc_topic.sum(axis=1) > 0
    dominant = np.bincount(doc_topic[has_topic].argmax(axis=1), minlength=k)
    metrics = {name: (values[order] if values is not None else None)
               for name, values in (("npmi", summary.npmi), ("c_v", summary.c_v), ("umass", summary.umass))}

    topic_terms = topic_terms_table(topic_term, tu.term_prob, tu.vocab, lam=settings.lam, n=settings.n_terms)
    labels = topic_labels_table(topic_terms, shares, dominant, metrics)
    doc_topics = doc_topics_table(tu.units, doc_topic, tu.settings.unit)
    representative = _representative(store, tu, doc_topic, settings.n_representative)
    warnings = list(tu.warnings) + [f"{settings.model}: {w}" for w in model.warnings_]
    prevalence: dict[str, pd.DataFrame] = {}
    for f, groups in groupings.items():
        table, note = _prevalence(tu, doc_topic, f, groups, settings)
        if note:
            warnings.append(note)
        if table is not None:
            prevalence[f] = table

    params = {
        "model": settings.model,
        "k": k,
        "reason": reason,
        "topic_settings": settings.to_dict(),
        "unit_settings": tu.settings.to_dict(),
        "model_params": model.get_params(),
        "units": tu.info,
        "grouping": {f: g.to_dict() for f, (_, g) in groupings.items()},
        "npmi_mean": float(np.nanmean(metrics["npmi"])) if metrics["npmi"] is not None else None,
        "measures": {
            "npmi": "top-10 terms, document co-occurrence over the fitted units; pairs never co-occurring = -1",
            "umass": "top-10 terms, document co-occurrence over the fitted units (Mimno et al. 2011)",
            "c_v": "top-10 terms, gensim CoherenceModel c_v, sliding window 110 over each unit's counted tokens",
            "diversity": "share of distinct terms among all topics' top 25",
            "init_stability": ("mean best-match (Hungarian) Jaccard of top-20 terms between fits on all units from "
                               "different random initialisations (one per seed; " + _init_note(settings) + ")"),
            "bootstrap_stability": (f"same, between the fit on all units and a refit (same seed and initialisation) "
                                    f"on a bootstrap resample of the documents ({settings.resample} × the "
                                    "documents drawn with replacement, each with all its units)"
                                    if settings.resample else "not measured"),
            "term_ranking": f"relevance with lambda={settings.lam} (Sievert & Shirley 2014)",
            "prevalence_interval": f"{settings.n_boot} two-stage bootstrap draws (documents, then their units)",
        },
    }
    return TopicsResult(topic_terms, doc_topics, labels, representative, prevalence, fits_df, per_k, k, reason,
                        params, tu.corpus, tu.segmentation, tu, model, topic_term, doc_topic, warnings, jobs)


def _init_note(settings: TopicSettings) -> str:
    """How the fits of a sweep were initialised, for the run record and the methods paragraph."""
    from corpus_tool.analyse.topics.models import make_model

    model = make_model(settings.model, 2, settings.seed, **dict(settings.model_params))
    if model.seed_changes_init():
        return f"{settings.model} starts from a random initialisation drawn with each seed"
    return (f"the first seed's fit uses {model.init_name()}, a deterministic start; the other seeds' "
            "fits start from init='random' with that seed")


def _representative(store: CorpusDB, tu: TopicUnits, doc_topic: np.ndarray, n: int) -> pd.DataFrame:
    rows = representative_rows(tu.units, doc_topic, n)
    docs = tu.documents[["doc_id", "title", "year"]]
    rows = rows.merge(docs, on="doc_id", how="left")
    if tu.settings.unit == "document":
        texts = store.con.execute(
            "SELECT doc_id, string_agg(text, '\n' ORDER BY para_no) AS text FROM paragraphs "
            "WHERE field = 'body' AND doc_id IN (SELECT UNNEST(?)) GROUP BY doc_id",
            [sorted(set(rows["doc_id"]))],
        ).df()
        texts["text"] = texts["text"].str.slice(0, EXCERPT_CHARS)
        rows = rows.merge(texts, on="doc_id", how="left").drop(columns="para_no")
    else:
        keys = rows[["doc_id", "para_no"]].drop_duplicates()
        store.con.register("topic_rep_keys", keys.astype({"para_no": "int64"}))
        try:
            texts = store.con.execute(
                "SELECT p.doc_id, p.para_no, p.text FROM paragraphs p JOIN topic_rep_keys k "
                "ON p.doc_id = k.doc_id AND p.para_no = k.para_no"
            ).df()
        finally:
            store.con.unregister("topic_rep_keys")
        texts["para_no"] = texts["para_no"].astype("Int64")
        rows = rows.merge(texts, on=["doc_id", "para_no"], how="left")
    cols = [c for c in ["topic", "rank", "weight", "doc_id", "para_no", "title", "year", "n_terms", "text"]
            if c in rows.columns]
    rows = rows[cols].sort_values(["topic", "rank"], kind="mergesort").reset_index(drop=True)
    if "year" in rows:
        rows["year"] = rows["year"].astype("Int64")
    return rows


def _groups(store: CorpusDB, tu: TopicUnits, by: str, drop_missing: bool) -> tuple[pd.DataFrame, Grouping]:
    """The modelled documents with their group under ``by`` and the group counts (the same helper as every
    other ``--by``: an empty field is its own group unless dropped). Raises FilterError for an unknown field."""
    selection = Selection(where=tu.settings.where, include_duplicates=tu.settings.include_duplicates, by=by,
                          missing="drop" if drop_missing else "group")
    groups, _ = select_groups(store.con, selection)
    modelled = set(tu.units["doc_id"])
    n_modelled = len(modelled)
    kept = groups[groups["doc_id"].isin(modelled)].sort_values(["group_rank", "doc_id"], kind="mergesort")
    kept = kept.reset_index(drop=True)
    missing = n_modelled - len(kept) if drop_missing else int((kept["grp"] == MISSING_GROUP).sum())
    grouping = Grouping(by=by, documents_selected=n_modelled, documents=len(kept),
                        groups=int(kept["grp"].nunique()), missing=missing,
                        missing_policy="drop" if drop_missing else "group")
    return kept, grouping


def _prevalence(tu: TopicUnits, doc_topic: np.ndarray, by: str, grouped: tuple[pd.DataFrame, Grouping],
                settings: TopicSettings) -> tuple[pd.DataFrame | None, str | None]:
    groups, grouping = grouped
    name = f"topic_by_{safe_name(by)}"
    if groups.empty:
        return None, (f"所有文档的 {by} 字段都为空，未生成 {name} / every modelled document lacks {by!r}: no {name} "
                      "table (add metadata with a manifest, or drop --drop-missing)")
    table = topic_prevalence(doc_topic, tu.lengths, tu.units["doc_id"], groups, by, n_boot=settings.n_boot,
                             seed=settings.seed)
    note = grouping.warning()
    return table, (f"{name}: {note}" if note else None)


def write_topics(result: TopicsResult, out_dir: str | Path, *, fmt: str = "csv", zh: bool = False,
                 command_line: str | None = None, html: bool = True) -> list[Path]:
    """Write every table to ``out_dir/<name>.<fmt>`` with ``<file>.run.json`` beside it, and the pyLDAvis page."""
    from corpus_tool.export.headers import zh_headers
    from corpus_tool.export.runrecord import run_record, write_run_record
    from corpus_tool.export.tables import write_table

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "." + fmt.lower().lstrip(".")
    written: list[Path] = []
    seeds = {"model_seeds": result.params["topic_settings"]["seed_list"],
             "tables_from_seed": result.params["topic_settings"]["seed"],
             "bootstrap_resample_seed": "numpy default_rng([seed, k, 20141])",
             "random_init_seeds": result.params["topic_settings"]["seed_list"][1:],
             "bootstrap_seed": result.params["topic_settings"]["seed"]}

    def record(name: str, path: Path, rows: int, headers: dict[str, str] | None) -> None:
        rec = run_record("topics", result.params, corpus=result.corpus, segmentation=result.segmentation,
                         seeds=seeds, command_line=command_line,
                         extra={"table": name, "rows": rows, "warnings": result.warnings, "jobs": result.jobs,
                                "headers": {path.name: headers} if headers else None})
        written.append(write_run_record(path, rec, outputs=[path]))

    if suffix == ".xlsx":
        too_long = [n for n, t in result.tables().items() if len(t) >= XLSX_MAX_ROWS]
        if too_long:
            raise ValueError(f"{', '.join(too_long)} 超过 Excel 的行数上限，请用 --format parquet 或 csv / too many "
                             f"rows for Excel in {', '.join(too_long)}: use parquet or csv")
    for name, table in result.tables().items():
        path = out_dir / f"{name}{suffix}"
        headers = None
        if zh:
            headers = {**zh_headers(table.columns),
                       **{c: TOPIC_ZH_HEADERS[c] for c in table.columns if c in TOPIC_ZH_HEADERS}}
        written.append(write_table(table, path, headers=headers))
        record(name, path, len(table), headers)
    if html:
        path = out_dir / "topics_ldavis.html"
        path.write_text(result.ldavis_html(), encoding="utf-8")
        written.append(path)
        record("ldavis", path, result.k, None)
    return written
