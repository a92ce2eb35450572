"""The per-page quality gate, the legacy GBK/Big5 decoder, PDFium as second engine, and the
reporting of unreadable pages, on small synthetic chars and end to end on real PDFs."""

from __future__ import annotations

import re

import pytest

from corpus_tool.reading.document import IngestOptions, read_file
from corpus_tool.reading.pdf import extract_pdf
from corpus_tool.reading.pdf.ocr import ocr_problem
from corpus_tool.reading.pdf.quality import Quality, assess, better, decode_legacy_cjk
from corpus_tool.reading.pipeline import _page_warnings
from tests.conftest import shared_path

HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN1 = re.compile(r"[\u00a0-\u00ff]")


def _chars(text: str, font: str = "SimSun", size: float = 12.0) -> list[dict]:
    """One char dict per character, laid left to right on one line."""
    return [
        {"text": ch, "x0": i * size / 2, "x1": (i + 1) * size / 2, "top": 100.0, "bottom": 100.0 + size,
         "size": size, "fontname": font, "upright": True, "base": 110.0}
        for i, ch in enumerate(text)
    ]


def _as_latin1(text: str, codec: str) -> str:
    """What pdfminer makes of ``text`` set in a one-byte WinAnsi font whose codes are ``codec`` bytes."""
    return text.encode(codec).decode("cp1252", errors="replace")


SIMPLIFIED = "关于红军作战的原则，对国防问题的意见。中日战争爆发后的形势与任务"
TRADITIONAL = "關於紅軍作戰的原則，對國防問題的意見。中日戰爭爆發後的形勢與任務"


# -- the gate ----------------------------------------------------------------------------------------
def test_gbk_mojibake_is_garbage_and_unreadable():
    q = assess(_chars(_as_latin1(SIMPLIFIED, "gbk")))
    assert q.cjk == 0
    assert q.mojibake == q.n  # every char is half of a GBK pair
    assert q.unreadable and "GBK/Big5" in q.reason()


def test_real_latin1_text_and_dot_leaders_are_not_mojibake():
    for text in ("Müller, Straße 5; café crème à déjà vu ±0.5 °C «quote»", "第一章 总则" + "·" * 80 + "12"):
        q = assess(_chars(text, font="TimesNewRoman"))
        assert q.mojibake == 0 and q.garbage == 0 and not q.needs_second_look


def test_broken_glyph_share_against_letters_not_leaders():
    # 10 broken glyphs among 20 letters and 200 dot leaders: half the words are lost
    chars = _chars("目录" * 10 + "·" * 200) + [{**_chars("x")[0], "text": "(cid:57)"} for _ in range(10)]
    q = assess(chars)
    assert q.bad == 10 and q.content == 30 and q.unreadable
    assert not assess(_chars("正常文字" * 60) + chars[-2:]).unreadable  # 2 of 242: dropped, not withheld


def test_cjk_font_giving_latin1_on_a_page_without_han():
    # no high byte pairs to decode, but a CJK font giving half its glyphs as accented letters is wrong
    text = "ÀaÁbÂcÃdÄeÅfÆgÇhÈiÉjÊkËl" * 2
    assert assess(_chars(text, font="ABCDEF+FZShuSong-Z01")).mojibake == len(text) // 2
    assert assess(_chars(text, font="Helvetica")).mojibake == 0


def test_better_prefers_readable_then_less_garbage():
    broken, fixed = Quality(n=100, bad=90, content=100), Quality(n=50, content=50)
    assert better(broken, fixed) and not better(fixed, broken)
    assert not better(fixed, Quality(n=50, content=50))  # a tie keeps the first reading


# -- the decoder -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "codec"), [(SIMPLIFIED, "gbk"), (TRADITIONAL, "big5")])
def test_decoder_recovers_gbk_and_big5(text: str, codec: str):
    raw = _chars(_as_latin1(text, codec))
    decoded = decode_legacy_cjk(raw)
    assert decoded is not None
    assert "".join(c["text"] for c in decoded) == text
    assert decoded[0]["x0"] == raw[0]["x0"] and decoded[0]["x1"] == raw[1]["x1"]  # one glyph, both halves
    assert assess(decoded).garbage == 0


