"""The segmenter interface, the settings every run records, and the factory that builds a backend.

A backend is built from a :class:`SegmentSettings` alone, in whichever process needs it (a pool worker
builds its own), so no tokenizer state lives at module level.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Protocol

from corpus_tool.segment.lexicon import (
    POLICY_LEXICON,
    POLICY_STOPWORDS,
    DictEntry,
    FileIssue,
    data_path,
    read_dictionary,
    read_stopwords,
)

BACKENDS = ("jieba", "pkuseg", "hanlp")
JIEBA_ENGINES = ("auto", "python", "rust")
DEFAULT_HANLP_MODEL = "COARSE_ELECTRA_SMALL_ZH"


class SegmenterError(RuntimeError):
    """A backend cannot be used as asked (not installed, model missing, option unsupported)."""


class Segmenter(Protocol):
    """What every backend provides: segment a batch of texts into tokens that cover each text in order."""

    engine: str  # the implementation that actually runs, e.g. "rjieba+jieba"
    engine_version: str  # e.g. "rjieba 0.2.2 + jieba 0.42.1"

    def cut_batch(self, texts: list[str]) -> list[list[str]]: ...


@dataclass(frozen=True)
class SegmentSettings:
    """Everything that decides the tokens of a run. Frozen and hashable; :func:`resolve` fills the last three.

    ``segmenter``/``model``: ``jieba`` with model ``auto|python|rust`` (``rjieba`` = ``jieba:rust``),
    ``pkuseg`` with ``default`` or a model directory, ``hanlp`` with a local directory or a HanLP identifier.
    """

    segmenter: str = "jieba"
    model: str | None = None
    hmm: bool = True  # jieba's HMM for unknown words
    pos: bool = False  # store POS tags (dictionary tags; see corpus_tool.segment.pos)
    lexicon: bool = True  # load the shipped policy lexicon
    user_dicts: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()  # user stopword files
    default_stopwords: bool = True  # stopwordsiso zh + the shipped policy-boilerplate list
    hanlp_dict: str = "combine"  # how HanLP applies the dictionaries: combine (dict_combine) | force (dict_force)
    # Documents detected at ingest as traditional or mixed script are segmented in simplified characters
    # (OpenCC t2s), so that 發展 and 发展 are one word; False (--keep-script) keeps each document's script.
    to_simplified: bool = True
    # Filled in by resolve(): what actually runs, and the content hash of every word file used.
    engine: str = ""
    engine_version: str = ""
    file_hashes: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def from_spec(cls, spec: str = "jieba", **kwargs: object) -> SegmentSettings:
        """Build settings from a ``--segmenter`` value: ``jieba``, ``jieba:python``, ``rjieba``, ``pkuseg``,
        ``hanlp``, ``hanlp:/models/tok`` ..."""
        name, _, model = spec.partition(":")
        name = name.strip().lower()
        if name == "rjieba":
            name, model = "jieba", model or "rust"
        if name not in BACKENDS:
            raise SegmenterError(
                f"未知分词器 / unknown segmenter {spec!r}; choose jieba, rjieba, pkuseg or hanlp[:MODEL]"
            )
        if name == "jieba":
            model = model or "auto"
            if model not in JIEBA_ENGINES:
                raise SegmenterError(f"jieba engine must be one of {', '.join(JIEBA_ENGINES)}, not {model!r}")
        elif name == "pkuseg":
            model = model or "default"
        else:
            model = model or DEFAULT_HANLP_MODEL
        return cls(segmenter=name, model=model, **kwargs)  # type: ignore[arg-type]

    @property
    def spec(self) -> str:
        return f"{self.segmenter}:{self.model}" if self.model else self.segmenter

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["user_dicts"] = list(self.user_dicts)
        d["stopwords"] = list(self.stopwords)
        d["file_hashes"] = [list(x) for x in self.file_hashes]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> SegmentSettings:
        d = dict(d)
        d.pop("seg_id", None)
        d.setdefault("to_simplified", False)  # recorded before the setting existed: no conversion
        d["user_dicts"] = tuple(d.get("user_dicts") or ())  # type: ignore[arg-type]
        d["stopwords"] = tuple(d.get("stopwords") or ())  # type: ignore[arg-type]
        d["file_hashes"] = tuple(tuple(x) for x in d.get("file_hashes") or ())  # type: ignore[union-attr]
        return cls(**d)  # type: ignore[arg-type]

    @property
    def seg_id(self) -> str:
        """Hash of the settings and of every word file's content (not of file paths): equal seg_id, equal tokens."""
        if not self.engine:
            raise ValueError("seg_id needs resolved settings: call resolve(settings) first")
        d = self.to_dict()
        d.pop("user_dicts")
        d.pop("stopwords")
        blob = json.dumps(d, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()[:16]


def dictionary_entries(settings: SegmentSettings) -> list[DictEntry]:
    """The words every backend adds to its dictionary, in order: policy lexicon, multi-character policy
    stopwords (so boilerplate such as 为深入贯彻落实 becomes one token, then flagged stop), user dictionaries."""
    entries: list[DictEntry] = []
    if settings.lexicon:
        entries += read_dictionary(data_path(POLICY_LEXICON))[0]
    if settings.default_stopwords:
        words, _ = read_stopwords(data_path(POLICY_STOPWORDS))
        entries += [DictEntry(w) for w in words if len(w) > 1]
    for path in settings.user_dicts:
        entries += read_dictionary(path)[0]
    return entries


def word_files(settings: SegmentSettings) -> list[tuple[str, str]]:
    """(role, path) of every dictionary and stopword file the settings use."""
    files: list[tuple[str, str]] = []
    if settings.lexicon:
        files.append(("lexicon", str(data_path(POLICY_LEXICON))))
    if settings.default_stopwords:
        files.append(("policy_stopwords", str(data_path(POLICY_STOPWORDS))))
    files += [("user_dict", p) for p in settings.user_dicts]
    files += [("stopwords", p) for p in settings.stopwords]
    return files


def check_word_files(settings: SegmentSettings) -> list[FileIssue]:
    """Validate every user dictionary and stopword file; return warnings, raise WordFileError on errors."""
    issues: list[FileIssue] = []
    for path in settings.user_dicts:
        issues += read_dictionary(path)[1]
    for path in settings.stopwords:
        issues += read_stopwords(path)[1]
    return issues
