"""CLI: ingest, info, show, export."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corpus_tool.cli.app import DEFAULT_DB, DbOption, app, fail
from corpus_tool.cli.engine import EngineOption, SchedulerOption, open_engine
from corpus_tool.reading.filenames import readable_path, stored_path
from corpus_tool.store.exports import EXPORT_COLUMNS

if TYPE_CHECKING:  # imported in the commands: `--help` and the other commands do not pay for them
    import pandas as pd

    from corpus_tool.reading.pipeline import IngestSummary
    from corpus_tool.store.db import CorpusDB

# Exit codes of `ingest`, so that scripts can tell what happened.
UNSUPPORTED_HINT = ("请把 .doc/.wps 另存为 .docx 或 PDF，.pptx/.ppt 导出为 PDF / save .doc/.wps as .docx or PDF and "
                    ".ppt/.pptx as PDF; supported: .pdf .txt .md .html .docx (+ .csv/.xlsx with --text-column)")
EXIT_OK = 0  # every file ingested (or unchanged)
EXIT_SOME_FAILED = 1  # the batch finished; the files listed failed (see `info` / `export errors`)
EXIT_USAGE = 2  # nothing to ingest, or an unusable --metadata file
EXIT_STRICT_STOPPED = 3  # --strict: the batch stopped at its first failure


@app.command(help=(
    "导入文件或文件夹 / Ingest files and folders (searched recursively): PDF, TXT, MD, HTML, DOCX; "
    "CSV/XLSX rows with --text-column. Any text encoding (UTF-8/16, GB18030/GBK, Big5) is detected. "
    "Exit code 0: all ingested; 1: some files failed (listed, the rest ingested); 2: usage error; "
    "3: --strict stopped at the first failure."
))
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹 / files or folders")],
    db: DbOption = DEFAULT_DB,
    metadata: Annotated[list[Path] | None, typer.Option(
        "--metadata", "-m",
        help="元数据表 CSV，按文件路径或文件名关联，可多次给出 / manifest CSV joined by file path or name "
             "(repeatable); its columns become fields usable with --by")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="并行进程数 / worker processes")] = 1,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    to_simplified: Annotated[bool, typer.Option(
        "--to-simplified", help="繁体转简体（OpenCC）/ convert traditional characters to simplified")] = False,
    text_column: Annotated[str | None, typer.Option(
        "--text-column", help="CSV/XLSX 中存放正文的列名，每行为一篇文档 / column holding each row's text")] = None,
    ocr: Annotated[bool, typer.Option(help="对扫描页做 OCR（需 tesseract）/ OCR scanned pages")] = False,
    strict: Annotated[bool, typer.Option(
        help="任一文件失败即中止（退出码 3）/ stop at the first failed file (exit code 3)")] = False,
    timeout: Annotated[float | None, typer.Option(
        min=0, help="每个文件的处理时限（秒），超时即终止；0 = 不限；默认 300，--ocr 时 3600 / seconds per file "
                    "before its worker is killed; 0 = no limit; default 300, 3600 with --ocr")] = None,
    max_pages: Annotated[int, typer.Option(help="每个 PDF 最多读取页数 / page limit per PDF")] = 2000,
    max_chars: Annotated[int, typer.Option(
        help="每篇文档最多字符数 / character limit per document (longer files are reported)")] = 5_000_000,
    max_mb: Annotated[int, typer.Option(help="单个文件大小上限（MB）/ size limit per file in MB")] = 200,
    max_memory_mb: Annotated[int, typer.Option(
        help="每个工作进程内存上限（MB，POSIX）/ memory limit per worker process in MB (POSIX)")] = 3072,
    near_duplicate_threshold: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="近似重复的相似度阈值（MinHash Jaccard）/ near-duplicate similarity threshold")] = 0.7,
    retry_failed: Annotated[bool, typer.Option(
        help="重试上次失败且未改动的文件 / retry unchanged files that failed before")] = False,
    rehash: Annotated[bool, typer.Option(
        help="重新计算每个文件的哈希，不以大小和修改时间判断未改动 / hash every file again instead of trusting "
             "an unchanged size, mtime, ctime and inode")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度 / no progress bar")] = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="每读完一个文件输出一行（适合日志）/ one line per file read, for logs")] = False,
) -> None:
    from corpus_tool.reading.document import IngestOptions, default_timeout
    from corpus_tool.reading.manifest import ManifestError, ManifestSet, load_manifest
    from corpus_tool.reading.pipeline import ingest_paths
    from corpus_tool.store.db import CorpusDB

    options = IngestOptions(
        ocr=ocr, to_simplified=to_simplified, text_column=text_column, max_pages=max_pages,
        timeout=(default_timeout(ocr) if timeout is None else timeout) or None,
        max_bytes=max_mb * 1024 * 1024, max_chars=max_chars,
        max_memory=max_memory_mb * 1024 * 1024, near_duplicate_threshold=near_duplicate_threshold,
    )
    try:
        manifests = ManifestSet([load_manifest(p) for p in metadata or []])
    except ManifestError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise fail("文件或文件夹不存在 / no such file or folder: " + ", ".join(missing), EXIT_USAGE)
    new_db = not db.exists()
    # one connection for the files and the run record (opening the database is a share of a one-file run)
    with open_engine(engine, jobs, scheduler) as executor, _progress(quiet, verbose) as progress, \
            CorpusDB(db) as store:
        summary = ingest_paths(paths, store, options=options, jobs=jobs, engine=executor, manifests=manifests,
                               strict=strict, retry_failed=retry_failed, rehash=rehash, progress=progress)
        where = executor.describe()
        if not (summary.files == 0 and new_db):
            params = {"paths": [str(p) for p in paths], "metadata": [str(p) for p in metadata or []],
                      "jobs": jobs, "executor": where, **{k: v for k, v in options.as_dict().items()},
                      "strict": strict, "rehash": rehash}
            fingerprint = store.fingerprint()
            store.con.execute(
                "INSERT INTO runs VALUES (?, 'ingest', ?, NULL, NULL, ?)",
                [fingerprint, json.dumps(params, ensure_ascii=False),
                 json.dumps(summary.as_dict(), ensure_ascii=False)],
            )
            segmented_for = store.con.execute(
                "SELECT corpus_fingerprint FROM segmentations WHERE current").fetchall()
    if summary.files == 0 and new_db:  # nothing was read: leave no empty database behind
        db.unlink(missing_ok=True)
        Path(f"{db}.wal").unlink(missing_ok=True)
        _print_summary(summary)
        raise fail("no supported files found (未找到可导入的文件: .pdf .txt .md .html .docx)", EXIT_USAGE)
    _print_summary(summary)
    if segmented_for and segmented_for[0][0] != fingerprint:
        typer.secho("语料已变动：请重新运行 `corpus-tool segment`，新文档才有分词结果 / the corpus changed since "
                    "the last segment: run `corpus-tool segment` again so the new documents have tokens",
                    err=True, fg=typer.colors.YELLOW)
    if summary.files == 0 and not summary.skipped and not summary.ignored_tables:
        raise fail("no supported files found (未找到可导入的文件: .pdf .txt .md .html .docx)", EXIT_USAGE)
    if summary.aborted:
        raise fail("--strict: stopped at the first failed file (严格模式：遇到失败即中止)", EXIT_STRICT_STOPPED)
    if not summary.ok:
        raise typer.Exit(EXIT_SOME_FAILED)


class _progress:
    """A rich progress bar fed by the pipeline's callback (silent when quiet)."""

    def __init__(self, quiet: bool, verbose: bool = False) -> None:
        self.quiet = quiet or verbose
        self.verbose = verbose

    def __enter__(self):  # type: ignore[no-untyped-def]
        if self.verbose:
            def line(done: int, total: int, path: str) -> None:
                typer.echo(f"[{done}/{total}] {path}")

            return line
        if self.quiet:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # on stderr, so the summary on stdout starts at its first line and can be piped
        self.bar = Progress(TextColumn("导入 ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            TextColumn("{task.description}"), transient=True, console=Console(stderr=True))
        self.bar.start()
        self.task = self.bar.add_task("", total=None)

        def update(done: int, total: int, path: str) -> None:
            self.bar.update(self.task, completed=done, total=total, description=Path(path).name[:40])

        return update

    def __exit__(self, *exc: object) -> None:
        if not self.quiet:
            self.bar.stop()


def _print_summary(s: IngestSummary) -> None:
    typer.echo(
        f"文件 files: {s.files}  新文档 new documents: {s.ingested}  未变 unchanged: {s.unchanged}  "
        f"完全重复 exact duplicates: {s.duplicates}  近似重复 near duplicates: {s.near_duplicates}  "
        f"失败 failed: {s.failed + s.failed_before}"
    )
    pages = (f"页 pages: {s.pages}  扫描页 scanned pages: {s.scanned_pages}  "
             f"无法读取页 unreadable pages: {s.unreadable_pages}  ") if s.pages else ""  # PDFs only
    if s.glyph_gaps:  # glyphs withheld inside readable pages: each run is a 〓 in the text, listed in the log
        pages += f"缺字〓 withheld glyph gaps: {s.glyph_gaps}  "
    tables = f"  表格 tables: {s.tables}" if s.tables else ""
    typer.echo(f"{pages}字符 characters: {s.characters}{tables}")
    if s.ocr_pages or s.ocr_paragraphs:
        typer.echo(_ocr_line(s))
    if s.ignored_tables:
        typer.echo(f"表格文件未导入 table files not read: {s.ignored_tables} (CSV/XLSX：若是元数据表请用 --metadata，"
                   "若每行是一篇文档请用 --text-column / a manifest? pass it with --metadata; one document per row? "
                   "use --text-column)")
    _print_manifests(s)
    for path, error, detail in s.errors:
        typer.secho(f"  失败 failed  {readable_path(path)}: {error}: {detail}", err=True, fg=typer.colors.YELLOW)
    for path, message in s.warnings:
        typer.secho(f"  警告 warning {readable_path(path)}: {message}", err=True, fg=typer.colors.YELLOW)
    if s.failed_before:
        typer.secho(f"  {s.failed_before} 个文件在之前的运行中失败且未改动，未重试 / files failed in an earlier run "
                    "and are unchanged: not retried; use --retry-failed to try them again",
                    err=True, fg=typer.colors.YELLOW)
    if s.unsupported:
        kinds = ", ".join(f"{suffix} ×{n}" for suffix, n in s.unsupported_by_suffix().items())
        shown = "; ".join(readable_path(p) for p in s.unsupported[:5]) + (" ..." if len(s.unsupported) > 5 else "")
        typer.secho(f"跳过 skipped {len(s.unsupported)} 个不支持的文件 unsupported files ({kinds}): {shown}",
                    err=True, fg=typer.colors.YELLOW)
        typer.secho(f"  {UNSUPPORTED_HINT}", err=True, fg=typer.colors.YELLOW)
    for path, reason in s.skipped:
        typer.secho(f"  跳过 skipped {readable_path(stored_path(path))}: {reason}", err=True, fg=typer.colors.YELLOW)


def _ocr_line(s: IngestSummary) -> str:
    """What OCR read and how sure it was: OCR text can hold misread characters, so the reader sees it here."""
    conf = f"{s.ocr_confidence:.1f}" if s.ocr_confidence is not None else "-"
    line = (f"OCR 识别页 pages read by OCR: {s.ocr_pages}  OCR 段落 paragraphs: {s.ocr_paragraphs}  "
            f"平均置信度 mean confidence: {conf}  低置信度字词（保留）low-confidence words kept: {s.ocr_low_words}")
    withheld = [(n, zh, en) for n, zh, en in (
        (s.ocr_lines_withheld, "行", "lines"), (s.ocr_regions_withheld, "区域", "regions"),
        (s.ocr_pages_withheld, "页", "pages")) if n]
    if withheld:
        line += ("  置信度过低未收录 withheld as too uncertain: "
                 + ", ".join(f"{n} {zh} {en}" for n, zh, en in withheld))
    return line + "（详见 log 表 / see the log table）"


def _print_manifests(s: IngestSummary) -> None:
    """How each manifest matched, and where the user's metadata and the text disagree."""
    warn = typer.colors.YELLOW
    for m in s.manifests:
        unused = list(m["unused_rows"])  # type: ignore[call-overload]
        line = (f"清单 manifest {Path(str(m['manifest'])).name}: 匹配 matched {m['files']} files, "
                f"{m['matched_rows']}/{m['rows']} rows used; 未匹配行 rows matching no file: {len(unused)}")
        typer.secho(line, fg=warn if unused or not m["files"] else None, err=bool(unused or not m["files"]))
        for value in unused[:10]:
            typer.secho(f"  未匹配 no file matches  {value}", err=True, fg=warn)
        if len(unused) > 10:
            typer.secho(f"  … {len(unused) - 10} more", err=True, fg=warn)
    if s.manifests and s.unmatched_files:
        typer.secho(f"无清单行的文件 files with no manifest row: {s.unmatched_files}", err=True, fg=warn)
    for path in s.ambiguous_files[:10]:
        typer.secho(f"  多行匹配，未使用 several manifest rows match, none used  {path}", err=True, fg=warn)
    if s.conflicts:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(s.conflicts.items()))
        typer.secho(f"元数据冲突 metadata conflicts (清单与正文不一致，已用清单值 / the manifest's values are used): "
                    f"{counts}; see `corpus-tool export metadata_conflicts --out conflicts.csv`", fg=warn)


@app.command(help="语料库概况 / Summary of the corpus database.")
def info(
    db: DbOption = DEFAULT_DB,
    duplicates: Annotated[bool, typer.Option(
        "--duplicates", help="列出全部重复文档 / list every duplicate, not only the first 10")] = False,
) -> None:
    store = _open(db)
    with store:
        q = store.con.execute
        n_docs, n_chars = q("SELECT count(*), coalesce(sum(n_chars), 0) FROM documents").fetchone() or (0, 0)
        n_files = (q("SELECT count(*) FROM files").fetchone() or (0,))[0]
        n_paras = (q("SELECT count(*) FROM paragraphs WHERE field = 'body'").fetchone() or (0,))[0]
        n_units = (q("SELECT count(*) FROM paragraphs").fetchone() or (0,))[0]
        n_errors = (q("SELECT count(*) FROM errors").fetchone() or (0,))[0]
        n_tables, n_table_docs = q("SELECT count(DISTINCT (doc_id, table_no)), count(DISTINCT doc_id) "
                                   "FROM main.tables").fetchone() or (0, 0)
        typer.echo(f"数据库 database: {db}")
        typer.echo(f"文档 documents: {n_docs}  文件 files: {n_files}  正文段落 body paragraphs: {n_paras}  "
                   f"文本单元 text units (title, abstract, headings … and body; what segment counts): {n_units}  "
                   f"字符 characters: {n_chars}  失败 failed files: {n_errors}")
        if n_tables:
            typer.echo(f"表格 tables: {n_tables} in {n_table_docs} documents (export tables 导出)")
        for fmt, n in q("SELECT format, count(*) FROM documents GROUP BY format ORDER BY format").fetchall():
            typer.echo(f"  {fmt}: {n}")
        years = q("SELECT min(year), max(year) FROM documents").fetchone()
        if years and years[0] is not None:
            typer.echo(f"年份 years: {years[0]}–{years[1]}")
        _print_duplicates(store, duplicates)
        for script, n in q("SELECT script, count(*) FROM documents WHERE script IS NOT NULL AND script <> "
                           "'simplified' GROUP BY script ORDER BY script").fetchall():
            typer.echo(f"  原文{'繁体' if script == 'traditional' else '繁简混合'} {script} in the source text: {n} "
                       "(segment 默认按简体切分 / segmented in simplified form unless --keep-script)")
        conflicts = q("SELECT field, count(DISTINCT doc_id) FROM metadata_conflicts GROUP BY field ORDER BY field"
                      ).fetchall() if _has_table(store, "metadata_conflicts") else []
        if conflicts:
            typer.echo("元数据冲突 metadata conflicts (清单值已用 / manifest values used): "
                       + ", ".join(f"{f} {n}" for f, n in conflicts) + " (export metadata_conflicts)")
        for step, count in q("SELECT step, sum(count) FROM log GROUP BY step ORDER BY step").fetchall():
            typer.echo(f"  清洗 cleaning {step}: {count}")
        for path, error, detail in q("SELECT source_path, error, detail FROM errors ORDER BY source_path").fetchall():
            typer.secho(f"  失败 failed {readable_path(path)}: {error}: {detail}", fg=typer.colors.YELLOW)


@app.command(help="显示一篇文档 / Show one document: metadata, structure, cleaning log.")
def show(
    doc_id: Annotated[str, typer.Argument(
        help="文档编号（可用前缀）、文件路径或文件名、清单中的值或标题的一部分 / "
             "document id or prefix, path, file name, a manifest value or part of the title")],
    db: DbOption = DEFAULT_DB,
    full: Annotated[bool, typer.Option(help="显示全部段落 / print every paragraph in full")] = False,
) -> None:
    from corpus_tool.store.lookup import find_documents

    with _open(db) as store:
        matches = find_documents(store.con, doc_id)
        if len(matches) != 1:
            if not matches:
                raise fail(f"没有文档匹配 / no document matches {doc_id!r} (by id, id prefix, path, file name, "
                           "manifest value or title); `export documents --out docs.csv` lists them all")
            lines = "\n".join(f"  {m.doc_id[:12]}  {m.title or '(无标题 no title)'}  {readable_path(m.path)}"
                              for m in matches[:10])
            more = f"\n  ... {len(matches) - 10} more" if len(matches) > 10 else ""
            raise fail(f"{len(matches)} 篇文档匹配 / {len(matches)} documents match {doc_id!r}; "
                       f"give one of these ids:\n{lines}{more}")
        did = matches[0].doc_id
        doc = store.table("documents", f"doc_id = '{did}'").iloc[0]
        for col in EXPORT_COLUMNS["documents"]:
            value = doc[col]
            if not _is_blank(value):
                typer.echo(f"{col}: {value}")
        typer.echo("\n结构 structure:")
        for _, s in store.table("sections", f"doc_id = '{did}'").iterrows():
            typer.echo(f"  {'  ' * (int(s.level) - 1)}§{s.section_no} {s.title}")
        typer.echo("\n段落 paragraphs:")
        for _, p in store.table("paragraphs", f"doc_id = '{did}'").iterrows():
            text = p.text if full or len(p.text) <= 80 else p.text[:78] + "……"
            ocr = (f" [OCR {p.ocr_confidence:.0f}]" if p.source in ("ocr", "mixed") and not _is_blank(p.ocr_confidence)
                   else "")
            typer.echo(f"  [{p.para_no}] ({p.field}){ocr} {text}")
        cites = store.table("citations", f"doc_id = '{did}'")
        if len(cites):
            typer.echo(f"\n引文标注 citations: {len(cites)}")
        cells = store.table("tables", f"doc_id = '{did}'")
        if len(cells):
            shapes = cells.groupby("table_no").first()
            typer.echo(f"\n表格 tables: {len(shapes)} (export tables 导出)")
            by_ocr = cells[cells.source == "ocr"].groupby("table_no").size()
            for no, t in shapes.iterrows():
                ocr = (f", {by_ocr[no]} cells read by OCR (OCR 识别，请对照原页核对)"
                       if no in by_ocr.index else "")
                typer.echo(f"  表 table {no}: page {t.page}, {t.n_rows}×{t.n_cols}{ocr}")
        typer.echo("\n清洗日志 cleaning log:")
        for _, e in store.table("log", f"doc_id = '{did}'").iterrows():
            typer.echo(f"  {e.step}: {e['count']}  {e.detail[:100]}")


@app.command(help="导出数据表 / Export a table (format from --out suffix: .csv .xlsx .parquet).")
def export(
    table: Annotated[str, typer.Argument(help="数据表 / table: " + " | ".join(EXPORT_COLUMNS))],
    out: Annotated[Path, typer.Option("--out", "-o", help="输出文件 / output file")],
    db: DbOption = DEFAULT_DB,
    grid: Annotated[bool, typer.Option(
        "--grid", help="tables: 按原表格网格写入 .xlsx / write each table as its grid (.xlsx)")] = False,
) -> None:
    from corpus_tool.export.runrecord import run_record, write_run_record
    from corpus_tool.export.tables import ExportFormatError, with_field_columns, write_table, write_table_grid

    if table not in EXPORT_COLUMNS:
        raise fail(f"unknown table {table!r}; choose from {', '.join(EXPORT_COLUMNS)} (未知数据表)", 2)
    if grid and table != "tables":
        raise fail("--grid applies to `export tables` only (--grid 仅用于导出表格)", 2)
    with _open(db) as store:
        df = store.table(table)
        if table == "documents":
            df = with_field_columns(df)
        sources = dict(store.con.execute("SELECT doc_id, source_path FROM documents").fetchall()) if grid else {}
        corpus = export_corpus_summary(store, df)
        segmentation = _current_segmentation(store) if table == "tokens" else None
    try:
        write_table_grid(df, sources, out) if grid else write_table(df, out)
    except ExportFormatError as exc:
        raise fail(str(exc), 2) from exc
    record = run_record("export", {"table": table, "db": str(db), **({"grid": True} if grid else {})},
                        corpus=corpus, segmentation=segmentation, extra={"rows": len(df)})
    write_run_record(out, record)
    if grid:
        typer.echo(f"{df.groupby(['doc_id', 'table_no']).ngroups if len(df) else 0} tables ({len(df)} cells) → {out}")
    else:
        typer.echo(f"{len(df)} rows → {out}")


def _has_table(store: CorpusDB, name: str) -> bool:
    """Databases made before a table existed, opened read-only, do not have it yet."""
    return bool(store.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                                  [name]).fetchone()[0])


