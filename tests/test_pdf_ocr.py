"""OCR pages take the text engines' layout path: tesseract's word boxes → glyphs → rows, furniture, blocks.

Small synthetic TSV checks of the glyph building, then the two real PDFs that need OCR end to end
(a few pages each, so the whole file stays well under a minute). Tesseract with chi_sim is installed
in CI; elsewhere these tests skip, unless CORPUS_TOOL_REQUIRE_EXTRAS=1 makes a missing tesseract fail.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from corpus_tool.reading.document import IngestOptions, page_ranges, read_file, unreadable_message
from corpus_tool.reading.model import OCR_LOW_CONFIDENCE, Document, Extracted
from corpus_tool.reading.pdf import extract_pdf
from corpus_tool.reading.pdf.layout import layout_page
from corpus_tool.reading.pdf.ocr import ocr_problem
from corpus_tool.reading.pdf.ocr_chars import OcrLine, OcrPage, OcrWord, drop_gap_quotes, glyphs, parse_tsv, snap_sizes
from tests.conftest import shared_path

CJK_SPACE = re.compile(r"[\u3400-\u9fff，。、；：（）《》] +[\u3400-\u9fff，。、；：（）《》]")
HEADER = "TSV\tlevel\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def _tsv(lines: list[list[tuple[str, int, int, float]]], height: int = 50, top0: int = 100,
         line_height: int | None = None) -> str:
    """A tesseract TSV of ``lines`` of (text, left, width, conf) words ``height`` px high, one line every 80 px
    (the line box ``line_height`` px high, by default as high as the words)."""
    rows = [HEADER.removeprefix("TSV\t")]
    for n, words in enumerate(lines, 1):
        top = top0 + 80 * (n - 1)
        x0, x1 = words[0][1], words[-1][1] + words[-1][2]
        rows.append(f"4\t1\t1\t1\t{n}\t0\t{x0}\t{top}\t{x1 - x0}\t{line_height or height}\t-1\t")
        for i, (text, left, width, conf) in enumerate(words, 1):
            rows.append(f"5\t1\t1\t1\t{n}\t{i}\t{left}\t{top}\t{width}\t{height}\t{conf}\t{text}")
    return "\n".join(rows) + "\n"


def _lines(tsv: str) -> list[str]:
    page = parse_tsv(tsv, 1, 595.0, 842.0, 300)
    snap_sizes([page])
    return [ln.text for ln in layout_page(glyphs(page), page.width, page.height, 1).lines]


# -- glyphs from word boxes (no tesseract needed) ----------------------------------------------------
def test_no_space_between_cjk_words_one_between_latin_words():
    # tesseract cuts Chinese into many words with gaps between their boxes; Latin words are words
    line = [("根据", 100, 100, 95), ("有关", 130 + 100, 100, 93), ("规定", 260 + 100, 100, 90),
            ("Beijing", 500, 160, 91), ("Normal", 690, 140, 92), ("2025", 860, 90, 96), ("年", 980, 50, 96)]
    assert _lines(_tsv([line])) == ["根据有关规定Beijing Normal 2025年"]


def test_a_number_cut_at_its_point_or_separator_is_one_number():
    # tesseract ends a word at a decimal point or thousands separator: "9. 55亿元" is 9.55 亿元
    cut = [("尚有9.", 100, 130, 90), ("55亿元", 240, 160, 90)]
    thousands = [("共", 100, 50, 90), ("1,", 160, 40, 90), ("200", 210, 70, 90), ("人", 290, 50, 90)]
    listed = [("第", 100, 50, 90), ("1,", 160, 40, 90), ("2", 210, 30, 90), ("条", 250, 50, 90)]
    item = [("1.", 100, 40, 90), ("2019", 150, 90, 90), ("年", 250, 50, 90)]  # an item number opening the line
    assert _lines(_tsv([cut, thousands, listed, item])) == ["尚有9.55亿元", "共1,200人", "第1, 2条", "1. 2019年"]


def test_an_overwide_box_keeps_tesseract_reading_order():
    # the first word's box covers the three words after it (tesseract does this for Chinese)
    line = [("纪律", 100, 600, 95), ("处", 330, 90, 96), ("分", 420, 90, 96), ("决定", 510, 170, 92)]
    assert _lines(_tsv([line])) == ["纪律处分决定"]


def test_a_gutter_stays_a_gap():
    line = [("左栏文字", 100, 200, 95), ("右栏文字", 1300, 200, 95)]  # ~ 20 em apart
    text = " ".join(_lines(_tsv([line])))
    assert "左栏文字" in text and "右栏文字" in text and "左栏文字右栏文字" not in text


def test_sizes_snap_to_the_body_and_a_larger_line_stays_larger():
    body = [("正文", 100, 100, 95), ("内容", 200, 100, 95)]
    tsv = _tsv([body, body, body])
    page = parse_tsv(tsv, 1, 595.0, 842.0, 300)
    big = parse_tsv(_tsv([[("标题", 100, 150, 95)]], height=75, top0=800), 1, 595.0, 842.0, 300)
    page.lines += big.lines
    noisy = parse_tsv(_tsv([body], height=46, top0=1000), 1, 595.0, 842.0, 300)  # 8 % smaller: noise
    page.lines += noisy.lines
    body_size = snap_sizes([page])
    sizes = [ln.size for ln in page.lines]
    assert sizes[:3] == [body_size] * 3 and sizes[4] == body_size
    assert sizes[3] >= 1.3 * body_size
    assert body_size == 50 * 72 / 300  # the line box, in points
    # a line box far too tall for its Han characters (a mark beside the line joined to it): their ink measures
    tall = parse_tsv(_tsv([body], line_height=150), 1, 595.0, 842.0, 300)
    assert abs(tall.lines[0].size - 50 / 0.93 * 72 / 300) < 0.01
    # beside text-layer pages set in 12 pt, the OCR sizes are scaled to them, a noisy line with them
    again = parse_tsv(_tsv([body, body, body]), 1, 595.0, 842.0, 300)
    again.lines += parse_tsv(_tsv([body], height=45, top0=1000), 1, 595.0, 842.0, 300).lines  # 10 % smaller
    again.lines += parse_tsv(_tsv([[("标题", 100, 150, 95)]], height=75, top0=800), 1, 595.0, 842.0, 300).lines
    assert snap_sizes([again], reference=12.0) == 12.0
    assert [ln.size for ln in again.lines] == [12.0] * 4 + [round(75 / 50 * 12.0 * 2) / 2]


def test_a_symbol_list_read_column_by_column_is_read_row_by_row():
    # tesseract reads a two-column symbol list as two blocks of lines; a Latin line's box is only its cap height
    rows = [HEADER.removeprefix("TSV\t")]
    entries = [("HPC", "高性能计算"), ("cluster", "集群"), ("SMP", "对称多处理")]
    for block, col in ((1, 0), (2, 1)):
        for n, pair in enumerate(entries, 1):
            top, text = 100 + 80 * n, pair[col]
            left, width, height = (100, 30 * len(text), 35) if col == 0 else (450, 50 * len(text), 50)
            top += 6 if col == 0 else 0  # as measured on the real thesis's symbol table (300 dpi)
            for level, conf, word in ((4, -1, ""), (5, 95, text)):  # Han glyphs' boxes reach below the line's
                h = height + 5 if col == 1 and level == 5 else height
                rows.append("\t".join(map(str, (level, 1, block, 1, n, level - 4, left, top, width, h, conf, word))))
    body = _tsv([[("这是正文的一行文字内容", 100, 550, 95)]] * 2, top0=500).splitlines()[1:]
    rows += [r.replace("\t1\t1\t1\t", "\t1\t3\t1\t", 1) for r in body]  # the page's body text, a block of its own
    assert _lines("\n".join(rows) + "\n")[:3] == ["HPC 高性能计算", "cluster 集群", "SMP 对称多处理"]


def test_unsure_lines_are_left_out_and_a_guessed_page_is_withheld():
    good = [("这是一", 100, 150, 92), ("段正文", 250, 150, 90), ("的内容", 400, 150, 94)]
    formula = [("detK0一1的", 100, 400, 20), ("=>(0+wo)", 520, 300, 35)]
    short = [("概率", 100, 100, 31)]  # a lone short word scores low even when right: kept, counted
    page = parse_tsv(_tsv([good, formula, good, short]), 1, 595.0, 842.0, 300)
    assert [len(ln.words) for ln in page.lines] == [3, 3, 1] and page.unsure == ["detK0一1的 =>(0+wo)"]
    assert page.words == 9 and page.low_words == 3 and page.problem() is None
    guessed = parse_tsv(_tsv([formula, formula, good]), 1, 595.0, 842.0, 300)
    reason = guessed.problem()
    assert reason is not None and reason.startswith(OCR_LOW_CONFIDENCE) and "4 of 7 words" in reason


def test_the_summary_names_exactly_the_pages_ocr_would_read():
    assert page_ranges([7, 1, 2, 3, 5, 9, 8]) == "1-3,5,7-9" and page_ranges([]) == ""
    pages = {no: "no Unicode mapping" for no in range(2, 30)} | {31: f"{OCR_LOW_CONFIDENCE}: mean 41"}
    message = unreadable_message(pages)
    assert "and 19 more pages" in message and "rerun with --ocr to read pages 2-29 (" in message
    assert "--ocr" not in unreadable_message({31: f"{OCR_LOW_CONFIDENCE}: mean 41"})  # OCR cannot help it


# -- one reading for a word read several ways in one document -----------------------------------------
def _words(text: str, conf: float = 95.0, unsure: dict[int, float] | None = None) -> list[tuple[str, int, int, float]]:
    """``text`` as one-character words 50 px apart, those at the offsets in ``unsure`` read with that confidence."""
    return [(ch, 100 + 50 * i, 45, (unsure or {}).get(i, conf)) for i, ch in enumerate(text)]


def _reconciled(lines: list[list[tuple[str, int, int, float]]]):
    from corpus_tool.reading.pdf.ocr_vote import reconcile_readings

    page = parse_tsv(_tsv(lines), 1, 595.0, 842.0, 300)
    result = reconcile_readings([page])
    return ["".join(w.text for w in ln.words) for ln in page.lines], result


def test_a_misreading_that_is_no_word_takes_the_documents_majority_reading():
    lines = [_words("私募基金管理人"), _words("私募基金产品"), _words("私募基金备案"), _words("私募条例"),
             _words("设立私幕基金", unsure={3: 70}),  # 幕: 私幕 and 幕基 are no words; 私募 is read 4 times
             _words("私幕基金", conf=96),  # read surely: kept as read
             _words("私营企业", unsure={1: 40})]  # 私营 is a word: never replaced
    texts, result = _reconciled(lines)
    assert texts[4] == "设立私募基金" and texts[5] == "私幕基金" and texts[6] == "私营企业"
    assert [(c.page, c.before, c.after) for c in result.corrections] == [(1, "私幕", "私募")]
    assert "私募 read 4 times" in result.corrections[0].reason


def test_a_substitution_the_vote_made_twice_is_made_again_where_it_makes_a_word():
    lines = [_words("私募基金")] * 6 + [_words("设立私幕基金", unsure={3: 70})] * 2
    lines.append(_words("向其幕集资金", unsure={2: 80}))  # 募集 is never read here, but 幕 → 募 was made twice
    texts, result = _reconciled(lines)
    assert texts[-3:] == ["设立私募基金", "设立私募基金", "向其募集资金"]
    assert "幕 → 募 made 2 times by the vote" in result.corrections[-1].reason


def test_a_common_word_of_another_shape_never_replaces_a_reading():
    """Classical text holds pairs no dictionary has (物生必蒙); 先生 recurs, but 物 and 先 share no shape, so OCR
    cannot have read the one for the other: the reading stays. 幕 and 募 share their top half."""
    from corpus_tool.reading.pdf.glyph_likeness import likeness, look_alike

    assert look_alike("幕", "募") and look_alike("温", "混") and look_alike("暮", "募")
    assert not look_alike("物", "先") and not look_alike("挖", "数") and not look_alike("而", "后")
    assert likeness("幕", "募") > likeness("物", "先")
    lines = [_words("先生说")] * 5 + [_words("故物生必蒙", unsure={1: 70})]
    texts, result = _reconciled(lines)
    assert texts[-1] == "故物生必蒙" and not result.corrections


def test_different_words_beside_a_common_character_are_no_name_read_several_ways():
    # 的 stands beside many words: 的甲 / 的乙 / 的丙 read unsurely are three words, not one read three ways
    unsure = [_words(t, unsure={2: 30}) for t in ("他的甲。", "你的乙。", "谁的丙。")]
    lines = [_words("我们的工作做得很好了")] * 20 + unsure
    _, result = _reconciled(lines)
    assert not result.unresolved


def test_names_and_rare_words_are_left_as_read_and_reported():
    lines = [_words("基金业协会"), _words("基金产品"), _words("基金财产"), _words("基金合同"),
             _words("中基协处分", unsure={2: 50}),  # 基协 is no word, 基金 recurs, but 基金处 is never read
             _words("黄馏，男", unsure={1: 0}), _words("向黄竟送达", unsure={2: 0}), _words("黄岂未在", unsure={1: 0})]
    texts, result = _reconciled(lines)
    assert texts[4] == "中基协处分" and not result.corrections
    assert result.unresolved == ["黄馏/竟/岂 read 3 ways on pages 1"]


# -- the real PDFs that need OCR, end to end ---------------------------------------------------------
def _require_ocr() -> None:
    problem = ocr_problem("chi_sim")
    if problem:
        if os.environ.get("CORPUS_TOOL_REQUIRE_EXTRAS") == "1":
            pytest.fail(problem)
        pytest.skip(problem)


def _real(name: str) -> Path:
    return shared_path("data", "pdfs", "real", name)


@pytest.fixture(scope="module")
def scan() -> tuple[Extracted, Document]:
    """The photocopied decision (4 pages, no text layer) read with --ocr, and its first page alone."""
    _require_ocr()
    path = _real("gov_amac_disciplinary_decision_scan.pdf")
    result = read_file(str(path), IngestOptions(ocr=True))
    assert result.error is None and len(result.documents) == 1
    return extract_pdf(path, max_pages=1, ocr=True), result.documents[0]


@pytest.fixture(scope="module")
def thesis() -> Document:
    """The first nine pages of the XeTeX manual whose CJK fonts have no Unicode map, read with --ocr: the cover,
    the abstract and its keywords, the symbol table (page 7) and the first chapter's footnotes (page 9)."""
    _require_ocr()
    result = read_file(str(_real("thesis_bnu_template_manual_cid.pdf")), IngestOptions(ocr=True, max_pages=9))
    assert result.error is None and len(result.documents) == 1
    return result.documents[0]


