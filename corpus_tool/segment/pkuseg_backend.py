"""pkuseg backend (optional extra ``corpus-tool[pkuseg]``): PKU's CRF segmenter, F1 about 93 on SIGHAN PKU.

Install: ``pip install numpy cython wheel`` then ``pip install --no-build-isolation pkuseg`` (its setup.py
imports numpy and Cython, and builds a wheel). The ``default`` ("mixed") model ships inside the package.
The named models (news, web, medicine, tourism) are downloaded by pkuseg itself on first use, so here they are
only used when already unpacked under ``~/.pkuseg/NAME``; any other model is a local directory.
The lexicon and user dictionaries go to pkuseg's own user dictionary (forced longest match).
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

from corpus_tool.segment.base import SegmenterError, SegmentSettings
from corpus_tool.segment.lexicon import DictEntry

INSTALL = "pip install numpy cython wheel && pip install --no-build-isolation pkuseg"


def _model_dir(model: str) -> str:
    """The model argument for ``pkuseg.pkuseg`` that never triggers a download."""
    if model == "default":
        return "default"
    if os.path.isdir(model):
        return model
    from pkuseg.config import config

    local = os.path.join(config.pkuseg_home, model)
    if model in config.available_models and os.path.isdir(local):
        return local
    raise SegmenterError(
        f"pkuseg 模型不在本地 / pkuseg model {model!r} not found locally (no download is attempted): "
        f"pass a model directory, or unpack it to {local}"
    )


def resolve_engine(settings: SegmentSettings) -> tuple[str, str]:
    try:
        v = version("pkuseg")
        import pkuseg  # noqa: F401  (the compiled extension must import)
    except (PackageNotFoundError, ImportError) as exc:
        raise SegmenterError(f"pkuseg 未安装 / pkuseg is not installed ({exc}); install it with: {INSTALL}") from exc
    _model_dir(settings.model or "default")
    return "pkuseg", f"pkuseg {v} (model {settings.model or 'default'})"


class PkusegSegmenter:
    """pkuseg with the lexicon and user dictionaries as its user dictionary."""

    def __init__(self, settings: SegmentSettings, entries: list[DictEntry]) -> None:
        import pkuseg

        self.engine = settings.engine
        self.engine_version = settings.engine_version
        words = list(dict.fromkeys(e.word for e in entries))
        self._seg = pkuseg.pkuseg(model_name=_model_dir(settings.model or "default"), user_dict=words)

    def cut_batch(self, texts: list[str]) -> list[list[str]]:
        return [self._seg.cut(t) for t in texts]
