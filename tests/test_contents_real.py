"""Contents lists as a map of the headings: lists without leaders (as OCR reads a dotted list) found and removed,
body lines an entry names made headings at the entry's level, and section numbers set with a space (3. 1).

The OCR lines below are the thesis_bnu_template_manual_cid.pdf contents pages as ``ingest --ocr`` read them
(its fonts have no Unicode map), so these tests need no tesseract; the real text-layer files run end to end.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus_tool.reading.contents import drop_contents, paged_entry, paged_runs
from corpus_tool.reading.document import build_document
from corpus_tool.reading.headings import numbering, unspaced
from corpus_tool.reading.model import HEADING, PARA, Block, Document, Extracted
from corpus_tool.reading.outline import same_heading
from corpus_tool.reading.structure import build_structure
from tests.conftest import real_pdf

# The two contents pages of the thesis, block by block, as OCR read them: no leaders, marks where they were
# (站, Ne, .pp), a page number misread (1 as ]), lines run together into one block.
OCR_CONTENTS = [
    [(5, "目录")],
    [(5, "摘要 I")], [(5, "ABSTRACT .Ne II")], [(5, "第1章带English的标题 1")], [(5, "1.1封面相美 ]")],
    [(5, "1.2字体命令Ne，1")], [(5, "1.3”表格样本 2")], [(5, "1.3.1 ”基本 表格 2")], [(5, "1.3.2”复杂表格站3")],
    [(5, "1.3.3其它 5")], [(5, "1.4定理环境 5")], [(5, "1.5参考文献本7")], [(5, "1.6公式8")],
    [(5, "第2章”中华人民共和国 10\n2.1 其它例子 10")], [(5, "2.11绘图 10")], [(5, "2.12揪图 10")],
    [(5, "2.1.2.1 一个图形 10")],
    [(5, "2.1.2.2”多个图形 11\n插图索引 12\n表格索引 13\n公式索引 14\n参考文献 15\n致谢 17\n附录1外文资料原文 18")],
    [(5, "1.1 Single-Objective Programming pp 18")], [(5, "1.1.1 Linear Programming pp 19")],
    [(6, "2.1单目标规划.pp 22")], [(6, "2.1.1线性规划站272")], [(6, "2.1.3”整数规划.9 23\n附录3“其它附录 24")],
]
PROSE = "这是正文的一段，说明模板的用法和各种格式的设置，内容完整而且足够长。" * 3


def _blocks(rows: list[list[tuple[int, str]]], kind: str = PARA) -> list[Block]:
    return [Block(HEADING if text == "目录" else kind, text, page) for row in rows for page, text in row]


def _thesis_like() -> Extracted:
    """The OCR'd contents, then a body whose headings the layout partly missed (body-type lines)."""
    body = [Block(HEADING, "第1章带English的标题", 9, 1), Block(PARA, PROSE, 9),
            Block(HEADING, "1.3”表格样本", 10, 2), Block(PARA, PROSE, 10),
            Block(PARA, "1.3.2”复杂表格", 11), Block(PARA, PROSE, 11),
            Block(PARA, "1.3.3其它", 13), Block(PARA, PROSE, 13),
            Block(HEADING, "1.4定理环境", 13, 2), Block(PARA, PROSE, 14),
            Block(PARA, "1.6”公式", 16), Block(PARA, PROSE, 16)]
    body += [Block(PARA, PROSE, p) for p in range(17, 33)]
    return Extracted(blocks=_blocks(OCR_CONTENTS) + body, n_pages=32, fmt="pdf")


# ---------------------------------------------------------------- the leaderless contents detector


def test_an_ocr_entry_reads_as_its_title_and_page() -> None:
    assert paged_entry("1.3.2”复杂表格站3") == ("1.3.2”复杂表格站", 3)
    assert paged_entry("2.1单目标规划.pp 22") == ("2.1单目标规划.pp", 22)
    assert paged_entry("摘要 I") == ("摘要", None) and paged_entry("摘要I") == ("摘要", None)
    # not entries: a sentence or a clause before the number, a quantity, a page range, a year, a bare number
    for line in ("共计： 5", "增长 3.5", "同比增长 40%", "学报, 2019, 40(3): 12-18",
                 "发布于 2024", "12", "这是一句话。 3"):
        assert paged_entry(line) is None, line


def test_ocr_contents_without_leaders_are_found_with_their_label() -> None:
    blocks = _blocks(OCR_CONTENTS) + [Block(PARA, PROSE, p) for p in range(9, 33)]
    runs = paged_runs(blocks)
    assert len(runs) == 1
    start, end, entries = runs[0]
    assert (start, end) == (0, len(OCR_CONTENTS))  # the 目录 label, the misread 1.1封面相美 ] and all the entries
    assert entries[:3] == ["摘要", "ABSTRACT .Ne", "第1章带English的标题"]
    assert "附录3“其它附录" in entries and "1.3.2”复杂表格站" in entries


def test_numbered_prose_ending_in_numbers_is_no_contents() -> None:
    def kept(lines: list[str], pages: int = 40) -> bool:
        blocks = [Block(PARA, line, 1) for line in lines] + [Block(PARA, PROSE, p) for p in range(2, pages + 1)]
        return drop_contents(blocks)[0] == blocks

    # numbers that do not ascend: figures in a list
    assert kept(["1.新建学校 12", "2.改扩建医院 3", "3.新增床位 30", "4.新建公园 7", "5.改造道路 15", "6.新增绿地 2"])
    # ascending, but past the document's pages (a count, not a page)
    assert kept(["一季度完成 120", "二季度完成 240", "三季度完成 360", "四季度完成 480", "全年完成 600"], pages=20)
    # too few entries
    assert kept(["第一章总论 1", "第二章方法 5", "第三章结果 9"])
    # all on one page number
    assert kept(["甲组人数 3", "乙组人数 3", "丙组人数 3", "丁组人数 3", "戊组人数 3"])


