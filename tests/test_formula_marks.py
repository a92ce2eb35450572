"""The 〔公式〕 a display formula leaves in its paragraph: read where the formula stood on a real journal page, a
stop token (its 公式 never a word, while 公式 in the prose stays one), and located in the document's log."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb
import pytest

from corpus_tool.analyse.frequency import frequencies
from corpus_tool.reading.gaps import gap_log
from corpus_tool.reading.model import FORMULA_MARK, Document, Extracted, Unit
from corpus_tool.reading.pdf import extract_pdf
from corpus_tool.reading.pdf.formulas import FORMULA, mark_formulas
from corpus_tool.reading.pdf.layout import Line, PageText
from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.run import segment_corpus
from corpus_tool.store.db import CorpusDB
from tests.conftest import shared_path


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _line(text: str, x0: float, top: float, size: float = 10.3) -> Line:
    return Line(text=text, x0=x0, x1=x0 + size * len(text), top=top, bottom=top + size, size=size, font="F",
                font_share=1.0, page=1, region="R")


def test_mark_goes_after_the_lead_in_and_pieces_join_the_formula() -> None:
    lines = [_line("求解可最大化累计期望的策略π∗,有", 308, 687), _line("[ ∑ ]", 418, 696),
             _line("max E γtrt ;", 380, 709), _line("t", 431, 724, 7.0), _line("s.t. Jc(π) ⩽ m. (3)", 380, 733),
             _line("其中: m为安全代价的阈值", 308, 755), _line("a", 437, 900, 7.0)]
    (entry,) = mark_formulas([PageText(page_no=3, width=595, height=842, lines=lines)])
    assert lines[0].text.endswith("有" + FORMULA_MARK) and lines[5].text == "其中: m为安全代价的阈值"
    assert lines[3].role == FORMULA  # the summation's index, set between two formula lines
    assert lines[5].after_formula and not lines[0].after_formula  # the paragraph step reads its indent
    assert lines[6].role == ""  # a lone letter far from any formula stays text
    assert entry.step == "pdf_formula_lines" and entry.count == 4 and entry.detail.startswith("1 display formula")


def test_mark_goes_before_the_next_line_after_a_heading() -> None:
    head = _line("2.1 模型", 308, 100)
    head.role = "header"  # out of the flow: the mark cannot go on it, nor on the formula's other side's header
    lines = [head, _line("x = y + 1", 380, 120), _line("其中x为变量.", 308, 140)]
    mark_formulas([PageText(page_no=1, width=595, height=842, lines=lines)])
    assert lines[2].text == FORMULA_MARK + "其中x为变量."


@pytest.fixture(scope="module")
def control() -> Extracted:
    return extract_pdf(shared_path("data", "pdfs", "real", "journal_control_decision_preprint.pdf"))


def test_control_paper_keeps_a_mark_where_each_formula_stood(control: Extracted) -> None:
    paras = [_flat(b.text) for b in control.blocks]
    text = "".join(paras)
    assert "即其中" not in text and "为其中" not in text and "有其中" not in text  # no join across a formula
    assert "求解最大化期望目标的最优策略π\u2217,即〔公式〕其中:\u2126C为满足安全约束的安全策略集" in text
    assert "的累计折扣安全代价为〔公式〕其中:ct为单步即时代价" in text
    assert "具体如下所示:〔公式〕其中N为经验样本数量." in text
    assert "可表示为〔公式〕其中:ε为微噪声,b为噪声的边界值." in text  # the case brace { went with its formula
    # after a formula, an indented line opens the next paragraph even though the line before the formula ran
    # full mid-sentence; a line at the column's edge (其中: …) goes on in the same one
    assert any(p.endswith("与状态评价函数Lπ(s)的关系为〔公式〕") for p in paras)
    assert any(p.startswith("李雅普诺夫评价函数的计算方式与动作价值函数类似") for p in paras)
    assert not {"t", "a", "{"} & set(paras)  # no formula piece left as a paragraph
    assert not any(p.startswith("{") for p in paras)
    entry = next(e for e in control.log if e.step == "pdf_formula_lines")
    assert entry.detail.startswith(f"{text.count(FORMULA_MARK)} display formulas") and "(t | a | {)" in entry.detail


TEXTS = {"a.txt": ["由公式(1)可得最优策略，即〔公式〕其中：N为机器人总数。", "目标函数为〔公式〕"]}


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "f.duckdb"
    with CorpusDB(db) as cdb:
        for name, paras in TEXTS.items():
            doc_id = hashlib.sha256(name.encode()).hexdigest()[:16]
            units = [Unit(para_no=i, field="body", text=t) for i, t in enumerate(paras, 1)]
            cdb.write_document(Document(doc_id=doc_id, source_path=name, fmt="txt", units=units),
                               (name, 1, 0.0, doc_id))
    segment_corpus(db, SegmentSettings())
    return db


def test_formula_mark_is_stop_and_prose_formula_a_word(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT para_no, token, start, is_stop FROM tokens ORDER BY para_no, position").fetchall()
    marks = [(p, t, s, stop) for p, t, s, stop in rows if t == "公式"]
    assert [(p, s, stop) for p, _, s, stop in marks] == [(1, 1, False), (1, 15, True), (2, 6, True)]
    assert {"机器人", "最优"} <= {t for _, t, _, stop in rows if not stop}  # the words around it stay words
    assert frequencies(db).table.set_index("term").loc["公式", "frequency"] == 1  # only the one in the prose


def test_formulas_removed_log_names_page_paragraph_and_offset() -> None:
    units = [Unit(para_no=2, field="body", text="即〔公式〕其中", page=3), Unit(para_no=3, field="body", text="无")]
    (entry,) = gap_log(units)
    assert entry.step == "formulas_removed" and entry.count == 1 and entry.detail.endswith("page 3 ¶2 @1")
