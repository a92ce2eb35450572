"""Scoring against SIGHAN 2005 (icwb2) gold, and the optional pkuseg backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus_tool.cli import app
from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.evaluate import evaluate_segmentation, read_gold, score
from tests.conftest import require_extra as _require
from tests.conftest import shared_path as _shared


def test_score_units() -> None:
    gold = [["新质", "生产力", "是", "关键"], ["先立后破"]]
    test = [["新质生产力", "是", "关键"], ["先立", "后", "破"]]
    r = score(gold, test, training_words={"是", "关键", "生产力"})
    assert r["correct"] == 2 and r["gold_words"] == 5 and r["test_words"] == 6
    assert r["precision"] == pytest.approx(100 * 2 / 6) and r["recall"] == pytest.approx(40.0)
    assert r["oov_rate"] == pytest.approx(40.0) and r["oov_recall"] == 0.0 and r["iv_recall"] == pytest.approx(200 / 3)
    # a line whose text differs from the gold is aligned word by word
    r = score([["“", "你好", "世界"]], [["你好", "世界"]])
    assert r["misaligned_lines"] == 1 and r["correct"] == 2


def test_gold_against_itself_and_file_quirks(tmp_path: Path) -> None:
    g = _shared("data", "icwb2", "gold", "cityu_test_gold.utf8")  # BOM, one-space separators
    gold = read_gold(g)
    assert gold[0][0][0] != "\ufeff"
    assert score(gold, gold)["f1"] == 100.0
    asg = read_gold(_shared("data", "icwb2", "gold", "as_testing_gold.utf8"))  # U+3000 separators
    assert all("\u3000" not in w for line in asg[:50] for w in line)
    crlf = tmp_path / "g.utf8"
    crlf.write_bytes("新质  生产力\r\n先立后破\r\n".encode())
    assert read_gold(crlf) == [["新质", "生产力"], ["先立后破"]]


def test_pku_default_within_one_point_of_plain_jieba() -> None:
    gold = _shared("data", "icwb2", "gold", "pku_test_gold.utf8")
    plain = evaluate_segmentation(gold, SegmentSettings.from_spec("jieba", lexicon=False, default_stopwords=False))
    default = evaluate_segmentation(gold)
    assert plain["f1"] == pytest.approx(81.8, abs=0.3)
    assert abs(default["f1"] - 81.8) <= 1.0
    assert default["oov_rate"] == pytest.approx(5.75, abs=0.05) and 50 < default["oov_recall"] < 70
    assert default["lines"] == 1945 and default["misaligned_lines"] == 0


def test_evaluate_cli_msr() -> None:
    gold = _shared("data", "icwb2", "gold", "msr_test_gold.utf8")
    r = CliRunner().invoke(app, ["evaluate-segmentation", str(gold), "--segmenter", "rjieba"])
    assert r.exit_code == 0, r.output
    f1 = float(next(ln for ln in r.output.splitlines() if ln.strip().startswith("f1")).split()[1])
    assert 80 < f1 < 83 and "misaligned lines 16" in r.output


def test_pkuseg_scores_at_least_93_on_pku() -> None:
    _require("pkuseg")
    gold = _shared("data", "icwb2", "gold", "pku_test_gold.utf8")
    r = evaluate_segmentation(gold, SegmentSettings.from_spec("pkuseg", lexicon=False, default_stopwords=False))
    assert r["engine"] == "pkuseg" and r["f1"] >= 93.0


def test_pkuseg_gets_the_lexicon_and_offsets(tmp_path: Path) -> None:
    _require("pkuseg")
    from corpus_tool.segment.build import build_segmenter, resolve

    text = "坚持先立后破，因地制宜发展新质生产力，推动 智改数转。"
    plain = build_segmenter(resolve(SegmentSettings.from_spec("pkuseg", lexicon=False))).cut_batch([text])[0]
    lex = build_segmenter(resolve(SegmentSettings.from_spec("pkuseg"))).cut_batch([text])[0]
    assert "新质生产力" not in plain
    assert {"先立后破", "新质生产力", "智改数转"} <= set(lex)
    missing = CliRunner().invoke(app, ["evaluate-segmentation", str(tmp_path / "x"), "-s", "pkuseg:/no/such"])
    assert missing.exit_code == 2
