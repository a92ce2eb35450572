"""Vector-drawn charts' labels kept out of the prose, and captions kept out of headings and sentences.

End-to-end tests read files from ../shared/data/pdfs/real (each extracted once per module) and
assert the text itself; unit tests build drawings and rows by hand.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from corpus_tool.reading.headings import is_caption
from corpus_tool.reading.model import Extracted
from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.charts import Drawing, chart_boxes, take_chart_labels
from corpus_tool.reading.pdf.rows import Row
from tests.conftest import real_pdf


def _squash(text: str) -> str:
    """Without spaces, compatibility ideographs read as the characters they show (the repair step does so)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _tick_like(text: str) -> bool:
    """A short block that is mostly digits: an axis's tick value (百35,891, ( 40,000, s) 1.2, 96.80)."""
    t = _squash(text)
    return 0 < len(t) <= 12 and sum(c.isdigit() for c in t) >= len(t) / 2


@pytest.fixture(scope="module")
def control() -> Extracted:
    return real_pdf("journal_control_decision_preprint.pdf")


@pytest.fixture(scope="module")
def handbook() -> Extracted:
    return real_pdf("gov_tw_boe_energy_handbook.pdf")


@pytest.fixture(scope="module")
def china_land() -> Extracted:
    return real_pdf("journal_china_land_2025_cnki.pdf")


def test_chart_ticks_stay_out_of_the_column_sentence(control: Extracted) -> None:
    page6 = [_squash(b.text) for b in control.blocks if b.page == 6]
    assert any(re.search("保持一定的队形[,，]通过布满障碍和危险的区域", t) for t in page6)
    on_charts = [b.text for b in control.blocks if b.page in (6, 7, 8)]
    assert not [t for t in on_charts if _tick_like(t) or _squash(t) in ("/", "m", "(", "%", "SAC", "MEHSRL")]
    assert not any("MEHSRL\nCPO" in t for t in on_charts)  # a legend is no paragraph
    # the captions under the charts stay, each a paragraph of its own
    assert "图4训练环境中不同方法的奖励值情况" in [_squash(t) for t in on_charts]
    assert "图10测试环境中不同方法的任务成功率" in [_squash(t) for t in on_charts]
    log = next(e for e in control.log if e.step == "pdf_figure_labels_left_out")
    assert log.count >= 50  # the ticks and legends are reported, not silently dropped


def test_handbook_chart_axes_are_no_paragraphs(handbook: Extracted) -> None:
    blocks = [b for b in handbook.blocks if b.page in (11, 12)]
    assert blocks and not [b.text for b in blocks if _tick_like(b.text)]
    texts = [_squash(b.text) for b in blocks]
    assert "圖2.1-1商業部門電力消費電量成長變化(84年至104年)" in texts  # the caption, a paragraph of its own
    assert any(t.startswith("A:見台電公司網站") for t in texts)  # the prose after the chart is kept


def test_captions_are_never_headings(handbook: Extracted, control: Extracted, china_land: Extracted) -> None:
    for doc in (handbook, control, china_land):
        assert not [b.text for b in doc.blocks if b.kind == "heading" and is_caption(b.text)]
    captions = [b for b in handbook.blocks if b.kind == "para" and b.text.startswith("圖3.2-3")]
    assert captions  # the caption is kept, as a paragraph
    # the numbered sections (3.2 …) are still headings: a caption no longer opens a section between them
    assert sum(1 for b in handbook.blocks if b.kind == "heading" and re.match(r"\d+\.\d", b.text)) >= 5


def test_caption_is_not_joined_into_the_next_sentence(china_land: Extracted) -> None:
    texts = [_squash(b.text) for b in china_land.blocks if b.page == 4]
    assert "图2统一现状图建设总体技术架构" in texts
    assert not any("技术架构二是" in t for t in texts)


