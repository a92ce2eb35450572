"""Figure labels kept out of sentences and unruled tables read as tables, on real PDFs and by hand.

End-to-end tests read files from ../shared/data/pdfs/real (each extracted once per module) and
assert the text itself; unit tests build :class:`Char` rows by hand.
"""

from __future__ import annotations

import re

import pytest

from corpus_tool.reading.model import Extracted
from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.figures import Graphics, pieces, take_figure_labels
from corpus_tool.reading.pdf.rows import Row
from corpus_tool.reading.pdf.unruled import find_unruled_tables
from tests.conftest import real_pdf


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def china_land() -> Extracted:
    return real_pdf("journal_china_land_2025_cnki.pdf")


@pytest.fixture(scope="module")
def kangxi() -> Extracted:
    return real_pdf("tricky_kangxi_chemistry_p1.pdf")


@pytest.fixture(scope="module")
def broker() -> Extracted:
    return real_pdf("report_broker_apparel_q3.pdf")


@pytest.fixture(scope="module")
def criminal_law() -> Extracted:
    return real_pdf("law_criminal_law.pdf")


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
    # each node is a paragraph of its own (a term such as 方程式 too); the boxed root is the page's title
    assert "⽅程式" in text and "分⼦式" in text
    assert [b.text for b in kangxi.blocks if b.kind == "title"] == ["化学学科常⽤符号公式\n及其表示"]


def test_unruled_broker_tables_are_cells_not_prose(broker: Extracted) -> None:
    unruled = [t for t in broker.tables if t.page in (1, 4)]
    assert len(unruled) == 3
    first = {(c.row, c.col): c.text for c in unruled[0].cells}
    assert first[(1, 2)] == "2022" and first[(2, 1)] == "营业收入(百万元)" and first[(2, 2)] == "18,562"
    assert first[(4, 6)] == "3002"
    prose = "".join(_squash(b.text) for b in broker.blocks)
    assert "18,56221,528" not in prose and "营业收入(百万元)" not in prose
    assert "盈利预测和财务指标" in prose and "表2：可比公司估值" in prose  # the captions stay prose


def test_a_caption_label_set_smaller_than_its_title_stays_on_its_line(broker: Extracted) -> None:
    # 图7： is set at 8 pt before its 9 pt title, on one baseline: one line, in reading order, not two
    page3 = [_squash(b.text) for b in broker.blocks if b.page == 3]
    assert "图7：盈利预测假设拆分" in page3 and "图7：" not in page3
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
    marks = [row(["3", "3", "3", "3"], 100 + 15 * i) for i in range(4)]  # a symbol font's bullets read as 3
    assert find_unruled_tables(marks, 1)[1] == []


# ---------------------------------------------------------------- sideways pages

W, H = 595.0, 842.0  # a portrait page with a landscape table on it


def _unturn(x0: float, top: float, x1: float, bottom: float) -> dict[str, float]:
    """A box of the upright (turned) frame as it lies on the displayed page (text running up)."""
    return {"x0": top, "x1": bottom, "top": H - x1, "bottom": H - x0}


def _sideways_text(text: str, x: float, base: float, size: float = 10.0) -> list[dict]:
    out = []
    for i, ch in enumerate(text):
        box = _unturn(x + i * size, base - size, x + (i + 1) * size, base + 2)
        out.append({**box, "text": ch, "size": size, "upright": False, "fontname": "ABCDEF+SimSun",
                    "matrix": (0.0, size, -size, 0.0, base, H - x - i * size)})
    return out


def _sideways_rule(x0: float, top: float, x1: float, bottom: float) -> dict:
    box = _unturn(x0, top, x1, bottom)
    orientation = "v" if x1 - x0 > bottom - top else "h"  # horizontal in the turned frame: vertical here
    return {**box, "width": box["x1"] - box["x0"], "height": box["bottom"] - box["top"],
            "orientation": orientation, "object_type": "line"}


def test_sideways_table_is_turned_and_read_as_cells() -> None:
    from corpus_tool.reading.pdf.layout import layout_page
    from corpus_tool.reading.pdf.sideways import UP, Turn, sideways_direction, turn_page
    from corpus_tool.reading.pdf.tables import find_page_tables

    xs, ys = [100.0, 200.0, 300.0, 400.0], [100.0, 125.0, 150.0]
    rules = [_sideways_rule(xs[0], y, xs[-1], y) for y in ys] + [_sideways_rule(x, ys[0], x, ys[-1]) for x in xs]
    cells = [("牌号", 110, 118), ("铝", 210, 118), ("钒", 310, 118), ("TC4", 110, 143), ("5.5~6.75", 210, 143),
             ("3.5~4.5", 310, 143)]
    chars = [c for text, x, base in cells for c in _sideways_text(text, x, base)]
    chars += _sideways_text("表1 钛合金牌号和化学成分", 100, 80)
    assert sideways_direction(chars) == UP
    turned = turn_page(Turn(UP, W, H), chars, rules, rules, [], [])
    assert (turned["width"], turned["height"]) == (H, W)
    found = find_page_tables(turned["page"], turned["chars"], turned["drawn"], 5)
    assert len(found.tables) == 1
    grid = {(c.row, c.col): c.text for c in found.tables[0].cells}
    assert grid == {(1, 1): "牌号", (1, 2): "铝", (1, 3): "钒", (2, 1): "TC4", (2, 2): "5.5~6.75", (2, 3): "3.5~4.5"}
    page = layout_page(found.prose_chars, turned["width"], turned["height"], 5)
    assert [ln.text.replace(" ", "") for ln in page.lines] == ["表1钛合金牌号和化学成分"]  # the caption, upright


@pytest.fixture(scope="module")
def gbt() -> Extracted:
    return real_pdf("std_gbt3620.1-2016.pdf")


def test_sideways_tables_in_unmapped_fonts_are_reported_not_stored(gbt: Extracted) -> None:
    # pages 5-9 hold landscape composition tables set sideways in FzBookMaker fonts without a Unicode
    # map: turned upright, their glyphs read as !"#$%… codes, so they are withheld and reported by page and font
    steps = {e.step: e for e in gbt.log}
    assert steps["pdf_sideways_unreadable"].detail.startswith("pages 5,6,7,8,9 set sideways")
    assert "page 5:" in steps["pdf_unmapped_font_dropped"].detail
    text = "".join(b.text for b in gbt.blocks if 5 <= b.page <= 9) + "".join(
        c.text for t in gbt.tables if 5 <= (t.page or 0) <= 9 for c in t.cells)
    assert not re.search(r'[!"#$%&]{2}', text), text[:200]
    assert "钛及钛合金" in "".join(b.text for b in gbt.blocks)  # the upright pages are read as before
