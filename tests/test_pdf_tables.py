"""Ruled tables in real PDFs: cells go to the `tables` table at their row and column, never into the prose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from corpus_tool.export.tables import GRID_HEADER, write_table, write_table_grid
from corpus_tool.reading.model import Table, TableCell
from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.tables import cell_text, is_table, split_tables
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.store.db import CorpusDB
from tests.conftest import shared_path

FILES = ("std_anhui_land_use_2020_p1.pdf", "gov_putuo_gov_office_budget_2025.pdf", "report_byd_q1_2025.pdf",
         "gov_beijing_work_report_2024.pdf", "report_broker_apparel_q3.pdf")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    real = shared_path("data", "pdfs", "real")
    folder = tmp_path_factory.mktemp("tables")
    for name in FILES:
        shutil.copy(real / name, folder / name)
    db = folder / "corpus.duckdb"
    summary = ingest_paths(sorted(folder.glob("*.pdf")), db)
    with CorpusDB(db, read_only=True) as store:
        stored = store.con.execute("SELECT count(DISTINCT (doc_id, table_no)) FROM main.tables").fetchone()[0]
    assert summary.failed == 0 and summary.tables == stored > 20
    return db


def _doc(db: Path, name: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(cells, paragraphs, log) of the document read from ``name``."""
    with CorpusDB(db, read_only=True) as store:
        doc_id = store.con.execute("SELECT doc_id FROM files WHERE source_path LIKE ?", [f"%{name}"]).fetchone()[0]
        where = f"doc_id = '{doc_id}'"
        return store.table("tables", where), store.table("paragraphs", where), store.table("log", where)


def _cell(cells: pd.DataFrame, table_no: int, row: int, col: int) -> pd.Series:
    hit = cells[(cells.table_no == table_no) & (cells.row == row) & (cells.col == col)]
    assert len(hit) == 1, (table_no, row, col)
    return hit.iloc[0]


def test_anhui_cells_at_their_row_and_column(corpus: Path) -> None:
    cells, paras, log = _doc(corpus, "std_anhui_land_use_2020_p1.pdf")
    shapes = cells.groupby("table_no")[["n_rows", "n_cols"]].first()
    assert shapes.values.tolist() == [[8, 5], [11, 8], [2, 3]]
    assert set(cells.source) == {"text"}  # read from the text layer, not by OCR
    assert _cell(cells, 1, 3, 3).text == "2.5000"
    assert _cell(cells, 1, 3, 4).text == "60000≤Q＜80000"
    header = _cell(cells, 1, 1, 4)  # 编制条件 over two columns
    assert (header.text, header.col_span, header.row_span) == ("编制条件", 2, 1)
    merged = _cell(cells, 2, 3, 1)  # 高速公路 down six rows, set on two lines in the PDF
    assert (merged.text, merged.row_span) == ("高速公路", 6)
    assert _cell(cells, 2, 2, 5).text == "10＜μ≤20"  # a two-line cell, no space put in
    assert _cell(cells, 3, 2, 1).text == "1.7333"
    body = "\n".join(paras.text)
    for value in ("2.5000", "60000≤Q＜80000", "1.7333", "0.5333", "路段交通量Q（peu/d）", "10＜μ≤20"):
        assert value not in body
    entry = log[log.step == "pdf_tables"].iloc[0]
    assert entry["count"] == 3 and entry.detail.endswith("pages 1")


def test_anhui_no_false_headings_and_prose_kept(corpus: Path) -> None:
    _, paras, _ = _doc(corpus, "std_anhui_land_use_2020_p1.pdf")
    # Before tables were read, the cells gave 9 false headings (八, 六, 一级公路 ...); the captions (表7.…)
    # are paragraphs of their own, not headings
    headings = paras[paras.field == "heading"].text.tolist()
    assert not headings, headings
    body = paras[paras.field == "body"].text.tolist()
    captions = paras[paras.field == "caption"].text.tolist()  # table titles and notes, kept out of body measures
    assert sum(1 for t in captions if t.startswith("表7.")) >= 2
    assert not any(t.startswith("表7.") for t in body)
    assert any(t.startswith("第7.9条") and t.endswith("丘陵、山区一般不宜超过4.0公顷/处。") for t in body)
    assert any(t.startswith("注：表中路段交通量应采用停车区所在路段") for t in captions)
    assert any(t.startswith("第7.11条") for t in body)


