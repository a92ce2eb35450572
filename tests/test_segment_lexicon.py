"""Dictionary and stopword files: validation with line numbers; the shipped lexicon and its provenance."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.build import build_segmenter, resolve
from corpus_tool.segment.lexicon import (
    POLICY_LEXICON,
    WordFileError,
    data_path,
    read_dictionary,
    read_stopwords,
)
from corpus_tool.segment.stopwords import general_stopwords, policy_stopwords, stopword_set
from tests.conftest import shared_path as _shared


def test_dictionary_warnings_carry_line_numbers(tmp_path: Path) -> None:
    f = tmp_path / "d.txt"
    f.write_bytes("\ufeff新质生产力 nz\r\n\r\n先立后破 10\r\n智改数转\r\n先立后破\r\n".encode())
    entries, issues = read_dictionary(f)
    assert [(e.word, e.freq, e.tag) for e in entries] == [
        ("新质生产力", None, "nz"), ("先立后破", 10, None), ("智改数转", None, None), ("先立后破", None, None)]
    text = [str(i) for i in issues]
    assert any(":1: warning: UTF-8 BOM" in t for t in text)
    assert any(":1: warning: CRLF line endings on 5 line(s)" in t for t in text)
    assert any(":2: warning: 1 blank line(s) skipped: 2" in t for t in text)
    assert any(":5: warning: duplicate '先立后破' (first on line 3)" in t for t in text)


def test_malformed_dictionary_lines_are_errors_listed_together(tmp_path: Path) -> None:
    f = tmp_path / "bad.txt"
    f.write_text("新质生产力 nz\n数实融合 很多 nz\n\n双碳 5 nz extra\n", encoding="utf-8")
    with pytest.raises(WordFileError) as ei:
        read_dictionary(f)
    errors = [(i.line, i.severity) for i in ei.value.issues if i.severity == "error"]
    assert errors == [(2, "error"), (4, "error")]
    assert f"{f}:2: error" in str(ei.value) and f"{f}:4: error" in str(ei.value)


def test_undecodable_and_unjoinable_entries(tmp_path: Path) -> None:
    f = tmp_path / "gbk.txt"
    f.write_bytes("新质生产力\n".encode() + "先立后破\n".encode("gbk"))
    with pytest.raises(WordFileError) as ei:
        read_dictionary(f)
    assert [i.line for i in ei.value.issues if i.severity == "error"] == [2]
    g = tmp_path / "punct.txt"
    g.write_text("大众创业、万众创新\n", encoding="utf-8")
    _, issues = read_dictionary(g)
    assert issues[0].line == 1 and "cannot come out as one jieba token" in issues[0].message


def test_stopword_file_validation(tmp_path: Path) -> None:
    f = tmp_path / "s.txt"
    f.write_text("# my list\n的\n\n各地区 各部门\n了\n的\n", encoding="utf-8")
    with pytest.raises(WordFileError) as ei:
        read_stopwords(f)
    assert [i.line for i in ei.value.issues if i.severity == "error"] == [4]
    f.write_text("的\n\n了\n的\n", encoding="utf-8")
    words, issues = read_stopwords(f)
    assert words == ["的", "了", "的"]
    assert sorted(i.line for i in issues) == [2, 4]


def test_malformed_user_dict_stops_resolve(tmp_path: Path) -> None:
    f = tmp_path / "bad.txt"
    f.write_text("新质生产力 x1\n", encoding="utf-8")
    with pytest.raises(WordFileError):
        resolve(SegmentSettings(user_dicts=(str(f),)))


def test_stopwords_general_and_policy() -> None:
    assert len(general_stopwords()) > 500 and {"的", "我们"} <= general_stopwords()
    pol = policy_stopwords()
    assert "为深入贯彻落实" in pol and "各地区各部门" in pol
    assert "为深入贯彻落实" in stopword_set(True, ())
    assert stopword_set(False, ()) == frozenset()


def test_boilerplate_is_one_stop_token() -> None:
    seg = build_segmenter(resolve(SegmentSettings()))
    toks = seg.cut_batch(["为深入贯彻落实党中央决策部署，各地区各部门要因地制宜发展新质生产力。"])[0]
    assert toks[:1] == ["为深入贯彻落实"] and "各地区各部门" in toks and "新质生产力" in toks


def test_shipped_lexicon_size_and_provenance() -> None:
    entries, issues = read_dictionary(data_path(POLICY_LEXICON))
    assert not issues
    words = [e.word for e in entries]
    assert len(words) >= 300 and len(set(words)) == len(words)
    for term in ("新质生产力", "先立后破", "因地制宜", "高质量发展", "新型举国体制", "中国式现代化", "放管服",
                 "专精特新", "双碳", "碳达峰", "智改数转", "数实融合", "僵尸企业"):
        assert term in words
    with open(data_path("policy_lexicon_provenance.csv"), encoding="utf-8") as f:
        prov = {r["term"]: r for r in csv.DictReader(f)}
    assert set(prov) == set(words)
    assert all(int(r["total"]) > 0 and int(r["n_docs"]) > 0 and r["example_doc"] for r in prov.values())


def test_every_lexicon_term_is_attested_in_shared_data() -> None:
    root = _shared("data", "policy_corpus")
    seed = _shared("seed", "000_dad38d6db3becc45.txt").read_text("utf-8")
    seed = seed.translate(str.maketrans({"ꎬ": "，", "ꎮ": "。", "ꎻ": "；"}))
    import re

    texts = [re.sub(r"[ \t\u3000]*\n[\s\u3000]*", "", seed)]
    texts += [p.read_text("utf-8") for p in sorted([*root.glob("*/txt/*.txt"), *root.glob("*/md/**/*.md")])]
    big = "\n".join(texts)
    missing = [e.word for e in read_dictionary(data_path(POLICY_LEXICON))[0] if e.word not in big]
    assert missing == []