def export_corpus_summary(store: CorpusDB, df: pd.DataFrame) -> dict[str, object]:
    """The corpus an exported table comes from: every document of the database, and how many the rows cover."""
    n_docs = len(store.doc_ids())
    covered = int(df["doc_id"].nunique()) if "doc_id" in df.columns else None
    return {"database": str(store.path), "fingerprint": store.fingerprint(), "documents_in_database": n_docs,
            "documents": covered if covered is not None else n_docs,
            "selection_fingerprint": None, "where": None, "include_duplicates": True}


def _current_segmentation(store: CorpusDB) -> dict[str, object] | None:
    from corpus_tool.segment.run import current_segmentation

    current = current_segmentation(store)
    if current is None:
        return None
    return {"seg_id": current.seg_id, "settings": current.settings.to_dict(),
            "corpus_fingerprint": current.corpus_fingerprint}


def _is_blank(value: object) -> bool:
    import pandas as pd

    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return True
    except (TypeError, ValueError):
        pass
    return str(value) in ("", "{}", "[]")


def _print_duplicates(store: CorpusDB, show_all: bool) -> None:
    from corpus_tool.store.views import duplicate_groups_sql, exact_duplicates_sql

    # plain rows, not DataFrames: pandas would double `info`'s start-up
    exact = _rows(store, exact_duplicates_sql())
    if exact:
        typer.echo(f"完全重复 exact duplicates: {len(exact)} documents stored once, read from "
                   f"{sum(int(row['n_files']) for row in exact)} files")
        for row in exact if show_all else exact[:10]:
            typer.echo(f"  {row['doc_id']}: {row['paths']}")
    near = _rows(store, duplicate_groups_sql())
    if near:
        typer.echo(f"近似重复 near duplicates: {len(near)} (excluded from analyses by default; "
                   f"分析默认排除，可用 --include-duplicates 保留)")
        for row in near if show_all else near[:10]:
            typer.echo(f"  {row['source_path']} ≈ {row['canonical_path']} (similarity 相似度 {row['similarity']:.2f})")
        if not show_all and len(near) > 10:
            typer.echo(f"  … {len(near) - 10} more (info --duplicates 列出全部)")


def _rows(store: CorpusDB, sql: str) -> list[dict[str, Any]]:
    cursor = store.con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _open(db: Path) -> CorpusDB:
    from corpus_tool.store.db import CorpusDB

    try:
        return CorpusDB(db, read_only=True)
    except FileNotFoundError as exc:
        raise fail(str(exc), 2) from exc
