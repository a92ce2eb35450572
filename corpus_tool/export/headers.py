"""Column headers: English names by default, Chinese with ``--zh-headers`` (the map goes in the run record)."""

from __future__ import annotations

from collections.abc import Iterable

ZH_HEADERS: dict[str, str] = {
    # documents and grouping
    "doc_id": "文档编号", "title": "标题", "year": "年份", "date": "日期", "issuer": "发文机关",
    "doc_number": "发文字号", "doc_type": "文种", "source_path": "来源文件", "collection": "子集",
    "para_no": "段落号", "field": "文本字段", "section_title": "所在章节", "ocr_confidence": "OCR 置信度",
    # frequencies and keywords
    "rank": "排名", "term": "词语", "frequency": "频次", "per_10k": "每万词频次", "documents": "文档数",
    "doc_share": "文档占比", "tf": "词频(TF)", "df": "文档频次(DF)", "idf": "逆文档频率(IDF)", "score": "得分",
    "degree": "共现词数",
    # keyness
    "target_freq": "目标组频次", "reference_freq": "参照组频次", "target_per_10k": "目标组每万词频次",
    "reference_per_10k": "参照组每万词频次", "target_docs": "目标组文档数", "reference_docs": "参照组文档数",
    "log_likelihood": "对数似然比(G²)", "ll_p": "G²的p值", "chi2": "卡方(Yates校正)", "chi2_p": "卡方的p值",
    "pmi": "点互信息(PMI)", "log_ratio": "对数比(Log Ratio)", "preferred": "倾向",
    # n-grams and collocations
    "ngram": "词串", "joined": "连写", "first_freq": "前项频次", "last_freq": "后项频次", "expected": "期望频次",
    "t_score": "t值", "dice": "Dice系数",
    # KWIC and coding evidence
    "start": "起始位置", "end": "结束位置", "left": "左语境", "match": "命中", "right": "右语境",
    "category": "类别", "code": "编码", "label": "编码名称", "matches": "命中次数", "per_10k_chars": "每万字命中",
    "entry": "词条",
}


# meaning analyses (corpus_tool/analyse/meaning)
ZH_HEADERS.update({
    "query": "查询词", "neighbour": "近邻词", "cosine": "余弦相似度", "method": "方法", "candidate": "候选词",
    "nearest_seed": "最近种子词", "joint": "共现次数", "seeds_met": "共现种子词数", "contexts": "例句", "keep": "保留",
    "axis": "概念轴", "lower": "区间下限", "upper": "区间上限", "tokens_used": "计入词数", "tokens": "词数",
    "coverage": "覆盖率", "pole": "极", "word": "词", "in_model": "模型中有", "cosine_to_axis": "与轴的余弦",
    "units": "出现单元数", "community": "社区", "degree_centrality": "度中心度", "weighted_degree": "加权度",
    "betweenness": "中介中心度", "eigenvector": "特征向量中心度", "source": "词1", "target": "词2", "weight": "权重",
    "cooc": "共现次数", "same_community": "同一社区", "kind": "类型", "item": "项", "mass": "质量",
    "inertia_share": "惯量占比", "dim1": "维度1", "dim2": "维度2", "contrib1": "维度1贡献", "contrib2": "维度2贡献",
    "dimension": "维度", "inertia": "惯量(特征值)", "share": "占比", "cumulative": "累计占比", "cluster": "类",
    "order": "树图顺序", "item_no": "项编号", "other_doc_id": "相似文档编号", "other_year": "相似文档年份",
    "other_title": "相似文档标题", "similarity": "相似度", "sentences": "句数", "clauses": "分句数",
    "characters": "字数", "words": "词数(含停用词)", "adv_conj": "副词连词数", "readability1": "可读性1(每分句字数)",
    "readability2": "可读性2(副词连词占比)", "readability3": "可读性3(均值)", "ttr": "类符形符比(TTR)",
    "mattr": "滑动平均TTR(MATTR)",
})