def test_the_contents_are_removed_logged_and_their_entries_make_headings() -> None:
    doc = build_document(Path("thesis.pdf"), _thesis_like(), "test")
    texts = [u.text for u in doc.units]
    assert not [t for t in texts if "复杂表格站" in t or "摘要I" in t or t == "目录"]  # the contents are gone
    steps = {e.step: e for e in doc.log}
    # every entry line, but the two OCR left without a readable page (1.1封面相美 ], 1.2字体命令Ne，1)
    assert steps["table_of_contents_removed"].count == 28
    assert "无前导符的目录" in steps["table_of_contents_removed"].detail
    levels = {s.title: s.level for s in doc.sections}
    # 1.3.2 and 1.3.3 nest under 1.3 (level 2), 1.6 is its sibling
    assert levels["1.3.2”复杂表格"] == 3 and levels["1.3.3其它"] == 3 and levels["1.6”公式"] == 2
    assert steps["headings_from_contents"].count == 3
    parents = {s.title: s.parent_no for s in doc.sections}
    numbers = {s.title: s.section_no for s in doc.sections}
    assert parents["1.3.2”复杂表格"] == numbers["1.3”表格样本"]


def test_entry_matching_allows_ocr_noise_but_not_another_number() -> None:
    assert same_heading("132复杂表格站", "132复杂表格")  # a leader's mark left after the title
    assert same_heading("11singleobjectiveprogrammingpp", "11singleobjectiveprogramming")
    assert same_heading("第2章中华人民共和国", "第2和章中华人民共和国")  # one misread character in a long entry
    assert not same_heading("132复杂表格", "142复杂表格")  # another section
    assert not same_heading("其它", "其它例子")
    assert not same_heading("15参考文献", "15参考")


def test_a_one_page_contents_without_leaders_stays_the_text() -> None:
    blocks = _blocks(OCR_CONTENTS[:1] + OCR_CONTENTS[2:13])
    out = build_structure(blocks)
    steps = [e.step for e in out.log]
    assert "table_of_contents_kept" in steps and "table_of_contents_removed" not in steps
    assert "1.4定理环境 5" in [u.text for u in out.units]


def test_a_section_number_with_a_space_after_its_dot() -> None:
    assert unspaced("3. 1 发动机健康检查") == "3.1 发动机健康检查"
    assert [numbering(t) for t in ("3. 1 发动机健康检查", "3. 2. 1 方法", "3 关键技术", "1. 2024年工作回顾",
                                   "2.1.2.1 一个图形")] == ["1.1", "1.1.1", "1.", "1.", "1.1.1.1"]


# ---------------------------------------------------------------- real files end to end


def _doc(name: str) -> Document:
    return build_document(Path(name), real_pdf(name), "test")


@pytest.fixture(scope="module")
def handbook() -> Document:
    return _doc("gov_tw_boe_energy_handbook.pdf")


_QUESTION_RE = re.compile(r"^\d{1,2}\.\S.*[？?]$")


def test_handbook_questions_its_contents_list_are_headings(handbook: Document) -> None:
    """The 68 numbered questions of the Q&A handbook, listed in its contents, were body lines."""
    assert not [u.text for u in handbook.units if u.field == "body" and _QUESTION_RE.match(u.text)]
    questions = [s for s in handbook.sections if _QUESTION_RE.match(s.title)]
    assert len(questions) == 68
    by_title = {s.title: s for s in handbook.sections}
    question = by_title["8.何謂電力契約容量？"]
    assert question.parent_no == by_title["3.1基本介紹"].section_no and question.level == 3
    first = by_title["1.台灣地區近年最終電力消費量與經濟成長如何？"]
    assert first.parent_no == by_title["貳、國內電力供需概況"].section_no
    body = [u for u in handbook.units if u.field == "body" and u.text.startswith("A：經由儀表及時")]
    assert body and body[0].section_no == by_title["1.何謂電能管理？"].section_no  # the question holds its answer
    steps = {e.step: e.count for e in handbook.log}
    assert steps["headings_from_contents"] >= 68 and "table_of_contents_removed" in steps


def test_aerospace_subsections_with_a_spaced_number_are_headings() -> None:
    doc = _doc("journal_aerospace_power_1994.pdf")
    by_title = {re.sub(r"\s+", "", s.title): s for s in doc.sections}
    sub = by_title["3.1发动机健康检查和指示系统故障识别"]
    assert sub.level == 2 and sub.parent_no == by_title["3关键技术"].section_no
    assert [t for t in by_title if t.startswith("3.")] == ["3.1发动机健康检查和指示系统故障识别", "3.2气路故障诊断",
                                                         "3.3发动机技术状态综合评定", "3.4起飞排气温度裕度的监视"]
    assert not [u.text for u in doc.units if u.field == "body" and u.text.startswith("3. ")]
    assert by_title["4系统运行和校核"].level == 1


@pytest.mark.parametrize("name", ["gov_beijing_work_report_2024.pdf", "law_criminal_law.pdf",
                                  "thesis_tsinghua_proposal_network_analysis.pdf"])
def test_files_without_such_contents_gain_no_headings(name: str) -> None:
    steps = {e.step for e in _doc(name).log}
    assert not steps & {"headings_from_contents", "numbered_subheadings"}


def test_a_contents_page_that_is_the_whole_document_stays_its_text() -> None:
    doc = _doc("tricky_gbk_xiaobiaosong_toc_p1.pdf")
    assert "table_of_contents_kept" in {e.step for e in doc.log}
    assert "关于红军作战的原则…………………………………………1" in [u.text for u in doc.units]
