"""Metadata of a traditional-character document is cited as the document prints it."""

from __future__ import annotations

from pathlib import Path

from corpus_tool.reading.convert import in_own_script
from corpus_tool.reading.document import IngestOptions, read_document

NOTICE = """關於加強節約能源工作的通知

各縣市政府：
為落實節約能源政策，請各單位依照本通知辦理，並於每季結束後報告執行情形。相關經費由各單位年度預算支應。

經濟部能源局
2016年9月1日
"""


def test_values_are_cut_from_the_original_line() -> None:
    pairs = [("经济部能源局", "經濟部能源局"), ("财政部", "財政部")]
    assert in_own_script("经济部能源局", pairs) == "經濟部能源局"
    assert in_own_script("能源局", pairs) == "能源局"
    assert in_own_script("财政部、经济部能源局", pairs) == "財政部、經濟部能源局"  # a joint list, part by part
    assert in_own_script("国务院", pairs) == "国务院"  # not in any line: left as read


def test_traditional_notice_keeps_its_issuer_unless_asked_to_convert(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    doc = read_document(path)
    assert doc.meta["script"] == "traditional"
    assert doc.meta["issuer"] == "經濟部能源局" and doc.meta["date"] == "2016-09-01"
    converted = read_document(path, IngestOptions(to_simplified=True))
    assert converted.meta["issuer"] == "经济部能源局" and converted.title.startswith("关于加强节约能源")
