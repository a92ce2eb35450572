"""Latin word spacing from glyph gaps, three-line tables, article ends (issue 11).

End to end on the real CAJ2PDF journal and the Control & Decision preprint (each read once), plus
small unit tests of the spacing, the rule stacks and the structure splits.
"""

from __future__ import annotations

import re

import pytest

from corpus_tool.reading.document import read_document
from corpus_tool.reading.model import FRONT, PARA, Block, Document
from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.rows import Row
from corpus_tool.reading.pdf.spacing import glyph_advances, latin_word_spaces
from corpus_tool.reading.pdf.three_line import find_three_line_tables, long_rules
from corpus_tool.reading.structure import _footnote, split_article_ends
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def aerospace() -> Document:
    return read_document(shared_path("data", "pdfs", "real", "journal_aerospace_power_1994.pdf"))


@pytest.fixture(scope="module")
def control() -> Document:
    return read_document(shared_path("data", "pdfs", "real", "journal_control_decision_preprint.pdf"))


def _text(doc: Document) -> str:
    return "\n".join(u.text for u in doc.units)


def _cells(doc: Document, page: int) -> list[dict[tuple[int, int], str]]:
    return [{(c.row, c.col): c.text for c in t.cells} for t in doc.tables if t.page == page]


# ---------------------------------------------------------------- end to end


def test_latin_words_whole_in_a_caj_journal(aerospace: Document) -> None:
    text = _text(aerospace)
    assert "EMD (Engine Monitoring and" in text
    assert "AMECO" in text and "Hartman R A. Aircraft Condition Monitoring System" in text
    for broken in ("M onito", "EM D", "onito ring", "A ircraft", "Hartm an", "agno sis"):
        assert broken not in text, broken
    # the CJK text around the Latin runs is untouched
    assert "本文发展了一种新的发动机状态监视和故障诊断系统EMD" in text


def test_three_line_tables_are_cells_not_paragraphs(aerospace: Document, control: Document) -> None:
    first, second = _cells(aerospace, 2)
    assert [first[(1, k)] for k in range(2, 7)] == ["ECM〓", "ADEPT", "TEAM〓", "GEM", "ACMS"]  # Ⅱ, Ⅲ withheld
    assert first[(1, 1)] == "监视参数" and first[(2, 1)].startswith("低、高压转子转速")
    assert first[(16, 1)] == "可调静子叶片角度"
    assert second[(1, 5)] == "EMD" and any(v == "快速对比报告" for v in second.values())
    assert second[(2, 2)] == "〓"  # the table's tick marks are withheld glyphs: each shown, none dropped
    text = _text(aerospace)
    assert "可调静子叶片角度" not in text and "快速对比报告" not in text
    assert "表1典型系统的发动机测量参数" in re.sub(r"\s+", "", text)  # the caption stays prose

    (params,) = _cells(control, 6)
    assert (params[(1, 1)], params[(1, 2)], params[(1, 3)]) == ("参数", "介绍", "数值")
    assert (params[(6, 2)], params[(6, 3)]) == ("折扣因子", "0.99")
    assert "单批抽样本数量" not in _text(control)


def test_reference_list_ends_at_the_editors_note(aerospace: Document) -> None:
    refs = next(s.section_no for s in aerospace.sections if re.sub(r"\s+", "", s.title) == "参考文献")
    in_refs = [u.text for u in aerospace.units if u.section_no == refs]
    assert in_refs[-1].startswith("11") and in_refs[-1].endswith("(责任编辑魏星禄)")
    # the works cited are field reference, out of the body (and out of its measures), the English abstract is not
    assert {u.field for u in aerospace.units if u.section_no == refs and u.text != "参考文献"} == {"reference"}
    assert not any("ABSTRACT" in t or "Chen Daguang" in t for t in in_refs)
    after = [u for u in aerospace.units if u.para_no > max(u.para_no for u in aerospace.units if u.section_no == refs)]
    assert after[0].field == "front" and "Chen Daguang" in after[0].text
    assert after[1].text.startswith("ABSTRACT The feasibility")
    assert any(e.step == "article_end_split" for e in aerospace.log)


def test_received_date_footnote_keeps_its_year(aerospace: Document) -> None:
    assert any(f.text.startswith("1993年11月收到") for f in aerospace.footnotes)


# ---------------------------------------------------------------- unit