def test_decoder_keeps_ascii_and_leaves_plain_text_alone():
    mixed = _chars("2024" + _as_latin1("年工作报告", "gbk") + " GDP")
    assert "".join(c["text"] for c in decode_legacy_cjk(mixed)) == "2024年工作报告 GDP"
    assert decode_legacy_cjk(_chars("plain ASCII only")) is None


# -- real files, end to end --------------------------------------------------------------------------
def _real(name: str):
    return shared_path("data", "pdfs", "real", name)


@pytest.fixture(scope="module")
def gbk_doc():
    return read_file(str(_real("tricky_gbk_xiaobiaosong_toc_p1.pdf")), IngestOptions())


@pytest.fixture(scope="module")
def cid_doc():
    return read_file(str(_real("thesis_bnu_template_manual_cid.pdf")), IngestOptions())


def test_gbk_simple_font_comes_out_as_chinese(gbk_doc):
    assert gbk_doc.error is None
    doc = gbk_doc.documents[0]
    text = "\n".join(u.text for u in doc.units)
    # the page is a table of contents and nothing else: its entries, read as Chinese, are the document's
    # text and are kept (removing them would leave a page number and a date), logged
    assert "关于红军作战的原则" in text and "对国防问题的意见" in text and "（一九三七年八月一日）" in text
    assert any(e.step == "table_of_contents_kept" for e in doc.log)
    assert not any(e.step == "table_of_contents_removed" for e in doc.log)
    assert not LATIN1.search(text), LATIN1.findall(text)[:10]
    assert any(e.step == "pdf_engine" and e.detail.startswith("pdfium read pages 1") for e in doc.log)


def test_cid_thesis_stores_no_garbage_and_reports_every_unreadable_page(cid_doc):
    assert cid_doc.error is None
    doc = cid_doc.documents[0]
    units = [u.text for u in doc.units]
    assert not any("(cid:" in t or "\ufffd" in t for t in units)
    # pages 2 (381 of 392 glyphs unmapped) and 31 are withheld with their reason ...
    assert {2, 31} <= set(doc.unreadable_pages)
    assert "no Unicode mapping" in doc.unreadable_pages[2]
    logged = {int(e.detail.split(":")[0].split()[1]) for e in doc.log if e.step == "pdf_unreadable_page"}
    assert logged == set(doc.unreadable_pages)
    # ... every page is either stored or reported, and the readable ones keep their text
    stored = {u.page for u in doc.units}
    assert stored | set(doc.unreadable_pages) == set(range(1, 33))
    body = "\n".join(units)
    english_abstract = doc.meta["fields"]["abstract_en"]  # page 4's ABSTRACT, kept as the English abstract
    assert english_abstract.startswith("An abstract of a dissertation is a summary")
    assert "As one of the most widely used techniques" in body  # page 26's sample abstract stays text
    assert "Single-Objective Programming" in body  # page 26
    warnings = _page_warnings(doc, ocr=False)
    assert warnings and "--ocr" in warnings[0] and "page 2:" in warnings[0]


def test_file_pdfminer_cannot_open_is_read_by_pdfium():
    ex = extract_pdf(_real("gov_yunnan_10th_five_year_plan.pdf"))
    text = "".join(b.text for b in ex.blocks)
    assert len(HAN.findall(text)) > 28_000
    assert "第十个五年计划纲要" in text
    assert [e.step for e in ex.log if e.step == "pdf_engine_fallback"] == ["pdf_engine_fallback"]
    assert ex.n_pages == 28 and not ex.unreadable_pages and not ex.scanned_pages


def test_scan_is_reported_as_needing_ocr():
    result = read_file(str(_real("gov_amac_disciplinary_decision_scan.pdf")), IngestOptions())
    assert result.error is not None
    assert result.error[0] == "scanned" and "--ocr" in result.error[1]


def test_unreadable_page_goes_to_ocr():
    if ocr_problem("chi_sim"):
        pytest.skip("tesseract with chi_sim is not installed")
    ex = extract_pdf(_real("thesis_bnu_template_manual_cid.pdf"), max_pages=1, ocr=True)
    assert ex.ocr_pages == [1] and not ex.unreadable_pages
    text = "".join(b.text for b in ex.blocks)
    assert "北京师范大学" in text and "(cid:" not in text


