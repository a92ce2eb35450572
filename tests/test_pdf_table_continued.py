"""Tables carried on to the next page: joined into one table (:func:`.tables.join_continued`)."""

from __future__ import annotations

import pytest

from corpus_tool.reading.model import LogEntry, Table, TableCell
from corpus_tool.reading.pdf.tables import join_continued
from tests.conftest import real_pdf


def _table(page: int, rows: list[list[str]], top: float, bottom: float, xs: tuple[float, ...]) -> Table:
    cells = [TableCell(r, k, text) for r, row in enumerate(rows, 1) for k, text in enumerate(row, 1)]
    return Table(0, page, len(rows), len(rows[0]), cells, top=top, bottom=bottom, col_x=xs)


XS = (50.0, 200.0, 320.0)
HEAD = ["项目", "期末余额", "期初余额"]


def test_continuation_joined_with_rows_numbered_on_and_pages_kept() -> None:
    start = _table(5, [HEAD, ["货币资金", "1.00", "2.00"]], 400, 780, XS)
    more = _table(6, [["存货", "3.00", "4.00"]], 60, 300, (50.5, 199.0, 321.0))
    log: list[LogEntry] = []
    out = join_continued([start, more], log, {5: [(100, 112)], 6: [(320, 332)]})  # text above / below: not between
    assert out == [start] and start.n_rows == 3 and start.page == 5
    assert [(c.row, c.col, c.text, c.page) for c in start.cells if c.row == 3] == [
        (3, 1, "存货", 6), (3, 2, "3.00", 6), (3, 3, "4.00", 6)]
    assert {c.page for c in start.cells if c.row < 3} == {5}
    assert log[0].step == "pdf_tables_continued" and "pages 5-6" in log[0].detail


def test_repeated_header_dropped_once_and_three_pages() -> None:
    pages = [_table(p, [HEAD, [f"行{p}", "1", "2"]], 60 if p > 1 else 300, 780, XS) for p in (1, 2, 3)]
    log: list[LogEntry] = []
    out = join_continued(pages, log, {})
    assert len(out) == 1 and out[0].n_rows == 4 and out[0].page == 1
    assert [c.text for c in out[0].cells if c.col == 1] == ["项目", "行1", "行2", "行3"]
    assert "pages 1-3" in log[0].detail and "repeated header" in log[0].detail


@pytest.mark.parametrize("case", ["title_between", "note_below", "other_columns", "page_gap", "x_moved"])
def test_two_tables_stay_two(case: str) -> None:
    start = _table(5, [HEAD, ["a", "1", "2"]], 400, 780, XS)
    more = _table(7 if case == "page_gap" else 6, [["b", "3", "4"]], 90, 300,
                  (50.0, 260.0, 320.0) if case == "x_moved" else XS)
    if case == "other_columns":
        more = _table(6, [["b", "3", "4", "5"]], 90, 300, (*XS, 400.0))
    body = {6: [(60, 72)]} if case == "title_between" else {5: [(790, 800)]} if case == "note_below" else {}
    log: list[LogEntry] = []
    assert len(join_continued([start, more], log, body)) == 2 and not log


def test_byd_balance_sheet_runs_over_two_pages() -> None:
    doc = real_pdf("report_byd_q1_2025.pdf")
    sheet = next(t for t in doc.tables if t.page == 5 and t.n_cols == 3)
    rows = {c.row: c for c in sheet.cells if c.col == 1}
    assert rows[1].text == "项目" and rows[1].page == 5
    carried = [c for c in sheet.cells if c.page == 6]
    assert carried and carried[0].text == "使用权资产" and carried[0].row > 20  # numbered on, not from 1
    assert "负债和所有者权益总计" in [c.text for c in carried]
    assert not any(t.page == 6 for t in doc.tables)
    assert any(e.step == "pdf_tables_continued" for e in doc.log)


def test_putuo_budget_tables_joined_only_where_continued() -> None:
    doc = real_pdf("gov_putuo_gov_office_budget_2025.pdf")
    starts = {t.page: t for t in doc.tables}
    assert sorted(starts) == [8, 9, 11, 13, 14, 16, 17, 18, 20]  # 10, 12, 15, 19 carry on; 16 and 17 are two tables
    income = starts[9]
    assert {c.page for c in income.cells} == {9, 10}
    assert "91,016,775.35" in [c.text for c in income.cells if c.page == 10]  # the 合计 on the second page
    header = [c.text for c in starts[14].cells if c.row == 1]
    assert not any([c.text for c in starts[14].cells if c.row == r] == header for r in range(2, starts[14].n_rows + 1))
