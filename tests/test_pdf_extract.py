"""End-to-end and unit tests of the PDF extraction step (corpus_tool.reading.pdf).

Real files come from ../shared (fixtures with ground truth, two official PDFs); small
PDFs for single rules are generated with reportlab and a CJK TrueType font.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from corpus_tool.reading.model import FOOTNOTE, FRONT, HEADING, PARA, TITLE, Extracted
from corpus_tool.reading.pdf import (
    BrokenPdfError,
    EncryptedPdfError,
    OcrUnavailableError,
    extract_pdf,
    pdf_meta,
)
from corpus_tool.reading.pdf.chars import is_bad_char
from corpus_tool.reading.pdf.furniture import is_page_number
from corpus_tool.reading.pdf.layout import classify_marker
from corpus_tool.reading.pdf.ocr import ocr_problem
from tests.conftest import shared_path as _shared

FIXTURES = ("two_column", "row_interleaved", "founder_tounicode")
GOV = ("data", "pdfs", "gov_official")
CONSTITUTION = "《中华人民共和国宪法》.pdf"
CIVIL_CODE = "中华人民共和国民法典.pdf"


# ---------------------------------------------------------------- helpers

_CITE_OURS = re.compile(r"\[\d+(?:[-,]\d+)*(?::[\d-]+)?\]")
_CITE_GT = re.compile(r"\[\d+\]\d*")
_PAGE_NO_LINE = re.compile(r"^\s*[-–—]?\s*[0-9０-９]{1,4}\s*[-–—]?\s*$")
_ARTICLE = re.compile(r"第([一二三四五六七八九十百千零〇两]+)条(?:\s|$)")
_SENTENCE_END = re.compile(r"[。；：！？…”’）)」』》】]$")
_CN_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _gbk_repair(text: str) -> str:
    """Minimal Founder repair for comparing founder_tounicode.pdf (the real one is downstream)."""

    def row(m: re.Match[str]) -> str:
        cp = ord(m.group(0))
        return "。" if cp == 0xA3AE else bytes([cp >> 8, cp & 0xFF]).decode("gbk")

    text = re.sub(r"[\ua1a1-\ua1fe\ua3a1-\ua3fe]", row, text).replace("«", "《").replace("»", "》")
    return re.sub(r"(?<=[^\x00-\x7f])([:?])", lambda m: {":": "：", "?": "？"}[m.group(1)], text)


def _as_gt_markers(text: str) -> str:
    """Our canonical [n:page] back to the fixtures' inline [n]page."""
    return re.sub(r"\[(\d+):([\d-]+)\]", r"[\1]\2", text)


def _texts(ex: Extracted, kind: str, name: str = "") -> list[str]:
    out = [b.text for b in ex.blocks if b.kind == kind]
    return [_gbk_repair(t) for t in out] if name.startswith("founder") else out


def _lines(ex: Extracted, *kinds: str) -> list[str]:
    return [ln for b in ex.blocks if b.kind in kinds for ln in b.text.split("\n")]


def _cn_int(s: str) -> int:
    total, digit = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + digit


def _log(ex: Extracted, step: str) -> int:
    return sum(e.count for e in ex.log if e.step == step)


