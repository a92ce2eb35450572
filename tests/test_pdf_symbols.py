"""Symbol and dingbat fonts, italic variables inside their line, display formulas and reference lists:
small units for the mappings, and the text itself end to end on real PDFs (each file extracted once)."""

from __future__ import annotations

import re

import pytest

from corpus_tool.reading.pdf import extract_pdf
from corpus_tool.reading.pdf.formulas import is_formula
from corpus_tool.reading.pdf.symbols import FontNote, map_symbols, table_for
from tests.conftest import shared_path

PUA = re.compile("[\ue000-\uf8ff]")


def _char(text: str, font: str) -> dict:
    return {"text": text, "x0": 0.0, "x1": 5.0, "top": 0.0, "bottom": 10.0, "size": 10.0, "fontname": font}


# -- units ---------------------------------------------------------------------------------------
def test_symbol_font_read_through_standard_encoding_is_mapped_back():
    """A non-embedded Symbol font without /Encoding: pdfminer gives D and a; the Symbol encoding says Δ and α."""
    notes = {"Symbol": FontNote(standard_decoded="StandardEncoding")}
    chars, report = map_symbols([_char("D", "Symbol"), _char("a", "Symbol"), _char("•", "Symbol"),
                                 _char("D", "Times-Roman")], notes)
    assert [c["text"] for c in chars] == ["Δ", "α", "•", "D"]
    assert report.mapped == 2 and not report.withheld


def test_wingdings_truetype_read_as_winansi_letters_is_mapped_or_withheld():
    """A Wingdings TrueType font without a ToUnicode map: pdfminer gives ``l`` for the bullet ●."""
    chars, report = map_symbols([_char("l", "Wingdings"), _char("D", "Wingdings")],
                                {"Wingdings": FontNote(standard_decoded="WinAnsiEncoding")})
    assert [c["text"] for c in chars] == ["●", "〓"]  # no Unicode dingbat known for 0x44: withheld, not a "D"
    assert report.withheld == {"Wingdings": 1}


def test_private_use_codes_mapped_by_font_or_withheld_and_counted():
    chars, report = map_symbols([_char("\uf052", "ABCDEE+Wingdings 2"), _char("\uf075", "Wingdings-Regular"),
                                 _char("\uf044", "SymbolMT"), _char("\uf8f1", "CMEX10"),
                                 _char("\uf0b7", "ABCDEE+SomeFont"), _char("是", "ABCDEE+宋体"),
                                 _char("\ue81f", "FZSSK--GBK1-0")], {})
    # a CJK font's PUA goes to repair; the unknown font's glyph leaves a gap mark where it stood
    assert [c["text"] for c in chars] == ["☑", "◆", "Δ", "⎧", "〓", "是", "\ue81f"]
    assert report.withheld == {"SomeFont": 1}


def test_stock_named_font_glyphs_are_withheld():
    chars, report = map_symbols([_char("3", "cajcd-fntaa"), _char("高", "STSong-Light")],
                                {"cajcd-fntaa": FontNote(stock_names=True)})
    assert [c["text"] for c in chars] == ["〓", "高"]
    assert report.withheld == {"cajcd-fntaa": 1}


def _at(text: str, font: str, x0: float, base: float) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + 5.0, "top": base - 9.0, "bottom": base + 1.0, "size": 10.0,
            "fontname": font, "base": base}


def test_one_gap_mark_per_withheld_run_and_none_across_punctuation():
    """ΔX̂ as CAJ2PDF sets it: Δ, the letter X, then the hat raised half an em: one mark. A withheld α, a
    full stop, then Δ: two marks, the full stop between them."""
    notes = {"cajcd-fntlt": FontNote(stock_names=True), "cajcd-fntbd": FontNote(stock_names=True)}
    run = [_at("∃", "cajcd-fntlt", 0, 100), _at("X", "Times-Italic", 5, 100), _at("δ", "cajcd-fntbd", 10, 95),
           _at("和", "STSong", 20, 100), _at("Α", "cajcd-fntlt", 30, 100), _at("。", "STSong", 35, 100),
           _at("∃", "cajcd-fntlt", 45, 100), _at("∃", "cajcd-fntlt", 50, 100)]
    chars, report = map_symbols(run, notes)
    assert "".join(c["text"] for c in chars) == "〓X和〓。〓"
    assert sum(report.withheld.values()) == 5


