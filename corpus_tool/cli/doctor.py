"""CLI: ``doctor`` (what a bug report needs) and ``--version``."""

from __future__ import annotations

import platform
import sys
from typing import Annotated

import typer

from corpus_tool.cli.app import app

# (distribution, what it is for); the optional ones say which extra installs them.
CORE = (
    ("duckdb", "database"), ("pdfplumber", "PDF"), ("pdfminer.six", "PDF"), ("pypdfium2", "PDF (second engine, OCR)"),
    ("jieba", "segmentation"), ("rjieba", "segmentation engine"), ("opencc", "繁简转换 script conversion"),
    ("pandas", "tables"), ("scikit-learn", "topics"), ("gensim", "topics, embeddings"), ("matplotlib", "plots"),
)
OPTIONAL = (
    ("pkuseg", "pip install 'corpus-tool[pkuseg]'"), ("hanlp", "pip install 'corpus-tool[hanlp]'"),
    ("torch", "pip install 'corpus-tool[hanlp]'"), ("distributed", "pip install 'corpus-tool[dask]'"),
)


def tool_version() -> str:
    from importlib import metadata  # here, not at the top: every command imports this module (0.02 s)

    try:
        return metadata.version("corpus-tool")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def _version(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def doctor_report() -> list[tuple[str, str]]:
    """(item, state) rows: versions, optional backends, the plot font and OCR."""
    from corpus_tool.plot.fonts import cjk_font
    from corpus_tool.reading.pdf.ocr import ocr_problem

    rows = [("corpus-tool", tool_version()), ("python", sys.version.split()[0]), ("platform", platform.platform())]
    for name, purpose in CORE:
        rows.append((name, f"{_version(name) or '缺失 MISSING'}  ({purpose})"))
    for name, how in OPTIONAL:
        got = _version(name)
        rows.append((name, got if got else f"未安装 not installed — {how}"))
    font = cjk_font()
    rows.append(("plot font 绘图字体", f"{font.family} ({font.path})" if font else "未找到中文字体 no CJK font found"))
    problem = ocr_problem("chi_sim")
    rows.append(("OCR (tesseract chi_sim)", "可用 available" if problem is None else f"不可用 unavailable: {problem}"))
    return rows


@app.command()
def doctor() -> None:
    """环境诊断 / versions of the tool and its backends, the plot font and OCR: paste this into a bug report."""
    for item, state in doctor_report():
        typer.echo(f"{item:<26} {state}")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"corpus-tool {tool_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True, help="显示版本 / show the version and exit")] = False,
) -> None:
    """中文政策文本语料工具 / Chinese policy-text corpus tool: ingest → segment → analyse → export."""
