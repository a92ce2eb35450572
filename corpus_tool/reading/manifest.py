"""User metadata (``--metadata manifest.csv``) joined to files by path or by file name.

A manifest is a CSV (any encoding) with one row per file. Its file column (``file``,
``path``, ``source_path``, ``文件`` ...) is matched, in this order, against the file's path
relative to the manifest's folder, the path as given, the path's tail, the file name, and
the file name without its suffix (``gov_001.html`` ↔ ``txt/gov_001.txt``); a name that more
than one row shares matches nothing (and is reported). Every other column becomes a queryable field;
the standard ones (title, year, date, issuer, doc_number, authors) win over the values read from the
text, and a disagreement is recorded (``metadata_conflicts``).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from corpus_tool.reading.model import Document
from corpus_tool.reading.textfile import read_text

PATH_COLUMNS = ("file", "path", "source_path", "filename", "file_name", "文件", "文件名", "路径", "文件路径")
# Manifest columns that give the documents table's values (over those read from the text).
STANDARD_COLUMNS = {
    "title": "title", "标题": "title", "year": "year", "年份": "year", "date": "date", "日期": "date",
    "成文日期": "date", "issuer": "issuer", "发文机关": "issuer", "发文单位": "issuer", "doc_number": "doc_number",
    "发文字号": "doc_number", "文号": "doc_number", "authors": "authors", "作者": "authors",
}
# doc_type is not filled from a manifest's column: users' categories ("gov_work_report") and the types read
# from titles (通知, 意见) are different vocabularies; the user's column stays a field of its own. A title the
# manifest gives does name the type (……的通知) when the text named none.


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
    lines: list[int] = field(default_factory=list)  # the line each row ends on (the header is line 1)
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

    def match(self, file_path: str | Path, kind: str, keys: FileKeys | None = None) -> list[int]:
        """Rows matching a file at one level: ``path`` (full or tail), ``name`` or ``stem``; ``keys`` are the
        file's, when computed once for several manifests."""
        keys = keys or FileKeys.of(file_path)
        if kind == "path":
            for key in (*keys.paths, *keys.tails):  # the full path, then a tail of it: txt/gov_001.txt
                i = self.by_path.get(key)
                if i is not None:
                    return [i]
            return []
        return list(self.by_name.get(keys.name, []) if kind == "name" else
                    self.by_stem.get(keys.name.rsplit(".", 1)[0], []))


@dataclass(frozen=True)
class FileKeys:
    """What a file is looked up by in every manifest: resolving its path is the costly part, done once."""

    paths: tuple[str, ...]  # the resolved path, the path as given
    tails: tuple[str, ...]  # tails of the path as given, longest first
    name: str  # the file name, lower case

    @classmethod
    def of(cls, file_path: str | Path) -> FileKeys:
        p = Path(file_path)
        parts = _key(str(p)).split("/")
        return cls(tuple(_key(os.path.normpath(c)) for c in (str(p.resolve()), str(p))),
                   tuple("/".join(parts[start:]) for start in range(1, len(parts) - 1)), p.name.lower())


MATCH_LEVELS = ("path", "name", "stem")


def load_manifest(path: str | Path) -> Manifest:
    """Read a manifest CSV; raise ManifestError with a readable reason when it cannot be used."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, rows, lines = _xlsx_rows(path)
    else:
        header, rows, lines = _csv_rows(path)
    column = next((c for c in header if c.lower() in PATH_COLUMNS), None)
    if column is None:
        raise ManifestError(
            f"manifest {path} has no file column; name one of: {', '.join(PATH_COLUMNS)} "
            f"(元数据表需要文件列); columns are: {', '.join(header) or '(none)'}"
        )
    return Manifest(path, rows, column, lines)


def _csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]], list[int]]:
    try:
        text, _ = read_text(path, max_chars=None)
    except OSError as exc:
        raise ManifestError(f"cannot read manifest {path}: {exc} (无法读取元数据表)") from exc
    except ValueError as exc:
        raise ManifestError(f"manifest {path} is not a text CSV: {exc}; save it as CSV UTF-8 or .xlsx "
                            "(元数据表不是文本 CSV：请另存为 CSV UTF-8 或 .xlsx)") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    rows, lines = [], []
    for row in reader:
        rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items() if k})
        lines.append(reader.line_num)
    return header, rows, lines


def _xlsx_rows(path: Path) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """The first sheet: its first row names the columns; cells as the text Excel shows (2024, not 2024.0)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors on files that are not workbooks
        raise ManifestError(f"cannot read manifest {path} as an Excel workbook: {type(exc).__name__}: {exc} "
                            "(无法读取 Excel 元数据表)") from exc
    try:
        sheet = book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(values, ())]
        rows, lines = [], []
        for number, row in enumerate(values, 2):
            cells = [_cell_text(v) for v in row]
            if not any(cells):
                continue
            rows.append({name: value for name, value in zip(header, cells, strict=False) if name})
            lines.append(number)
    finally:
        book.close()
    return header, rows, lines


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):  # a date or datetime cell
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value).strip()


