"""Diagram nodes kept whole, hanging-indent list items kept whole, vertical running heads left out (issue 11).

End-to-end tests read files from ../shared/data/pdfs/real (each extracted once per module) and assert
the text itself; unit tests build the geometry by hand.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from corpus_tool.reading.model import Extracted
from corpus_tool.reading.pdf.blocks import DocStats, hangs_from, opens_item
from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.diagrams import find_nodes
from corpus_tool.reading.pdf.fractions import set_fractions
from corpus_tool.reading.pdf.layout import Line
from tests.conftest import real_pdf


def _squash(text: str) -> str:
    """Spaces out; compatibility ideographs and Kangxi radicals (U+F92D 來, U+2F64 ⽤) read as the characters
    they show, as the repair step reads them."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def kangxi() -> Extracted:
    return real_pdf("tricky_kangxi_chemistry_p1.pdf")


@pytest.fixture(scope="module")
def energy() -> Extracted:
    return real_pdf("gov_tw_boe_energy_handbook.pdf")


@pytest.fixture(scope="module")
def shiji() -> Extracted:
    return real_pdf("vertical_shiji_juan16.pdf")


def test_mind_map_node_text_is_one_paragraph_per_box(kangxi: Extracted) -> None:
    text = [_squash(b.text) for b in kangxi.blocks]
    # the description box of 分子式 is whole, its wrapped word 分|子式 no longer has the label spliced in
    assert _squash("是⽤元素符号及各元素个数表示物质（单质、化合物）分⼦的组成、该物质分⼦量的化学式；"
                   "分⼦式仅能表示⼀个分⼦所含每种原⼦的数⽬，并不能表明分⼦的结构。") in text
    assert not any(_squash("分分⼦式") in t or _squash("式；分分") in t for t in text)
    # the two boxes of 实验式 and 纽曼投影式 each one paragraph, not cut at their inner sentence ends
    assert any(t.startswith(_squash("实验式（empirical formula）")) and t.endswith(_squash("这时最简式就是分⼦式。"))
               for t in text)
    assert any(t.startswith(_squash("是表示有机化合物⽴体结构的⼀种⽅法")) and t.endswith(_squash("以表示出来。"))
               for t in text)
    # node text is never a heading, and no paragraph holds two boxes' text side by side
    assert not [b.text for b in kangxi.blocks if b.kind == "heading"]
    assert not any(_squash("键线式") in t and _squash("分⼦结构的⼀种⽅法") in t and len(t) < 40 for t in text)
    assert _squash("分⼦式") in text and _squash("⽅程式") in text  # a node's term is a paragraph of its own
    nodes = next(e for e in kangxi.log if e.step == "pdf_diagram_nodes_apart")
    assert nodes.count >= 60  # set apart and said so


def test_hanging_indent_items_stay_whole(energy: Extracted) -> None:
    text = [_squash(b.text) for b in energy.blocks if b.kind == "para"]
    assert any(t.endswith(_squash("PLC主要是從工廠製程控制中發展出來，當初比較強調是接點的邏輯控制所以DI/DO"
                          "(DigitalInput，DI)/(DigitalOutput，DO)的控制，比較多後來才漸漸開始強調AI/AO"
                          "(AnalogInput，AI)/(AnalogOutput，AO)。")) for t in text)
    assert any(t.endswith(_squash("PLC是集中管理式，將所有的訊號都拉到同一個位置，不像DDC(DirectDigitalController，DDC)"
                          "的分散管理。優點是訊號處理速度快，缺點是需要花很多線材和配管配線的費用。")) for t in text)
    assert _squash("(4)能源節約：能源節約不但減少流動電費，同時亦可減少需量。其方法不外使用高效率設備、改善操作方法、"
            "適切的保養、汽電共生、功因改善等。") in text
    # a line set off by a wider gap after a finished item is not pulled into it
    assert _squash("電話專線數據機：穩定性低、資料傳輸速率低。") in text
    # the item's text stops at 即 before its display formula, which goes on in the item
    # a line opening with a quantity (0.5%) goes on with the item: no marker 0.
    assert any(_squash("可防電磁波干擾及現場雜訊干擾，誤差在0.5%以內。執行卸載動作") in t for t in text)
    formula = _squash("為這個月份之最高需量，即最高需量＝［15分鐘內之使用電力量kWh］max/0.25(hr)")
    assert any(t.endswith(formula) for t in text)


def test_built_up_fraction_is_one_line_not_a_footnote(energy: Extracted) -> None:
    page23 = [_squash(b.text) for b in energy.blocks if b.page == 23]
    assert _squash("負載率＝平均負載(kW)/最大需量(kW) X100%") in page23
    assert _squash("(日總用電量(kWh)/24小時)/當日最大需量(kW)X100%") in page23
    assert not [b.text for b in energy.blocks if b.kind == "footnote" and "需量(kW)" in b.text]


def test_vertical_running_head_is_furniture(shiji: Extracted) -> None:
    page2 = [_squash(b.text) for b in shiji.blocks if b.page == 2]
    assert _squash("史記卷十六") not in page2
    body = "".join(_squash(b.text) for b in shiji.blocks)
    # the sentence running over the page break is one paragraph, with no running head inside it
    assert _squash("不期而會孟津八百諸侯，猶以爲未可") in body
    head = next(e for e in shiji.log if e.step == "pdf_header_removed")
    assert "史記卷十六" in head.detail or "史記卷⼗六" in head.detail


