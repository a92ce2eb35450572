"""CLI: freq, keywords, keyness, ngrams, collocations, kwic, code, methods.

Each command calls one function of :mod:`corpus_tool.analyse`, writes its table by the ``--out``
suffix (.csv UTF-8 with BOM, .xlsx, .parquet) and ``<out>.run.json`` beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corpus_tool.cli.app import DEFAULT_DB, DbOption, app, fail
from corpus_tool.cli.common import (
    ByOption,
    DropMissingOption,
    DupOption,
    FieldsOption,
    OutOption,
    PosOption,
    StopOption,
    TopOption,
    WhereOption,
    ZhOption,
    run_analysis,
    split_list,
    token_filter,
)

if TYPE_CHECKING:
    from corpus_tool.analyse.result import AnalysisResult

# Command modules import the analyses inside the commands, so that `--help` and every other command
# do not pay for pandas, scipy and scikit-learn (python -X importtime shows where start-up goes).


@app.command(help="词频与文档频次 / Term and document frequencies per group, with rates per 10,000 words.")
def freq(
    out: OutOption = None,
    db: DbOption = DEFAULT_DB,
    by: ByOption = "corpus",
    top: TopOption = None,
    min_freq: Annotated[int, typer.Option("--min-freq", min=1, help="最低频次 / minimum frequency")] = 1,
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    keep_stopwords: StopOption = False,
    pos: PosOption = None,
    min_chars: Annotated[int, typer.Option("--min-chars", min=1, help="最短词长（字）/ shortest term")] = 1,
    fields: FieldsOption = None,
    drop_missing: DropMissingOption = False,
    zh_headers: ZhOption = False,
) -> None:
    tf = token_filter(keep_stopwords, pos, min_chars, fields)
    options = {"db": str(db), "by": by, "top": top, "min_freq": min_freq, "where": where,
               "include_duplicates": include_duplicates, "keep_stopwords": keep_stopwords, "pos": pos,
               "min_chars": min_chars, "fields": fields, "drop_missing": drop_missing}
    from corpus_tool.analyse.frequency import frequencies

    run_analysis(lambda: frequencies(db, by=by, top=top, min_freq=min_freq, where=where,
                                     include_duplicates=include_duplicates, token_filter=tf,
                                     drop_missing=drop_missing),
                 out, zh_headers, "freq", [], options)


@app.command(help="关键词：词频、TF-IDF（本语料或参照语料 IDF）、TextRank / Keywords per document or group.")
def keywords(
    out: OutOption = None,
    db: DbOption = DEFAULT_DB,
    method: Annotated[str, typer.Option("--method", help="freq | tfidf | textrank")] = "tfidf",
    by: ByOption = "document",
    top: Annotated[int, typer.Option("--top", min=1, help="每组前 N 个 / top N per group")] = 20,
    reference: Annotated[Path | None, typer.Option(
        "--reference", help="参照语料库（其文档给出 IDF）/ reference corpus database for the IDF")] = None,
    reference_where: Annotated[str | None, typer.Option(
        "--reference-where", help="参照语料的筛选条件 / filter on the reference corpus")] = None,
    window: Annotated[int, typer.Option("--window", min=2, help="TextRank 共现窗口（词）/ co-occurrence window")] = 5,
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    keep_stopwords: StopOption = False,
    pos: PosOption = None,
    min_chars: Annotated[int, typer.Option(
        "--min-chars", min=1, help="最短词长（字，默认 2：单字很少是关键词）/ shortest keyword")] = 2,
    fields: FieldsOption = None,
    drop_missing: DropMissingOption = False,
    zh_headers: ZhOption = False,
) -> None:
    if method not in ("freq", "tfidf", "textrank"):
        raise fail(f"unknown method {method!r}: use freq, tfidf or textrank (未知方法)", 2)
    if reference is not None and not reference.exists():
        raise fail(f"参照语料库不存在 / reference database not found: {reference}", 2)
    tf = token_filter(keep_stopwords, pos, min_chars, fields)
    options = {"db": str(db), "method": method, "by": by, "top": top, "reference": reference,
               "reference_where": reference_where, "window": window if method == "textrank" else None,
               "where": where, "include_duplicates": include_duplicates, "keep_stopwords": keep_stopwords,
               "pos": pos, "min_chars": min_chars, "fields": fields, "drop_missing": drop_missing}
    from corpus_tool.analyse.keywords import keywords as keywords_fn

    run_analysis(lambda: keywords_fn(db, method=method, by=by, top=top, reference=reference,
                                     reference_where=reference_where, window=window, where=where,
                                     include_duplicates=include_duplicates, token_filter=tf,
                                     drop_missing=drop_missing),
                 out, zh_headers, "keywords", [], options)


@app.command(help="关键性分析：目标组对参照组（G²、Yates 卡方、PMI、Log Ratio）/ Keyness, target vs reference.")
def keyness(
    out: OutOption = None,
    db: DbOption = DEFAULT_DB,
    target: Annotated[str | None, typer.Option(
        "--target", help="目标组条件，如 \"year >= 2018\" / documents of the target")] = None,
    reference: Annotated[str, typer.Option(
        "--reference", help="rest（其余文档）或另一个语料库文件 / rest or another corpus database")] = "rest",
    measure: Annotated[str, typer.Option("--measure", help="排序依据 ll | chi2 | pmi | lr")] = "ll",
    min_freq: Annotated[int, typer.Option("--min-freq", min=1, help="两组合计最低频次 / minimum joint frequency")] = 3,
    top: TopOption = None,
    where: WhereOption = None,
    reference_where: Annotated[str | None, typer.Option(
        "--reference-where", help="参照语料库的筛选条件 / filter on a reference database")] = None,
    include_duplicates: DupOption = False,
    keep_stopwords: StopOption = False,
    pos: PosOption = None,
    min_chars: Annotated[int, typer.Option("--min-chars", min=1, help="最短词长（字）/ shortest term")] = 1,
    fields: FieldsOption = None,
    zh_headers: ZhOption = False,
) -> None:
    if reference != "rest" and not Path(reference).exists():
        raise fail(f"参照语料库不存在 / reference database not found: {reference} (use 'rest' or a .duckdb file)", 2)
    tf = token_filter(keep_stopwords, pos, min_chars, fields)
    options = {"db": str(db), "target": target, "reference": reference, "reference_where": reference_where,
               "measure": measure, "min_freq": min_freq, "top": top, "where": where,
               "include_duplicates": include_duplicates, "keep_stopwords": keep_stopwords, "pos": pos,
               "min_chars": min_chars, "fields": fields}
    ref: str | Path = reference if reference == "rest" else Path(reference)
    from corpus_tool.analyse.keyness import keyness as keyness_fn

    run_analysis(lambda: keyness_fn(db, target=target, reference=ref, measure=measure, min_freq=min_freq,
                                    top=top, where=where, reference_where=reference_where,
                                    include_duplicates=include_duplicates, token_filter=tf),
                 out, zh_headers, "keyness", [], options)


MinFreqOption = Annotated[int | None, typer.Option(
    "--min-freq", min=1, help="最低频次（ngrams 默认 2；collocations 默认自动：5，指定 --node 时为其频次的"
                              "十分之一，1 到 5）/ "
                              "frequency floor (ngrams: 2; collocations: auto, 5 or with --node a tenth of its "
                              "frequency, 1 to 5)")]


def _ngram_command(name: str, default_measure: str, default_min: int | None, default_window: int
                   ) -> Callable[..., None]:
    def command(
        out: OutOption = None,
        db: DbOption = DEFAULT_DB,
        n: Annotated[int, typer.Option("--n", min=2, max=6, help="词串长度 / tokens per n-gram")] = 2,
        measure: Annotated[str, typer.Option(
            "--measure", help="排序依据 freq | pmi | ll | t | dice")] = default_measure,
        window: Annotated[int, typer.Option(
            "--window", min=1, help="搭配窗口（词，仅 n=2）/ pair window in tokens (n = 2 only)")] = default_window,
        min_freq: MinFreqOption = default_min,
        node: Annotated[str | None, typer.Option(
            "--node", help="只看含此词的词串 / only n-grams with this word")] = None,
        top: TopOption = None,
        where: WhereOption = None,
        include_duplicates: DupOption = False,
        keep_stopwords: StopOption = False,
        pos: PosOption = None,
        min_chars: Annotated[int, typer.Option("--min-chars", min=1, help="最短词长（字）/ shortest token")] = 1,
        fields: FieldsOption = None,
        zh_headers: ZhOption = False,
    ) -> None:
        tf = token_filter(keep_stopwords, pos, min_chars, fields)
        options = {"db": str(db), "n": n, "measure": measure, "window": window, "min_freq": min_freq, "node": node,
                   "top": top, "where": where, "include_duplicates": include_duplicates,
                   "keep_stopwords": keep_stopwords, "pos": pos, "min_chars": min_chars, "fields": fields}
        from corpus_tool.analyse.collocations import collocations as collocations_fn
        from corpus_tool.analyse.collocations import ngrams as ngrams_fn

        fn = ngrams_fn if name == "ngrams" else collocations_fn

        def compute() -> AnalysisResult:
            kwargs: dict[str, Any] = {"n": n, "measure": measure, "min_freq": min_freq, "top": top, "node": node,
                                      "where": where, "include_duplicates": include_duplicates, "token_filter": tf}
            if name == "collocations":
                kwargs["window"] = window
            elif window != 1:
                raise ValueError("ngrams are contiguous: use `corpus-tool collocations --window` for wider spans")
            return fn(db, **kwargs)

        run_analysis(compute, out, zh_headers, name, [], options)

    return command


app.command("ngrams", help="N 元词串（相邻）及其频次和关联度 / Contiguous n-grams with frequencies and association "
            "scores.")(_ngram_command("ngrams", "freq", 2, 1))
app.command("collocations", help="搭配：PMI、对数似然、t 值、Dice，带频次下限（默认按对数似然排序）/ Collocations "
            "with association measures and a frequency floor.")(_ngram_command("collocations", "ll", None, 5))


@app.command(help="语境共现（KWIC）：词、短语或正则，覆盖标题、摘要、关键词、标题行与正文 / Concordance lines.")
def kwic(
    term: Annotated[str, typer.Argument(help="检索词、空格分隔的短语或正则 / term, phrase or regular expression")],
    out: OutOption = None,
    db: DbOption = DEFAULT_DB,
    window: Annotated[int, typer.Option("--window", min=0, help="左右语境字数 / context characters")] = 20,
    regex: Annotated[bool, typer.Option("--regex", help="按正则表达式检索 / TERM is a regular expression")] = False,
    sort: Annotated[str, typer.Option("--sort", help="position | left | right | match | year")] = "position",
    whole_tokens: Annotated[bool, typer.Option(
        "--whole-tokens", help="命中须与分词边界对齐 / hits must start and end on token boundaries")] = False,
    ignore_case: Annotated[bool, typer.Option("--ignore-case", help="忽略大小写 / case-insensitive")] = False,
    fields: FieldsOption = None,
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    zh_headers: ZhOption = False,
) -> None:
    mode = "regex" if regex else "auto"
    options = {"db": str(db), "window": window, "regex": regex, "sort": sort, "whole_tokens": whole_tokens,
               "ignore_case": ignore_case, "fields": fields, "where": where,
               "include_duplicates": include_duplicates}
    from corpus_tool.analyse.kwic import kwic as kwic_fn

    run_analysis(lambda: kwic_fn(db, term, mode=mode, window=window, sort=sort, fields=split_list(fields),
                                 whole_tokens=whole_tokens, ignore_case=ignore_case, where=where,
                                 include_duplicates=include_duplicates),
                 out, zh_headers, "kwic", [term], options)


@app.command("code", help="词典编码（在原文上匹配），输出计数与证据文件 / Dictionary coding with an evidence file.")
def code(
    dictionary: Annotated[str, typer.Option(
        "--dictionary", "-d", help="词典 YAML/CSV；starter 为内置政策工具起步词典 / dictionary file, or 'starter'")],
    out: OutOption = None,
    db: DbOption = DEFAULT_DB,
    by: ByOption = "document",
    window: Annotated[int, typer.Option("--window", min=0, help="证据的左右语境字数 / evidence context")] = 30,
    fields: FieldsOption = None,
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    drop_missing: DropMissingOption = False,
    zh_headers: ZhOption = False,
) -> None:
    from corpus_tool.analyse.coding import DictionaryError, code_corpus, load_dictionary, starter_dictionary_path

    path = starter_dictionary_path() if dictionary == "starter" else Path(dictionary)
    try:
        loaded = load_dictionary(path)
    except DictionaryError as exc:
        raise fail(str(exc), 2) from exc
    options = {"dictionary": dictionary, "db": str(db), "by": by, "window": window, "fields": fields,
               "where": where, "include_duplicates": include_duplicates, "drop_missing": drop_missing}
    run_analysis(lambda: code_corpus(db, loaded, by=by, window=window, fields=split_list(fields), where=where,
                                     include_duplicates=include_duplicates, drop_missing=drop_missing),
                 out, zh_headers, "code", [], options)


@app.command(help="由 run.json 生成可引用的方法段落（中英文）/ Print a citable methods paragraph from a run record.")
def methods(
    run_json: Annotated[Path, typer.Argument(help="导出文件旁的 .run.json / the run record beside an export")],
    lang: Annotated[str, typer.Option("--lang", help="zh | en | both")] = "both",
) -> None:
    try:
        from corpus_tool.export.methods import load_record, methods_text

        typer.echo(methods_text(load_record(run_json), lang))
    except ValueError as exc:
        raise fail(str(exc), 2) from exc
