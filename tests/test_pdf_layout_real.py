"""Page layout on real PDFs (rows by baseline, columns per band, fake bold) and its subtle rules.

End-to-end tests read files from ../shared/data/pdfs/real (each extracted once per module) and
assert the text itself; unit tests build :class:`Char` lists by hand.
"""

from __future__ import annotations

import re
from typing import Any

import pypdfium2 as pdfium
import pytest

from corpus_tool.reading.model import PARA, Extracted
from corpus_tool.reading.pdf.chars import Char, to_chars
from corpus_tool.reading.pdf.columns import find_bands
from corpus_tool.reading.pdf.furniture import is_page_number
from corpus_tool.reading.pdf.layout import layout_page
from corpus_tool.reading.pdf.rows import cluster_rows, is_overprint, sort_dedupe
from tests.conftest import real_pdf, shared_path

REAL = ("data", "pdfs", "real")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdfium_text(name: str) -> str:
    doc = pdfium.PdfDocument(shared_path(*REAL, name))
    return "".join(doc[i].get_textpage().get_text_bounded() for i in range(len(doc)))


@pytest.fixture(scope="module")
def putuo() -> Extracted:
    return real_pdf("gov_putuo_finance_bureau_final_accounts_2024.pdf")


@pytest.fixture(scope="module")
def gbt() -> Extracted:
    return real_pdf("std_gbt3620.1-2016.pdf")


@pytest.fixture(scope="module")
def preprint() -> Extracted:
    return real_pdf("journal_control_decision_preprint.pdf")


@pytest.fixture(scope="module")
def broker() -> Extracted:
    return real_pdf("report_broker_apparel_q3.pdf")


# ---------------------------------------------------------------- second-font runs stay in their line


def test_putuo_years_in_another_font_stay_in_their_sentence(putuo: Extracted) -> None:
    """The digits of 2024年 are Times/Arial glyphs whose boxes sit lower than FangSong's."""
    text = "".join(_squash(b.text) for b in putuo.blocks)
    expected = _squash(_pdfium_text("gov_putuo_finance_bureau_final_accounts_2024.pdf")).count("2024年")
    assert expected >= 10 and text.count("2024年") == expected
    paras = [_squash(b.text) for b in putuo.blocks if b.kind == PARA]
    assert any(p.startswith("上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比") for p in paras)
    # no block is a bare number cut out of its line
    assert not [b.text for b in putuo.blocks if re.fullmatch(r"\s*20\d\d\s*", b.text)]


def test_gbt_line_keeps_its_latin_and_punctuation(gbt: Extracted) -> None:
    """GB/T 3620.1 sets Latin letters, digits and punctuation in a font of their own (E-BZ)."""
    paras = [_squash(b.text) for b in gbt.blocks if b.kind == PARA]
    assert "本标准按照GB/T1.1—2009给出的规则起草。" in paras
    assert "———修订了TA22-1、TA24、TC15、TC17牌号的编辑错误;" in paras
    assert not [p for p in paras if re.fullmatch(r"[、。,;.]+", p)]  # no lines of bare punctuation


# ---------------------------------------------------------------- columns per band


def test_preprint_columns_below_full_width_block_not_glued(preprint: Extracted) -> None:
    """Page 2 is full width (title, abstract) above two columns: each column reads on its own."""
    body = _squash("".join(b.text for b in preprint.blocks))
    assert (
        "深度强化学习以数据驱动的方式在诸多序贯决策问题中获得优异表现,为移动机器人智能化进程提供了一套标准化学习范式"
        in body
    )
    assert "习过程中加入了随机探索以期获得更好的近似最优解,从而忽略了决策的潜在风险" in body
    assert "诸多序贯决解" not in body and "引言习过程中" not in body


