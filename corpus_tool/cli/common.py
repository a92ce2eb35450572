"""What the analysis commands share: their common options, the token filter, and running one analysis.

Nothing heavy is imported here at module level, so ``--help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corpus_tool.analyse.options import TEXT_FIELDS, split_list, split_terms  # noqa: F401 (split_terms: re-exported)
from corpus_tool.cli.app import fail
from corpus_tool.export.formats import FORMATS

if TYPE_CHECKING:
    from corpus_tool.analyse.units import TokenFilter

OutOption = Annotated[Path | None, typer.Option(
    "--out", "-o", help="输出文件（.csv/.xlsx/.parquet），不给则在终端显示前 20 行 / output file, format from suffix; "
                        "without it the first 20 rows are printed")]
WhereOption = Annotated[str | None, typer.Option(
    "--where", help="先筛选文档，如 \"year >= 2018 and issuer = 国务院\" / analyse only matching documents")]
DupOption = Annotated[bool, typer.Option(
    "--include-duplicates", help="保留近似重复文档（默认排除）/ keep near duplicates (excluded by default)")]
ZhOption = Annotated[bool, typer.Option("--zh-headers", help="中文表头 / Chinese column headers")]
StopOption = Annotated[bool, typer.Option("--keep-stopwords", help="保留停用词 / count stopwords too")]
PosOption = Annotated[str | None, typer.Option(
    "--pos", help="只保留这些词性（前缀，逗号分隔，如 n,v）/ keep POS tag prefixes, e.g. n,vn,v")]
FieldsOption = Annotated[str | None, typer.Option(
    "--fields", help=f"只用这些文本字段（逗号分隔：{','.join(TEXT_FIELDS)}）/ text fields to read")]
TopOption = Annotated[int | None, typer.Option("--top", min=1, help="每组前 N 项 / top N rows per group")]
ByOption = Annotated[str | None, typer.Option(
    "--by", help="分组字段：document、corpus、year、issuer 或任一清单字段 / group by a metadata field")]
DropMissingOption = Annotated[bool, typer.Option(
    "--drop-missing", help="排除 --by 字段为空的文档（默认归入“(未知 missing)”组）/ leave out documents whose --by "
                           "field is empty (default: they form the group '(未知 missing)')")]


def require_db(db: Path) -> None:
    """Exit with code 2 and a clear message when the corpus database does not exist."""
    if not db.exists():
        raise fail(f"语料库数据库不存在 / corpus database not found: {db} (run `corpus-tool ingest` first)", 2)


def token_filter(keep_stopwords: bool, pos: str | None, min_chars: int, fields: str | None) -> TokenFilter:
    """The tokens an analysis counts, from the shared options; a bad option exits with code 2."""
    from corpus_tool.analyse.units import TokenFilter

    try:
        return TokenFilter(keep_stopwords=keep_stopwords, pos=split_list(pos), min_chars=min_chars,
                           fields=split_list(fields))
    except ValueError as exc:
        raise fail(str(exc), 2) from exc


def check_out(out: Path) -> None:
    if out.suffix.lower() not in FORMATS:
        raise fail(f"unknown output format {out.suffix or '(none)'}: use .csv, .xlsx or .parquet "
                   "(请使用 .csv/.xlsx/.parquet)", 2)


def compute_or_fail(compute: Callable[[], Any]) -> Any:
    """Run ``compute``; the errors a user can fix (no tokens, a bad filter or dictionary, a missing file, a bad
    value) exit with code 2 and their message."""
    from corpus_tool.analyse.query import FilterError
    from corpus_tool.analyse.units import NoSegmentationError

    try:
        return compute()
    except (NoSegmentationError, FilterError, FileNotFoundError, ValueError) as exc:  # FilterError, DictionaryError
        raise fail(str(exc), 2) from exc                                                # are ValueErrors too


def run_analysis(compute: Callable[[], Any], out: Path | None, zh: bool, name: str, arguments: list[str],
                 options: dict[str, Any]) -> None:
    """Run one analysis, save it and its run record (or print it when no ``out``), report its warnings."""
    from corpus_tool.export.runrecord import command_line
    from corpus_tool.export.save import save_result

    if out is not None:
        check_out(out)
    result = compute_or_fail(compute)
    for warning in result.warnings:
        typer.secho(f"注意 / warning: {warning}", err=True, fg=typer.colors.YELLOW)
    if out is None:
        from corpus_tool.cli.display import print_table

        print_table(result.table, name)
        return
    line = command_line(name, arguments, {**options, "out": str(out), "zh_headers": zh})
    paths = save_result(result, out, zh=zh, command_line=line)
    typer.echo(f"{len(result.table)} 行 rows → {out}")
    for p in paths[1:]:
        typer.echo(f"  {p}")