@dataclass
class ManifestSet:
    """Several manifests (one per collection), searched together.

    Every lookup is remembered, so that ingest can say how many files each manifest matched,
    which of its rows matched no file and which files matched several rows.
    """

    manifests: list[Manifest]
    used: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # manifest index → rows
    matched: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # manifest index → files
    ambiguous: set[str] = field(default_factory=set)  # files that several rows name at the same level
    looked_up: set[str] = field(default_factory=set)

    def lookup(self, file_path: str | Path) -> tuple[dict[str, str], str, Manifest, int] | None:
        """The row for a file, how it matched, from which manifest and its index there; None when
        no row or several rows match.

        Levels are tried in order over all manifests, so a full-path match in one manifest
        beats a name match in another; two matches at the same level are ambiguous.
        """
        self.looked_up.add(str(file_path))
        if not self.manifests:
            return None
        keys = FileKeys.of(file_path)
        for kind in MATCH_LEVELS:
            hits = [(k, i) for k, m in enumerate(self.manifests) for i in m.match(file_path, kind, keys)]
            if len(hits) == 1:
                k, i = hits[0]
                self.used[k].add(i)
                self.matched[k].add(str(file_path))
                return self.manifests[k].rows[i], kind, self.manifests[k], i
            if len(hits) > 1:
                self.ambiguous.add(str(file_path))
                return None
        return None

    def paths(self) -> set[Path]:
        return {m.path.resolve() for m in self.manifests}

    def report(self) -> list[dict[str, object]]:
        """Per manifest: its rows, the files it matched and the rows (file column values) no file matched."""
        out: list[dict[str, object]] = []
        for k, m in enumerate(self.manifests):
            used = self.used.get(k, set())
            unused = [m.rows[i].get(m.path_column, "") for i in range(len(m.rows)) if i not in used]
            out.append({"manifest": str(m.path), "rows": len(m.rows), "files": len(self.matched.get(k, ())),
                        "matched_rows": len(used), "unused_rows": unused})
        return out

    def unmatched_files(self) -> int:
        """Files looked up that no manifest row matched (or several did)."""
        return len(self.looked_up - set().union(*self.matched.values()))


def row_label(manifest: Manifest, index: int) -> str:
    """``manifest.csv line 3``: where the row is in the file (the header is line 1)."""
    line = manifest.lines[index] if index < len(manifest.lines) else index + 2
    return f"{manifest.path.name} line {line}"


def manifest_fields(row: dict[str, str], match: str, path_column: str) -> dict[str, str]:
    """A manifest row as document fields: every non-empty column except the file column."""
    fields = {k: v for k, v in row.items() if k != path_column and v != ""}
    fields["manifest_match"] = match
    return fields


def apply_manifest(doc: Document, row: dict[str, str], match: str, path_column: str, where: str = "manifest") -> None:
    """Join a manifest row to a document: every column becomes a field, and the standard ones
    (title, year, date, issuer, doc_number, authors) replace what was read from the text;
    ``where`` names the manifest row in the conflicts recorded (``manifest.csv row 3``)."""
    doc.meta.setdefault("fields", {}).update(manifest_fields(row, match, path_column))
    fill_standard_fields(doc, row, "manifest", where=where)


