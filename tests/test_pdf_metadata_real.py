"""Metadata and structure of real articles, theses and a law read from PDFs, end to end through
``corpus_tool.ingest()``; plus unit tests for the byline, cover, label, TOC and law-history parsers."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

import corpus_tool
from corpus_tool.reading.bylines import authors_from_front, cover_fields, names_from_byline, names_from_field
from corpus_tool.reading.document import IngestOptions, read_document
from corpus_tool.reading.metadata import cover_date, extract_metadata, find_doi, furniture_date, parse_date
from corpus_tool.reading.model import FRONT, HEADING, PARA, TITLE, Block
from corpus_tool.reading.structure import (
    build_structure,
    clc_codes,
    keep_keyword_spaces,
    mark_front_matter,
    split_label,
)
from corpus_tool.store.db import CorpusDB
from tests.conftest import shared_path

FILES = ("journal_aerospace_power_1994.pdf", "journal_china_land_2025_cnki.pdf",
         "journal_control_decision_preprint.pdf", "thesis_bnu_template_manual_cid.pdf",
         "thesis_tsinghua_proposal_network_analysis.pdf", "law_criminal_law.pdf", "gov_tw_boe_energy_handbook.pdf")
_LEADER_RE = re.compile(r"(?:[.．·](?:\s?)){6,}|(\(cid:\d+\))\1{3,}")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = shared_path("data", "pdfs", "real")
    path = tmp_path_factory.mktemp("real_meta") / "corpus.duckdb"
    corpus_tool.ingest([folder / name for name in FILES], db=path)
    return path


def _doc(db: Path, name: str) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    with CorpusDB(db, read_only=True) as store:
        doc_id = store.con.execute("SELECT doc_id FROM files WHERE source_path LIKE ?", [f"%{name}"]).fetchone()[0]
        where = f"doc_id = '{doc_id}'"
        return store.table("documents", where).iloc[0], store.table("paragraphs", where), store.table("log", where)


@pytest.mark.parametrize(("name", "authors", "source"), [
    ("journal_aerospace_power_1994.pdf", "张津", "content:署名"),  # 北京航空航天大学　张　津执笔
    ("journal_china_land_2025_cnki.pdf", "韩爱惠；卢卫华；范延平；赵建明", "content:署名"),  # ◎ 韩爱惠 卢卫华 …
    ("journal_control_decision_preprint.pdf", "孙辉辉；胡春鹤；张军国", "content:封面"),  # 作者：孙辉辉，…
    ("thesis_tsinghua_proposal_network_analysis.pdf", "刘祥林", "content:封面"),  # 申 请 人：刘 祥 林
])
def test_authors_of_articles_and_theses(db: Path, name: str, authors: str, source: str) -> None:
    doc, units, _ = _doc(db, name)
    assert doc.authors == authors
    assert json.loads(doc.sources)["authors"] == source
    # the byline is front matter: no section is named after the authors
    first = authors.split("；")[0]
    assert not units[units.field.isin(["heading", "body"])].text.str.contains(first).head(3).any()


def test_abstract_in_a_coloured_box_and_a_clean_doi(db: Path) -> None:
    doc, units, _ = _doc(db, "journal_china_land_2025_cnki.pdf")
    # 核心提示 box read as one abstract (the layout now keeps its lines in one block, measured against the
    # box's own margins; the structure step joins the blocks when a layout still breaks such a box)
    assert doc.abstract.startswith("本文根据《“一张图”建设工作方案》，聚焦解决各类调查监测数据分散管理")
    assert doc.abstract.endswith("以支撑履行自然资源“大管家”职责等思路和建议。")
    assert (units.field == "abstract").sum() == 1
    assert not units[units.field == "body"].text.str.contains("大管家”职责等思路").any()
    assert not doc.keywords  # the article prints none: none are made up
    assert doc.doi == "10.13816/j.cnki.ISSN1002-9729.2025.10.03"  # not "…10.03责编：朱彧"


def test_journal_dated_by_its_running_header_when_the_content_gives_no_date(db: Path) -> None:
    """中国土地 prints its issue only in the running header of every page (·2025年10月·中国土地), which the
    extractor removes as furniture; with no date in the content, that header dates the article."""
    doc, units, log = _doc(db, "journal_china_land_2025_cnki.pdf")
    assert (doc.date, doc.year) == ("2025-10", 2025)
    assert json.loads(doc.sources)["date"] == json.loads(doc.sources)["year"] == "furniture:running_header"
    assert "·2025年10月·" in log[log.step == "pdf_header_removed"].detail.iloc[0]  # still out of the text
    assert not units.text.str.contains("·2025年10月·").any()
    # a date in the content wins over the header's: the aerospace journal keeps its masthead's
    doc, _, _ = _doc(db, "journal_aerospace_power_1994.pdf")
    assert json.loads(doc.sources)["date"] == "content:刊期"


def test_furniture_date_is_the_date_most_headers_carry() -> None:
    headers = ["·2025年10月·中国土地", "封面聚焦", "中国土地·2025年10月·", "中国土地·2025年10月·"]
    assert furniture_date({"header": headers, "footer": ["-9-"]}) == ("2025-10", "furniture:running_header")
    assert furniture_date({"header": ["第xx卷", "控 制 与"], "footer": ["2024年3月5日 星期二"]}) == (
        "2024-03-05", "furniture:running_footer")
    assert furniture_date({"header": ["2024年3月", "2024年4月"]}) is None  # two issues as common: no date
    assert furniture_date({"header": ["2024年第3期"]}) is None  # an issue number is no date
    found = extract_metadata("某文", ["正文。"], [], "x.pdf", furniture={"header": ["·2025年10月·中国土地"]})
    assert (found.values["date"], found.values["year"]) == ("2025-10", 2025)
    found = extract_metadata("某文", ["正文。"], ["某某局", "2024年3月5日"], "x.pdf",
                             furniture={"header": ["·2025年10月·中国土地"]})
    assert (found.values["date"], found.sources["date"]) == ("2024-03-05", "content:成文日期")


def test_bracketed_abstract_and_space_separated_keywords(db: Path) -> None:
    doc, units, _ = _doc(db, "journal_aerospace_power_1994.pdf")
    # dated by its masthead (第9卷 第4期 … 1994年 10月), which is front matter, not the body's first paragraph
    assert (doc.date, json.loads(doc.sources)["date"]) == ("1994-10", "content:刊期")
    assert doc.classification == "V263.6；V328.5"  # 分类号: V 263. 6 V 328. 5 as the CAJ conversion spaced it
    assert units[units.field == "body"].text.iloc[0].startswith("发动机故障在飞行故障中")
    assert doc.abstract.startswith("北京飞机维修工程公司、北京航空航天大学")  # 【摘要】 without a colon
    assert doc.keywords == "航空发动机；故障诊断系统；监视控制；状态监视"  # 主题词: with spaces


def test_cnki_first_publication_cover_is_front_matter(db: Path) -> None:
    doc, units, _ = _doc(db, "journal_control_decision_preprint.pdf")
    assert doc.title == "事件触发式多智能体分层安全强化学习运动规划"
    assert units.text.iloc[0] == doc.title and units.page.iloc[0] == 2  # the article's own title line
    cover = units[units.page == 1]
    assert (cover.field == "front").all() and cover.text.str.contains("网络首发").any()
    assert doc.title not in set(units[units.field == "heading"].text)  # the title is no section
    fields = json.loads(doc.fields)
    assert fields["online_date"] == "2024-06-06" and doc.doi == "10.13195/j.kzyjc.2023.1288"
    # 关键词 came run into the abstract's last line
    assert doc.keywords == "强化学习；安全约束；运动规划；多智能体；事件触发"
    assert doc.abstract.endswith("增强了策略的安全性和多机协同运动规划能力.")
    assert doc.doc_type is None or pd.isna(doc.doc_type)  # ……运动规划 is an article, not a 规划


def test_thesis_title_is_not_the_cover_label(db: Path) -> None:
    doc, _, _ = _doc(db, "thesis_bnu_template_manual_cid.pdf")
    # the cover and the Chinese title page are glyphs without a Unicode map (withheld and reported as
    # unreadable); the title is the first readable title page's, never the cover's generic label
    assert doc.title.startswith("An Introduction to LAT")
    assert "毕业论文" not in doc.title


@pytest.mark.parametrize("name", ["thesis_tsinghua_proposal_network_analysis.pdf",
                                  "thesis_bnu_template_manual_cid.pdf"])
def test_no_table_of_contents_in_thesis_paragraphs(db: Path, name: str) -> None:
    _, units, log = _doc(db, name)
    left = units[units.text.map(lambda t: _LEADER_RE.search(t) is not None)]
    assert left.empty, left.text.head().tolist()
    toc = log[log.step == "table_of_contents_removed"]
    if name.startswith("thesis_bnu"):  # its contents pages are unreadable glyphs: withheld and reported
        assert toc.empty and not log[log.step == "pdf_unreadable_page"].empty
    else:
        assert len(toc) == 1 and toc["count"].iloc[0] >= 50


def test_thesis_toc_entries_are_logged_and_chapters_kept(db: Path) -> None:
    _, units, log = _doc(db, "thesis_tsinghua_proposal_network_analysis.pdf")
    detail = log[log.step == "table_of_contents_removed"].detail.iloc[0]
    assert "1.1研究背景" in detail and "第2章国内外研究现状" in detail
    headings = [re.sub(r"\s+", "", t) for t in units[units.field == "heading"].text]
    assert headings.count("第1章选题背景") == 1  # the chapter itself, once


def test_consolidated_law_dates(db: Path) -> None:
    doc, _, _ = _doc(db, "law_criminal_law.pdf")
    fields, sources = json.loads(doc.fields), json.loads(doc.sources)
    assert (fields["adopted_date"], sources["adopted_date"]) == ("1979-07-01", "content:通过日期")
    assert (fields["amended_date"], sources["amended_date"]) == ("2023-12-29", "content:修正日期")
    assert (doc.date, doc.year) == ("2023-12-29", 2023)  # the text is the one consolidated in 2023


def _sections(db: Path, name: str) -> list[str]:
    with CorpusDB(db, read_only=True) as store:
        return [t for (t,) in store.con.execute(
            "SELECT s.title FROM sections s JOIN files f USING (doc_id) WHERE f.source_path LIKE ?", [f"%{name}"]
        ).fetchall()]


def test_roc_dated_handbook_cover(db: Path) -> None:
    doc, units, _ = _doc(db, "gov_tw_boe_energy_handbook.pdf")
    # the cover prints 中華民國 105 年 9 月再版 (letter-spaced): ROC 105 = 2016; the body's 105年7月28日
    # (no era name) and 2015年1月 (a statistics period) are not the document's date
    assert (doc.date, doc.year) == ("2016-09", 2016)
    assert json.loads(doc.sources)["date"] == "content:封面日期"
    cover = units[units.page == 1]
    assert list(cover.field) == ["title", "front"] and cover.text.iloc[1].endswith("中華民國105年9月再版")


def test_standard_title_number_and_masthead(tmp_path: Path) -> None:
    """A national standard: its title is the line under the masthead (中华人民共和国国家标准 is the kind of
    document, set larger), its number the GB/T line, its date the 发布 line."""
    path = tmp_path / "gbt.duckdb"
    corpus_tool.ingest([shared_path("data", "pdfs", "real", "std_gbt3620.1-2016.pdf")], db=path, max_pages=2)
    doc, units, _ = _doc(path, "std_gbt3620.1-2016.pdf")
    assert (doc.title, doc.doc_number, doc.date) == ("钛及钛合金牌号和化学成分", "GB/T 3620.1—2016", "2016-12-30")
    assert json.loads(doc.sources)["doc_number"] == "content:标准号"
    masthead = units[units.text == "中华人民共和国国家标准"]
    assert list(masthead.field) == ["front"]


def test_annual_report_dated_by_its_disclosure_date(tmp_path: Path) -> None:
    """A listed company's report: 披露日期 on its cover is the date, not the 2011 of 2011年年度报告."""
    path = tmp_path / "ar.duckdb"
    corpus_tool.ingest([shared_path("data", "pdfs", "real", "tricky_fakebold_4x_p1.pdf")], db=path)
    doc, _, _ = _doc(path, "tricky_fakebold_4x_p1.pdf")
    assert (doc.date, doc.year, json.loads(doc.sources)["date"]) == ("2012-03-27", 2012, "content:披露日期")