def test_budget_and_report_tables(corpus: Path) -> None:
    cells, paras, _ = _doc(corpus, "gov_putuo_gov_office_budget_2025.pdf")
    income = cells[(cells.page == 9)]
    assert set(income.table_no) == {2}
    assert _cell(cells, 2, 4, 4).text == "一般公共服务支出"
    assert _cell(cells, 2, 4, 5).text == "82,096,797.42"
    assert _cell(cells, 2, 6, 4).text == "行政运行"
    assert _cell(cells, 2, 6, 5).text == "12,029,501.84"
    body = "\n".join(paras.text)
    assert "82,096,797.42" not in body and "12,029,501.84" not in body
    assert "2025年部门收入预算总表" in paras[paras.field == "heading"].text.tolist()  # the caption stays
    assert not any(t.replace(",", "").replace(".", "").isdigit() for t in paras.text)  # no number-only paragraph
    cells, paras, _ = _doc(corpus, "report_byd_q1_2025.pdf")
    holders = cells[cells.page == 4]
    name = holders[holders.text == "HKSCC NOMINEES LIMITED"].iloc[0]  # Latin words keep their spaces
    same_row = holders[(holders.table_no == name.table_no) & (holders.row == name.row)]
    assert "1,227,261,708(注1）" in same_row.text.tolist()
    assert "HKSCC NOMINEES LIMITED 1,227,261,708" not in "\n".join(paras.text)
    # a number wrapped by a narrow column is read whole
    assert "10,247,504,000.00" in cells[cells.page == 6].text.tolist()


def test_unruled_table_is_stored_as_cells(corpus: Path) -> None:
    cells, paras, log = _doc(corpus, "report_broker_apparel_q3.pdf")
    forecast = cells[cells.page == 4]
    first = forecast[forecast.text == "营业收入(百万元)"].iloc[0]
    row = forecast[(forecast.table_no == first.table_no) & (forecast.row == first.row)].sort_values("col")
    assert row.text.tolist() == ["营业收入(百万元)", "18,562", "21,528", "21,021", "22,776", "24,601"]
    body = "\n".join(paras.text)
    assert "18,562" not in body and "营业收入(百万元)" not in body
    assert "pdf_unruled_tables" in set(log.step)


def test_prose_pdf_has_no_tables(corpus: Path) -> None:
    cells, paras, log = _doc(corpus, "gov_beijing_work_report_2024.pdf")
    assert cells.empty and "pdf_tables" not in set(log.step) and len(paras) > 50


def test_export_round_trips(corpus: Path, tmp_path: Path) -> None:
    with CorpusDB(corpus, read_only=True) as store:
        cells = store.table("tables")
        sources = dict(store.con.execute("SELECT doc_id, source_path FROM documents").fetchall())
    assert len(cells) > 500
    write_table(cells, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig", dtype={"text": str}, keep_default_na=False)
    pd.testing.assert_frame_equal(back, cells, check_dtype=False)
    write_table(cells, tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "t.parquet"), cells, check_dtype=False)
    write_table_grid(cells, sources, tmp_path / "grid.xlsx")
    first = (tmp_path / "grid.xlsx").read_bytes()
    write_table_grid(cells, sources, tmp_path / "grid.xlsx")
    assert (tmp_path / "grid.xlsx").read_bytes() == first  # byte-identical
    filled = cells[cells.text != ""][["doc_id", "table_no", "row", "col", "text"]]
    grid = _read_grid(tmp_path / "grid.xlsx")
    pd.testing.assert_frame_equal(grid.drop(columns="page").reset_index(drop=True), filled.reset_index(drop=True),
                                  check_dtype=False)
    # the header's page: the table's page, or first-last for a table continued over pages
    spans = cells.groupby(["doc_id", "table_no"]).page.agg(["min", "max"])
    want = {k: (str(a) if a == b else f"{a}-{b}") for k, (a, b) in spans.iterrows()}
    got = {(d, t): str(p) for d, t, p in grid[["doc_id", "table_no", "page"]].drop_duplicates().itertuples(index=False)}
    assert got == {k: v for k, v in want.items() if k in got} and any("-" in v for v in got.values())


