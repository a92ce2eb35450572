"""Segmenting the corpus database end to end: tokens, offsets, re-runs, --jobs, engines, CLI, the seed."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from corpus_tool.cli import app
from corpus_tool.reading.model import Document, Unit
from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.build import build_segmenter, resolve
from corpus_tool.segment.newwords import accept_words, find_new_words
from corpus_tool.segment.run import current_segmentation, segment_corpus
from corpus_tool.store.db import CorpusDB
from tests.conftest import shared_path as _shared

SEED = "000_dad38d6db3becc45.txt"
SEED_TERMS = ("新质生产力", "因地制宜", "先立后破", "科技创新", "产业创新", "高质量发展", "新型举国体制",
              "中国式现代化", "僵尸企业", "智改数转", "数实融合")


def _write_docs(db: Path, docs: dict[str, list[str]]) -> None:
    with CorpusDB(db) as cdb:
        for name, paras in docs.items():
            doc_id = hashlib.sha256(name.encode()).hexdigest()[:16]
            units = [Unit(para_no=i, field="title" if i == 1 else "body", text=t) for i, t in enumerate(paras, 1)]
            cdb.write_document(Document(doc_id=doc_id, source_path=name, fmt="txt", units=units),
                               (name, 1, 0.0, doc_id))


def _tokens(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT doc_id, para_no, position, token, pos, start, is_stop FROM tokens "
            "ORDER BY doc_id, para_no, position").fetchall()


SMALL = {
    "a.txt": ["关于因地制宜发展新质生产力的意见",
              "为深入贯彻落实党中央决策部署，各地区各部门要坚持先立后破，推动“智改数转”和数实融合。",
              "2011-2015年GDP增长7.8%，见 www.gov.cn 。　第二条　清理僵尸企业。"],
    "b.txt": ["新型举国体制", "以科技创新引领产业创新，推进中国式现代化和高质量发展。"],
}


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    db = tmp_path / "c.duckdb"
    _write_docs(db, SMALL)
    return db


def test_tokens_cover_text_with_offsets(small_db: Path) -> None:
    s = segment_corpus(small_db, SegmentSettings(pos=True))
    assert s.status == "segmented" and s.n_docs == 2 and s.n_paragraphs == 5
    rows = _tokens(small_db)
    assert len(rows) == s.n_tokens
    with duckdb.connect(str(small_db), read_only=True) as con:
        texts = {(d, p): t for d, p, t in con.execute("SELECT doc_id, para_no, text FROM paragraphs").fetchall()}
    by_para: dict[tuple, list] = {}
    for doc_id, para_no, position, token, pos, start, is_stop in rows:
        text = texts[(doc_id, para_no)]
        assert text[start:start + len(token)] == token
        assert not token.isspace()
        by_para.setdefault((doc_id, para_no), []).append((position, token, pos, is_stop))
    for key, toks in by_para.items():
        assert [t[0] for t in toks] == list(range(len(toks)))
        # whitespace is the only thing left out
        assert "".join(t[1] for t in toks) == re.sub(r"\s", "", texts[key])
    flat = {t[1]: (t[2], t[3]) for toks in by_para.values() for t in toks}
    for term in ("新质生产力", "先立后破", "智改数转", "数实融合", "僵尸企业", "新型举国体制", "科技创新", "产业创新",
                 "中国式现代化", "高质量发展", "因地制宜"):
        assert term in flat, term
    assert flat["新质生产力"] == ("nz", False)
    assert flat["为深入贯彻落实"][1] is True and flat["，"] == ("x", True)
    assert flat["2011"][0] == "m" and flat["GDP"][0] == "eng" and "2011-2015" not in flat  # jieba's split


def test_rerun_is_noop_and_other_settings_replace(small_db: Path) -> None:
    first = segment_corpus(small_db, SegmentSettings())
    before = _tokens(small_db)
    again = segment_corpus(small_db, SegmentSettings())
    assert again.status == "unchanged" and again.seg_id == first.seg_id and _tokens(small_db) == before
    other = segment_corpus(small_db, SegmentSettings(lexicon=False))
    assert other.status == "segmented" and other.replaced == first.seg_id and other.seg_id != first.seg_id
    cur = current_segmentation(small_db)
    assert cur is not None and cur.seg_id == other.seg_id and cur.settings.lexicon is False
    assert cur.settings.engine and cur.settings.engine_version
    with duckdb.connect(str(small_db), read_only=True) as con:
        segs = dict(con.execute("SELECT seg_id, current FROM segmentations").fetchall())
        runs = [json.loads(r[0]) for r in con.execute("SELECT summary FROM runs WHERE command = 'segment'").fetchall()]
    assert segs == {first.seg_id: False, other.seg_id: True}
    assert [r["status"] for r in runs][-3:] == ["segmented", "unchanged", "segmented"]
    assert runs[-1]["current"] == other.seg_id and runs[-1]["engine"] == other.settings.engine
    assert "新质生产力" not in {r[3] for r in _tokens(small_db)}


def test_dictionary_content_changes_seg_id(small_db: Path, tmp_path: Path) -> None:
    d = tmp_path / "user.txt"
    d.write_text("中国式\n", encoding="utf-8")
    a = resolve(SegmentSettings(user_dicts=(str(d),))).seg_id
    moved = tmp_path / "moved.txt"
    moved.write_text("中国式\n", encoding="utf-8")
    assert resolve(SegmentSettings(user_dicts=(str(moved),))).seg_id == a  # content, not path
    d.write_text("中国式\n数实\n", encoding="utf-8")
    assert resolve(SegmentSettings(user_dicts=(str(d),))).seg_id != a


def test_new_documents_are_added_incrementally(small_db: Path) -> None:
    first = segment_corpus(small_db, SegmentSettings())
    n = len(_tokens(small_db))
    _write_docs(small_db, {"c.txt": ["专精特新企业实现双碳目标。"]})
    upd = segment_corpus(small_db, SegmentSettings())
    assert upd.status == "updated" and upd.seg_id == first.seg_id and upd.n_docs == 1
    assert len(_tokens(small_db)) > n and "专精特新" in {r[3] for r in _tokens(small_db)}
    assert segment_corpus(small_db, SegmentSettings()).status == "unchanged"


def test_jobs_give_identical_tokens(tmp_path: Path) -> None:
    docs = {f"d{i}.txt": [p * (1 + i % 3) for p in SMALL["a.txt"] + SMALL["b.txt"]] for i in range(12)}
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    _write_docs(a, docs)
    _write_docs(b, docs)
    s1 = segment_corpus(a, SegmentSettings(pos=True), jobs=1, chunk_chars=300)
    s2 = segment_corpus(b, SegmentSettings(pos=True), jobs=2, chunk_chars=300)
    assert s1.seg_id == s2.seg_id
    assert _tokens(a) == _tokens(b) and len(_tokens(a)) == s1.n_tokens == s2.n_tokens


# Paragraph ends and starts where cutting the joined chunk could differ from cutting each paragraph alone:
# "\r" before the joining line break, spaces and line breaks at either end or inside, empty and missing
# texts, ASCII runs (the compat engine's fix), traditional characters and a phrase OpenCC changes in length.
EDGES = ["末尾回车\r", "\n开头换行", "  前后空格  ", "", None, "a-b", "c.d 2011-2015年", "段内\n换行\r\n再换",
         "我們發展經濟", "乾坤", "x", "2.5%-3%", "zsgx.mohrss.gov.cn", "\x1e记录分隔符", "一\u3000二"]


@pytest.mark.parametrize("spec", ["jieba", "jieba:python", "rjieba"])
def test_chunk_cut_joined_equals_paragraph_by_paragraph(spec: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    import corpus_tool.segment.chunks as chunks

    if spec != "jieba:python":
        pytest.importorskip("rjieba")
    settings = resolve(SegmentSettings.from_spec(spec, pos=True))
    chunker = chunks.ChunkSegmenter(settings)
    for order in (EDGES, EDGES[::-1], [t for t in EDGES if t and "\r" not in t]):
        texts = [t or "" for t in [*order, *SMALL["a.txt"]]]  # a missing text is read from the database as ''
        chunk = pa.RecordBatch.from_arrays(
            [pa.array([f"d{i % 3}" for i in range(len(texts))]), pa.array(range(len(texts)), pa.int32()),
             pa.array(texts, pa.string())], schema=chunks.CHUNK_SCHEMA)
        from corpus_tool.reading.convert import to_simplified

        assert chunks._simplified_texts(texts, to_simplified) == [to_simplified(t) if t else "" for t in texts]
        raw = chunk
        chunk = chunks._simplified(raw, {})
        # a "\r" before the joining line break makes "\r\n": that chunk is cut paragraph by paragraph
        assert (chunker._cut_joined(chunk.column(2)) is None) == any(t and t.endswith("\r") for t in texts[:-1])
        joined, converted = chunker(raw)
        with monkeypatch.context() as m:
            m.setattr(chunks.ChunkSegmenter, "_cut_joined", lambda self, col, joined=None: None)
            alone, _ = chunker(raw)
        assert joined.to_pylist() == alone.to_pylist()
        assert converted and joined.num_rows > 40
        by_para = {}
        for row in joined.to_pylist():  # offsets point into the (converted) paragraph text
            text = chunk.column(2)[row["para_no"]].as_py()
            assert text[row["start"]:row["start"] + len(row["token"])] == row["token"]
            by_para[row["para_no"]] = by_para.get(row["para_no"], "") + row["token"]
        assert by_para[texts.index("我們發展經濟")] == "我们发展经济"


def test_segment_does_not_import_pandas(small_db: Path) -> None:
    """pyarrow imports pandas (a third of a second) on its first pa.array, pa.scalar or to_numpy: the stage
    exchanges NumPy and Arrow arrays through their buffers instead (corpus_tool.segment.arrays)."""
    code = ("import sys; from corpus_tool.segment.run import segment_corpus; "
            "print(segment_corpus(sys.argv[1]).n_tokens > 0, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(small_db)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_failed_run_keeps_previous_segmentation(small_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = segment_corpus(small_db, SegmentSettings())
    before = _tokens(small_db)
    import corpus_tool.segment.run as run

    def boom(self, rows):
        raise RuntimeError("worker died")

    monkeypatch.setattr(run.ChunkSegmenter, "__call__", boom)
    with pytest.raises(RuntimeError):
        segment_corpus(small_db, SegmentSettings(lexicon=False))
    assert _tokens(small_db) == before
    assert current_segmentation(small_db).seg_id == first.seg_id  # type: ignore[union-attr]


def test_engines_identical_on_policy_corpus() -> None:
    """jieba (Python) vs the default engine (rjieba, jieba-compatible) vs raw rjieba, on every corpus line.

    Known and only difference of raw rjieba with HMM on: ASCII runs joined by - . _ % + # & kept whole
    (2011-2015, zsgx.mohrss.gov.cn) where jieba splits them; the default engine repairs exactly that.
    """
    pytest.importorskip("rjieba")
    root = _shared("data", "policy_corpus")
    files = sorted([*root.glob("*/txt/*.txt"), *root.glob("*/md/**/*.md")])
    lines = [ln for f in files for ln in f.read_text("utf-8").split("\n") if ln.strip()]
    py = build_segmenter(resolve(SegmentSettings.from_spec("jieba:python"))).cut_batch(lines)
    auto_settings = resolve(SegmentSettings.from_spec("jieba"))
    assert auto_settings.engine == "rjieba-compat"
    auto = build_segmenter(auto_settings).cut_batch(lines)
    raw = build_segmenter(resolve(SegmentSettings.from_spec("rjieba"))).cut_batch(lines)
    assert [i for i, (a, b) in enumerate(zip(py, auto, strict=True)) if a != b] == []
    known = re.compile(r"^[A-Za-z0-9+#&._%-]*[+#&._%-][A-Za-z0-9+#&._%-]*$")
    jieba_skip = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")

    def as_jieba(tokens: list[str]) -> list[str]:  # split joined ASCII runs the way jieba's finalseg does
        return [x for t in tokens for x in (jieba_skip.split(t) if known.match(t) else [t]) if x]

    examples, unexplained = [], []
    for a, b in zip(py, raw, strict=True):
        if a != b:
            examples.append([t for t in b if known.match(t) and t not in a][:3])
            if as_jieba(b) != a:
                unexplained.append((a, b))
    assert 0 < len(examples) < len(lines) // 50  # 1,216 of 112,315 lines when measured
    assert unexplained == []


def test_engines_identical_without_hmm() -> None:
    pytest.importorskip("rjieba")
    text = ["2011-2015年GDP增长7.8%，因地制宜发展新质生产力，好新质生产力，先立后破，www.gov.cn。"] * 3
    py = build_segmenter(resolve(SegmentSettings.from_spec("jieba:python", hmm=False))).cut_batch(text)
    rs = build_segmenter(resolve(SegmentSettings.from_spec("rjieba", hmm=False))).cut_batch(text)
    assert py == rs


# -- CLI and the seed article through the real ingest ------------------------------------------------------
def _ingest_seed(tmp_path: Path) -> Path:
    seed = _shared("seed", SEED)
    from corpus_tool.reading.pipeline import ingest_paths

    db = tmp_path / "seed.duckdb"
    ingest_paths([seed], db)
    return db


def test_seed_policy_terms_are_single_tokens_everywhere(tmp_path: Path) -> None:
    db = _ingest_seed(tmp_path)
    result = CliRunner().invoke(app, ["segment", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(db), read_only=True) as con:
        texts = [r[0] for r in con.execute("SELECT text FROM paragraphs").fetchall()]
        tokens = [r[0] for r in con.execute("SELECT token FROM tokens").fetchall()]
    for term in SEED_TERMS:
        occurrences = sum(t.count(term) for t in texts)
        assert occurrences > 0, term
        assert tokens.count(term) == occurrences, term


def test_seed_newwords_without_lexicon_finds_policy_terms(tmp_path: Path) -> None:
    db = _ingest_seed(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["segment", "--db", str(db), "--no-lexicon"]).exit_code == 0
    out = tmp_path / "nw.csv"
    r = runner.invoke(app, ["newwords", "--db", str(db), "--out", str(out), "--min-freq", "3"])
    assert r.exit_code == 0, r.output
    import pandas as pd

    df = pd.read_csv(out, encoding="utf-8-sig")
    top20 = list(df["term"].head(20))
    assert "新质生产力" in top20 and "先立后破" in top20, top20
    assert out.with_name(out.name + ".run.json").is_file()
    row = df[df["term"] == "先立后破"].iloc[0]
    assert row["parts"] == "先立|后|破" and "[先立后破]" in row["examples"]
    # accept them, re-segment with the user dictionary: now one token
    ud = tmp_path / "mine.txt"
    r = runner.invoke(app, ["newwords", "--db", str(db), "--accept", "新质生产力,先立后破", "--user-dict", str(ud)])
    assert r.exit_code == 0, r.output
    assert ud.read_text("utf-8") == "新质生产力\n先立后破\n"
    r = runner.invoke(app, ["segment", "--db", str(db), "--no-lexicon", "--user-dict", str(ud)])
    assert r.exit_code == 0 and "replaced" in r.output
    with duckdb.connect(str(db), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM tokens WHERE token = '先立后破'").fetchone()[0]
    assert n >= 13


def test_find_new_words_and_accept_api(small_db: Path, tmp_path: Path) -> None:
    segment_corpus(small_db, SegmentSettings(lexicon=False))
    df = find_new_words(small_db, min_freq=1)
    assert {"term", "parts", "freq", "pmi", "left_entropy", "right_entropy", "score", "examples"} <= set(df.columns)
    ud = tmp_path / "u.txt"
    ud.write_text("已有词", encoding="utf-8")  # no final newline
    assert accept_words(["新质生产力", "已有词", "新质生产力"], ud) == ["新质生产力"]
    assert ud.read_text("utf-8") == "已有词\n新质生产力\n"


def test_cli_errors_are_clear(tmp_path: Path, small_db: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["segment", "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 2 and "not found" in r.output
    r = runner.invoke(app, ["segment", "--db", str(small_db), "--segmenter", "stanza"])
    assert r.exit_code == 2 and "unknown segmenter" in r.output
    bad = tmp_path / "bad.txt"
    bad.write_text("好词\n坏 词 x y\n", encoding="utf-8")
    r = runner.invoke(app, ["segment", "--db", str(small_db), "--user-dict", str(bad)])
    assert r.exit_code == 2 and f"{bad}:2: error" in r.output
    r = runner.invoke(app, ["newwords", "--db", str(small_db), "--out", str(tmp_path / "x.csv")])
    assert r.exit_code == 2 and "segment" in r.output
