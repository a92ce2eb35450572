"""CLI: strength, crosscode, trend — the policy measures of :mod:`corpus_tool.analyse.policy`.

Each command writes its table by the ``--out`` suffix with its companion tables beside it and ``<out>.run.json``;
``--plot file.png`` (or .pdf/.svg) also draws the result. Analysis modules are imported inside the commands,
so ``corpus-tool --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from corpus_tool.cli.app import DEFAULT_DB, DbOption, app, fail
from corpus_tool.cli.common import (
    DupOption,
    OutOption,
    WhereOption,
    ZhOption,
    require_db,
    run_analysis,
    split_list,
)

PlotOption = Annotated[Path | None, typer.Option(
    "--plot", help="同时保存图（.png/.pdf/.svg）/ also save the plot to this file")]


def _run(compute: Callable[[], Any], out: Path | None, zh: bool, name: str, arguments: list[str],
         options: dict[str, Any], db: Path, plot: Path | None) -> None:
    """:func:`~corpus_tool.cli.common.run_analysis`, then the plot of the same result when asked for."""
    require_db(db)
    check_plot(plot)
    made: list[Any] = []

    def keep() -> Any:
        made.append(compute())
        return made[-1]

    run_analysis(keep, out, zh, name, arguments, {**options, "plot": str(plot) if plot else None})
    if plot is not None and made:
        save_plot(made[-1], db, plot)


def check_plot(plot: Path | None) -> None:
    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise fail(f"--plot must end in .png, .pdf or .svg, not {plot.suffix or '(none)'}", 2)


def save_plot(result: Any, db: Path, plot: Path) -> None:
    """Draw ``result`` as its notebook object does and save it to ``plot``."""
    from corpus_tool.analyse.policy.notebook import wrap_policy

    try:
        fig = wrap_policy(result, db, None).plot()
    except ValueError as exc:
        raise fail(str(exc), 2) from exc
    fig.savefig(plot, dpi=150, bbox_inches="tight", facecolor="white")
    typer.echo(f"图 plot → {plot}")


@app.command(help="政策力度：按发文机关级别 × 文种评分，未能评分的文档列出原因 / Policy strength per document from "
                  "issuer level × document form (editable scale), the unscored documents listed with the reason, "
                  "and count/sum/mean per --by field.")
def strength(
    db: DbOption = DEFAULT_DB,
    scale: Annotated[Path | None, typer.Option(
        "--scale", help="力度量表 YAML（默认内置 policy_strength.yaml）/ strength scale file")] = None,
    joint: Annotated[str, typer.Option(
        "--joint", help="联合发文：highest（最高级别，默认）| sum | mean / joint issuers")] = "highest",
    form: Annotated[str, typer.Option(
        "--form", help="印发/转发的文件按 attachment（附件文种，默认）或 own（通知本身）评分 / which form to score")
    ] = "attachment",
    by: Annotated[str | None, typer.Option(
        "--by", help="汇总字段（默认 year）/ aggregate by this field")] = "year",
    dictionary: Annotated[str | None, typer.Option(
        "--dictionary", "-d", help="加一张政策工具 × 力度交叉表：starter 或词典文件 / add instrument × strength")
    ] = None,
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    out: OutOption = None,
    zh_headers: ZhOption = False,
    plot: PlotOption = None,
) -> None:
    from corpus_tool.analyse.policy.crosscode import dictionary_path
    from corpus_tool.analyse.policy.strength import strength as strength_fn

    options = {"db": str(db), "scale": str(scale) if scale else None, "joint": joint, "form": form, "by": by,
               "dictionary": dictionary, "where": where, "include_duplicates": include_duplicates}
    _run(lambda: strength_fn(db, scale=scale, joint=joint, form=form, by=by,
                             dictionary=dictionary_path(dictionary) if dictionary else None, where=where,
                             include_duplicates=include_duplicates),
         out, zh_headers, "strength", [], options, db, plot)


@app.command(help="二维编码：两个编码词典的交叉表（如政策工具 × 创新链环节），每格计数、行列占比与证据 / "
                  "Cross table of two coding dictionaries with counts per cell, row and column shares, subtotals "
                  "and the evidence (every unit behind every cell).")
def crosscode(
    x: Annotated[str, typer.Option("--x", help="行维度词典：starter 或文件 / row dictionary")] = "starter",
    y: Annotated[str, typer.Option(
        "--y", help="列维度词典：innovation_chain 或文件 / column dictionary")] = "innovation_chain",
    db: DbOption = DEFAULT_DB,
    unit: Annotated[str, typer.Option(
        "--unit", help="编码单元：paragraph（段落/条款，默认）| sentence / coding unit")] = "paragraph",
    fields: Annotated[str, typer.Option(
        "--fields", help="编码的文本字段（逗号分隔，默认 body）/ text fields that are units")] = "body",
    normalise: Annotated[str, typer.Option(
        "--normalise", help="none | document（每篇文档合计权重 1）/ per-document normalisation")] = "none",
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    out: OutOption = None,
    zh_headers: ZhOption = False,
    plot: PlotOption = None,
) -> None:
    from corpus_tool.analyse.policy.crosscode import crosscode as crosscode_fn

    options = {"x": x, "y": y, "db": str(db), "unit": unit, "fields": fields, "normalise": normalise,
               "where": where, "include_duplicates": include_duplicates}
    _run(lambda: crosscode_fn(db, x, y, unit=unit, fields=split_list(fields), normalise=normalise, where=where,
                              include_duplicates=include_duplicates),
         out, zh_headers, "crosscode", [], options, db, plot)


@app.command(help="词语年度趋势：所选词每万词频次（含次数与当年总词数）及首次出现的年份与文档 / Relative frequency "
                  "of chosen terms per year and the first year (and document) each appears in.")
def trend(
    terms: Annotated[str, typer.Argument(help="检索词，逗号分隔，如 新质生产力,高质量发展 / terms")],
    db: DbOption = DEFAULT_DB,
    by: Annotated[str, typer.Option("--by", help="数值字段（默认 year）/ a numeric field")] = "year",
    count: Annotated[str, typer.Option(
        "--count", help="text（在原文上计数，默认）| token（按分词结果）/ how to count")] = "text",
    fields: Annotated[str | None, typer.Option("--fields", help="文本字段 / text fields (default all)")] = None,
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    out: OutOption = None,
    zh_headers: ZhOption = False,
    plot: PlotOption = None,
) -> None:
    from corpus_tool.analyse.policy.trend import term_trend

    names = list(split_list(terms))
    options = {"db": str(db), "by": by, "count": count, "fields": fields, "where": where,
               "include_duplicates": include_duplicates}
    _run(lambda: term_trend(db, names, by=by, count=count, fields=split_list(fields), where=where,
                            include_duplicates=include_duplicates),
         out, zh_headers, "trend", [terms], options, db, plot)