def _steps(doc: Document | Extracted) -> dict[str, str]:
    return {e.step: e.detail for e in doc.log}


def test_scan_paragraphs_are_whole_and_joined_over_the_page_break(scan):
    _, doc = scan
    body = [u.text for u in doc.units if u.field == "body"]
    # a paragraph of four lines, whole, in one unit, no space between its characters
    first, last = "一是浙江优策报送的实际控制人信息存在虚假记载。", "前述报送信息存在虚假记载。"
    assert any(t.startswith(first) and t.endswith(last) for t in body)
    # the paragraph that runs from page 1 onto page 2 is one paragraph
    assert any("2018年11月至监管部门调查日，浙江优策先后成立并管理" in t for t in body)
    assert not any(CJK_SPACE.search(u.text) for u in doc.units)
    assert "1" not in body  # the page number is furniture, not a paragraph
    assert "tesseract" in _steps(doc)["pdf_ocr"] and "-l chi_sim" in _steps(doc)["pdf_ocr"]


def test_scan_metadata_from_ocr_noise(scan):
    _, doc = scan
    # 中基协处分(2025)] 334号 under the red header; 2025.年11月25日 (a speck of the seal) under the issuer
    assert doc.meta["doc_number"] == "中基协处分〔2025〕334号" and doc.meta["date"] == "2025-11-25"
    assert doc.meta["issuer"] == "中国证券投资基金业协会" and doc.meta["doc_type"] == "决定书"
    # the document type line is the title, not the red header (read unsurely: kept as text, not the title)
    assert doc.title == "纪律处分决定书" and "title_under_masthead" in _steps(doc)
    date_line = next(u for u in doc.units if u.text.endswith("11月25日"))
    assert date_line.field == "body" and not any(s.title == date_line.text for s in doc.sections)


