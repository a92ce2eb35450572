"""CSV and XLSX files where each row is a document: the text in ``--text-column``, the rest metadata."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus_tool.reading.docx import check_zip
from corpus_tool.reading.textfile import DEFAULT_MAX_CHARS, TooLongError, read_text

TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx"})


class MissingTextColumn(ValueError):
    """The table has no column of the name given with ``--text-column``."""


@dataclass
class Row:
    """One row of a table: where it is, its text and its other cells."""

    part: str  # "row=2" (CSV) or "sheet=Sheet1,row=2" (XLSX); row numbers as a spreadsheet shows them
    text: str
    fields: dict[str, str]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return,union-attr]
    return str(value).strip()


def _rows_from_records(records: Iterator[list[object]], text_column: str, prefix: str,
                       where: str) -> Iterator[Row]:
    header = next(records, None)
    if header is None:
        return
    names = [_cell(h) for h in header]
    if text_column not in names:
        shown = ", ".join(n for n in names if n) or "(none)"
        raise MissingTextColumn(
            f"no column {text_column!r} in {where}; columns are: {shown} (表格中没有该文本列)"
        )
    index = names.index(text_column)
    for row_no, record in enumerate(records, 2):
        cells = [_cell(v) for v in record]
        if not any(cells):
            continue
        text = cells[index] if index < len(cells) else ""
        fields = {name: cells[i] for i, name in enumerate(names)
                  if name and i != index and i < len(cells) and cells[i]}
        yield Row(f"{prefix}row={row_no}", text, fields)


def read_table(path: str | Path, text_column: str, max_chars: int | None = DEFAULT_MAX_CHARS) -> Iterator[Row]:
    """Rows of a CSV/TSV (any encoding) or of every sheet of an XLSX that has the text column."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        text, _ = read_text(path, max_chars)
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel_tab if suffix == ".tsv" else csv.excel
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        yield from _rows_from_records(iter(reader), text_column, "", path.name)  # type: ignore[arg-type]
        return
    check_zip(path)
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        found = False
        total = 0
        for ws in wb.worksheets:
            records = ws.iter_rows(values_only=True)
            try:
                for row in _rows_from_records((list(r) for r in records), text_column,
                                              f"sheet={ws.title},", f"{path.name}!{ws.title}"):
                    found = True
                    total += len(row.text)
                    if max_chars is not None and total > max_chars * 10:
                        raise TooLongError("workbook text exceeds the size limit (表格文本超过上限)")
                    yield row
            except MissingTextColumn:
                continue
        if not found:
            raise MissingTextColumn(f"no sheet of {path.name} has a column {text_column!r} (没有工作表包含该文本列)")
    finally:
        wb.close()
