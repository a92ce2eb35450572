"""The methods sentences of the meaning analyses (embeddings, expansion, projection, networks, CA, clustering,
document similarity, readability), in English and Chinese, from their run records' parameters."""

from __future__ import annotations

from typing import Any

ALGORITHM_ZH = {"cbow": "CBOW", "skipgram": "Skip-gram"}
WEIGHT_EN = {"jaccard": "Jaccard coefficient c/(a+b−c)", "count": "co-occurrence count",
             "pmi": "pointwise mutual information log₂(c·N/(a·b))"}
WEIGHT_ZH = {"jaccard": "Jaccard 系数 c/(a+b−c)", "count": "共现次数", "pmi": "点互信息 log₂(c·N/(a·b))"}
UNIT_ZH = {"sentence": "句", "paragraph": "段落", "window": "窗口"}


def _w2v_en(m: dict[str, Any]) -> str:
    workers = m.get("workers", 1)
    repro = ("one worker thread, so that the same seed reproduces the vectors" if workers == 1 else
             f"{workers} worker threads (gensim is then not reproducible run to run)")
    return (f"word2vec (gensim; {m.get('algorithm')}, {m.get('vector_size')} dimensions, window {m.get('window')}, "
            f"minimum count {m.get('min_count')}, {m.get('epochs')} epochs, {m.get('negative')} negative samples, "
            f"down-sampling {m.get('sample')}, seed {m.get('seed')}, {repro}) trained on the counted tokens of each "
            f"{m.get('unit')}")


def _w2v_zh(m: dict[str, Any]) -> str:
    workers = m.get("workers", 1)
    repro = ("单线程训练，同一种子可复现词向量" if workers == 1
             else f"{workers} 个线程训练（gensim 多线程结果不可逐次复现）")
    return (f"以每{UNIT_ZH.get(m.get('unit', ''), m.get('unit'))}的计数词训练的 word2vec 模型（gensim；"
            f"{ALGORITHM_ZH.get(m.get('algorithm', ''), m.get('algorithm'))}，{m.get('vector_size')} 维，窗口 "
            f"{m.get('window')}，最小词频 {m.get('min_count')}，{m.get('epochs')} 轮，负采样 {m.get('negative')}，"
            f"降采样阈值 {m.get('sample')}，随机种子 {m.get('seed')}，{repro}）")


def _terms(values: Any) -> str:
    return "、".join(values or [])


def meaning_en(command: str, p: dict[str, Any], tf: str) -> str | None:
    """The English sentence for a meaning analysis, or None when ``command`` is not one."""
    if command == "embed":
        return f"Word embeddings{tf} were {_w2v_en(p)}. "
    if command == "similar":
        return (f"Nearest neighbours of {_terms(p.get('terms'))} (top {p.get('top')}, cosine similarity) were "
                f"read from {_w2v_en(p.get('model') or {})}. ")
    if command == "expand":
        bits = []
        if p.get("method") in ("embedding", "both"):
            bits.append(f"embedding similarity to the mean seed vector in {_w2v_en(p.get('model_parameters') or {})}")
        if p.get("method") in ("sopmi", "both"):
            bits.append(f"SO-PMI (Turney & Littman 2003; the {p.get('agg')} PMI over the seeds, co-occurrence within "
                        f"±{p.get('window')} counted tokens of one paragraph, at least {p.get('min_joint')} joint "
                        "occurrences)")
        neg = f", minus the opposite seeds {_terms(p.get('negative'))}" if p.get("negative") else ""
        return (f"The seed terms {_terms(p.get('seeds'))}{tf} were expanded by {' and by '.join(bits)}{neg}; the top "
                f"{p.get('top')} candidates per method with at least {p.get('min_freq')} occurrences are reported "
                "with example contexts. ")
    if command == "project":
        axes = "; ".join(f"{name} ({_terms(a.get('positive'))} ↔ {_terms(a.get('negative'))})"
                         for name, a in (p.get("axes") or {}).items())
        return (f"Documents were projected on the concept axes {axes} (the normalised difference of the mean unit "
                f"vectors of the two pole lists, Kozlowski, Taddy & Evans 2019) in "
                f"{_w2v_en(p.get('model_parameters') or {})}; "
                f"a score is the mean cosine of a unit's counted tokens (pole words left out) with the axis, and the "
                f"95 % interval comes from {p.get('n_boot')} resamples of the pole words (seed {p.get('seed')}). ")
    if command == "network":
        unit = (f"a window of {p.get('window')} counted tokens" if p.get("unit") == "window"
                else f"one {p.get('unit')}")
        return (f"A co-occurrence network{tf} linked the {p.get('max_nodes')} most frequent terms (at least "
                f"{p.get('min_freq')} occurrences) that occur in {unit}, weighted by the "
                f"{WEIGHT_EN.get(p.get('weight', ''), p.get('weight'))}, keeping pairs with at least "
                f"{p.get('min_cooc')} co-occurrences and the {p.get('max_edges')} strongest edges (KH Coder's "
                f"defaults); communities are Louvain partitions (networkx, seed {p.get('seed')}); centralities are "
                "degree, weighted degree, betweenness (unweighted) and weighted eigenvector centrality. ")
    if command == "correspondence":
        return (f"Correspondence analysis (exact SVD, {p.get('scaling')} scaling) of the terms × {p.get('by')} "
                f"table of counts{tf} used the {p.get('top')} terms contributing most to χ² among those with at least "
                f"{p.get('min_freq')} occurrences; total inertia {float(p.get('total_inertia') or 0):.4f}. ")
    if command == "cluster":
        what = (f"terms (the {p.get('top')} most frequent, {p.get('distance')} distance over {p.get('unit')}s)"
                if p.get("items") == "terms" else "documents (cosine distance of TF-IDF vectors)")
        return (f"Hierarchical clustering ({p.get('method')} linkage, scipy) of {what}{tf} was cut into {p.get('k')} "
                "clusters. ")
    if command == "docsim":
        how = ("cosine similarity of TF-IDF vectors (smoothed IDF, L2-normalised)" if p.get("method") == "tfidf" else
               "cosine similarity of mean word vectors, centred on the mean over the selected documents")
        return (f"Document similarity{tf} was measured as the {how}; the {p.get('top')} most similar documents "
                "are listed. ")
    if command == "readability":
        return ("Readability follows 徐巍、姚振晔、陈冬华 (2021): characters per clause (clauses end at "
                f"{p.get('clause_marks')}), the share of adverbs and conjunctions per sentence (sentences end at "
                f"{p.get('sentence_marks')}) and their mean; lexical diversity is TTR and MATTR over windows of "
                f"{p.get('window')} words (Covington & McFall 2010), computed on the fields "
                f"{', '.join(p.get('fields') or [])}. ")
    return None


