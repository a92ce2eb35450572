"""CLI: ingest, info, show, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from corpus_tool.cli.app import DEFAULT_DB, DbOption, app, fail
from corpus_tool.cli.engine import EngineOption, SchedulerOption, open_engine
from corpus_tool.export.runrecord import run_record, write_run_record
from corpus_tool.export.tables import ExportFormatError, write_table
from corpus_tool.ingest.document import IngestOptions
from corpus_tool.ingest.pipeline import IngestSummary, ingest_paths
from corpus_tool.store.db import EXPORT_COLUMNS, CorpusDB

# Exit codes of `ingest`, so that scripts can tell what happened.
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
    timeout: Annotated[float, typer.Option(
        min=0, help="每个文件的处理时限（秒），超时即终止；0 = 不限 / seconds per file before its worker is "
                    "killed; 0 = no limit")] = 300.0,
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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度 / no progress bar")] = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="每读完一个文件输出一行（适合日志）/ one line per file read, for logs")] = False,
) -> None:
    from corpus_tool.ingest.manifest import ManifestError, ManifestSet, load_manifest

    options = IngestOptions(
        ocr=ocr, to_simplified=to_simplified, text_column=text_column, max_pages=max_pages,
        timeout=timeout or None, max_bytes=max_mb * 1024 * 1024, max_chars=max_chars,
        max_memory=max_memory_mb * 1024 * 1024, near_duplicate_threshold=near_duplicate_threshold,
    )
    try:
        manifests = ManifestSet([load_manifest(p) for p in metadata or []])
    except ManifestError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    with open_engine(engine, jobs, scheduler) as executor, _progress(quiet, verbose) as progress:
        summary = ingest_paths(paths, db, options=options, jobs=jobs, engine=executor, manifests=manifests,
                               strict=strict, retry_failed=retry_failed, progress=progress)
        where = executor.describe()
    params = {"paths": [str(p) for p in paths], "metadata": [str(p) for p in metadata or []], "jobs": jobs,
              "executor": where, **{k: v for k, v in options.as_dict().items()}, "strict": strict}
    with CorpusDB(db) as store:
        store.con.execute(
            "INSERT INTO runs VALUES (?, 'ingest', ?, NULL, NULL, ?)",
            [store.fingerprint(), json.dumps(params, ensure_ascii=False),
             json.dumps(summary.as_dict(), ensure_ascii=False)],
        )
    _print_summary(summary)
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
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("导入 ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            TextColumn("{task.description}"), transient=True)
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
    typer.echo(f"页 pages: {s.pages}  字符 characters: {s.characters}  扫描页 scanned pages: {s.scanned_pages}  "
               f"无法读取页 unreadable pages: {s.unreadable_pages}")
    if s.ignored_tables:
        typer.echo(f"表格文件未导入 table files not read: {s.ignored_tables} (需指定 / use --text-column)")
    for path, error, detail in s.errors:
        typer.secho(f"  失败 failed  {path}: {error}: {detail}", err=True, fg=typer.colors.YELLOW)
    for path, message in s.warnings:
        typer.secho(f"  警告 warning {path}: {message}", err=True, fg=typer.colors.YELLOW)
    for path, reason in s.skipped:
        typer.secho(f"  跳过 skipped {path}: {reason}", err=True, fg=typer.colors.YELLOW)


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
        n_errors = (q("SELECT count(*) FROM errors").fetchone() or (0,))[0]
        typer.echo(f"数据库 database: {db}")
        typer.echo(f"文档 documents: {n_docs}  文件 files: {n_files}  段落 paragraphs: {n_paras}  "
                   f"字符 characters: {n_chars}  失败 failed files: {n_errors}")
        for fmt, n in q("SELECT format, count(*) FROM documents GROUP BY format ORDER BY format").fetchall():
            typer.echo(f"  {fmt}: {n}")
        years = q("SELECT min(year), max(year) FROM documents").fetchone()
        if years and years[0] is not None:
            typer.echo(f"年份 years: {years[0]}–{years[1]}")
        _print_duplicates(store, duplicates)
        for script, n in q("SELECT script, count(*) FROM documents WHERE script IS NOT NULL AND script <> "
                           "'simplified' GROUP BY script ORDER BY script").fetchall():
            typer.echo(f"  {'繁体' if script == 'traditional' else '繁简混合'} {script}: {n}")
        for step, count in q("SELECT step, sum(count) FROM log GROUP BY step ORDER BY step").fetchall():
            typer.echo(f"  清洗 cleaning {step}: {count}")
        for path, error, detail in q("SELECT source_path, error, detail FROM errors ORDER BY source_path").fetchall():
            typer.secho(f"  失败 failed {path}: {error}: {detail}", fg=typer.colors.YELLOW)


@app.command(help="显示一篇文档 / Show one document: metadata, structure, cleaning log.")
def show(
    doc_id: Annotated[str, typer.Argument(help="文档编号（可用前缀）或文件路径 / document id, id prefix or path")],
    db: DbOption = DEFAULT_DB,
    full: Annotated[bool, typer.Option(help="显示全部段落 / print every paragraph in full")] = False,
) -> None:
    with _open(db) as store:
        rows = store.query(
            "SELECT d.doc_id FROM documents d LEFT JOIN files f USING (doc_id) "
            "WHERE d.doc_id LIKE ? OR f.source_path = ? GROUP BY d.doc_id ORDER BY d.doc_id",
            [doc_id + "%", doc_id],
        )
        if len(rows) != 1:
            raise fail(f"{'no' if rows.empty else 'several'} documents match {doc_id!r} "
                       f"({'没有' if rows.empty else '多个'}文档匹配)")
        did = rows.iloc[0, 0]
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
            typer.echo(f"  [{p.para_no}] ({p.field}) {text}")
        cites = store.table("citations", f"doc_id = '{did}'")
        if len(cites):
            typer.echo(f"\n引文标注 citations: {len(cites)}")
        typer.echo("\n清洗日志 cleaning log:")
        for _, e in store.table("log", f"doc_id = '{did}'").iterrows():
            typer.echo(f"  {e.step}: {e['count']}  {e.detail[:100]}")


@app.command(help="导出数据表 / Export a table (format from --out suffix: .csv .xlsx .parquet).")
def export(
    table: Annotated[str, typer.Argument(help="documents|sections|paragraphs|citations|footnotes|log|errors|tokens")],
    out: Annotated[Path, typer.Option("--out", "-o", help="输出文件 / output file")],
    db: DbOption = DEFAULT_DB,
) -> None:
    if table not in EXPORT_COLUMNS:
        raise fail(f"unknown table {table!r}; choose from {', '.join(EXPORT_COLUMNS)} (未知数据表)", 2)
    with _open(db) as store:
        df = store.table(table)
        fingerprint = store.fingerprint()
        n_docs = len(store.doc_ids())
    try:
        write_table(df, out)
    except ExportFormatError as exc:
        raise fail(str(exc), 2) from exc
    record = run_record("export", {"table": table, "db": str(db)},
                        corpus={"fingerprint": fingerprint, "documents": n_docs})
    write_run_record(out, record)
    typer.echo(f"{len(df)} rows → {out}")


def _is_blank(value: object) -> bool:
    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return True
    except (TypeError, ValueError):
        pass
    return str(value) in ("", "{}", "[]")


def _print_duplicates(store: CorpusDB, show_all: bool) -> None:
    from corpus_tool.store.views import duplicate_groups_sql, exact_duplicates_sql

    exact = store.query(exact_duplicates_sql())
    if len(exact):
        typer.echo(f"完全重复 exact duplicates: {len(exact)} documents stored once, read from "
                   f"{int(exact.n_files.sum())} files")
        for row in exact.itertuples() if show_all else list(exact.itertuples())[:10]:
            typer.echo(f"  {row.doc_id}: {row.paths}")
    near = store.query(duplicate_groups_sql())
    if len(near):
        typer.echo(f"近似重复 near duplicates: {len(near)} (excluded from analyses by default; "
                   f"分析默认排除，可用 --include-duplicates 保留)")
        for row in near.itertuples() if show_all else list(near.itertuples())[:10]:
            typer.echo(f"  {row.source_path} ≈ {row.canonical_path} (similarity 相似度 {row.similarity:.2f})")
        if not show_all and len(near) > 10:
            typer.echo(f"  … {len(near) - 10} more (info --duplicates 列出全部)")


def _open(db: Path) -> CorpusDB:
    try:
        return CorpusDB(db, read_only=True)
    except FileNotFoundError as exc:
        raise fail(str(exc), 2) from exc