def test_gap_mark_box_rebuilt_on_the_matrix_baseline():
    """A stock-table font's descent of 65316 puts the glyph box a page below its line; the text matrix does not."""
    from corpus_tool.reading.pdf.chars import GAP, gap_char

    broken = {"text": "(cid:202)", "x0": 73.1, "x1": 80.6, "top": 748.0, "bottom": 758.5, "y0": -58.5,
              "y1": -48.0, "size": 10.5, "matrix": (1, 0, 0, 1, 73.1, 627.3), "fontname": "cajcd-fntbd"}
    gap = gap_char(broken)
    assert gap["text"] == GAP and abs(gap["base"] - 72.7) < 0.01 and gap["top"] < 72.7 < gap["bottom"]
    assert abs((gap["y1"] - gap["y0"]) - (gap["bottom"] - gap["top"])) < 1e-6


def test_font_tables_by_name():
    assert table_for("Wingdings 2")[0x52] == "☑"
    assert table_for("SymbolMT")[0xB7] == "•"
    assert table_for("Times-Roman") is None


@pytest.mark.parametrize("text", ["π∗ = arg maxJ(π). (1)", "t=0", "∑∞", "[ ∑ ]", "s∼ρπ", "(16)",
                                  "Lc(s, a) = c(s, a) + γcEa′∼u(|s′)[L′c(s′, a′)]. (11)"])
def test_formula_lines(text):
    assert is_formula(text)


@pytest.mark.parametrize("text", ["其中: ct为单步即时代价, τ为根据策略得到的状态", "2024 35.6 12.0",
                                  "The results show that α is small = 0 in most of the cases we tested",
                                  "https://doi.org/10.13195/j.kzyjc.2023.1288?a=b", "Actor", "DOI: 10.1/x"])
def test_not_formula_lines(text):
    assert not is_formula(text)


# -- real PDFs -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def aerospace():
    return extract_pdf(shared_path("data", "pdfs", "real", "journal_aerospace_power_1994.pdf"))


@pytest.fixture(scope="module")
def control():
    return extract_pdf(shared_path("data", "pdfs", "real", "journal_control_decision_preprint.pdf"))


@pytest.fixture(scope="module")
def byd():
    return extract_pdf(shared_path("data", "pdfs", "real", "report_byd_q1_2025.pdf"))


def _paras(x) -> list[str]:
    return [b.text.replace("\n", "") for b in x.blocks]


def test_aerospace_stock_symbol_glyphs_not_stored_but_reported(aerospace):
    text = "\n".join(_paras(aerospace))
    assert not re.search(r"(?m)^3( 3)+$", text)  # the table marks read as the digit 3
    assert "∃" not in text and "(cid:" not in text
    entry = next(e for e in aerospace.log if e.step == "pdf_unmapped_symbols_dropped")
    assert "cajcd-fntaa" in entry.detail and entry.count >= 67 and "〓" in entry.detail


def test_aerospace_withheld_symbols_leave_a_visible_gap(aerospace):
    """α, ΔX and ECM Ⅱ set in CAJ2PDF's stock-table fonts: each run is one 〓 in its sentence, never a silent hole."""
    text = "".join(_paras(aerospace))
    assert "比较全部合理解的〓和〓X ,综合给出最可能的1～3种故障" in text
    assert "误判风险系数〓。〓X" in text and "偏差向量〓Y变化" in text
    assert "统ECM〓或ADEPT的测量参数" in text
    assert "〓〓" not in text and not any(p.strip("〓 ") == "" for p in _paras(aerospace))