def test_broker_sidebar_kept_out_of_body_sentences(broker: Extracted) -> None:
    """The right sidebar (analyst, 基础数据, 投资评级) is its own column, read after the main text."""
    blocks = [_squash(b.text) for b in broker.blocks if b.page == 1]
    main = next(i for i, t in enumerate(blocks) if "某服装企业是国内大众男装龙头品牌公司" in t)
    assert "公司研究" not in blocks[main] and "证券分析师" not in blocks[main]
    rating = next(i for i, t in enumerate(blocks) if t.startswith("投资评级"))
    assert rating > main and "收入" not in blocks[rating] and "男装" not in blocks[rating]
    assert not [t for t in blocks if "证券分析师" in t and ("男装" in t or "毛利率" in t)]


# ---------------------------------------------------------------- fake bold vs double letters


def test_double_letters_kept_fake_bold_removed(preprint: Extracted) -> None:
    body = "".join(b.text for b in preprint.blocks)
    assert "https://link.cnki.net" in body and "Finally, the proposed method" in body
    assert "ht ps" not in body and "Final y" not in body
    handbook = real_pdf("gov_tw_boe_energy_handbook.pdf")
    assert "(demand controller)" in "".join(b.text for b in handbook.blocks if b.page == 9)
    bold = real_pdf("tricky_fakebold_4x_p1.pdf")
    text = _squash("".join(b.text for b in bold.blocks))
    assert "安徽安利合成革股份有限公司" in text and "安安" not in text
    assert any(e.step == "pdf_duplicate_glyphs_dropped" for e in bold.log)


# ---------------------------------------------------------------- unit tests on synthetic chars


def _char(text: str, x0: float, base: float, size: float = 10.0, font: str = "Song", drop: float = 0.1) -> Char:
    """A glyph on baseline ``base`` whose box reaches ``drop`` × size below it (the font's descent)."""
    bottom = base + drop * size
    return Char(text, x0, x0 + size, bottom - size, bottom, size, font, base)


def _run(text: str, x0: float, base: float, **kw: Any) -> list[Char]:
    size = kw.get("size", 10.0)
    return [_char(ch, x0 + i * size, base, **kw) for i, ch in enumerate(text)]


def test_second_font_with_lower_boxes_shares_the_row() -> None:
    # the digits' boxes sit 5 pt lower than the CJK ones (more than the old box tolerance) on one baseline
    chars = _run("规划和", 0, 100) + _run("2035", 30, 100, font="Times", drop=0.6) + _run("年远景目标", 70, 100)
    rows = cluster_rows(chars)
    assert len(rows) == 1
    assert "".join(c.text for c in sorted(rows[0].chars, key=lambda c: c.x0)) == "规划和2035年远景目标"


def test_superscripts_by_baseline_and_by_text_rise() -> None:
    body = _run("正文一行文字" * 5, 0, 100)
    moved = [_char(ch, 60 + 3 * i, 96, size=6) for i, ch in enumerate("[1]")]  # own baseline, 4 pt up
    risen = [_char(ch, 100 + 3 * i, 100, size=6, drop=-0.5) for i, ch in enumerate("12")]  # text rise: box 3 pt up
    plain = [_char(ch, 140 + 3 * i, 100, size=6) for i, ch in enumerate("ab")]  # small, not raised
    # the small font's usual drop is measured on its own unraised glyphs elsewhere on the page
    other = [_char(ch, 3 * i, 200, size=6) for i, ch in enumerate("小字号的注释")]
    rows = cluster_rows(body + moved + risen + plain + other)
    row = next(r for r in rows if any(c.text == "正" for c in r.chars))
    sup = {c.text for c in row.chars if c.sup}
    assert sup == {"[", "1", "]", "2"} and not any(c.sup for c in row.chars if c.text in "ab")


def test_overprint_geometry() -> None:
    first = _char("l", 100, 100)
    first.x1 = 102.8  # a narrow letter: 0.28 em advance
    assert is_overprint(first, _char("l", 100.2, 100))  # fake bold: shifted a fraction of a point
    assert not is_overprint(first, _char("l", 102.8, 100))  # "ll": the second starts after the first's advance
    assert not is_overprint(first, _char("i", 100.2, 100))
    rows = cluster_rows(_run("安徽", 0, 100) + _run("安徽", 0.24, 100.24))
    assert sort_dedupe(rows) == 2 and "".join(c.text for c in rows[0].chars) == "安徽"


