"""CLI: reuse (text reuse and diffusion between documents) and compare (what changed between two versions).

Both write their main table by the ``--out`` suffix with companion tables beside it and ``<out>.run.json``;
``reuse --graph-dir`` also writes the issuer network as GEXF and GraphML. Analysis modules are imported inside
the commands, so ``corpus-tool --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corpus_tool.cli.app import DEFAULT_DB, DbOption, app, fail
from corpus_tool.cli.common import (
    DupOption,
    OutOption,
    WhereOption,
    ZhOption,
    check_out,
    compute_or_fail,
    require_db,
    run_analysis,
    split_list,
)
from corpus_tool.cli.policy import PlotOption, check_plot, save_plot

FieldsOption = Annotated[str, typer.Option(
    "--fields", help="比对的文本字段（逗号分隔）/ text fields compared: heading,body (title, abstract also possible)")]


@app.command(help="文本复用与政策扩散：文档间共享的文段（字符 n-gram + 局部对齐），按日期定方向，发文机关网络 / "
                  "Text reuse and diffusion: passages documents share (character n-grams, then local alignment), "
                  "directed from the earlier to the later document, with the issuer network (who copies whom).")
def reuse(
    db: DbOption = DEFAULT_DB,
    n: Annotated[int, typer.Option(
        "--ngram", "-n", min=2, help="字符 n-gram 长度 / shingle length in characters")] = 10,
    min_length: Annotated[int, typer.Option(
        "--min-length", min=2, help="复用文段最短字数 / shortest passage, characters")] = 30,
    min_similarity: Annotated[float, typer.Option(
        "--min-similarity", min=0.01, max=1.0, help="文段最低相似度 / lowest passage similarity")] = 0.8,
    max_gap: Annotated[int, typer.Option(
        "--max-gap", min=0, help="文段内两处完全相同片段之间最多相差的字数 / longest gap between exact runs")] = 20,
    max_df: Annotated[int, typer.Option(
        "--max-df", min=2, help="出现在多于 N 篇文档的 n-gram 不用于找候选 / n-grams found in more than N "
                                "documents do not propose candidate pairs (passim maxDF)")] = 100,
    min_shared: Annotated[int, typer.Option(
        "--min-shared", min=1, help="候选文档对最少共享 n-gram 数 / shared n-grams for a candidate pair")] = 5,
    boilerplate_docs: Annotated[int, typer.Option(
        "--boilerplate-docs", min=2, help="被至少 N 篇文档共享的文段标为套话 / passages shared by at least N "
                                          "documents are flagged boilerplate")] = 10,
    source_where: Annotated[str | None, typer.Option(
        "--sources", help="只比较这些文档与 --targets 之间，如 \"issuer = 国务院\" / compare only these documents "
                          "with the --targets ones")] = None,
    target_where: Annotated[str | None, typer.Option(
        "--targets", help="另一组文档，如 \"issuer contains 山东\" / the other side")] = None,
    issuer_field: Annotated[str, typer.Option(
        "--issuer-field", help="网络节点所用字段 / field naming the network's nodes")] = "issuer",
    fields: FieldsOption = "heading,body",
    graph_dir: Annotated[Path | None, typer.Option(
        "--graph-dir", help="另写发文机关网络 issuers.gexf/.graphml 到此文件夹（需同时给 --out）/ also write the "
                            "issuer network (GEXF, GraphML) to this folder (with --out)")] = None,
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    out: OutOption = None,
    zh_headers: ZhOption = False,
    plot: PlotOption = None,
) -> None:
    from corpus_tool.analyse.policy.reuse import reuse as reuse_fn
    from corpus_tool.analyse.policy.reuse import write_reuse
    from corpus_tool.export.runrecord import command_line

    require_db(db)
    check_plot(plot)
    names = split_list(fields)
    options = {"db": str(db), "ngram": n, "min_length": min_length, "min_similarity": min_similarity,
               "max_gap": max_gap, "max_df": max_df, "min_shared": min_shared, "boilerplate_docs": boilerplate_docs,
               "sources": source_where, "targets": target_where, "issuer_field": issuer_field, "fields": fields,
               "where": where, "include_duplicates": include_duplicates}

    def compute():
        return reuse_fn(db, n=n, min_length=min_length, min_similarity=min_similarity, max_gap=max_gap,
                        max_df=max_df, min_shared=min_shared, boilerplate_docs=boilerplate_docs,
                        source_where=source_where, target_where=target_where, issuer_field=issuer_field,
                        fields=names, where=where, include_duplicates=include_duplicates)

    if out is None and graph_dir is None:
        made = []
        run_analysis(lambda: made.append(compute()) or made[-1], None, zh_headers, "reuse", [], options)
        if plot is not None and made:
            save_plot(made[-1], db, plot)
        return
    if out is None:
        raise fail("--graph-dir 需要与 --out 一起使用 / --graph-dir needs --out for the tables", 2)
    check_out(out)
    result = compute_or_fail(compute)
    for warning in result.warnings:
        typer.secho(f"注意 / warning: {warning}", err=True, fg=typer.colors.YELLOW)
    extra = {"out": str(out), "zh_headers": zh_headers, "graph_dir": None if graph_dir is None else str(graph_dir),
             "plot": None if plot is None else str(plot)}
    paths = write_reuse(result, out, graph_dir=graph_dir, zh=zh_headers,
                        command_line=command_line("reuse", [], {**options, **extra}))
    typer.echo(f"{len(result.table)} 个共享文段 passages, {len(result.tables['pairs'])} 对文档 pairs → {out}")
    for p in paths[1:]:
        typer.echo(f"  {p}")
    if plot is not None:
        save_plot(result, db, plot)


@app.command(help="版本比较：两篇文档或两组文档（如 \"year = 2023\" 与 \"year = 2024\"）的句子保留/改写/新增/删去，"
                  "及新提法 / What changed between two documents or groups: sentences kept, changed (fuzzy), new and "
                  "dropped, and new terms with their contexts.")
def compare(
    a: Annotated[str, typer.Argument(help="第一个版本：文档（编号或前缀、文件名、清单中的值）或筛选条件 / "
                                          "first version: a document (id or prefix, file name, manifest value) "
                                          "or a filter")],
    b: Annotated[str, typer.Argument(help="第二个版本 / second version")],
    db: DbOption = DEFAULT_DB,
    ratio: Annotated[float, typer.Option(
        "--ratio", min=0.01, max=1.0, help="改写句的最低相似度 / lowest similarity of a changed sentence")] = 0.6,
    baseline: Annotated[str, typer.Option(
        "--baseline", help="新词的基线 / baseline for new terms: previous (第一个版本) | all-earlier "
                           "(另加更早年份的全部文档 / and every document of an earlier year)")] = "previous",
    min_chars: Annotated[int, typer.Option("--min-chars", min=1, help="新词最短字数 / shortest new term")] = 3,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="新词最低频次 / fewest occurrences")] = 1,
    contexts: Annotated[int, typer.Option("--contexts", min=0, help="每个新词的语境数 / contexts per term")] = 3,
    width: Annotated[int, typer.Option("--width", min=1, help="语境左右字数 / context characters")] = 20,
    fields: FieldsOption = "heading,body",
    include_duplicates: DupOption = False,
    out: OutOption = None,
    zh_headers: ZhOption = False,
    plot: PlotOption = None,
) -> None:
    from corpus_tool.analyse.policy.compare import compare as compare_fn

    require_db(db)
    check_plot(plot)
    made = []
    options = {"db": str(db), "ratio": ratio, "baseline": baseline, "min_chars": min_chars, "min_count": min_count,
               "contexts": contexts, "width": width, "fields": fields, "include_duplicates": include_duplicates}
    run_analysis(lambda: made.append(compare_fn(db, a, b, ratio=ratio, baseline=baseline, min_chars=min_chars,
                                                min_count=min_count, n_contexts=contexts, width=width,
                                                fields=split_list(fields), include_duplicates=include_duplicates))
                 or made[-1], out, zh_headers, "compare", [a, b], {**options, "plot": str(plot) if plot else None})
    if plot is not None and made:
        save_plot(made[-1], db, plot)