def test_standard_numbers() -> None:
    from corpus_tool.reading.metadata import standard_number

    assert standard_number("GB/T3620.1—2016") == "GB/T 3620.1—2016"
    assert standard_number("DB34/T 1234-2020") == "DB34/T 1234—2020"
    assert standard_number("代替GB/T3620.1—2007") is None  # the standard it replaces, inside a phrase
    assert standard_number("JNCR—2022—0040001") is None and standard_number("ICS77.120.50") is None


def test_thesis_cover_date_and_english_title_page_are_front_matter(db: Path) -> None:
    doc, units, _ = _doc(db, "thesis_tsinghua_proposal_network_analysis.pdf")
    assert (doc.date, doc.year) == ("2024-08", 2024)  # 二〇二四年八月 on the cover
    sources, fields = json.loads(doc.sources), json.loads(doc.fields)
    assert sources["date"] == "content:封面日期"
    # the cover's fields, letter-spacing out (指导教师：慈 松 教 授)
    assert (fields["supervisor"], fields["co_supervisor"]) == ("慈松教授", "徐著华高级工程师")
    assert (fields["institution"], fields["major"], sources["supervisor"]) == ("电力电子及电机工程系", "工程管理硕士",
                                                                             "content:封面")
    english = units[units.page == 3]  # Thesis submitted to / Tsinghua University / by … / August, 2024
    assert len(english) >= 8 and (english.field == "front").all()
    assert "Tsinghua University" in set(english.text)
    sections = _sections(db, "thesis_tsinghua_proposal_network_analysis.pdf")
    assert re.sub(r"\s+", "", sections[0]) == "第1章选题背景"
    assert not any(re.search("[A-Za-z]", t) for t in sections[:3])


