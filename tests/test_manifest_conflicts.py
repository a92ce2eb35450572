"""The user's manifest against the text, on the government work reports: the manifest's values win,
every disagreement is reported with both values, and ingest says what each manifest matched."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import shared_path
from typer.testing import CliRunner

from corpus_tool.cli import app
from corpus_tool.reading.manifest import fill_standard_fields
from corpus_tool.reading.model import Document
from corpus_tool.store.db import CorpusDB

runner = CliRunner()
REPORTS = ("data", "policy_corpus", "gov_work_reports_wikisource_1954_2025", "txt")
Y2025 = "wks_gov_000_2025年中华人民共和国国务院政府工作报告.txt"
Y2024 = "wks_gov_002_2024年中华人民共和国国务院政府工作报告.txt"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict:
    txt = shared_path(*REPORTS)
    tmp = tmp_path_factory.mktemp("manifest")
    manifest = tmp / "man_year_conflict.csv"
    manifest.write_text(f"file,year,title\n{Y2025},2030,\n{Y2024},2024,2024年中华人民共和国国务院政府工作报告\n"
                        "not_in_the_corpus.txt,2001,某报告\n", "utf-8")
    stale = tmp / "stale.csv"
    stale.write_text("file,year\nold_a.txt,1999\nold_b.txt,2000\n", "utf-8")
    db = tmp / "c.duckdb"
    result = runner.invoke(app, ["ingest", str(txt / Y2025), str(txt / Y2024), "--metadata", str(manifest),
                                 "--metadata", str(stale), "--db", str(db), "-q", "--timeout", "0"])
    out = tmp / "conflicts.csv"
    exported = runner.invoke(app, ["export", "metadata_conflicts", "--db", str(db), "--out", str(out)])
    with CorpusDB(db, read_only=True) as store:
        docs = store.query("SELECT source_path, title, year, sources FROM documents")
    docs.index = docs.source_path.map(lambda p: Path(p).name)
    return {"result": result, "exported": exported, "docs": docs, "conflicts": pd.read_csv(out, dtype=str)}


def test_the_manifest_year_and_title_win(ingested: dict) -> None:
    assert ingested["result"].exit_code == 0, ingested["result"].output
    docs = ingested["docs"]
    assert docs.loc[Y2025, "year"] == 2030  # the text and file name say 2025
    assert docs.loc[Y2024, "title"] == "2024年中华人民共和国国务院政府工作报告"  # the text's first line: 政府工作报告


def test_disagreements_are_recorded_with_both_values(ingested: dict) -> None:
    assert ingested["exported"].exit_code == 0, ingested["exported"].output
    conflicts = ingested["conflicts"]
    conflicts["name"] = conflicts.source_path.map(lambda p: Path(p).name)
    rows = {(r.name, r.field): r for r in conflicts.itertuples()}
    assert set(rows) == {(Y2025, "year"), (Y2024, "title")}
    year = rows[(Y2025, "year")]
    assert (year.manifest_value, year.text_value) == ("2030", "2025")
    assert year.manifest_source == "man_year_conflict.csv line 2"
    assert year.text_source  # where the text's value was read
    title = rows[(Y2024, "title")]
    assert (title.text_value, title.text_source) == ("政府工作报告", "content:标题")
    assert "year 1" in ingested["result"].output and "title 1" in ingested["result"].output


def test_ingest_says_what_each_manifest_matched(ingested: dict) -> None:
    output = ingested["result"].output
    assert "man_year_conflict.csv: 匹配 matched 2 files, 2/3 rows used" in output
    assert "not_in_the_corpus.txt" in output
    assert "stale.csv: 匹配 matched 0 files, 0/2 rows used" in output
    assert "old_a.txt" in output and "old_b.txt" in output


def test_agreeing_values_keep_the_text_as_source_and_dates_agree_across_precision() -> None:
    doc = Document(doc_id="x", source_path="a.txt", fmt="txt", title="关于某事的通知",
                   meta={"date": "2024-03-05", "year": 2024, "sources": {"date": "content:成文日期",
                                                                         "year": "content:成文日期"}})
    row = {"标题": "《关于某事的通知》", "date": "2024", "year": "不详"}
    fill_standard_fields(doc, row, "manifest", "m.csv line 2")
    assert doc.meta["conflicts"] == []
    assert (doc.meta["date"], doc.meta["sources"]["date"]) == ("2024-03-05", "content:成文日期")
    assert [e.step for e in doc.log] == ["metadata_unreadable"]  # 不详 is not a year: said, not dropped
    fill_standard_fields(doc, {"成文日期": "2023年12月1日"}, "manifest", "m.csv line 2")
    assert (doc.meta["date"], doc.meta["year"]) == ("2023-12-01", 2023)  # the user's date gives the year
    assert {c["field"] for c in doc.meta["conflicts"]} == {"date", "year"}


def test_a_manifest_title_names_the_document_type_when_the_text_did_not() -> None:
    doc = Document(doc_id="x", source_path="a.txt", fmt="txt", title="", meta={})
    fill_standard_fields(doc, {"title": "国务院办公厅关于印发某某行动方案的通知"}, "manifest", "m.csv line 2")
    assert (doc.meta["doc_type"], doc.meta["sources"]["doc_type"]) == ("通知", "manifest:标题")
    typed = Document(doc_id="y", source_path="b.txt", fmt="txt", title="",
                     meta={"doc_type": "意见", "sources": {"doc_type": "content:标题"}})
    fill_standard_fields(typed, {"title": "关于某事的通知"}, "manifest", "m.csv line 3")
    assert typed.meta["doc_type"] == "意见"  # what the text said stays
    english = Document(doc_id="z", source_path="c.txt", fmt="txt", title="", meta={})
    fill_standard_fields(english, {"title": "Notice on Issuing the Plan"}, "manifest", "m.csv line 4")
    assert "doc_type" not in english.meta
