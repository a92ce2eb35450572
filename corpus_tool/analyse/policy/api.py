"""The policy measures as :class:`corpus_tool.api.Corpus` methods (mixed into ``Corpus``), mirroring the CLI:
same parameter names and defaults; ``options`` is what the command line would say, for the run record."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corpus_tool.notebook import Result


class PolicyMethods:
    """Policy strength, two-dimensional coding, terms over time, text reuse, compare."""

    def _policy(self, command: str, func: Any, *, options: dict[str, Any], arguments: Sequence[str] = (),
                segmented: bool = False, **params: Any) -> Result:
        from corpus_tool.analyse.policy.notebook import wrap_policy

        if segmented:
            self._ensure_segmented()  # type: ignore[attr-defined]
        db = self._existing()  # type: ignore[attr-defined]
        return wrap_policy(func(db, **params), db, (command, list(arguments), options))

    def strength(self, *, scale: str | os.PathLike[str] | None = None, joint: str = "highest",
                 form: str = "attachment", by: str | None = "year", dictionary: str | os.PathLike[str] | None = None,
                 where: str | None = None, include_duplicates: bool = False) -> Result:
        """Policy strength per document from issuer level × form (``corpus-tool strength``); ``.unscored`` lists
        the documents not scored with the reason; ``dictionary="starter"`` adds instrument × strength."""
        from corpus_tool.analyse.policy.crosscode import dictionary_path
        from corpus_tool.analyse.policy.strength import strength as strength_fn

        options = {"db": os.fspath(self.path), "scale": os.fspath(scale) if scale else None,  # type: ignore[attr-defined]
                   "joint": joint, "form": form, "by": by, "dictionary": os.fspath(dictionary) if dictionary else None,
                   "where": where, "include_duplicates": include_duplicates}
        return self._policy("strength", strength_fn, options=options, scale=scale, joint=joint, form=form, by=by,
                            dictionary=dictionary_path(dictionary) if dictionary else None, where=where,
                            include_duplicates=include_duplicates)

    def crosscode(self, x: str | os.PathLike[str] = "starter", y: str | os.PathLike[str] = "innovation_chain", *,
                  unit: str = "paragraph", fields: str | Sequence[str] = "body", normalise: str = "none",
                  where: str | None = None, include_duplicates: bool = False) -> Result:
        """Cross table of two coding dictionaries (``corpus-tool crosscode``): ``.table`` cells, ``.matrix``,
        ``.evidence``, ``.plot()`` heat map."""
        from corpus_tool.analyse.policy.crosscode import crosscode as crosscode_fn
        from corpus_tool.api import _names

        names = _names(fields)
        options = {"x": os.fspath(x), "y": os.fspath(y), "db": os.fspath(self.path),  # type: ignore[attr-defined]
                   "unit": unit, "fields": ",".join(names), "normalise": normalise, "where": where,
                   "include_duplicates": include_duplicates}
        return self._policy("crosscode", crosscode_fn, options=options, x=x, y=y, unit=unit, fields=names,
                            normalise=normalise, where=where, include_duplicates=include_duplicates)

    def trend(self, terms: str | Sequence[str], *, by: str = "year", count: str = "text",
              fields: str | Sequence[str] | None = None, where: str | None = None,
              include_duplicates: bool = False) -> Result:
        """Relative frequency of ``terms`` per year and each term's first appearance (``corpus-tool trend``)."""
        from corpus_tool.analyse.options import split_terms
        from corpus_tool.analyse.policy.trend import term_trend
        from corpus_tool.api import _names

        terms = split_terms(terms)
        names = _names(fields) if fields else ()
        options = {"db": os.fspath(self.path), "by": by, "count": count,  # type: ignore[attr-defined]
                   "fields": ",".join(names) or None, "where": where, "include_duplicates": include_duplicates}
        return self._policy("trend", term_trend, options=options, arguments=[",".join(terms)], segmented=True,
                            terms=list(terms), by=by, count=count, fields=tuple(names), where=where,
                            include_duplicates=include_duplicates)

    def reuse(self, *, n: int = 10, min_length: int = 30, min_similarity: float = 0.8, max_gap: int = 20,
              max_df: int = 100, min_shared: int = 5, boilerplate_docs: int = 10, source_where: str | None = None,
              target_where: str | None = None, issuer_field: str = "issuer",
              fields: str | Sequence[str] = ("heading", "body"), where: str | None = None,
              include_duplicates: bool = False) -> Result:
        """Passages documents share (``corpus-tool reuse``): ``.table`` the aligned passages (evidence),
        ``.pairs`` per document pair (direction from the dates, kind forwarded / duplicate / partial, reused
        shares), ``.issuers`` who copies whom; ``.plot()`` the issuer network, ``.to_files(out, graph_dir)``."""
        from corpus_tool.analyse.policy.reuse import reuse as reuse_fn
        from corpus_tool.api import _names

        names = _names(fields)
        # Keys are the CLI's option names: the run record's command line is the command a user would type.
        options = {"db": os.fspath(self.path), "ngram": n, "min_length": min_length,  # type: ignore[attr-defined]
                   "min_similarity": min_similarity, "max_gap": max_gap, "max_df": max_df, "min_shared": min_shared,
                   "boilerplate_docs": boilerplate_docs, "sources": source_where, "targets": target_where,
                   "issuer_field": issuer_field, "fields": ",".join(names), "where": where,
                   "include_duplicates": include_duplicates}
        return self._policy("reuse", reuse_fn, options=options, n=n, min_length=min_length,
                            min_similarity=min_similarity, max_gap=max_gap, max_df=max_df, min_shared=min_shared,
                            boilerplate_docs=boilerplate_docs, source_where=source_where, target_where=target_where,
                            issuer_field=issuer_field, fields=names, where=where,
                            include_duplicates=include_duplicates)

    def compare(self, a: str, b: str, *, ratio: float = 0.6, baseline: str = "previous", min_chars: int = 3,
                min_count: int = 1, contexts: int = 3, width: int = 20,
                fields: str | Sequence[str] = ("heading", "body"), include_duplicates: bool = False) -> Result:
        """What changed from ``a`` to ``b`` (``corpus-tool compare A B``; each a doc_id or a filter such as
        ``"year = 2023"``): ``.table`` sentences kept / changed / new / dropped, ``.terms`` new terms (新提法)
        with contexts, ``.documents`` novelty share per document; ``.plot()`` bars of the four."""
        from corpus_tool.analyse.policy.compare import compare as compare_fn
        from corpus_tool.api import _names

        names = _names(fields)
        options = {"db": os.fspath(self.path), "ratio": ratio, "baseline": baseline,  # type: ignore[attr-defined]
                   "min_chars": min_chars, "min_count": min_count, "contexts": contexts, "width": width,
                   "fields": ",".join(names), "include_duplicates": include_duplicates}
        return self._policy("compare", compare_fn, options=options, arguments=[a, b], segmented=True, a=a, b=b,
                            ratio=ratio, baseline=baseline, min_chars=min_chars, min_count=min_count,
                            n_contexts=contexts, width=width, fields=names, include_duplicates=include_duplicates)
