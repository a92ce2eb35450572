"""Figure labels kept out of sentences and unruled tables read as tables, on real PDFs and by hand.

End-to-end tests read files from ../shared/data/pdfs/real (each extracted once per module) and
assert the text itself; unit tests build :class:`Char` rows by hand.
"""

from __future__ import annotations

import re

import pytest

from corpus_tool.reading.model import Extracted
from corpus_tool.reading.pdf import extract_pdf
from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.figures import Graphics, pieces, take_figure_labels
from corpus_tool.reading.pdf.rows import Row
from corpus_tool.reading.pdf.unruled import find_unruled_tables
from tests.conftest import shared_path

REAL = ("data", "pdfs", "real")


def _extract(name: str) -> Extracted:
    return extract_pdf(shared_path(*REAL, name))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def china_land() -> Extracted:
    return _extract("journal_china_land_2025_cnki.pdf")


@pytest.fixture(scope="module")
def kangxi() -> Extracted:
    return _extract("tricky_kangxi_chemistry_p1.pdf")


@pytest.fixture(scope="module")
def broker() -> Extracted:
    return _extract("report_broker_apparel_q3.pdf")


@pytest.fixture(scope="module")
def criminal_law() -> Extracted:
    return _extract("law_criminal_law.pdf")


def test_figure_credit_stays_out_of_the_column_sentence(china_land: Extracted) -> None:
    page5 = [_squash(b.text) for b in china_land.blocks if b.page == 5]
    # the credit 孙东明制图, set down the figure's edge on the column's baselines, no longer cuts the sentence
    assert any("笔者建议，应按照自然资源调查监测数据“能用尽用”的原则，全面开展各类数据汇聚" in t for t in page5)
    assert not any(t in ("孙东", "明", "制图", "孙", "东") for t in page5)
    log = next(e for e in china_land.log if e.step == "pdf_figure_labels_left_out")
    assert "p5: 孙" in log.detail and "核心提示" not in log.detail  # a run-in label on a tab is text


def test_mind_map_nodes_are_not_glued_into_descriptions(kangxi: Extracted) -> None:
    text = [_squash(b.text) for b in kangxi.blocks]
    assert any("是⽤化学式来描述各种物质之间的不同化学反应的式⼦" in t for t in text)
    assert not any("描述⽅程式" in t or ("分⼦结构的⼀种⽅法" in t and "化学学科" in t) for t in text)
    log = next(e for e in kangxi.log if e.step == "pdf_figure_labels_left_out")
    assert "⽅程式" in log.detail and "化学学科常⽤符号公式" in log.detail


def test_unruled_broker_tables_are_cells_not_prose(broker: Extracted) -> None:
    unruled = [t for t in broker.tables if t.page in (1, 4)]
    assert len(unruled) == 3
    first = {(c.row, c.col): c.text for c in unruled[0].cells}
    assert first[(1, 2)] == "2022" and first[(2, 1)] == "营业收入(百万元)" and first[(2, 2)] == "18,562"
    assert first[(4, 6)] == "3002"
    prose = "".join(_squash(b.text) for b in broker.blocks)
    assert "18,56221,528" not in prose and "营业收入(百万元)" not in prose
    assert "盈利预测和财务指标" in prose and "表2：可比公司估值" in prose  # the captions stay prose
    assert any(e.step == "pdf_unruled_tables" and e.count == 3 for e in broker.log)


def test_criminal_law_has_no_tables(criminal_law: Extracted) -> None:
    assert criminal_law.tables == []
    assert not any(e.step in ("pdf_unruled_tables", "pdf_figure_labels_left_out") for e in criminal_law.log)


# ---------------------------------------------------------------- by hand


def _run(text: str, x: float, base: float = 100.0, size: float = 10.0, step: float = 10.0) -> list[Char]:
    return [Char(ch, x + i * step, x + i * step + size, base - size, base, size, "F", base)
            for i, ch in enumerate(text)]


def test_rows_are_cut_at_wide_irregular_gaps_only() -> None:
    glued = Row(_run("方程式", 0) + _run("各种物质之间的不同化学反应", 80), 100.0).measure()
    assert ["".join(c.text for c in p) for p in pieces(glued, 10.0)] == ["方程式", "各种物质之间的不同化学反应"]
    spaced = Row(_run("中华人民共和国", 0, step=40), 100.0).measure()  # letter-spaced: every gap alike
    assert len(pieces(spaced, 10.0)) == 1


def test_framed_piece_is_a_label_but_a_boxed_heading_alone_is_not() -> None:
    node = Row(_run("方程式", 0) + _run("各种物质之间的不同化学反应", 80), 100.0).measure()
    heading = Row(_run("相关思考与建议", 0, base=200.0), 200.0).measure()
    boxes = Graphics([(-10, 85, 40, 105), (-10, 185, 80, 205)], [])
    rows, labels = take_figure_labels([node, heading], boxes, 10.0)
    assert labels == ["方程式"]
    assert ["".join(c.text for c in r.chars) for r in rows] == ["各种物质之间的不同化学反应", "相关思考与建议"]


def test_unruled_table_needs_numbers_and_shared_columns() -> None:
    def row(cells: list[str], base: float) -> Row:
        return Row([c for k, t in enumerate(cells) for c in _run(t, k * 100, base, step=6)], base).measure()

    table = [row(["营业收入", "18,562", "21,528", "21,021"], 100 + 15 * i) for i in range(4)]
    rest, tables = find_unruled_tables(table, 1)
    assert rest == [] and len(tables) == 1 and tables[0].n_cols == 4
    words = [row(["第一条", "为了惩罚", "犯罪保护人民", "制定本法"], 100 + 15 * i) for i in range(4)]
    assert find_unruled_tables(words, 1)[1] == []  # aligned words without numbers are no table