def test_cite_as_line_and_english_front_matter_are_not_body(db: Path) -> None:
    doc, units, _ = _doc(db, "journal_control_decision_preprint.pdf")
    body = units[units.field == "body"].text
    for printed in ("引用格式", "DOI", "Multi-agent event triggered hierarchical", "SUN Hui-hui", "网络首发时间"):
        assert not body.str.contains(printed).any(), printed
    front = units[units.field == "front"].text
    assert front.str.startswith("引用格式：孙辉辉，胡春鹤，张军国.事件触发式").any()  # kept, as front matter
    assert front.str.contains("School of Technology").any()
    # the cover's 引用格式 broken before its type marker: one citation, to the article's own DOI
    assert json.loads(doc.fields)["cite_as"] == ("孙辉辉，胡春鹤，张军国．事件触发式多智能体分层安全强化学习运动规划"
                                                 "[J/OL]．控制与决策. https://doi.org/10.13195/j.kzyjc.2023.1288")
    # dated by its first publication online (网络首发日期 on the cover), not by 收稿日期 nor xxxx年x月
    assert (doc.date, doc.year, json.loads(doc.sources)["date"]) == ("2024-06-06", 2024, "content:网络首发日期")
    assert body.iloc[0].startswith("深度强化学习以数据驱动的方式")  # the body opens with 0 引言's text


