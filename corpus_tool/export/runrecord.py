"""Run records: ``<out>.run.json`` beside every export, enough to reproduce every number."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import sys
from pathlib import Path
from typing import Any

from corpus_tool import __version__


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes, for dictionaries and stopword lists named in a record."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_record(command: str, params: dict[str, Any], *, corpus: dict[str, Any] | None = None,
               extra: dict[str, Any] | None = None, segmentation: dict[str, Any] | None = None,
               seeds: dict[str, Any] | None = None, command_line: str | None = None) -> dict[str, Any]:
    """The provenance of one command: tool, exact command and parameters, corpus fingerprint,
    segmentation (segmenter, engine and version, hashes of lexicon, dictionaries and stopword lists),
    seeds, Python and platform, time.

    ``segmentation``: the current segmentation as stored (``seg_id`` and ``settings``);
    ``command_line``: the command as a user would type it (the CLI passes it; see :func:`command_line`).
    """
    record: dict[str, Any] = {
        "tool": "corpus-tool",
        "version": __version__,
        "command": command,
        "command_line": command_line,
        "argv": _argv(),
        "parameters": params,
        "corpus": corpus or {},
        "segmentation": segmentation_summary(segmentation),
        "seeds": seeds or {},
        "python": platform.python_version(),
        "platform": platform.platform(),
        "os": f"{platform.system()} {platform.machine()}".strip(),  # what a methods paragraph names
        "packages": _package_versions(),
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    if extra:
        record.update(extra)
    return record


def _argv() -> list[str] | None:
    """The process's own arguments when it is the corpus-tool command (not pytest or a notebook)."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if name.startswith("corpus-tool") or name in ("__main__.py", "corpus_tool"):
        return sys.argv[1:]
    return None


def command_line(command: str, arguments: list[str], options: dict[str, Any]) -> str:
    """A canonical, copy-pasteable command line: every option spelled out, in a fixed order.

    ``options`` maps option names (without dashes) to values; None and False are left out, True is a
    flag, lists repeat the option.
    """
    import shlex

    parts = ["corpus-tool", command, *arguments]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            parts.append(flag)
        elif isinstance(value, (list, tuple)):
            for v in value:
                parts += [flag, str(v)]
        else:
            parts += [flag, str(value)]
    return shlex.join(parts)


def segmentation_summary(segmentation: dict[str, Any] | None) -> dict[str, Any] | None:
    """The parts of a stored segmentation a reader needs: segmenter, engine, version, file hashes."""
    if not segmentation:
        return None
    settings = segmentation.get("settings") or {}
    hashes: dict[str, list[str]] = {}
    for item in settings.get("file_hashes") or []:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            hashes.setdefault(str(item[0]), []).append(str(item[1]))
    return {
        "seg_id": segmentation.get("seg_id"),
        "segmenter": settings.get("segmenter"),
        "model": settings.get("model"),
        "engine": settings.get("engine"),
        "engine_version": settings.get("engine_version"),
        "pos": settings.get("pos"),
        "lexicon": settings.get("lexicon"),
        "user_dicts": settings.get("user_dicts") or [],
        "stopwords": settings.get("stopwords") or [],
        "default_stopwords": settings.get("default_stopwords"),
        # traditional characters tokenised as simplified (OpenCC t2s); False: each document's own script
        "to_simplified": settings.get("to_simplified", False),
        "file_hashes": hashes,  # role (lexicon, policy_stopwords, user_dict, stopwords) → content hashes
        "general_stopwords": general_stopwords_info() if settings.get("default_stopwords") else None,
        "corpus_fingerprint": segmentation.get("corpus_fingerprint"),
        "settings": settings,
    }


def general_stopwords_info() -> dict[str, Any] | None:
    """The general stopword list applied with the default stopwords: source, version, size and a hash of its
    sorted words (the first 16 hex digits of SHA-256, like the other word files)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        from corpus_tool.segment.stopwords import general_stopwords

        words = sorted(general_stopwords())
    except ImportError:
        return None
    try:
        ver = version("stopwordsiso")
    except PackageNotFoundError:
        ver = None
    digest = hashlib.sha256("\n".join(words).encode("utf-8")).hexdigest()[:16]
    return {"source": "stopwordsiso (zh)", "version": ver, "words": len(words), "hash": digest}


def _package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("duckdb", "pdfplumber", "pdfminer.six", "jieba", "rjieba", "pandas", "numpy", "scipy", "pyarrow",
                 "openpyxl", "scikit-learn", "gensim", "stopwordsiso"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def record_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".run.json")


def write_run_record(out: str | Path, record: dict[str, Any], outputs: list[str | Path] | None = None) -> Path:
    """Write ``record`` beside ``out``, with the SHA-256 of each output file."""
    files = [Path(p) for p in (outputs or [out])]
    record = dict(record)
    record["outputs"] = {p.name: file_digest(p) for p in files if p.is_file()}
    path = record_path(out)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n",
                    encoding="utf-8")
    return path
