r"""jieba backend: precise mode, HMM switchable, with rjieba (jieba-rs) as a faster engine for the same tokens.

Engines:

- ``jieba``: the Python package, through its own :class:`jieba.Tokenizer` instance (never the global one).
- ``rjieba``: jieba-rs through ``rjieba.Jieba``; about 10-18x faster. With HMM off its tokens equal
  jieba's on the whole policy corpus.
- ``rjieba-compat`` (what ``jieba:auto`` runs when rjieba is installed and HMM is on): with HMM on, jieba-rs
  keeps ASCII runs joined by ``- . _ % + # &`` whole ("2011-2015", "zsgx.mohrss.gov.cn") where jieba splits
  them (2011|-|2015), because its unknown-word regex has an unescaped ``.`` (``[a-zA-Z0-9]+(?:.\d+)?%?``
  where jieba has ``\.``). That is the only difference on the whole policy corpus (1,216 of 112,315 lines).
  This engine re-splits such tokens with jieba's own regex, giving jieba's tokens on every line there.
"""

from __future__ import annotations

import logging
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus_tool.segment.arrays import from_numpy, to_numpy
from corpus_tool.segment.base import SegmenterError, SegmentSettings
from corpus_tool.segment.lexicon import DictEntry

# An ASCII letter/digit run joined to another by a character jieba keeps in one block: where jieba-rs's
# HMM path can differ from jieba's. Checked per paragraph so the common case costs one regex search.
_ASCII_JOIN = re.compile(r"[A-Za-z0-9][+#&._%\-]+[A-Za-z0-9]")
# A token made only of jieba's non-Han block characters, with at least one joiner in it.
_JOINED_TOKEN = re.compile(r"^[a-zA-Z0-9+#&._%\-]*[+#&._%\-][a-zA-Z0-9+#&._%\-]*$")
# jieba's finalseg.re_skip: how jieba splits a non-Han run it does not know.
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


def _version(pkg: str) -> str | None:
    try:
        return version(pkg)
    except PackageNotFoundError:
        return None


def resolve_engine(settings: SegmentSettings) -> tuple[str, str]:
    """(engine, version string) for ``jieba:auto|python|rust``."""
    jv, rv = _version("jieba"), _version("rjieba")
    want = settings.model or "auto"
    if want == "rust" or (want == "auto" and rv):
        if not rv:
            raise SegmenterError("rjieba 未安装 / rjieba is not installed: pip install rjieba")
        if want == "rust" or not settings.hmm:
            return "rjieba", f"rjieba {rv}"
        return "rjieba-compat", f"rjieba {rv} (jieba-compatible splitting of joined ASCII runs)"
    if not jv:
        raise SegmenterError("jieba 未安装 / jieba is not installed: pip install jieba")
    return "jieba", f"jieba {jv}"


def _skip(entry: DictEntry, known: bool) -> bool:
    """Skip re-adding a word the dictionary already has, when no frequency is given.

    Such an add changes nothing useful (the word is already one token candidate), but jieba and jieba-rs
    update their frequency total differently on it (jieba adds the word's frequency again), which flipped
    near-tie words such as 步道 and 光路 between the engines. POS tags come from the entries anyway.
    """
    return known and entry.freq is None