def test_thesis_cover_date_read_once_the_cover_is_ocr_read() -> None:
    from corpus_tool.reading.pdf.ocr import ocr_problem

    problem = ocr_problem("chi_sim")
    if problem:
        if os.environ.get("CORPUS_TOOL_REQUIRE_EXTRAS") == "1":
            pytest.fail(problem)
        pytest.skip(problem)
    # without OCR the cover (glyphs without a Unicode map) is withheld and the thesis has no date
    # rather than a wrong one; read by OCR, its 2017 年 4 月 24 日 line dates it
    path = shared_path("data", "pdfs", "real", "thesis_bnu_template_manual_cid.pdf")
    doc = read_document(path, IngestOptions(ocr=True, max_pages=1))
    assert (doc.meta["date"], doc.meta["year"], doc.meta["sources"]["date"]) == ("2017-04-24", 2017, "content:封面日期")


# -- the parsers ----------------------------------------------------------------------------------
def test_bylines() -> None:
    assert names_from_byline("◎ 韩爱惠 卢卫华 范延平 赵建明") == ["韩爱惠", "卢卫华", "范延平", "赵建明"]
    assert names_from_byline("王小明1,2，欧阳修2*，李 华3") == ["王小明", "欧阳修", "李华"]
    assert names_from_byline("北京航空航天大学　张　津执笔") == ["张津"]
    for not_byline in ("总体思路", "文献综述", "国务院", "财政部办公厅", "1,2 1,3† 1,3", "自然资源部组建。",
                       "Zhang San"):
        assert names_from_byline(not_byline) == [], not_byline


