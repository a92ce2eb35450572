"""Segmentation: one tokenizer (dictionary, lexicon, stopwords, POS) for every table.

Public API (imported lazily, so ``import corpus_tool.segment`` stays cheap)::

    SegmentSettings                                     # corpus_tool.segment.base
    resolve, build_segmenter                            # corpus_tool.segment.build
    segment_corpus, current_segmentation, SegmentSummary  # corpus_tool.segment.run
    evaluate_segmentation                               # corpus_tool.segment.evaluate
    find_new_words, accept_words                        # corpus_tool.segment.newwords
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "SegmentSettings": "base", "SegmenterError": "base", "resolve": "build", "build_segmenter": "build",
    "segment_corpus": "run", "current_segmentation": "run", "SegmentSummary": "run",
    "CurrentSegmentation": "run", "evaluate_segmentation": "evaluate", "find_new_words": "newwords",
    "accept_words": "newwords", "WordFileError": "lexicon",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"corpus_tool.segment.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'corpus_tool.segment' has no attribute {name!r}")