def _glyphs(text: str, x: float, top: float, size: float = 10.0) -> list[Char]:
    return [Char(ch, x + i * size, x + (i + 1) * size, top, top + size, size, "F", top + 0.85 * size)
            for i, ch in enumerate(text)]


def test_find_nodes_needs_boxes_joined_by_connectors() -> None:
    boxes = [(0.0, 0.0, 60.0, 20.0), (100.0, 0.0, 160.0, 20.0), (100.0, 40.0, 160.0, 60.0)]
    chars = _glyphs("甲乙", 5, 5) + _glyphs("丙丁", 105, 5) + _glyphs("戊己", 105, 45)
    joined = [((60.0, 10.0), (100.0, 10.0)), ((60.0, 12.0), (100.0, 50.0))]
    nodes = find_nodes(chars, boxes, joined, 1e6, 10.0)
    assert ["".join(c.text for c in n.chars) for n in nodes] == ["甲乙", "丙丁", "戊己"]
    assert find_nodes(chars, boxes, joined[:1], 1e6, 10.0) == []  # two joined boxes are no diagram
    touching = [(0.0, 0.0, 60.0, 20.0), (60.0, 0.0, 120.0, 20.0), (120.0, 0.0, 180.0, 20.0)]  # a table's cells
    cells = _glyphs("甲乙", 5, 5) + _glyphs("丙丁", 65, 5) + _glyphs("戊己", 125, 5)
    assert find_nodes(cells, touching, [((0.0, 10.0), (180.0, 10.0))], 1e6, 10.0) == []


def test_set_fractions_only_takes_a_bar_with_text_inside_its_span() -> None:
    num, den = _glyphs("甲乙", 100, 80), _glyphs("丙丁", 100, 93)
    left = _glyphs("值＝", 75, 86)
    chars, rules, n = set_fractions(num + den + left, [(100.0, 120.0, 91.5)])
    assert n == 1 and rules == []
    assert "".join(c.text for c in sorted(chars, key=lambda c: c.x0)) == "值＝甲乙/丙丁"
    # a footnote rule: the note line below runs past the rule's span
    note = _glyphs("注释文字一直写到栏的右边", 100, 93)
    rule = (100.0, 140.0, 91.5)
    assert set_fractions(_glyphs("正文", 100, 80) + note, [rule])[1:] == ([rule], 0)


def test_a_quantity_opens_no_item() -> None:
    assert not opens_item("0.5%以內。執行卸載動作") and not opens_item("12.5%的用戶")
    assert opens_item("5.1 範圍") and opens_item("1.画出分子骨架") and opens_item("（2）依據")


def _line(text: str, x0: float, x1: float, top: float, dy: float | None, size: float = 14.0) -> Line:
    return Line(text, x0, x1, top, top + size, size, "F", 1.0, 1, dy=dy)


def test_hangs_from_takes_the_indent_after_the_marker() -> None:
    stats = DocStats(14.0, "F", 24.0, bounds={(1, "C"): (130.0, 525.0)})
    item = _line("◆ PLC 主要是從工廠製程控制中發展出來，當初比較強調是", 151.5, 524.4, 500, 33)
    cont = _line("接點的邏輯控制所以DI/DO(Digital Input，DI)", 169.5, 524.6, 524, 24, size=13.0)
    assert hangs_from([item], cont, stats)
    assert not hangs_from([item], _line("◆ PLC 是集中管理式", 151.5, 524.0, 524, 24), stats)  # the next item
    assert not hangs_from([item], _line("接點的邏輯控制", 169.5, 524.0, 540, 40), stats)  # after a gap
    short = _line("(1) PLC的特色：", 132.5, 235.8, 470, 31)
    assert not hangs_from([short], cont, stats)  # the item line did not wrap
    plain = _line("這是一個段落的第一行文字，一直寫到欄的右邊為止，沒有標號", 151.5, 524.4, 500, 33)
    assert not hangs_from([plain], cont, stats)


def test_node_text_never_cuts_the_paragraph_around_it() -> None:
    from corpus_tool.reading.pdf.blocks import build_blocks, compute_stats
    from corpus_tool.reading.pdf.layout import PageText

    def body(text: str, top: float, page: int, x1: float = 524.0) -> Line:
        return Line(text, 100.0, x1, top, top + 14, 14.0, "F", 1.0, page, dy=24.0)

    first = [body(f"第{k}行正文说明这一段还在继续写下去没有结束并且一直写到右边为止" + "，", 100 + 24 * k, 1)
             for k in range(4)]
    node = [Line("图中方框里的说明文字", 150, 300, 500, 514, 14.0, "F", 1.0, 1, figure=1),
            Line("第二行也在同一个框里", 150, 300, 524, 538, 14.0, "F", 1.0, 1, figure=1, dy=24.0)]
    second = [body("这一段在下一页写完。", 100, 2, x1=240.0)]
    pages = [PageText(1, 600, 800, first + node), PageText(2, 600, 800, second)]
    blocks = build_blocks(pages, compute_stats(pages))
    texts = [b.text for b in blocks]
    assert texts[-1] == "图中方框里的说明文字\n第二行也在同一个框里"  # one unit, after the paragraph it sat in
    assert any(t.startswith("第0行") and t.endswith("这一段在下一页写完。") for t in texts)