def test_cover_fields_and_authors() -> None:
    lines = ["培 养 单 位：电力电子及电机工程系", "申 请 人：刘 祥 林", "指导教师：慈 松 教 授"]
    assert cover_fields(lines)["培养单位"] == "电力电子及电机工程系"
    assert authors_from_front(lines) == (["刘祥林"], "content:封面")
    assert names_from_field("孙辉辉，胡春鹤，张军国") == ["孙辉辉", "胡春鹤", "张军国"]
    assert names_from_field("(cid:8683)(cid:8402)") == []
    # the byline is read just under the title, not anywhere
    front = ["城市更新中的政策工具", "选择研究", "张三1，李四2", "北京大学政府管理学院，北京100871"]
    assert authors_from_front(front, "城市更新中的政策工具选择研究") == (["张三", "李四"], "content:署名")
    assert authors_from_front(["标题", "一", "二", "三", "四", "张三"], "标题") == ([], "")


def test_labels_without_a_colon_and_keyword_spaces() -> None:
    assert split_label("【摘要】本文研究……") == ("abstract", "本文研究……")
    assert split_label("核心提示本文根据……")[0] is None  # bare labels only in the front matter
    assert split_label("核心提示本文根据……", bare=True) == ("abstract", "本文根据……")
    assert split_label("主题词：甲；乙") == ("keywords", "甲；乙")
    assert split_label("摘摘要要：本文……") == ("abstract", "本文……")  # a fake-bold label, doubled
    assert split_label("关键词是创新", bare=True)[0] is None  # a sentence, not a label
    assert split_label("关键词创新；改革", bare=True) == ("keywords", "创新；改革")
    assert keep_keyword_spaces("主题词: 航空发动机 故障诊断系统") == "主题词: 航空发动机；故障诊断系统"
    assert keep_keyword_spaces("Key words: deep learning") == "Key words: deep learning"
    assert keep_keyword_spaces("关键词：甲 乙；丙") == "关键词：甲 乙；丙"  # has its own separators