def python_tokenizer(entries: list[DictEntry]):  # -> jieba.Tokenizer
    """A fresh :class:`jieba.Tokenizer` with the default dictionary plus ``entries``."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter on stderr
    tok = jieba.Tokenizer()
    tok.initialize()
    for e in entries:  # what jieba.load_userdict does line by line, less the no-op re-adds (see _skip)
        if not _skip(e, tok.FREQ.get(e.word, 0) > 0):
            tok.add_word(e.word, e.freq, e.tag)
    return tok


def _rjieba_class():  # -> type[rjieba.Jieba]
    """rjieba's ``Jieba`` class. Importing the ``rjieba`` package builds a module-level default tokenizer
    (its whole dictionary, about a fifth of a second) that this backend never uses, so the compiled module
    is loaded on its own when the package is not imported yet."""
    import sys

    if "rjieba" not in sys.modules:
        import importlib.machinery
        import importlib.util

        try:
            spec = importlib.util.find_spec("rjieba")
            for folder in (spec.submodule_search_locations or []) if spec else []:
                for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                    path = Path(folder) / f"rjieba{suffix}"
                    if path.is_file():
                        loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(path))
                        ext = importlib.util.spec_from_loader("rjieba.rjieba", loader)
                        if ext is not None:
                            module = importlib.util.module_from_spec(ext)
                            loader.exec_module(module)
                            return module.Jieba
        except (ImportError, OSError, AttributeError):
            pass  # an unusual installation: the package's own import below
    import rjieba

    return rjieba.Jieba


def rust_tokenizer(entries: list[DictEntry]):  # -> rjieba.Jieba
    """A fresh ``rjieba.Jieba`` with the default dictionary plus ``entries`` (rjieba has no load_userdict)."""
    tok = _rjieba_class()()
    for e in entries:
        if not _skip(e, tok.has_word(e.word)):
            tok.add_word(e.word, e.freq, e.tag)
    return tok


class JiebaSegmenter:
    """Precise-mode jieba through the resolved engine."""

    def __init__(self, settings: SegmentSettings, entries: list[DictEntry]) -> None:
        self.engine = settings.engine
        self.engine_version = settings.engine_version
        self.hmm = settings.hmm
        if self.engine == "jieba":
            self._py = python_tokenizer(entries)
            self.cut = lambda text: self._py.lcut(text, HMM=self.hmm)  # type: ignore[method-assign]
        else:
            self._rs = rust_tokenizer(entries)
            self._compat = self.engine == "rjieba-compat"

    def cut(self, text: str) -> list[str]:
        toks = self._rs.cut(text, self.hmm)
        if self._compat and _ASCII_JOIN.search(text):
            return self._jieba_split(toks)
        return toks

    def cut_raw(self, text: str) -> list[str]:
        """The engine's own tokens of ``text``, before :meth:`fix`: what :meth:`cut` gives for a paragraph
        that :meth:`needs_fix` does not flag. Cutting paragraphs joined by a line break gives each
        paragraph's tokens with the line break as a token between them (jieba and jieba-rs cut Han and
        ASCII runs, which never hold a line break, one by one); the caller checks that it did."""
        if self.engine == "jieba":
            return self._py.lcut(text, HMM=self.hmm)
        return self._rs.cut(text, self.hmm)

    def needs_fix(self, texts: pa.Array) -> np.ndarray | None:
        """Which paragraphs' :meth:`cut_raw` tokens must go through :meth:`fix` (None: none ever do)."""
        if self.engine != "rjieba-compat":
            return None
        return to_numpy(pc.match_substring_regex(texts, _ASCII_JOIN.pattern))

    def fixes(self, tokens: pa.Array) -> dict[int, list[str]]:
        """Tokens of flagged paragraphs that :meth:`cut` splits again: {index in ``tokens``: the pieces}."""
        # Arrow narrows to the few tokens that can match (it allows a final line break, as Python's "$" does)
        maybe = (to_numpy(pc.utf8_length(tokens)) > 1) & to_numpy(
            pc.match_substring_regex(tokens, _JOINED_TOKEN.pattern[:-1] + r"\n?$"))
        out: dict[int, list[str]] = {}
        at = np.flatnonzero(maybe)
        for i, t in zip(at.tolist(), tokens.take(from_numpy(at, pa.int64())).to_pylist(), strict=True):
            if _JOINED_TOKEN.match(t) and not self._rs.has_word(t):
                out[i] = [x for x in _JIEBA_SKIP.split(t) if x]
        return out

    def _jieba_split(self, toks: list[str]) -> list[str]:
        out: list[str] = []
        for t in toks:
            if len(t) > 1 and _JOINED_TOKEN.match(t) and not self._rs.has_word(t):
                out.extend(x for x in _JIEBA_SKIP.split(t) if x)
            else:
                out.append(t)
        return out

    def cut_batch(self, texts: list[str]) -> list[list[str]]:
        cut = self.cut
        return [cut(t) for t in texts]
