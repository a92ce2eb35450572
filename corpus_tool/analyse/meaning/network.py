"""Co-occurrence networks of terms, with communities and centralities, exported for Gephi.

Defaults follow KH Coder: the ~120 most frequent counted terms (``max_nodes``; a term also needs
``min_freq`` occurrences), presence in a unit (``sentence``, the default: a paragraph of a policy
report lists dozens of measures, so paragraph presence links nearly every frequent word; or
``paragraph``), Jaccard weights and the 60 strongest edges (``max_edges``; a strict cap, ties broken
by co-occurrence count and then by the terms, so the cut never depends on reading order).
``unit="window"`` counts instead pairs of counted tokens at most ``window`` apart in one paragraph
(one count per pair of positions).

Weights: ``count`` (co-occurrences c), ``jaccard`` c / (a + b − c) over the units holding each term,
``pmi`` log₂(c·N / (a·b)) with N units (window: N pairs, a and b the terms' pair counts). Pairs need at
least ``min_cooc`` co-occurrences. Counts come from a sparse binary units × terms matrix (X.T @ X),
never a dense V × V table.

Communities: Louvain (networkx ``louvain_communities``, weighted, seeded: the same seed gives the same
partition), numbered 1, 2 … by size (then by their first term). Centralities: degree (share of the other
nodes linked), weighted degree (sum of edge weights), betweenness (shortest paths, unweighted, as KH
Coder) and eigenvector (weighted). Isolated terms (no edge kept) leave the network, as in KH Coder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corpus_tool.analyse.meaning.base import TokenStream, read_tokens
from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import CORPUS, Selection, TokenFilter, ensure_by, group_column_name, group_order
from corpus_tool.store.db import CorpusDB

WEIGHTS = ("jaccard", "count", "pmi")
UNITS = ("paragraph", "sentence", "window")
NODE_COLUMNS = ["term", "frequency", "units", "community", "degree_centrality", "weighted_degree", "betweenness",
                "eigenvector", "x", "y"]
EDGE_COLUMNS = ["source", "target", "weight", "cooc", "same_community"]


def network(db: str | Path | CorpusDB, *, unit: str = "sentence", weight: str = "jaccard", window: int = 5,
            max_nodes: int = 120, min_freq: int = 2, min_cooc: int = 2, max_edges: int = 60, by: str | None = None,
            seed: int = 100, where: str | None = None, include_duplicates: bool = False,
            token_filter: TokenFilter | None = None) -> AnalysisResult:
    """The co-occurrence network (``table``: nodes; ``tables["edges"]``), one per group with ``by``."""
    if unit not in UNITS:
        raise ValueError(f"未知单元 / unknown unit {unit!r}; choose {', '.join(UNITS)}")
    if weight not in WEIGHTS:
        raise ValueError(f"未知权重 / unknown weight {weight!r}; choose {', '.join(WEIGHTS)}")
    by = ensure_by(by)
    token_filter = token_filter or TokenFilter(min_chars=2)
    selection = Selection(where, include_duplicates, by)
    params = {"unit": unit, "weight": weight, "window": window if unit == "window" else None, "max_nodes": max_nodes,
              "min_freq": min_freq, "min_cooc": min_cooc, "max_edges": max_edges, "by": by, "seed": seed,
              "token_filter": token_filter.to_dict(), **selection.to_dict()}
    with analysis_context(db, selection, token_filter, count_tokens=False) as ctx:
        stream = read_tokens(ctx)
        docs = ctx.docs
        corpus, segmentation = ctx.corpus, ctx.segmentation
    gcol = group_column_name(by)
    node_tables, edge_tables = [], []
    groups = group_order(docs) if gcol else [None]
    grp_of_doc = docs["grp"].to_numpy(object)
    for g in groups:
        sub = stream if g is None else _subset(stream, np.flatnonzero(grp_of_doc[stream.doc] == g))
        nodes, edges = build_network(sub, unit=unit, weight=weight, window=window, max_nodes=max_nodes,
                                     min_freq=min_freq, min_cooc=min_cooc, max_edges=max_edges, seed=seed)
        if gcol:
            typed = docs.loc[docs["grp"] == g, "group"].iloc[0]
            nodes.insert(0, gcol, typed)
            edges.insert(0, gcol, typed)
        node_tables.append(nodes)
        edge_tables.append(edges)
    table = pd.concat(node_tables, ignore_index=True)
    edges = pd.concat(edge_tables, ignore_index=True)
    return AnalysisResult("network", table, params, corpus, segmentation, tables={"edges": edges})


def _subset(stream: TokenStream, idx: np.ndarray) -> TokenStream:
    return TokenStream(stream.docs, stream.vocab, stream.term[idx], stream.doc[idx], stream.para[idx],
                       stream.sent[idx], stream.position[idx])


def build_network(stream: TokenStream, *, unit: str, weight: str, window: int, max_nodes: int, min_freq: int,
                  min_cooc: int, max_edges: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges tables of one network (sorted: nodes by community then degree; edges by weight)."""
    import networkx as nx
    from scipy import sparse

    freq = stream.frequencies()
    vocab = np.asarray(stream.vocab, dtype=object)
    # The most frequent terms (ties by the term itself), above the floor.
    cand = np.flatnonzero(freq >= max(min_freq, 1))
    cand = cand[np.lexsort((vocab[cand], -freq[cand]))][:max_nodes]
    local = np.full(len(vocab), -1, dtype=np.int64)
    local[cand] = np.arange(len(cand))
    sel = local[stream.term] >= 0
    terms, tcode = vocab[cand], local[stream.term[sel]]
    if unit == "window":
        # Distances count every counted token (not only the network's terms): a pair is two network terms at most
        # ``window`` counted tokens apart in one paragraph.
        lc, para = local[stream.term], stream.para
        src, dst = [], []
        for k in range(1, window + 1):
            a = np.arange(len(lc) - k)
            b = a + k
            ok = (lc[a] >= 0) & (lc[b] >= 0) & (para[a] == para[b])
            src.append(lc[a[ok]])
            dst.append(lc[b[ok]])
        s, d = (np.concatenate(src), np.concatenate(dst)) if src else (np.zeros(0, int), np.zeros(0, int))
        keep = s != d
        lo, hi = np.minimum(s[keep], d[keep]), np.maximum(s[keep], d[keep])
        co = sparse.coo_matrix((np.ones(len(lo)), (lo, hi)), shape=(len(terms), len(terms))).tocsr()
        co = co + co.T
        margin = np.asarray(co.sum(axis=1)).ravel()
        n_units = float(len(lo))
        unit_freq = margin
    else:
        uid = stream.unit_ids(unit)[sel]
        _, uid = np.unique(uid, return_inverse=True)
        x = sparse.csr_matrix((np.ones(len(uid)), (uid, tcode)), shape=(int(uid.max()) + 1 if len(uid) else 0,
                                                                          len(terms)))
        x.data[:] = 1.0  # presence
        x.sum_duplicates()
        x.data[:] = 1.0
        co = (x.T @ x).tocsr()
        co.setdiag(0)
        co.eliminate_zeros()
        unit_freq = np.asarray(x.sum(axis=0)).ravel()
        n_units = float(x.shape[0])
    upper = sparse.triu(co, k=1).tocoo()
    c = upper.data
    ok = c >= min_cooc
    i, j, c = upper.row[ok], upper.col[ok], c[ok]
    a, b = unit_freq[i], unit_freq[j]
    if weight == "count":
        w = c.astype(float)
    elif weight == "jaccard":
        w = c / (a + b - c)
    else:
        w = np.log2(c * n_units / (a * b))
    edge_order = np.lexsort((terms[j], terms[i], -c, -w))[:max_edges]
    i, j, w, c = i[edge_order], j[edge_order], w[edge_order], c[edge_order]
    graph = nx.Graph()
    used = sorted(set(i.tolist()) | set(j.tolist()), key=lambda k: terms[k])
    for k in used:
        graph.add_node(str(terms[k]), frequency=int(freq[cand[k]]), units=int(unit_freq[k]))
    for s_, t_, w_, c_ in zip(i, j, w, c, strict=True):
        graph.add_edge(str(terms[s_]), str(terms[t_]), weight=float(w_), cooc=int(c_))
    return _tables(graph, seed)


