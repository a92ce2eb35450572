"""The typer application that every command module registers on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="corpus-tool",
    help="中文政策文本语料工具 / Chinese policy-text corpus tool: ingest → segment → analyse → export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    # plain click help wraps long Chinese/English descriptions at the terminal width; rich's panels cut them
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DbOption = Annotated[
    Path, typer.Option("--db", help="语料库数据库文件 / corpus database file (DuckDB).")
]
DEFAULT_DB = Path("corpus.duckdb")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a clear error to stderr and return the exit to raise."""
    typer.secho(f"错误 / error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)
