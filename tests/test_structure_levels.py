"""Heading levels from the numberings a document nests, captions kept out of the body, the 落款 and the
issuer an opening names: unit tests on plain text, and the values on real government files and a handbook."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_tool.reading.captions import is_caption_text
from corpus_tool.reading.document import build_document
from corpus_tool.reading.headings import heading_levels, numbering
from corpus_tool.reading.metadata import front_issuer, signature
from tests.conftest import real_pdf


def test_numbering_names_the_scheme() -> None:
    texts = ("壹、前言", "3.1基本介紹", "3.1.2 方法", "1 引言", "（一）总体", "第一篇 总论", "(a)啟停控制法", "序言")
    assert [numbering(t) for t in texts] == ["壹、", "1.1", "1.1.1", "1.", "（一）", "编", "(a)", None]


def test_levels_follow_the_nesting_a_document_uses() -> None:
    # first scheme met is level 1, a new one under it one deeper
    assert heading_levels([("壹、", 16), ("1.1", 14), ("1.1", 14), ("壹、", 16)]) == [1, 2, 2, 1]
    # 一、 after a run of 1. closes the 1. (it ranks outside it); （一） nests between them
    met = [("1.", None), ("一、", None), ("1.", None), ("（一）", None), ("1.", None)]
    assert heading_levels(met) == [1, 1, 2, 2, 3]
    # a code's 章 keeps its level in a 编 without 分编
    assert heading_levels([("编", None), ("分编", None), ("章", None), ("编", None), ("章", None)]) == [1, 2, 3, 1, 3]


def test_unnumbered_headings_take_their_size_level() -> None:
    # 参考文献 set like 壹、 is level 1; a smaller unnumbered heading nests; 目录 is no parent of 壹、
    assert heading_levels([(None, 16), ("壹、", 16), ("1.1", 14), (None, 16), (None, 12)]) == [1, 1, 2, 1, 2]
    # a heading set larger than the open one does not nest under it
    assert heading_levels([("1.", 12), ("一、", 16)]) == [1, 1]


def test_signature_reads_organs_and_date() -> None:
    assert signature(["特此通知。", "国务院", "中央军委", "2024年3月5日"]) == ("2024-03-05", "国务院、中央军委")
    assert signature(["特此通知。", "上海市普陀区人民政府　2024年3月5日"]) == ("2024-03-05", "上海市普陀区人民政府")
    assert signature(["上海市普陀区人民政府办公室", "（二〇二四年三月五日）", "（此件公开发布）"]) == (
        "2024-03-05", "上海市普陀区人民政府办公室")
    assert signature(["请认真贯彻执行。", "2024年3月5日"]) == ("2024-03-05", None)
    assert signature(["会议指出，2024年3月5日"]) == (None, None)  # a sentence, not a date line
    assert signature(["关于红军作战的原则……………1", "（一九三七年八月一日）"]) == (None, None)  # a contents entry


def test_front_issuer() -> None:
    assert front_issuer("", ["云南省人民政府文件", "云政发〔2024〕1号"]) == ("云南省人民政府", "content:版头")
    assert front_issuer("", ["预算主管部门：上海市普陀区人民政府办公室"])[0] == "上海市普陀区人民政府办公室"
    assert front_issuer("", ["现在，我代表北京市人民政府，向大会报告政府工作，请予审议。"]) == (
        "北京市人民政府", "content:报告人")
    assert front_issuer("上海市普陀区财政局2024年度部门决算", []) == ("上海市普陀区财政局", "content:标题")
    assert front_issuer("", ["现在，我代表大家发言。", "一、总体要求"]) == (None, "")


def test_caption_text() -> None:
    assert all(map(is_caption_text, ["图1 统一现状图建设总体设计思路", "孙\n东\n明\n制\n图", "资料来源：国家统计局",
                                     "注：本表数据为初步核算数。", "制图：孙东明", "Table 2 Results",
                                     "<1>检视配电盘电表 <2>需量控制安装"]))
    assert not any(map(is_caption_text, ["其具体技术架构与技术路线\n如图2、图3所示。", "表1中可见", "注意事项"]))


def _doc(name: str):  # type: ignore[no-untyped-def]
    return build_document(Path(name), real_pdf(name), "test")


@pytest.fixture(scope="module")
def handbook():  # type: ignore[no-untyped-def]
    return _doc("gov_tw_boe_energy_handbook.pdf")


def test_handbook_sections_nest_and_items_are_no_sections(handbook) -> None:  # type: ignore[no-untyped-def]
    levels = {s.title: s.level for s in handbook.sections}
    assert levels["壹、前言"] == 1 and levels["參、電能管理與需量控制Q&A"] == 1 and levels["伍、結語"] == 1
    assert levels["3.1基本介紹"] == 2 and levels["4.2醫院"] == 2
    parents = {s.title: s.parent_no for s in handbook.sections}
    numbers = {s.title: s.section_no for s in handbook.sections}
    assert parents["3.1基本介紹"] == numbers["參、電能管理與需量控制Q&A"]
    assert not [s.title for s in handbook.sections if s.title.startswith(("(", "<", "（"))]
    assert handbook.meta["issuer"] == "財團法人台灣綠色生產力基金會"  # as the cover prints it, not converted
    assert not [u.text for u in handbook.units if "ㄧ" in u.text]  # zhuyin ㄧ typed for 一 (ㄧ般) is 一
    assert "U+3127 ㄧ→一 ×2" in {e.step: e.detail for e in handbook.log}["bopomofo_one"]
    captions = [u.text for u in handbook.units if u.field == "caption"]
    assert "表3.1-1高壓、特高壓供電電價表" in captions and "<3>負載控制盤" in captions


def test_journal_captions_and_credit_out_of_body() -> None:
    doc = _doc("journal_china_land_2025_cnki.pdf")
    captions = [u.text for u in doc.units if u.field == "caption"]
    assert "图1统一现状图建设总体设计思路" in captions and "孙东明制图" in captions
    assert not [u.text for u in doc.units if u.field == "body" and u.text.startswith(("图1", "图2", "图3"))]
    assert doc.meta.get("date") == "2025-10"  # its running header's issue (test_pdf_metadata_real), no caption's


def test_contents_page_gives_no_date() -> None:
    doc = _doc("tricky_gbk_xiaobiaosong_toc_p1.pdf")
    assert doc.meta.get("date") is None


def test_work_report_issuer_is_the_government_it_speaks_for() -> None:
    doc = _doc("gov_beijing_work_report_2024.pdf")
    assert doc.meta["issuer"] == "北京市人民政府"
    assert doc.title == ""  # the file prints no title: it opens at 各位代表：


def test_part_names_are_headings() -> None:
    """序言 of a plan and 附则 of a law, on lines of their own set like the numbered headings, are sections."""
    plan = _doc("gov_yunnan_10th_five_year_plan.pdf")
    levels = {s.title: s.level for s in plan.sections}
    assert levels["序言"] == 1 and levels["第一篇指导思想和发展目标"] == 1
    assert levels["第一章经济社会发展的指导思想"] == 2
    assert not [u for u in plan.units if u.field == "body" and u.text == "序言"]
    law = _doc("law_criminal_law.pdf")
    closing = [s for s in law.sections if s.title == "附则"]
    assert len(closing) == 1 and closing[0].level == 1
    assert not [u for u in law.units if u.field == "body" and u.text == "附则"]


def test_back_matter_closes_the_chapters() -> None:
    assert [numbering(t) for t in ("参考文献", "致 谢", "附录A 调查问卷", "References", "作者简介", "后记")] == \
        ["back"] * 6
    assert numbering("附录中列出了全部样本") is None  # a sentence, not a heading
    # 参考文献 after 第6章 > 6.4 goes back to level 1, and the 1.1 of an appendix nests under it
    met = [("章", 16), ("1.1", 14), ("1.1.1", 12), ("back", 14), ("back", 16), ("1.1", 14)]
    assert heading_levels(met) == [1, 2, 3, 1, 1, 2]


@pytest.mark.parametrize("name, after", [("thesis_tsinghua_proposal_network_analysis.pdf", "第6章"),
                                         ("journal_control_decision_preprint.pdf", "4结")])
def test_back_matter_is_no_part_of_the_last_chapter(name: str, after: str) -> None:
    doc = _doc(name)
    by_no = {s.section_no: s for s in doc.sections}
    chapter = next(s for s in doc.sections if s.title.startswith(after))
    back = [s for s in doc.sections if s.section_no > chapter.section_no and numbering(s.title) == "back"]
    assert back and {s.title[:4] for s in back} >= {"参考文献"}
    top = min(s.level for s in doc.sections if s.section_no > 1)
    for s in back:
        assert s.parent_no is None and s.level == 1 <= top, (s.title, s.level, by_no.get(s.parent_no))