def test_abstract_runs_on_until_its_sentence_ends() -> None:
    blocks = [Block(TITLE, "论题", 1), Block(HEADING, "核心提示本文根据方案，提出以", 1),
              Block(PARA, "构建机制为保障的路径，", 1), Block(HEADING, "以支撑履职等建议。", 1),
              Block(PARA, "正文第一段。", 1), Block(HEADING, "一、引言", 1), Block(PARA, "正文。", 1)]
    out = build_structure(blocks)
    assert out.abstract == "本文根据方案，提出以构建机制为保障的路径，以支撑履职等建议。"
    assert [u.field for u in out.units] == ["title", "abstract", "body", "heading", "body"]
    heading = build_structure([Block(TITLE, "论题", 1), Block(HEADING, "摘　要", 2), Block(PARA, "第一段。", 2),
                               Block(PARA, "第二段。", 2), Block(HEADING, "ABSTRACT", 3),
                               Block(PARA, "An abstract.", 3)])
    assert heading.abstract == "第一段。\n第二段。" and heading.labelled["abstract_en"] == "An abstract."
    inline = build_structure([Block(TITLE, "论题", 1), Block(PARA, "摘要：本文研究了政策.关键词：政策；文本", 1)])
    assert inline.abstract == "本文研究了政策." and inline.keywords == ["政策", "文本"]


def test_dotted_table_of_contents_is_removed() -> None:
    toc = [Block(PARA, "目录", 2), Block(PARA, "第1章 引言 ....................... 1", 2),
           Block(PARA, "1.1 背景 ........................ 1", 2), Block(PARA, "D", 2), Block(PARA, "目录", 3),
           Block(PARA, "1.2 意义 . . . . . . . . . . . . 2第2章 方法 . . . . . . . . 3", 3), Block(PARA, "E", 3)]
    body = [Block(HEADING, "第1章 引言", 4), Block(PARA, "正文……说明见下。", 4)]
    out = build_structure([Block(TITLE, "论题", 1), *toc, *body])
    assert [u.text for u in out.units] == ["论题", "第1章 引言", "正文……说明见下。"]
    assert [(e.step, e.count) for e in out.log] == [("table_of_contents_removed", 4)]
    one = build_structure([Block(TITLE, "论题", 1), Block(PARA, "说明……见下文。", 1), Block(FRONT, "附……", 1)])
    assert not one.log  # an ellipsis in running text is no leader


def test_law_history_adoption_and_latest_amendment() -> None:
    history = ("（1979年7月1日第五届全国人民代表大会第二次会议通过1997年3月14日第八届全国人民代表大会第五次会议修订"
               "根据2020年12月26日……通过的《中华人民共和国刑法修正案（十一）》修正根据2023年12月29日……通过的"
               "《中华人民共和国刑法修正案（十二）》汇编整理）")
    found = extract_metadata("中华人民共和国刑法", [history, "目录"], [], "刑法.pdf")
    assert (found.values["adopted_date"], found.values["amended_date"]) == ("1979-07-01", "2023-12-29")
    assert (found.values["date"], found.values["year"]) == ("2023-12-29", 2023)
    once = extract_metadata("某某条例", ["（2021年3月11日第十三届全国人民代表大会第四次会议通过）"], [], "x.txt")
    assert once.values["adopted_date"] == "2021-03-11" and "amended_date" not in once.values


def test_doi_ends_at_glued_text_and_references_give_none() -> None:
    doi = "10.13816/j.cnki.ISSN1002-9729.2025.10.03"
    assert find_doi([doi + "责编：朱彧"], []) == doi
    assert find_doi(["正文"], ["[12] Newman M. SIAM Rev, 2003. doi:10.1137/S003614450342480"]) is None
    assert find_doi([], ["DOI：10.1000/xyz123"]) == "10.1000/xyz123"


def test_classification_codes() -> None:
    assert clc_codes("V 263. 6 V 328. 5") == "V263.6；V328.5"
    assert clc_codes("TP24") == "TP24"
    assert clc_codes("D630；F812.2") == "D630；F812.2"
    assert clc_codes("无") == "无"


