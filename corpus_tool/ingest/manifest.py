"""User metadata (``--metadata manifest.csv``) joined to files by path or by file name.

A manifest is a CSV (any encoding) with one row per file. Its file column (``file``,
``path``, ``source_path``, ``文件`` ...) is matched, in this order, against the file's path
relative to the manifest's folder, the path as given, the path's tail, the file name, and
the file name without its suffix (``gov_001.html`` ↔ ``txt/gov_001.txt``); a name that more
than one row shares matches nothing. Every other column becomes a queryable field.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from corpus_tool.ingest.model import Document
from corpus_tool.ingest.textfile import read_text

PATH_COLUMNS = ("file", "path", "source_path", "filename", "file_name", "文件", "文件名", "路径", "文件路径")
# Manifest columns that fill the documents table when the text itself says nothing.
STANDARD_COLUMNS = {
    "title": "title", "标题": "title", "year": "year", "年份": "year", "date": "date", "日期": "date",
    "成文日期": "date", "issuer": "issuer", "发文机关": "issuer", "发文单位": "issuer", "doc_number": "doc_number",
    "发文字号": "doc_number", "文号": "doc_number", "authors": "authors", "作者": "authors",
}
# doc_type is not filled from a manifest: users' categories ("gov_work_report") and the types read
# from titles (通知, 意见) are different vocabularies; the user's column stays a field of its own.


class ManifestError(ValueError):
    """The manifest cannot be used: no file column, unreadable, duplicate paths."""


def _key(path: str) -> str:
    return PurePath(path.replace("\\", "/")).as_posix().lower()


@dataclass
class Manifest:
    """Rows of one manifest file, indexed for the join."""

    path: Path
    rows: list[dict[str, str]]
    path_column: str
    by_path: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_stem: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        base = self.path.resolve().parent
        for i, row in enumerate(self.rows):
            value = row.get(self.path_column, "").strip()
            if not value:
                continue
            self.by_path.setdefault(_key(os.path.normpath(base / value)), i)
            self.by_path.setdefault(_key(value), i)
            name = PurePath(value.replace("\\", "/")).name.lower()
            self.by_name[name].append(i)
            self.by_stem[name.rsplit(".", 1)[0]].append(i)

    def match(self, file_path: str | Path, kind: str) -> list[int]:
        """Rows matching a file at one level: ``path`` (full or tail), ``name`` or ``stem``."""
        p = Path(file_path)
        if kind == "path":
            for candidate in (str(p.resolve()), str(p)):
                i = self.by_path.get(_key(os.path.normpath(candidate)))
                if i is not None:
                    return [i]
            parts = _key(str(p)).split("/")
            for start in range(1, len(parts) - 1):  # a tail of the path: txt/gov_001.txt
                i = self.by_path.get("/".join(parts[start:]))
                if i is not None:
                    return [i]
            return []
        name = p.name.lower()
        return list(self.by_name.get(name, []) if kind == "name" else self.by_stem.get(name.rsplit(".", 1)[0], []))


MATCH_LEVELS = ("path", "name", "stem")


def load_manifest(path: str | Path) -> Manifest:
    """Read a manifest CSV; raise ManifestError with a readable reason when it cannot be used."""
    path = Path(path)
    try:
        text, _ = read_text(path, max_chars=None)
    except OSError as exc:
        raise ManifestError(f"cannot read manifest {path}: {exc} (无法读取元数据表)") from exc
    except ValueError as exc:
        raise ManifestError(f"manifest {path} is not a text CSV: {exc} (元数据表不是文本 CSV)") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    column = next((c for c in header if c.lower() in PATH_COLUMNS), None)
    if column is None:
        raise ManifestError(
            f"manifest {path} has no file column; name one of: {', '.join(PATH_COLUMNS)} "
            f"(元数据表需要文件列); columns are: {', '.join(header) or '(none)'}"
        )
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    return Manifest(path, rows, column)


@dataclass
class ManifestSet:
    """Several manifests (one per collection), searched together."""

    manifests: list[Manifest]

    def lookup(self, file_path: str | Path) -> tuple[dict[str, str], str, Manifest] | None:
        """The row for a file, how it matched and from which manifest; None when none or ambiguous.

        Levels are tried in order over all manifests, so a full-path match in one manifest
        beats a name match in another; two matches at the same level are ambiguous.
        """
        for kind in MATCH_LEVELS:
            hits = [(m, i) for m in self.manifests for i in m.match(file_path, kind)]
            if len(hits) == 1:
                manifest, i = hits[0]
                return manifest.rows[i], kind, manifest
            if len(hits) > 1:
                return None
        return None

    def paths(self) -> set[Path]:
        return {m.path.resolve() for m in self.manifests}


def manifest_fields(row: dict[str, str], match: str, path_column: str) -> dict[str, str]:
    """A manifest row as document fields: every non-empty column except the file column."""
    fields = {k: v for k, v in row.items() if k != path_column and v != ""}
    fields["manifest_match"] = match
    return fields


def apply_manifest(doc: Document, row: dict[str, str], match: str, path_column: str) -> None:
    """Join a manifest row to a document: every column becomes a field, and the standard ones
    (title, year, date, issuer, doc_number, authors) fill what the text itself did not say,
    with ``manifest`` as their source."""
    doc.meta.setdefault("fields", {}).update(manifest_fields(row, match, path_column))
    fill_standard_fields(doc, row, "manifest")


def fill_standard_fields(doc: Document, row: dict[str, str], source: str) -> None:
    """Columns named title/标题, year/年份, date/成文日期, issuer/发文机关, doc_number/发文字号 and
    authors/作者 fill the document's values the text did not give."""
    sources = doc.meta.setdefault("sources", {})
    for column, value in row.items():
        key = STANDARD_COLUMNS.get(column.lower())
        if key is None or not value:
            continue
        if key == "title":
            if not doc.title:
                doc.title = value
                sources["title"] = source
            continue
        if key == "authors":
            if not doc.authors:
                doc.authors = [a for a in re.split(r"[;；,，、]\s*", value) if a]
                sources["authors"] = source
            continue
        if doc.meta.get(key) not in (None, ""):
            continue
        if key == "year":
            m = re.search(r"(1[89]|20)\d\d", value)
            if not m:
                continue
            doc.meta["year"] = int(m.group(0))
        elif key == "doc_number":
            from corpus_tool.ingest.metadata import normalize_doc_number

            doc.meta[key] = normalize_doc_number(value)
        else:
            doc.meta[key] = value
        sources[key] = source
    if doc.meta.get("year") is None and doc.meta.get("date"):
        m = re.match(r"(1[89]|20)\d\d", str(doc.meta["date"]))
        if m:
            doc.meta["year"] = int(m.group(0))
            sources["year"] = sources.get("date", source)
