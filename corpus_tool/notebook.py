"""Result objects for notebooks: a table (``.table``), plots (``.plot()``) and exports with a run record.

Each wraps what an analysis function returns (:class:`corpus_tool.analyse.result.AnalysisResult`:
the table, its parameters and provenance). Exports go through :mod:`corpus_tool.export`, so a CSV
written here is byte-identical to the CLI's and gets the same ``<file>.run.json`` beside it.

Adding an analysis: subclass :class:`Result`, set ``label``/``value`` (the columns that bars and word
clouds use) or override :meth:`Result.plot`, and register the class in :data:`RESULT_TYPES`.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from corpus_tool.analyse.result import AnalysisResult
    from corpus_tool.analyse.topics import TopicsResult as TopicsResultData

HTML_ROWS = 30  # rows shown in a notebook; the table itself is complete


@dataclass
class Result:
    """A table plus how it was made; ``tables`` holds companion tables (e.g. coding evidence)."""

    analysis: str
    table: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    corpus: dict[str, Any] = field(default_factory=dict)
    segmentation: dict[str, Any] | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    db: Path | None = None  # the corpus database, for plots that need the text (dispersion)
    # The equivalent CLI call (command, arguments, options): the run record of an export carries the
    # command line a user would type to get the same file.
    cli: tuple[str, list[str], dict[str, Any]] | None = None

    title: ClassVar[str] = "结果 / result"
    label: ClassVar[str | None] = "term"  # column with the words (bars, word clouds)
    value: ClassVar[str | None] = None  # column with the numbers

    @classmethod
    def from_analysis(cls, result: AnalysisResult, db: str | Path | None = None,
                      cli: tuple[str, list[str], dict[str, Any]] | None = None) -> Result:
        return cls(analysis=result.analysis, table=result.table, params=dict(result.params),
                   corpus=dict(result.corpus), segmentation=result.segmentation, tables=dict(result.tables),
                   warnings=list(result.warnings), db=Path(db) if db is not None else None, cli=cli)

    def command_line(self, out: str | Path | None = None, *, zh_headers: bool = False) -> str | None:
        """The CLI command that makes the same table (writing it to ``out``)."""
        if self.cli is None:
            return None
        from corpus_tool.export.runrecord import command_line

        command, arguments, options = self.cli
        extra = {} if out is None else {"out": str(out), "zh_headers": zh_headers}
        return command_line(command, arguments, {**options, **extra})

    # -- the table -----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.table)

    def head(self, n: int = 10) -> pd.DataFrame:
        return self.table.head(n)

    @property
    def group_column(self) -> str | None:
        """The grouping column (year, doc_id ...) when the analysis ran ``by`` a field, else None."""
        by = self.params.get("by")
        if by in (None, "", "corpus"):
            return None
        col = "doc_id" if by == "document" else by
        return col if col in self.table.columns else None

    # -- exports ---------------------------------------------------------------------------------------
    def to_csv(self, path: str | Path, *, zh_headers: bool = False) -> list[Path]:
        """Write the table as CSV (UTF-8 with BOM: opens in Excel) and ``<path>.run.json`` beside it.

        Companion tables (coding evidence) go beside it as ``<stem>.<name>.csv``. Returns the paths written.
        """
        return self.save(_with_suffix(path, ".csv"), zh_headers=zh_headers)

    def to_excel(self, path: str | Path, *, zh_headers: bool = False) -> list[Path]:
        """Write the table as XLSX and ``<path>.run.json`` beside it; returns the paths written."""
        return self.save(_with_suffix(path, ".xlsx"), zh_headers=zh_headers)

    def to_parquet(self, path: str | Path, *, zh_headers: bool = False) -> list[Path]:
        """Write the table as Parquet and ``<path>.run.json`` beside it; returns the paths written."""
        return self.save(_with_suffix(path, ".parquet"), zh_headers=zh_headers)

    def save(self, path: str | Path, *, zh_headers: bool = False) -> list[Path]:
        """Write the table in the format of the suffix (.csv .xlsx .parquet) with its run record, exactly
        as the CLI does (``zh_headers``: Chinese column headers, like ``--zh-headers``)."""
        from corpus_tool.export.save import save_result

        return save_result(self._analysis_result(), path, zh=zh_headers,
                           command_line=self.command_line(path, zh_headers=zh_headers))

    def _analysis_result(self) -> AnalysisResult:
        from corpus_tool.analyse.result import AnalysisResult

        return AnalysisResult(self.analysis, self.table, self.params, self.corpus, self.segmentation,
                              self.tables, self.warnings)

    def methods(self, lang: str = "both") -> str:
        """A citable methods paragraph (Chinese, English or both) for this result."""
        from corpus_tool.export.methods import methods_text
        from corpus_tool.export.runrecord import run_record

        record = run_record(self.analysis, self.params, corpus=self.corpus, segmentation=self.segmentation,
                            command_line=self.command_line())
        return methods_text(record, lang)

    # -- plots -----------------------------------------------------------------------------------------
    def plot(self, top: int = 20, **kwargs: Any) -> Figure:
        """Bars of the ``top`` terms (one panel per group when the analysis ran ``by`` a field)."""
        from corpus_tool.plot import plot_frequencies

        label, value = self._columns()
        kwargs.setdefault("title", self.title)
        if self.group_column == "doc_id":
            kwargs.setdefault("group_labels", self.document_labels())
        return plot_frequencies(self.table, label=label, value=value, top=top, group=self.group_column,
                                xlabel=kwargs.pop("xlabel", axis_label(value)), **kwargs)

    def document_labels(self, label: str = "auto") -> dict[str, str]:
        """doc_id → a readable label of the documents in the table (year and title, or the file name)."""
        ids = sorted(self.table["doc_id"].unique().tolist()) if "doc_id" in self.table.columns else []
        if self.db is None or not ids:
            return {}
        from corpus_tool.store.db import CorpusDB

        with CorpusDB(self.db, read_only=True) as store:
            store.con.register("label_ids", pd.DataFrame({"doc_id": ids}))
            docs = store.query("SELECT d.doc_id, d.title, d.year, d.source_path FROM documents d "
                               "JOIN label_ids USING (doc_id) ORDER BY d.doc_id")
            store.con.unregister("label_ids")
        return document_labels(docs, label)

    def wordcloud(self, group: object | None = None, **kwargs: Any) -> Figure:
        """A word cloud of ``value`` by term; with groups, of one ``group`` (default: the first)."""
        from corpus_tool.plot import plot_wordcloud

        label, value = self._columns()
        table = self.table
        if self.group_column is not None:
            groups = table[self.group_column].drop_duplicates().tolist()
            chosen = groups[0] if group is None else group
            table = table[table[self.group_column] == chosen]
            names = self.document_labels() if self.group_column == "doc_id" else {}
            kwargs.setdefault("title", names.get(chosen) or f"{self.group_column} = {chosen}")
        return plot_wordcloud(table, label=label, value=value, **kwargs)

    def _columns(self) -> tuple[str, str]:
        label = self.label if self.label in self.table.columns else _first(self.table, str)
        value = self.value if self.value in self.table.columns else _first(self.table, float)
        if label is None or value is None:
            raise ValueError(f"nothing to plot in the {self.analysis} table (没有可绘制的列)")
        return label, value

    # -- display ---------------------------------------------------------------------------------------
    def summary(self) -> str:
        n_docs = self.corpus.get("documents")
        parts = [f"{len(self.table):,} 行 rows"]
        if n_docs is not None:
            parts.append(f"{n_docs:,} 篇文档 documents")
        return f"{self.title}（{self.analysis}）: " + ", ".join(parts)

    def __repr__(self) -> str:
        return f"<{self.summary()}>\n{self.table.head(HTML_ROWS).to_string()}"

    def _repr_html_(self) -> str:
        body = self._html_table()
        more = (f"<p style='color:#666'>显示前 {HTML_ROWS} 行，共 {len(self.table):,} 行 / first {HTML_ROWS} of "
                f"{len(self.table):,} rows — 完整表格见 <code>.table</code></p>") if len(self.table) > HTML_ROWS else ""
        warn = "".join(f"<p style='color:#a60'>⚠ {html.escape(w)}</p>" for w in self.warnings)
        return f"<div><p><b>{html.escape(self.summary())}</b></p>{warn}{body}{more}</div>"

    def _html_table(self) -> str:
        return self.table.head(HTML_ROWS).to_html(index=False, escape=True, float_format=lambda x: f"{x:.4g}")


def axis_label(column: str) -> str:
    """A column name as an axis label: the Chinese header and the English name (``频次 frequency``)."""
    from corpus_tool.export.headers import ZH_HEADERS

    zh = ZH_HEADERS.get(column)
    return f"{zh} {column}" if zh else column


def _with_suffix(path: str | Path, suffix: str) -> Path:
    """``path`` with ``suffix`` added when it has none; a different suffix is an error, not a surprise."""
    path = Path(path)
    if not path.suffix:
        return path.with_name(path.name + suffix)
    if path.suffix.lower() != suffix:
        raise ValueError(f"{path} does not end in {suffix} (文件后缀与格式不符)")
    return path


def _first(table: pd.DataFrame, kind: type) -> str | None:
    for col in table.columns:
        numeric = pd.api.types.is_numeric_dtype(table[col]) and not pd.api.types.is_bool_dtype(table[col])
        if (kind is float and numeric and col != "rank") or (kind is str and not numeric):
            return str(col)
    return None


class FrequencyResult(Result):
    title = "词频 / frequencies"
    value = "frequency"


class KeywordsResult(Result):
    title = "关键词 / keywords"
    value = "score"


class KeynessResult(Result):
    title = "关键性 / keyness"

    @property
    def measure_column(self) -> str:
        from corpus_tool.analyse.keyness import MEASURES

        return MEASURES.get(self.params.get("measure", "ll"), "log_likelihood")

    def plot(self, top: int = 15, **kwargs: Any) -> Figure:
        """Diverging bars: the target's key words (right) and the reference's (left)."""
        from corpus_tool.plot import plot_keyness

        target = self.params.get("target") or "目标 target"
        reference = self.params.get("reference") or "参照 reference"
        reference = "其余文档 the rest" if reference == "rest" else reference
        kwargs.setdefault("title", f"关键性 / keyness: {target}")
        kwargs.setdefault("target_name", str(target))
        kwargs.setdefault("reference_name", str(reference))
        kwargs.setdefault("xlabel", axis_label(self.measure_column) + "（负值：参照语料 / negative: reference）")
        return plot_keyness(self.table, label="term", value=self.measure_column, top=top, **kwargs)


class CollocationsResult(Result):
    title = "搭配 / collocations"
    label = "joined"

    @property
    def value(self) -> str:  # type: ignore[override]
        from corpus_tool.analyse.collocations import MEASURES

        return MEASURES.get(self.params.get("measure", "pmi"), "frequency")


class NgramsResult(CollocationsResult):
    title = "N 元组 / n-grams"


class KwicResult(Result):
    """A concordance: shown with the keyword highlighted; ``plot()`` draws the dispersion plot."""

    title = "索引行 / KWIC"
    label = "match"

    def _html_table(self) -> str:
        if self.table.empty:
            return "<p>没有命中 / no hits</p>"
        labels = self.document_labels() if self.db is not None else {}
        rows = []
        for r in self.table.head(HTML_ROWS).itertuples(index=False):
            title = r.title if isinstance(r.title, str) and r.title else None
            where = f"{labels.get(r.doc_id) or title or r.doc_id} ¶{r.para_no}"
            rows.append(
                "<tr>"
                f"<td style='color:#666;white-space:nowrap;text-align:left'>{html.escape(str(where))}</td>"
                f"<td style='text-align:right;white-space:nowrap'>{html.escape(str(r.left))}</td>"
                f"<td style='text-align:center;white-space:nowrap'><mark style='background:#ffe08a;"
                f"font-weight:bold'>{html.escape(str(r.match))}</mark></td>"
                f"<td style='text-align:left;white-space:nowrap'>{html.escape(str(r.right))}</td>"
                "</tr>"
            )
        head = ("<tr><th style='text-align:left'>出处 source</th><th style='text-align:right'>左语境 left</th>"
                "<th>检索词 match</th><th style='text-align:left'>右语境 right</th></tr>")
        return f"<table class='corpus-tool-kwic'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"

    def positions(self, label: str = "auto") -> pd.DataFrame:
        """Each hit's relative position in its document (0 = start, 1 = end), with a document label.

        ``label``: a documents column (``title``, ``year``, ``doc_id`` ...) or ``auto`` (year and title).
        """
        if self.db is None:
            raise ValueError("this result has no corpus database attached (无法读取原文)")
        from corpus_tool.store.db import CorpusDB

        hits = self.table
        ids = sorted(hits["doc_id"].unique().tolist())
        with CorpusDB(self.db, read_only=True) as store:
            store.con.register("kwic_ids", pd.DataFrame({"doc_id": ids}))
            paras = store.query(
                "SELECT p.doc_id, p.para_no, length(coalesce(p.text, '')) AS n FROM paragraphs p "
                "JOIN kwic_ids USING (doc_id) ORDER BY p.doc_id, p.para_no")
            store.con.unregister("kwic_ids")
        paras["before"] = paras.groupby("doc_id")["n"].cumsum() - paras["n"]
        total = paras.groupby("doc_id")["n"].sum()
        merged = hits.merge(paras[["doc_id", "para_no", "before"]], on=["doc_id", "para_no"], how="left")
        position = (merged["before"] + merged["start"]) / merged["doc_id"].map(total).clip(lower=1)
        labels = self.document_labels(label)
        return pd.DataFrame({"doc_id": merged["doc_id"], "doc": merged["doc_id"].map(labels),
                             "position": position.clip(0, 1), "term": merged["match"]})

    def plot(self, label: str = "auto", max_docs: int = 60, **kwargs: Any) -> Figure:
        """Dispersion plot: where each hit falls in its document, one row per document."""
        from corpus_tool.plot import plot_dispersion

        if self.table.empty:
            raise ValueError(f"没有命中，无法作图 / no hits of {self.params.get('query')!r} to plot")
        pos = self.positions(label)
        order = pos.drop_duplicates("doc_id")
        order = order.assign(_key=order["doc"]).sort_values(["_key"], kind="mergesort")["doc"].tolist()
        kwargs.setdefault("title", f"词语分布 / dispersion: {self.params.get('query', '')}")
        return plot_dispersion(pos, docs=order, max_docs=max_docs, **kwargs)


def document_labels(docs: pd.DataFrame, label: str = "auto") -> dict[str, str]:
    """doc_id → a readable, unique label (``auto``: year and title, or the file name; the id prefix breaks
    ties)."""
    if label == "auto":
        def one(r: Any) -> str:
            year = "" if pd.isna(r.year) else f"{int(r.year)} "
            title = r.title if isinstance(r.title, str) and r.title.strip() else ""
            if not title:  # no title found in the text: the file name says what the document is
                source = getattr(r, "source_path", None)
                title = Path(source).stem if isinstance(source, str) and source else r.doc_id[:8]
            return title if year.strip() and year.strip() in title else (year + title).strip()
        labels = {r.doc_id: one(r) for r in docs.itertuples(index=False)}
    else:
        if label not in docs.columns:
            raise KeyError(f"unknown document column {label!r}")
        labels = {r["doc_id"]: str(r[label]) for _, r in docs.iterrows()}
    counts = pd.Series(list(labels.values())).value_counts()
    return {d: (f"{v} [{d[:6]}]" if counts[v] > 1 else v) for d, v in labels.items()}


class CodingResult(Result):
    """Dictionary coding: counts per group × code (``table``) and every match in context (``evidence``)."""

    title = "词典编码 / dictionary coding"
    label = "label"
    value = "matches"

    @property
    def evidence(self) -> pd.DataFrame:
        """Every counted match with its context: the evidence behind each count."""
        return self.tables.get("evidence", pd.DataFrame())

    def by_category(self) -> pd.DataFrame:
        """Counts summed over the codes of each category (rates share one denominator, so they add up)."""
        keys = [c for c in (self.group_column, "category") if c]
        return (self.table.groupby(keys, sort=False, dropna=False)[["matches", "per_10k_chars"]].sum()
                .reset_index())

    def plot(self, level: str = "category", value: str = "per_10k_chars", **kwargs: Any) -> Figure:
        """By a numeric field (year): one panel per category (or code) over it. Otherwise bars of
        ``value`` per category (or code), one panel per group."""
        from corpus_tool.plot import plot_frequencies, plot_trends

        if level not in ("category", "code"):
            raise ValueError("level must be 'category' or 'code'")
        table = self.by_category() if level == "category" else self.table
        label = "category" if level == "category" else "label"
        group = self.group_column
        names = {"per_10k_chars": "每万字命中 per 10k chars", "matches": "命中次数 matches"}
        if group is not None and group != "doc_id" and pd.api.types.is_numeric_dtype(table[group]):
            kwargs.setdefault("title", f"词典编码 / dictionary coding by {group}")
            return plot_trends(table, x=group, series=label, value=value, ylabel=names.get(value, value),
                               value_label=names.get(value, value), **kwargs)
        kwargs.setdefault("title", self.title)
        if group == "doc_id":
            kwargs.setdefault("group_labels", self.document_labels())
        return plot_frequencies(table, label=label, value=value, group=group, xlabel=names.get(value, value),
                                **kwargs)


class NewWordsResult(Result):
    """Candidate terms the current segmentation splits (for a user dictionary)."""

    title = "新词候选 / new-word candidates"
    value = "frequency"


class Topics:
    """A fitted topic model: every table, plots of terms, shares over time and the k sweep, the pyLDAvis page.

    ``table`` is ``topic_terms``; ``tables`` holds them all (``topic_labels``, ``doc_topics``,
    ``representative``, ``topic_by_<field>``, ``sweep``, ``sweep_summary``). Topic ids are 1..K, the same in
    every table, every plot and on the pyLDAvis page.
    """

    title = "主题模型 / topic model"

    def __init__(self, result: TopicsResultData, db: str | Path | None = None,
                 cli: tuple[str, list[str], dict[str, Any]] | None = None) -> None:
        self.result = result
        self.db = Path(db) if db is not None else None
        self.cli = cli
        self._ldavis: str | None = None  # the page, made once

    # -- tables ----------------------------------------------------------------------------------------
    @property
    def table(self) -> pd.DataFrame:
        return self.result.topic_terms

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return self.result.tables()

    @property
    def k(self) -> int:
        return self.result.k

    @property
    def reason(self) -> str:
        """Why this k (the recommendation rule of a sweep)."""
        return self.result.reason

    @property
    def warnings(self) -> list[str]:
        return self.result.warnings

    @property
    def params(self) -> dict[str, Any]:
        return self.result.params

    def __getattr__(self, name: str) -> Any:
        # topic_terms, topic_labels, doc_topics, representative, sweep, sweep_summary, topic_by_<field>
        if name.startswith("_") or name in ("result", "cli", "db"):
            raise AttributeError(name)
        return getattr(self.result, name)

    def __len__(self) -> int:
        return len(self.table)

    def labels(self) -> dict[int, str]:
        """Topic id → its label (the three most relevant terms)."""
        return dict(zip(self.result.topic_labels["topic"].astype(int), self.result.topic_labels["label"],
                        strict=True))

    def shares(self, by: str | None = None) -> pd.DataFrame:
        """Topic shares with intervals per value of ``by`` (a field given to ``topics(by=...)``)."""
        prevalence = self.result.prevalence
        if not prevalence:
            raise ValueError("no topic_by_<field> table: fit with by='year' (or another field) (未按字段汇总)")
        by = by or next(iter(prevalence))
        if by not in prevalence:
            raise KeyError(f"no topic_by_{by} table; fitted by: {', '.join(prevalence)}")
        return prevalence[by]

    # -- plots -----------------------------------------------------------------------------------------
    def plot(self, kind: str = "terms", **kwargs: Any) -> Figure:
        """``terms`` (top terms per topic), ``shares`` (share over ``by`` with intervals) or ``sweep``
        (coherence and stability against k)."""
        plots = {"terms": self.plot_terms, "shares": self.plot_shares, "sweep": self.plot_sweep}
        if kind not in plots:
            raise ValueError(f"kind must be one of {', '.join(plots)}")
        return plots[kind](**kwargs)

    def plot_terms(self, n_terms: int = 10, topics: list[int] | None = None, **kwargs: Any) -> Figure:
        from corpus_tool.plot import plot_topic_terms

        kwargs.setdefault("title", f"主题词 / top terms per topic (k = {self.k})")
        return plot_topic_terms(self.table, n_terms=n_terms, topics=topics, labels=None, **kwargs)

    def plot_shares(self, by: str | None = None, topics: list[int] | None = None, **kwargs: Any) -> Figure:
        from corpus_tool.plot import plot_topic_shares

        table = self.shares(by)
        field = table.columns[0]
        n_boot = self.params.get("topic_settings", {}).get("n_boot")
        kwargs.setdefault("interval_label", "95% 自助法区间 bootstrap interval" if n_boot else "95% 区间 interval")
        kwargs.setdefault("title", f"主题占比 / topic shares by {field}")
        return plot_topic_shares(table, x=field, topics=topics, labels=self.labels(), **kwargs)

    def plot_sweep(self, **kwargs: Any) -> Figure:
        from corpus_tool.plot import plot_k_sweep

        sweep = self.result.sweep
        metrics = [m for m in ("npmi", "c_v", "init_stability", "bootstrap_stability")
                   if m in sweep.columns and sweep[m].notna().any()]
        names = {"npmi": "一致性 NPMI coherence", "c_v": "一致性 C_V coherence",
                 "init_stability": "随机初始化间稳定性 initialisation stability",
                 "bootstrap_stability": "文档自助重抽样稳定性 bootstrap stability"}
        kwargs.setdefault("labels", names)
        return plot_k_sweep(sweep, metrics=kwargs.pop("metrics", metrics), chosen=self.k, **kwargs)

    def wordcloud(self, topic: int = 1, **kwargs: Any) -> Figure:
        """A word cloud of one topic's terms, sized by weight."""
        from corpus_tool.plot import plot_wordcloud

        rows = self.table[self.table["topic"] == topic]
        kwargs.setdefault("title", f"主题 {topic}：{self.labels().get(topic, '')}")
        return plot_wordcloud(rows, label="term", value="weight", **kwargs)

    # -- the pyLDAvis page -----------------------------------------------------------------------------
    def ldavis_html(self) -> str:
        """The self-contained pyLDAvis page (works offline; topic ids as in the tables)."""
        if self._ldavis is None:
            with _quiet_pyldavis():
                self._ldavis = self.result.ldavis_html()
        return self._ldavis

    def save_ldavis(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.ldavis_html(), encoding="utf-8")
        return path

    def ldavis(self, height: int = 880) -> _HTMLFrame:
        """Show the pyLDAvis page inside the notebook (in an iframe, so its scripts stay apart)."""
        return _HTMLFrame(self.ldavis_html(), height)

    # -- exports ---------------------------------------------------------------------------------------
    def command_line(self, out_dir: str | Path | None = None, *, fmt: str = "csv", zh_headers: bool = False,
                     html: bool = True) -> str | None:
        """The CLI command that writes the same tables (to ``out_dir``)."""
        if self.cli is None:
            return None
        from corpus_tool.export.runrecord import command_line

        command, arguments, options = self.cli
        extra: dict[str, Any] = {} if out_dir is None else {"out_dir": str(out_dir), "format": fmt,
                                                             "zh_headers": zh_headers, "no_html": not html}
        return command_line(command, arguments, {**options, **extra})  # keeps the CLI's option order

    def to_dir(self, out_dir: str | Path, *, fmt: str = "csv", zh_headers: bool = False,
               html: bool = True) -> list[Path]:
        """Write every table (``<name>.<fmt>``, each with ``.run.json``) and the pyLDAvis page to a folder,
        as ``corpus-tool topics --out-dir`` does."""
        from corpus_tool.analyse.topics import write_topics

        with _quiet_pyldavis():
            return write_topics(self.result, out_dir, fmt=fmt, zh=zh_headers, html=html,
                                command_line=self.command_line(out_dir, fmt=fmt, zh_headers=zh_headers,
                                                               html=html))

    def to_csv(self, path: str | Path, *, table: str = "topic_terms", zh_headers: bool = False) -> list[Path]:
        """Write one table (default ``topic_terms``; any name in ``tables``) as CSV with its run record."""
        return self.save(_with_suffix(path, ".csv"), table=table, zh_headers=zh_headers)

    def to_excel(self, path: str | Path, *, table: str = "topic_terms", zh_headers: bool = False) -> list[Path]:
        """Write one table as XLSX with its run record."""
        return self.save(_with_suffix(path, ".xlsx"), table=table, zh_headers=zh_headers)

    def to_parquet(self, path: str | Path, *, table: str = "topic_terms", zh_headers: bool = False) -> list[Path]:
        """Write one table as Parquet with its run record."""
        return self.save(_with_suffix(path, ".parquet"), table=table, zh_headers=zh_headers)

    def methods(self, lang: str = "both") -> str:
        """A citable methods paragraph (Chinese, English or both): units, vocabulary, model, seeds, coherence and
        stability, as ``corpus-tool methods`` writes it from the run record."""
        from corpus_tool.export.methods import methods_text
        from corpus_tool.export.runrecord import run_record

        record = run_record("topics", self.params, corpus=self.result.corpus, segmentation=self.result.segmentation,
                            command_line=self.command_line())
        return methods_text(record, lang)

    def save(self, path: str | Path, *, table: str = "topic_terms", zh_headers: bool = False) -> list[Path]:
        """Write one table by the suffix of ``path``, with ``<path>.run.json`` as ``to_dir`` writes it."""
        from corpus_tool.analyse.topics.outputs import TOPIC_ZH_HEADERS
        from corpus_tool.export.headers import zh_headers as zh_map
        from corpus_tool.export.runrecord import run_record, write_run_record
        from corpus_tool.export.tables import write_table

        tables = self.tables
        if table not in tables:
            raise KeyError(f"unknown topic table {table!r}; choose from {', '.join(tables)}")
        df = tables[table]
        headers = None
        if zh_headers:
            headers = {**zh_map(df.columns), **{c: TOPIC_ZH_HEADERS[c] for c in df.columns if c in TOPIC_ZH_HEADERS}}
        out = write_table(df, path, headers=headers)
        settings = self.params["topic_settings"]
        # The same seeds entry as corpus_tool.analyse.topics.write_topics records.
        seeds = {"model_seeds": settings["seed_list"], "tables_from_seed": settings["seed"],
                 "bootstrap_resample_seed": "numpy default_rng([seed, k, 20141])",
                 "random_init_seeds": settings["seed_list"][1:], "bootstrap_seed": settings["seed"]}
        record = run_record("topics", self.params, corpus=self.result.corpus, segmentation=self.result.segmentation,
                            seeds=seeds, command_line=self.command_line(),
                            extra={"table": table, "rows": len(df), "warnings": self.warnings,
                                   "headers": {out.name: headers} if headers else None})
        return [out, write_run_record(out, record, outputs=[out])]

    # -- display ---------------------------------------------------------------------------------------
    def summary(self) -> str:
        units = self.params.get("units", {})
        n_units = units.get("units") if isinstance(units, dict) else None
        extra = f", {n_units:,} 单元 units" if isinstance(n_units, int) else ""
        return f"{self.title}: {self.params.get('model')}, k = {self.k}{extra}"

    def __repr__(self) -> str:
        return repr(self.result)

    def _repr_html_(self) -> str:
        cols = [c for c in ("topic", "label", "terms", "share", "npmi") if c in self.result.topic_labels.columns]
        body = self.result.topic_labels[cols].to_html(index=False, escape=True, float_format=lambda x: f"{x:.3g}")
        warn = "".join(f"<p style='color:#a60'>⚠ {html.escape(w)}</p>" for w in self.warnings)
        reason = f"<p style='color:#444'>{html.escape(self.reason)}</p>" if self.reason else ""
        return f"<div><p><b>{html.escape(self.summary())}</b></p>{reason}{warn}{body}</div>"


