"""Every format and encoding: TXT/MD in UTF-8 (BOM or not), GB18030/GBK, Big5, UTF-16; HTML; DOCX;
CSV/XLSX rows; traditional characters. Real text from the policy corpus, written out in each form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import shared_path
from typer.testing import CliRunner

from corpus_tool.cli import app
from corpus_tool.reading.convert import detect_script, to_simplified
from corpus_tool.reading.document import IngestOptions, read_document, read_file
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.reading.textfile import decode_text, read_text
from corpus_tool.store.db import CorpusDB

runner = CliRunner()


@pytest.fixture(scope="module")
def report_text() -> str:
    """A real State Council notice (gov_006), simplified Chinese."""
    path = shared_path("data", "policy_corpus", "state_council_docs_govcn_html_2019crawl", "txt", "gov_006.txt")
    return path.read_text("utf-8")


@pytest.fixture(scope="module")
def traditional_text() -> str:
    """The 1954 government work report from wikisource, in traditional characters (first part)."""
    folder = shared_path("data", "policy_corpus", "gov_work_reports_wikisource_1954_2025", "txt")
    path = next(p for p in sorted(folder.glob("*1954*")) if "政府工作报告" in p.name)
    return path.read_text("utf-8")[:6000]


def _body(doc) -> str:  # type: ignore[no-untyped-def]
    return "".join(u.text for u in doc.units)


@pytest.mark.parametrize(("encoding", "bom", "expected"), [
    ("utf-8", b"", "utf-8"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("gb18030", b"", "gb18030"),
    ("gbk", b"", "gb18030"),  # GBK is a subset of GB18030: read with the superset
    ("utf-16-le", b"\xff\xfe", "utf-16"),
    ("utf-16-be", b"\xfe\xff", "utf-16"),
    ("utf-16-le", b"", "utf-16-le"),
])
def test_text_encodings_are_detected_and_recorded(tmp_path: Path, report_text: str, encoding: str, bom: bytes,
                                                  expected: str) -> None:
    path = tmp_path / f"notice_{encoding}.txt"
    path.write_bytes(bom + report_text.encode(encoding))
    reference = read_document(_write(tmp_path / "ref.txt", report_text.encode("utf-8")))
    doc = read_document(path)
    assert doc.encoding == expected
    assert _body(doc) == _body(reference)  # the same text, whatever the bytes
    assert doc.meta["doc_number"] == "国办发〔2019〕3号"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_big5_traditional_text(tmp_path: Path, traditional_text: str) -> None:
    text = traditional_text.encode("big5", errors="ignore").decode("big5")
    path = _write(tmp_path / "report_big5.txt", text.encode("big5"))
    decoded, encoding = read_text(path)
    assert encoding == "big5"
    assert decoded == text
    doc = read_document(path)
    assert doc.meta["script"] == "traditional"
    assert doc.encoding == "big5"


def test_gb18030_is_not_mistaken_for_big5(report_text: str) -> None:
    text, encoding = decode_text(report_text[:400].encode("gb18030"))
    assert encoding == "gb18030"
    assert text == report_text[:400]


def test_to_simplified_converts_and_records_the_script(tmp_path: Path, traditional_text: str) -> None:
    path = _write(tmp_path / "1954.txt", traditional_text.encode("utf-8"))
    kept = read_document(path)
    converted = read_document(path, IngestOptions(to_simplified=True))
    assert kept.meta["script"] == converted.meta["script"] == "traditional"
    assert detect_script(_body(converted)) == "simplified"
    assert _body(converted) == to_simplified(_body(kept))
    assert any(e.step == "to_simplified" and e.count > 100 for e in converted.log)
    assert converted.doc_id != kept.doc_id  # another reading of the same bytes is another version


def test_markdown_headings_and_comments(tmp_path: Path) -> None:
    md = shared_path("data", "policy_corpus", "state_council_admin_regulations_lawrefbook", "md",
                     "专利代理条例(2018-11-06).md")
    doc = read_document(md)
    assert doc.title == "专利代理条例"
    assert doc.fmt == "md"
    assert not any("INFO END" in u.text for u in doc.units)
    first = doc.sections[0].title
    assert first.startswith("第一章") and first.endswith("总则")
    assert doc.meta["date"] == "2018-11-06"


GOVCN_PAGE = """<!DOCTYPE html><html><head><meta charset="gb2312"><title>{title}_政府信息公开专栏</title>
<script>var trackers = ["追踪代码不应出现"]; document.write("脚本文字");</script>
<style>.nav {{ color: red }} /* 样式文字 */</style></head>
<body><div class="header"><ul class="nav"><li>首页</li><li>政策</li><li>导航栏文字</li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政策</div>
<table class="bd1"><tr><td><b>索 引 号：</b></td><td>000014349/2019-00003</td>
<td><b>发文机关：</b></td><td>国务院办公厅</td></tr>
<tr><td><b>成文日期：</b></td><td>2019年01月09日</td><td><b>发文字号：</b></td><td>国办发〔2019〕3号</td></tr>
<tr><td><b>标 题：</b></td><td colspan="3">{title}</td></tr></table>
<div class="pages_content" id="UCAP-CONTENT">{body}
<table><tr><td>地区</td><td>幼儿园数</td></tr><tr><td>北京市</td><td>12</td></tr></table></div>
<div class="share">分享到：微博 微信</div><div id="qr_container">扫一扫在手机打开当前页</div>
<div class="print"><a onclick="window.print()">打印本页</a></div>
<div class="footer">版权所有：中国政府网 页脚文字</div>
<script>alert("最后的脚本")</script></body></html>"""


def test_html_keeps_the_article_and_drops_furniture(tmp_path: Path, report_text: str) -> None:
    lines = [line for line in report_text.splitlines() if line.strip()]
    title = "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知"
    body = "".join(f"<p style='text-indent:2em'>{line}</p>" for line in lines[3:])
    page = GOVCN_PAGE.format(title=title, body=f"<p>{title[:10]}<br>{title[10:]}</p><p>国办发〔2019〕3号</p>{body}")
    path = _write(tmp_path / "gov page.html", page.encode("gb18030"))
    doc = read_document(path)
    text = "\n".join(u.text for u in doc.units)
    assert doc.encoding == "gb18030"
    assert doc.title == title
    for furniture in ("追踪代码", "脚本文字", "样式文字", "导航栏", "当前位置", "分享到", "扫一扫", "打印本页",
                      "页脚文字", "最后的脚本", "索引号", "索 引 号"):
        assert furniture not in text, furniture
    assert lines[-1].strip()[:20] in text  # the article is there to its end
    assert "地区 | 幼儿园数" in text and "北京市 | 12" in text  # a table row stays one line
    assert doc.meta["issuer"] == "国务院办公厅"
    assert doc.meta["date"] == "2019-01-09"
    assert doc.meta["sources"]["date"] == "content:成文日期"
    assert doc.meta["fields"]["索引号"] == "000014349/2019-00003"
    assert any(e.step == "html_removed" for e in doc.log)


def test_docx_paragraphs_headings_and_tables(tmp_path: Path, report_text: str) -> None:
    import docx

    lines = [line for line in report_text.splitlines() if line.strip()]
    document = docx.Document()
    document.add_heading("国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知", level=0)
    document.add_paragraph("国办发〔2019〕3号")
    document.add_heading("一、总体要求", level=1)
    for line in lines[4:10]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("地区", "幼儿园数"), ("北京市", "12")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("国务院办公厅")
    document.add_paragraph("2019年1月9日")
    path = tmp_path / "通知 草稿.docx"
    document.save(str(path))
    doc = read_document(path)
    assert doc.fmt == "docx"
    assert doc.title == "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知"
    assert [s.title for s in doc.sections] == ["一、总体要求"]
    text = "\n".join(u.text for u in doc.units)
    assert lines[5][:15] in text
    assert "地区 | 幼儿园数" in text
    assert doc.meta["doc_number"] == "国办发〔2019〕3号"
    assert doc.meta["date"] == "2019-01-09"
    assert doc.meta["doc_type"] == "通知"


def _rows(report_text: str) -> list[dict[str, str]]:
    paras = [line for line in report_text.splitlines() if len(line) > 40]
    return [{"标题": f"第{i}条材料", "year": str(2010 + i), "地区": region, "正文": para}
            for i, (region, para) in enumerate(zip(["北京", "上海", "广东"], paras, strict=False), 1)]


def test_csv_rows_are_documents(tmp_path: Path, report_text: str) -> None:
    import csv

    rows = _rows(report_text)
    path = tmp_path / "材料.csv"
    with path.open("w", encoding="gb18030", newline="") as fh:  # Excel on Chinese Windows saves GBK
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = read_file(str(path), IngestOptions(text_column="正文"))
    assert result.error is None
    docs = result.documents
    assert [d.source_path for d in docs] == [f"{path}#row={i}" for i in (2, 3, 4)]
    assert [d.title for d in docs] == [r["标题"] for r in rows]
    assert [d.meta["fields"]["地区"] for d in docs] == ["北京", "上海", "广东"]
    assert docs[0].units[-1].text.startswith(rows[0]["正文"][:20])
    missing = read_file(str(path), IngestOptions(text_column="内容"))
    assert missing.error is not None and "正文" in missing.error[1]  # the reason lists the real columns


def test_xlsx_rows_through_the_cli_with_by_field(tmp_path: Path, report_text: str) -> None:
    from openpyxl import Workbook

    rows = _rows(report_text)
    wb = Workbook()
    ws = wb.active
    ws.title = "政策"
    ws.append(list(rows[0]))
    for r in rows:
        ws.append([int(v) if k == "year" else v for k, v in r.items()])
    path = tmp_path / "政策 材料.xlsx"
    wb.save(path)
    db = tmp_path / "c.duckdb"
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db), "--text-column", "正文", "-q",
                                 "--timeout", "0"])
    assert result.exit_code == 0, result.output
    with CorpusDB(db, read_only=True) as store:
        docs = store.query("SELECT source_path, year, json_extract_string(fields, '$.\"地区\"') AS region, sources "
                           "FROM documents ORDER BY source_path")
    assert list(docs.region) == ["北京", "上海", "广东"]
    assert list(docs.source_path) == [f"{path}#sheet=政策,row={i}" for i in (2, 3, 4)]
    assert all(json.loads(s).get("year") for s in docs.sources)


def test_tables_without_text_column_are_not_read_silently(tmp_path: Path, report_text: str) -> None:
    (tmp_path / "a.txt").write_text(report_text, "utf-8")
    (tmp_path / "data.csv").write_text("正文\n一段文字\n", "utf-8")
    summary = ingest_paths([tmp_path], tmp_path / "c.duckdb", options=IngestOptions(timeout=None))
    assert summary.files == 1 and summary.ingested == 1
    assert summary.ignored_tables == 1
