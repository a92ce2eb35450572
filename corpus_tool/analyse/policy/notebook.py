"""Notebook result objects of the policy measures (``Corpus.strength``, ``.crosscode``, ``.trend``, ``.reuse``,
``.compare``): ``.table``, companion tables as properties, ``.plot()``, ``.save()``/``.to_csv()`` with a run record
(as :mod:`corpus_tool.notebook`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from corpus_tool.notebook import Result

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class StrengthResult(Result):
    """Strength per document (``table``), ``unscored`` documents with the reason, ``by_<field>`` aggregates and,
    with a dictionary, ``by_code`` (instrument × strength)."""

    title = "政策力度 / policy strength"
    label = "doc_id"
    value = "strength"

    @property
    def unscored(self) -> pd.DataFrame:
        return self.tables["unscored"]

    @property
    def aggregate(self) -> pd.DataFrame | None:
        """Count, sum and mean per ``by`` value (None when run without ``by``)."""
        return next((t for name, t in self.tables.items() if name.startswith("by_") and name != "by_code"), None)

    def crosstab(self, value: str = "documents") -> pd.DataFrame:
        """Instrument × strength as a wide table (codes by rows, strength values by columns)."""
        if "by_code" not in self.tables:
            raise ValueError("没有编码表 / no by_code table: run with dictionary=")
        t = self.tables["by_code"]
        return t.pivot_table(index=["category", "code", "label"], columns="strength", values=value,
                             aggfunc="sum", fill_value=0, sort=False)

    def plot(self, kind: str = "by", **kwargs: Any) -> Figure:  # type: ignore[override]
        """``by``: scored documents and mean strength per ``by`` value; ``codes``: heat map of instrument × strength
        (documents using each code at each strength; run with ``dictionary=``)."""
        from corpus_tool.plot.policy import plot_crosscode, plot_strength

        if kind == "codes":
            if "by_code" not in self.tables:
                raise ValueError("没有编码表 / no by_code table: run with dictionary=")
            t = self.tables["by_code"]
            cells = t.rename(columns={"category": "x_category", "code": "x_code", "label": "x_label"}).assign(
                y_code=t["strength"], y_label=t["strength"].map(lambda v: f"力度 {v:g} / strength {v:g}"))
            kwargs.setdefault("title", "政策工具 × 力度 / instrument × strength")
            return plot_crosscode(cells, value=kwargs.pop("value", "documents"), **kwargs)
        if kind != "by":
            raise ValueError("kind must be 'by' or 'codes'")
        agg = self.aggregate
        if agg is None:
            raise ValueError("没有分组汇总 / no aggregate: run with by='year' (or another field)")
        return plot_strength(agg, x=agg.columns[0], **kwargs)


class CrosscodeResult(Result):
    """Cells (``table``), the ``matrix`` with subtotals and the ``evidence`` behind every cell."""

    title = "二维编码 / two-dimensional coding"
    label = "x_code"
    value = "units"

    @property
    def matrix(self) -> pd.DataFrame:
        return self.tables["matrix"]

    @property
    def evidence(self) -> pd.DataFrame:
        return self.tables["evidence"]

    def cell_evidence(self, x_code: str, y_code: str) -> pd.DataFrame:
        """The units behind one cell."""
        ev = self.evidence
        return ev[(ev["x_code"] == x_code) & (ev["y_code"] == y_code)].reset_index(drop=True)

    def plot(self, value: str = "units", **kwargs: Any) -> Figure:  # type: ignore[override]
        from corpus_tool.plot.policy import plot_crosscode

        return plot_crosscode(self.table, value=value, **kwargs)


class TrendResult(Result):
    """Terms per year (``table``) and each term's first appearance (``first_use``)."""

    title = "词语年度趋势 / terms over time"
    label = "term"
    value = "per_10k"

    @property
    def first_use(self) -> pd.DataFrame:
        return self.tables["first_use"]

    def plot(self, value: str = "per_10k", **kwargs: Any) -> Figure:  # type: ignore[override]
        from corpus_tool.plot import plot_trends

        x = self.table.columns[0]
        names = {"per_10k": "每万词 per 10k words", "count": "次数 count", "documents": "文档数 documents"}
        kwargs.setdefault("title", f"词语趋势 / terms over {x}")
        return plot_trends(self.table, x=x, series="term", value=value, order=self.params.get("terms"),
                           ylabel=names.get(value, value), value_label=names.get(value, value), **kwargs)