def test_cli_info_show_and_export(corpus: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corpus_tool.cli import app

    runner = CliRunner()
    with CorpusDB(corpus, read_only=True) as store:
        n_tables = store.con.execute("SELECT count(DISTINCT (doc_id, table_no)) FROM main.tables").fetchone()[0]
        anhui = store.con.execute("SELECT doc_id FROM files WHERE source_path LIKE '%anhui%'").fetchone()[0]
    info = runner.invoke(app, ["info", "--db", str(corpus)])
    assert info.exit_code == 0 and f"表格 tables: {n_tables} in 4 documents" in info.output
    show = runner.invoke(app, ["show", anhui, "--db", str(corpus)])
    assert show.exit_code == 0 and "表格 tables: 3" in show.output and "表 table 2: page 1, 11×8" in show.output
    out = tmp_path / "grid.xlsx"
    done = runner.invoke(app, ["export", "tables", "--grid", "--out", str(out), "--db", str(corpus)])
    assert done.exit_code == 0 and f"{n_tables} tables" in done.output and out.exists()
    assert out.with_name("grid.xlsx.run.json").exists()
    wrong = runner.invoke(app, ["export", "paragraphs", "--grid", "--out", str(out), "--db", str(corpus)])
    assert wrong.exit_code == 2


def _read_grid(path: Path) -> pd.DataFrame:
    """The grid workbook back to the long form: a header row per table, then its rows."""
    from openpyxl import load_workbook

    ws = load_workbook(path)["tables"]
    out = []
    r = 1
    while r <= ws.max_row:
        if ws.cell(r, 1).value != GRID_HEADER[0]:
            r += 1
            continue
        doc_id, page, table_no = ws.cell(r, 2).value, ws.cell(r, 6).value, ws.cell(r, 8).value
        n_rows, n_cols = (int(n) for n in str(ws.cell(r, 10).value).split("×"))
        for i in range(1, n_rows + 1):
            for j in range(1, n_cols + 1):
                value = ws.cell(r + i, j).value
                if value not in (None, ""):
                    out.append((doc_id, table_no, page, i, j, str(value)))
        r += n_rows + 1
    return pd.DataFrame(out, columns=["doc_id", "table_no", "page", "row", "col", "text"])


def test_reingest_replaces_tables(corpus: Path, tmp_path: Path) -> None:
    src = shared_path("data", "pdfs", "real", FILES[0])
    pdf = tmp_path / FILES[0]
    shutil.copy(src, pdf)
    db = tmp_path / "c.duckdb"
    ingest_paths([pdf], db)
    with pdf.open("ab") as f:  # new bytes, same content: the old document and its cells go
        f.write(b"\n% appended\n")
    ingest_paths([pdf], db)
    with CorpusDB(db, read_only=True) as store:
        ids = store.doc_ids()
        per_doc = store.query("SELECT doc_id, count(*) AS n FROM main.tables GROUP BY doc_id")
    assert len(ids) == 1 and per_doc.doc_id.tolist() == ids and per_doc.n.tolist() == [111]


def test_table_finder_failure_keeps_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus_tool.reading.pdf import extract as extract_module

    def broken(*args: object) -> None:
        raise ValueError("bad edges")

    monkeypatch.setattr(extract_module, "find_page_tables", broken)
    got = extract_module.extract_pdf(shared_path("data", "pdfs", "real", FILES[0]))
    errors = [e for e in got.log if e.step == "pdf_table_error"]
    assert len(errors) == 1 and "page 1" in errors[0].detail and "ValueError: bad edges" in errors[0].detail
    # not lost: read as prose, or by the unruled detector from the layout's rows (its numbers still aligned)
    cells = [c.text for t in got.tables for c in t.cells]
    assert "2.5000" in "\n".join([b.text for b in got.blocks] + cells)
    assert all(e.detail.startswith("tables without drawn borders") for e in got.log if e.step == "pdf_unruled_tables")


# -- the subtle parts, on made-up chars ------------------------------------------------------------

def _chars(text: str, x: float, base: float, size: float = 10.0, step: float | None = None) -> list[Char]:
    step = size if step is None else step
    return [Char(ch, x + i * step, x + i * step + step, base - size, base, size, "F", base)
            for i, ch in enumerate(text)]


def test_cell_text_joins_lines_by_script() -> None:
    assert cell_text(_chars("公路技术", 0, 10) + _chars("等级", 0, 22)) == "公路技术等级"
    assert cell_text(_chars("Total", 0, 10, step=5) + _chars("revenue", 0, 22, step=5)) == "Total revenue"
    assert cell_text(_chars("10,247,504,0", 0, 10, step=5) + _chars("00.00", 0, 22, step=5)) == "10,247,504,000.00"
    assert cell_text(_chars("20.4", 0, 10, step=5) + _chars("30.6", 0, 22, step=5)) == "20.4 30.6"
    words = _chars("First", 0, 10, step=5) + _chars("Half", 28, 10, step=5)  # a 3 pt gap
    assert cell_text(words) == "First Half"
    items = _chars("-收集文献", 0, 10) + _chars("-构建模型", 0, 22) + _chars("-5.0", 0, 34, step=5)
    assert cell_text(items) == "-收集文献\n-构建模型-5.0"  # list items keep their line; -5.0 is a number
    bold = _chars("合计", 0, 10) + _chars("合计", 0.4, 10)  # fake bold: every glyph drawn twice
    assert cell_text(bold) == "合计"


def _raw(text: str, x: float, top: float, size: float = 10.0) -> list[dict]:
    return [{"text": ch, "x0": x + i * size, "x1": x + (i + 1) * size, "top": top, "bottom": top + size,
             "size": size, "fontname": "F", "upright": True} for i, ch in enumerate(text)]


def _boxes(x0: float, top: float, widths: list[float], heights: list[float]) -> list[tuple[float, ...]]:
    xs = [x0 + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [top + sum(heights[:i]) for i in range(len(heights) + 1)]
    return [(xs[c], ys[r], xs[c + 1], ys[r + 1]) for r in range(len(heights)) for c in range(len(widths))]


def test_nested_table_and_text_outside_cells() -> None:
    outer = _boxes(0, 0, [100, 300], [30, 120])  # the second row's right cell holds a small table
    inner = _boxes(110, 60, [80, 80], [20, 20])
    chars = (_raw("项目", 5, 10) + _raw("说明", 105, 10) + _raw("标准", 5, 70) + _raw("按下表扣减：", 105, 40)
             + _raw("比率", 115, 65) + _raw("扣减", 195, 65) + _raw("10%", 115, 85) + _raw("20%", 195, 85)
             + _raw("正文在表外", 0, 200))
    got = split_tables([((0, 0, 400, 150), outer), ((110, 60, 270, 100), inner)], chars, 1)
    assert [(t.n_rows, t.n_cols) for t in got.tables] == [(2, 2), (2, 2)]  # top to bottom: outer first
    assert [c.text for c in got.tables[0].cells] == ["项目", "说明", "标准", "按下表扣减："]
    assert [c.text for c in got.tables[1].cells] == ["比率", "扣减", "10%", "20%"]
    assert "".join(c["text"] for c in got.prose_chars) == "正文在表外"
    assert got.table_chars == len(chars) - 5


def test_finder_runs_only_on_ruled_pages() -> None:
    from corpus_tool.reading.pdf.tables import MAX_DRAWN, find_page_tables, has_grid

    across = [{"object_type": "line", "x0": 0, "x1": 100, "top": y, "bottom": y} for y in (0, 10, 20)]
    down = [{"object_type": "line", "x0": x, "x1": x, "top": 0, "bottom": 20} for x in (0, 50, 100)]
    frame = [{"object_type": "rect", "x0": 0, "x1": 100, "top": 0, "bottom": 20}]
    assert has_grid(across + down) and not has_grid(across) and not has_grid(frame + across[:1])

    class NoFinder:  # a page whose finder must not be called
        def find_tables(self, settings: object) -> list:
            raise AssertionError("finder called")

    chars = _raw("正文", 0, 0)
    assert find_page_tables(NoFinder(), chars, across, 1).prose_chars == chars  # rules one way only: prose
    dense = (across + down) * (MAX_DRAWN // 6 + 1)
    got = find_page_tables(NoFinder(), chars, dense, 1)
    assert got.prose_chars == chars and not got.tables and str(MAX_DRAWN) in got.not_searched


def _grid(rows: list[list[str]]) -> Table:
    cells = [TableCell(r + 1, c + 1, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Table(1, 1, len(rows), max(len(r) for r in rows), cells)


def test_is_table_guards() -> None:
    assert is_table(_grid([["项目", "预算数"], ["合计", "1,000.00"]]))
    assert not is_table(_grid([["一段文字"], ["另一段"]]))  # one column: a framed text box
    prose = "本办法所称建设用地使用标准，是指建设项目用地规模控制的技术标准和规定，适用于新建、改建和扩建项目。" * 2
    assert not is_table(_grid([[prose, prose], [prose, prose]]))  # long cells
    header_only = [["项目", "年初结转", "本年收入", "本年支出", "年末结转"], ["类", "款", "项", "", ""]]
    header_only += [[""] * 5 for _ in range(8)]
    assert is_table(_grid(header_only))  # an empty budget table still has its header grid
    chart = [["", "SAC", "", "ME", ""]] + [[""] * 5 for _ in range(7)]
    chart[3][1], chart[3][4] = "0.5", "1.0"
    assert not is_table(_grid(chart))  # gridlines of a chart with a few labels


def test_a_box_drawn_twice_is_one_cell() -> None:
    from corpus_tool.reading.pdf.tables import read_grid

    boxes = _boxes(0, 0, [100, 100], [20, 20])
    table, _ = read_grid(boxes + boxes[:1], _raw("项目", 5, 5) + _raw("金额", 105, 5) + _raw("合计", 5, 25), 1)
    assert table is not None
    assert sorted((c.row, c.col, c.text) for c in table.cells) == [(1, 1, "项目"), (1, 2, "金额"), (2, 1, "合计"),
                                                                   (2, 2, "")]


def test_byd_header_cells_sit_over_their_columns(corpus: Path) -> None:
    # the cells' grey shading is inset by the padding and drawn once per text line: the grid follows the
    # hairline rules, so a two-line header is one cell and sits over the column it is drawn over
    cells, paras, _ = _doc(corpus, "report_byd_q1_2025.pdf")
    first = cells[(cells.page == 2) & (cells.table_no == cells[cells.page == 2].table_no.min())]
    assert (first.n_rows.iloc[0], first.n_cols.iloc[0]) == (11, 4)

    def at(text: str) -> pd.Series:
        hit = first[first.text == text]
        assert len(hit) == 1, (text, first.text.tolist())
        return hit.iloc[0]

    change = at("本报告期比上年同期增减（%）")
    assert (change.row, change.col, change.col_span, change.row_span) == (1, 4, 1, 1)
    assert at("36.35%").col == 4 and at("-16.10%").col == 4
    assert at("本报告期").col == at("170,360,448,000.00").col == 2
    assert at("上年同期").col == at("124,944,397,000.00").col == 3
    assert at("营业收入（元）").col == 1
    assert at("归属于上市公司股东的扣除非经常性损益的净利润（元）").row == 4  # two lines, one cell
    # a statement whose right-set numbers have backdrops of every width keeps its columns apart
    late = cells[cells.page == 8]
    assert "3.12 1.57" not in late.text.tolist()
    eps = late[late.text == "3.12"].iloc[0]
    row = late[(late.table_no == eps.table_no) & (late.row == eps.row)].sort_values("col")
    assert row.text.tolist()[1:] == ["3.12", "1.57"]
    assert "本报告期比上年同期" not in "\n".join(paras.text)


def test_shading_inset_by_padding_cuts_no_column() -> None:
    from corpus_tool.reading.pdf.tables import Rules, read_grid

    def rect(x0: float, top: float, x1: float, bottom: float, stroke: bool = False) -> dict:
        return {"object_type": "rect", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "stroke": stroke}

    # hairline rules at x = 0, 100, 200 and y = 0, 20, 40; each cell's shading inset 5 pt, and a
    # backdrop per text line splits the first cell in two: the finder's boxes follow the shading
    rules = [rect(x - 0.1, 0, x + 0.1, 40) for x in (0, 100, 200)]
    rules += [rect(0, y - 0.1, 200, y + 0.1) for y in (0, 20, 40)]
    shading = [rect(5, 0, 95, 10), rect(5, 10, 95, 20), rect(105, 0, 195, 20), rect(5, 20, 95, 40),
               rect(105, 20, 195, 40)]
    boxes = [(0, 0, 5, 20), (5, 0, 95, 10), (5, 10, 95, 20), (95, 0, 100, 20), (100, 0, 200, 20),
             (0, 20, 100, 40), (100, 20, 200, 40)]
    raw = _raw("项目", 10, 1, 8) + _raw("名称", 10, 11, 8) + _raw("金额", 110, 5)
    raw += _raw("合计", 10, 25) + _raw("12", 110, 25)
    table, _ = read_grid(boxes, raw, 1, Rules.of(rules + shading))
    assert table is not None and (table.n_rows, table.n_cols) == (2, 2)
    assert [(c.row, c.col, c.text) for c in table.cells] == [(1, 1, "项目名称"), (1, 2, "金额"), (2, 1, "合计"),
                                                             (2, 2, "12")]
    # shading alone (no rule drawn): the finder's grid stands
    alone, _ = read_grid(boxes, raw, 1, Rules.of(shading))
    assert alone is not None and alone.n_cols == 4
