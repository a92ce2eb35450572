"""Label–value facts (单位：元, 股票代码：…) set side by side on one line or stacked as short lines are
separate paragraphs, never spliced into one sentence (see corpus_tool/reading/pdf/fields.py)."""

from __future__ import annotations

import pytest

from corpus_tool.reading.model import PARA, Extracted
from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.fields import is_choices, is_field, split_fields
from corpus_tool.reading.pdf.rows import Row
from tests.conftest import real_pdf


def _run(text: str, x0: float, size: float = 10.0, pitch: float | None = None) -> list[Char]:
    """Glyphs of ``text`` on one baseline from ``x0``, one every ``pitch`` points (set solid by default)."""
    step = size if pitch is None else pitch
    return [Char(ch, x0 + i * step, x0 + i * step + size, 90.0, 101.0, size, "Song", 100.0)
            for i, ch in enumerate(text)]


def _texts(rows: list[Row]) -> list[tuple[str, bool]]:
    return [("".join(c.text for c in r.chars), r.beside) for r in rows]


def test_a_label_run_after_a_wide_gap_is_a_fact_of_its_own() -> None:
    row = Row(_run("编制部门：普陀区政府办公室", 50) + _run("单位：元", 450), 100.0).measure()
    parts = split_fields([row])
    assert _texts(parts) == [("编制部门：普陀区政府办公室", False), ("单位：元", True)]
    assert all(p.top == row.top and p.base == row.base for p in parts)  # one printed line, read left to right


@pytest.mark.parametrize("right", [
    _run("单位：元", 185),  # a gap under the 1.5 em threshold: one run of text
    _run("元", 450),  # a wide gap, but no label follows
    _run("另外的说明文字", 450),
])
def test_no_cut_without_a_wide_gap_before_a_label(right: list[Char]) -> None:
    row = Row(_run("编制部门：普陀区政府办公室", 50) + right, 100.0).measure()
    assert len(split_fields([row])) == 1


def test_a_letterspaced_label_is_not_cut_at_its_own_gaps() -> None:
    # 编  制  单  位：… spread over a cover line: the gaps lie inside the label, which is set wide, not tight
    row = Row(_run("编制单位", 50, pitch=35.0) + _run("：比亚迪股份有限公司", 50 + 4 * 35.0), 100.0).measure()
    assert len(split_fields([row])) == 1


def test_field_and_choice_lines() -> None:
    assert is_field("股票代码：300218") and is_field("主管会计工作负责人：周亚琳") and is_field("单位:万元")
    assert not is_field("超約用電：超約用電超出契約容量在10%以下部分，按適用電")  # a clause runs on
    assert not is_field("注：本表数据为初步统计。")  # a sentence
    assert not is_field("根据有关规定现将有关事项通知如下：")  # a prose line ending in a colon
    assert is_choices("☑适用 □不适用") and is_choices("□是 ☑否")
    assert not is_choices("□适用")


# ---------------------------------------------------------------- real files, end to end


def _paras(doc: Extracted, page: int) -> list[str]:
    return [b.text for b in doc.blocks if b.kind == PARA and b.page == page]


@pytest.fixture(scope="module")
def putuo() -> Extracted:
    return real_pdf("gov_putuo_gov_office_budget_2025.pdf")


@pytest.fixture(scope="module")
def fakebold() -> Extracted:
    return real_pdf("tricky_fakebold_4x_p1.pdf")


@pytest.fixture(scope="module")
def byd() -> Extracted:
    return real_pdf("report_byd_q1_2025.pdf")


def test_budget_table_labels_at_both_ends_of_a_line_are_two_paragraphs(putuo: Extracted) -> None:
    for page in (8, 9, 18):
        paras = _paras(putuo, page)
        assert "编制部门：上海市普陀区人民政府办公室" in paras and "单位：元" in paras
    assert not any("办公室 单位" in b.text or "办公室单位" in b.text for b in putuo.blocks)


def test_stacked_cover_fields_are_separate_paragraphs(fakebold: Extracted) -> None:
    assert _paras(fakebold, 1)[-3:] == ["股票代码：300218", "股票简称：安利股份", "披露日期：2012年3月27日"]