def test_caption_pattern() -> None:
    for text in ("图3 多机器人安全强化学习环境", "圖2.1-1商業部門電力消費", "表1 网络参数", "Figure 4. Results",
                 "Table 2 Data"):
        assert is_caption(text), text
    for text in ("图8为3种方法在测试场景中", "表1中: la、lc和ls", "图书馆", "表示", "图5所示", "图1、图2可见"):
        assert not is_caption(text), text


# ---------------------------------------------------------------- by hand


def _chars(text: str, x: float, base: float, size: float = 10.0) -> list[Char]:
    return [Char(ch, x + i * size, x + (i + 1) * size, base - size, base, size, "F", base) for i, ch in enumerate(text)]


def _row(chars: list[Char]) -> Row:
    return Row(chars, chars[0].base).measure()


def _axis(x: float, top: float) -> list[dict]:
    """A y axis at ``x`` with five ticks, 80 long, and an x axis at its foot."""
    ticks = [{"x0": x - 3, "top": top + 20 * k, "x1": x, "bottom": top + 20 * k, "object_type": "line"}
             for k in range(5)]
    y_axis = {"x0": x, "top": top, "x1": x, "bottom": top + 80, "object_type": "line"}
    x_axis = {"x0": x, "top": top + 80, "x1": x + 150, "bottom": top + 80, "object_type": "line"}
    return [*ticks, y_axis, x_axis]


def test_axis_makes_a_chart_but_a_ruled_grid_does_not() -> None:
    chart = Drawing.of(_axis(300, 100), [], 600, 800)
    assert len(chart_boxes(chart, 10.0)) == 1
    grid = [{"x0": 50, "top": 100 + 20 * k, "x1": 250, "bottom": 100 + 20 * k, "object_type": "line"} for k in range(6)]
    grid += [{"x0": 50 + 50 * k, "top": 100, "x1": 50 + 50 * k, "bottom": 200, "object_type": "line"} for k in range(5)]
    assert chart_boxes(Drawing.of(grid, [], 600, 800), 10.0) == []
    # the same axis inside a ruled table's box is the table's, not a chart
    assert chart_boxes(Drawing.of(_axis(300, 100), [(250, 50, 500, 250)], 600, 800), 10.0) == []


def test_tick_values_are_cut_from_a_sentence_row_and_prose_stays() -> None:
    drawing = Drawing.of(_axis(300, 100), [], 600, 800)
    sentence = _chars("机器人需要导航至目标区域并保持一定的队形通", 50, 145)  # ends at x = 260
    tick = _chars("25", 291, 145, 8.0)
    prose_in_box = _chars("放在图框里的一句正文它很长也是", 305, 125)
    ticks = [_row(_chars(v, 285, 104 + 20 * k, 8.0)) for k, v in enumerate(("80", "60", "40"))]
    x_ticks = _row(_chars("0 2 4 6 8 10", 300, 190, 8.0))
    rows = [*ticks, _row(sentence + tick), _row(prose_in_box), _row(_chars("SAC", 400, 165, 8.0)), x_ticks]
    kept, labels, boxes = take_chart_labels(rows, drawing, 10.0)
    assert labels == ["80", "60", "40", "25", "SAC", "0 2 4 6 8 10"] and len(boxes) == 1
    assert ["".join(c.text for c in r.chars) for r in kept] == [
        "机器人需要导航至目标区域并保持一定的队形通", "放在图框里的一句正文它很长也是"]


def test_shapes_over_prose_make_no_chart() -> None:
    """A watermark or emphasis dots drawn over lines of text: no chart, nothing taken."""
    lines = [_chars("这是正文的一行文字内容很长很长很长很长很长", 50, 110 + 14 * k) for k in range(6)]
    dots = [{"x0": 55 + 10 * i, "top": 112 + 14 * k, "x1": 57 + 10 * i, "bottom": 114 + 14 * k,
             "object_type": "curve"} for k in range(6) for i in range(20)]
    rows = [_row(c) for c in lines] + [_row(_chars("12", 60, 200))]
    kept, labels, _ = take_chart_labels(rows, Drawing.of(dots, [], 600, 800), 10.0)
    assert labels == [] and len(kept) == len(rows)
