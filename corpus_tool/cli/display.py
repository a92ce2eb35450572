"""A result table in the terminal, when no ``--out`` file is asked for: a quick look, not an export."""

from __future__ import annotations

import math

import pandas as pd

SHOW_ROWS = 20
MAX_CELL = 60  # characters of one cell; long texts (KWIC lines, evidence) are cut with …
MAX_WIDTH = 40  # terminal columns of one table column
# Where a row comes from: shown when the terminal has room after the result columns.
CONTEXT_COLUMNS = frozenset({"doc_id", "title", "section_title", "field", "para_no", "start", "end", "source_path",
                             "page", "position"})


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    text = str(value).replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def print_table(table: pd.DataFrame, title: str, rows: int = SHOW_ROWS) -> None:
    """The first ``rows`` rows as a rich table (rich measures CJK as two columns, so they line up)."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    console = Console()
    shown = table.head(rows)
    cells = {column: [_cell(v) for v in shown[column]] for column in shown.columns}
    if "doc_id" in cells:  # 8 hex digits identify a document in `show`; the full id is in the export
        cells["doc_id"] = [v[:8] for v in cells["doc_id"]]
    # columns empty in every shown row say nothing here (they stay in the export); then as many columns as fit
    columns = [c for c in shown.columns if any(cells[c])] or list(shown.columns)
    widths = {c: min(MAX_WIDTH, max(cell_len(str(c)), *(cell_len(v) for v in cells[c]))) for c in columns}
    chosen: set[str] = set()
    used = 1
    for column in sorted(columns, key=lambda c: c in CONTEXT_COLUMNS):  # results first, where they came from next
        if used + widths[column] + 3 <= console.width or not chosen:
            chosen.add(column)
            used += widths[column] + 3
    kept = [c for c in columns if c in chosen]
    view = Table(title=title, title_justify="left", header_style="bold")
    for column in kept:
        right = pd.api.types.is_numeric_dtype(table[column]) or column == "left"  # KWIC: left context ends at the hit
        view.add_column(str(column), justify="right" if right else "left", no_wrap=True, overflow="ellipsis",
                        min_width=min(widths[column], 12), max_width=widths[column])
    for i in range(len(shown)):
        view.add_row(*(cells[c][i] for c in kept))
    console.print(view)
    left_out = [str(c) for c in columns if c not in kept]
    if left_out:
        console.print(f"未显示的列 / columns not shown: {', '.join(left_out)}", style="dim")
    counted = (f"显示前 {len(shown)} 行，共 {len(table)} 行 / showing {len(shown)} of {len(table)} rows"
               if len(table) > len(shown) else f"共 {len(table)} 行 / {len(table)} rows")
    console.print(f"{counted}; 用 --out FILE 保存全部结果与运行记录 / --out FILE (.csv .xlsx .parquet) writes "
                  "them all with the run record", style="dim")
