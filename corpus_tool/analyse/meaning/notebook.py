"""Notebook result objects of the meaning analyses (``Corpus.similar``, ``.network`` …): ``.table``, ``.plot()``,
``.to_csv()``/``.to_excel()`` with a run record, as :mod:`corpus_tool.notebook`; networks also write GEXF/GraphML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_tool.notebook import Result

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class NeighboursResult(Result):
    title = "近邻词 / nearest neighbours"
    label = "neighbour"
    value = "cosine"

    def plot(self, top: int = 10, **kwargs: Any) -> Figure:  # type: ignore[override]
        from corpus_tool.plot.meaning import plot_neighbours

        return plot_neighbours(self.table, top=top, **kwargs)


class ExpansionResult(Result):
    """Candidates for a dictionary category; mark ``keep`` and call :meth:`accept`."""

    title = "词典扩展候选 / dictionary expansion candidates"
    label = "candidate"
    value = "score"

    def accept(self, terms: list[str] | None = None, **where: Any) -> Path:
        """Add ``terms`` (default: rows whose ``keep`` is marked) to ``user_dict=`` or ``dictionary=``/``code=``."""
        from corpus_tool.analyse.meaning.expansion import accept, accepted_terms

        return accept(terms if terms is not None else accepted_terms(self.table), **where)


class ProjectionResult(Result):
    title = "语义投影 / semantic projection"
    label = "axis"
    value = "score"

    @property
    def poles(self) -> Any:
        return self.tables.get("poles")

    def plot(self, **kwargs: Any) -> Figure:  # type: ignore[override]
        from corpus_tool.plot.meaning import plot_projection

        x = self.table.columns[0] if self.table.columns[0] != "doc_id" else "doc_id"
        table = self.table
        if x == "doc_id":
            labels = self.document_labels()
            table = table.assign(doc_id=table["doc_id"].map(labels).fillna(table["doc_id"]))
        return plot_projection(table, x=x, **kwargs)


class NetworkResult(Result):
    """Nodes (``table``) and edges (``edges``) of a co-occurrence network."""

    title = "共现网络 / co-occurrence network"

    @property
    def nodes(self) -> Any:
        return self.table

    @property
    def edges(self) -> Any:
        return self.tables["edges"]

    def plot(self, group: object | None = None, labels: int = 30, by: str = "degree_centrality",  # type: ignore[override]
             **kwargs: Any) -> Figure:
        """The network (of one ``group`` when built per group; default the first)."""
        from corpus_tool.plot.meaning import plot_network

        nodes, edges, col = self.table, self.edges, self.group_column
        if col is not None:
            chosen = nodes[col].iloc[0] if group is None else group
            nodes, edges = nodes[nodes[col] == chosen], edges[edges[col] == chosen]
            kwargs.setdefault("title", f"共现网络 / co-occurrence network: {col} = {chosen}")
        return plot_network(nodes, edges, labels=labels, by=by, **kwargs)

    def to_files(self, out_dir: str | Path) -> list[Path]:
        """nodes.csv, edges.csv (the edge list), network.gexf and network.graphml, with run records."""
        from corpus_tool.analyse.meaning.network import write_network

        return write_network(self._analysis_result(), out_dir, command_line=self.command_line(out_dir))

    def to_gexf(self, path: str | Path) -> Path:
        """One GEXF file (Gephi) of the whole table (one network: no ``by``)."""
        import networkx as nx

        from corpus_tool.analyse.meaning.network import _fix_gexf_date, to_graph

        path = Path(path)
        nx.write_gexf(to_graph(self.table, self.edges), path)
        _fix_gexf_date(path)
        return path

    def command_line(self, out: str | Path | None = None, *, zh_headers: bool = False) -> str | None:
        if self.cli is None:
            return None
        from corpus_tool.export.runrecord import command_line

        command, arguments, options = self.cli
        return command_line(command, arguments, {**options, **({} if out is None else {"out_dir": str(out)})})


class CorrespondenceResult(Result):
    title = "对应分析 / correspondence analysis"
    label = "item"
    value = "dim1"

    @property
    def inertia(self) -> Any:
        return self.tables["inertia"]

    def plot(self, terms: int = 60, **kwargs: Any) -> Figure:  # type: ignore[override]
        from corpus_tool.plot.meaning import plot_ca

        return plot_ca(self.table, self.inertia, terms=terms, **kwargs)


class ClusterResult(Result):
    title = "层次聚类 / hierarchical clustering"
    label = "item"
    value = "cluster"

    def plot(self, **kwargs: Any) -> Figure:  # type: ignore[override]
        from corpus_tool.plot.meaning import plot_dendrogram

        table = self.table
        if self.params.get("items") == "documents":
            labels = self.document_labels_for(table["item"].tolist())
            table = table.assign(item=table["item"].map(labels).fillna(table["item"]))
        return plot_dendrogram(table, self.tables["linkage"], **kwargs)

    def document_labels_for(self, ids: list[str]) -> dict[str, str]:
        saved = self.table
        try:
            self.table = saved.assign(doc_id=saved["item"])
            return self.document_labels()
        finally:
            self.table = saved


class SimilarityResult(Result):
    title = "文档相似度 / document similarity"
    label = "other_doc_id"
    value = "similarity"

    @property
    def matrix(self) -> Any:
        return self.tables.get("matrix")

    def plot(self, **kwargs: Any) -> Figure:  # type: ignore[override]
        """The heat map of the similarity matrix (run with ``matrix=True``)."""
        from corpus_tool.plot.meaning import plot_similarity_matrix

        if self.matrix is None:
            raise ValueError("没有相似度矩阵 / no matrix: run with matrix=True")
        return plot_similarity_matrix(self.matrix, self.document_labels(), **kwargs)


class ReadabilityResult(Result):
    title = "可读性 / readability"
    label = "doc_id"
    value = "readability1"

    def plot(self, x: str | None = None, **kwargs: Any) -> Figure:  # type: ignore[override]
        from corpus_tool.plot.meaning import plot_readability

        x = x or ("year" if self.table["year"].notna().any() else "doc_id")
        return plot_readability(self.table.dropna(subset=[x]), x=x, **kwargs)


MEANING_RESULTS: dict[str, type[Result]] = {
    "similar": NeighboursResult,
    "expand": ExpansionResult,
    "project": ProjectionResult,
    "network": NetworkResult,
    "correspondence": CorrespondenceResult,
    "cluster": ClusterResult,
    "docsim": SimilarityResult,
    "readability": ReadabilityResult,
}


def wrap_meaning(result: Any, db: str | Path | None, cli: tuple[str, list[str], dict[str, Any]] | None) -> Result:
    return MEANING_RESULTS.get(result.analysis, Result).from_analysis(result, db, cli)
