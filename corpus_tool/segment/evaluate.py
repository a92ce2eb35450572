"""Score a segmenter against SIGHAN-bakeoff (icwb2) gold: precision, recall, F1, OOV rate, OOV and IV recall.

A word counts as correct when the same character span is a word in the gold line, which is what the
bakeoff's ``score`` script computes when gold and test text agree. Lines whose text differs from the gold
(16 in MSR's test file, where a quotation mark sits on the neighbouring line) are aligned word by word with
``difflib`` instead, as ``score`` does with ``diff``. OOV words are gold words absent from the training word
list (``<corpus>_training_words.utf8`` beside the gold file, when present).

The files' quirks are handled: CRLF, a UTF-8 BOM (CITYU), U+3000 word separators (AS).
"""

from __future__ import annotations

import difflib
import time
from pathlib import Path

from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.build import build_segmenter, resolve


def read_lines(path: str | Path) -> list[str]:
    """Lines of a bakeoff file without BOM and line endings."""
    text = Path(path).read_text("utf-8-sig")
    lines = text.splitlines()
    return lines


def read_gold(path: str | Path) -> list[list[str]]:
    """Gold segmentation: one list of words per line (any whitespace, U+3000 included, separates words)."""
    return [line.split() for line in read_lines(path)]


def read_words(path: str | Path) -> set[str]:
    """A training word list (one word a line)."""
    return {w.strip() for w in read_lines(path) if w.strip()}


def default_paths(gold: str | Path) -> tuple[Path | None, Path | None]:
    """(raw test file, training word list) of an icwb2 gold file, when they exist in the usual layout:
    ``gold/pku_test_gold.utf8`` → ``testing/pku_test.utf8`` and ``gold/pku_training_words.utf8``."""
    gold = Path(gold)
    corpus = gold.name.split("_")[0]
    test = gold.parent.parent / "testing" / f"{corpus}_test.utf8"
    words = gold.parent / f"{corpus}_training_words.utf8"
    return (test if test.is_file() else None), (words if words.is_file() else None)


def _spans(words: list[str]) -> list[tuple[int, int]]:
    out, at = [], 0
    for w in words:
        out.append((at, at + len(w)))
        at += len(w)
    return out


def score(gold: list[list[str]], test: list[list[str]], training_words: set[str] | None = None) -> dict[str, float]:
    """Precision, recall, F1 (in %), OOV rate, OOV recall and IV recall of ``test`` against ``gold``."""
    if len(gold) != len(test):
        raise ValueError(f"gold has {len(gold)} lines, test has {len(test)}")
    n_gold = n_test = n_correct = n_oov = n_oov_correct = n_iv_correct = 0
    misaligned = 0
    for g, t in zip(gold, test, strict=True):
        n_gold += len(g)
        n_test += len(t)
        if "".join(g) == "".join(t):
            tspans = set(_spans(t))
            correct = [w for w, sp in zip(g, _spans(g), strict=True) if sp in tspans]
        else:  # text differs: longest common word sequence, like the bakeoff's diff-based scorer
            misaligned += 1
            sm = difflib.SequenceMatcher(a=g, b=t, autojunk=False)
            correct = [w for blk in sm.get_matching_blocks() for w in g[blk.a:blk.a + blk.size]]
        n_correct += len(correct)
        if training_words is not None:
            n_oov += sum(1 for w in g if w not in training_words)
            oov_ok = sum(1 for w in correct if w not in training_words)
            n_oov_correct += oov_ok
            n_iv_correct += len(correct) - oov_ok
    p = 100 * n_correct / n_test if n_test else 0.0
    r = 100 * n_correct / n_gold if n_gold else 0.0
    out = {
        "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "gold_words": n_gold, "test_words": n_test, "correct": n_correct, "misaligned_lines": misaligned,
    }
    if training_words is not None:
        out["oov_rate"] = 100 * n_oov / n_gold if n_gold else 0.0
        out["oov_recall"] = 100 * n_oov_correct / n_oov if n_oov else 0.0
        out["iv_recall"] = 100 * n_iv_correct / (n_gold - n_oov) if n_gold - n_oov else 0.0
    return out


def evaluate_segmentation(
    gold: str | Path,
    settings: SegmentSettings | None = None,
    *,
    test: str | Path | None = None,
    training_words: str | Path | None = None,
    limit: int | None = None,
) -> dict[str, object]:
    """Segment the raw test text with ``settings`` and score it against ``gold``.

    ``test`` defaults to the raw file beside the gold (icwb2 layout), else the gold text with spaces removed;
    ``training_words`` defaults to the corpus's training word list beside the gold. ``limit`` scores only
    the first lines (for quick checks). Returns the scores plus the segmenter's engine and timing.
    """
    gold_words = read_gold(gold)
    auto_test, auto_words = default_paths(gold)
    test_path = Path(test) if test else auto_test
    raw = read_lines(test_path) if test_path else ["".join(g) for g in gold_words]
    if len(raw) != len(gold_words):
        raise ValueError(f"{test_path}: {len(raw)} lines, but the gold has {len(gold_words)}")
    if limit:
        gold_words, raw = gold_words[:limit], raw[:limit]
    words_path = Path(training_words) if training_words else auto_words
    vocab = read_words(words_path) if words_path else None
    resolved = resolve(settings or SegmentSettings())
    t0 = time.perf_counter()
    seg = build_segmenter(resolved)
    t1 = time.perf_counter()
    cut = seg.cut_batch([line.strip() for line in raw])
    t2 = time.perf_counter()
    predicted = [[w for w in toks if w.strip()] for toks in cut]
    result: dict[str, object] = dict(score(gold_words, predicted, vocab))
    result.update({
        "gold": str(gold), "test": str(test_path) if test_path else "(gold text)",
        "training_words": str(words_path) if words_path else None, "lines": len(gold_words),
        "chars": sum(len(line) for line in raw),
        "segmenter": resolved.spec, "engine": resolved.engine, "engine_version": resolved.engine_version,
        "seg_id": resolved.seg_id, "load_seconds": round(t1 - t0, 3), "segment_seconds": round(t2 - t1, 3),
    })
    return result
