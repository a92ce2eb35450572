"""CLI: embed, similar, expand, accept, project, network, ca, cluster, docsim, readability.

Each command calls one function of :mod:`corpus_tool.analyse.meaning` on the stored tokens and writes its table
by the ``--out`` suffix with ``<out>.run.json`` beside it (``network`` writes a folder). Analysis modules (gensim,
networkx, scipy) are imported inside the commands, so ``corpus-tool --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from corpus_tool.cli.app import DEFAULT_DB, DbOption, app, fail
from corpus_tool.cli.common import (
    DupOption,
    FieldsOption,
    OutOption,
    PosOption,
    StopOption,
    WhereOption,
    ZhOption,
    compute_or_fail,
    require_db,
    run_analysis,
    split_list,
    split_terms,
    token_filter,
)

ModelOption = Annotated[str, typer.Option("--model", help="词向量模型名（corpus-tool embed --name）/ embedding model")]
SeedOption = Annotated[int, typer.Option("--seed", help="随机种子 / random seed")]


def _filter_options(keep_stopwords: bool, pos: str | None, min_chars: int, fields: str | None) -> dict[str, Any]:
    return {"keep_stopwords": keep_stopwords, "pos": pos, "min_chars": min_chars, "fields": fields}


def _run(compute: Callable[[], Any], out: Path | None, zh: bool, name: str, arguments: list[str],
         options: dict[str, Any], db: Path) -> None:
    """:func:`~corpus_tool.cli.common.run_analysis`, after checking that the corpus database exists."""
    require_db(db)
    run_analysis(compute, out, zh, name, arguments, options)


@app.command(help="训练词向量（word2vec），保存在语料库旁 / Train word2vec on the stored tokens; saved beside the "
                  "corpus with its run record.")
def embed(
    db: DbOption = DEFAULT_DB,
    name: Annotated[str, typer.Option("--name", help="模型名 / model name")] = "word2vec",
    vector_size: Annotated[int, typer.Option("--vector-size", min=2, help="维度 / dimensions")] = 100,
    window: Annotated[int, typer.Option("--window", min=1, help="窗口 / context window")] = 6,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="最小词频 / minimum frequency")] = 5,
    epochs: Annotated[int, typer.Option("--epochs", min=1, help="迭代 / epochs")] = 5,
    algorithm: Annotated[str, typer.Option("--algorithm", help="算法 / cbow | skipgram")] = "cbow",
    seed: SeedOption = 1,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, help="线程数；大于 1 时结果不可重复 / threads (more than 1: not reproducible)")] = 1,
    unit: Annotated[str, typer.Option("--unit", help="训练单元 / sentence | paragraph")] = "sentence",
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    keep_stopwords: StopOption = False,
    pos: PosOption = None,
    min_chars: Annotated[int, typer.Option("--min-chars", min=1, help="最短词长 / shortest term")] = 1,
    fields: FieldsOption = None,
) -> None:
    from corpus_tool.analyse.meaning.embeddings import train_embeddings

    require_db(db)
    tf = token_filter(keep_stopwords, pos, min_chars, fields)
    emb = compute_or_fail(lambda: train_embeddings(
        db, name=name, vector_size=vector_size, window=window, min_count=min_count, epochs=epochs,
        algorithm=algorithm, seed=seed, workers=workers, unit=unit, where=where,
        include_duplicates=include_duplicates, token_filter=tf))
    t = emb.record["training"]
    typer.echo(f"{t['sentences']} 个句子 sentences, {t['tokens']} 个词 tokens, 词表 vocabulary {t['model_vocabulary']} "
               f"→ {emb.path}")
    if workers > 1:
        typer.secho(f"注意 / warning: {emb.record['reproducibility']}", err=True, fg=typer.colors.YELLOW)


@app.command(help="近邻词（词向量余弦）/ Nearest neighbours of terms in the trained word embeddings.")
def similar(
    terms: Annotated[list[str], typer.Argument(help="查询词，空格或逗号分隔 / query terms (spaces or commas)")],
    db: DbOption = DEFAULT_DB,
    model: ModelOption = "word2vec",
    top: Annotated[int, typer.Option("--top", min=1, help="每个词的近邻数 / neighbours per term")] = 20,
    stability: Annotated[int, typer.Option(
        "--stability", min=0, help="共训练 N 个不同种子的模型，给出每个近邻在其中出现的比例 / train N models with "
                                   "other seeds and report how often each neighbour recurs")] = 0,
    out: OutOption = None,
    zh_headers: ZhOption = False,
) -> None:
    from corpus_tool.analyse.meaning.embeddings import load_embeddings
    from corpus_tool.analyse.meaning.embeddings import similar as similar_fn

    terms = split_terms(terms)
    options = {"db": str(db), "model": model, "top": top, "stability": stability or None}
    _run(lambda: similar_fn(load_embeddings(db, model), terms, top=top, stability=stability, db=db), out,
         zh_headers, "similar", list(terms), options, db)


@app.command(help="词典扩展：由种子词按词向量与 SO-PMI 推荐候选词 / Dictionary expansion from seed terms "
                  "(embedding similarity and SO-PMI), with frequencies, scores and contexts.")
def expand(
    seeds: Annotated[list[str], typer.Argument(help="种子词，空格或逗号分隔 / seed terms of one category")],
    db: DbOption = DEFAULT_DB,
    method: Annotated[str, typer.Option("--method", help="embedding | sopmi | both")] = "both",
    negative: Annotated[str | None, typer.Option(
        "--negative", help="反义种子词（逗号分隔，SO-PMI 减去）/ opposite seeds")] = None,
    model: ModelOption = "word2vec",
    top: Annotated[int, typer.Option("--top", min=1, help="每种方法的候选数 / candidates per method")] = 30,
    window: Annotated[int, typer.Option("--window", min=1, help="SO-PMI 窗口 / co-occurrence window")] = 10,
    min_joint: Annotated[int, typer.Option("--min-joint", min=1, help="最少共现次数 / minimum joint count")] = 2,
    min_freq: Annotated[int, typer.Option("--min-freq", min=1, help="候选最低频次 / minimum frequency")] = 2,
    agg: Annotated[str, typer.Option("--agg", help="mean | sum（cntext）")] = "mean",
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    out: OutOption = None,
    zh_headers: ZhOption = False,
) -> None:
    from corpus_tool.analyse.meaning.expansion import expand as expand_fn

    seeds = split_terms(seeds)
    options = {"db": str(db), "method": method, "negative": negative, "model": model, "top": top, "window": window,
               "min_joint": min_joint, "min_freq": min_freq, "agg": agg, "where": where,
               "include_duplicates": include_duplicates}
    _run(lambda: expand_fn(db, list(seeds), method=method, negative=list(split_list(negative)), model=model, top=top,
                           window=window, min_joint=min_joint, min_freq=min_freq, agg=agg, where=where,
                           include_duplicates=include_duplicates), out, zh_headers, "expand", list(seeds), options, db)


@app.command(help="把候选表中 keep 列标记的词加入用户词典或编码词典 / Add the candidates marked in the keep column "
                  "to a user dictionary or to a code of a YAML coding dictionary.")
def accept(
    candidates: Annotated[Path, typer.Argument(help="expand 输出的候选表 / the expand table, keep marked")],
    user_dict: Annotated[Path | None, typer.Option("--user-dict", help="用户词典文件 / user dictionary")] = None,
    dictionary: Annotated[Path | None, typer.Option("--dictionary", help="编码词典（YAML）/ coding dictionary")] = None,
    code: Annotated[str | None, typer.Option("--code", help="加入的编码 / the code to add terms to")] = None,
    category: Annotated[str | None, typer.Option("--category", help="新编码的类别 / category of a new code")] = None,
) -> None:
    import pandas as pd

    from corpus_tool.analyse.meaning.expansion import accept as accept_fn
    from corpus_tool.analyse.meaning.expansion import accepted_terms

    if candidates.suffix.lower() == ".xlsx":
        table = pd.read_excel(candidates, dtype=str, keep_default_na=False)
    else:
        table = pd.read_csv(candidates, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    table = table.rename(columns={"候选词": "candidate", "保留": "keep"})
    if "keep" not in table.columns or "candidate" not in table.columns:
        raise fail("候选表需要 candidate 和 keep 两列 / the table needs candidate and keep columns", 2)
    terms = accepted_terms(table)
    if not terms:
        raise fail("keep 列没有标记任何词（填 1、y 或 是）/ no row is marked in the keep column (1, y, 是)", 2)
    try:
        path = accept_fn(terms, user_dict=user_dict, dictionary=dictionary, code=code, category=category)
    except ValueError as exc:
        raise fail(str(exc), 2) from exc
    typer.echo(f"{len(terms)} 个词 terms → {path}")


@app.command(help="语义投影：文档与分组在概念轴（如 政府,计划 ↔ 市场,竞争）上的位置 / Semantic projection of "
                  "documents and groups on concept axes drawn between two pole word lists.")
def project(
    axes: Annotated[list[str], typer.Argument(help="概念轴，如 \"政府,计划 ↔ 市场,竞争\" / 'pos ↔ neg'")],
    db: DbOption = DEFAULT_DB,
    by: Annotated[str, typer.Option("--by", help="分组 / document, corpus, year, issuer …")] = "year",
    model: ModelOption = "word2vec",
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0, help="重抽极词次数 / pole resamples")] = 200,
    seed: SeedOption = 1,
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    out: OutOption = None,
    zh_headers: ZhOption = False,
) -> None:
    from corpus_tool.analyse.meaning.projection import project as project_fn

    options = {"db": str(db), "by": by, "model": model, "bootstrap": bootstrap, "seed": seed, "where": where,
               "include_duplicates": include_duplicates}
    _run(lambda: project_fn(db, list(axes), by=by, model=model, n_boot=bootstrap, seed=seed, where=where,
                            include_duplicates=include_duplicates), out, zh_headers, "project", list(axes), options, db)


@app.command(help="共现网络：社区、中心度，导出 GEXF/GraphML（Gephi）与边表 / Co-occurrence network with communities "
                  "and centralities; GEXF, GraphML and CSV edge list.")
def network(
    out_dir: Annotated[Path | None, typer.Option(
        "--out-dir", "-o",
        help="输出文件夹（nodes.csv、edges.csv、network.gexf、network.graphml）/ output folder")] = None,
    db: DbOption = DEFAULT_DB,
    unit: Annotated[str, typer.Option("--unit", help="共现单元 / sentence | paragraph | window")] = "sentence",
    weight: Annotated[str, typer.Option("--weight", help="权重 / jaccard | count | pmi")] = "jaccard",
    window: Annotated[int, typer.Option("--window", min=1, help="窗口（unit=window）/ window size")] = 5,
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=2, help="最多词数（按频次）/ most frequent terms")] = 120,
    min_freq: Annotated[int, typer.Option("--min-freq", min=1, help="词的最低频次 / term floor")] = 2,
    min_cooc: Annotated[int, typer.Option("--min-cooc", min=1, help="最少共现次数 / pair floor")] = 2,
    max_edges: Annotated[int, typer.Option("--max-edges", min=1, help="最多边数 / strongest edges kept")] = 60,
    by: Annotated[str | None, typer.Option("--by", help="每组一个网络 / one network per group")] = None,
    seed: SeedOption = 100,
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    keep_stopwords: StopOption = False,
    pos: PosOption = None,
    min_chars: Annotated[int, typer.Option("--min-chars", min=1, help="最短词长 / shortest term")] = 2,
    fields: FieldsOption = None,
) -> None:
    from corpus_tool.analyse.meaning.network import network as network_fn
    from corpus_tool.analyse.meaning.network import write_network
    from corpus_tool.export.runrecord import command_line

    require_db(db)
    tf = token_filter(keep_stopwords, pos, min_chars, fields)
    result = compute_or_fail(lambda: network_fn(db, unit=unit, weight=weight, window=window, max_nodes=max_nodes,
                                         min_freq=min_freq, min_cooc=min_cooc, max_edges=max_edges, by=by, seed=seed,
                                         where=where, include_duplicates=include_duplicates, token_filter=tf))
    if out_dir is None:
        from corpus_tool.cli.display import print_table

        print_table(result.table, "network")
        return
    options = {"db": str(db), "unit": unit, "weight": weight, "window": window, "max_nodes": max_nodes,
               "min_freq": min_freq, "min_cooc": min_cooc, "max_edges": max_edges, "by": by, "seed": seed,
               "where": where, "include_duplicates": include_duplicates,
               **_filter_options(keep_stopwords, pos, min_chars, fields), "out_dir": str(out_dir)}
    paths = write_network(result, out_dir, command_line=command_line("network", [], options))
    typer.echo(f"{len(result.table)} 个节点 nodes, {len(result.tables['edges'])} 条边 edges → {out_dir} "
               f"({len(paths)} 个文件 files)")


@app.command(help="对应分析：词 × 字段（年份、发文机关、文种），含惯量 / Correspondence analysis of terms against a "
                  "field, with inertia per dimension.")
def ca(
    db: DbOption = DEFAULT_DB,
    by: Annotated[str, typer.Option("--by", help="字段 / year, issuer, doc_type …")] = "year",
    top: Annotated[int, typer.Option("--top", min=2, help="按卡方取前 N 个词 / terms by chi-square")] = 60,
    min_freq: Annotated[int, typer.Option("--min-freq", min=1, help="最低频次 / term floor")] = 5,
    scaling: Annotated[str, typer.Option("--scaling", help="symmetric | none | biplot")] = "symmetric",
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    out: OutOption = None,
    zh_headers: ZhOption = False,
) -> None:
    from corpus_tool.analyse.meaning.correspondence import correspondence

    options = {"db": str(db), "by": by, "top": top, "min_freq": min_freq, "scaling": scaling, "where": where,
               "include_duplicates": include_duplicates}
    _run(lambda: correspondence(db, by=by, top=top, min_freq=min_freq, scaling=scaling, where=where,
                                include_duplicates=include_duplicates), out, zh_headers, "ca", [], options, db)


@app.command(help="层次聚类：词（Jaccard）或文档（TF-IDF 余弦）/ Hierarchical clustering of terms or documents.")
def cluster(
    db: DbOption = DEFAULT_DB,
    items: Annotated[str, typer.Option("--items", help="terms | documents")] = "terms",
    top: Annotated[int, typer.Option("--top", min=3, help="最常见的 N 个词 / most frequent terms")] = 50,
    k: Annotated[int | None, typer.Option("--k", min=2, help="类数（默认 √n）/ clusters")] = None,
    method: Annotated[str, typer.Option("--method", help="ward | average | complete | single")] = "ward",
    unit: Annotated[str, typer.Option("--unit", help="词共现单元 / sentence | paragraph")] = "sentence",
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    out: OutOption = None,
    zh_headers: ZhOption = False,
) -> None:
    from corpus_tool.analyse.meaning.correspondence import cluster as cluster_fn

    options = {"db": str(db), "items": items, "top": top, "k": k, "method": method, "unit": unit, "where": where,
               "include_duplicates": include_duplicates}
    _run(lambda: cluster_fn(db, items=items, top=top, k=k, method=method, unit=unit, where=where,
                            include_duplicates=include_duplicates), out, zh_headers, "cluster", [], options, db)


@app.command(help="文档相似度：TF-IDF 或词向量余弦，每篇最相似的 k 篇与相似度矩阵 / Document similarity: the k most "
                  "similar documents of each, and a matrix.")
def docsim(
    db: DbOption = DEFAULT_DB,
    method: Annotated[str, typer.Option("--method", help="tfidf | embedding")] = "tfidf",
    top: Annotated[int, typer.Option("--top", min=1, help="每篇的相似文档数 / most similar per document")] = 5,
    matrix: Annotated[bool, typer.Option("--matrix", help="另存相似度矩阵 / also write the matrix")] = False,
    model: ModelOption = "word2vec",
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    out: OutOption = None,
    zh_headers: ZhOption = False,
) -> None:
    from corpus_tool.analyse.meaning.similarity import similarity

    options = {"db": str(db), "method": method, "top": top, "matrix": matrix, "model": model, "where": where,
               "include_duplicates": include_duplicates}
    _run(lambda: similarity(db, method=method, top=top, matrix=matrix, model=model, where=where,
                            include_duplicates=include_duplicates), out, zh_headers, "docsim", [], options, db)


@app.command(help="可读性与词汇多样性（每分句字数、副词连词占比、TTR/MATTR）/ Readability and lexical diversity "
                  "per document.")
def readability(
    db: DbOption = DEFAULT_DB,
    window: Annotated[int, typer.Option("--window", min=2, help="MATTR 窗口（词）/ MATTR window")] = 100,
    fields: Annotated[str, typer.Option("--fields", help="文本字段 / text fields")] = "body",
    where: WhereOption = None,
    include_duplicates: DupOption = False,
    out: OutOption = None,
    zh_headers: ZhOption = False,
) -> None:
    from corpus_tool.analyse.meaning.readability import readability as readability_fn

    options = {"db": str(db), "window": window, "fields": fields, "where": where,
               "include_duplicates": include_duplicates}
    _run(lambda: readability_fn(db, window=window, fields=split_list(fields), where=where,
                                include_duplicates=include_duplicates), out, zh_headers, "readability", [], options, db)