# ---------------------------------------------------------------- fixtures (parsed once per module)


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads(_shared("fixtures", "pdf", "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=FIXTURES)
def fixture_doc(request: pytest.FixtureRequest) -> tuple[str, Extracted]:
    return request.param, extract_pdf(_shared("fixtures", "pdf", f"{request.param}.pdf"))


@pytest.fixture(scope="module")
def constitution() -> Extracted:
    return extract_pdf(_shared(*GOV, CONSTITUTION))


@pytest.fixture(scope="module")
def civil_code() -> Extracted:
    return extract_pdf(_shared(*GOV, CIVIL_CODE))


@pytest.fixture(scope="module")
def cjk_font() -> str:
    """Register a CJK TrueType font with reportlab; skip when the machine has none."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    candidates = [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ]
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False)
        candidates += [ln.split(":")[0].strip() for ln in listed.stdout.splitlines()]
    for path in candidates:
        if not Path(path).exists():
            continue
        try:  # reportlab reads TrueType outlines only (not the CFF-based Noto CJK)
            pdfmetrics.registerFont(TTFont("TestCJK", path, subfontIndex=0))
            return "TestCJK"
        except (TTFError, OSError):
            continue
    pytest.skip("no CJK TrueType font for reportlab; install one: apt-get install fonts-wqy-microhei")


def _make_pdf(path: Path, font: str, pages: list[list[tuple[float, float, str]]], size: float = 12) -> Path:
    """One PDF page per entry, each a list of (x, y-from-top, text) lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        c.setFont(font, size)
        for x, y, text in lines:
            c.drawString(x, A4[1] - y, text)
        c.showPage()
    c.save()
    return path


BODY = [
    "这是第一段正文，用来测试页码与页眉的识别是否准确，内容足够长以填满一行文字。",
    "第二行继续说明，保证正文有多行并且能够正确地组成段落，不会被误删。",
]


# ---------------------------------------------------------------- 1. fixtures with ground truth


def test_fixture_paragraphs_found_in_order(fixture_doc: tuple[str, Extracted], truth: dict) -> None:
    """Each ground-truth paragraph is a contiguous substring of the PARA text, in order (README scoring)."""
    name, ex = fixture_doc
    body = "".join(_CITE_OURS.sub("", _squash(t)) for t in _texts(ex, PARA, name))
    pos, found = 0, 0
    for para in truth["paras"]:
        at = body.find(_CITE_GT.sub("", _squash(para)), pos)
        if at >= 0:
            found += 1
            pos = at + len(_CITE_GT.sub("", _squash(para)))
    assert found == len(truth["paras"]) == 156


def test_fixture_paragraph_blocks_match_exactly(fixture_doc: tuple[str, Extracted], truth: dict) -> None:
    """Stricter: one PARA block per ground-truth paragraph, same text, markers at the same spots."""
    name, ex = fixture_doc
    paras = [_as_gt_markers(_squash(t)) for t in _texts(ex, PARA, name)]
    assert paras == [_squash(p) for p in truth["paras"]]


def test_fixture_no_header_or_page_number_in_body(fixture_doc: tuple[str, Extracted], truth: dict) -> None:
    _, ex = fixture_doc
    lines = _lines(ex, PARA, HEADING)
    assert not [ln for ln in lines if _squash(ln) == truth["header"]]
    assert not [ln for ln in lines if _PAGE_NO_LINE.match(ln)]
    assert _log(ex, "pdf_header_removed") == 18
    assert _log(ex, "pdf_page_number_removed") == 18


def test_fixture_footnotes_separated(fixture_doc: tuple[str, Extracted], truth: dict) -> None:
    name, ex = fixture_doc
    notes = [_squash(t) for t in _texts(ex, FOOTNOTE, name)]
    body = _squash("".join(_texts(ex, PARA, name)))
    assert len(notes) == len(truth["footnotes"]) == 22
    for note, expected in zip(notes, truth["footnotes"], strict=True):
        assert note.endswith(_squash(expected))  # typeset notes lead with their number: "1 参见…"
        assert _squash(expected) not in body
    assert _log(ex, "pdf_footnote_separated") == 22


def test_fixture_headings(fixture_doc: tuple[str, Extracted], truth: dict) -> None:
    """The 18 headings are HEADING blocks (wrapped ones joined), level 1 for 一、 style."""
    _, ex = fixture_doc
    headings = [b for b in ex.blocks if b.kind == HEADING]
    assert [_squash(_gbk_repair(b.text)) for b in headings] == truth["headings"]
    assert {b.level for b in headings} == {1}


def test_fixture_superscript_markers(fixture_doc: tuple[str, Extracted], truth: dict) -> None:
    """[n]page superscripts come out inline as [n:page], bare [n] as [n], at the ground truth's spots."""
    name, ex = fixture_doc
    body = "".join(_squash(t) for t in _texts(ex, PARA, name))
    expected = "".join(re.sub(r"\[(\d+)\](\d+)", r"[\1:\2]", _squash(p)) for p in truth["paras"])
    assert body == expected
    assert "[1:10]" in body and "[2]" in body and "[6:436]" in body
    n_markers = sum(len(_CITE_GT.findall(p)) for p in truth["paras"])
    assert _log(ex, "pdf_superscript_marker") == n_markers


def test_two_column_front_matter(fixture_doc: tuple[str, Extracted], truth: dict) -> None:
    name, ex = fixture_doc
    if name == "row_interleaved":  # that fixture has no title block
        assert not [b for b in ex.blocks if b.kind in (TITLE, FRONT)]
        return
    assert [b.text for b in ex.blocks if b.kind == TITLE] == [truth["header"]]
    front = [_squash(_gbk_repair(b.text)) for b in ex.blocks if b.kind == FRONT]
    assert front[0] == "张三，李四"  # author superscripts 1, 2 removed (and logged)
    assert front[1].startswith("摘要：") and front[2].startswith("关键词：")
    assert ex.blocks[0].kind == TITLE


# ---------------------------------------------------------------- 2. scanned pages and OCR


def test_scanned_page_flagged() -> None:
    ex = extract_pdf(_shared("fixtures", "pdf", "scanned.pdf"))
    assert ex.scanned_pages == [1]
    assert _log(ex, "pdf_scanned_page") == 1
    assert not [b for b in ex.blocks if b.kind == PARA]
    assert ex.ocr_pages == []


def test_ocr_unavailable_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("corpus_tool.reading.pdf.ocr.shutil.which", lambda _name: None)
    with pytest.raises(OcrUnavailableError, match="apt-get install tesseract-ocr tesseract-ocr-chi-sim"):
        extract_pdf(_shared("fixtures", "pdf", "scanned.pdf"), ocr=True)


def test_ocr_of_scanned_page() -> None:
    path = _shared("fixtures", "pdf", "scanned.pdf")
    problem = ocr_problem("chi_sim")
    if problem:
        pytest.skip(problem)
    ex = extract_pdf(path, ocr=True)
    assert ex.ocr_pages == [1] and ex.scanned_pages == [1]
    text = _squash("".join(_texts(ex, PARA)))
    assert len(text) > 1000 and text.count("因地制宜发展新质生产力") >= 5
    assert _log(ex, "pdf_ocr") == 1


# ---------------------------------------------------------------- 3. official single-column PDFs

# PARAs that truly do not end a sentence: table-of-contents entries without a chapter number, and
# the Constitution's one-line enumerations of office holders (委员长，/副委员长若干人，...).
_OPEN_ENDED_OK = {"序 言", "附则"}
_ENUMERATION = re.compile(r"^[^\n，。；]{1,10}，$")


@pytest.mark.parametrize(
    ("name", "n_articles", "title"),
    [(CONSTITUTION, 138, "中华人民共和国宪法"), (CIVIL_CODE, 1260, "中华人民共和国民法典")],
)
def test_official_pdf_structure(
    name: str, n_articles: int, title: str, constitution: Extracted, civil_code: Extracted
) -> None:
    ex = constitution if name == CONSTITUTION else civil_code
    assert [b.text for b in ex.blocks if b.kind == TITLE] == [title]
    # no page number left anywhere in the text
    assert not [ln for ln in _lines(ex, PARA, HEADING, FRONT, TITLE) if _PAGE_NO_LINE.match(ln)]
    # every 第X章 line is a heading, and no paragraph swallows one
    chapters = [b for b in ex.blocks if re.match(r"第[一二三四五六七八九十]+章", b.text.strip())]
    assert chapters and all(b.kind == HEADING for b in chapters)
    assert not [ln for ln in _lines(ex, PARA) if re.match(r"\s*第[一二三四五六七八九十]+章", ln)]
    # each article opens its own paragraph; articles are all there, in order
    paras = [b.text for b in ex.blocks if b.kind == PARA]
    assert not [p for p in paras if any(_ARTICLE.match(ln) for ln in p.split("\n")[1:])]
    numbers = [_cn_int(m[1]) for p in paras if (m := _ARTICLE.match(p))]
    assert numbers == list(range(1, n_articles + 1))
    # no paragraph cut at a page break: every one ends a sentence (documented exceptions aside)
    open_ended = [p.strip() for p in paras if not _SENTENCE_END.search(p.strip())]
    assert [p for p in open_ended if p not in _OPEN_ENDED_OK and not _ENUMERATION.match(p)] == []


def test_civil_code_paragraph_over_page_break_is_one_block(civil_code: Extracted) -> None:
    """Article 22 starts at the foot of page 9 and ends at the top of page 10."""
    art = [b for b in civil_code.blocks if b.kind == PARA and b.text.startswith("第二十二条")]
    assert len(art) == 1 and art[0].page == 9
    assert "纯获利益的民事法律行\n为或者与其智力" in art[0].text
    assert _log(civil_code, "pdf_page_number_removed") == 234


def test_civil_code_metadata_and_levels(civil_code: Extracted) -> None:
    assert civil_code.meta["Title"] == "Microsoft Word - 中华人民共和国民法典.doc"  # stored as GBK hex
    assert civil_code.n_pages == 234
    levels = {
        re.match(r"第.+?(分编|编|章|节)", b.text)[1]: b.level
        for b in civil_code.blocks
        if b.kind == HEADING and re.match(r"第.+?(分编|编|章|节)", b.text)
    }
    assert levels == {"编": 1, "分编": 2, "章": 3, "节": 4}


# ---------------------------------------------------------------- 4. generated PDFs for single rules


def test_page_number_in_bottom_band_removed_same_page_repeat_kept(tmp_path: Path, cjk_font: str) -> None:
    lines = [
        (72, 120, BODY[0]),
        (72, 150, "（一）"),
        (72, 180, BODY[1]),
        (72, 210, "（一）"),
        (290, 815, "１２"),
    ]
    ex = extract_pdf(_make_pdf(tmp_path / "band.pdf", cjk_font, [lines]))
    text = "\n".join(b.text for b in ex.blocks)
    assert "１２" not in text
    assert text.count("（一）") == 2
    assert _log(ex, "pdf_page_number_removed") == 1
    assert _log(ex, "pdf_header_removed") == 0


def test_running_header_removed_only_when_repeated(tmp_path: Path, cjk_font: str) -> None:
    pages = [
        [(72, 40, "测试学报 2024年第1期"), (72, 120, BODY[0]), (72, 150, BODY[1])],
        [(72, 40, "测试学报 2024年第2期"), (72, 120, BODY[1]), (72, 150, BODY[0])],
        [(72, 40, "只在本页出现的一行"), (72, 120, BODY[0]), (72, 150, BODY[1])],
    ]
    ex = extract_pdf(_make_pdf(tmp_path / "header.pdf", cjk_font, pages))
    text = "\n".join(b.text for b in ex.blocks)
    assert "测试学报" not in text  # same text on 2 of 3 pages, digits read as #
    assert "只在本页出现的一行" in text
    header = [e for e in ex.log if e.step == "pdf_header_removed"]
    assert header and header[0].count == 2 and "测试学报" in header[0].detail


def test_encrypted_pdf_raises(tmp_path: Path, cjk_font: str) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = _make_pdf(tmp_path / "plain.pdf", cjk_font, [[(72, 120, BODY[0])]])
    for user_password, name in (("secret", "locked.pdf"), ("", "owner_only.pdf")):
        writer = PdfWriter()
        writer.append(PdfReader(plain))
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
        writer.write(tmp_path / name)
    with pytest.raises(EncryptedPdfError, match="password"):
        extract_pdf(tmp_path / "locked.pdf")
    assert BODY[0] in extract_pdf(tmp_path / "owner_only.pdf").blocks[0].text  # empty user password opens


def test_truncated_and_non_pdf_raise(tmp_path: Path) -> None:
    data = _shared("fixtures", "pdf", "two_column.pdf").read_bytes()
    (tmp_path / "half.pdf").write_bytes(data[: len(data) // 2])
    with pytest.raises(BrokenPdfError, match="truncated"):
        extract_pdf(tmp_path / "half.pdf")
    (tmp_path / "fake.pdf").write_text("not a pdf at all", encoding="utf-8")
    with pytest.raises(BrokenPdfError, match="not a PDF"):
        extract_pdf(tmp_path / "fake.pdf")


def test_empty_file_and_decompression_bomb_raise(tmp_path: Path, cjk_font: str) -> None:
    import zlib

    import pikepdf

    (tmp_path / "zero.pdf").write_bytes(b"")
    with pytest.raises(BrokenPdfError, match="empty"):
        extract_pdf(tmp_path / "zero.pdf")
    good = _make_pdf(tmp_path / "good.pdf", cjk_font, [[(72, 120, BODY[0])]])
    comp = zlib.compressobj(1)
    data = b"".join(comp.compress(b"\0" * (16 << 20)) for _ in range(10)) + comp.flush()  # 160 MB inflated
    with pikepdf.open(good) as pdf:
        stream = pikepdf.Stream(pdf, b"")
        stream.write(data, filter=pikepdf.Name.FlateDecode)
        pdf.pages[0].obj.Contents = pdf.make_indirect(stream)
        pdf.save(tmp_path / "bomb.pdf")
    with pytest.raises(BrokenPdfError, match="decompression bomb"):
        extract_pdf(tmp_path / "bomb.pdf")


def test_suspect_text_layer(tmp_path: Path, cjk_font: str) -> None:
    """Glyphs without a usable Unicode mapping (here U+E000 → NUL): a page mostly made of them is
    withheld and reported with its reason; a few are dropped from a readable page, counted."""
    ex = extract_pdf(_make_pdf(tmp_path / "pua.pdf", cjk_font, [[(72, 120, "正常文字" + "\ue000" * 8)]]))
    assert ex.suspect_pages == [1]
    assert list(ex.unreadable_pages) == [1] and "no Unicode mapping" in ex.unreadable_pages[1]
    assert _log(ex, "pdf_unreadable_page") == 1 and not ex.blocks
    ex = extract_pdf(_make_pdf(tmp_path / "few.pdf", cjk_font, [[(72, 120, "正常文字" * 6 + "\ue000")]]))
    assert not ex.unreadable_pages and _log(ex, "pdf_broken_glyphs_dropped") == 1
    assert ex.blocks and ex.blocks[0].text == "正常文字" * 6


def test_max_pages_logged() -> None:
    ex = extract_pdf(_shared("fixtures", "pdf", "two_column.pdf"), max_pages=2)
    assert ex.n_pages == 18
    assert {b.page for b in ex.blocks} <= {1, 2}
    assert _log(ex, "pdf_pages_truncated") == 16


# ---------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[1]10", ("cite", "[1:10]")),
        ("[１]１０", ("cite", "[1:10]")),
        ("\ua3db\ua3b1\ua3dd\ua3b1\ua3b0", ("cite", "[1:10]")),  # Founder GBK-row brackets and digits
        ("[2]", ("cite", "[2]")),
        ("[3,5]", ("cite", "[3,5]")),
        ("[7]15-16", ("cite", "[7:15-16]")),
        ("1", ("ref", "1")),
        ("①", ("ref", "①")),
        ("TM", ("text", "TM")),
    ],
)
def test_classify_marker(raw: str, expected: tuple[str, str]) -> None:
    assert classify_marker(raw) == expected


@pytest.mark.parametrize(
    ("ch", "bad"),
    [
        ("\ufffd", True),
        ("(cid:123)", True),
        ("\ue000", True),
        ("\ua000", True),
        ("\x00", True),
        ("\ua3ac", False),
        ("\ua1a3", False),
        ("中", False),
        ("a", False),
    ],
)
def test_bad_char(ch: str, bad: bool) -> None:
    assert is_bad_char(ch) is bad


@pytest.mark.parametrize(
    ("text", "is_number"),
    [
        ("12", True),
        ("１２", True),
        ("- 12 -", True),
        ("·12·", True),
        ("第12页", True),
        ("12/234", True),
        ("xii", True),
        ("Ⅰ", True),  # the Unicode Roman numerals of a standard's front matter
        ("- Ⅻ -", True),
        ("ⅳ", True),
        ("Ⅰ型", False),
        ("（一）", False),
        ("2024年", False),
        ("civil", False),
    ],
)
def test_page_number_pattern(text: str, is_number: bool) -> None:
    assert is_page_number(text) is is_number


def test_meta_decoding() -> None:
    meta = pdf_meta({"Title": b"\xfe\xff\x4e\x2d\x65\x87", "Author": "<D5C5C8FD>", "Trapped": "False"})
    assert meta == {"Title": "中文", "Author": "张三"}