def test_scan_word_read_several_ways_takes_one_reading_and_says_so(scan):
    from corpus_tool.reading.pdf.ocr_vote import two_char_words

    _, doc = scan
    text = "".join(u.text for u in doc.units)
    # 私募 was read 私幕 or 私暮 in 11 places, 募集层 幕集层 twice, 人员混同 once 人员温同: characters of one shape
    assert "私幕" not in text and "私暮" not in text and "幕集" not in text and text.count("私募") >= 30
    assert "人员混同" in text
    unified = _steps(doc)["pdf_ocr_reading_unified"]
    assert "page 2: 私幕 → 私募 ×3 (私募 read" in unified and "温同 → 混同" in unified
    # 站 and 基 share too little of their shape to be taken for one another: 《站金法》 stays as read
    assert "站金 → 基金" not in unified
    before = re.findall(r"(\S\S) → \S\S", unified)
    assert before and not set(before) & two_char_words()  # only non-words were replaced
    # the name 黄巍 (a character the model does not know) is read a different way each time: left, reported
    assert "中基协处分" in text and "黄馏" in text
    assert "黄馏/竟/岂" in _steps(doc)["pdf_ocr_reading_unresolved"]


def test_scan_headings_and_page_number(scan):
    ex, _ = scan
    kinds = {b.text: b.kind for b in ex.blocks}
    assert kinds.get("纪律处分决定书") == "heading" and kinds.get("一、基本事实") == "heading"
    assert ex.ocr_pages == [1] and not ex.unreadable_pages
    assert "pdf_page_number_removed" in _steps(ex)


