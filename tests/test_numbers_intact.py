"""Numbers survive cleaning: on the government work reports (Wikisource's subscripts, the 1998
report's spaced digits) and the demo PDF (a number cut by the page width), plus the cases that
must not be joined (table cells, list items, short lines)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import REPO, shared_path

from corpus_tool.reading.document import IngestOptions
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.reading.repair import clean_text
from corpus_tool.reading.textlayout import layout_text
from corpus_tool.store.db import CorpusDB

REPORTS = ("data", "policy_corpus", "gov_work_reports_wikisource_1954_2025", "txt")
FILES = {2019: "wks_gov_011_2019年中华人民共和国国务院政府工作报告.txt",
         2017: "wks_gov_015_2017年中华人民共和国国务院政府工作报告.txt",
         2014: "wks_gov_021_2014年中华人民共和国国务院政府工作报告.txt",
         1998: "wks_gov_045_1998年中华人民共和国国务院政府工作报告.txt"}
DEMO_PDF = REPO / "corpora" / "demo" / "2023_示例省关于推进数实融合的通知.pdf"


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> dict[object, dict]:
    txt = shared_path(*REPORTS)
    db = tmp_path_factory.mktemp("numbers") / "c.duckdb"
    paths = {year: txt / name for year, name in FILES.items()} | {"demo": DEMO_PDF}
    summary = ingest_paths(list(paths.values()), db, options=IngestOptions(timeout=None))
    assert summary.failed == 0, summary.errors
    with CorpusDB(db, read_only=True) as store:
        paras = store.query("SELECT d.source_path, p.text FROM paragraphs p JOIN documents d USING (doc_id) "
                            "ORDER BY d.source_path, p.para_no")
        log = store.query("SELECT d.source_path, l.step, l.count, l.detail FROM log l JOIN documents d USING (doc_id)")
    out = {}
    for key, path in paths.items():
        raw = path.read_text("utf-8") if path.suffix == ".txt" else ""
        out[key] = {"raw": raw, "paras": list(paras[paras.source_path == str(path)].text),
                    "log": log[log.source_path == str(path)]}
    return out


def _steps(log: pd.DataFrame) -> dict[str, int]:
    return dict(zip(log.step, log["count"], strict=True))


@pytest.mark.parametrize("year", [2019, 2017, 2014])
def test_m2_keeps_its_subscript_and_its_sentence(stored: dict, year: int) -> None:
    doc = stored[year]
    text = "\n".join(doc["paras"])
    cut = len(re.findall(r"货币M\n2\n", doc["raw"]))  # Wikisource sets the subscript on a line of its own
    assert cut >= 1
    assert text.count("货币M2") == cut and "M 2" not in text
    assert "page_numbers_removed" not in _steps(doc["log"])
    # The sentence stays one paragraph: what follows the subscript is in the paragraph of 货币M2.
    for m in re.finditer(r"货币M\n2\n(.{6})", doc["raw"]):
        assert any("货币M2" + m.group(1) in p for p in doc["paras"]), m.group(1)


def test_1998_spaced_digits_are_joined(stored: dict) -> None:
    doc = stored[1998]
    text = "\n".join(doc["paras"])
    assert "1 9 9" not in text
    assert "1998年" in text and "1993年3月" in text and "22.4万件" in text and "74772亿元" in text
    assert not re.search(r"\d[ \u3000]\d[ \u3000]?[年月日%％‰万亿元]", text)
    spaced = len(re.findall(r"(?<![\d.．])\d(?: \d)+ ?(?:[．.] ?\d(?: \d)*)? ?[年月日%％‰万亿元]", doc["raw"]))
    assert _steps(doc["log"])["spaced_digits"] >= spaced > 30  # every join is counted in the cleaning log


def test_demo_pdf_year_cut_by_the_page_width(stored: dict) -> None:
    text = "\n".join(stored["demo"]["paras"])
    assert "到2025年建成" in text and "2 025" not in text
    assert "numbers joined across a line break" in " ".join(stored["demo"]["log"].detail)


@pytest.mark.parametrize(("raw", "clean"), [
    ("总计\n1445\n555\n1600", "总计1445 555 1600"),  # table cells, one per line: separate numbers
    ("共 2 3 项", "共2 3项"),  # single digits before a counter: list items, not one number
    ("大贡献！\n附件1\n2026年省政府工作报告", "大贡献！附件1 2026年省政府工作报告"),  # a short line, not a wrap
    ("数字孪生（BG\n1.信息感知", "数字孪生（BG 1.信息感知"),  # a list number
    ("see page\n2019 and", "see page 2019 and"),  # Latin text keeps its space
    ("细颗粒物（PM\n2.5\n）浓度下降", "细颗粒物（PM2.5）浓度下降"),
    ("下降到1 0 ．0 6 ‰。", "下降到10.06‰。"),
])
def test_what_is_joined_and_what_is_not(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_a_bare_number_in_unwrapped_text_is_not_a_page_number() -> None:
    paragraph = "稳健的货币政策要松紧适度，保持流动性合理充裕。" * 4
    rest = "和社会融资规模增速要与国内生产总值名义增速相匹配。"
    lines = [paragraph] * 6 + ["今年广义货币M", "2", rest] + [paragraph] * 6
    blocks, log, _ = layout_text("\n".join(lines))
    assert log == []
    assert any("M\n2\n和社会" in b.text for b in blocks)
    # Set off by blank lines, the same number is a page number even in unwrapped text.
    lines = [paragraph] * 6 + ["今年广义货币", "", "2", "", "和社会融资规模增速要与国内生产总值名义增速相匹配。"]
    _, log, _ = layout_text("\n".join(lines))
    assert [e.step for e in log] == ["page_numbers_removed"]
