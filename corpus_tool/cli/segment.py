"""CLI: segment, newwords, evaluate-segmentation (thin layers over corpus_tool.segment)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from corpus_tool.cli.app import DEFAULT_DB, DbOption, app, fail
from corpus_tool.cli.engine import EngineOption, SchedulerOption, open_engine
from corpus_tool.segment.base import SegmenterError, SegmentSettings
from corpus_tool.segment.lexicon import WordFileError

SegmenterOption = Annotated[str, typer.Option(
    "--segmenter", "-s",
    help="分词器 / segmenter: jieba (默认 default; uses rjieba where installed, same tokens), jieba:python, "
         "rjieba, pkuseg[:MODEL_DIR], hanlp[:MODEL_DIR|HANLP_ID] (models load from local files only).",
)]
UserDictOption = Annotated[list[Path] | None, typer.Option(
    "--user-dict",
    help="用户词典 / user dictionary, jieba format (word, optional freq, optional POS per line); repeatable.",
)]
StopwordsOption = Annotated[list[Path] | None, typer.Option(
    "--stopwords", help="用户停用词表 / user stopword file (one word a line); repeatable.")]
HmmOption = Annotated[bool, typer.Option(
    "--hmm/--no-hmm", help="jieba 的 HMM 新词识别 / jieba's HMM for unknown words.")]
LexiconOption = Annotated[bool, typer.Option(
    "--lexicon/--no-lexicon", help="加载内置政策术语词典 / load the shipped policy-term lexicon.")]
DefaultStopOption = Annotated[bool, typer.Option(
    "--default-stopwords/--no-default-stopwords",
    help="内置停用词（stopwordsiso 中文 + 政策套话）/ built-in stopwords (stopwordsiso zh + policy boilerplate).")]
HanlpDictOption = Annotated[str, typer.Option(
    "--hanlp-dict", help="HanLP 词典模式 / how HanLP applies the dictionaries: combine (dict_combine) | force.")]


def _settings(segmenter: str, user_dict: list[Path] | None, stopwords: list[Path] | None, hmm: bool,
              pos: bool, lexicon: bool, default_stopwords: bool, hanlp_dict: str,
              keep_script: bool = False) -> SegmentSettings:
    for p in [*(user_dict or []), *(stopwords or [])]:
        if not p.is_file():
            raise fail(f"文件不存在 / file not found: {p}", 2)
    try:
        return SegmentSettings.from_spec(
            segmenter, user_dicts=tuple(str(p) for p in user_dict or []),
            stopwords=tuple(str(p) for p in stopwords or []), hmm=hmm, pos=pos, lexicon=lexicon,
            default_stopwords=default_stopwords, hanlp_dict=hanlp_dict, to_simplified=not keep_script,
        )
    except SegmenterError as exc:
        raise fail(str(exc), 2) from exc


@app.command(help=(
    "分词：把每个段落切成词并存入数据库 / Segment every text unit into the tokens table. One segmentation "
    "serves every analysis; re-running with the same settings does nothing, other settings replace it."
))
def segment(
    db: DbOption = DEFAULT_DB,
    segmenter: SegmenterOption = "jieba",
    user_dict: UserDictOption = None,
    stopwords: StopwordsOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="并行进程数 / worker processes")] = 1,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    pos: Annotated[bool, typer.Option("--pos/--no-pos", help="存储词性 / store POS tags (dictionary tags).")] = False,
    hmm: HmmOption = True,
    lexicon: LexiconOption = True,
    default_stopwords: DefaultStopOption = True,
    hanlp_dict: HanlpDictOption = "combine",
    keep_script: Annotated[bool, typer.Option(
        "--keep-script", help="繁体文档不转简体 / keep traditional-script documents as they are (by default "
                              "they are segmented in simplified characters, OpenCC t2s)")] = False,
    force: Annotated[bool, typer.Option(help="即使设置未变也重新分词 / re-segment even if unchanged.")] = False,
) -> None:
    from corpus_tool.segment.run import segment_corpus

    if not db.exists():
        raise fail(f"语料库数据库不存在 / corpus database not found: {db} (run `corpus-tool ingest` first)", 2)
    settings = _settings(segmenter, user_dict, stopwords, hmm, pos, lexicon, default_stopwords, hanlp_dict,
                         keep_script)
    with open_engine(engine, jobs, scheduler) as executor:
        try:
            s = segment_corpus(db, settings, engine=executor, force=force)
        except (SegmenterError, WordFileError) as exc:
            raise fail(str(exc), 2) from exc
    for w in s.warnings:
        typer.secho(f"警告 / warning: {w}", err=True, fg=typer.colors.YELLOW)
    if s.status == "unchanged":
        typer.echo(f"分词已是最新 / segmentation {s.seg_id} is current; nothing to do ({s.settings.engine_version}).")
        return
    what = "更新 / updated" if s.status == "updated" else "完成 / segmented"
    typer.echo(
        f"{what}: {s.n_docs} docs, {s.n_paragraphs} units, {s.n_chars:,} chars → {s.n_tokens:,} tokens "
        f"in {s.seconds:.1f} s ({s.chars_per_second:,.0f} chars/s)\n"
        f"engine: {s.settings.engine_version}; seg_id {s.seg_id} is current"
        + (f" (replaced {s.replaced})" if s.replaced else "")
    )
    if s.converted:
        typer.echo(f"繁体转简体 traditional → simplified (OpenCC t2s): {s.converted_paragraphs} units of "
                   f"{s.converted} documents had traditional characters; their tokens are simplified "
                   f"(--keep-script keeps them)")
    if s.kept_traditional:
        typer.secho(f"警告 / warning: {s.kept_traditional} documents in traditional or mixed script kept as they "
                    f"are (--keep-script): 發展 and 发展 count as two words", err=True, fg=typer.colors.YELLOW)


@app.command(help=(
    "新词发现 / Candidate terms the current segmentation splits, ranked by frequency, PMI and branching "
    "entropy, with contexts. --accept adds chosen ones to a user dictionary for the next `segment`."
))
def newwords(
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="输出表 / output table (.csv .xlsx .parquet)")] = None,
    min_freq: Annotated[int, typer.Option(min=1, help="最低频次 / minimum frequency")] = 5,
    top: Annotated[int, typer.Option(min=1, help="输出前 N 个 / keep the top N candidates")] = 200,
    accept: Annotated[list[str] | None, typer.Option(
        "--accept",
        help="接受的词（可重复，或逗号分隔）/ terms to append to --user-dict (repeatable or comma-separated)",
    )] = None,
    accept_top: Annotated[int, typer.Option(
        help="接受排名前 N 的候选词 / append the top N candidates to --user-dict")] = 0,
    user_dict: Annotated[Path | None, typer.Option(
        "--user-dict", help="接受的词写入此词典 / user dictionary the accepted terms are appended to")] = None,
) -> None:
    from corpus_tool.export.runrecord import run_record, write_run_record
    from corpus_tool.export.tables import ExportFormatError, write_table
    from corpus_tool.segment.newwords import NoTokensError, accept_words, find_new_words
    from corpus_tool.segment.run import current_segmentation

    terms = [t for a in accept or [] for t in a.replace("，", ",").split(",") if t.strip()]
    if (terms or accept_top) and user_dict is None:
        raise fail("--accept 需要 --user-dict / --accept needs --user-dict FILE", 2)
    if out is None and not (terms or accept_top):
        raise fail("需要 --out 或 --accept / give --out FILE (or --accept ... --user-dict FILE)", 2)
    if not db.exists():
        raise fail(f"语料库数据库不存在 / corpus database not found: {db}", 2)
    try:
        df = find_new_words(db, min_freq=min_freq, top=max(top, accept_top))
    except NoTokensError as exc:
        raise fail(str(exc), 2) from exc
    if out is not None:
        try:
            write_table(df.head(top), out)
        except ExportFormatError as exc:
            raise fail(str(exc), 2) from exc
        current = current_segmentation(db)
        seg = None if current is None else {"seg_id": current.seg_id, "settings": current.settings.to_dict(),
                                            "corpus_fingerprint": current.corpus_fingerprint}
        write_run_record(out, run_record("newwords", {"min_freq": min_freq, "top": top}, segmentation=seg))
        typer.echo(f"{min(len(df), top)} candidates → {out}")
    if terms or accept_top:
        chosen = terms + [t for t in df["term"].head(accept_top) if t not in terms]
        try:
            added = accept_words(chosen, user_dict)  # type: ignore[arg-type]
        except WordFileError as exc:
            raise fail(str(exc), 2) from exc
        typer.echo(f"{len(added)} 个词已加入 / term(s) appended to {user_dict}: {' '.join(added)}"
                   "\n下次分词请加 / next run: corpus-tool segment --user-dict " + str(user_dict))


@app.command("evaluate-segmentation", help=(
    "分词评测 / Score a segmenter against SIGHAN (icwb2) gold: precision, recall, F1, OOV rate, OOV recall. "
    "GOLD is e.g. icwb2/gold/pku_test_gold.utf8; the raw test file and training word list are found beside it."
))
def evaluate_segmentation_cmd(
    gold: Annotated[Path, typer.Argument(help="金标准文件 / gold file (words separated by spaces)")],
    segmenter: SegmenterOption = "jieba",
    user_dict: UserDictOption = None,
    hmm: HmmOption = True,
    lexicon: LexiconOption = True,
    default_stopwords: DefaultStopOption = True,
    hanlp_dict: HanlpDictOption = "combine",
    test: Annotated[Path | None, typer.Option(help="未分词测试文本 / raw test text (default: beside the gold)")] = None,
    training_words: Annotated[Path | None, typer.Option(
        help="训练词表（用于 OOV）/ training word list for OOV (default: beside the gold)")] = None,
    limit: Annotated[int, typer.Option(help="只评前 N 行 / score only the first N lines (0 = all)")] = 0,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="结果写入 JSON / write the scores as JSON")] = None,
) -> None:
    from corpus_tool.segment.evaluate import evaluate_segmentation

    if not gold.is_file():
        raise fail(f"文件不存在 / file not found: {gold}", 2)
    settings = _settings(segmenter, user_dict, None, hmm, False, lexicon, default_stopwords, hanlp_dict)
    try:
        r = evaluate_segmentation(gold, settings, test=test, training_words=training_words, limit=limit or None)
    except (SegmenterError, WordFileError, ValueError) as exc:
        raise fail(str(exc), 2) from exc
    lines = [f"{r['engine_version']} on {gold.name} ({r['lines']} lines, {r['chars']:,} chars)"]
    for k in ("precision", "recall", "f1", "oov_rate", "oov_recall", "iv_recall"):
        if k in r:
            lines.append(f"  {k:<10} {r[k]:6.2f}")
    lines.append(f"  words: gold {r['gold_words']}, test {r['test_words']}, correct {r['correct']}; "
                 f"misaligned lines {r['misaligned_lines']}")
    typer.echo("\n".join(lines))
    if out is not None:
        out.write_text(json.dumps(r, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
