"""The Python API for notebooks: ``ct.Corpus("corpus.duckdb")`` over the same functions as the CLI.

A :class:`Corpus` holds a database path and its segmentation settings, nothing else: no connection
stays open between calls (the CLI can use the same file meanwhile), and no tokenizer lives at
module level, so two corpora with different user dictionaries in one kernel never interfere.

Tables come back as pandas DataFrames; analyses as result objects (:mod:`corpus_tool.notebook`) with
``.table``, ``.plot()``, ``.to_csv()``/``.to_excel()`` (with the run record) and a rich notebook view.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from corpus_tool.analyse.meaning.api import MeaningMethods
from corpus_tool.analyse.policy.api import PolicyMethods
from corpus_tool.notebook import Result, Topics, wrap
from corpus_tool.store.db import DEFAULT_DB, EXPORT_COLUMNS, CorpusDB

if TYPE_CHECKING:
    from corpus_tool.analyse.units import TokenFilter
    from corpus_tool.reading.pipeline import IngestSummary
    from corpus_tool.segment.base import SegmentSettings
    from corpus_tool.segment.run import SegmentSummary

PathLike = str | os.PathLike[str]


def _paths(value: PathLike | Iterable[PathLike] | None) -> tuple[str, ...]:
    """One path or several, as a tuple of strings."""
    if value is None:
        return ()
    if isinstance(value, (str, os.PathLike)):
        return (os.fspath(value),)
    return tuple(os.fspath(v) for v in value)


class Corpus(MeaningMethods, PolicyMethods):
    """A corpus database and how its texts are segmented.

    ``segmenter``, ``user_dict``, ``stopwords`` ... mirror ``corpus-tool segment``. Left at None, the
    corpus keeps the segmentation already stored in the database (made by the CLI or an earlier
    session), or segments with the defaults when there is none. Given explicitly, every analysis
    first makes sure the stored tokens were made with exactly these settings (re-segmenting if not).
    A database holds one segmentation: corpora with different settings need their own database files.

    >>> c = Corpus("corpus.duckdb", user_dict="my_terms.txt")   # doctest: +SKIP
    >>> c.keywords(by="year").plot()                               # doctest: +SKIP
    """

    def __init__(
        self,
        db: PathLike = DEFAULT_DB,
        *,
        segmenter: str | None = None,
        user_dict: PathLike | Sequence[PathLike] | None = None,
        stopwords: PathLike | Sequence[PathLike] | None = None,
        lexicon: bool | None = None,
        default_stopwords: bool | None = None,
        hmm: bool | None = None,
        pos: bool | None = None,
        hanlp_dict: str | None = None,
        keep_script: bool | None = None,
        jobs: int = 1,
        engine: str = "local",
        scheduler: str | None = None,
    ) -> None:
        self.path = Path(db)
        # Where segmentation runs (as `corpus-tool segment --jobs/--engine/--scheduler`): never changes tokens.
        self.jobs = jobs
        self.engine = engine
        self.scheduler = scheduler
        self.last_ingest: IngestSummary | None = None  # summary of this object's latest ingest() call
        options = {"user_dicts": _paths(user_dict) or None, "stopwords": _paths(stopwords) or None,
                   "lexicon": lexicon, "default_stopwords": default_stopwords, "hmm": hmm, "pos": pos,
                   "hanlp_dict": hanlp_dict, "to_simplified": None if keep_script is None else not keep_script}
        options = {k: v for k, v in options.items() if v is not None}
        self._settings: SegmentSettings | None = None
        if segmenter is not None or options:
            from corpus_tool.segment.base import SegmentSettings

            self._settings = SegmentSettings.from_spec(segmenter or "jieba", **options)

    # -- building the corpus -----------------------------------------------------------------------------
    def ingest(self, paths: PathLike | Iterable[PathLike], *, metadata: PathLike | Sequence[PathLike] | None = None,
               jobs: int = 1, engine: str = "local", scheduler: str | None = None, to_simplified: bool = False,
               text_column: str | None = None, ocr: bool = False, strict: bool = False, timeout: float | None = None,
               max_pages: int = 2000, max_chars: int = 5_000_000, max_mb: int = 200, max_memory_mb: int = 3072,
               near_duplicate_threshold: float = 0.7, retry_failed: bool = False,
               rehash: bool = False) -> IngestSummary:
        """Add files and folders to the database; same options as ``corpus-tool ingest``.

        ``metadata``: manifest CSV(s) joined to files by path or name; their columns become fields for
        ``where=`` and ``by=``. ``engine``: ``local`` (``jobs`` processes here) or ``dask`` (a cluster at
        ``scheduler``); the stored rows are the same either way. Returns the summary (also kept as
        ``last_ingest``); files that failed are listed in :meth:`errors`. With ``strict``, stop at the first
        failure and raise. ``timeout``: seconds per file (0: no limit); by default 300, or 3600 with ``ocr``.
        ``rehash``: hash every file, instead of taking one whose size, mtime, ctime and
        inode are those it was last hashed with as unchanged.
        """
        import json

        from corpus_tool.parallel import make_engine
        from corpus_tool.reading.document import IngestOptions, default_timeout
        from corpus_tool.reading.manifest import ManifestSet, load_manifest
        from corpus_tool.reading.pipeline import ingest_paths

        options = IngestOptions(
            ocr=ocr, to_simplified=to_simplified, text_column=text_column, max_pages=max_pages,
            timeout=(default_timeout(ocr) if timeout is None else timeout) or None,
            max_bytes=max_mb * 1024 * 1024, max_chars=max_chars,
            max_memory=max_memory_mb * 1024 * 1024, near_duplicate_threshold=near_duplicate_threshold,
        )
        manifest_paths = _paths(metadata)
        manifests = ManifestSet([load_manifest(p) for p in manifest_paths])
        path_list = list(_paths(paths))
        with make_engine(engine, jobs=jobs, scheduler=scheduler) as executor:
            summary = ingest_paths(path_list, self.path, options=options, jobs=jobs, engine=executor,
                                   manifests=manifests, strict=strict, retry_failed=retry_failed, rehash=rehash)
            where = executor.describe()
        self.last_ingest = summary
        if summary.errors and all(e[1] in ("BrokenProcessPool", "ProcessExpired") for e in summary.errors) \
                and _main_script_lacks_guard():
            raise MissingMainGuardError(
                f"{len(summary.errors)} 个文件未能读取：工作进程全部退出 / "
                f"{len(summary.errors)} files could not be read: every worker process died at start-up "
                "because the script calls ct.ingest() at its top level. "
                "Put the calls under `if __name__ == \"__main__\":` and run again (these files will be retried)."
            )
        params = {"paths": path_list, "metadata": list(manifest_paths), "jobs": jobs, "executor": where,
                  **options.as_dict(), "strict": strict, "rehash": rehash}
        with CorpusDB(self.path) as store:  # the same provenance row as the CLI's
            store.con.execute("INSERT INTO runs VALUES (?, 'ingest', ?, NULL, NULL, ?)",
                              [store.fingerprint(), json.dumps(params, ensure_ascii=False),
                               json.dumps(summary.as_dict(), ensure_ascii=False)])
        if summary.files == 0 and not summary.skipped and not summary.ignored_tables:
            raise FileNotFoundError(f"未找到可导入的文件 / no supported files found in {path_list}")
        if strict and not summary.ok:
            failed = "; ".join(f"{p}: {e}: {d}" for p, e, d in summary.errors[:5])
            raise RuntimeError(f"严格模式：导入失败 / strict: stopped at a failed file: {failed}")
        return summary

    def segment(self, *, force: bool = False, jobs: int | None = None, engine: str | None = None,
                scheduler: str | None = None) -> SegmentSummary:
        """Segment every text unit with this corpus's settings (a no-op when the tokens are current).

        ``jobs``/``engine``/``scheduler`` default to the corpus's; they change where the work runs, not the tokens.
        """
        from corpus_tool.parallel import make_engine
        from corpus_tool.segment.run import current_segmentation, segment_corpus

        settings = self._settings
        if settings is None:
            current = current_segmentation(self._existing())
            settings = current.settings if current is not None else None
        jobs = jobs or self.jobs
        with make_engine(engine or self.engine, jobs=jobs, scheduler=scheduler or self.scheduler) as executor:
            return segment_corpus(self.path, settings, jobs=jobs, engine=executor, force=force)

    @property
    def segmentation(self) -> dict[str, Any] | None:
        """The settings of the tokens stored now (None before the first segmentation)."""
        from corpus_tool.segment.run import current_segmentation

        current = current_segmentation(self._existing())
        if current is None:
            return None
        return {"seg_id": current.seg_id, "settings": current.settings.to_dict(),
                "corpus_fingerprint": current.corpus_fingerprint}

    def _ensure_segmented(self) -> None:
        """Make the stored tokens match this corpus's settings and cover every document."""
        from corpus_tool.segment.build import resolve
        from corpus_tool.segment.run import current_segmentation

        with CorpusDB(self._existing(), read_only=True) as store:
            current = current_segmentation(store)
            fingerprint = store.fingerprint()
        if current is not None and current.corpus_fingerprint == fingerprint and (
                self._settings is None or resolve(self._settings).seg_id == current.seg_id):
            return
        self.segment()

    def _db_option(self) -> str:
        return os.fspath(self.path)

    def _existing(self) -> Path:
        if not self.path.exists():
            raise FileNotFoundError(
                f"语料库数据库不存在 / corpus database not found: {self.path} (先导入 ingest files first: "
                "ct.ingest(paths, db=...))"
            )
        return self.path

    # -- tables --------------------------------------------------------------------------------------------
    def table(self, name: str, where: str | None = None) -> pd.DataFrame:
        """A stored table in its export column order: documents, sections, paragraphs, citations,
        footnotes, tables, log, errors, files, relations or tokens. ``where`` filters documents (``year >= 2018``)."""
        if name not in EXPORT_COLUMNS:
            raise ValueError(f"未知数据表 / unknown table {name!r}; choose from {', '.join(EXPORT_COLUMNS)}")
        if name == "tokens":
            self._ensure_segmented()
        with CorpusDB(self._existing(), read_only=True) as store:
            if where is None or name in ("errors", "files"):
                return store.table(name)
            ids = self._select_ids(store, where)
            df = store.table(name)
        return df[df["doc_id"].isin(ids)].reset_index(drop=True)

    @staticmethod
    def _select_ids(store: CorpusDB, where: str) -> set[str]:
        from corpus_tool.analyse.units import Selection, select_documents

        docs = select_documents(store.con, Selection(where, include_duplicates=True))
        return set(docs["doc_id"])

    def documents(self, where: str | None = None) -> pd.DataFrame:
        """One row per document: id, source, title, year, date, issuer, 发文字号, type, size ..."""
        return self.table("documents", where)

    def paragraphs(self, where: str | None = None) -> pd.DataFrame:
        """Every text unit (title, abstract, headings, body paragraphs) in reading order."""
        return self.table("paragraphs", where)

    def sections(self, where: str | None = None) -> pd.DataFrame:
        return self.table("sections", where)

    def tokens(self, where: str | None = None) -> pd.DataFrame:
        """Tokens of the current segmentation (segmenting first when needed)."""
        return self.table("tokens", where)

    def log(self, where: str | None = None) -> pd.DataFrame:
        """The cleaning log: what each repair step changed in each document, and how often."""
        return self.table("log", where)

    def errors(self) -> pd.DataFrame:
        """Files that could not be ingested, with the reason."""
        return self.table("errors")

    def citations(self, where: str | None = None) -> pd.DataFrame:
        return self.table("citations", where)

    def footnotes(self, where: str | None = None) -> pd.DataFrame:
        return self.table("footnotes", where)

    def tables(self, where: str | None = None) -> pd.DataFrame:
        """Table cells read from the documents (PDF ruled tables), one row per cell: doc_id, table_no,
        page, row, col, spans, text. Their text is not in :meth:`paragraphs`."""
        return self.table("tables", where)

    def info(self) -> dict[str, Any]:
        """Counts of documents, paragraphs, characters, tables, tokens and failed files."""
        with CorpusDB(self._existing(), read_only=True) as store:
            one = lambda sql: (store.con.execute(sql).fetchone() or (0,))[0]  # noqa: E731
            years = store.con.execute("SELECT min(year), max(year) FROM documents").fetchone() or (None, None)
            return {
                "database": str(self.path),
                "documents": one("SELECT count(*) FROM documents"),
                "paragraphs": one("SELECT count(*) FROM paragraphs WHERE field = 'body'"),
                "characters": one("SELECT coalesce(sum(n_chars), 0) FROM documents"),
                "tables": one("SELECT count(DISTINCT (doc_id, table_no)) FROM main.tables"),
                "tokens": one("SELECT count(*) FROM tokens"),
                "failed_files": one("SELECT count(*) FROM errors"),
                "years": None if years[0] is None else (years[0], years[1]),
            }

    def __repr__(self) -> str:
        return f"Corpus({os.fspath(self.path)!r})"

    def _repr_html_(self) -> str:
        if not self.path.exists():
            return f"<p>Corpus <code>{html.escape(str(self.path))}</code>: 尚未创建 / not created yet</p>"
        info = self.info()
        names = {"database": "数据库 database", "documents": "文档 documents", "paragraphs": "段落 paragraphs",
                 "characters": "字符 characters", "tables": "表格 tables", "tokens": "词元 tokens",
                 "failed_files": "失败文件 failed files",
                 "years": "年份 years"}
        rows = "".join(
            f"<tr><th style='text-align:left'>{names[k]}</th><td style='text-align:left'>"
            f"{html.escape(f'{v[0]}–{v[1]}' if isinstance(v, tuple) else (f'{v:,}' if isinstance(v, int) else str(v)))}"
            "</td></tr>" for k, v in info.items() if v is not None)
        return f"<table>{rows}</table>"

    # -- analyses ------------------------------------------------------------------------------------------
    # Each method mirrors one CLI command: same parameter names and defaults. ``options`` is what the
    # command line would say; the run record of an export carries it as the equivalent CLI command.
    def _analyse(self, command: str, func: Callable[..., Any], *, options: dict[str, Any],
                 arguments: Sequence[str] = (), tokens: bool = True, **params: Any) -> Result:
        """Run an analysis function on this corpus and wrap its result for notebooks."""
        if tokens:
            self._ensure_segmented()
        cli = (command, list(arguments), options)
        result = wrap(func(self._existing(), **params), self.path, cli)
        _announce(result.warnings, stacklevel=4)  # the user's call → frequencies() → _analyse() → here
        return result

    def frequencies(self, *, by: str | None = "corpus", top: int | None = None, min_freq: int = 1,
                    where: str | None = None, include_duplicates: bool = False, keep_stopwords: bool = False,
                    pos: str | Sequence[str] | None = None, min_chars: int = 1,
                    fields: str | Sequence[str] | None = None, drop_missing: bool = False) -> Result:
        """Term frequencies, per 10,000 words and document counts, over the corpus or ``by`` a field
        (``corpus-tool freq``). Documents with an empty ``by`` field form the group ``(未知 missing)``;
        ``drop_missing`` leaves them out (the warning and the run record say how many)."""
        from corpus_tool.analyse.frequency import frequencies

        tf = _token_filter(keep_stopwords, pos, min_chars, fields)
        options = {"db": self._db_option(), "by": by, "top": top, "min_freq": min_freq, "where": where,
                   "include_duplicates": include_duplicates, **_filter_options(tf), "drop_missing": drop_missing}
        return self._analyse("freq", frequencies, options=options, by=by, top=top, min_freq=min_freq,
                             where=where, include_duplicates=include_duplicates, token_filter=tf,
                             drop_missing=drop_missing)

    def keywords(self, *, method: str = "tfidf", by: str | None = "document", top: int = 20,
                 reference: PathLike | Corpus | None = None, reference_where: str | None = None, window: int = 5,
                 where: str | None = None, include_duplicates: bool = False, keep_stopwords: bool = False,
                 pos: str | Sequence[str] | None = None, min_chars: int = 2,
                 fields: str | Sequence[str] | None = None, drop_missing: bool = False) -> Result:
        """Top terms per document, per group (``by="year"``) or over the corpus (``by="corpus"``).

        Documents with an empty ``by`` field form the group ``(未知 missing)``; ``drop_missing`` leaves them out.

        ``method``: ``tfidf`` (IDF from this corpus or a ``reference`` corpus), ``textrank`` or ``freq``.
        """
        from corpus_tool.analyse.keywords import keywords

        tf = _token_filter(keep_stopwords, pos, min_chars, fields)
        ref = _db_path(reference)
        options = {"db": self._db_option(), "method": method, "by": by, "top": top, "reference": ref,
                   "reference_where": reference_where, "window": window if method == "textrank" else None,
                   "where": where, "include_duplicates": include_duplicates, **_filter_options(tf),
                   "drop_missing": drop_missing}
        return self._analyse("keywords", keywords, options=options, method=method, by=by, top=top, reference=ref,
                             reference_where=reference_where, window=window, where=where,
                             include_duplicates=include_duplicates, token_filter=tf, drop_missing=drop_missing)

    def keyness(self, target: str | None = None, *, reference: PathLike | Corpus = "rest", measure: str = "ll",
                min_freq: int = 3, top: int | None = None, where: str | None = None,
                reference_where: str | None = None, include_duplicates: bool = False,
                keep_stopwords: bool = False, pos: str | Sequence[str] | None = None, min_chars: int = 1,
                fields: str | Sequence[str] | None = None) -> Result:
        """Key terms of the ``target`` documents (a filter such as ``"year >= 2013"``) against the rest or
        another corpus. ``measure``: ``ll`` (log-likelihood G²), ``chi2``, ``pmi`` or ``lr`` (log ratio)."""
        from corpus_tool.analyse.keyness import keyness

        tf = _token_filter(keep_stopwords, pos, min_chars, fields)
        ref = _db_path(reference) or "rest"
        options = {"db": self._db_option(), "target": target, "reference": ref,
                   "reference_where": reference_where, "measure": measure, "min_freq": min_freq, "top": top,
                   "where": where, "include_duplicates": include_duplicates, **_filter_options(tf)}
        return self._analyse("keyness", keyness, options=options, target=target,
                             reference=ref if ref == "rest" else Path(ref), measure=measure, min_freq=min_freq,
                             top=top, where=where, reference_where=reference_where,
                             include_duplicates=include_duplicates, token_filter=tf)

    def ngrams(self, *, n: int = 2, measure: str = "freq", window: int = 1, min_freq: int = 2, node: str | None = None,
               top: int | None = None, where: str | None = None, include_duplicates: bool = False,
               keep_stopwords: bool = False, pos: str | Sequence[str] | None = None, min_chars: int = 1,
               fields: str | Sequence[str] | None = None) -> Result:
        """Contiguous n-grams by frequency (or an association ``measure``: pmi, ll, t, dice)."""
        from corpus_tool.analyse.collocations import ngrams

        if window != 1:
            raise ValueError("ngrams are contiguous: use collocations(window=...) for wider spans")
        tf = _token_filter(keep_stopwords, pos, min_chars, fields)
        options = {"db": self._db_option(), "n": n, "measure": measure, "window": 1, "min_freq": min_freq,
                   "node": node, "top": top, "where": where, "include_duplicates": include_duplicates,
                   **_filter_options(tf)}
        return self._analyse("ngrams", ngrams, options=options, n=n, measure=measure, min_freq=min_freq, top=top,
                             node=node, where=where, include_duplicates=include_duplicates, token_filter=tf)

    def collocations(self, *, n: int = 2, measure: str = "ll", window: int = 5, min_freq: int | None = None,
                     node: str | None = None, top: int | None = None, where: str | None = None,
                     include_duplicates: bool = False, keep_stopwords: bool = False,
                     pos: str | Sequence[str] | None = None, min_chars: int = 1,
                     fields: str | Sequence[str] | None = None) -> Result:
        """Word pairs within ``window`` tokens (or n-grams) scored by ``measure``: ll (default), pmi, t, dice,
        freq; ``node`` keeps the pairs containing that word. ``min_freq`` None: 5, or with a ``node`` a tenth of
        the node's frequency (1 to 5); an empty table comes with a warning that says why."""
        from corpus_tool.analyse.collocations import collocations

        tf = _token_filter(keep_stopwords, pos, min_chars, fields)
        options = {"db": self._db_option(), "n": n, "measure": measure, "window": window, "min_freq": min_freq,
                   "node": node, "top": top, "where": where, "include_duplicates": include_duplicates,
                   **_filter_options(tf)}
        return self._analyse("collocations", collocations, options=options, n=n, window=window, measure=measure,
                             min_freq=min_freq, top=top, node=node, where=where,
                             include_duplicates=include_duplicates, token_filter=tf)

    def kwic(self, term: str, *, window: int = 20, regex: bool = False, sort: str = "position",
             whole_tokens: bool = False, ignore_case: bool = False, fields: str | Sequence[str] | None = None,
             where: str | None = None, include_duplicates: bool = False) -> Result:
        """Concordance lines of ``term`` (a word, words separated by spaces, or a regular expression with
        ``regex=True``) in every text field; ``.plot()`` draws where the hits fall in each document."""
        from corpus_tool.analyse.kwic import kwic

        field_names = _names(fields)
        options = {"db": self._db_option(), "window": window, "regex": regex, "sort": sort,
                   "whole_tokens": whole_tokens, "ignore_case": ignore_case, "fields": ",".join(field_names) or None,
                   "where": where, "include_duplicates": include_duplicates}
        return self._analyse("kwic", kwic, options=options, arguments=[term], tokens=whole_tokens, query=term,
                             mode="regex" if regex else "auto", window=window, sort=sort, fields=field_names,
                             whole_tokens=whole_tokens, ignore_case=ignore_case, where=where,
                             include_duplicates=include_duplicates)

    def code(self, dictionary: PathLike = "starter", *, by: str | None = "document", window: int = 30,
             fields: str | Sequence[str] | None = None, where: str | None = None,
             include_duplicates: bool = False, drop_missing: bool = False) -> Result:
        """Dictionary coding on the text itself: counts per group × code (``.table``) and every match with
        its context (``.evidence``). ``dictionary``: a YAML/CSV codebook, or ``"starter"`` (the shipped
        policy-instrument dictionary). Documents with an empty ``by`` field form the group ``(未知 missing)``;
        ``drop_missing`` leaves them out."""
        from corpus_tool.analyse.coding import code_corpus, load_dictionary, starter_dictionary_path

        path = starter_dictionary_path() if os.fspath(dictionary) == "starter" else Path(dictionary)
        field_names = _names(fields)
        options = {"dictionary": os.fspath(dictionary), "db": self._db_option(), "by": by, "window": window,
                   "fields": ",".join(field_names) or None, "where": where,
                   "include_duplicates": include_duplicates, "drop_missing": drop_missing}
        return self._analyse("code", code_corpus, options=options, tokens=False, dictionary=load_dictionary(path),
                             by=by, window=window, fields=field_names, where=where,
                             include_duplicates=include_duplicates, drop_missing=drop_missing)

    def topics(self, *, model: str = "nmf", k: int | str | Sequence[int] = "10", seeds: int = 3, seed: int = 1,
               unit: str = "paragraph", by: str | Sequence[str] | None = None, jobs: int = 1,
               min_df: float = 0.002, max_df: float = 0.5, max_terms: int | None = None,
               pos: str | Sequence[str] | None = None, keep_stopwords: bool = False, min_chars: int = 2,
               fields: str | Sequence[str] = "body", boilerplate: float = 0.2, min_unit_terms: int = 3,
               resample: float = 1.0, lam: float = 0.6, top_terms: int = 20, representative: int = 5,
               bootstrap: int = 1000, passes: int | None = None, max_iter: int | None = None, no_cv: bool = False,
               where: str | None = None, include_duplicates: bool = False, drop_missing: bool = False) -> Topics:
        """Fit a topic model on the stored tokens (``corpus-tool topics``; same options and defaults).

        ``k``: a number, or a sweep such as ``"5:20:5"`` or ``[6, 8, 10]`` (the tables then use the recommended
        k, see ``.reason``; ``.plot("sweep")`` shows coherence and stability against k). ``model``: ``nmf``,
        ``lda`` or ``gensim-lda``; ``seeds`` fits per k. ``unit``: ``paragraph`` or ``document``. ``by``: fields
        for topic shares with bootstrap intervals (default ``year``; ``.plot("shares")``). ``pos``: POS tag
        prefixes to keep (default: content words; ``"all"`` keeps every tag). ``resample``: documents drawn
        with replacement per bootstrap-stability refit, as a share of the documents (0: none).
        ``drop_missing``: leave documents with an empty ``by`` field out of the topic shares (default: their
        own group ``(未知 missing)``). ``lam``: the relevance λ that ranks topic terms. ``bootstrap``: draws for
        the intervals. ``jobs`` spreads the fits over processes without changing any result.
        """
        from corpus_tool.analyse.topics import fit_topics, parse_k
        from corpus_tool.analyse.topics.units import DEFAULT_POS

        self._ensure_segmented()
        ks = parse_k(k)
        model_params: dict[str, Any] = {}
        if passes is not None:
            if model != "gensim-lda":
                raise ValueError("passes 只用于 gensim-lda / passes applies to gensim-lda only")
            model_params["passes"] = passes
        if max_iter is not None:
            if model == "gensim-lda":
                raise ValueError("gensim-lda 用 passes / use passes with gensim-lda")
            model_params["max_iter"] = max_iter
        pos_text = pos if isinstance(pos, str) or pos is None else ",".join(pos)
        pos_prefixes = () if (pos_text or "").strip().lower() in ("all", "none", "*") else (_names(pos) or DEFAULT_POS)
        by_fields = _names(by) if by is not None else ("year",)
        field_names = _names(fields)
        result = fit_topics(
            self._existing(), jobs=jobs, model=model, k=ks, seeds=seeds, seed=seed, unit=unit,
            by=by_fields, min_df=min_df, max_df=max_df, max_terms=max_terms, pos=pos_prefixes,
            keep_stopwords=keep_stopwords, min_chars=min_chars, fields=field_names, boilerplate=boilerplate,
            min_unit_terms=min_unit_terms, resample=resample or None, lam=lam, n_terms=top_terms,
            n_representative=representative, n_boot=bootstrap, c_v=not no_cv, model_params=model_params,
            where=where, include_duplicates=include_duplicates, drop_missing=drop_missing,
        )
        # The CLI's options in its order; format, no_html, zh_headers and out_dir are filled in by to_dir().
        options = {"db": self._db_option(), "model": model,
                   "k": k if isinstance(k, (int, str)) else ",".join(map(str, ks)), "seeds": seeds, "seed": seed,
                   "unit": unit, "by": list(by_fields), "format": None, "min_df": float(min_df),
                   "max_df": float(max_df), "max_terms": max_terms, "pos": pos_text, "keep_stopwords": keep_stopwords,
                   "min_chars": min_chars, "fields": ",".join(field_names), "boilerplate": float(boilerplate),
                   "min_unit_terms": min_unit_terms, "resample": float(resample or 0), "lambda": float(lam),
                   "top_terms": top_terms, "representative": representative, "bootstrap": bootstrap,
                   "passes": passes, "max_iter": max_iter, "no_cv": no_cv, "no_html": None, "where": where,
                   "include_duplicates": include_duplicates, "drop_missing": drop_missing, "zh_headers": None,
                   "out_dir": None}
        topics = Topics(result, self.path, ("topics", [], options))
        _announce(topics.warnings, stacklevel=3)
        return topics

    def newwords(self, *, min_freq: int = 5, top: int = 200) -> Result:
        """Candidate terms the current segmentation splits (``corpus-tool newwords``), ranked by frequency,
        PMI and branching entropy, with contexts: material for a user dictionary."""
        from corpus_tool.analyse.result import AnalysisResult
        from corpus_tool.segment.newwords import find_new_words

        self._ensure_segmented()
        table = find_new_words(self._existing(), min_freq=min_freq, top=top)
        result = AnalysisResult("newwords", table, {"min_freq": min_freq, "top": top},
                                segmentation=self.segmentation)
        options = {"db": self._db_option(), "min_freq": min_freq, "top": top}
        return wrap(result, self.path, ("newwords", [], options))

    freq = frequencies  # the CLI's name


