"""Reading order where a sentence crosses a column foot, a figure, a caption or a page end.

End-to-end on real PDFs (each extracted once per module), asserting the stored text itself;
unit tests for the junction reading and the row cut at a caption.
"""

from __future__ import annotations

import re

import pytest

from corpus_tool.reading.model import FOOTNOTE, HEADING, PARA, Extracted, LogEntry
from corpus_tool.reading.pdf import extract_pdf
from corpus_tool.reading.pdf.blocks import build_blocks, compute_stats
from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.columns import Band, attach_beside_figures
from corpus_tool.reading.pdf.joins import word_across
from corpus_tool.reading.pdf.layout import Line, PageText
from corpus_tool.reading.pdf.roles import split_caption_rows
from corpus_tool.reading.pdf.rows import Row
from tests.conftest import shared_path

REAL = ("data", "pdfs", "real")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def land() -> Extracted:
    return extract_pdf(shared_path(*REAL, "journal_china_land_2025_cnki.pdf"))


@pytest.fixture(scope="module")
def control() -> Extracted:
    return extract_pdf(shared_path(*REAL, "journal_control_decision_preprint.pdf"))


def _block_with(ex: Extracted, words: str) -> str:
    found = [_flat(b.text) for b in ex.blocks if words in _flat(b.text)]
    assert len(found) == 1, (words, found)
    return found[0]


def test_sentence_beside_a_figure_goes_on_in_its_column(land: Extracted) -> None:
    # p5 opens with a figure over the left column and half the right; the strip of text beside it
    # belongs to the right column, read after the left one
    text = _block_with(land, "应用场景支撑体系")
    assert ("构建“一张图”数据资源家底应用场景支撑体系，并基于主题库形成定制数据产品，"
            "或通过提供数据服务等方式，满足不同业务应用的需求。") in text
    assert "场景支建" not in _flat("".join(b.text for b in land.blocks))
    # and p4's last sentence goes on at the top of p5's left column, not in the strip
    assert "并对接各有关部门调查监测相关数据，实现多源数据的动态在线集成" in _block_with(land, "调查监测相关数据")
    assert "调查监测撑体系" not in _flat("".join(b.text for b in land.blocks))
    assert "构建包容性更强、延展性更优的资源家底数据体系；推动全国" in _block_with(land, "包容性更强")


def test_caption_keeps_no_body_line(land: Extracted) -> None:
    captions = [b for b in land.blocks if _flat(b.text).startswith("图1")]
    assert [_flat(b.text) for b in captions] == ["图1统一现状图建设总体设计思路"]
    assert "内业比对预判、地方共同认定、逐级地类审核、统一更新成果”的工作流程" in _block_with(land, "逐级地类审核")


def test_section_titles_set_large_are_headings(land: Extracted) -> None:
    headings = {_flat(b.text) for b in land.blocks if b.kind == HEADING}
    assert {"自然资源统一调查监测现状图建设的总体思路", "统一现状图建设的总体框架和路径", "相关思考与建议"} <= headings
    assert not any(_flat(b.text) in headings for b in land.blocks if b.kind == PARA)


def test_foot_notes_and_captions_stay_out_of_sentences(control: Extracted) -> None:
    # p2: 收稿日期 / 基金项目 set small at the foot of the first page, no rule above them
    text = _block_with(control, "有些深度强化学习方法甚至在学")
    assert "有些深度强化学习方法甚至在学习过程中加入了随机探索以期获得更好的近似最优解" in text
    assert "收稿日期" not in text and "基金项目" not in text
    notes = [_flat(b.text) for b in control.blocks if b.kind == FOOTNOTE]
    assert any(n.startswith("收稿日期:2023-09-11") for n in notes)
    # p6: 图3's caption at the top of the right column, inside a sentence from the left one
    text = _block_with(control, "对比分析它们的")
    assert "对比分析它们的协同作业能力以及安全性的提升效果" in text and "图3" not in text
    assert any(_flat(b.text) == "图3多机器人安全强化学习环境" for b in control.blocks)
    assert "pdf_foot_notes" in {e.step for e in control.log}


def test_abstracts_whole_and_no_header_in_references(control: Extracted) -> None:
    zh = _block_with(control, "摘要:针对深度强化学习")
    assert zh.endswith("增强了策略的安全性和多机协同运动规划能力.")
    en = _block_with(control, "Abstract:Inordertoaddress")
    assert "Then,byintroducingaLyapunov" in en and en.endswith("betterthanthecomparisonmethod.")
    body = [_flat(b.text) for b in control.blocks]
    assert "控制与决策" not in body and "第xx卷" not in body
    assert not any("2535-2542.控制与决策" in t for t in body)


def test_word_across_a_junction() -> None:
    assert word_across("构建数据资源家底应用场景支", "撑体系，并基于主题库形")
    assert not word_across("并对接各有关部门调查监测", "相关数据，实现多源数据")
    assert not word_across("思路和建议。", "撑体系")  # no Han character at the junction's end


def _chars(text: str, x: float, size: float, font: str, base: float = 100.0) -> list[Char]:
    out = []
    for ch in text:
        out.append(Char(ch, x, x + size, base - size, base, size, font, base, space=ch == " "))
        x += size
    return out


