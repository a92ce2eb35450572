"""CLI: ingest, info, show, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from corpus_tool.cli.app import DEFAULT_DB, DbOption, app, fail
from corpus_tool.export.runrecord import run_record, write_run_record
from corpus_tool.export.tables import ExportFormatError, write_table
from corpus_tool.ingest.document import IngestOptions
from corpus_tool.ingest.pipeline import IngestSummary, ingest_paths
from corpus_tool.store.db import EXPORT_COLUMNS, CorpusDB


@app.command(help="导入文件或文件夹 / Ingest PDF and text files (folders are searched recursively).")
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹 / files or folders")],
    db: DbOption = DEFAULT_DB,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="并行进程数 / worker processes")] = 1,
    ocr: Annotated[bool, typer.Option(help="对扫描页做 OCR（需 tesseract）/ OCR scanned pages")] = False,
    strict: Annotated[bool, typer.Option(help="任何文件失败即返回错误码 / exit non-zero on any failure")] = False,
    max_pages: Annotated[int, typer.Option(help="每个 PDF 最多读取页数 / page limit per PDF")] = 2000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度 / no progress bar")] = False,
) -> None:
    options = IngestOptions(ocr=ocr, max_pages=max_pages)
    with _progress(quiet) as progress:
        summary = ingest_paths(paths, db, options=options, jobs=jobs, progress=progress)
    with CorpusDB(db) as store:
        store.con.execute(
            "INSERT INTO runs VALUES (?, 'ingest', ?, NULL, NULL, ?)",
            [store.fingerprint(), json.dumps({"paths": [str(p) for p in paths], "jobs": jobs, "ocr": ocr}),
             json.dumps(_summary_dict(summary), ensure_ascii=False)],
        )
    _print_summary(summary)
    if summary.files == 0 and not summary.skipped:
        raise fail("no supported files found (未找到可导入的文件: .pdf .txt .md)", 2)
    if strict and not summary.ok:
        raise typer.Exit(1)


def _summary_dict(s: IngestSummary) -> dict[str, object]:
    return {
        "files": s.files, "ingested": s.ingested, "unchanged": s.unchanged, "duplicates": s.duplicates,
        "failed": s.failed, "pages": s.pages, "characters": s.characters, "scanned_pages": s.scanned_pages,
    }


class _progress:
    """A rich progress bar fed by the pipeline's callback (silent when quiet)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __enter__(self):  # type: ignore[no-untyped-def]
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
        f"文件 files: {s.files}  新导入 ingested: {s.ingested}  未变 unchanged: {s.unchanged}  "
        f"重复 duplicates: {s.duplicates}  失败 failed: {s.failed}"
    )
    typer.echo(f"页 pages: {s.pages}  字符 characters: {s.characters}  扫描页 scanned pages: {s.scanned_pages}")
    for path, error, detail in s.errors:
        typer.secho(f"  失败 failed  {path}: {error}: {detail}", err=True, fg=typer.colors.YELLOW)
    for path, reason in s.skipped:
        typer.secho(f"  跳过 skipped {path}: {reason}", err=True, fg=typer.colors.YELLOW)


@app.command(help="语料库概况 / Summary of the corpus database.")
def info(db: DbOption = DEFAULT_DB) -> None:
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
        n_dups = (q("SELECT count(*) FROM documents WHERE canonical_id IS NOT NULL").fetchone() or (0,))[0]
        if n_dups:
            typer.echo(f"近似重复 near duplicates: {n_dups} (excluded from analyses by default)")
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


def _open(db: Path) -> CorpusDB:
    try:
        return CorpusDB(db, read_only=True)
    except FileNotFoundError as exc:
        raise fail(str(exc), 2) from exc
