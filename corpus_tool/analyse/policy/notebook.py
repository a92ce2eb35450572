"""Notebook result objects of the policy measures (``Corpus.strength``, ``.crosscode``, ``.trend``): ``.table``,
``.plot()``, ``.save()``/``.to_csv()`` with a run record, as :mod:`corpus_tool.notebook`."""

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


POLICY_RESULTS: dict[str, type[Result]] = {"strength": StrengthResult, "crosscode": CrosscodeResult,
                                           "trend": TrendResult}


def wrap_policy(result: Any, db: str | Path | None, cli: tuple[str, list[str], dict[str, Any]] | None) -> Result:
    return POLICY_RESULTS.get(result.analysis, Result).from_analysis(result, db, cli)