def test_report_signatures_units_and_check_boxes_stand_apart(byd: Extracted) -> None:
    assert _paras(byd, 6) == ["法定代表人：王传福", "主管会计工作负责人：周亚琳", "会计机构负责人：刘惠"]
    assert _paras(byd, 5)[-1] == "单位：元"  # the unit above the table, not run on into the signatures after it
    page3 = _paras(byd, 3)
    assert "☑适用 □不适用" in page3 and "资产负债表" in page3
    # a running paragraph next to them keeps its lines together
    assert any(t.startswith("本报告期内，公司为进一步提升技术实力") and t.endswith("（公告编号：2025-008）。")
               for t in _paras(byd, 5))


# ---------------------------------------------------------------- symbol and abbreviation lists
def _page_of(rows: list[tuple[str, float, float]], size: float = 10.0) -> list[dict]:
    """Glyph dicts of (text, x0, top) runs, set solid."""
    return [{"text": ch, "x0": x0 + i * size, "x1": x0 + (i + 1) * size, "top": top, "bottom": top + size,
             "size": size, "fontname": "Song", "upright": True} for text, x0, top in rows for i, ch in enumerate(text)]


def test_a_symbol_list_is_one_paragraph_a_row() -> None:
    from corpus_tool.reading.pdf.blocks import build_blocks, compute_stats
    from corpus_tool.reading.pdf.layout import layout_page, term_column

    meaning = 150.0
    runs = [("这是一段正文，说明下面的符号表里每一个符号的意思，符号与其意义分两栏排。", 50, 100),
            ("HPC", 50, 130), ("高性能计算", meaning, 130), ("SMP", 50, 145), ("对称多处理", meaning, 145),
            ("劝学", 50, 160), ("君子曰学不可以已，青取之于蓝而青于蓝，冰水为之而寒", meaning, 160),
            ("于水。", meaning, 175)]
    page = layout_page(_page_of(runs), 595.0, 842.0, 1)
    assert [ln.term_x for ln in page.lines] == [None, meaning, meaning, meaning, None]
    blocks = [b.text for b in build_blocks([page], compute_stats([page]), [])]
    # each row its own paragraph; a meaning that wraps under itself goes on in the same one
    assert blocks[1:] == ["HPC 高性能计算", "SMP 对称多处理",
                          "劝学 君子曰学不可以已，青取之于蓝而青于蓝，冰水为之而寒\n于水。"]
    # a letterspaced label (two wide gaps) and a lone Han character before the gap are no term
    spaced = layout_page(_page_of([("学", 50, 100), ("生", 100, 100), ("姓", 150, 100), ("名：琥珀", 200, 100),
                                   ("院", 50, 130), ("信息技术学院", meaning, 130)]), 595.0, 842.0, 1)
    assert [ln.term_x for ln in spaced.lines] == [None, None]
    assert term_column([], 10.0) is None


def test_a_footnote_with_a_hanging_indent_is_one_note() -> None:
    from corpus_tool.reading.pdf.blocks import build_blocks, compute_stats
    from corpus_tool.reading.pdf.layout import layout_page

    body = "这是一段正文，正文的每一行都排满整个版心，直到右边的边缘为止，然后换行。"
    small = 8.0
    runs = [(body, 50, 100 + 15 * i) for i in range(6)]
    notes = [("①韩愈，字退之，河南河阳人，自称郡望昌黎，世称韩昌黎。幼孤贫刻苦好学，曾任监察御史，德宗", 50, 700),
             ("贞元八年进士，是唐代古文运动领袖。", 66, 710), ("②你说还是看不懂？怎么会呢？", 50, 720)]
    glyphs = _page_of(runs) + [dict(g, size=small, x1=g["x0"] + small, bottom=g["top"] + small)
                               for g in _page_of(notes, small)]
    page = layout_page(glyphs, 595.0, 842.0, 1, rules=[(50.0, 200.0, 690.0)])
    blocks = build_blocks([page], compute_stats([page]), [])
    assert [b.text for b in blocks if b.kind == "footnote"] == [notes[0][0] + "\n" + notes[1][0], notes[2][0]]