# policy strength, two-dimensional coding, terms over time (corpus_tool/analyse/policy)
ZH_HEADERS.update({
    "issuers_scored": "评分所用发文机关", "issuer_source": "发文机关来源", "n_issuers": "发文机关数",
    "issuer_levels": "发文机关级别", "issuer_scores": "各机关得分", "relation": "关系(印发/转发)",
    "attachment_type": "附件文种", "scored_type": "评分文种", "type_source": "文种来源", "strength": "政策力度",
    "rule": "评分规则", "reason": "未评分原因", "scored": "已评分文档数",
    "unscored": "未评分文档数", "strength_sum": "力度合计", "strength_mean": "力度均值",
    "x_category": "行维度类别", "x_code": "行维度编码", "x_label": "行维度名称", "x_terms": "行维度命中",
    "y_category": "列维度类别", "y_code": "列维度编码", "y_label": "列维度名称", "y_terms": "列维度命中",
    "row_share": "行占比", "col_share": "列占比", "doc_weighted": "按文档加权", "unit_id": "单元编号",
    "sentence_no": "句序号", "text": "文本", "count": "次数", "year_documents": "当年文档数",
    "first_year": "首次出现年份", "total_count": "总次数", "years": "出现年数",
})

# Text reuse and compare (corpus_tool/analyse/policy/reuse.py, compare.py).
_SIDES = {"source": "来源", "target": "目标"}
for _side, _zh in _SIDES.items():
    ZH_HEADERS.update({
        f"{_side}_doc_id": f"{_zh}文档编号", f"{_side}_text": f"{_zh}文本", f"{_side}_date": f"{_zh}日期",
        f"{_side}_issuer": f"{_zh}发文机关", f"{_side}_title": f"{_zh}标题",
        f"{_side}_para_start": f"{_zh}起始段落号", f"{_side}_offset_start": f"{_zh}起始字符位置",
        f"{_side}_para_end": f"{_zh}结束段落号", f"{_side}_offset_end": f"{_zh}结束字符位置(不含)",
        f"{_side}_chars": f"{_zh}文档复用字数", f"{_side}_share": f"{_zh}文档复用比例",
        f"{_side}_documents": f"{_zh}文档数",
    })
ZH_HEADERS.update({
    "direction": "方向", "length": "长度(字)", "docs_sharing": "共享文档数", "boilerplate": "套话",
    "passages": "复用文段数", "boilerplate_passages": "套话文段数", "non_boilerplate_passages": "非套话文段数",
    "target_share_non_boilerplate": "目标文档复用比例(不含套话)", "shared_shingles": "共享n-gram数",
    "dedup_similarity": "去重相似度", "pairs": "文档对数", "partial_pairs": "部分复用文档对数",
    "whole_pairs": "整篇复用文档对数", "forwarded_pairs": "转发文档对数", "duplicate_pairs": "近似重复文档对数",
    "status": "状态", "ratio": "相似度比", "numbers_only": "仅数字变化", "text_a": "第一版本句子",
    "text_b": "第二版本句子", "diff": "差异", "doc_a": "第一版本文档", "para_a": "第一版本段落号",
    "doc_b": "第二版本文档", "para_b": "第二版本段落号", "version": "版本", "kept": "保留句数",
    "changed": "改写句数", "new": "新增句数", "dropped": "删去句数", "novelty_share": "新内容占比",
    "dropped_share": "删去内容占比", "characters_a": "第一版本字数", "characters_b": "第二版本字数",
    "share_a": "占第一版本比例", "share_b": "占第二版本比例",
    "earlier_year": "更早出现的年份",
})


def zh_headers(columns: Iterable[str]) -> dict[str, str]:
    """Rename map for ``columns`` to Chinese; names without a translation (manifest fields) stay as they are."""
    return {c: ZH_HEADERS[c] for c in columns if c in ZH_HEADERS}