def test_unmapped_thesis_pages_read_by_ocr_with_running_header_removed(thesis):
    doc = thesis
    texts = [u.text for u in doc.units]
    assert any(t.startswith("本人郑重声明") and t.endswith("本声明的法律结果由本人承担。") for t in texts)
    assert not any("信息技术学院" == t or t.startswith("北京师范大学珠海分校信息技术学院") for t in texts)
    assert "北京师范大学珠海分校信息技术学院" in _steps(doc)["pdf_header_removed"]
    assert not any(CJK_SPACE.search(t) for t in texts)
    assert not doc.unreadable_pages


def test_thesis_cover_read_by_ocr_gives_no_institution_as_title(thesis):
    # the cover's title line was misread (the LaTeX logo: "…学术论文KIPX模", demoted); the school's name and
    # 本科生毕业论文 above it are its issuer and genre: no title rather than either
    assert "北京师范大学珠海分校" != thesis.title and "毕业论文" not in thesis.title
    labels = _steps(thesis)["cover_label_not_title"]
    assert "北京师范大学珠海分校; 本科生毕业论文" in labels
    texts = [u.text for u in thesis.units]
    assert "北京师范大学珠海分校" in texts and "本科生毕业论文" in texts  # kept as the cover's text


def test_thesis_ocr_keywords_are_real_words(thesis):
    # printed: TEX LATEX CJK 模板 论文 (the Latin ones as logos); OCR read "TEX JEX CI有 模板 论文"
    assert thesis.keywords and set(thesis.keywords) <= {"TEX", "LATEX", "CJK", "模板", "论文"}
    assert "模板" in thesis.keywords and "论文" in thesis.keywords
    assert "JEX；CI有" in _steps(thesis)["keywords_rejected"]