def _tables(graph: Any, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=NODE_COLUMNS), pd.DataFrame(columns=EDGE_COLUMNS)
    comms = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    comms = sorted((sorted(cm) for cm in comms), key=lambda cm: (-len(cm), cm[0]))
    community = {n: k for k, cm in enumerate(comms, 1) for n in cm}
    degree = nx.degree_centrality(graph)
    strength = dict(graph.degree(weight="weight"))
    between = nx.betweenness_centrality(graph)
    eigen = _eigenvector(graph)
    pos = nx.spring_layout(graph, seed=seed, weight="weight")
    nodes = pd.DataFrame([(n, d["frequency"], d["units"], community[n], degree[n], strength[n], between[n], eigen[n],
                           float(pos[n][0]), float(pos[n][1])) for n, d in graph.nodes(data=True)],
                         columns=NODE_COLUMNS)
    nodes = nodes.sort_values(["community", "degree_centrality", "frequency", "term"],
                              ascending=[True, False, False, True], kind="mergesort").reset_index(drop=True)
    edges = pd.DataFrame([(s, t, d["weight"], d["cooc"], community[s] == community[t])
                          for s, t, d in graph.edges(data=True)], columns=EDGE_COLUMNS)
    edges = edges.sort_values(["weight", "cooc", "source", "target"], ascending=[False, False, True, True],
                              kind="mergesort").reset_index(drop=True)
    return nodes, edges


