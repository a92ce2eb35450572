"""Mixed scripts in one corpus: the government work reports hold traditional-script documents (1923,
1954) and a simplified report with traditional passages (1957). By default ``segment`` gives their
tokens in simplified characters, so 發展 is counted with 发展; ``--keep-script`` opts out, with a warning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import shared_path
from typer.testing import CliRunner

from corpus_tool.cli import app
from corpus_tool.reading.document import IngestOptions
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.store.db import CorpusDB

runner = CliRunner()
REPORTS = ("data", "policy_corpus", "gov_work_reports_wikisource_1954_2025", "txt")
NAMES = ("wks_cpc_002_陈独秀在中国共产党第三次全国代表大会上的报告.txt",
         "wks_gov_071_1954年中华人民共和国国务院政府工作报告.txt",
         "wks_gov_068_1957年中华人民共和国国务院政府工作报告.txt",
         "wks_gov_002_2024年中华人民共和国国务院政府工作报告.txt")
TRADITIONAL = ("發展", "我們", "這些", "經濟", "國家")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    txt = shared_path(*REPORTS)
    db = tmp_path_factory.mktemp("script") / "c.duckdb"
    summary = ingest_paths([txt / n for n in NAMES], db, options=IngestOptions(timeout=None))
    assert summary.failed == 0
    return db


def _segment(db: Path, tmp: Path, *args: str) -> tuple[object, dict[str, int], dict]:
    copy = tmp / db.name
    shutil.copy(db, copy)
    result = runner.invoke(app, ["segment", "--db", str(copy), *args])
    with CorpusDB(copy, read_only=True) as store:
        counts = dict(store.con.execute(
            "SELECT token, count(*) FROM tokens WHERE token IN ('发展', '我们', " + ", ".join(
                f"'{t}'" for t in TRADITIONAL) + ") GROUP BY token").fetchall())
        settings = json.loads(store.con.execute("SELECT settings FROM segmentations WHERE current").fetchone()[0])
        run = json.loads(store.con.execute("SELECT summary FROM runs WHERE command = 'segment'").fetchone()[0])
    return result, counts, {"settings": settings, "run": run}


def test_traditional_text_is_segmented_in_simplified_by_default(ingested: Path, tmp_path: Path) -> None:
    with CorpusDB(ingested, read_only=True) as store:
        scripts = dict(store.con.execute("SELECT script, count(*) FROM documents GROUP BY script").fetchall())
    assert scripts == {"traditional": 2, "simplified": 2}  # detected at ingest; 1957 is mostly simplified
    result, counts, record = _segment(ingested, tmp_path)
    assert result.exit_code == 0, result.output
    assert not any(t in counts for t in TRADITIONAL), counts  # no 發展 beside 发展
    assert counts["发展"] > 0 and counts["我们"] > 0
    assert record["settings"]["to_simplified"] is True
    converted = record["run"]["converted_to_simplified"]
    assert converted["documents"] == 3 and converted["paragraphs"] > 0  # the two traditional ones and 1957
    assert record["run"]["scripts"] == {"simplified": 2, "traditional": 2}
    assert "繁体转简体" in result.output


def test_keep_script_keeps_traditional_tokens_and_warns(ingested: Path, tmp_path: Path) -> None:
    (tmp_path / "default").mkdir()
    default = _segment(ingested, tmp_path / "default")[1]
    result, counts, record = _segment(ingested, tmp_path, "--keep-script")
    assert result.exit_code == 0, result.output
    # Counted apart: the traditional form takes (nearly all of) what the default counts as 发展.
    assert counts["發展"] > 0 and counts["发展"] + counts["發展"] >= 0.98 * default["发展"] > counts["发展"]
    assert record["settings"]["to_simplified"] is False and record["run"]["kept_traditional"] == 2
    assert "--keep-script" in result.output and "發展" in result.output


def test_token_offsets_point_into_the_stored_traditional_text(ingested: Path, tmp_path: Path) -> None:
    copy = tmp_path / "c.duckdb"
    shutil.copy(ingested, copy)
    assert runner.invoke(app, ["segment", "--db", str(copy)]).exit_code == 0
    with CorpusDB(copy, read_only=True) as store:
        rows = store.con.execute(
            "SELECT p.text, t.token, t.start FROM tokens t JOIN paragraphs p USING (doc_id, para_no) "
            "WHERE t.token = '发展' AND p.text LIKE '%發展%' LIMIT 20").fetchall()
    assert rows
    assert all(text[start:start + 2] in ("發展", "发展") for text, _, start in rows)