def test_thesis_symbol_table_rows_and_footnotes(thesis):
    page7 = [u.text for u in thesis.units if u.page == 7]
    # one paragraph a row, the symbol with its meaning, never one word a paragraph
    for row in ("HPC高性能计算(High Performance Computing)", "SMP对称多处理", "API应用程序编程接口",
                "PMDA-BDA均苯四酸二酐与联苯四胺合成的聚吡咙薄膜"):
        assert any(t.replace(" ", "") == row or t.startswith(row[:6]) for t in page7), row
    assert not {"HPC", "cluster", "集群", "SMP", "API PI"} & set(page7)
    # the notes below page 9's short rule are footnotes, not body text
    notes = [f.text for f in thesis.footnotes if f.page == 9]
    assert len(notes) == 2 and "字退之" in notes[0] and "怎么会呢" in notes[1]
    assert not any("字退之" in u.text for u in thesis.units)


# -- regions of a page in fonts without a Unicode map, read by OCR in place -------------------------------
@pytest.fixture(scope="module")
def sideways_table() -> tuple[Extracted, Extracted]:
    """The standard's first sideways table page (page 5, in fonts without a Unicode map), with and without --ocr."""
    path = _real("std_gbt3620.1-2016.pdf")
    plain = extract_pdf(path, max_pages=5)
    _require_ocr()
    return plain, extract_pdf(path, max_pages=5, ocr=True)


def _unmapped_on(ex: Extracted, page: int) -> int:
    detail = _steps(ex).get("pdf_unmapped_font_dropped", "")
    found = re.search(rf"page {page}: (\d+) \(", detail)
    return int(found.group(1)) if found else 0


def test_without_ocr_the_sideways_table_is_withheld_and_ocr_named(sideways_table):
    plain, _ = sideways_table
    assert _unmapped_on(plain, 5) > 2000
    assert "--ocr" in _steps(plain)["pdf_sideways_unreadable"] and not any(t.page == 5 for t in plain.tables)


def test_ocr_reads_the_unmapped_sideways_table_into_its_cells(sideways_table):
    _, ex = sideways_table
    steps = _steps(ex)
    assert "page 5:" in steps["pdf_region_ocr"] and "mean confidence" in steps["pdf_region_ocr"]
    assert "5" in steps["pdf_sideways_read"].split(": ")[-1].split(",")
    assert _unmapped_on(ex, 5) < 100  # of some 2670 glyphs withheld without OCR
    table = next(t for t in ex.tables if t.page == 5)
    rows: dict[int, list[str]] = {}
    for cell in table.cells:
        rows.setdefault(cell.row, []).append(cell.text)
    lines = [" ".join(t for t in cells if t) for _, cells in sorted(rows.items())]
    # the impurity limits of commercially pure titanium (工业纯钛), read cell by cell, whole numbers with their 0.
    assert any("余量" in ln and ln.endswith("0.15 0.10 0.03 0.015 0.15 0.1 0.4") for ln in lines)
    assert any(ln.endswith("0.25 0.10 0.03 0.015 0.20 0.1 0.4") for ln in lines)
    assert "化学成分(质量分数)" in " ".join(lines) and "杂质,不大于" in " ".join(lines)
    assert any("工业纯" in b.text and b.page == 5 for b in ex.blocks)  # the table's title, read turned
    # cells read by OCR say so, so that a researcher checks them against the page
    filled = [c for c in table.cells if c.text]
    assert filled and all(c.source == "ocr" for c in filled if any(ch.isdigit() for ch in c.text))