def _eigenvector(graph: Any) -> dict[str, float]:
    """Weighted eigenvector centrality: the leading eigenvector of the (small, dense) weighted adjacency matrix,
    unit length, non-negative. A direct solve (numpy ``eigh``): power iteration fails to converge on some
    disconnected graphs, where nodes outside the dominant component get values near 0."""
    import networkx as nx

    names = list(graph.nodes)
    a = nx.to_numpy_array(graph, nodelist=names, weight="weight")
    _, vecs = np.linalg.eigh(a)
    v = np.abs(vecs[:, -1])
    v = v / (np.linalg.norm(v) or 1.0)
    return {n: float(x) for n, x in zip(names, v, strict=True)}


def to_graph(nodes: pd.DataFrame, edges: pd.DataFrame) -> Any:
    """A networkx graph of one network's tables, with every node and edge attribute (for GEXF / GraphML)."""
    import networkx as nx

    from corpus_tool.plot.style import colors

    graph = nx.Graph()
    n_comm = int(nodes["community"].max()) if len(nodes) else 0
    palette = colors(n_comm)
    for r in nodes.itertuples(index=False):
        rgb = palette[int(r.community) - 1].lstrip("#")
        graph.add_node(r.term, label=r.term, frequency=int(r.frequency), units=int(r.units),
                       community=int(r.community), degree_centrality=float(r.degree_centrality),
                       weighted_degree=float(r.weighted_degree),
                       betweenness=float(r.betweenness), eigenvector=float(r.eigenvector), x=float(r.x),
                       y=float(r.y),
                       viz={"size": float(np.sqrt(r.frequency)),
                            "position": {"x": float(r.x) * 1000, "y": float(r.y) * 1000, "z": 0.0},
                            "color": {"r": int(rgb[0:2], 16), "g": int(rgb[2:4], 16), "b": int(rgb[4:6], 16),
                                      "a": 1.0}})
    for r in edges.itertuples(index=False):
        graph.add_edge(r.source, r.target, weight=float(r.weight), cooc=int(r.cooc))
    return graph


def write_network(result: AnalysisResult, out_dir: str | Path, *, command_line: str | None = None) -> list[Path]:
    """Write ``nodes.csv``, ``edges.csv`` (the edge list), ``network.gexf`` and ``network.graphml`` (one pair
    per group with ``by``: ``network_<group>.gexf``), each with its run record; returns the paths."""

    from corpus_tool.export.runrecord import run_record, write_run_record
    from corpus_tool.export.save import save_result

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nodes_only = AnalysisResult(result.analysis, result.table, result.params, result.corpus, result.segmentation,
                                warnings=result.warnings)
    edges_only = AnalysisResult(result.analysis, result.tables["edges"], result.params, result.corpus,
                                result.segmentation)
    paths = save_result(nodes_only, out / "nodes.csv", command_line=command_line)
    paths += save_result(edges_only, out / "edges.csv", command_line=command_line)
    gcol = group_column_name(result.params.get("by") or CORPUS)
    nodes, edges = result.table, result.tables["edges"]
    groups = [None] if gcol is None else list(dict.fromkeys(nodes[gcol].tolist()))
    for g in groups:
        n = nodes if g is None else nodes[nodes[gcol] == g]
        e = edges if g is None else edges[edges[gcol] == g]
        graph = to_graph(n, e)
        stem = "network" if g is None else f"network_{g}"
        gexf, graphml = write_graph(graph, out, stem)
        record = run_record("network", result.params, corpus=result.corpus, segmentation=result.segmentation,
                            seeds={"louvain_and_layout_seed": result.params.get("seed")}, command_line=command_line,
                            extra={"group": None if g is None else str(g), "nodes": len(n), "edges": len(e)})
        paths += [gexf, graphml, write_run_record(gexf, record, outputs=[gexf, graphml])]
    return paths


def write_graph(graph: Any, out_dir: Path, stem: str) -> tuple[Path, Path]:
    """Write ``<stem>.gexf`` (Gephi, with its ``viz`` attributes, a fixed date) and ``<stem>.graphml`` (without)."""
    import networkx as nx

    gexf, graphml = out_dir / f"{stem}.gexf", out_dir / f"{stem}.graphml"
    nx.write_gexf(graph, gexf)
    _fix_gexf_date(gexf)
    plain = graph.copy()
    for _, d in plain.nodes(data=True):
        d.pop("viz", None)
    nx.write_graphml(plain, graphml)
    return gexf, graphml


def _fix_gexf_date(path: Path) -> None:
    """networkx writes today's date into the GEXF header: a fixed one keeps the file byte-identical across days."""
    import re

    text = path.read_text("utf-8")
    path.write_text(re.sub(r'lastmodifieddate="[^"]*"', 'lastmodifieddate="2000-01-01"', text, count=1), "utf-8")