def test_dates_roc_and_chinese_numerals() -> None:
    assert parse_date("中华民国105年9月再版") == ("2016-09", 2016)
    assert parse_date("民国一百零五年五月") == ("2016-05", 2016)
    assert parse_date("民国三十八年十月一日") == ("1949-10-01", 1949)
    assert parse_date("如105年7月28日台湾各地") is None  # an ROC year only after its era name
    assert parse_date("二○一九年十二月") == ("2019-12", 2019)
    assert parse_date("12023年5月") is None
    assert parse_date("人民国防5年10月") is None


def test_cover_date_is_a_date_line_before_the_running_text() -> None:
    assert cover_date(["论文题目", "2017 年 4 ⽉ 24 ⽇"]) == "2017-04-24"  # Kangxi radicals, letter-spaced
    assert cover_date(["某某手册", "中 華 民 國 105 年 9 月 再 版"]) == "2016-09"
    assert cover_date(["标题", "2020年5月，本课题组开始调研。", "2021年3月"]) is None  # body text came first
    assert cover_date(["截至2023年5月的数据"]) is None  # a date inside a phrase
    assert cover_date(["GB/T 3620.1—2016", "2016-12-30 发布 2017-11-01 实施"]) == "2016-12-30"  # a standard's
    gazette = extract_metadata("某通知", ["某某公报 2024年第3期", "2024年2月"], ["某某局", "2024年1月9日"], "x.pdf",
                               front=["某某公报 2024年第3期", "2024年2月", "某通知"])
    assert (gazette.values["date"], gazette.sources["date"]) == ("2024-01-09", "content:成文日期")
    article = extract_metadata("某研究", ["某研究"], ["参考文献"], "x.pdf", front=["第9卷 第4期 某学报", "1994年 10月"])
    assert (article.values["date"], article.sources["date"]) == ("1994-10", "content:刊期")
    cover = ["培养单位：某系", "申 请 人：张三", "二〇二三年五月"]
    thesis = extract_metadata("某研究", ["某研究"], ["致谢", "二〇二四年一月"], "x.pdf", front=cover)
    assert (thesis.values["date"], thesis.sources["date"]) == ("2023-05", "content:封面日期")
    notice = extract_metadata("某通知", ["某通知"], ["某某局", "2018年5月4日"], "x.pdf", front=["2018年1月"])
    assert (notice.values["date"], notice.sources["date"]) == ("2018-05-04", "content:成文日期")


def test_cover_pages_and_fields_between_front_blocks() -> None:
    blocks = [Block(TITLE, "清华大学选题报告", 1), Block(FRONT, "申请人：张三", 1),
              Block(HEADING, "Thesis submitted to", 3), Block(PARA, "Tsinghua University", 3),
              Block(PARA, "作者：张三", 4), Block(PARA, "摘要：本文研究了政策。", 4), Block(PARA, "Zhang San", 4),
              Block(PARA, "(1. School of Government，Peking University，Beijing 100871)", 4),
              Block(PARA, "Abstract: This paper studies policy.", 4)]
    marked = mark_front_matter(blocks, body_page=5)
    assert [b.kind for b in marked] == [TITLE, FRONT, FRONT, FRONT, FRONT, FRONT, FRONT, FRONT, FRONT]
    # a page with running text is no cover, and a sentence between two fields stays text
    prose = [Block(TITLE, "论题", 1), Block(PARA, "作者：张三", 1), Block(PARA, "这是正文。", 1),
             Block(PARA, "DOI：10.1000/x", 1)]
    assert [b.kind for b in mark_front_matter(prose, body_page=2)][2] == PARA
    assert [b.kind for b in mark_front_matter([*prose[:1], Block(HEADING, "短题", 1)], body_page=1)][1] == HEADING
