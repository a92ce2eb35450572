"""The meaning analyses as :class:`corpus_tool.api.Corpus` methods (mixed into ``Corpus``), mirroring the CLI:
same parameter names and defaults; ``options`` is what the command line would say, for the run record."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corpus_tool.analyse.meaning.embeddings import EmbeddingModel
    from corpus_tool.notebook import Result


class MeaningMethods:
    """Word embeddings, dictionary expansion, projection, networks, CA, clustering, similarity, readability."""

    def _meaning(self, command: str, func: Any, *, options: dict[str, Any], arguments: Sequence[str] = (),
                 **params: Any) -> Result:
        from corpus_tool.analyse.meaning.notebook import wrap_meaning

        self._ensure_segmented()  # type: ignore[attr-defined]
        db = self._existing()  # type: ignore[attr-defined]
        return wrap_meaning(func(db, **params), db, (command, list(arguments), options))

    def embed(self, *, name: str = "word2vec", vector_size: int = 100, window: int = 6, min_count: int = 5,
              epochs: int = 5, algorithm: str = "cbow", seed: int = 1, workers: int = 1, unit: str = "sentence",
              where: str | None = None, include_duplicates: bool = False, keep_stopwords: bool = False,
              pos: str | Sequence[str] | None = None, min_chars: int = 1,
              fields: str | Sequence[str] | None = None) -> EmbeddingModel:
        """Train word2vec on the stored tokens (``corpus-tool embed``); saved under ``<db>.models/<name>/``.
        ``workers=1`` (default) is reproducible for a seed; more workers are not (gensim threads)."""
        from corpus_tool.analyse.meaning.embeddings import train_embeddings
        from corpus_tool.api import _token_filter

        self._ensure_segmented()  # type: ignore[attr-defined]
        return train_embeddings(self._existing(), name=name, vector_size=vector_size, window=window,  # type: ignore[attr-defined]
                                min_count=min_count, epochs=epochs, algorithm=algorithm, seed=seed, workers=workers,
                                unit=unit, where=where, include_duplicates=include_duplicates,
                                token_filter=_token_filter(keep_stopwords, pos, min_chars, fields))

    def similar(self, terms: str | Sequence[str], *, model: str = "word2vec", top: int = 20,
                stability: int = 0) -> Result:
        """Nearest neighbours of ``terms`` in the trained embeddings (``corpus-tool similar``); ``stability=3``
        trains 3 models in all (seeds seed, seed + 1 …) and adds the share of them that rank each neighbour."""
        from corpus_tool.analyse.meaning.embeddings import load_embeddings
        from corpus_tool.analyse.meaning.embeddings import similar as similar_fn
        from corpus_tool.analyse.options import split_terms

        terms = split_terms(terms)
        options = {"db": os.fspath(self.path), "model": model, "top": top,  # type: ignore[attr-defined]
                   "stability": stability or None}
        return self._meaning("similar", lambda db, **_: similar_fn(load_embeddings(db, model), terms, top=top,
                                                                   stability=stability, db=db),
                             options=options, arguments=terms)

    def expand(self, seeds: str | Sequence[str], *, method: str = "both", negative: Sequence[str] | None = None,
               model: str = "word2vec", top: int = 30, window: int = 10, min_joint: int = 2, min_freq: int = 2,
               agg: str = "mean", where: str | None = None, include_duplicates: bool = False) -> Result:
        """Candidate terms for the category of ``seeds`` (``corpus-tool expand``); ``.accept(...)`` adds the
        marked ones to a user dictionary or a coding dictionary."""
        from corpus_tool.analyse.meaning.expansion import expand as expand_fn
        from corpus_tool.analyse.options import split_terms

        seeds = split_terms(seeds)  # 数字经济,数字化 or ["数字经济", "数字化"], as on the command line
        options = {"db": os.fspath(self.path), "method": method,  # type: ignore[attr-defined]
                   "negative": ",".join(negative) if negative else None, "model": model, "top": top,
                   "window": window, "min_joint": min_joint, "min_freq": min_freq, "agg": agg, "where": where,
                   "include_duplicates": include_duplicates}
        return self._meaning("expand", expand_fn, options=options, arguments=seeds, seeds=seeds,
                             method=method, negative=list(negative or []), model=model, top=top, window=window,
                             min_joint=min_joint, min_freq=min_freq, agg=agg, where=where,
                             include_duplicates=include_duplicates)

    def project(self, axes: str | Sequence[str], *, by: str = "year", model: str = "word2vec", bootstrap: int = 200,
                seed: int = 1, where: str | None = None, include_duplicates: bool = False) -> Result:
        """Scores of groups (``by``) or documents (``by="document"``) on concept axes such as
        ``"政府,计划 ↔ 市场,竞争"`` (``corpus-tool project``)."""
        from corpus_tool.analyse.meaning.projection import project as project_fn

        axes = [axes] if isinstance(axes, str) else list(axes)
        options = {"db": os.fspath(self.path), "by": by, "model": model,  # type: ignore[attr-defined]
                   "bootstrap": bootstrap, "seed": seed, "where": where, "include_duplicates": include_duplicates}
        return self._meaning("project", project_fn, options=options, arguments=axes, axes=axes, by=by, model=model,
                             n_boot=bootstrap, seed=seed, where=where, include_duplicates=include_duplicates)

    def network(self, *, unit: str = "sentence", weight: str = "jaccard", window: int = 5, max_nodes: int = 120,
                min_freq: int = 2, min_cooc: int = 2, max_edges: int = 60, by: str | None = None, seed: int = 100,
                where: str | None = None, include_duplicates: bool = False, keep_stopwords: bool = False,
                pos: str | Sequence[str] | None = None, min_chars: int = 2,
                fields: str | Sequence[str] | None = None) -> Result:
        """The co-occurrence network (``corpus-tool network``): ``.table`` nodes, ``.edges``, ``.plot()``,
        ``.to_files(dir)`` (CSV, GEXF, GraphML)."""
        from corpus_tool.analyse.meaning.network import network as network_fn
        from corpus_tool.api import _filter_options, _token_filter

        tf = _token_filter(keep_stopwords, pos, min_chars, fields)
        options = {"db": os.fspath(self.path), "unit": unit, "weight": weight, "window": window,  # type: ignore[attr-defined]
                   "max_nodes": max_nodes, "min_freq": min_freq, "min_cooc": min_cooc, "max_edges": max_edges,
                   "by": by, "seed": seed, "where": where, "include_duplicates": include_duplicates,
                   **_filter_options(tf)}
        return self._meaning("network", network_fn, options=options, unit=unit, weight=weight, window=window,
                             max_nodes=max_nodes, min_freq=min_freq, min_cooc=min_cooc, max_edges=max_edges, by=by,
                             seed=seed, where=where, include_duplicates=include_duplicates, token_filter=tf)

    def correspondence(self, *, by: str = "year", top: int = 60, min_freq: int = 5, scaling: str = "symmetric",
                       where: str | None = None, include_duplicates: bool = False) -> Result:
        """Correspondence analysis of terms against ``by`` (``corpus-tool ca``); ``.inertia``; ``.plot()`` biplot."""
        from corpus_tool.analyse.meaning.correspondence import correspondence

        options = {"db": os.fspath(self.path), "by": by, "top": top, "min_freq": min_freq,  # type: ignore[attr-defined]
                   "scaling": scaling, "where": where, "include_duplicates": include_duplicates}
        return self._meaning("ca", correspondence, options=options, by=by, top=top, min_freq=min_freq,
                             scaling=scaling, where=where, include_duplicates=include_duplicates)

    def cluster(self, *, items: str = "terms", top: int = 50, k: int | None = None, method: str = "ward",
                unit: str = "sentence", where: str | None = None, include_duplicates: bool = False) -> Result:
        """Hierarchical clustering of terms or documents (``corpus-tool cluster``); ``.plot()`` dendrogram."""
        from corpus_tool.analyse.meaning.correspondence import cluster as cluster_fn

        options = {"db": os.fspath(self.path), "items": items, "top": top, "k": k,  # type: ignore[attr-defined]
                   "method": method, "unit": unit, "where": where, "include_duplicates": include_duplicates}
        return self._meaning("cluster", cluster_fn, options=options, items=items, top=top, k=k, method=method,
                             unit=unit, where=where, include_duplicates=include_duplicates)

    def similarity(self, *, method: str = "tfidf", top: int = 5, matrix: bool = False, model: str = "word2vec",
                   where: str | None = None, include_duplicates: bool = False) -> Result:
        """The ``top`` most similar documents of each (``corpus-tool docsim``); ``matrix=True`` adds the matrix."""
        from corpus_tool.analyse.meaning.similarity import similarity

        options = {"db": os.fspath(self.path), "method": method, "top": top,  # type: ignore[attr-defined]
                   "matrix": matrix, "model": model, "where": where, "include_duplicates": include_duplicates}
        return self._meaning("docsim", similarity, options=options, method=method, top=top, matrix=matrix,
                             model=model, where=where, include_duplicates=include_duplicates)

    def readability(self, *, window: int = 100, fields: str | Sequence[str] = "body", where: str | None = None,
                    include_duplicates: bool = False) -> Result:
        """Readability (徐巍等 2021) and lexical diversity per document (``corpus-tool readability``)."""
        from corpus_tool.analyse.meaning.readability import readability
        from corpus_tool.api import _names

        names = _names(fields)
        options = {"db": os.fspath(self.path), "window": window, "fields": ",".join(names),  # type: ignore[attr-defined]
                   "where": where, "include_duplicates": include_duplicates}
        return self._meaning("readability", readability, options=options, window=window, fields=names, where=where,
                             include_duplicates=include_duplicates)
