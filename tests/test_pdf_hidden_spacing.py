"""Glyphs a reader cannot see are withheld and counted; titles are never figure labels.

Small unit tests on char dicts, and end to end on the real PDFs (each extracted once).
"""

from __future__ import annotations

import re

import pytest

from corpus_tool.reading.model import Extracted
from corpus_tool.reading.pdf import extract_pdf
from corpus_tool.reading.pdf.hidden import Backdrop, hidden_reason, is_white, withhold_hidden
from tests.conftest import shared_path

PAGE = (0.0, 0.0, 600.0, 800.0)


def _char(text: str = "字", x0: float = 100.0, top: float = 100.0, size: float = 10.0, **kw) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size, "size": size, **kw}


def test_white_in_every_colour_space():
    assert is_white((1,)) and is_white((1.0, 1.0, 1.0)) and is_white((0, 0, 0, 0))
    assert not is_white((0,)) and not is_white((0.0, 0.0, 0.0, 1.0)) and not is_white((1, 1, 0.5))
    assert not is_white(None) and not is_white("P0")  # a pattern is not white


def test_reasons():
    page = Backdrop(PAGE)
    assert hidden_reason(_char(render=3), page) == "invisible render mode"
    assert hidden_reason(_char(size=0.0), page) == "size under 1 pt"
    assert hidden_reason(_char(non_stroking_color=(1, 1, 1)), page) == "white on white"
    assert hidden_reason(_char(x0=700.0), page) == "outside the page"
    assert hidden_reason(_char(non_stroking_color=(0,)), page) is None
    # white on a dark panel is seen; white drawn as outline only (stroke mode) too
    panel = Backdrop.of(PAGE, [{"x0": 90, "top": 90, "x1": 300, "bottom": 130, "fill": True,
                                "non_stroking_color": (0.1, 0.2, 0.5)}], [])
    assert hidden_reason(_char(non_stroking_color=(1, 1, 1)), panel) is None
    assert hidden_reason(_char(non_stroking_color=(1, 1, 1), render=1), page) is None
    # unknown drawing (pdfminer failed on the page): white is kept
    assert hidden_reason(_char(non_stroking_color=(1, 1, 1)), None) is None


def test_a_line_running_past_the_edge_is_kept():
    chars = [_char(x0=x) for x in (560.0, 580.0, 600.0, 620.0)] + [_char(x0=700.0, top=300.0)]
    kept, withheld = withhold_hidden(chars, Backdrop(PAGE))
    assert len(kept) == 4 and withheld == {"outside the page": 1}


@pytest.fixture(scope="module")
def broker() -> Extracted:
    return extract_pdf(shared_path("data", "pdfs", "real", "report_broker_apparel_q3.pdf"))


@pytest.fixture(scope="module")
def kangxi() -> Extracted:
    return extract_pdf(shared_path("data", "pdfs", "real", "tricky_kangxi_chemistry_p1.pdf"))


def test_hidden_tracking_strings_withheld_and_logged(broker: Extracted):
    text = "\n".join(b.text for b in broker.blocks)
    assert "WUDWqPnQ" not in text and "tQPWOms" not in text
    assert "服装" in text  # the visible report is still there
    log = next(e for e in broker.log if e.step == "pdf_hidden_text_withheld")
    assert "page 3:" in log.detail and "page 5:" in log.detail and log.count >= 100


def test_boxed_title_is_the_title_not_a_figure_label(kangxi: Extracted):
    """The mind map's root (a boxed title, set on the baseline of a branch's text) is the title."""
    titles = [b.text.replace("\n", "") for b in kangxi.blocks if b.kind == "title"]
    assert titles == ["化学学科常⽤符号公式及其表示"]
    assert not any("化学学科" in e.detail for e in kangxi.log if e.step == "pdf_figure_labels_left_out")
    paras = "".join(b.text for b in kangxi.blocks if b.kind == "para")
    assert "化学学科" not in paras  # not glued into the branch text beside it either


def test_parser_warnings_become_one_log_row(capfd: pytest.CaptureFixture[str]):
    import logging

    from corpus_tool.reading.pdf.parser_log import parser_warnings

    log: list = []
    with parser_warnings(log):
        for n in (3, 17):
            logging.getLogger("pdfminer.pdffont").warning("Could not get FontBBox of font %d", n)
        logging.getLogger("pdfminer.pdfpage").warning("Data-loss while decompressing corrupted data")
    assert "FontBBox" not in capfd.readouterr().err
    assert [(e.step, e.count) for e in log] == [("pdf_parser_warnings", 3)]
    assert "2× Could not get FontBBox of font 3" in log[0].detail and "1× Data-loss" in log[0].detail
    assert logging.getLogger("pdfminer").propagate  # restored after the file


# -- digits of one number set at a wide pitch ---------------------------------------------------------
def _glyphs(spec: list[tuple[str, float]], size: float = 14.0, width: float = 7.0) -> list:
    from corpus_tool.reading.pdf.chars import Char

    return [Char(t, x, x + (size if ord(t) > 0x2E80 else width), 100.0, 100.0 + size, size, "F", 112.0)
            for t, x in spec]