def _page(rows: list[list[Char]]) -> list[Char]:
    return [c for r in rows for c in r]


def test_bands_full_width_then_two_columns_and_sidebar() -> None:
    full = [_run("通栏标题下的摘要文字通栏排印跨越两栏的一整行文字内容" * 1, 0, 20 + 14 * i) for i in range(4)]
    cols = [
        _run("左栏正文文字一行十个", 0, 100 + 14 * i) + _run("右栏正文文字一行十个", 130, 100 + 14 * i)
        for i in range(8)
    ]
    rows = sorted(cluster_rows(_page(full + cols)), key=lambda r: r.top)
    bands = find_bands(rows, 300)
    assert [(b.gutter is not None, len(b.rows)) for b in bands] == [(False, 4), (True, 8)]
    assert 100 <= (bands[1].gutter or 0) <= 130 and bands[1].sidebar == ""
    side = [
        _run("主栏正文文字一行有二十个字符长度的内容", 0, 100 + 14 * i) + _run("侧栏数据项目", 215, 100 + 14 * i)
        for i in range(8)
    ]
    bands = find_bands(sorted(cluster_rows(_page(side)), key=lambda r: r.top), 300)
    assert len(bands) == 1 and bands[0].sidebar == "R"


def test_label_value_pairs_are_not_columns() -> None:
    # letter-spaced labels with values beside them (a cover page): starts scattered, too few chars
    rows = [_run("培养单位", 0, 100 + 20 * i) + _run("计算机系", 120 + 17 * (i % 3), 100 + 20 * i) for i in range(5)]
    bands = find_bands(sorted(cluster_rows(_page(rows)), key=lambda r: r.top), 300)
    assert all(b.gutter is None for b in bands)


def _raw(text: str, x0: float, base: float, size: float, font: str, drop: float) -> list[dict[str, Any]]:
    """pdfplumber-style char dicts (page height 800): ``drop`` × size of the box below the baseline."""
    out = []
    for i, ch in enumerate(text):
        bottom = base + drop * size
        out.append(
            {
                "text": ch,
                "x0": x0 + i * size,
                "x1": x0 + (i + 1) * size,
                "top": bottom - size,
                "bottom": bottom,
                "size": size,
                "fontname": font,
                "upright": True,
                "y1": 800 - (bottom - size),
                "matrix": (1, 0, 0, 1, x0 + i * size, 800 - base),
            }
        )
    return out


def test_page_number_with_digits_in_another_font_is_one_line() -> None:
    chars = _raw("—", 280, 780, 10, "ABCDEF+FangSong", 0.1) + _raw("12", 295, 780, 10, "Times", 0.55)
    chars += _raw("—", 320, 780, 10, "ABCDEF+FangSong", 0.1) + _raw("正文一行", 100, 400, 10, "ABCDEF+FangSong", 0.1)
    page = layout_page(chars, 600, 800, 1)
    footer = [ln.text for ln in page.lines if ln.top > 700]
    assert len(footer) == 1 and is_page_number(footer[0])


def test_glyph_with_broken_metrics_keeps_its_box_position() -> None:
    """CAJ2PDF symbol fonts put a glyph's box far from its baseline (and map it to wrong text): it
    must not be pulled into the line its matrix names, where a '1' would turn Vol.9 into Vol19."""
    sane = _raw("9", 100, 74, 10, "Times", 0.2)[0]
    broken = _raw("1", 90, 74, 10, "cajcd-fntaa", 0.2)[0]
    broken.update(top=749.5, bottom=760.0, y1=800 - 749.5)
    chars, _ = to_chars([sane, broken])
    assert chars[0].base == pytest.approx(74) and chars[1].base == pytest.approx(760.0)
