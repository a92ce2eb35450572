"""Running headers and paragraph joining on real PDFs (../shared/data/pdfs/real), plus unit tests.

Headers whose words change from page to page (a thesis's chapter title) are found by the slot
they share on most pages; a paragraph cut by a header, a page break, a hanging indent or a
wide line spacing is one block again, while articles of a law still open blocks of their own.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from corpus_tool.reading.model import HEADING, PARA, Block, Extracted
from corpus_tool.reading.pdf.blocks import DocStats, ends_sentence, starts_paragraph
from corpus_tool.reading.pdf.furniture import mark_furniture
from corpus_tool.reading.pdf.layout import Line, PageText
from tests.conftest import real_pdf

_ARTICLE_START = re.compile(r"第[一二三四五六七八九十百千零〇两]+条(?:之[一二三四五六七八九十]+)?\s")


@pytest.fixture(scope="module")
def thesis() -> Extracted:
    return real_pdf("thesis_tsinghua_proposal_network_analysis.pdf")


@pytest.fixture(scope="module")
def handbook() -> Extracted:
    return real_pdf("gov_tw_boe_energy_handbook.pdf")


@pytest.fixture(scope="module")
def criminal_law() -> Extracted:
    return real_pdf("law_criminal_law.pdf")


def _flat(block: Block) -> str:
    # NFC: the handbook's font maps some characters to CJK compatibility ideographs (U+F9E4 理)
    return unicodedata.normalize("NFC", block.text.replace("\n", ""))


def _log(ex: Extracted, step: str) -> str:
    return " | ".join(e.detail for e in ex.log if e.step == step)


def mid_sentence_share(blocks: list[Block]) -> float:
    """Share of body paragraphs (≥ 30 chars) that do not end a sentence."""
    paras = [_flat(b) for b in blocks if b.kind == PARA and len(_flat(b)) >= 30]
    return sum(not ends_sentence(t) for t in paras) / max(1, len(paras))


# ---------------------------------------------------------------- real files


def test_thesis_chapter_header_is_furniture_and_the_sentence_is_joined(thesis: Extracted) -> None:
    texts = [_flat(b) for b in thesis.blocks]
    assert any("从而提高产品设计和开发的效率。" in t for t in texts)
    # the running header is gone from the text; the chapter heading itself stays, once
    body_lines = [ln.strip() for b in thesis.blocks if b.kind != HEADING for ln in b.text.split("\n")]
    assert "第2章 国内外研究现状" not in body_lines and "第3章 研究内容" not in body_lines
    assert [b.text for b in thesis.blocks if b.kind == HEADING].count("第2章 国内外研究现状") == 1
    headers = _log(thesis, "pdf_header_removed")
    assert "第2章 国内外研究现状" in headers and "第6章 研究计划" in headers
    # a bullet's hanging indent over the page break: one item
    assert any(t.startswith("• 假设2：") and t.endswith("减少资源浪费。") for t in texts)


def test_thesis_mid_sentence_share(thesis: Extracted) -> None:
    # 0.69 before slot headers and pitch-based joining; what is left is mostly contents entries
    assert mid_sentence_share(thesis.blocks) < 0.45


def test_handbook_answer_is_one_paragraph(handbook: Extracted) -> None:
    answer = (
        "A：合理使用電力，降低基本電費的支出。所謂需量是指某一特定時段內，有效電力的平均值，「特定時段」"
        "是由電力公司規定，一般而言15分、30分、60分較常用；目前台灣電力公司規定是15分鐘。契約需量是電力"
        "公司為保障電力系統安全，要求用電戶必須依據需量的定義，計算負載所需的需量，並訂定合約；電力公司據此"
        "契約需量準備電力，同時為保證用戶履行合約而訂定超約用電處理原則，超約部份每千瓦計收2～3倍基本電費；"
        "因此需量控制對電力公司而言是系統安全的問題，對用戶而言是電費成本的問題。"
    )
    assert answer in [_flat(b) for b in handbook.blocks if b.kind == PARA]
    # the next paragraph of the same answer (after a wider gap) stays a paragraph of its own
    assert any(_flat(b).startswith("在未增加設備容量下超約") for b in handbook.blocks)


def test_handbook_mid_sentence_share_and_no_false_header(handbook: Extracted) -> None:
    # 0.79 before (each line its own paragraph); what is left is mostly tables and captions
    assert mid_sentence_share(handbook.blocks) < 0.25
    # the first line of a page, at body size in the body's slot, is never a running header
    assert _log(handbook, "pdf_header_removed") == ""


def test_criminal_law_articles_still_open_paragraphs(criminal_law: Extracted) -> None:
    blocks = [b for b in criminal_law.blocks if b.kind == PARA]
    inside = [b.text for b in blocks if any(_ARTICLE_START.match(ln) for ln in b.text.split("\n")[1:])]
    assert inside == []
    assert sum(bool(_ARTICLE_START.match(b.text)) for b in blocks) >= 450
    assert mid_sentence_share(criminal_law.blocks) < 0.02


@pytest.mark.parametrize(
    ("name", "header", "gone"),
    [
        # the English header of the abstract page sits in the Chinese headers' slot
        ("journal_aerospace_power_1994.pdf", "JournalofAerospacePowerVol.9", "JournalofAerospacePowerVol"),
        # CNKI: a header split over both columns, just below the usual band
        ("journal_china_land_2025_cnki.pdf", "中国土地", "封面聚焦"),
    ],
)
def test_journal_headers(name: str, header: str, gone: str) -> None:
    ex = real_pdf(name)
    assert header in re.sub(r"\s+", "", _log(ex, "pdf_header_removed"))  # whatever its word spacing
    assert not [b for b in ex.blocks if gone in re.sub(r"\s+", "", b.text)]


# ---------------------------------------------------------------- unit: furniture slots


def _line(text: str, top: float, size: float = 12.0, x0: float = 90.0, x1: float = 500.0, **kw: object) -> Line:
    return Line(text, x0, x1, top, top + size, size, "SimSun", 1.0, int(kw.pop("page", 1)), **kw)  # type: ignore[arg-type]


def _word(i: int, k: int) -> str:
    """Two CJK characters unique to page ``i``, line ``k`` (no digits: digits are read as ``#``)."""
    return chr(0x4E00 + 97 * i + k) + chr(0x5E00 + 31 * k + i)


def _pages(headers: list[str], header_size: float, header_top: float = 63.0) -> list[PageText]:
    pages = []
    for i, head in enumerate(headers, start=1):
        lines = [_line(head, header_top, header_size, 250, 340, page=i)]
        lines += [_line(f"正文{_word(i, k)}，各行各页内容都不相同的句子。", 90 + 20 * k, page=i) for k in range(30)]
        pages.append(PageText(i, 595, 842, lines))
    return pages


def test_changing_smaller_header_in_a_slot_is_furniture() -> None:
    # two pages a chapter: no header text is on 40 % of the pages, or twice among odd or even ones
    chapters = [f"第{n}章 {title}" for n, title in enumerate(["绪论", "方法", "结果", "讨论", "结论"], 1) for _ in "ab"]
    pages = _pages(chapters, 10.5)
    mark_furniture(pages)
    assert [p.lines[0].role for p in pages] == ["header"] * 10
    assert not [ln for p in pages for ln in p.lines[1:] if ln.role]


def test_body_first_line_in_a_constant_slot_is_not_furniture() -> None:
    # same slot on every page but body size and its own words: the first line of the text
    pages = _pages([f"本页首句{_word(i, 99)}，内容各不相同。" for i in range(10)], 12.0, header_top=70.0)
    mark_furniture(pages)
    assert not [ln for p in pages for ln in p.lines if ln.role]


def test_body_size_header_echoing_the_neighbour_page_is_furniture() -> None:
    chapters = [f"第{n}章 {title}" for n, title in enumerate(["绪论", "方法", "结果", "讨论", "结论"], 1) for _ in "ab"]
    pages = _pages(chapters, 12.0)
    mark_furniture(pages)
    assert [p.lines[0].role for p in pages] == ["header"] * 10


def test_lone_number_a_little_inside_the_band_is_not_a_page_number() -> None:
    # a table cell "302" just above the bottom band on one page: not a page number (no slot)
    pages = _pages(["刊名"] * 5, 9.0)
    pages[2].lines.append(_line("302", 750, 11.0, 329, 346, page=3))
    mark_furniture(pages)
    assert pages[2].lines[-1].role == ""
    assert [p.lines[0].role for p in pages] == ["header"] * 5


# ---------------------------------------------------------------- unit: paragraph starts


def _stats(pitch: float = 24.0, local: float | None = None) -> DocStats:
    stats = DocStats(14.0, "SimSun", pitch, doc_bounds={(0, "C"): (90.0, 525.0)})
    if local is not None:
        stats.pitches[(1, "C")] = local
    return stats


def test_hanging_indent_continues_at_the_column_pitch() -> None:
    prev = _line("A：合理使用電力，降低基本電費的支出。所謂需量是指某一特定", 95, 14, 125, 524.5)
    line = _line("時段內，有效電力的平均值，「特定時段」是由電力公司規定，", 116, 14, 149, 524.5, dy=21.0)
    assert not starts_paragraph(prev, line, _stats(local=21.0))
    # the same lines with a paragraph gap (twice the pitch) are two paragraphs
    line.dy = 42.0
    assert starts_paragraph(prev, line, _stats(local=21.0))


def test_sentence_end_and_a_gap_wider_than_the_column_pitch_opens_a_paragraph() -> None:
    # block paragraphs (no first-line indent): only the gap tells them apart
    prev = _line("控制的定義與目的是建立電力需量控制系統，合理管控使用電力。", 398, 14, 90, 524.5)
    line = _line("在未增加設備容量下超約，一般起因於：(1)負載使用參齊率增", 428, 14, 90, 524.5, dy=30.0)
    assert starts_paragraph(prev, line, _stats(local=21.0))
    line.dy = 21.0  # at the pitch, a sentence ending at the line's end does not end the paragraph
    assert not starts_paragraph(prev, line, _stats(local=21.0))


def test_list_item_opens_a_paragraph_unless_the_line_before_ends_in_a_comma() -> None:
    prev = _line("時間電價之適用範圍，目前經常契約容量100kW以上之用戶一律適", 579, 14, 90, 524.5)
    item = _line("(2) 依據供電成本之差異訂定尖峰、半尖峰及離峰不同之電價", 600, 14, 150, 524.5, dy=21.0)
    assert starts_paragraph(prev, item, _stats(local=21.0))
    prev.text = "漸進式發展，如圖3.1-1由(1)傳統式的需量電錶、時間控制器，"
    assert not starts_paragraph(prev, item, _stats(local=21.0))


def test_page_break_joins_a_full_line_ending_mid_sentence() -> None:
    prev = _line("络分析可以帮助研发经理识别对新产品成功至关重要的因素，从而提高产品设计", 743, 12, 90, 524)
    line = _line("和开发的效率。", 86, 12, 90, 170, page=2)
    assert not starts_paragraph(prev, line, _stats())
    short = _line("的因素，从而提高产品设计", 743, 12, 90, 300)  # a short line: a heading or table cell
    indented = _line("和开发的效率。", 86, 12, 120, 200, page=2)
    assert starts_paragraph(short, indented, _stats())


def test_portrait_text_is_measured_against_portrait_margins_in_a_landscape_budget() -> None:
    """The district final accounts mix portrait text pages with landscape tables: a full portrait line
    measured against the landscape margins looked short, and 18 numbered paragraphs became headings."""
    ex = real_pdf("gov_putuo_finance_bureau_final_accounts_2024.pdf")
    headings = [b.text for b in ex.blocks if b.kind == HEADING]
    assert not any(h.startswith("（一）贯彻执行国家和本市") for h in headings)
    paragraphs = ["".join(b.text.split("\n")) for b in ex.blocks if b.kind == PARA]
    assert any("方针、政策；研究拟订本区财政发展战略" in p for p in paragraphs)
    assert sum(1 for h in headings if h.endswith(("，", "、")) or len(h) > 35) <= 3


def test_contents_label_opens_the_contents_after_a_cover() -> None:
    ex = real_pdf("gov_tw_boe_energy_handbook.pdf")
    cover = next(b for b in ex.blocks if "再版" in b.text)
    assert "目錄" not in cover.text and "目\uf93d" not in cover.text