def test_ocr_table_cells_are_read_again_with_the_characters_of_their_column(sideways_table):
    # region OCR read the grade codes half in Chinese (工A2 for TA2), the range mark ～ as 一 (4.0一5D.5 for
    # 4.0～5.5), an empty figure cell's dash as -一, and withheld the headers Ti and Si; each cell read again
    # on its own (English with figures only, or Latin letters and figures) fixes them, and says so in the log
    _, ex = sideways_table
    table = next(t for t in ex.tables if t.page == 5)
    cells = {(c.row, c.col): c.text for c in table.cells}
    grades = [cells.get((r, 1), "") for r in range(5, table.n_rows + 1)]  # TA0 … TA20
    assert {"TA2", "TA3", "TA2G", "TA3G", "TA4G", "TA6", "TA12", "TA15-1", "TA20"} <= set(grades)
    assert sum(g.startswith("工") for g in grades) <= 5  # of 35 (region OCR: 25)
    assert cells[(19, 4)] == "4.0～5.5" and cells[(18, 4)] == "3.3～4.7"  # TA6's and TA5's Al
    assert [cells[(7, k)] for k in range(4, 9)] == ["—"] * 5  # the dashes of TA2's empty figure cells
    assert cells[(7, 19)] == "0.30" and cells[(11, 4)] == "<0.20"  # (printed ⩽0.20: English has no ⩽)
    headers = [cells.get((3, k), "") for k in range(1, table.n_cols + 1)]
    assert {"Ti", "Al", "Si", "V", "Zr", "Ta", "N", "H"} <= set(headers)
    assert sum(cells.get((r, 3)) == "余量" for r in range(5, table.n_rows + 1)) >= 32  # not split as 余 | 量4.8
    log = _steps(ex)["pdf_cell_ocr"]
    assert "page 5:" in log and "4.0一5D.5 → 4.0～5.5" in log and "∅ → Ti" in log and "-一 → —" in log


def test_ocr_codes_are_spelled_as_the_text_layer_spells_them():
    from corpus_tool.reading.model import Table, TableCell
    from corpus_tool.reading.pdf.cell_ocr import code_lexicon, spell_codes

    lexicon = code_lexicon(["本标准表1中规定的TA0、TA1、TA2及TA3", "TA1GELI、TA1G、TA1G-1", "CO2 and C02"])
    cells = [TableCell(1, 1, "TAO", source="ocr"), TableCell(2, 1, "TAIGELI", source="ocr"),
             TableCell(3, 1, "TA1G", source="ocr"), TableCell(4, 1, "TAO", source="text"),
             TableCell(5, 1, "TA16", source="ocr"), TableCell(6, 1, "CO2", source="ocr")]
    changes = spell_codes([Table(1, 5, 6, 1, cells)], lexicon)
    # a text-layer cell stays as printed; TA16 is no code of the text; CO2 and C02 share a spelling: ambiguous
    assert [c.text for c in cells] == ["TA0", "TA1GELI", "TA1G", "TAO", "TA16", "CO2"]
    assert [(c.before, c.after) for c in changes] == [("TAO", "TA0"), ("TAIGELI", "TA1GELI")]


def test_unsure_ocr_headings_and_captions_are_left_out_and_logged():
    from corpus_tool.reading.model import HEADING, PARA, Block
    from corpus_tool.reading.pdf.extract import OCR_HEADING_MIN_CONF, _withhold_unsure_headings

    low = OCR_HEADING_MIN_CONF - 5
    blocks = [Block(PARA, "表3 0-型型钛N思合<金脾号及及七化学成分", 7, source="ocr", ocr_confidence=low),
              Block(HEADING, "删除 的钛及钛合金牌号和化芝成分", 9, source="ocr", ocr_confidence=low),
              Block(HEADING, "附录A", 9, source="ocr", ocr_confidence=OCR_HEADING_MIN_CONF + 5),  # sure enough
              Block(PARA, "表3 正文里的一行，识别得不好", 9, source="ocr", ocr_confidence=low),
              Block(PARA, "删除的铁及铁合金牌志和化学成分见表A.1。", 9, source="ocr", ocr_confidence=low),  # body
              Block(HEADING, "表3 α-β型钛合金牌号及化学成分", 7)]  # the text layer's
    log = []
    kept = _withhold_unsure_headings(blocks, log)
    assert [b.text for b in kept] == ["附录A", "删除的铁及铁合金牌志和化学成分见表A.1。",
                                      "表3 α-β型钛合金牌号及化学成分"]
    assert log[0].step == "pdf_ocr_headings_withheld" and log[0].count == 3
    assert "page 7: 表3 0-型型钛N思合<金脾号及及七化学成分 (65)" in log[0].detail


