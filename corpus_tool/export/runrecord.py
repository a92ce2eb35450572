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
               extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The provenance of one command: tool, parameters, corpus, environment, time."""
    record: dict[str, Any] = {
        "tool": "corpus-tool",
        "version": __version__,
        "command": command,
        "argv": sys.argv[1:] if Path(sys.argv[0]).name.startswith("corpus-tool") else None,
        "parameters": params,
        "corpus": corpus or {},
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": _package_versions(),
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    if extra:
        record.update(extra)
    return record


def _package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("duckdb", "pdfplumber", "pdfminer.six", "jieba", "rjieba", "pandas", "scikit-learn", "gensim"):
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