def test_decoder_on_the_real_gbk_page():
    """The decoder alone (PDFium aside) turns the real page's Latin-1 back into its GBK text."""
    import pdfplumber

    with pdfplumber.open(_real("tricky_gbk_xiaobiaosong_toc_p1.pdf")) as pdf:
        chars = pdf.pages[0].chars
    assert assess(chars).unreadable
    decoded = decode_legacy_cjk(chars)
    assert decoded is not None
    text = "".join(c["text"] for c in decoded if not c["text"].isspace())
    assert "关于红军作战的" in text and "对国防问题的意见" in text
    assert assess(decoded).cjk > 200


def test_cli_end_summary_names_unreadable_pages_and_the_corpus_records_them(tmp_path):
    from typer.testing import CliRunner

    from corpus_tool.cli import app
    from corpus_tool.store.db import CorpusDB

    db = tmp_path / "c.duckdb"
    pdf = _real("thesis_bnu_template_manual_cid.pdf")
    result = CliRunner().invoke(app, ["ingest", str(pdf), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    shown = re.search(r"无法读取页 unreadable pages: (\d+)", result.output)
    assert shown is not None
    assert "警告 warning" in result.output and "page 2: 381 of 392 glyphs" in result.output
    with CorpusDB(db, read_only=True) as store:
        q = store.con.execute
        logged = q("SELECT count(*) FROM log WHERE step = 'pdf_unreadable_page'").fetchone()[0]
        leaked = q("SELECT count(*) FROM paragraphs WHERE text LIKE '%(cid:%'").fetchone()[0]
    assert logged == int(shown.group(1)) >= 2 and leaked == 0


def test_page_pdfminer_fails_on_is_read_by_pdfium(monkeypatch):
    import pdfplumber.page

    def broken(self):
        if self.page_number == 1:
            raise KeyError("simulated pdfminer failure")
        return self.objects.get("char", [])

    monkeypatch.setattr(pdfplumber.page.Page, "chars", property(broken))
    ex = extract_pdf(_real("tricky_gbk_xiaobiaosong_toc_p1.pdf"))
    text = "".join(b.text for b in ex.blocks).replace(" ", "")  # justification spaces go in repair
    assert "关于红军作战的原则" in text
    assert any(e.step == "pdf_engine_fallback" and e.detail.startswith("page 1: pdfminer failed") for e in ex.log)


@pytest.mark.parametrize("rotate", [0, 90, 270])
def test_pdfium_chars_match_pdfplumber_geometry(tmp_path, rotate):
    """One char dict shape for both engines: same text, boxes, sizes and baselines, /Rotate too."""
    import pdfplumber
    import pikepdf

    from corpus_tool.reading.pdf.chars import baseline
    from corpus_tool.reading.pdf.layout import layout_page
    from corpus_tool.reading.pdf.pdfium_chars import open_document, page_chars

    path = tmp_path / f"rot{rotate}.pdf"
    with pikepdf.open(_real("std_anhui_land_use_2020_p1.pdf")) as pdf:
        pdf.pages[0].obj.Rotate = rotate
        pdf.save(path)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        plumber, width, height = page.chars, float(page.width), float(page.height)
    doc = open_document(path)
    try:
        pdfium, w, h = page_chars(doc, 0)
    finally:
        doc.close()
    assert (round(w, 1), round(h, 1)) == (round(width, 1), round(height, 1))
    # pdfminer also emits the space characters of the content stream; layout places spaces by gaps
    plumber = [c for c in plumber if not c["text"].isspace()]
    pdfium = [c for c in pdfium if not c["text"].isspace()]
    if rotate == 0:
        assert [c["text"] for c in pdfium] == [c["text"] for c in plumber]
    else:  # PDFium orders a rotated page's chars its own way (layout sorts them anyway): pair by place
        assert sorted(c["text"] for c in pdfium) == sorted(c["text"] for c in plumber)
        pdfium = [
            min((c for c in pdfium if c["text"] == b["text"]),
                key=lambda c, b=b: abs(c["x0"] - b["x0"]) + abs(c["bottom"] - b["bottom"]))
            for b in plumber
        ]
    for a, b in zip(pdfium, plumber, strict=True):
        assert a["upright"] == b["upright"]
        # sideways glyphs are left out by layout; their box is the em in one engine, the font's
        # ascent to descent in the other, so only the place is compared
        assert abs(a["x0"] + a["x1"] - b["x0"] - b["x1"]) < 2 and abs(a["bottom"] - b["bottom"]) < 1, (a, b)
        if b["upright"]:
            assert all(abs(a[k] - b[k]) < 0.5 for k in ("x0", "x1", "top", "bottom", "size")), (a, b)
            assert abs(a["base"] - baseline(b)) < 0.5
    if rotate == 0:
        lines = [ln.text for ln in layout_page(pdfium, w, h, 1).lines]
        assert len(lines) > 10 and lines == [ln.text for ln in layout_page(plumber, width, height, 1).lines]


def _glyphs(text: str, font: str) -> list[dict]:
    return [{"text": ch, "fontname": font} for ch in text]


def test_fonts_read_as_glyph_numbers_are_found_and_only_they() -> None:
    from corpus_tool.reading.pdf.quality import sequential_code_fonts

    chars = (_glyphs("!\"#$%&'()*+,-./0-.12345678349)*:;<", "ABCDEE+宋体")  # a CNKI figure label font
             + _glyphs("()=()()=()()()", "CMR12")  # formula parentheses: pairs one apart, no run of three
             + _glyphs("123456", "Times")  # a table's column numbers: a run, but no punctuation
             + _glyphs("在多机器人场景中，分别基于所提出方法", "SimSun"))
    assert sequential_code_fonts(chars) == {"ABCDEE+宋体"}


def test_figure_labels_in_unmapped_fonts_are_dropped_and_reported() -> None:
    r = read_file(str(shared_path("data", "pdfs", "real", "journal_control_decision_preprint.pdf")), IngestOptions())
    doc = r.documents[0]
    text = "\n".join(u.text for u in doc.units)
    assert not re.search(r'!"#\$|\)\*\+,|%&\'\(', text)
    assert "柔性动作-评价软更新方法(SAC)进行多个轮次的训练" in text  # the sentence the labels broke into
    entry = next(e for e in doc.log if e.step == "pdf_unmapped_font_dropped")
    assert entry.count > 100 and "宋体" in entry.detail


def test_tables_set_sideways_are_reported_at_the_end_of_ingest() -> None:
    r = read_file(str(shared_path("data", "pdfs", "real", "std_gbt3620.1-2016.pdf")), IngestOptions())
    warnings = _page_warnings(r.documents[0], ocr=False)
    assert any("set sideways" in w and "pages 5,6,7,8,9" in w for w in warnings), warnings


def test_file_pdfminer_cannot_open_keeps_its_structure() -> None:
    """The Yunnan plan is read by PDFium alone; its 第X篇 parts are sections and its contents page is removed."""
    r = read_file(str(shared_path("data", "pdfs", "real", "gov_yunnan_10th_five_year_plan.pdf")), IngestOptions())
    doc = r.documents[0]
    titles = [s.title for s in doc.sections]
    assert "第一篇指导思想和发展目标" in titles and titles.count("第一章经济社会发展的指导思想") == 1
    assert any(e.step == "table_of_contents_removed" and e.count >= 30 for e in doc.log)


def test_formula_pieces_are_never_section_headings() -> None:
    ex = extract_pdf(shared_path("data", "pdfs", "real", "journal_control_decision_preprint.pdf"))
    headings = [b.text for b in ex.blocks if b.kind == "heading"]
    assert headings and all(re.search(r"[\u4e00-\u9fff]|[A-Za-z]{3}", h) for h in headings), headings


def test_the_last_line_of_an_english_sentence_is_no_heading(cid_doc):
    """The appendix's English text (a text layer): "ming." and "for any feasible solution x." end sentences set
    apart by a display formula or a page break; a lower-case word and a full stop end no heading."""
    doc = cid_doc.documents[0]
    headings = [s.title for s in doc.sections]
    assert "1.1 Single-Objective Programming" in headings and "1.1.1 Linear Programming" in headings
    assert not [h for h in headings if re.search(r"[a-z]\.$", h)]
    assert any("for any feasible solution x." in u.text for u in doc.units if u.field == "body")