def test_aerospace_italic_variable_stays_in_its_sentence(aerospace):
    paras = _paras(aerospace)
    assert any("排气温度裕度EGTM 下降" in p for p in paras)
    assert any("所以EGTM 成为发动机状态监视的重要指标" in p for p in paras)
    assert "EGTM" not in paras


def test_aerospace_italic_variables_after_enumeration_commas_stay_in_their_line(aerospace):
    """``N 1、N 2、EGT、FF、EPR、TA T 等指示``: the 、 boxes (a full em, inked on their left half) overlap the italic
    letters set a point smaller after them; that is no overprint, so the line is not split in two."""
    text = "".join(_paras(aerospace))
    assert "包括测量参数N 1、N 2、EGT、FF、EPR、TA T 等指示系统故障" in text
    assert "N N EGT FF EPR TAT" not in text
    # and the line, set a point smaller in its own font, goes on the sentence: one paragraph, not three
    paras = _paras(aerospace)
    assert any("包括测量参数N 1、N 2、EGT、FF、EPR、TA T 等指示系统故障" in p for p in paras)


def test_aerospace_numbered_heading_after_a_full_line_starts_its_own_block(aerospace):
    """``3. 3发动机技术状态综合评定`` stands on a line of its own under a full line that ended ``……1～3种故障。``."""
    paras = _paras(aerospace)
    assert any(p.endswith("综合给出最可能的1～3种故障。") for p in paras)
    assert "3. 3 发动机技术状态综合评定" in paras


def test_byd_check_boxes_are_ballot_boxes(byd):
    text = "\n".join(_paras(byd))
    assert not PUA.search(text)
    assert "□是 ☑否" in text
    assert any(e.step == "pdf_symbols_mapped" for e in byd.log)


def test_control_formulas_out_of_paragraphs_and_logged(control):
    paras = _paras(control)
    assert not any(p.strip() in ("∑∞", "t=0", "[ ∑ ]") for p in paras)
    assert not any("π∗ = arg maxJ(π)" in p for p in paras)
    # its formula lines taken off, a mark left where it stood: the sentence goes on after it
    assert any("求解可最大化累计期望的策略π∗,有〔公式〕其中: m为安全代价的阈值" in p for p in paras)
    entry = next(e for e in control.log if e.step == "pdf_formula_lines")
    assert entry.count >= 20 and "t=0" in entry.detail


def test_control_reference_list_one_paragraph_per_item(control):
    paras = _paras(control)
    items = [p for p in paras if re.match(r"\[\d+\]", p)]
    assert [int(re.match(r"\[(\d+)\]", p).group(1)) for p in items] == list(range(1, 27))
    assert all(len(re.findall(r"\[\d+\] [A-Z\u4e00-\u9fff]", p)) == 1 for p in items)
    fifteen = next(p for p in items if p.startswith("[15]"))
    assert "Annual Review of Control" in fifteen and "411-444" in fifteen  # its lines stay together


def test_control_body_size_by_set_width_keeps_body_out_of_headings(control):
    """The English abstract and references (9 pt, many letters) must not outweigh the Chinese body
    (10.3 pt): counted by set width, the body is body and its lines are no headings."""
    headings = [b.text for b in control.blocks if b.kind == "heading"]
    assert "3.1 实验初始化设置" in headings and "参考文献(References)" in headings
    assert not any(len(h) > 40 for h in headings)


def test_decorative_bullet_dropped_at_an_item_start_check_boxes_kept():
    from corpus_tool.reading.repair import CleaningLog, clean_text

    log = CleaningLog()
    assert clean_text("◆ 可記錄需量值(每15分鐘)。", log) == "可記錄需量值(每15分鐘)。"
    assert clean_text("□是 ☑否", log) == "□是 ☑否"
    assert clean_text("二○二四年", log) == "二○二四年"
    assert [(e.step, e.count) for e in log.entries()] == [("list_bullets", 1)]
