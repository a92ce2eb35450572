"""Official-document and journal metadata, the manifest join, and where each value came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import shared_path

from corpus_tool.reading.document import IngestOptions, read_document
from corpus_tool.reading.manifest import ManifestSet, load_manifest
from corpus_tool.reading.metadata import (
    announcement_number,
    denoise_date,
    doc_type_of,
    extract_metadata,
    find_doc_numbers,
    is_date_line,
    is_masthead,
    issuer_from_title,
    normalize_doc_number,
    normalize_issuer,
    parse_date,
    relation_from_title,
    session_year,
    signature,
)
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.store.db import CorpusDB


@pytest.mark.parametrize(("raw", "expected"), [
    ("国发〔2024〕1号", "国发〔2024〕1号"),
    ("国发[2024]1号", "国发〔2024〕1号"),
    ("国办发［2019］5号", "国办发〔2019〕5号"),
    ("财税(2019)13号", "财税〔2019〕13号"),
    ("财税（2019）13号", "财税〔2019〕13号"),
    ("国发 〔2019〕 第05号", "国发〔2019〕5号"),
    ("劳社部发[2008]3号", "劳社部发〔2008〕3号"),
    ("中华人民共和国国务院令第707号", "国务院令第707号"),
    ("国令第707号", "国务院令第707号"),  # gov.cn's short form of the same number
    # OCR reads the hexagonal brackets as any bracket, sometimes as two
    ("中基协处分(2025)] 334号", "中基协处分〔2025〕334号"),
    ("中基协处分〔2025) 334号", "中基协处分〔2025〕334号"),
    ("中基协处分[(2025〕334号", "中基协处分〔2025〕334号"),
    ("中基协处分{2025}334号", "中基协处分〔2025〕334号"),
])
def test_doc_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalize_doc_number(raw) == expected


def test_a_listed_companys_announcement_number() -> None:
    assert announcement_number("公告编号：2025-035") == "2025-035"
    assert announcement_number("证券代码：600000 证券简称：浦发银行 公告编号：临2025-012") == "临2025-012"
    assert announcement_number("本公告编号规则见附件") is None and announcement_number("公告编号：20250") is None
    meta = extract_metadata("比亚迪股份有限公司2025年第一季度报告",
                            ["证券代码：002594", "证券简称：比亚迪", "公告编号：2025-035"], [], "byd.txt")
    assert (meta.values["doc_number"], meta.sources["doc_number"]) == ("2025-035", "content:公告编号")


def test_doc_numbers_in_running_text_keep_only_their_own_prefix() -> None:
    text = "根据《技术创新示范企业认定管理办法（试行）》（工信部联科〔2010〕540号）和国办发[2019]5号文件精神"
    assert [n for n, _ in find_doc_numbers(text)] == ["工信部联科〔2010〕540号", "国办发〔2019〕5号"]


@pytest.mark.parametrize(("raw", "iso"), [
    ("2024年1月5日", "2024-01-05"),
    ("二〇二四年一月五日", "2024-01-05"),
    ("二○二四年十二月三十一日", "2024-12-31"),  # ○ U+25CB for zero, as the PKU corpus and many PDFs write it
    ("一九九六年十一月五日", "1996-11-05"),
    ("2019年02月15日", "2019-02-15"),
    ("1990年3月", "1990-03"),
])
def test_dates_in_arabic_and_chinese_numerals(raw: str, iso: str) -> None:
    parsed = parse_date(raw)
    assert parsed is not None and parsed[0] == iso


def test_ocr_noise_in_a_signature_date_and_a_date_line() -> None:
    # a seal's speck read as "." between the year and 年; the doc number in running text with mixed brackets
    assert denoise_date("2025.年11月25日") == "2025年11月25日" and denoise_date("2025年,11月 25日") == "2025年11月25日"
    assert denoise_date("第3.5条") == "第3.5条" and denoise_date("共9.55亿元") == "共9.55亿元"  # no date: as it was
    tail = ["复核期间，本纪律处分决定继续执行。", "中国证券投资基金业协会", "2025.年11月25日",
            "抄送：证监会市场二司，浙江证监局。"]
    assert signature(tail) == ("2025-11-25", "中国证券投资基金业协会")
    meta = extract_metadata("纪律处分决定书", ["中国证券投资基金业协会", "中基协处分(2025)] 334号", "纪律处分决定书"],
                            tail, "scan.pdf")
    assert meta.values["doc_number"] == "中基协处分〔2025〕334号" and meta.values["date"] == "2025-11-25"
    assert meta.values["doc_type"] == "决定书" and meta.values["issuer"] == "中国证券投资基金业协会"
    cited = find_doc_numbers("送达了《纪律处分事先告知书》(中基协字〔2025)] 356号)")
    assert [n for n, _ in cited] == ["中基协字〔2025〕356号"]
    assert is_date_line("2025.年11月25日") and is_date_line("（二〇二四年三月五日）")
    assert not is_date_line("2025年11月") and not is_date_line("2025年11月25日印发实施") and not is_date_line("。")


def test_a_red_header_is_a_masthead() -> None:
    assert is_masthead("中国证券投资基金业协会") and is_masthead("国务院　中央军委") and is_masthead("国务院办公厅文件")
    assert not is_masthead("纪律处分决定书") and not is_masthead("关于开展专项检查的通知")
    assert doc_type_of("纪律处分决定书") == "决定书" and doc_type_of("行政处罚事先告知书") == "告知书"


def test_impossible_dates_are_not_dates() -> None:
    assert parse_date("2019年13月5日") is None
    assert parse_date("第三十二条") is None


def test_issuers_types_and_relations_from_titles() -> None:
    assert issuer_from_title("国务院办公厅关于印发“无废城市”建设试点工作方案的通知") == "国务院办公厅"
    assert issuer_from_title("国务院、中央军委关于同意武警总部后勤部机关等迁址新建的批复") == "国务院、中央军委"
    assert issuer_from_title("关于推进政务新媒体健康有序发展的意见") is None
    assert normalize_issuer("国务院　中央军委") == "国务院、中央军委"
    assert doc_type_of("国务院办公厅关于有效发挥政府性融资担保基金作用切实支持小微企业和“三农”发展的指导意见") == "意见"
    assert doc_type_of("国务院关于河北雄安新区总体规划（2018—2035年）的批复") == "批复"
    assert doc_type_of("不动产登记暂行条例") == "条例"
    assert doc_type_of("2024年政府工作报告") == "报告"
    assert doc_type_of("国务院办公厅关于湖北省巴东县地质灾害险情有关问题的复函") == "函"
    forwarded = relation_from_title(
        "国务院办公厅转发国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作意见报告的通知", "国务院办公厅")
    assert forwarded is not None
    assert (forwarded.relation, forwarded.issuer, forwarded.doc_type) == ("转发", "国家地震局", "报告")
    assert forwarded.title == "国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作意见报告"
    issued = relation_from_title("国务院关于印发《国务院工作规则》的通知", "国务院")
    assert issued is not None and (issued.relation, issued.title, issued.issuer) == ("印发", "国务院工作规则", "国务院")
    assert relation_from_title("国务院关于促进综合保税区高水平开放高质量发展的若干意见", "国务院") is None


def test_official_document_lines() -> None:
    head = ["国务院办公厅、中央军委办公厅", "关于加强对侵华日军遗弃化学武器调查和管理工作的通知", "国办发[1996]25号",
            "北京市、天津市、河北省人民政府，沈阳、北京军区：", "日本军国主义在侵华战争中……"]
    tail = ["特此通知。", "国务院办公厅　中央军委办公厅", "一九九六年六月二十九日"]
    found = extract_metadata("", head, tail, "gov_019.txt")
    assert found.values["doc_number"] == "国办发〔1996〕25号"
    assert found.values["title"] == "国务院办公厅、中央军委办公厅关于加强对侵华日军遗弃化学武器调查和管理工作的通知"
    assert found.values["issuer"] == "国务院办公厅、中央军委办公厅"
    assert found.values["date"] == "1996-06-29"
    assert found.sources["date"] == "content:成文日期"
    assert found.values["year"] == 1996 and found.sources["year"] == "content:成文日期"


def test_regulation_year_is_its_latest_version() -> None:
    head = ["1994年1月28日中华人民共和国国务院令第142号发布",
            "2011年7月19日《国务院关于修改〈中华人民共和国个人所得税法实施条例〉的决定》第三次修订",
            "2018年12月18日中华人民共和国国务院令第707号第四次修订", "2019年1月1日施行", "第一条　根据……"]
    found = extract_metadata("中华人民共和国个人所得税法实施条例", head, [], "个人所得税法实施条例.md")
    assert found.values["date"] == "2018-12-18" and found.sources["date"] == "content:公布日期"
    # A later version date in the file name names the current text when the history stops early.
    later = extract_metadata("个体工商户条例", head[:2], [], "个体工商户条例(2019-03-02).md")
    assert later.values["date"] == "2019-03-02" and later.sources["year"] == "filename:版本日期"


def test_year_sources_in_order_content_filename() -> None:
    dateline = "——1990年3月20日在第七届全国人民代表大会第三次会议上"
    report = extract_metadata("1990年政府工作报告", [dateline], [], "1990政府工作报告_李鹏.txt")
    assert (report.values["year"], report.sources["year"]) == (1990, "content:会议日期")
    named = extract_metadata("", ["各位代表：", "现在，我代表国务院报告工作。"], [], "2003政府工作报告_朱镕基.txt")
    assert (named.values["year"], named.sources["year"]) == (2003, "filename")
    assert session_year("第十三届全国人民代表大会第四次会议关于政府工作报告的决议") == (2021, "全国人大届次")
    assert session_year("沿着有中国特色的社会主义道路前进_(十三大)") == (1987, "党代会届次")
    nothing = extract_metadata("", ["一段没有日期的文字。"], [], "central_001.txt")
    assert "year" not in nothing.values


def test_journal_article_fields(tmp_path: Path) -> None:
    text = ("城市更新中的政策工具选择\n\n张三1，李四2*\n\n"
            "摘要：本文基于2015—2024年的政策文本，分析城市更新中的政策工具选择。\n"
            "关键词：城市更新；政策工具；文本分析\n"
            "中图分类号：D630    文献标识码：A    DOI：10.16381/j.cnki.issn1003-207x.2024.01.001\n\n"
            "一、引言\n\n" + "城市更新是新型城镇化的重要内容。\n\n" * 6)
    path = tmp_path / "article.txt"
    path.write_text(text, "utf-8")
    doc = read_document(path)
    assert doc.title == "城市更新中的政策工具选择"
    assert doc.authors == ["张三", "李四"]
    assert doc.keywords == ["城市更新", "政策工具", "文本分析"]
    assert doc.abstract.startswith("本文基于")
    fields = doc.meta["fields"]
    assert fields.get("classification", "").startswith("D630")
    assert fields.get("doi", "").startswith("10.16381/j.cnki.issn1003-207x.2024.01.001")


def test_manifest_joins_by_path_then_name_then_stem(tmp_path: Path) -> None:
    (tmp_path / "txt").mkdir()
    (tmp_path / "html").mkdir()
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,年份,地区\ntxt/a.txt,2019,北京\nb.txt,2020,上海\ntxt/c.txt,2021,广东\n"
                        "x/dup.txt,2001,甲\ny/dup.txt,2002,乙\n", "utf-8-sig")
    ms = ManifestSet([load_manifest(manifest)])
    assert ms.lookup(tmp_path / "txt" / "a.txt")[:2] == ({"file": "txt/a.txt", "年份": "2019", "地区": "北京"}, "path")
    assert ms.lookup(tmp_path / "elsewhere" / "b.txt")[1] == "name"
    assert ms.lookup(tmp_path / "html" / "c.html")[1] == "stem"
    assert ms.lookup(tmp_path / "z" / "dup.txt") is None  # two rows share the name: no guess
    assert ms.lookup(tmp_path / "unknown.txt") is None


def test_manifest_fields_are_queryable_and_win_over_the_text(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "no_date.txt").write_text("关于推进某项工作的几点意见\n\n一、总体要求。\n\n各地要抓好落实。\n", "utf-8")
    (docs / "dated.txt").write_text("某项工作方案\n\n一、目标。\n\n某某局\n2018年5月4日\n", "utf-8")
    manifest = tmp_path / "元数据.csv"
    manifest.write_text("文件名,year,policy_area,发文机关\nno_date.txt,2017,环境,某某厅\ndated.txt,2016,教育,\n",
                        "gb18030")
    summary = ingest_paths([docs], tmp_path / "c.duckdb", manifests=[manifest],
                           options=IngestOptions(timeout=None))
    assert summary.failed == 0
    with CorpusDB(tmp_path / "c.duckdb", read_only=True) as store:
        rows = store.query("SELECT source_path, year, issuer, sources, "
                           "json_extract_string(fields, '$.policy_area') AS area FROM documents ORDER BY source_path")
        conflicts = store.table("metadata_conflicts").drop(columns="doc_id")
    by_name = {Path(p).name: r for p, r in zip(rows.source_path, rows.itertuples(), strict=True)}
    dated, undated = by_name["dated.txt"], by_name["no_date.txt"]
    assert (dated.year, json.loads(dated.sources)["year"]) == (2016, "manifest")  # the user's value wins
    assert (undated.year, json.loads(undated.sources)["year"]) == (2017, "manifest")
    assert (undated.issuer, json.loads(undated.sources)["issuer"]) == ("某某厅", "manifest")
    assert sorted(rows.area) == ["教育", "环境"]
    # The text's year is not lost: the disagreement is recorded with both values and their sources.
    assert [tuple(r) for r in conflicts.itertuples(index=False)] == [
        (str(docs / "dated.txt"), "year", "2016", "元数据.csv line 3", "2018", "content:成文日期")]
    assert summary.conflicts == {"year": 1}
    assert summary.manifests[0]["files"] == 2 and summary.manifests[0]["unused_rows"] == []


def test_forwarding_notice_records_both_documents(tmp_path: Path) -> None:
    source = shared_path("data", "policy_corpus", "state_council_docs_govcn_html_2019crawl", "html", "gov_020.html")
    summary = ingest_paths([source], tmp_path / "c.duckdb", options=IngestOptions(timeout=None))
    assert summary.failed == 0
    with CorpusDB(tmp_path / "c.duckdb", read_only=True) as store:
        relations = store.table("relations")
        doc = store.table("documents").iloc[0]
    assert doc.doc_type == "通知" and doc.issuer == "国务院办公厅" and doc.doc_number == "国办发〔1996〕2号"
    assert len(relations) == 1
    rel = relations.iloc[0]
    assert (rel.relation, rel.issuer, rel.doc_type) == ("转发", "国家地震局", "报告")
    assert rel.title.startswith("国家地震局关于我国地震重点监视防御区")


def test_joint_issuers_split_at_separators_not_inside_latin_names() -> None:
    from corpus_tool.reading.metadata import normalize_issuer

    assert normalize_issuer("国务院　中央军委") == "国务院、中央军委"
    assert normalize_issuer("国务院 教育部") == "国务院、教育部"
    # English manifests: a space inside a name is not a separator; commas are
    assert normalize_issuer("State Forestry Administration [English]") == "State Forestry Administration [English]"
    assert (normalize_issuer("Ministry of Finance, Ministry of Science and Technology")
            == "Ministry of Finance、Ministry of Science and Technology")