class CorpusToolWarning(UserWarning):
    """What an analysis must tell its user: documents grouped as missing or left out, an empty table and why."""


def _announce(messages: Sequence[str], *, stacklevel: int) -> None:
    """Raise each warning of a result as a Python warning, as the CLI prints them: a script sees them too."""
    import warnings

    for message in messages:
        warnings.warn(message, CorpusToolWarning, stacklevel=stacklevel)


def _db_path(value: PathLike | Corpus | None) -> str | None:
    """A reference corpus as a database path (a Corpus is segmented first, so its tokens exist)."""
    if value is None:
        return None
    if isinstance(value, Corpus):
        value._ensure_segmented()
        return os.fspath(value.path)
    return os.fspath(value)


def _names(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"n,v"``, ``"n，v"`` or ``["n", "v"]`` → ``("n", "v")``, as the CLI splits its comma lists."""
    if value is None:
        return ()
    items = value.replace("，", ",").split(",") if isinstance(value, str) else list(value)
    return tuple(v.strip() for v in items if v and v.strip())


def _token_filter(keep_stopwords: bool, pos: str | Sequence[str] | None, min_chars: int,
                  fields: str | Sequence[str] | None) -> TokenFilter:
    from corpus_tool.analyse.units import TokenFilter

    return TokenFilter(keep_stopwords=keep_stopwords, pos=_names(pos), min_chars=min_chars, fields=_names(fields))


def _filter_options(tf: TokenFilter) -> dict[str, Any]:
    """The token filter as CLI options."""
    return {"keep_stopwords": tf.keep_stopwords, "pos": ",".join(tf.pos) or None, "min_chars": tf.min_chars,
            "fields": ",".join(tf.fields) or None}


def ingest(paths: PathLike | Iterable[PathLike], db: PathLike = DEFAULT_DB, *,
           metadata: PathLike | Sequence[PathLike] | None = None, jobs: int = 1, **options: Any) -> Corpus:
    """Ingest files and folders into ``db`` and return the :class:`Corpus`.

    ``options``: the other options of :meth:`Corpus.ingest` (``to_simplified``, ``strict`` ...) and the
    segmentation settings of :class:`Corpus` (``user_dict``, ``stopwords``, ``segmenter`` ...). The
    summary of the run is ``corpus.last_ingest``.
    """
    _refuse_in_spawned_worker()
    corpus_keys = {"segmenter", "user_dict", "stopwords", "lexicon", "default_stopwords", "hmm", "pos", "hanlp_dict",
                   "keep_script"}
    where = {k: options[k] for k in ("engine", "scheduler") if k in options}
    corpus = Corpus(db, jobs=jobs, **where, **{k: v for k, v in options.items() if k in corpus_keys})
    corpus.ingest(paths, metadata=metadata, jobs=jobs, **{k: v for k, v in options.items() if k not in corpus_keys})
    return corpus


class MissingMainGuardError(RuntimeError):
    """``ct.ingest`` ran again inside a worker process that was starting: the script has no __main__ guard."""


def _main_script_lacks_guard() -> bool:
    """The program is a script file whose text has no ``if __name__ == "__main__"`` (not a notebook or REPL)."""
    import sys

    path = getattr(sys.modules.get("__main__"), "__file__", None)
    if not path or not str(path).endswith(".py"):
        return False
    try:
        source = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "__main__" not in source


def _refuse_in_spawned_worker() -> None:
    """Stop at once, with the fix, when a spawned worker re-runs a script's top level that calls ingest.

    Worker processes start by importing the main script again (spawn); without
    ``if __name__ == "__main__":`` that import calls ``ct.ingest`` again, and every worker dies.
    """
    import multiprocessing

    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise MissingMainGuardError(
            "ct.ingest() 在工作进程启动时被再次调用：请把脚本中的调用放在 if __name__ == \"__main__\": 之下 / "
            "ct.ingest() ran while a worker process was starting: put the script's calls under "
            "`if __name__ == \"__main__\":` (worker processes import the script again)."
        )
