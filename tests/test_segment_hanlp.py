"""HanLP from local files: a tiny tokenizer trained here with HanLP's own trainer, saved, loaded through
``--segmenter hanlp:DIR``, with the lexicon applied through dict_combine / dict_force; and the clear error,
with no network attempt, when a model is missing.

The model is toy quality (random 2-layer BERT, ~1.8k PKU gold sentences, 3 epochs, ~30 s CPU): it tests
the loading path, not accuracy. Training needs ``transformers<4.55`` plus a shim for the ``AdamW`` that
transformers removed and HanLP 2.1.5 still imports.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus_tool.segment.base import SegmenterError, SegmentSettings
from corpus_tool.segment.build import build_segmenter, resolve
from tests.conftest import require_extra
from tests.conftest import shared_path as _shared

TEXT = "因地制宜发展新质生产力是中国共产党对发展新质生产力的规律性认识，坚持先立后破。"


def _require_hanlp() -> None:
    require_extra("hanlp")


def _adamw_shim() -> None:
    """HanLP 2.1.5 builds its optimizer with transformers.optimization.AdamW, gone from transformers 4.54."""
    import torch
    import transformers.optimization as opt

    if not hasattr(opt, "AdamW"):
        class AdamW(torch.optim.AdamW):
            def __init__(self, params, *args, no_deprecation_warning=False, correct_bias=True, **kwargs):
                super().__init__(params, *args, **kwargs)

        opt.AdamW = AdamW


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Train, save and return a tiny TransformerTaggingTokenizer (random character-level BERT encoder)."""
    _require_hanlp()
    gold = _shared("data", "icwb2", "gold", "pku_test_gold.utf8")
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    _adamw_shim()
    from hanlp.components.tokenizers.transformer import TransformerTaggingTokenizer

    root = tmp_path_factory.mktemp("hanlp")
    lines = [" ".join(ln.split()) for ln in gold.read_text("utf-8").splitlines() if ln.strip()]
    (root / "trn.txt").write_text("\n".join(ln for ln in lines[:1800] if len(ln) < 200) + "\n", "utf-8")
    (root / "dev.txt").write_text("\n".join(lines[1800:]) + "\n", "utf-8")
    policy = TEXT + "新型举国体制智改数转数实融合僵尸企业"
    chars = sorted({c for ln in lines for c in ln if not c.isspace()} | set(policy))
    enc = root / "encoder"
    enc.mkdir()
    (enc / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]) + "\n", "utf-8")
    BertTokenizerFast(vocab_file=str(enc / "vocab.txt"), do_lower_case=False).save_pretrained(enc)
    torch.manual_seed(0)
    BertModel(BertConfig(vocab_size=len(chars) + 5, hidden_size=128, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=256, max_position_embeddings=512)).save_pretrained(enc)
    model = root / "tok"
    torch.set_num_threads(1)
    TransformerTaggingTokenizer().fit(
        str(root / "trn.txt"), str(root / "dev.txt"), str(model), transformer=str(enc), epochs=3, batch_size=32,
        lr=1e-3, transformer_lr=1e-3, max_seq_len=300, devices=[], seed=1)
    assert (model / "config.json").is_file() and (model / "model.pt").is_file()
    return model


def test_hanlp_local_model_segments_and_honours_lexicon(tiny_model: Path) -> None:
    plain = resolve(SegmentSettings.from_spec(f"hanlp:{tiny_model}", lexicon=False, default_stopwords=False))
    assert plain.engine == "hanlp" and str(tiny_model) in plain.engine_version
    toks = build_segmenter(plain).cut_batch([TEXT, "", "先立后破"])
    assert "".join(toks[0]) == TEXT and toks[1] == [] and len(toks[0]) > 8  # a real segmentation
    combine = build_segmenter(resolve(SegmentSettings.from_spec(f"hanlp:{tiny_model}"))).cut_batch([TEXT])[0]
    force = build_segmenter(resolve(SegmentSettings.from_spec(f"hanlp:{tiny_model}", hanlp_dict="force")))
    forced = force.cut_batch([TEXT])[0]
    assert "新质生产力" in forced and "先立后破" in forced and "因地制宜" in forced
    assert "".join(combine) == TEXT
    # dict_combine only merges the model's own tokens: every lexicon term it can build is whole
    assert combine.count("新质生产力") + combine.count("新质") + combine.count("质生产力") >= 2


