"""Vertical pages (直排): detected from geometry, read as columns right to left, each top to bottom.

The real file is 史記 卷十六 set vertically by LuaTeX (``vertical_shiji_juan16.pdf``); horizontal
extraction scrambled it into 275 fragments. Expected texts were read off the rendered page images.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from corpus_tool.reading.model import HEADING, PARA, TITLE, Extracted
from corpus_tool.reading.pdf import extract_pdf
from corpus_tool.reading.pdf.furniture import is_page_number
from corpus_tool.reading.pdf.layout import PageText, layout_page
from corpus_tool.reading.pdf.vertical import NOTE_CLOSE, NOTE_OPEN, is_vertical, layout_vertical
from corpus_tool.reading.repair import CleaningLog, clean_text, fix_vertical_forms
from tests.conftest import shared_path

REAL = ("data", "pdfs", "real")
VERTICAL = "vertical_shiji_juan16.pdf"
HORIZONTAL_PAGES = 3  # pages of each horizontal file the detector is run on


@pytest.fixture(scope="module")
def page_one() -> PageText:
    with pdfplumber.open(shared_path(*REAL, VERTICAL)) as pdf:
        page = pdf.pages[0]
        return layout_page(page.chars, float(page.width), float(page.height), 1)


@pytest.fixture(scope="module")
def shiji() -> Extracted:
    return extract_pdf(shared_path(*REAL, VERTICAL))


def test_page_one_columns_read_right_to_left_each_top_to_bottom(page_one: PageText) -> None:
    assert page_one.vertical
    assert [ln.text for ln in page_one.lines[:5]] == [
        "史記卷十六",
        "秦楚之際月表第四",
        "索隱張晏曰：﹁時天下未定，參錯變易，不可以年記，故列其月。﹂今案：秦楚之際，擾攘",
        "僭篡，運數又促，故以月紀事名表也。",
        "太史公讀秦楚之際，曰：初作難，發於陳涉；虐戾滅秦，自項氏；撥亂誅暴，",
    ]
    # the quarter-turned frame: one column after the other is one line below the other, and the
    # paragraph opening 太史公 starts lower in its column than the next column does (an indent)
    tops = [ln.top for ln in page_one.lines]
    assert tops == sorted(tops) and all(ln.region == "C" for ln in page_one.lines)
    assert page_one.lines[4].x0 - page_one.lines[5].x0 > page_one.lines[4].size
    # the running title and the page number share the left margin column: two lines
    assert [ln.text for ln in page_one.lines[-2:]] == ["秦楚之際月表第四", "九一五"]


def test_vertical_file_reads_as_paragraphs_in_order(shiji: Extracted) -> None:
    log = CleaningLog()
    blocks = [(b.kind, clean_text(b.text, log)) for b in shiji.blocks]
    assert len(blocks) <= 25  # 275 fragments before; the file has 37 columns
    assert blocks[:2] == [(TITLE, "史記卷十六"), (HEADING, "秦楚之際月表第四")]
    paras = [t for kind, t in blocks if kind == PARA]
    assert paras[1] == (
        "太史公讀秦楚之際，曰：初作難，發於陳涉；虐戾滅秦，自項氏；撥亂誅暴，平定海內，卒踐帝祚，成於漢家。"
        "五年之閒，號令三嬗，【一】自生民以來，未始有受命若斯之亟【二】也。"
    )
    # a note running over two columns (hanging indent) stays one paragraph
    assert paras[0] == (
        "索隱張晏曰：「時天下未定，參錯變易，不可以年記，故列其月。」今案：秦楚之際，擾攘僭篡，運數又促，故以月紀事名表也。"
    )
    # a stop hung in the corner of the bracket's cell follows the bracket
    assert any("一作『鍉』。」索隱" in p for p in paras)
    assert any(p.endswith("言驅除患難耳〔一〕。") for p in paras)
    # vertical forms repaired and counted; nothing of them left
    text = "".join(t for _, t in blocks)
    assert not [ch for ch in text if "\ufe10" <= ch <= "\ufe4f"]
    assert log.counts["vertical_forms"]["︻→【"] == text.count("【") > 10
    # the run is reported; the running title and the Chinese page numbers are furniture
    steps = {e.step: e for e in shiji.log}
    assert steps["pdf_vertical_text"].detail == "pages 1,2,3"
    assert steps["pdf_page_number_removed"].detail == "九一五 | 九一六 | 九一七"
    assert "九一五" not in text


def _horizontal_files() -> list[Path]:
    real = shared_path(*REAL)
    fixtures = shared_path("fixtures", "pdf")
    return sorted(p for p in real.glob("*.pdf") if p.name != VERTICAL) + sorted(fixtures.glob("*.pdf"))


def test_no_horizontal_page_is_taken_for_vertical() -> None:
    checked = 0
    found = []
    for path in _horizontal_files():
        try:
            pdf = pdfplumber.open(path)
        except Exception:  # a file pdfminer cannot parse (the extractor reports it as broken)
            continue
        with pdf:
            for page in pdf.pages[:HORIZONTAL_PAGES]:
                checked += 1
                if is_vertical(page.chars):
                    found.append(f"{path.name} p{page.page_number}")
                page.close()
    assert checked > 50 and found == []


# ---------------------------------------------------------------- synthetic pages


def _glyph(text: str, x0: float, top: float, size: float) -> dict[str, Any]:
    return {
        "text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size, "size": size,
        "fontname": "ABCDEF+Song", "upright": True,
    }  # fmt: skip


def _column(text: str, x0: float, top: float, size: float = 12.0) -> list[dict[str, Any]]:
    return [_glyph(ch, x0, top + i * (size + 1), size) for i, ch in enumerate(text)]


def test_interlinear_note_reads_right_half_then_left_half_inline() -> None:
    """割注: two half-width runs of small type inside a column, drawn left half first."""
    main = _column("甲乙", 100, 50)
    left = _column("己庚辛", 100, 76, 6.0)
    right = _column("丙丁戊", 106, 76, 6.0)
    tail = _column("壬癸", 100, 98)
    chars = main + left + right + tail + _column("子丑寅卯辰巳午未", 80, 50) + _column("天地玄黄宇宙", 60, 50)
    page = layout_vertical(chars, 200.0, 300.0, 1)
    assert page is not None and page.interlinear == 1
    assert [ln.text for ln in page.lines] == [
        f"甲乙{NOTE_OPEN}丙丁戊己庚辛{NOTE_CLOSE}壬癸",
        "子丑寅卯辰巳午未",
        "天地玄黄宇宙",
    ]


def test_rotated_glyphs_of_a_vertical_font_are_read_too() -> None:
    """Word's vertical text boxes draw ``@font`` glyphs rotated (pdfminer: not upright): same boxes."""
    chars = _column("天地玄黄宇宙洪荒", 100, 50) + _column("日月盈昃辰宿列张", 80, 50)
    for c in chars:
        c["upright"], c["size"] = False, 3.0  # pdfminer's size of a rotated glyph is not its width
    page = layout_page(chars, 200.0, 300.0, 1)
    assert page.vertical and page.rotated == 0
    assert [ln.text for ln in page.lines] == ["天地玄黄宇宙洪荒", "日月盈昃辰宿列张"]


def test_chinese_numeral_page_numbers() -> None:
    assert is_page_number("九一五") and is_page_number("一〇二")
    assert not is_page_number("第一章") and not is_page_number("一、总则")


def test_text_drawn_downwards_without_column_gaps_is_not_vertical() -> None:
    """A horizontal page whose content stream happens to draw it column by column: the glyphs of a
    "column" are a line apart, the "columns" touch. Geometry says horizontal."""
    chars = []
    for col in range(8):
        chars += [_glyph("字", 100 + col * 12, 50 + row * 20, 12) for row in range(6)]
    assert not is_vertical(chars)
    assert layout_page(chars, 300.0, 300.0, 1).vertical is False


def test_vertical_forms_become_the_ordinary_marks() -> None:
    text, counts = fix_vertical_forms("︻一︼﹁禪﹂︵注︶︐︙")
    assert text == "【一】「禪」（注），…"
    assert counts == {"︻→【": 1, "︼→】": 1, "﹁→「": 1, "﹂→」": 1, "︵→（": 1, "︶→）": 1, "︐→，": 1, "︙→…": 1}
