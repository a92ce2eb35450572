"""Save an analysis result: the table by the ``--out`` suffix, companion tables beside it, the run record.

Companion tables (such as the coding evidence) go to ``<stem>.<name><suffix>`` next to ``out``;
the run record ``<out>.run.json`` lists the SHA-256 of every file written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus_tool.analyse.result import AnalysisResult
from corpus_tool.export.headers import zh_headers
from corpus_tool.export.runrecord import run_record, write_run_record
from corpus_tool.export.tables import write_table


def companion_path(out: str | Path, name: str) -> Path:
    """``results.csv`` + ``evidence`` → ``results.evidence.csv``."""
    out = Path(out)
    return out.with_name(f"{out.stem}.{name}{out.suffix}")


def save_result(result: AnalysisResult, out: str | Path, *, zh: bool = False, command_line: str | None = None,
                seeds: dict[str, Any] | None = None) -> list[Path]:
    """Write ``result`` to ``out`` (and its companion tables), then ``<out>.run.json``; return the paths."""
    out = Path(out)
    written = []
    headers = zh_headers(result.table.columns) if zh else None
    written.append(write_table(result.table, out, headers=headers))
    header_maps = {out.name: headers} if headers else {}
    for name, table in sorted(result.tables.items()):
        path = companion_path(out, name)
        h = zh_headers(table.columns) if zh else None
        written.append(write_table(table, path, headers=h))
        if h:
            header_maps[path.name] = h
    record = run_record(
        result.analysis, result.params, corpus=result.corpus, segmentation=result.segmentation, seeds=seeds,
        command_line=command_line,
        extra={"rows": len(result.table), "warnings": result.warnings,
               "tables": {name: len(t) for name, t in sorted(result.tables.items())},
               "headers": header_maps or None},
    )
    written.append(write_run_record(out, record, outputs=written))
    return written