@contextmanager
def _quiet_pyldavis() -> Iterator[None]:
    """pyLDAvis takes the log of zero probabilities (terms absent from a topic): harmless, but it fills a
    notebook with RuntimeWarnings."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="divide by zero encountered in log", category=RuntimeWarning)
        yield


class _HTMLFrame:
    """A full HTML page shown in Jupyter inside an iframe (``srcdoc``), so it needs no file or server."""

    def __init__(self, page: str, height: int) -> None:
        self.page = page
        self.height = height

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" style="width:100%;height:{self.height}px;'
                'border:1px solid #ddd" sandbox="allow-scripts"></iframe>')


RESULT_TYPES: dict[str, type[Result]] = {
    "frequencies": FrequencyResult,
    "keywords": KeywordsResult,
    "keyness": KeynessResult,
    "collocations": CollocationsResult,
    "ngrams": NgramsResult,
    "kwic": KwicResult,
    "code": CodingResult,
    "coding": CodingResult,
    "newwords": NewWordsResult,
}


def wrap(result: AnalysisResult, db: str | Path | None = None,
         cli: tuple[str, list[str], dict[str, Any]] | None = None) -> Result:
    """The notebook result for an analysis result (``cli``: the equivalent command, arguments, options)."""
    return RESULT_TYPES.get(result.analysis, Result).from_analysis(result, db, cli)
