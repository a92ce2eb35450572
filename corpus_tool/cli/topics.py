"""CLI: ``corpus-tool topics`` — topic models with coherence, stability, a k sweep and topic shares by field."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from corpus_tool.analyse.options import DEFAULT_TOPIC_POS as DEFAULT_POS
from corpus_tool.analyse.options import TEXT_FIELDS
from corpus_tool.analyse.options import TOPIC_MODELS as MODELS
from corpus_tool.cli.app import DEFAULT_DB, DbOption, app, fail
from corpus_tool.cli.common import split_list

FORMATS = ("csv", "xlsx", "parquet")


@app.command(help="主题模型：一致性、稳定性、主题数扫描、按年份等字段的主题占比 / Topic models with coherence, "
                  "stability, a k sweep and topic shares by year or any field.")
def topics(
    out_dir: Annotated[Path | None, typer.Option(
        "--out-dir", "-o", help="输出文件夹，不给则只在终端显示主题 / output folder; without it the topics are only "
                                "printed")] = None,
    db: DbOption = DEFAULT_DB,
    model: Annotated[str, typer.Option(
        "--model", help=f"模型 / model: {' | '.join(MODELS)}（默认 nmf：在政府工作报告上一致性最高）")] = "nmf",
    k: Annotated[str, typer.Option(
        "--k", help="主题数，如 15；或扫描范围，如 5:30:5（5 到 30，步长 5）/ number of topics, e.g. 15, or a "
                    "sweep such as 5:30:5 (5 to 30 in steps of 5)",
    )] = "10",
    seeds: Annotated[int, typer.Option("--seeds", min=1, help="每个 k 的随机种子数 / fits per k (seeds)")] = 3,
    seed: Annotated[int, typer.Option("--seed", help="第一个随机种子 / first random seed")] = 1,
    unit: Annotated[str, typer.Option("--unit", help="分析单元 / unit: paragraph | document")] = "paragraph",
    by: Annotated[list[str] | None, typer.Option(
        "--by", help="按此字段计算主题占比（可重复；year、issuer、doc_type 或清单字段）/ topic shares by field "
                     "(repeatable)")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="并行进程数（结果不变）/ worker processes")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="表格格式 / table format: csv | xlsx | parquet")] = "csv",
    min_df: Annotated[float, typer.Option(
        "--min-df", help="词的最少出现单元数（<1 为比例，不低于 2）/ vocabulary floor: units (share if < 1)")] = 0.002,
    max_df: Annotated[float, typer.Option(
        "--max-df", help="词的最多出现单元比例（≥1 为个数）/ vocabulary ceiling: share of units (count if > 1)")] = 0.5,
    max_terms: Annotated[int | None, typer.Option(
        "--max-terms", min=2, help="词表最多保留的词数 / keep at most N terms")] = None,
    pos: Annotated[str | None, typer.Option(
        "--pos", help=f"保留的词性前缀，逗号分隔；all 为不过滤（默认 {','.join(DEFAULT_POS)}）/ POS tag prefixes "
                      "to keep, or all")] = None,
    keep_stopwords: Annotated[bool, typer.Option("--keep-stopwords", help="保留停用词 / keep stopwords")] = False,
    min_chars: Annotated[int, typer.Option("--min-chars", min=1, help="最短词长（字）/ shortest term")] = 2,
    fields: Annotated[str, typer.Option(
        "--fields", help=f"文本字段（逗号分隔：{','.join(TEXT_FIELDS)}）/ text fields")] = "body",
    boilerplate: Annotated[float, typer.Option(
        "--boilerplate", min=0.0, max=1.0,
        help="排除在至少此比例文档中逐字重复的段落（0 为不排除）/ leave out paragraphs repeated verbatim in this "
             "share of documents (0: keep)")] = 0.2,
    min_unit_terms: Annotated[int, typer.Option(
        "--min-unit-terms", min=1, help="单元至少含多少个词 / shortest unit, in counted tokens")] = 3,
    resample: Annotated[float, typer.Option(
        "--resample", min=0.0, max=1.0,
        help="文档自助重抽样稳定性：每次有放回抽取的文档数占文档总数的比例（1 为经典自助法，0 为不做）/ bootstrap "
             "stability: documents drawn with replacement per refit, as a share of the documents (1: classic "
             "bootstrap; 0: none)")] = 1.0,
    lam: Annotated[float, typer.Option(
        "--lambda", min=0.0, max=1.0, help="主题词排序的相关度 λ（1 为按权重）/ relevance λ for ranking terms")] = 0.6,
    top_terms: Annotated[int, typer.Option("--top-terms", min=1, help="每个主题输出的词数 / terms per topic")] = 20,
    representative: Annotated[int, typer.Option(
        "--representative", min=1, help="每个主题的代表段落数 / typical units per topic")] = 5,
    bootstrap: Annotated[int, typer.Option(
        "--bootstrap", min=0, help="自助法抽样次数（0 为不算区间）/ bootstrap draws for intervals")] = 1000,
    passes: Annotated[int | None, typer.Option("--passes", min=1, help="gensim-lda 的遍数 / gensim passes")] = None,
    max_iter: Annotated[int | None, typer.Option(
        "--max-iter", min=1, help="nmf / lda 的最大迭代次数 / maximum iterations")] = None,
    no_cv: Annotated[bool, typer.Option("--no-cv", help="不计算 C_V（较慢）/ skip C_V coherence")] = False,
    no_html: Annotated[bool, typer.Option("--no-html", help="不生成 pyLDAvis 页面 / no pyLDAvis page")] = False,
    where: Annotated[str | None, typer.Option(
        "--where", help="先筛选文档，如 \"year >= 2000\" / analyse only matching documents")] = None,
    include_duplicates: Annotated[bool, typer.Option(
        "--include-duplicates", help="保留近似重复文档（默认排除）/ keep near duplicates")] = False,
    drop_missing: Annotated[bool, typer.Option(
        "--drop-missing", help="topic_by_<字段> 中排除该字段为空的文档（默认归入“(未知 missing)”组）/ leave documents "
                               "with an empty --by field out of topic_by_<field> (default: their own group)")] = False,
    zh_headers: Annotated[bool, typer.Option("--zh-headers", help="中文表头 / Chinese column headers")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度 / no progress messages")] = False,
) -> None:
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}: use csv, xlsx or parquet (请使用 csv/xlsx/parquet)", 2)
    from corpus_tool.analyse.query import FilterError
    from corpus_tool.analyse.topics import TopicUnitsError, fit_topics, parse_k, write_topics
    from corpus_tool.analyse.units import NoSegmentationError
    from corpus_tool.export.runrecord import command_line

    if model not in MODELS:
        raise fail(f"未知模型 / unknown model {model!r}; choose from {', '.join(MODELS)}", 2)
    if not db.exists():
        raise fail(f"语料库数据库不存在 / corpus database not found: {db} (run `corpus-tool ingest` first)", 2)
    try:
        ks = parse_k(k)
    except ValueError as exc:
        raise fail(str(exc), 2) from exc
    model_params: dict[str, Any] = {}
    if passes is not None:
        if model != "gensim-lda":
            raise fail("--passes 只用于 gensim-lda / --passes applies to gensim-lda only", 2)
        model_params["passes"] = passes
    if max_iter is not None:
        if model == "gensim-lda":
            raise fail("gensim-lda 用 --passes / use --passes with gensim-lda", 2)
        model_params["max_iter"] = max_iter
    pos_prefixes = () if (pos or "").strip().lower() in ("all", "none", "*") else (split_list(pos) or DEFAULT_POS)
    by_fields = tuple(by) if by is not None else ("year",)
    say = (lambda _m: None) if quiet else (lambda m: typer.echo(m, err=True))
    try:
        result = fit_topics(
            db, jobs=jobs, progress=say, model=model, k=ks, seeds=seeds, seed=seed, unit=unit, by=by_fields,
            min_df=min_df, max_df=max_df, max_terms=max_terms, pos=pos_prefixes, keep_stopwords=keep_stopwords,
            min_chars=min_chars, fields=split_list(fields), boilerplate=boilerplate, min_unit_terms=min_unit_terms,
            resample=resample or None, lam=lam, n_terms=top_terms, n_representative=representative,
            n_boot=bootstrap, c_v=not no_cv, model_params=model_params, where=where,
            include_duplicates=include_duplicates, drop_missing=drop_missing,
        )
    except (NoSegmentationError, TopicUnitsError, FilterError, ValueError) as exc:
        raise fail(str(exc), 2) from exc
    options = {"db": str(db), "model": model, "k": k, "seeds": seeds, "seed": seed, "unit": unit,
               "by": list(by_fields), "format": fmt, "min_df": min_df, "max_df": max_df, "max_terms": max_terms,
               "pos": pos, "keep_stopwords": keep_stopwords, "min_chars": min_chars, "fields": fields,
               "boilerplate": boilerplate, "min_unit_terms": min_unit_terms, "resample": resample,
               "lambda": lam, "top_terms": top_terms, "representative": representative, "bootstrap": bootstrap,
               "passes": passes, "max_iter": max_iter, "no_cv": no_cv, "no_html": no_html, "where": where,
               "include_duplicates": include_duplicates, "drop_missing": drop_missing, "zh_headers": zh_headers,
               "out_dir": None if out_dir is None else str(out_dir)}
    # --jobs is left out of the command line on purpose: it does not change any output.
    line = command_line("topics", [], options)
    paths = [] if out_dir is None else write_topics(result, out_dir, fmt=fmt, zh=zh_headers, command_line=line,
                                                    html=not no_html)
    for warning in result.warnings:
        typer.secho(f"注意 / warning: {warning}", err=True, fg=typer.colors.YELLOW)
    u = result.units
    typer.echo(f"{result.params['model']}，k = {result.k}，{u.n_units} 个单元 units，{len(u.vocab)} 个词 terms")
    if len(result.sweep_summary) > 1:
        typer.echo(f"推荐主题数 / recommended k: {result.reason}")
    for row in result.topic_labels.itertuples(index=False):
        typer.echo(f"  {row.topic:>3}  {row.share:6.1%}  NPMI {row.npmi:+.2f}  {row.terms}")
    typer.echo(f"平均 NPMI / mean NPMI: {result.params['npmi_mean']:.3f}")
    if out_dir is None:
        typer.echo("用 --out-dir DIR 保存全部表格、运行记录和 pyLDAvis 页面 / write every table, the run records and "
                   "the pyLDAvis page with --out-dir DIR")
    else:
        typer.echo(f"→ {out_dir}: {len([p for p in paths if not p.name.endswith('.run.json')])} 个文件 files")
