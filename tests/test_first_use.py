"""A new user's first hour: misnamed and unsupported files, bad paths, scripts without the __main__ guard,
the pyplot idiom, readable help. Each through the real CLI or a real script in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "demo"


def run(args: list[str], cwd: Path, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": str(REPO), **env}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=environ)


def cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "corpus_tool", *args], cwd, **env)


def _folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.txt").write_text("关于推进改革的意见\n\n深化改革，扩大开放。\n", encoding="utf-8")
    (docs / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    (docs / "slides.pptx").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    (docs / "page.pdf").write_text("<!DOCTYPE html><html><body>通知</body></html>", encoding="utf-8")
    (docs / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    return docs


def test_unsupported_and_misnamed_files_are_reported_with_a_way_forward(tmp_path: Path) -> None:
    docs = _folder(tmp_path)
    r = cli("ingest", str(docs), "-q", cwd=tmp_path)
    assert r.returncode == 1  # page.pdf failed; the rest went on
    assert "2 个不支持的文件 unsupported files (.doc ×1, .pptx ×1)" in r.stderr
    assert "old.doc" in r.stderr and "slides.pptx" in r.stderr and ".DS_Store" not in r.stderr
    assert "save .doc/.wps as .docx or PDF" in r.stderr
    assert "it is an HTML page: rename it .html" in r.stderr
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    summary = con.execute("SELECT summary FROM runs WHERE command = 'ingest'").fetchone()[0]
    assert '"unsupported": {".doc": 1, ".pptx": 1}' in summary  # the run record says what was passed over
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    con.close()


def test_named_old_office_file_says_how_to_convert(tmp_path: Path) -> None:
    docs = _folder(tmp_path)
    r = cli("ingest", str(docs / "old.doc"), "-q", cwd=tmp_path)
    assert r.returncode == 1 and "old Office file" in r.stderr and "save it as .docx or PDF" in r.stderr


def test_bad_paths_exit_2_and_leave_no_database(tmp_path: Path) -> None:
    r = cli("ingest", "/no/such/folder", cwd=tmp_path)
    assert r.returncode == 2 and "no such file or folder" in r.stderr
    (tmp_path / "empty").mkdir()
    r = cli("ingest", "empty", "--db", "e.duckdb", cwd=tmp_path)
    assert r.returncode == 2 and "no supported files" in r.stderr
    assert not list(tmp_path.glob("*.duckdb*"))


def test_script_without_main_guard_gets_the_fix_and_nothing_sticks(tmp_path: Path) -> None:
    script = tmp_path / "noguard.py"
    script.write_text(textwrap.dedent(f"""
        import corpus_tool as ct
        c = ct.ingest([{str(DEMO)!r}], db="ng.duckdb", jobs=2)
    """), encoding="utf-8")
    r = run([sys.executable, str(script)], tmp_path)
    assert r.returncode != 0
    assert 'if __name__ == "__main__":' in r.stderr and "MissingMainGuardError" in r.stderr
    guarded = tmp_path / "guarded.py"
    guarded.write_text(textwrap.dedent(f"""
        import corpus_tool as ct
        if __name__ == "__main__":
            c = ct.ingest([{str(DEMO)!r}], db="ng.duckdb", jobs=2)
            print(c.last_ingest.ingested, c.last_ingest.failed_before)
    """), encoding="utf-8")
    r = run([sys.executable, str(guarded)], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["4", "0"]  # the pool breakdown was not cached as a property of the files


def test_pyplot_idiom_saves_the_figure_in_a_script(tmp_path: Path) -> None:
    script = tmp_path / "plots.py"
    script.write_text(textwrap.dedent(f"""
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np
        import corpus_tool as ct
        if __name__ == "__main__":
            c = ct.ingest([{str(DEMO)!r}], db="p.duckdb")
            c.segment()
            c.freq(top=10).plot()
            plt.savefig("fig.png")
            img = plt.imread("fig.png")
            print(float((img[..., :3] < 0.9).mean()))
    """), encoding="utf-8")
    r = run([sys.executable, str(script)], tmp_path)
    assert r.returncode == 0, r.stderr
    assert float(r.stdout.split()[-1]) > 0.02  # ink on the page: bars and labels, not a blank figure


def test_help_wraps_instead_of_cutting_at_80_columns(tmp_path: Path) -> None:
    r = cli("ingest", "--help", cwd=tmp_path, COLUMNS="80")
    assert r.returncode == 0
    assert "…" not in r.stdout and "--near-duplicate-threshold" in r.stdout
    assert cli("-h", cwd=tmp_path).returncode == 0
    version = cli("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("corpus-tool ")


def test_doctor_names_what_a_bug_report_needs(tmp_path: Path) -> None:
    r = cli("doctor", cwd=tmp_path)
    assert r.returncode == 0
    for item in ("corpus-tool", "duckdb", "pdfplumber", "jieba", "plot font", "OCR"):
        assert item in r.stdout


def test_every_analysis_prints_a_table_without_out(tmp_path: Path) -> None:
    assert cli("ingest", str(DEMO), "-q", cwd=tmp_path).returncode == 0
    assert cli("segment", cwd=tmp_path).returncode == 0
    before = set(tmp_path.iterdir())
    commands = {
        ("freq", "--top", "5"): "frequency",
        ("keywords", "--by", "corpus", "--top", "5"): "score",
        ("keyness", "--target", "year >= 2025", "--min-freq", "1"): "term",
        ("ngrams", "--top", "5"): "ngram",
        ("collocations", "--node", "新质生产力", "--min-freq", "1", "--window", "5"): "log_likelihood",
        ("kwic", "新质生产力"): "match",
        ("code", "--dictionary", "starter", "--by", "corpus"): "category",
        ("topics", "--k", "2", "--seeds", "1", "--bootstrap", "0", "--unit", "paragraph", "--no-cv"): "NPMI",
    }
    for args, header in commands.items():
        r = cli(*args, cwd=tmp_path, COLUMNS="160")
        assert r.returncode == 0, (args, r.stderr[-1500:])
        assert header in r.stdout, (args, r.stdout[:1500])
        assert "--out" in r.stdout and "Traceback" not in r.stderr
    assert set(tmp_path.iterdir()) == before  # a quick look writes no files


def test_show_finds_a_document_by_name_title_or_manifest_value(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,wid\n2025_示例市政府工作报告.txt,wks_gov_2025\n", encoding="utf-8")
    assert cli("ingest", str(DEMO), "--metadata", str(manifest), "-q", cwd=tmp_path).returncode == 0
    for query in ("2025_示例市政府工作报告.txt", "2025_示例市政府工作报告", "wks_gov_2025",
                  str(DEMO / "2025_示例市政府工作报告.txt")):
        r = cli("show", query, cwd=tmp_path)
        assert r.returncode == 0, (query, r.stderr)
        assert "title: 示例市2025年政府工作报告" in r.stdout
    several = cli("show", "示例", cwd=tmp_path)
    assert several.returncode == 1 and "2 documents match" in several.stderr
    assert "示例市2025年政府工作报告" in several.stderr and "数实融合" in several.stderr


def test_documents_export_opens_well_in_excel(tmp_path: Path) -> None:
    import openpyxl

    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,wid,类别\n2025_示例市政府工作报告.txt,wks_gov_2025,报告\n", encoding="utf-8")
    assert cli("ingest", str(DEMO), "--metadata", str(manifest), "-q", cwd=tmp_path).returncode == 0
    assert cli("export", "documents", "--out", "docs.xlsx", cwd=tmp_path).returncode == 0
    ws = openpyxl.load_workbook(tmp_path / "docs.xlsx").active
    header = [c.value for c in ws[1]]
    assert "fields" not in header and {"fields.wid", "fields.类别"} <= set(header)  # manifest columns, unpacked
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[header.index("fields.wid")])
    assert row[header.index("fields.类别")] == "报告"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.column_dimensions["C"].width > 13  # the title column is as wide as its titles


def test_command_line_starts_without_the_analysis_libraries(tmp_path: Path) -> None:
    """`--help` and the parsing of every command import no pandas, scipy, sklearn or pdfplumber: those load
    when a command runs (the time it saves is measured in benchmarks/startup.py)."""
    probe = ("import sys, corpus_tool.cli; "
             "print(sorted(m for m in ('pandas', 'scipy', 'sklearn', 'pdfplumber', 'gensim', 'matplotlib', 'jieba') "
             "if m in sys.modules))")
    r = run([sys.executable, "-c", probe], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_cli_choices_match_the_code_they_stand_for() -> None:
    from corpus_tool.analyse.options import DEFAULT_TOPIC_POS, TEXT_FIELDS, TOPIC_MODELS
    from corpus_tool.analyse.topics.models import MODELS
    from corpus_tool.analyse.topics.units import DEFAULT_POS
    from corpus_tool.analyse.units import TEXT_FIELDS as UNIT_FIELDS

    assert tuple(MODELS) == TOPIC_MODELS and DEFAULT_POS == DEFAULT_TOPIC_POS and UNIT_FIELDS == TEXT_FIELDS


def test_xlsx_manifest_and_shadowed_field_hint(tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["file", "year", "doc_type", "published"])
    sheet.append(["2025_示例市政府工作报告.txt", 2030, "gov_work_report", dt.datetime(2025, 1, 20)])
    book.save(tmp_path / "manifest.xlsx")
    r = cli("ingest", str(DEMO), "--metadata", str(tmp_path / "manifest.xlsx"), "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    year, fields = con.execute("SELECT year, CAST(fields AS VARCHAR) FROM documents "
                               "WHERE source_path LIKE '%2025_示例市%'").fetchone()
    con.close()
    assert year == 2030 and '"published":"2025-01-20"' in fields.replace(" ", "")  # the manifest wins; dates as dates
    assert cli("segment", cwd=tmp_path).returncode == 0
    r = cli("freq", "--where", "doc_type = gov_work_report", cwd=tmp_path)
    assert r.returncode == 2 and "fields.doc_type" in r.stderr  # the built-in doc_type was read: say so
    r = cli("freq", "--where", "fields.doc_type = gov_work_report", "--top", "3", cwd=tmp_path)
    assert r.returncode == 0, r.stderr


def test_documents_added_after_segment_are_not_counted_silently(tmp_path: Path) -> None:
    first = tmp_path / "first"
    first.mkdir()
    (first / "a.txt").write_text("关于推进改革的意见\n\n深化改革，扩大开放。\n", encoding="utf-8")
    assert cli("ingest", str(first), "-q", cwd=tmp_path).returncode == 0
    assert cli("segment", cwd=tmp_path).returncode == 0
    r = cli("ingest", str(DEMO), "-q", cwd=tmp_path)
    assert r.returncode == 0 and "run `corpus-tool segment` again" in r.stderr
    r = cli("freq", "--top", "3", cwd=tmp_path)  # an analysis refuses to count them without tokens
    assert r.returncode == 2 and "have no tokens" in r.stderr
