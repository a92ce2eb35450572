"""HanLP backend (optional extra ``corpus-tool[hanlp]``): a HanLP 2.x tokenizer loaded from local files only.

``hanlp:MODEL``: MODEL is a local model directory (or zip), or a HanLP identifier such as
``COARSE_ELECTRA_SMALL_ZH`` resolved under ``HANLP_HOME`` exactly as ``hanlp.load`` does
(``HANLP_HOME/tok/<name>`` unpacked, or ``<name>.zip`` beside it). The location is checked *before* HanLP
is asked to load, so a missing model gives a clear error at once instead of a download attempt.
The lexicon and user dictionaries are applied with HanLP's own ``dict_combine`` (default: merges the
model's tokens into dictionary words) or ``dict_force`` (dictionary words take priority over the model).

Install: ``pip install torch==2.13.0`` (the CPU build) first, then ``pip install hanlp "transformers<4.55"``.
"""

from __future__ import annotations

import json
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from corpus_tool.segment.base import SegmenterError, SegmentSettings
from corpus_tool.segment.lexicon import DictEntry

INSTALL = 'pip install torch==2.13.0 && pip install hanlp "transformers<4.55"'


def _import_hanlp():
    try:
        import hanlp
    except ImportError as exc:
        raise SegmenterError(f"HanLP 未安装 / hanlp is not installed ({exc}); install with: {INSTALL}") from exc
    return hanlp


def _local_from_url(url: str, what: str) -> str:
    """The local path HanLP's get_resource maps ``url`` to, if the files are there; never downloads."""
    from hanlp.utils.io_util import get_resource, hanlp_home, path_from_url, split_if_compressed
    from hanlp_common.constant import HANLP_URL

    home = hanlp_home()
    real, compressed = split_if_compressed(path_from_url(url, home, HANLP_URL))
    if os.path.isdir(real):
        return real
    if compressed and os.path.isfile(real + compressed):
        return get_resource(url, save_dir=home)  # unpacks the local zip; no download since it exists
    raise SegmenterError(
        f"HanLP {what} 不在本地 / not found locally, and nothing is downloaded. "
        f"Put the unpacked directory at {real} (or the archive at {real}{compressed or '.zip'}); "
        f"HANLP_HOME={home}. Or pass a local model directory: --segmenter hanlp:/path/to/model"
    )


def locate_model(spec: str) -> str:
    """Local directory of a HanLP model given as a path, a zip, an identifier or a URL."""
    p = Path(spec).expanduser()
    if p.is_dir():
        return str(p)
    _import_hanlp()
    if p.is_file():
        from hanlp.utils.io_util import get_resource

        return get_resource(str(p))  # a local archive: HanLP unpacks it beside itself
    import hanlp.pretrained

    url = hanlp.pretrained.ALL.get(spec.rsplit(".", 1)[-1])
    if url is None and spec.startswith(("http:", "https:")):
        url = spec
    if url is None:
        looks_like_path = os.sep in spec or "/" in spec or spec.startswith((".", "~"))
        raise SegmenterError(
            f"HanLP 模型不存在 / HanLP model {spec!r}: "
            + ("no such directory" if looks_like_path else
               "neither a local directory nor a HanLP identifier (e.g. COARSE_ELECTRA_SMALL_ZH, "
               f"see hanlp.pretrained.tok; {len(hanlp.pretrained.ALL)} are known)")
        )
    return _local_from_url(url, f"model {spec}")


def _check_encoder(model_dir: str) -> None:
    """The transformer a model names in its config must be local too: a directory, a HanLP mirror under
    HANLP_HOME, or a Hugging Face name already in the HF cache."""
    cfg = Path(model_dir) / "config.json"
    if not cfg.is_file():
        return
    name = json.loads(cfg.read_text("utf-8")).get("transformer")
    if not isinstance(name, str) or not name:
        return
    from hanlp.layers.transformers.resource import model_mirrors, tokenizer_mirrors

    for mirrors in (tokenizer_mirrors, model_mirrors):
        if name in mirrors:
            _local_from_url(mirrors[name], f"encoder {name}")
    if name in tokenizer_mirrors or name in model_mirrors:
        return
    if os.path.isabs(name) or name.startswith((".", "~")) or os.path.isdir(name):
        if not os.path.isdir(os.path.expanduser(name)):
            raise SegmenterError(f"HanLP 编码器目录不存在 / the model's encoder directory {name} does not exist")
        return
    from huggingface_hub import try_to_load_from_cache

    if not isinstance(try_to_load_from_cache(name, "config.json"), str):
        raise SegmenterError(
            f"HanLP 编码器不在本地 / the model's encoder {name!r} is not in the Hugging Face cache "
            "(HF_HOME); copy it there or point the model's config.json at a local directory"
        )


def resolve_engine(settings: SegmentSettings) -> tuple[str, str]:
    _import_hanlp()
    if settings.hanlp_dict not in ("combine", "force"):
        raise SegmenterError(f"--hanlp-dict must be combine or force, not {settings.hanlp_dict!r}")
    model_dir = locate_model(settings.model or "")
    _check_encoder(model_dir)
    try:
        v = version("hanlp")
    except PackageNotFoundError:
        v = "?"
    return "hanlp", f"hanlp {v} (model {model_dir})"


class HanlpSegmenter:
    """A loaded HanLP tokenizer with the dictionaries set through dict_combine or dict_force."""

    def __init__(self, settings: SegmentSettings, entries: list[DictEntry], batch_size: int = 32) -> None:
        hanlp = _import_hanlp()
        self.engine = settings.engine
        self.engine_version = settings.engine_version
        self.batch_size = batch_size
        model_dir = locate_model(settings.model or "")
        _check_encoder(model_dir)
        # Offline at run time: the encoder comes from a local directory or the HF cache, never the hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self._tok = hanlp.load(model_dir, devices=[], verbose=False)
        words = set(e.word for e in entries)
        if words:
            attr = "dict_force" if settings.hanlp_dict == "force" else "dict_combine"
            if not hasattr(type(self._tok), attr):
                raise SegmenterError(
                    f"this HanLP model ({type(self._tok).__name__}) has no {attr}; run with --no-lexicon "
                    "and no --user-dict, or use a TransformerTaggingTokenizer model"
                )
            setattr(self._tok, attr, words)

    def cut_batch(self, texts: list[str]) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in texts]
        todo = [i for i, t in enumerate(texts) if t.strip()]  # HanLP fails on empty input
        for k in range(0, len(todo), self.batch_size):
            idx = todo[k:k + self.batch_size]
            for i, toks in zip(idx, self._tok([texts[i] for i in idx]), strict=True):
                out[i] = list(toks)
        return out
