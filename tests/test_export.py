"""Exports: CSV with BOM, XLSX, Parquet by suffix, Chinese headers, deterministic bytes, run records, methods."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from test_analyse_corpora import seed_db

from corpus_tool.analyse.coding import code_corpus, starter_dictionary_path
from corpus_tool.analyse.keywords import keywords
from corpus_tool.export.headers import ZH_HEADERS, zh_headers
from corpus_tool.export.methods import load_record, methods_text
from corpus_tool.export.runrecord import command_line, record_path
from corpus_tool.export.save import companion_path, save_result
from corpus_tool.export.tables import ExportFormatError, write_table


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_db(tmp_path_factory)


@pytest.fixture(scope="module")
def result(seed: Path):
    return keywords(seed, method="tfidf", top=30)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_tables_round_trip_and_are_byte_identical(tmp_path: Path, seed: Path, result, suffix: str) -> None:
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    save_result(result, first)
    save_result(keywords(seed, method="tfidf", top=30), second)  # a second, independent run
    assert first.read_bytes() == second.read_bytes()
    if suffix == ".csv":
        assert first.read_bytes().startswith(b"\xef\xbb\xbf")
        back = pd.read_csv(first, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(first, read_only=True).active
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0]) == list(result.table.columns)
        back = pd.read_excel(first)
    else:
        back = pd.read_parquet(first)
    assert list(back.columns) == list(result.table.columns)
    assert back["term"].tolist() == result.table["term"].tolist()
    assert back["score"].to_numpy() == pytest.approx(result.table["score"].to_numpy(), rel=1e-5)


def test_run_record_has_the_provenance(tmp_path: Path, result) -> None:
    out = tmp_path / "kw.csv"
    save_result(result, out, command_line="corpus-tool keywords --out kw.csv")
    record = json.loads(record_path(out).read_text("utf-8"))
    for key in ("version", "command", "command_line", "parameters", "corpus", "segmentation", "seeds", "python",
                "platform", "time", "outputs"):
        assert key in record, key
    assert record["corpus"]["fingerprint"] and record["corpus"]["documents"] == 1
    seg = record["segmentation"]
    assert seg["segmenter"] and seg["engine_version"] and seg["seg_id"]
    assert "lexicon" in seg["file_hashes"]  # the shipped policy lexicon, by content hash
    assert record["parameters"]["token_filter"]["keep_stopwords"] is False
    import hashlib

    assert record["outputs"]["kw.csv"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_zh_headers(tmp_path: Path, result) -> None:
    out = tmp_path / "kw.csv"
    save_result(result, out, zh=True)
    header = out.read_text("utf-8-sig").splitlines()[0].split(",")
    assert header == [ZH_HEADERS.get(c, c) for c in result.table.columns]
    assert "词语" in header and "得分" in header
    record = json.loads(record_path(out).read_text("utf-8"))
    assert record["headers"]["kw.csv"]["term"] == "词语"
    assert zh_headers(["unknown_manifest_field"]) == {}


def test_coding_writes_evidence_beside_the_counts(tmp_path: Path, seed: Path) -> None:
    coded = code_corpus(seed, starter_dictionary_path())
    out = tmp_path / "codes.xlsx"
    paths = save_result(coded, out)
    evidence = companion_path(out, "evidence")
    assert evidence in paths and evidence.name == "codes.evidence.xlsx"
    assert len(pd.read_excel(evidence)) == coded.table["matches"].sum()
    record = json.loads(record_path(out).read_text("utf-8"))
    assert set(record["outputs"]) == {"codes.xlsx", "codes.evidence.xlsx"}
    assert record["parameters"]["dictionary"]["sha256"]


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportFormatError):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "x.txt")


def test_methods_paragraph_in_both_languages(tmp_path: Path, seed: Path) -> None:
    out = tmp_path / "kw.csv"
    save_result(keywords(seed, method="textrank", top=10), out,
                command_line=command_line("keywords", [], {"method": "textrank", "out": "kw.csv"}))
    record = load_record(record_path(out))
    text = methods_text(record)
    zh, en = text.split("\n\n")
    assert "TextRank" in zh and "分词" in zh and "语料指纹" in zh
    assert "TextRank" in en and record["corpus"]["fingerprint"] in en
    assert record["segmentation"]["engine_version"] in en
    assert "corpus-tool keywords --method textrank --out kw.csv" in en
    assert methods_text(record, "en") == en
    bad = tmp_path / "x.json"
    bad.write_text("{}", "utf-8")
    with pytest.raises(ValueError, match="run record"):
        load_record(bad)


def test_methods_paragraph_says_how_much_text_ocr_read(tmp_path: Path, seed: Path) -> None:
    out = tmp_path / "kw.csv"
    save_result(keywords(seed, method="textrank", top=10), out,
                command_line=command_line("keywords", [], {"method": "textrank", "out": "kw.csv"}))
    record = load_record(record_path(out))
    assert "ocr_paragraphs" not in record["corpus"] and "OCR" not in methods_text(record)  # text files: no OCR
    record["corpus"].update(paragraphs=40, ocr_paragraphs=12, ocr_pages=3, ocr_documents=1, ocr_confidence=86.5)
    zh, en = methods_text(record).split("\n\n")
    assert "12 of its 40 paragraphs (3 pages of 1 document(s)) were read from page images by OCR" in en
    assert "mean word confidence 86.5" in en
    assert "40 个段落中有 12 个（1 篇文档的 3 页）由 OCR 从页面图像识别" in zh
    assert "replaced by the reading" not in en and "统一" not in zh  # no vote made: nothing said of one
    record["corpus"].update(ocr_unified=16, ocr_unresolved=1)
    zh, en = methods_text(record).split("\n\n")
    assert "16 characters that OCR read as no word were replaced by the reading the same document gives" in en
    assert "1 word(s) read a different way each time were left as read" in en
    assert "其中 16 处不成词的识别结果按同一文档中该词的其他读法统一" in zh
    assert "〔公式〕" not in en + zh  # no formula removed: none said
    record["corpus"].update(formulas=16)
    zh, en = methods_text(record).split("\n\n")
    assert "16 display formulas were removed from the text, each marked 〔公式〕" in en
    assert "16 处独立公式未收录为文本，文中以〔公式〕标出" in zh


def test_xlsx_bytes_do_not_depend_on_the_clock(tmp_path: Path) -> None:
    import time

    df = pd.DataFrame({"term": ["新质生产力", "发展"], "score": [0.5, 0.25]})
    write_table(df, tmp_path / "a.xlsx")
    time.sleep(1.1)  # openpyxl stamps the save time to the second
    write_table(df, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_methods_names_the_text_fields_whenever_one_is_left_out() -> None:
    from corpus_tool.analyse.options import TEXT_FIELDS
    from corpus_tool.export.methods import _filters_en, _filters_zh

    without_captions = [f for f in TEXT_FIELDS if f != "caption"]
    assert "text fields title, abstract, keywords, heading, body" in _filters_en({"fields": without_captions})
    assert "文本字段 title、abstract" in _filters_zh({"fields": without_captions})
    assert "text fields" not in _filters_en({"fields": list(TEXT_FIELDS)})  # all of them: nothing to say