def test_a_caption_sharing_a_baseline_is_cut_off() -> None:
    body = _chars("方共同认定、逐级", 65.0, 10.0, "SongTi")
    caption = _chars("图1 统一现状图", 280.0, 9.0, "HeiTi")
    rows = split_caption_rows([Row(body + caption, 100.0).measure()])
    assert ["".join(c.text for c in r.chars) for r in rows] == ["方共同认定、逐级", "图1 统一现状图"]
    assert all(r.alone for r in rows)
    # the same words in the body's own size and font are a line of text ("图1所示" is no caption anyway)
    plain = _chars("见下文", 65.0, 10.0, "SongTi") + _chars("图1 统一现状图", 280.0, 10.0, "SongTi")
    assert len(split_caption_rows([Row(plain, 100.0).measure()])) == 1


def _row(text: str, x: float, top: float, size: float = 10.0) -> Row:
    return Row(_chars(text, x, size, "SongTi", top + size), top + size).measure()


def test_text_beside_a_figure_joins_the_column_on_its_side() -> None:
    # a figure over the left column and part of the right one (x 60-400, y 130-400), a strip of text
    # beside it at x 410-530, then two columns split at x 296 below the figure
    strip = [_row("撑体系并基于主题库形", 410.0, 140.0 + 16 * i) for i in range(4)]
    caption = _row("图3 统一现状图", 250.0, 398.0, 9.0)  # under the figure, across the gutter
    left = [_row("相关数据实现多源数据动态在线集成拓展", 65.0, 425.0 + 16 * i) for i in range(4)]
    right = [_row("建包容性更强延展性更优的资源家底数据", 307.0, 425.0 + 16 * i) for i in range(4)]
    figure = (60.0, 130.0, 400.0, 395.0)
    bands = attach_beside_figures([Band([*strip, caption]), Band(left + right, 296.0)], [figure])
    assert [b.gutter for b in bands] == [None, 296.0]
    assert bands[0].rows == [caption]  # the caption stays; the block step sets it aside
    assert strip[0] in bands[1].rows and len(bands[1].rows) == 12
    # without a figure beside them the same rows are a full-width band of their own
    kept = attach_beside_figures([Band([*strip, caption]), Band(left + right, 296.0)], [])
    assert [len(b.rows) for b in kept] == [5, 8]


def _line(text: str, x0: float, x1: float, top: float, region: str, page: int = 1,
          size: float = 10.0, dy: float | None = 16.0) -> Line:
    return Line(text, x0, x1, top, top + size, size, "SongTi", 1.0, page, region, dy=dy)


def _column(texts: list[str], x0: float, x1: float, region: str, page: int = 1) -> list[Line]:
    return [_line(t, x0, x1, 100.0 + 16 * i, region, page, dy=None if i == 0 else 16.0) for i, t in enumerate(texts)]


def _paragraphs(left_last: Line, right_first: Line) -> tuple[list[str], list[LogEntry]]:
    left = _column(["自然资源调查监测工作是新发展阶段自然资源", "管理和生态文明建设的重要支撑，并对接各有关"] * 3,
                   65.0, 285.0, "L")
    right = _column(["成定制数据产品，或通过提供数据服务等方式，满",
                     "足不同业务应用的需求，为全面推进统一现状图建"] * 3, 307.0, 527.0, "R")
    page = PageText(1, 595.0, 808.0, [*left, left_last, right_first, *right], two_column=True)
    log: list[LogEntry] = []
    blocks = build_blocks([page], compute_stats([page]), log)
    return [_flat(b.text) for b in blocks], log


def test_a_word_across_the_junction_joins_a_sentence_the_layout_broke() -> None:
    # the left column's last line stops short (beside a figure), the right one opens indented
    texts, log = _paragraphs(_line("构建数据资源家底应用场景支", 65.0, 195.0, 196.0, "L"),
                             _line("撑体系，并基于主题库形成定制数据产品", 327.0, 507.0, 84.0, "R", dy=None))
    assert any("应用场景支撑体系，并基于主题库" in t for t in texts)
    assert not log
    # no word runs across "监测|相关": the layout's break stands, and since nothing ran to the edge, unlogged
    texts, log = _paragraphs(_line("构建数据资源家底应用场景调查监测", 65.0, 225.0, 196.0, "L"),
                             _line("相关数据，实现多源数据的动态在线集成", 327.0, 507.0, 84.0, "R", dy=None))
    assert not any("调查监测相关数据" in t for t in texts) and not log


def test_a_sentence_kept_open_at_a_column_join_is_logged() -> None:
    # the left column runs to its edge mid-sentence; the right one opens with a heading: kept apart, logged
    heading = Line("相关思考与建议", 380.0, 460.0, 84.0, 96.0, 12.0, "HeiTi", 1.0, 1, "R")
    last = _line("管理和生态文明建设的重要支撑，并对接各有关部门调查", 65.0, 285.0, 196.0, "L")
    texts, log = _paragraphs(last, heading)
    assert "相关思考与建议" in texts
    assert [e.step for e in log] == ["pdf_open_sentence_kept"]
    assert "对接各有关部门调查 ‖ 相关思考与建议" in log[0].detail