_ISO_DATE_RE = re.compile(r"^((?:1[89]|20)\d\d)(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")


def _user_value(key: str, value: str) -> object | None:
    """A user's value in the form the documents table stores; None when it cannot be read."""
    if key == "year":
        m = re.search(r"(1[89]|20)\d\d", value)
        return int(m.group(0)) if m else None
    if key == "doc_number":
        from corpus_tool.reading.metadata import normalize_doc_number

        return normalize_doc_number(value)
    if key == "issuer":
        from corpus_tool.reading.metadata import normalize_issuer

        return normalize_issuer(value) or None
    if key == "authors":
        return [a for a in re.split(r"[;；,，、]\s*", value) if a] or None
    if key == "date":
        m = _ISO_DATE_RE.match(value.strip())
        if m:
            y, mo, d = m.groups()
            return y + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if mo and d else "")
        from corpus_tool.reading.metadata import parse_date

        parsed = parse_date(value)
        return parsed[0] if parsed else value
    return value


def _comparable(key: str, value: object) -> str:
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    text = str(value)
    if key == "title":  # spacing and book-title marks do not make another title
        text = re.sub(r"[\s\u3000《》〈〉]+", "", text)
    return text


def _shown(value: object) -> str:
    return "；".join(map(str, value)) if isinstance(value, list) else str(value)


def fill_standard_fields(doc: Document, row: dict[str, str], source: str, where: str | None = None) -> None:
    """Columns named title/标题, year/年份, date/成文日期, issuer/发文机关, doc_number/发文字号 and
    authors/作者 give the document's values: the user's metadata wins over what the text says.

    A value the text gave differently is kept in ``doc.meta["conflicts"]`` with both values and
    their sources (the ``metadata_conflicts`` table); an equal value keeps the text as its source,
    so that ``sources`` still shows what the tool found by itself. A date that only differs in
    precision (2024 vs 2024-03-05) agrees, and the more precise one is kept. A user's date with no
    year column gives the year. A value that cannot be read (a year with no year in it) is logged.
    """
    from corpus_tool.reading.model import LogEntry

    sources = doc.meta.setdefault("sources", {})
    conflicts: list[dict[str, str]] = doc.meta.setdefault("conflicts", [])
    given: set[str] = set()

    def current(key: str) -> object:
        if key == "title":
            return doc.title
        if key == "authors":
            return doc.authors
        return doc.meta.get(key)

    def put(key: str, value: object) -> None:
        old = current(key)
        if old not in (None, "", []):
            a, b = _comparable(key, old), _comparable(key, value)
            if a == b:
                return
            if key == "date" and a.startswith(b):  # the text is more precise and agrees
                return
            if not (key == "date" and b.startswith(a)):
                conflicts.append({"field": key, "text_value": _shown(old), "text_source": sources.get(key, "content"),
                                  "manifest_value": _shown(value), "manifest_source": where or source})
        if key == "title":
            doc.title = str(value)
        elif key == "authors":
            doc.authors = list(value)  # type: ignore[call-overload]
        else:
            doc.meta[key] = value
        sources[key] = source

    for column, raw in row.items():
        key = STANDARD_COLUMNS.get(column.lower())
        if key is None or not raw or key in given:
            continue
        value = _user_value(key, raw)
        if value is None:
            doc.log.append(LogEntry("metadata_unreadable", 1, f"{where or source}: {column} = {raw!r} "
                                                               f"is not a {key} (无法识别，未使用)"))
            continue
        given.add(key)
        put(key, value)
    date = doc.meta.get("date")
    if "year" not in given and date and sources.get("date") == source:
        m = re.match(r"(1[89]|20)\d\d", str(date))
        if m:
            put("year", int(m.group(0)))
    if "title" in given and not doc.meta.get("doc_type"):  # the text named no type: read it from the user's title
        from corpus_tool.reading.metadata import doc_type_of

        doc_type = doc_type_of(doc.title or "")
        if doc_type:
            doc.meta["doc_type"] = doc_type
            sources["doc_type"] = f"{source}:标题"