def test_hanlp_segment_corpus_through_the_cli(tiny_model: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corpus_tool.cli import app
    from corpus_tool.reading.model import Document, Unit
    from corpus_tool.store.db import CorpusDB

    db = tmp_path / "h.duckdb"
    with CorpusDB(db) as cdb:
        cdb.write_document(Document(doc_id="d1", source_path="d1.txt", fmt="txt",
                                    units=[Unit(1, "body", TEXT), Unit(2, "body", "推动 智改数转 和数实融合。")]),
                           ("d1.txt", 1, 0.0, "d1"))
    r = CliRunner().invoke(app, ["segment", "--db", str(db), "-s", f"hanlp:{tiny_model}", "--hanlp-dict", "force",
                                 "--pos"])
    assert r.exit_code == 0, r.output
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT para_no, token, start, pos FROM tokens ORDER BY para_no, position").fetchall()
    texts = {1: TEXT, 2: "推动 智改数转 和数实融合。"}
    assert all(texts[p][s:s + len(t)] == t for p, t, s, _ in rows)
    assert ("新质生产力", "nz") in {(t, pos) for _, t, _, pos in rows}
    assert {"智改数转", "数实融合"} <= {t for _, t, _, _ in rows}


def test_missing_model_fails_fast_without_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _require_hanlp()
    home = tmp_path / "hanlp_home"
    monkeypatch.setenv("HANLP_HOME", str(home))
    import hanlp.utils.io_util as io_util

    def no_download(*args, **kwargs):
        raise AssertionError("a download was attempted")

    monkeypatch.setattr(io_util, "download", no_download)
    t0 = time.perf_counter()
    with pytest.raises(SegmenterError) as ei:
        resolve(SegmentSettings.from_spec("hanlp:COARSE_ELECTRA_SMALL_ZH"))
    assert time.perf_counter() - t0 < 5
    msg = str(ei.value)
    assert str(home / "tok" / "coarse_electra_small_20220616_012050") in msg and "HANLP_HOME" in msg
    with pytest.raises(SegmenterError, match="no such directory"):
        resolve(SegmentSettings.from_spec(f"hanlp:{tmp_path / 'nope'}"))
    with pytest.raises(SegmenterError, match="HanLP identifier"):
        resolve(SegmentSettings.from_spec("hanlp:NOT_A_MODEL"))


def test_missing_model_cli_with_dead_hanlp_url(tmp_path: Path) -> None:
    """In a fresh process, as a user would run it: HANLP_URL at a dead local port, empty HANLP_HOME."""
    _require_hanlp()
    from corpus_tool.reading.model import Document, Unit
    from corpus_tool.store.db import CorpusDB

    db = tmp_path / "m.duckdb"
    with CorpusDB(db) as cdb:
        cdb.write_document(Document(doc_id="d", source_path="d", fmt="txt", units=[Unit(1, "body", TEXT)]),
                           ("d", 1, 0.0, "d"))
    env = {**os.environ, "HANLP_URL": "http://127.0.0.1:9/", "HANLP_HOME": str(tmp_path / "home")}
    t0 = time.perf_counter()
    cmd = [sys.executable, "-c", "from corpus_tool.cli import main; main()", "segment", "--db", str(db), "-s", "hanlp"]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert time.perf_counter() - t0 < 60
    assert p.returncode == 2, p.stdout + p.stderr
    assert "not found locally" in p.stderr and str(tmp_path / "home" / "tok") in p.stderr
    assert "Traceback" not in p.stderr
