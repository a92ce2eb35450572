"""Notebook result objects of the policy measures (``Corpus.reuse``, ``Corpus.compare``): ``.table``, companion
tables as properties, ``.plot()``, ``.save()``/``.to_csv()`` with a run record (as :mod:`corpus_tool.notebook`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_tool.notebook import Result

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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


POLICY_RESULTS: dict[str, type[Result]] = {"reuse": ReuseResult, "compare": CompareResult}


def wrap_policy(result: Any, db: str | Path | None, cli: tuple[str, list[str], dict[str, Any]] | None) -> Result:
    return POLICY_RESULTS.get(result.analysis, Result).from_analysis(result, db, cli)
