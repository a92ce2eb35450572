"""The 〓 a withheld glyph run leaves in the text: its own token, a stopword, never a keyword or a frequency term,
and the document's log names where each one stands (page, paragraph, offset)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from corpus_tool.analyse.frequency import frequencies
from corpus_tool.analyse.keywords import keywords
from corpus_tool.reading.gaps import gap_log
from corpus_tool.reading.model import Document, Unit
from corpus_tool.reading.pdf.chars import GAP
from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.run import segment_corpus
from corpus_tool.segment.stopwords import is_punct
from corpus_tool.store.db import CorpusDB

TEXTS = {"a.txt": ["比较全部合理解的〓和〓X，综合给出最可能的故障〓〓。", "误判风险系数〓越小，故障诊断越可靠。"],
         "b.txt": ["故障诊断系统〓监视发动机状态。"]}


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "g.duckdb"
    with CorpusDB(db) as cdb:
        for name, paras in TEXTS.items():
            doc_id = hashlib.sha256(name.encode()).hexdigest()[:16]
            units = [Unit(para_no=i, field="body", text=t) for i, t in enumerate(paras, 1)]
            cdb.write_document(Document(doc_id=doc_id, source_path=name, fmt="txt", units=units),
                               (name, 1, 0.0, doc_id))
    segment_corpus(db, SegmentSettings())
    return db


def test_gap_mark_is_a_stop_token_of_its_own(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT token, is_stop FROM tokens").fetchall()
    with_gap = [(t, stop) for t, stop in rows if GAP in t]
    assert with_gap and all(set(t) == {GAP} and stop for t, stop in with_gap)  # never glued to 的 or 和
    assert is_punct(GAP)
    words = {t for t, _ in rows}
    assert {"故障", "发动机", "X"} <= words  # the words around it stay words


def test_gap_mark_never_a_keyword_or_counted_term(tmp_path: Path) -> None:
    db = _db(tmp_path)
    for result in (keywords(db, top=50), keywords(db, method="textrank", top=50), frequencies(db)):
        assert not result.table["term"].astype(str).str.contains(GAP).any()


def test_gap_log_names_page_paragraph_and_offset() -> None:
    units = [Unit(para_no=3, field="body", text="偏差向量〓Y变化", page=3),
             Unit(para_no=4, field="body", text="无", page=3), Unit(para_no=5, field="body", text="〓和〓X", page=4)]
    (entry,) = gap_log(units)
    assert entry.step == "withheld_glyph_gaps" and entry.count == 3
    assert entry.detail.endswith("page 3 ¶3 @4; page 4 ¶5 @0; page 4 ¶5 @2")
    assert gap_log([Unit(para_no=1, field="body", text="没有缺字")]) == []


def test_ingest_summary_and_log_table_count_the_gaps_of_a_real_journal(tmp_path: Path) -> None:
    """The aerospace journal's CAJ2PDF symbol glyphs: the batch summary counts its gaps, the stored log lists them."""
    from corpus_tool.reading.pipeline import ingest_paths
    from tests.conftest import shared_path

    db = tmp_path / "j.duckdb"
    summary = ingest_paths([shared_path("data", "pdfs", "real", "journal_aerospace_power_1994.pdf")], db)
    with duckdb.connect(str(db), read_only=True) as con:
        (count, detail), = con.execute("SELECT count, detail FROM log WHERE step = 'withheld_glyph_gaps'").fetchall()
        stored = con.execute("SELECT sum(length(text) - length(replace(text, '〓', ''))) FROM paragraphs").fetchone()[0]
    assert summary.glyph_gaps == count == stored >= 40
    assert "page 4 ¶" in detail and summary.as_dict()["glyph_gaps"] == count
    segment_corpus(db, SegmentSettings())
    result = frequencies(db, top=30)
    assert result.corpus["glyph_gaps"] == count and not result.table["term"].astype(str).str.contains(GAP).any()
    from corpus_tool.export.methods import methods_text
    from corpus_tool.export.runrecord import run_record

    text = methods_text(run_record("frequencies", {}, corpus=result.corpus))
    assert f"{count} places where PDF glyphs" in text and f"PDF 中 {count} 处无可靠 Unicode 映射的字形" in text