# -- provenance: which paragraphs OCR read, and how sure it was ------------------------------------------
def test_ocr_paragraphs_say_so_with_their_confidence(scan):
    ex, doc = scan
    assert doc.units and {u.source for u in doc.units} == {"ocr"}
    confs = [u.ocr_confidence for u in doc.units]
    assert all(c is not None and 0 <= c <= 100 for c in confs)
    assert len(set(confs)) > 3  # measured per paragraph, not one figure for the page
    first = next(u for u in doc.units if u.text.startswith("一是浙江优策报送的实际控制人信息"))
    assert 60 < first.ocr_confidence < 100
    assert any("尚有9.55亿元未归还" in u.text for u in doc.units)  # read "9. 55亿元" by tesseract
    heading = next(b for b in ex.blocks if b.text == "一、基本事实")
    assert heading.source == "ocr" and heading.ocr_confidence is not None


def test_text_layer_paragraphs_stay_text_beside_an_ocr_region(sideways_table):
    plain, ex = sideways_table
    assert plain.blocks and all(b.source == "text" and b.ocr_confidence is None for b in plain.blocks)
    before = [b for b in ex.blocks if b.page is not None and b.page < 5]
    assert before and all(b.source == "text" and b.ocr_confidence is None for b in before)
    title = next(b for b in ex.blocks if "工业纯" in b.text and b.page == 5)
    assert title.source in ("ocr", "mixed") and title.ocr_confidence is not None


# -- red seals (公章) dropped before OCR, red headers kept ------------------------------------------------
def test_a_seal_is_dropped_and_a_red_header_kept():
    from PIL import Image, ImageDraw

    from corpus_tool.reading.pdf.ocr import drop_seals

    image = Image.new("RGB", (1200, 1200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 50, 1100, 110), fill=(220, 30, 30))  # a red header: a wide band of red
    draw.ellipse((300, 400, 700, 800), outline=(230, 60, 60), width=30)  # a seal's ring ...
    draw.rectangle((200, 580, 800, 620), fill=(10, 10, 10))  # ... over a line of black text
    out, seals = drop_seals(image, 300)
    assert seals == 1
    assert out.getpixel((500, 415))[0] > 200 and out.getpixel((500, 415))[1] > 200  # the ring is gone
    assert max(out.getpixel((500, 600))) < 60  # the text under it stays black
    assert out.getpixel((600, 80)) == (220, 30, 30)  # the red header is untouched
    assert drop_seals(Image.new("RGB", (600, 600), "white"), 300)[1] == 0


def test_the_date_under_the_seal_is_read(scan):
    _, doc = scan
    text = "".join(u.text for u in doc.units if u.page == 4)
    assert "中国证券投资基金业协会" in text and "11月25日" in text  # the signature block, under the red seal


# -- the ingest summary says what OCR read and how sure it was -------------------------------------------
def test_the_summary_counts_what_ocr_read(scan, thesis):
    from corpus_tool.cli.ingest import _ocr_line
    from corpus_tool.reading.pipeline import IngestSummary

    _, doc = scan
    summary = IngestSummary()
    summary.add_ocr(doc)
    confs = [u.ocr_confidence for u in doc.units]
    low = sum(e.count for e in doc.log if e.step == "pdf_ocr_low_confidence")
    assert (summary.ocr_pages, summary.ocr_paragraphs) == (4, len(doc.units))  # every page of the scan
    assert summary.ocr_confidence == round(sum(confs) / len(confs), 1)
    assert summary.ocr_low_words == low
    line = _ocr_line(summary)
    assert line.startswith("OCR 识别页 pages read by OCR: 4  OCR 段落 paragraphs: ")
    assert f"平均置信度 mean confidence: {summary.ocr_confidence:.1f}" in line
    assert f"low-confidence words kept: {low}" in line
    # the thesis: OCR read regions of its pages (fonts without a Unicode map) beside text-layer paragraphs
    summary.add_ocr(thesis)
    read = [u for u in thesis.units if u.source != "text"]
    assert read and summary.ocr_paragraphs == len(doc.units) + len(read)
    # every page OCR read; a page whose text only continues a paragraph from the page before has no unit of its own
    assert summary.ocr_pages == 4 + len(thesis.ocr_pages) and {u.page for u in read} <= set(thesis.ocr_pages)
    assert summary.as_dict()["ocr"]["low_confidence_words_kept"] == low + sum(
        e.count for e in thesis.log if e.step == "pdf_ocr_low_confidence")


