"""The analysis commands end to end through the CLI, as a researcher would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from test_analyse_corpora import reports_db, seed_db
from typer.testing import CliRunner

from corpus_tool.cli import app
from corpus_tool.reading.pipeline import ingest_paths

runner = CliRunner()


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_db(tmp_path_factory)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reports_db(tmp_path_factory)


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_keywords_with_reference_then_methods(tmp_path: Path, seed: Path, reports: Path) -> None:
    out = tmp_path / "kw.csv"
    run(
        "keywords",
        "--db",
        str(seed),
        "--reference",
        str(reports),
        "--reference-where",
        "fields.doc_type = gov_work_report",
        "--top",
        "30",
        "--out",
        str(out),
    )
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert {"新质生产力", "先立后破", "科技创新", "产业创新", "因地制宜"} <= set(table["term"])
    record = json.loads((tmp_path / "kw.csv.run.json").read_text("utf-8"))
    assert record["command_line"].startswith("corpus-tool keywords --db ")
    assert "--reference-where 'fields.doc_type = gov_work_report'" in record["command_line"]
    text = run("methods", str(tmp_path / "kw.csv.run.json"))
    assert "TF-IDF" in text and "参照语料" in text


def test_same_command_twice_gives_identical_files(tmp_path: Path, reports: Path) -> None:
    for name in ("a", "b"):
        run(
            "keyness",
            "--db",
            str(reports),
            "--target",
            "year >= 2018",
            "--where",
            "fields.doc_type = gov_work_report",
            "--out",
            str(tmp_path / f"{name}.xlsx"),
            "--zh-headers",
        )
        run("collocations", "--db", str(reports), "--top", "200", "--out", str(tmp_path / f"{name}.parquet"))
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    top50 = pd.read_excel(tmp_path / "a.xlsx").head(50)
    assert "高质量发展" in set(top50["词语"])


def test_kwic_code_freq_ngrams(tmp_path: Path, seed: Path) -> None:
    run("kwic", "先立后破", "--db", str(seed), "--out", str(tmp_path / "k.csv"))
    assert len(pd.read_csv(tmp_path / "k.csv", encoding="utf-8-sig")) == 13
    run("code", "--dictionary", "starter", "--db", str(seed), "--out", str(tmp_path / "c.csv"))
    counts = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig")
    evidence = pd.read_csv(tmp_path / "c.evidence.csv", encoding="utf-8-sig")
    assert counts["matches"].sum() == len(evidence)
    run("freq", "--db", str(seed), "--top", "5", "--out", str(tmp_path / "f.csv"))
    assert pd.read_csv(tmp_path / "f.csv", encoding="utf-8-sig")["term"].iloc[0]
    run("ngrams", "--db", str(seed), "--n", "3", "--out", str(tmp_path / "n.csv"))
    ngrams = pd.read_csv(tmp_path / "n.csv", encoding="utf-8-sig")
    assert (ngrams["ngram"].str.count(" ") == 2).all() and (ngrams["frequency"] >= 2).all()


def test_clear_errors(tmp_path: Path, seed: Path) -> None:
    raw = tmp_path / "raw.duckdb"
    from conftest import shared_path

    ingest_paths([shared_path("seed", "000_dad38d6db3becc45.txt")], raw)
    result = runner.invoke(app, ["keywords", "--db", str(raw), "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "corpus-tool segment" in result.output
    result = runner.invoke(
        app, ["keyness", "--db", str(seed), "--target", "yeer >= 2018", "--out", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 2 and "unknown field" in result.output
    result = runner.invoke(app, ["freq", "--db", str(seed), "--out", str(tmp_path / "x.txt")])
    assert result.exit_code == 2 and ".xlsx" in result.output
    assert not (tmp_path / "x.csv").exists()