def _line(spec: list[tuple[str, float]]) -> str:
    from corpus_tool.reading.pdf.layout import row_to_line
    from corpus_tool.reading.pdf.rows import Row

    return row_to_line(Row(_glyphs(spec), 112.0).measure(), 1, "C", 14.0).text


def test_evenly_pitched_digits_are_one_number():
    # 13 pt pitch, 7 pt boxes: a 0.43 em gap between every two digits
    assert _line([("到", 432), ("2", 448), ("5", 461), ("平", 471)]) == "到25平"
    assert _line([("(", 363), ("2", 370), ("0", 383), ("0", 396), ("1", 409)]) == "(2001"


def test_grouped_thousands_keep_their_thin_space():
    # 10 000: digits touching, one 0.25 em gap between the groups (GB/T 15835) is kept as written
    assert _line([("1", 0), ("0", 7), ("0", 17.5), ("0", 24.5), ("0", 31.5)]) == "10 000"


@pytest.fixture(scope="module")
def yunnan() -> Extracted:
    return extract_pdf(shared_path("data", "pdfs", "real", "gov_yunnan_10th_five_year_plan.pdf"))


def test_yunnan_numbers_are_not_split(yunnan: Extracted):
    text = "".join(b.text for b in yunnan.blocks).replace("\n", "")
    for number in ("12种主要污染物", "25平方米", "70岁", "兴建50座", "(2001"):
        assert number in text
    assert not re.search(r"\d \d", text)


def test_running_header_under_a_deep_margin_is_furniture():
    doc = extract_pdf(shared_path("data", "pdfs", "real", "std_gbt3620.1-2016.pdf"))
    pages = [b.page for b in doc.blocks if b.text.strip() == "GB/T3620.1—2016"]
    assert pages == [1]  # the cover's number stays; the header on every later page is furniture
    log = next(e for e in doc.log if e.step == "pdf_header_removed")
    assert "GB/T3620.1—2016" in log.detail and log.count >= 10


def _grid_row(spec: list[tuple[str, float, float, str]]):
    """A row of (glyph, x0, width, font) at 14 pt, as a CAJ converter sets it: every glyph in a 13 pt slot."""
    from corpus_tool.reading.pdf.chars import Char
    from corpus_tool.reading.pdf.rows import Row

    return Row([Char(t, x, x + w, 100.0, 114.0, 14.0, f, 112.0) for t, x, w, f in spec], 112.0).measure()


def test_a_number_on_a_wide_grid_is_one_number():
    from corpus_tool.reading.pdf.layout import row_to_line

    song, digit, sym = "Song", "Digits", "Symbols"
    # the Yunnan plan: 长6.5%左右 and (2001-2005年); the digit font leaves 6 pt after every glyph
    row = _grid_row([("长", 53, 14, song), ("6", 70, 7, digit), (".", 81.9, 15, sym), ("5", 96, 7, digit),
                     ("%", 108.3, 14.7, sym), ("左", 119, 14, song), ("(", 132, 14, sym), ("2", 146, 7, digit),
                     ("0", 159, 7, digit), ("0", 172, 7, digit), ("1", 185, 7, digit), ("-", 196, 16, sym),
                     ("2", 211, 7, digit), ("0", 224, 7, digit), ("0", 237, 7, digit), ("5", 250, 7, digit),
                     ("年", 263, 14, song)])
    assert row_to_line(row, 1, "C", 14.0).text == "长6.5%左(2001-2005年"
    # a real space after a digit of that font (its usual 6 pt and a word space more) stays
    spaced = _grid_row([("1", 0, 7, digit), ("2", 13, 7, digit), ("3", 26, 7, digit), ("4", 39, 7, digit),
                        ("%", 56, 14, sym), ("5", 80, 7, digit), ("6", 93, 7, digit)])
    assert row_to_line(spaced, 1, "C", 14.0).text == "1234 % 56"


def test_a_number_set_by_its_own_widths_keeps_the_plain_gap_test():
    from corpus_tool.reading.pdf.layout import row_to_line

    # digits that abut: a 0.2 em gap before % is a space as written; a colon after CJK is no number's
    row = _grid_row([*((str(d), 7 * d, 7, "T") for d in range(1, 7)), ("%", 51.8, 10, "T"),
                     ("题", 68, 14, "S"), (":", 82, 3, "T"), ("1", 87.5, 7, "T"), (")", 94.5, 4, "T")])
    assert row_to_line(row, 1, "C", 14.0).text == "123456 %题: 1)"


def test_yunnan_percentages_and_ranges_are_whole(yunnan: Extracted):
    text = "".join(b.text for b in yunnan.blocks).replace("\n", "")
    for number in ("均增长6.5%左右", "(2001-2005年)", "年均增长8%左右", "面积1.2万平方公里"):
        assert number in text
    assert not re.search(r"\d [.%\-]|[.%\-] \d", text)