def meaning_zh(command: str, p: dict[str, Any], tf: str) -> str | None:
    """The Chinese sentence for a meaning analysis, or None when ``command`` is not one."""
    if command == "embed":
        return f"词向量{tf}为{_w2v_zh(p)}。"
    if command == "similar":
        return (f"“{_terms(p.get('terms'))}”的近邻词（余弦相似度前 {p.get('top')} 个）取自"
                f"{_w2v_zh(p.get('model') or {})}。")
    if command == "expand":
        bits = []
        if p.get("method") in ("embedding", "both"):
            bits.append(f"与种子词平均向量的相似度（{_w2v_zh(p.get('model_parameters') or {})}）")
        if p.get("method") in ("sopmi", "both"):
            bits.append(f"SO-PMI（Turney & Littman 2003；同一段落内前后 {p.get('window')} 个计数词的共现，共现不少于 "
                        f"{p.get('min_joint')} 次，对各种子词的 PMI 取{'均值' if p.get('agg') == 'mean' else '总和'}）")
        neg = f"，并减去反义种子词 {_terms(p.get('negative'))} 的得分" if p.get("negative") else ""
        return (f"以种子词{_terms(p.get('seeds'))}{tf}进行词典扩展，依据{'与'.join(bits)}{neg}；每种方法报告频次不低于 "
                f"{p.get('min_freq')} 的前 {p.get('top')} 个候选词及其语境。")
    if command == "project":
        axes = "；".join(f"{name}（{_terms(a.get('positive'))} ↔ {_terms(a.get('negative'))}）"
                        for name, a in (p.get("axes") or {}).items())
        return (f"文档在概念轴 {axes} 上做语义投影（两极词单位向量均值之差并归一化，Kozlowski、Taddy 与 Evans 2019），"
                f"词向量为{_w2v_zh(p.get('model_parameters') or {})}；得分为单元内计数词（不含极词）与轴的平均余弦，"
                f"95% 区间由极词重抽样 {p.get('n_boot')} 次得到（随机种子 {p.get('seed')}）。")
    if command == "network":
        unit = (f"{p.get('window')} 个计数词的窗口" if p.get("unit") == "window"
                else f"同一{UNIT_ZH.get(p.get('unit', ''), p.get('unit'))}")
        return (f"共现网络{tf}取频次最高的 {p.get('max_nodes')} 个词（频次不低于 {p.get('min_freq')}），以在{unit}中"
                f"共同出现为共现，权重为{WEIGHT_ZH.get(p.get('weight', ''), p.get('weight'))}，保留共现不少于 "
                f"{p.get('min_cooc')} 次的词对中最强的 {p.get('max_edges')} 条边（KH Coder 的默认设置）；"
                f"社区由 Louvain 算法划分（networkx，随机种子 {p.get('seed')}），"
                "中心性包括度中心性、加权度、中介中心性（不加权）与加权特征向量中心性。")
    if command == "correspondence":
        return (f"对词 × {p.get('by')} 频次表{tf}做对应分析（精确奇异值分解，{p.get('scaling')} 标度），选取频次不低于 "
                f"{p.get('min_freq')} 的词中卡方贡献最大的 {p.get('top')} 个；总惯量 "
                f"{float(p.get('total_inertia') or 0):.4f}。")
    if command == "cluster":
        what = (f"词（频次最高的 {p.get('top')} 个，按{UNIT_ZH.get(p.get('unit', ''), p.get('unit'))}计算 "
                f"{p.get('distance')} 距离）" if p.get("items") == "terms" else "文档（TF-IDF 向量的余弦距离）")
        return f"对{what}{tf}做层次聚类（scipy，{p.get('method')} 连接法），切分为 {p.get('k')} 类。"
    if command == "docsim":
        how = ("TF-IDF 向量（平滑 IDF，L2 归一化）的余弦相似度" if p.get("method") == "tfidf"
               else "平均词向量（减去所选文档的总体均值）的余弦相似度")
        return f"文档相似度{tf}为{how}，列出每篇文档最相似的 {p.get('top')} 篇。"
    if command == "readability":
        return ("可读性按徐巍、姚振晔、陈冬华（2021）计算：每分句字数（分句以 "
                f"{p.get('clause_marks')} 结束）、每句副词与连词占比（句以 {p.get('sentence_marks')} 结束）及二者均值；"
                f"词汇多样性为 TTR 与 {p.get('window')} 词窗口的 MATTR（Covington 与 McFall 2010），计算字段为 "
                f"{'、'.join(p.get('fields') or [])}。")
    return None
