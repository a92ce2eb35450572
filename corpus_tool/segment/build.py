"""Choosing and building a segmenter: the one place that knows the backends.

:mod:`.base` holds the settings and the protocol every backend implements; the backends import it,
and this module imports them, so no module of the stage imports one that imports it back.
"""

from __future__ import annotations

from dataclasses import replace

from corpus_tool.segment.base import (
    Segmenter,
    SegmenterError,
    SegmentSettings,
    check_word_files,
    dictionary_entries,
    word_files,
)
from corpus_tool.segment.lexicon import file_hash


def resolve(settings: SegmentSettings) -> SegmentSettings:
    """Decide the engine that will run, record its version and hash every word file.

    Raises :class:`SegmenterError` when the backend cannot run here and
    :class:`~corpus_tool.segment.lexicon.WordFileError` when a word file is malformed.
    """
    check_word_files(settings)
    hashes = tuple((role, file_hash(path)) for role, path in word_files(settings))
    if settings.segmenter == "jieba":
        from corpus_tool.segment.jieba_backend import resolve_engine

        engine, version = resolve_engine(settings)
    elif settings.segmenter == "pkuseg":
        from corpus_tool.segment.pkuseg_backend import resolve_engine

        engine, version = resolve_engine(settings)
    elif settings.segmenter == "hanlp":
        from corpus_tool.segment.hanlp_backend import resolve_engine

        engine, version = resolve_engine(settings)
    else:
        raise SegmenterError(f"unknown segmenter {settings.segmenter!r}")
    return replace(settings, engine=engine, engine_version=version, file_hashes=hashes)


def build_segmenter(settings: SegmentSettings) -> Segmenter:
    """A new tokenizer for resolved ``settings``, with the lexicon and user dictionaries loaded."""
    if not settings.engine:
        settings = resolve(settings)
    entries = dictionary_entries(settings)
    if settings.segmenter == "jieba":
        from corpus_tool.segment.jieba_backend import JiebaSegmenter

        return JiebaSegmenter(settings, entries)
    if settings.segmenter == "pkuseg":
        from corpus_tool.segment.pkuseg_backend import PkusegSegmenter

        return PkusegSegmenter(settings, entries)
    from corpus_tool.segment.hanlp_backend import HanlpSegmenter

    return HanlpSegmenter(settings, entries)