def _word(text: str, x: float, pitch: dict[str, float], font: str = "Times-Roman", box: float = 0.5) -> list[Char]:
    """Glyphs placed at their own ``pitch`` (× 10 pt) with boxes ``box`` em wide (another font's widths)."""
    out = []
    for ch in text:
        out.append(Char(ch, x, x + box * 10, 90, 100, 10.0, font, 100))
        x += pitch.get(ch, 0.5) * 10
    return out


def _line(words: list[str], pitch: dict[str, float], space: float, box: float = 0.5) -> list[Char]:
    chars: list[Char] = []
    x = 50.0
    for w in words:
        chars += _word(w, x, pitch, box=box)
        x = chars[-1].x0 + pitch.get(w[-1], 0.5) * 10 + space * 10
    return chars


def _spaced(chars: list[Char], decided: dict[int, bool]) -> str:
    return "".join((" " if decided.get(id(c)) else "") + c.text for c in chars)


def test_misplaced_glyphs_spaced_by_their_advances() -> None:
    # M is set 1.05 em apart, its box 0.5 em: every box gap after M looks like a space, none is
    pitch = {"M": 1.05, "i": 0.3, "o": 0.5, "n": 0.5}
    chars = _line(["Monitoring", "Mission", "Moon", "Mini", "Motion"], pitch, space=0.25, box=0.45)
    adv = glyph_advances([Row(chars, 100)])
    assert "Times-Roman" in adv.fonts
    assert _spaced(chars, latin_word_spaces(chars, adv)) == "Monitoring Mission Moon Mini Motion"


def test_fonts_placed_by_their_own_widths_keep_the_plain_rule() -> None:
    # boxes abut (the font's widths placed them): no decision here, the old gap test stays in charge
    chars = _line(["books", "letter"], {}, space=0.25, box=0.5)
    adv = glyph_advances([Row(chars, 100)])
    assert adv.fonts == frozenset() and latin_word_spaces(chars, adv) == {}


def _rule(x0: float, x1: float, y: float) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y}


def _raw(text: str, x: float, base: float, size: float = 8.0) -> list[dict]:
    return [{"text": ch, "x0": x + i * size, "x1": x + (i + 1) * size, "top": base - size, "bottom": base,
             "size": size, "fontname": "SimSun", "upright": True, "matrix": (1, 0, 0, 1, x + i * size, 0)}
            for i, ch in enumerate(text)]


def test_three_rules_make_a_table_two_prose_rules_do_not() -> None:
    drawn = [_rule(50, 450, 100), _rule(50, 450, 120), _rule(50, 450, 200), _rule(50, 450, 201.5)]
    assert len(long_rules(drawn, 500)) == 3  # the double bottom rule counts once
    chars = _raw("参数", 60, 115) + _raw("介绍", 200, 115) + _raw("数值", 350, 115)
    for k, base in enumerate((140, 160, 180)):
        chars += _raw(f"项目{k}", 60, base) + _raw("说明文字", 200, base)
    ((_box, table, used),) = find_three_line_tables(chars, drawn, 500, 1)
    cells = {(c.row, c.col): c.text for c in table.cells}
    assert cells[(1, 3)] == "数值" and cells[(3, 1)] == "项目1" and len(used) == len(chars)
    # two rules around a paragraph: no cells, no table
    prose = [c for base in (140, 160, 180) for c in _raw("这是一段没有分栏的正文文字" * 2, 60, base)]
    assert find_three_line_tables(prose, [_rule(50, 450, 100), _rule(50, 450, 200)], 500, 1) == []


def test_footnote_number_is_not_a_year() -> None:
    assert _footnote(Block("footnote", "1993年11月收到", 1), 4).footnote_no == 4
    assert _footnote(Block("footnote", "1993年11月收到", 1), 4).text == "1993年11月收到"
    assert _footnote(Block("footnote", "2 参见某书", 1), 4).footnote_no == 2


def test_split_after_the_editors_note() -> None:
    blocks = [Block(PARA, "11 某某.题名.期刊, 1993(12)(责任编辑 魏星禄) A TITLE Chen Da ABSTRACT The text", 5)]
    out, starts = split_article_ends(blocks)
    assert [(b.kind, b.text) for b in out] == [
        (PARA, "11 某某.题名.期刊, 1993(12)(责任编辑 魏星禄)"), (FRONT, "A TITLE Chen Da"), (PARA, "ABSTRACT The text")]
    assert starts == {id(out[1])}
    alone = [Block(PARA, "全文完。（责任编辑：张三）", 3)]
    assert split_article_ends(alone) == (alone, set())  # nothing after the note: nothing to cut
