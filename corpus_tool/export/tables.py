"""Write a table by the suffix of the output path: CSV (UTF-8 with BOM), XLSX or Parquet.

Bytes are deterministic: fixed column order, rows sorted by the caller, floats written with
a fixed format, no timestamps inside the files (the time lives in the run record).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from corpus_tool.export.formats import FORMATS

FLOAT_FORMAT = "%.6g"
MAX_XLSX_WIDTH = 60  # characters: longer cells wrap in Excel rather than push every other column away


class ExportFormatError(ValueError):
    """The output path's suffix names no format we write."""


def write_table(df: pd.DataFrame, out: str | Path, *, headers: dict[str, str] | None = None) -> Path:
    """Write ``df`` to ``out``; ``headers`` renames columns (for example to Chinese)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ExportFormatError(
            f"unknown output format {suffix or '(none)'}: use .csv, .xlsx or .parquet (请使用 .csv/.xlsx/.parquet)"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    if headers:
        df = df.rename(columns=headers)
    if suffix == ".csv":
        # utf-8-sig writes the BOM that makes Excel read the file as UTF-8; \r\n is what Excel expects.
        df.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\r\n", float_format=FLOAT_FORMAT)
    elif suffix == ".xlsx":
        _write_xlsx(df, out)
    else:
        df.to_parquet(out, index=False, engine="pyarrow", compression="zstd")
    return out


def _write_xlsx(df: pd.DataFrame, out: Path) -> None:
    """XLSX with a fixed creation time, so that two runs give identical bytes."""
    wb, ws = _fixed_workbook("data")
    ws.append([str(c) for c in df.columns])
    for row in df.itertuples(index=False):
        ws.append([_xlsx_value(v) for v in row])
    _make_readable(ws, df)
    wb.save(out)
    _fix_zip_times(out)


def _make_readable(ws, df: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    """A frozen header row with filters, and columns as wide as their content (CJK counts double)."""
    from openpyxl.utils import get_column_letter

    if df.columns.empty:
        return
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{len(df) + 1}"
    sample = df.head(200)
    for i, column in enumerate(df.columns, 1):
        texts = [str(column)] + ["" if v is None else str(v) for v in sample[column].tolist()]
        width = max(_display_width(t) for t in texts)
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), MAX_XLSX_WIDTH)


def _display_width(text: str) -> int:
    first_line = text.split("\n", 1)[0]
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in first_line[:200])


def with_field_columns(documents: pd.DataFrame) -> pd.DataFrame:
    """The documents table with each manifest column as a column of its own (``fields.NAME``), in place
    of the packed JSON ``fields`` cell, so a spreadsheet can sort and filter by them."""
    import json

    if "fields" not in documents.columns:
        return documents
    parsed = [json.loads(v) if isinstance(v, str) and v else (v if isinstance(v, dict) else {})
              for v in documents["fields"]]
    names = sorted({k for d in parsed for k in d})
    out = documents.drop(columns=["fields"])
    for name in names:
        out[f"fields.{name}"] = [d.get(name) for d in parsed]
    return out


def _fixed_workbook(title: str):  # type: ignore[no-untyped-def]
    """A workbook whose one sheet is named ``title``, with fixed creation and modification times."""
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    fixed = dt.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    ws = wb.active
    ws.title = title
    return wb, ws


def _xlsx_value(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (list, dict)):
        return str(value)
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    # Excel rejects control characters in cells.
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    return value


def _fix_zip_times(path: Path) -> None:
    """Rewrite the zip with fixed member times and a fixed modified date: openpyxl stamps the current time
    on both when it saves (whatever ``properties.modified`` says)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zin:
        members = [(info, zin.read(info.filename)) for info in zin.infolist()]
    stamp = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
    members = [(info, stamp.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
                if info.filename == "docProps/core.xml" else data) for info, data in members]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            zout.writestr(fixed, data)


GRID_HEADER = ("文档 document", "来源 source", "页 page", "表 table", "行×列 rows×cols")


def write_table_grid(cells: pd.DataFrame, sources: dict[str, str], out: str | Path) -> Path:
    """The stored tables as grids in one XLSX sheet, stacked in (document, table) order.

    Each table starts with a header row naming its document id, source file, page, table
    number and size; its cells follow as the grid they were read from (merged cells merged),
    then one empty row. ``cells`` is the long form (the ``tables`` export).
    """


    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ExportFormatError(
            f"the table grid is written as .xlsx, not {out.suffix or '(none)'} (表格网格只能导出为 .xlsx)")
    out.parent.mkdir(parents=True, exist_ok=True)
    wb, ws = _fixed_workbook("tables")
    at = 1
    for (doc_id, table_no), group in cells.groupby(["doc_id", "table_no"], sort=True):
        first = group.iloc[0]
        n_rows, n_cols = int(first.n_rows), int(first.n_cols)
        pages = sorted({int(p) for p in group.page.dropna()})  # a table continued over pages: first-last
        page: int | str | None = (pages[0] if len(pages) == 1 else f"{pages[0]}-{pages[-1]}") if pages else None
        header = [GRID_HEADER[0], doc_id, GRID_HEADER[1], sources.get(str(doc_id), ""), GRID_HEADER[2], page,
                  GRID_HEADER[3], int(table_no), GRID_HEADER[4], f"{n_rows}×{n_cols}"]
        for k, value in enumerate(header, 1):
            ws.cell(at, k, value)
        for cell in group.sort_values(["row", "col"]).itertuples(index=False):
            r, c = at + int(cell.row), int(cell.col)
            ws.cell(r, c, _xlsx_value(cell.text))
            if cell.row_span > 1 or cell.col_span > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + int(cell.row_span) - 1,
                               end_column=c + int(cell.col_span) - 1)
        at += n_rows + 2
    wb.save(out)
    _fix_zip_times(out)
    return out