class ReuseResult(Result):
    """Shared passages (``table``: the evidence), document ``pairs`` and the ``issuers`` network (who copies whom)."""

    title = "文本复用 / text reuse"
    label = "source_doc_id"
    value = "length"

    @property
    def passages(self) -> Any:
        return self.table

    @property
    def pairs(self) -> Any:
        return self.tables["pairs"]

    @property
    def issuers(self) -> Any:
        return self.tables["issuers"]

    def plot(self, kind: str = "network", top: int = 30, **kwargs: Any) -> Figure:  # type: ignore[override]
        """``kind="network"``: the issuer network (arrows source → target, width by document pairs);
        ``kind="heatmap"``: the share of each target document reused from each source (the ``top`` pairs' docs)."""
        from corpus_tool.plot.policy import plot_issuer_network, plot_reuse_heatmap

        if kind == "heatmap":
            return plot_reuse_heatmap(self.pairs, self._labels(), top=top, **kwargs)
        if kind != "network":
            raise ValueError("kind 应为 network 或 heatmap / kind must be 'network' or 'heatmap'")
        return plot_issuer_network(self.issuers, top=top, **kwargs)

    def _labels(self) -> dict[str, str]:
        """doc_id → year and title (or file name) of the documents in the pairs table."""
        import pandas as pd

        from corpus_tool.notebook import document_labels
        from corpus_tool.store.db import CorpusDB

        ids = sorted(set(self.pairs["source_doc_id"]) | set(self.pairs["target_doc_id"]))
        if self.db is None or not ids:
            return {}
        with CorpusDB(self.db, read_only=True) as store:
            store.con.register("label_ids", pd.DataFrame({"doc_id": ids}))
            docs = store.query("SELECT d.doc_id, d.title, d.year, d.source_path FROM documents d "
                               "JOIN label_ids USING (doc_id) ORDER BY d.doc_id")
            store.con.unregister("label_ids")
        return document_labels(docs)

    def to_files(self, out: str | Path, graph_dir: str | Path | None = None) -> list[Path]:
        """The passages at ``out`` (.csv/.xlsx/.parquet) with the pairs and issuers tables beside it; with
        ``graph_dir`` also the issuer network as GEXF and GraphML; each with its run record."""
        from corpus_tool.analyse.policy.reuse import write_reuse

        return write_reuse(self._analysis_result(), out, graph_dir=graph_dir, command_line=self.command_line(out))


class CompareResult(Result):
    """Sentence alignment (``table``: kept / changed / new / dropped), new ``terms``, ``summary``, ``documents``."""

    title = "版本比较 / what changed"
    label = "status"
    value = "ratio"

    @property
    def terms(self) -> Any:
        return self.tables["terms"]

    @property
    def summary_table(self) -> Any:
        return self.tables["summary"]

    @property
    def documents(self) -> Any:
        return self.tables["documents"]

    def status(self, status: str) -> Any:
        """The rows of one status (kept, changed, new, dropped)."""
        return self.table[self.table["status"] == status].reset_index(drop=True)

    def plot(self, **kwargs: Any) -> Figure:  # type: ignore[override]
        """Bars of the sentences kept, changed, new and dropped."""
        from corpus_tool.plot.policy import plot_compare

        kwargs.setdefault("title", f"版本比较 / what changed: {self.params.get('a')} → {self.params.get('b')}")
        return plot_compare(self.summary_table, **kwargs)


POLICY_RESULTS: dict[str, type[Result]] = {"strength": StrengthResult, "crosscode": CrosscodeResult,
                                           "trend": TrendResult, "reuse": ReuseResult, "compare": CompareResult}


def wrap_policy(result: Any, db: str | Path | None, cli: tuple[str, list[str], dict[str, Any]] | None) -> Result:
    return POLICY_RESULTS.get(result.analysis, Result).from_analysis(result, db, cli)
