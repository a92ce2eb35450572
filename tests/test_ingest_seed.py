"""The seed article, ingested as text end to end through the CLI (issue 2, item 1)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from corpus_tool.cli import app
from corpus_tool.store.db import CorpusDB

runner = CliRunner()


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    db = tmp_path_factory.mktemp("seed") / "corpus.duckdb"
    result = runner.invoke(app, ["ingest", str(seed_path), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def units(seed_db: Path) -> pd.DataFrame:
    with CorpusDB(seed_db, read_only=True) as store:
        return store.table("paragraphs")


def test_no_artifacts_left(units: pd.DataFrame) -> None:
    text = "".join(units.text)
    assert not re.search("[\ua000-\ua4cf]", text)
    assert not re.search("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]", text)
    assert "«" not in text and "»" not in text and "《" in text
    assert "2024年7月18日" in text


def test_running_header_and_page_number_removed(units: pd.DataFrame) -> None:
    body = "".join(units.text)
    assert "论因地制宜发展新质生产力的核心要义" not in body
    assert "建立健全企业进行产业创新、技术创新的体制机制" in body


def test_no_word_cut_by_a_line_break(units: pd.DataFrame) -> None:
    # 156 in the raw file with whitespace removed, one of them in the running header.
    assert "".join(units.text).count("新质生产力") == 155


def test_abstract_and_keywords(seed_db: Path) -> None:
    with CorpusDB(seed_db, read_only=True) as store:
        doc = store.table("documents").iloc[0]
    assert doc.abstract.startswith("因地制宜发展新质生产力是中国共产党对发展新质生产力的规律性认识。")
    assert doc.abstract.endswith("对于推动地方经济高质量发展具有重要的指导意义。")
    assert doc.keywords.split("；") == ["因地制宜", "新质生产力", "科技创新", "产业创新"]


def test_six_sections_with_full_titles(seed_db: Path) -> None:
    with CorpusDB(seed_db, read_only=True) as store:
        sections = store.table("sections")
    assert list(sections.title) == [
        "一、问题的提出",
        "二、坚持党的领导是因地制宜发展新质生产力的本质论",
        "三、坚持先立后破是因地制宜发展新质生产力的方法论",
        "四、坚持科技创新是因地制宜发展新质生产力的动力论",
        "五、健全体制机制是因地制宜发展新质生产力的制度论",
        "六、坚持走地方特色产业创新和产业发展道路是因地制宜发展新质生产力的价值论",
    ]
    assert set(sections.level) == {1}


def test_every_body_paragraph_belongs_to_a_section(units: pd.DataFrame) -> None:
    body = units[units.field == "body"]
    assert len(body) >= 25
    assert body.section_no.notna().all()
    assert body.text.str.endswith(("。", "”", "？")).all()


def test_citations_structured_and_out_of_the_text(seed_db: Path, units: pd.DataFrame) -> None:
    with CorpusDB(seed_db, read_only=True) as store:
        cites = store.table("citations")
    assert list(cites.number) == list(range(1, 22))
    pages = dict(zip(cites.number, cites.page, strict=True))
    assert pages[1] == "10" and pages[6] == "436" and pages[11] == "287" and pages[19] == "682"
    assert pages[2] is None or pd.isna(pages[2])
    assert not units.text.str.contains(r"\[\d").any()
    # A citation points at the paragraph it stood in.
    first = units.set_index("para_no").loc[int(cites.iloc[0].para_no)].text
    assert first.startswith("2024年7月18日")


def test_cleaning_log_records_every_repair(seed_db: Path) -> None:
    with CorpusDB(seed_db, read_only=True) as store:
        log = store.table("log")
    counts = dict(zip(log.step, log["count"], strict=True))
    assert counts["gbk_as_unicode"] == 319 + 191 + 15
    assert counts["page_numbers_removed"] == 1
    assert counts["running_header_removed"] == 1
    assert counts["citations_extracted"] == 21


def test_ingesting_the_cleaned_text_changes_nothing(
    seed_db: Path, units: pd.DataFrame, tmp_path: Path
) -> None:
    cleaned = tmp_path / "cleaned.txt"
    with CorpusDB(seed_db, read_only=True) as store:
        doc = store.table("documents").iloc[0]
    lines = []
    for row in units.itertuples():
        if row.field == "abstract":
            lines.append(f"摘要：{row.text}")
        elif row.field == "keywords":
            lines.append(f"关键词：{row.text}")
        else:
            lines.append(row.text)
    cleaned.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db2 = tmp_path / "again.duckdb"
    result = runner.invoke(app, ["ingest", str(cleaned), "--db", str(db2), "--quiet"])
    assert result.exit_code == 0, result.output
    with CorpusDB(db2, read_only=True) as store:
        again = store.table("paragraphs")
        doc2 = store.table("documents").iloc[0]
        log2 = store.table("log")
    assert list(again.text) == list(units.text)
    assert list(again.field) == list(units.field)
    assert doc2.abstract == doc.abstract and doc2.keywords == doc.keywords
    assert log2.empty, log2


def test_show_and_export(seed_db: Path, tmp_path: Path) -> None:
    with CorpusDB(seed_db, read_only=True) as store:
        doc_id = store.doc_ids()[0]
    result = runner.invoke(app, ["show", doc_id[:8], "--db", str(seed_db)])
    assert result.exit_code == 0, result.output
    assert "六、坚持走地方特色产业创新和产业发展道路是因地制宜发展新质生产力的价值论" in result.output
    out = tmp_path / "paragraphs.csv"
    result = runner.invoke(app, ["export", "paragraphs", "--db", str(seed_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(out, encoding="utf-8-sig")
    assert list(back.columns[:5]) == ["doc_id", "para_no", "section_no", "section_title", "text"]
    assert (out.parent / "paragraphs.csv.run.json").exists()