def test_ingest_prints_and_records_the_ocr_line(tmp_path):
    from typer.testing import CliRunner

    from corpus_tool.cli import app
    from corpus_tool.store.db import CorpusDB

    _require_ocr()
    db = tmp_path / "c.duckdb"
    note = tmp_path / "note.txt"
    note.write_text("一、总体要求\n\n坚持稳中求进工作总基调。\n", encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(app, ["ingest", "-q", "--db", str(tmp_path / "plain.duckdb"), str(note)])
    assert plain.exit_code == 0 and "OCR" not in plain.stdout  # no OCR, no OCR line
    result = runner.invoke(app, ["ingest", "--ocr", "-q", "--max-pages", "1", "--db", str(db),
                                 str(_real("gov_amac_disciplinary_decision_scan.pdf"))])
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("OCR 识别页"))
    assert "pages read by OCR: 1  OCR 段落 paragraphs: " in line
    with CorpusDB(db) as store:
        recorded = json.loads(store.con.execute("SELECT summary FROM runs").fetchall()[-1][0])["ocr"]
        n, mean = store.con.execute("SELECT count(*), round(avg(ocr_confidence), 1) FROM paragraphs "
                                    "WHERE source <> 'text'").fetchall()[0]
    assert recorded["pages"] == 1 and recorded["paragraphs"] == n > 0
    assert recorded["mean_confidence"] == mean and f"mean confidence: {mean:.1f}" in line


# -- an OCR title read unsurely is no title --------------------------------------------------------------
def test_an_unsure_ocr_title_is_body_text_and_logged():
    from corpus_tool.reading.model import HEADING, PARA, TITLE, Block
    from corpus_tool.reading.structure import OCR_TITLE_MIN_CONF, build_structure

    body = Block(PARA, "根据有关规定，现作出如下决定。", 1, source="ocr", ocr_confidence=93.0)
    for conf, kept in ((OCR_TITLE_MIN_CONF - 5, False), (OCR_TITLE_MIN_CONF + 5, True)):
        title = Block(TITLE, "关于开展专项检查的通知", 1, source="ocr", ocr_confidence=conf)
        out = build_structure([title, Block(HEADING, "一、总体要求", 1, 1, "ocr", 95.0), body])
        assert (out.title == title.text) is kept
        demoted = [e for e in out.log if e.step == "ocr_title_demoted"]
        assert bool(demoted) is not kept
        if not kept:  # still in the text, as body; the first line is not taken as the title again
            assert out.title == "" and [u.field for u in out.units if u.text == title.text] == ["body"]
            assert f"({conf:.0f})" in demoted[0].detail
    text_title = Block(TITLE, "关于开展专项检查的通知", 1)  # from the text layer: no confidence, kept
    assert build_structure([text_title, body]).title == text_title.text


def test_the_misread_ocr_titles_of_the_real_files_are_not_titles(scan, thesis):
    from corpus_tool.reading.structure import OCR_TITLE_MIN_CONF

    _, doc = scan
    for d in (doc, thesis):
        demoted = _steps(d).get("ocr_title_demoted")
        assert demoted is not None and (d.title == "" or f": {d.title} (" not in demoted)
        assert any(u.field == "body" and u.text[:20] in demoted for u in d.units)  # kept as text
        # a title the fallback found instead (the first line) was read surely
        assert all(u.ocr_confidence >= OCR_TITLE_MIN_CONF for u in d.units if u.field == "title" and u.source != "text")


def test_a_quote_read_in_the_gap_after_a_section_number_is_taken_out() -> None:
    """Tesseract reads the wide gap after a section or figure number as a quote (1.3.2”复杂表格, the thesis's
    OCR'd headings); a quote that pairs with another, on its line or an earlier one, is a real quote."""
    page = OcrPage(1, 595, 842, 300)
    for text in ("1.3.2”|复杂|表格", "1.4|“|定理环境", "实施“1+3”政策", "落实“1+", "3”号文件", "附录3”其它附录",
                 "2024年“十四五”规划"):
        page.lines.append(OcrLine([OcrWord(w, 0, 0, 10, 10, 90.0) for w in text.split("|")], 0, 10))
    assert drop_gap_quotes(page) == ["1.3.2”复杂表格", "1.4“定理环境", "附录3”其它附录"]
    assert ["".join(w.text for w in ln.words) for ln in page.lines] == [
        "1.3.2复杂表格", "1.4定理环境", "实施“1+3”政策", "落实“1+", "3”号文件", "附录3其它附录", "2024年“十四五”规划"]
    assert [len(ln.words) for ln in page.lines[:2]] == [3, 2]  # a word that was only the mark is gone
