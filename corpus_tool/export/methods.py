"""A methods paragraph, in Chinese and in English, written from a run record (``<out>.run.json``).

The paragraph states what a reader needs to reproduce the table: the tool and version, the corpus
(documents selected and analysed, words and counted tokens, fingerprints), how documents were grouped
(and what happened to those without a group value), the segmentation (segmenter, engine and version,
dictionaries and every stopword list, the general one included, by hash), the analysis with its
parameters (for topics: units, vocabulary, the model and its parameters, seeds, how coherence and
stability were measured), and the exact command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from corpus_tool.analyse.options import TEXT_FIELDS


def load_record(path: str | Path) -> dict[str, Any]:
    """Read a run record; raise ValueError with the reason when it is not one."""
    path = Path(path)
    try:
        record = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"无法读取运行记录 / cannot read run record {path}: {exc}") from exc
    if not isinstance(record, dict) or record.get("tool") != "corpus-tool":
        raise ValueError(f"不是 corpus-tool 的运行记录 / not a corpus-tool run record: {path}")
    return record


def methods_text(record: dict[str, Any], lang: str = "both") -> str:
    """The methods paragraph: ``lang`` is ``zh``, ``en`` or ``both`` (Chinese first)."""
    parts = []
    if lang in ("zh", "both"):
        parts.append(_zh(record))
    if lang in ("en", "both"):
        parts.append(_en(record))
    if not parts:
        raise ValueError("lang must be zh, en or both")
    return "\n\n".join(parts)


_BY_ZH = {"document": "文档", "corpus": "全语料", "year": "年份", "issuer": "发文机关", "doc_type": "文种",
          "date": "日期", "doc_number": "发文字号", "collection": "子集"}


def _by_zh(by: str | None) -> str:
    return _BY_ZH.get(by or "corpus", by or "")


def _n(value: Any) -> str:
    """A count with thousands separators (never 'None')."""
    return f"{value:,}" if isinstance(value, int) else ("?" if value is None else str(value))


def _hash_en(h: str) -> str:
    return f"SHA-256 {h}" if len(h) == 64 else f"SHA-256 prefix {h}"


def _hash_zh(h: str) -> str:
    return f"SHA-256：{h}" if len(h) == 64 else f"SHA-256 前 {len(h)} 位：{h}"


def _filters_en(tf: dict[str, Any] | None) -> str:
    if not tf:
        return ""
    bits = ["stopwords removed" if not tf.get("keep_stopwords") else "stopwords kept"]
    if tf.get("pos"):
        bits.append("POS tags " + ", ".join(tf["pos"]))
    if tf.get("min_chars", 1) > 1:
        bits.append(f"terms of at least {tf['min_chars']} characters")
    fields = tf.get("fields") or []
    if fields and set(fields) != set(TEXT_FIELDS):  # say so whenever a field was left out
        bits.append("text fields " + ", ".join(fields))
    return "; ".join(bits)


def _filters_zh(tf: dict[str, Any] | None) -> str:
    if not tf:
        return ""
    bits = ["去除停用词" if not tf.get("keep_stopwords") else "保留停用词"]
    if tf.get("pos"):
        bits.append("仅保留词性 " + "、".join(tf["pos"]))
    if tf.get("min_chars", 1) > 1:
        bits.append(f"仅统计不少于 {tf['min_chars']} 个字的词")
    fields = tf.get("fields") or []
    if fields and set(fields) != set(TEXT_FIELDS):  # say so whenever a field was left out
        bits.append("文本字段 " + "、".join(fields))
    return "，".join(bits)


_ROLES_EN = {"lexicon": "the shipped policy lexicon", "policy_stopwords": "the shipped policy stopword list",
             "user_dict": "user dictionaries", "stopwords": "user stopword lists"}
_ROLES_ZH = {"lexicon": "内置政策词表", "policy_stopwords": "内置政策停用词表", "user_dict": "用户词典",
             "stopwords": "用户停用词表"}


def _seg_en(seg: dict[str, Any] | None) -> str:
    if not seg:
        return ""
    files = seg.get("file_hashes") or {}
    listed = [f"{_ROLES_EN.get(role, role)} ({', '.join(_hash_en(x) for x in h)})" for role, h in sorted(files.items())]
    text = f"Texts were segmented with {seg.get('segmenter') or 'an unknown segmenter'}"
    if seg.get("engine_version"):
        text += f" ({seg['engine_version']})"
    if seg.get("pos"):
        text += " with POS tagging"
    if listed:
        text += " using " + "; ".join(listed)
    general = seg.get("general_stopwords")
    if general:
        text += (f"; stopwords: the general Chinese list of {general.get('source')} {general.get('version') or ''} "
                 f"({_n(general.get('words'))} words, {_hash_en(general.get('hash') or '')})").replace("  ", " ")
        text += " together with the policy stopword list" + (" and the user lists" if seg.get("stopwords") else "")
    elif seg.get("stopwords"):
        text += "; stopwords: the user lists only"
    elif seg.get("default_stopwords") is False:
        text += "; no stopword list"
    return text + f" (segmentation id {seg.get('seg_id')}). "


def _seg_zh(seg: dict[str, Any] | None) -> str:
    if not seg:
        return ""
    files = seg.get("file_hashes") or {}
    listed = [f"{_ROLES_ZH.get(role, role)}（{'、'.join(_hash_zh(x) for x in h)}）"
              for role, h in sorted(files.items())]
    text = f"文本使用 {seg.get('segmenter') or '未知分词器'}"
    if seg.get("engine_version"):
        text += f"（{seg['engine_version']}）"
    text += "分词" + ("并标注词性" if seg.get("pos") else "")
    if listed:
        text += "，加载" + "、".join(listed)
    general = seg.get("general_stopwords")
    if general:
        text += (f"；停用词为 {general.get('source')} {general.get('version') or ''} 通用中文停用词表"
                 f"（{_n(general.get('words'))} 词，{_hash_zh(general.get('hash') or '')}）与内置政策停用词表"
                 + ("及用户停用词表" if seg.get("stopwords") else ""))
    elif seg.get("stopwords"):
        text += "；仅使用用户停用词表"
    elif seg.get("default_stopwords") is False:
        text += "；未使用停用词表"
    return text + f"（分词编号 {seg.get('seg_id')}）。"


# -- topics ------------------------------------------------------------------------------------------------
def _model_en(p: dict[str, Any]) -> str:
    m = p.get("model_params") or {}
    model = p.get("model")
    if model == "nmf":
        return (f"non-negative matrix factorisation (scikit-learn NMF, coordinate descent, initialisation "
                f"{m.get('init')}, at most {m.get('max_iter')} iterations, tolerance {m.get('tol')}, "
                f"regularisation alpha_W {m.get('alpha_W')}, alpha_H {m.get('alpha_H')}, l1_ratio "
                f"{m.get('l1_ratio')}; MiniBatchNMF above {_n(m.get('minibatch_above'))} units) of the TF-IDF "
                "matrix (sublinear term frequency, smoothed IDF, rows scaled to unit length)")
    if model == "lda":
        return (f"latent Dirichlet allocation (scikit-learn, variational Bayes, batch learning, online above "
                f"{_n(m.get('online_above'))} units; at most {m.get('max_iter')} iterations; priors "
                f"doc_topic {m.get('doc_topic_prior') or '1/k'}, topic_word {m.get('topic_word_prior') or '1/k'}) "
                "on term counts")
    if model == "gensim-lda":
        return (f"latent Dirichlet allocation (gensim LdaModel, online variational Bayes, {m.get('passes')} passes, "
                f"{m.get('iterations')} iterations, alpha {m.get('alpha')}, eta {m.get('eta') or 'symmetric'}, "
                f"chunks of {m.get('chunksize')}) on term counts")
    return f"the model {model}"


def _model_zh(p: dict[str, Any]) -> str:
    m = p.get("model_params") or {}
    model = p.get("model")
    if model == "nmf":
        return (f"非负矩阵分解（scikit-learn NMF，坐标下降，初始化 {m.get('init')}，最多迭代 {m.get('max_iter')} 次，"
                f"容差 {m.get('tol')}，正则化 alpha_W {m.get('alpha_W')}、alpha_H {m.get('alpha_H')}、l1_ratio "
                f"{m.get('l1_ratio')}；单元数超过 {_n(m.get('minibatch_above'))} 时用 MiniBatchNMF），输入为 TF-"
                f"IDF 矩阵"
                "（次线性词频、平滑 IDF、行向量归一化）")
    if model == "lda":
        return (f"潜在狄利克雷分配（scikit-learn，变分贝叶斯，批量学习，单元数超过 {_n(m.get('online_above'))} "
                f"时在线学习；"
                f"最多迭代 {m.get('max_iter')} 次；先验 doc_topic {m.get('doc_topic_prior') or '1/k'}、topic_word "
                f"{m.get('topic_word_prior') or '1/k'}），输入为词频计数")
    if model == "gensim-lda":
        return (f"潜在狄利克雷分配（gensim LdaModel，在线变分贝叶斯，{m.get('passes')} 遍，每遍"
                f" {m.get('iterations')} 次"
                f"迭代，alpha {m.get('alpha')}，eta {m.get('eta') or 'symmetric'}，块大小 {m.get('chunksize')}），"
                "输入为词频计数")
    return f"模型 {model}"


def _reason(p: dict[str, Any], lang: str) -> str:
    """One language of the bilingual reason for the recommended k ("中文 / k=…: English")."""
    import re

    parts = re.split(r"\s*/\s*(?=k=)", str(p.get("reason") or ""), maxsplit=1)
    return (parts[0] if lang == "zh" or len(parts) == 1 else parts[1]).rstrip("。. ")


def _topics_en(p: dict[str, Any], r: dict[str, Any]) -> str:
    u, us, ts = p.get("units") or {}, p.get("unit_settings") or {}, p.get("topic_settings") or {}
    measures = p.get("measures") or {}
    unit = "body paragraphs" if us.get("unit") == "paragraph" else "documents"
    pos = ", ".join(us.get("pos") or []) or "all tags"
    text = (f"Topics were modelled on {_n(u.get('units'))} {unit} (units; text fields"
            f" {', '.join(us.get('fields') or [])}): "
            f"{_n(u.get('boilerplate_paragraphs'))} paragraphs repeated verbatim in at least "
            f"{u.get('boilerplate_threshold_documents')} documents were left out as boilerplate, "
            f"{_n(u.get('short_units_dropped'))} units with fewer than {us.get('min_unit_terms')} counted tokens and "
            f"{_n(u.get('units_without_vocabulary'))} without any vocabulary term were dropped. Tokens counted: "
            f"{_n(u.get('tokens_counted'))} "
            f"({'stopwords removed' if not us.get('keep_stopwords') else 'stopwords kept'}; "
            f"POS tags {pos}{'' if u.get('pos_filter_applied', True) else ' requested but not applied: no POS tags'}; "
            f"at least {us.get('min_chars')} characters); vocabulary {_n(u.get('vocabulary'))} of "
            f"{_n(u.get('terms_seen'))} terms, those in at least {u.get('min_df_units')} and at most "
            f"{u.get('max_df_units')} units; the units come from {_n(u.get('documents_with_units'))} documents. "
            f"The model was {_model_en(p)}, with k = {p.get('k')} topics. ")
    ks = ts.get("k") or []
    if len(ks) > 1:
        text += f"k was chosen from {', '.join(map(str, ks))}: {_reason(p, 'en')}. "
    seeds = ts.get("seed_list") or []
    text += (f"Each k was fitted with the seeds {', '.join(map(str, seeds))}; the tables come from seed "
             f"{ts.get('seed')}. Coherence: NPMI ({measures.get('npmi')}), UMass ({measures.get('umass')})"
             + (f" and C_V ({measures.get('c_v')})" if ts.get("c_v") else "") + "; diversity: "
             f"{measures.get('diversity')}. Stability across random initialisations: {measures.get('init_stability')}"
             f"; stability across bootstrap resamples of the documents: {measures.get('bootstrap_stability')}. "
             f"Topic terms were ranked by {measures.get('term_ranking')}. ")
    if ts.get("by"):
        text += (f"Topic shares by {', '.join(ts['by'])} (token-weighted) carry 95% intervals from "
                 f"{measures.get('prevalence_interval')}, seed {ts.get('seed')}. ")
    return text


def _topics_zh(p: dict[str, Any], r: dict[str, Any]) -> str:
    u, us, ts = p.get("units") or {}, p.get("unit_settings") or {}, p.get("topic_settings") or {}
    unit = "正文段落" if us.get("unit") == "paragraph" else "文档"
    pos = "、".join(us.get("pos") or []) or "全部词性"
    text = (f"主题模型以 {_n(u.get('units'))} 个{unit}为单元（文本字段 {'、'.join(us.get('fields') or [])}）："
            f"在至少 {u.get('boilerplate_threshold_documents')} 篇文档中逐字重复的"
            f" {_n(u.get('boilerplate_paragraphs'))} "
            f"个段落作为模板文字排除，计数词少于 {us.get('min_unit_terms')} 个的"
            f" {_n(u.get('short_units_dropped'))} 个单元"
            f"和不含词表词的 {_n(u.get('units_without_vocabulary'))} 个单元被剔除。计入"
            f" {_n(u.get('tokens_counted'))} 个词次"
            f"（{'去除停用词' if not us.get('keep_stopwords') else '保留停用词'}，词性 {pos}"
            f"{'' if u.get('pos_filter_applied', True) else '（无词性标注，未过滤）'}，词长不少于"
            f" {us.get('min_chars')} 字）；"
            f"词表 {_n(u.get('vocabulary'))} 个词（共 {_n(u.get('terms_seen'))} 个），限于出现在"
            f" {u.get('min_df_units')} 至 "
            f"{u.get('max_df_units')} 个单元中的词；这些单元来自 {_n(u.get('documents_with_units'))} 篇文档。"
            f"模型为{_model_zh(p)}，主题数 k = {p.get('k')}。")
    ks = ts.get("k") or []
    if len(ks) > 1:
        text += f"k 从 {'、'.join(map(str, ks))} 中选出：{_reason(p, 'zh')}。"
    seeds = ts.get("seed_list") or []
    init_note = "；NNDSVD 为确定性初始化，其余种子从该种子的随机初始化开始" if (p.get("model_params") or {}).get(
        "init") in ("nndsvd", "nndsvda") else ""
    text += (f"每个 k 用随机种子 {'、'.join(map(str, seeds))} 各拟合一次，表格取自种子 {ts.get('seed')}{init_note}。"
             "一致性指标为 NPMI 与 UMass（前 10 个主题词在拟合单元中的文档共现）"
             + ("及 C_V（gensim，滑动窗口 110）" if ts.get("c_v") else "")
             + "；主题多样性为前 25 个词中不重复词的比例。"
             "随机初始化间稳定性为不同种子的拟合之间前 20 个主题词的最佳匹配（匈牙利算法）平均 Jaccard 系数；"
             + (f"文档自助重抽样稳定性为全部单元上的拟合与在文档自助样本（有放回抽取 {ts.get('resample')} 倍文档数，"
                "各取其全部单元）上重新拟合之间的同一指标。" if ts.get("resample") else "未做文档自助重抽样。")
             + f"主题词按相关度排序（λ = {ts.get('lam')}，Sievert & Shirley 2014）。")
    if ts.get("by"):
        text += (f"按{'、'.join(_by_zh(b) for b in ts['by'])}计算的主题占比（按词次加权）给出 95% 区间，"
                 f"来自 {ts.get('n_boot')} 次两阶段自助抽样（先文档、后其单元），种子 {ts.get('seed')}。")
    return text


# -- analyses ---------------------------------------------------------------------------------------------
def _analysis_en(command: str, p: dict[str, Any], r: dict[str, Any]) -> str:
    tf = _filters_en(p.get("token_filter"))
    tf = f" ({tf})" if tf else ""
    if command == "topics":
        return _topics_en(p, r)
    if command == "export":
        return (f"The table “{p.get('table')}” ({_n(r.get('rows'))} rows) was exported from the corpus database "
                "as stored by corpus-tool. ")
    if command == "keywords":
        method = p.get("method")
        if method == "tfidf":
            ref = p.get("reference_corpus")
            source = (f"a reference corpus of {ref.get('documents')} documents (fingerprint {ref.get('fingerprint')})"
                      if ref else f"the {_n(p.get('idf_documents'))} analysed documents")
            idf = p.get("idf")
            if isinstance(idf, dict) and idf.get("over") == "groups":
                how = (f"TF-IDF, with term frequency relative to the group's words and {idf['en']} "
                       f"({_n(p.get('idf_units'))} groups)")
            else:
                how = (f"TF-IDF, with term frequency relative to the unit's words and the smoothed inverse document "
                       f"frequency ln((N+1)/(df+1))+1 computed from {source}")
        elif method == "textrank":
            how = f"TextRank (weighted PageRank, damping 0.85, co-occurrence window {p.get('window')} tokens)"
        else:
            how = "relative frequency"
        return f"Keywords{tf} were ranked per {p.get('by')} by {how}; the top {p.get('top')} are reported. "
    if command == "keyness":
        ref = ("the remaining documents" if p.get("reference") == "rest"
               else f"the reference corpus {p.get('reference')}")
        undecided = p.get("undecided_documents")
        extra = (f" {undecided} documents without a value for the target's field(s) were in neither group."
                 if undecided else "")
        return (f"Keyness{tf} compared the documents matching “{p.get('target')}” ({p.get('target_documents')} "
                f"documents, {_n(p.get('target_words'))} words) with {ref} ({p.get('reference_documents')} documents, "
                f"{_n(p.get('reference_words'))} words), using signed log-likelihood G², χ² with Yates' correction "
                "(p-values from χ² with one degree of freedom), PMI and Hardie's Log Ratio as effect size; terms were "
                f"ranked by {p.get('measure')} with a minimum joint frequency of {p.get('min_freq')}.{extra} ")
    if command in ("ngrams", "collocations"):
        span = "contiguous" if p.get("window", 1) == 1 else f"within a {p.get('window')}-token window"
        node = f" containing “{p['node']}” ({p.get('node_frequency')} occurrences)" if p.get("node") else ""
        return (f"{'N-grams' if command == 'ngrams' else 'Collocations'} (n = {p.get('n')}, {span}{tf}){node} were "
                f"scored with PMI, t-score, log-likelihood and Dice on the pair contingency table of "
                f"{_n(p.get('pairs_total'))} pairs and ranked by {p.get('measure')}, with a minimum frequency of "
                f"{p.get('min_freq')}. ")
    if command == "kwic":
        return (f"Concordance lines for “{p.get('query')}” ({p.get('mode')} search over the text fields "
                f"{', '.join(p.get('fields') or [])}; {_n(p.get('hits'))} hits in {_n(p.get('documents_with_hits'))} "
                f"documents) show {p.get('window')} characters of context on each side. ")
    if command == "coding":
        d = p.get("dictionary") or {}
        return (f"Documents were coded with the dictionary “{d.get('name')}” ({d.get('codes')} codes, "
                f"{d.get('entries')} entries, SHA-256 {d.get('sha256')}), matched on the text itself so that "
                f"segmentation cannot split an entry; every one of the {_n(p.get('matches'))} matches in "
                f"{_n(p.get('characters'))} characters of text is listed with its context in the evidence file. ")
    if command in _POLICY_EN:
        return _POLICY_EN[command](p)
    if command == "frequencies":
        return f"Term and document frequencies{tf} were counted per {p.get('by')}, with rates per 10,000 words. "
    if command == "newwords":
        return (f"Candidate new words (frequency at least {p.get('min_freq')}, top {p.get('top')}) were ranked by "
                "frequency, PMI and branching entropy over the stored tokens. ")
    from corpus_tool.export.methods_meaning import meaning_en

    return meaning_en(command, p, tf) or f"The analysis “{command}” was run with the parameters in the run record. "


def _analysis_zh(command: str, p: dict[str, Any], r: dict[str, Any]) -> str:
    tf = _filters_zh(p.get("token_filter"))
    tf = f"（{tf}）" if tf else ""
    if command == "topics":
        return _topics_zh(p, r)
    if command == "export":
        return f"数据表“{p.get('table')}”（{_n(r.get('rows'))} 行）按 corpus-tool 存储的内容导出。"
    if command == "keywords":
        method = p.get("method")
        if method == "tfidf":
            ref = p.get("reference_corpus")
            source = (f"参照语料（{ref.get('documents')} 篇文档，指纹 {ref.get('fingerprint')}）" if ref
                      else f"所分析的 {_n(p.get('idf_documents'))} 篇文档")
            idf = p.get("idf")
            if isinstance(idf, dict) and idf.get("over") == "groups":
                how = f"TF-IDF（词频按组内总词数归一；{idf['zh']}；共 {_n(p.get('idf_units'))} 组）"
            else:
                how = f"TF-IDF（词频按单元总词数归一，逆文档频率为平滑形式 ln((N+1)/(df+1))+1，由{source}计算）"
        elif method == "textrank":
            how = f"TextRank（加权 PageRank，阻尼系数 0.85，共现窗口 {p.get('window')} 个词）"
        else:
            how = "相对词频"
        return f"关键词{tf}按{_by_zh(p.get('by'))}分别以{how}排序，报告前 {p.get('top')} 个。"
    if command == "keyness":
        ref = "其余文档" if p.get("reference") == "rest" else f"参照语料 {p.get('reference')}"
        undecided = p.get("undecided_documents")
        extra = f"另有 {undecided} 篇文档缺少目标条件所用字段，不计入任何一组。" if undecided else ""
        return (f"关键性分析{tf}以符合“{p.get('target')}”的文档（{p.get('target_documents')} 篇，"
                f"{_n(p.get('target_words'))} 词）为目标组、{ref}（{p.get('reference_documents')} 篇，"
                f"{_n(p.get('reference_words'))} 词）为参照组，计算带符号的"
                "对数似然比 G²、Yates 校正卡方（p 值依自由度为 1 的卡方分布）、点互信息（PMI）及作为效应量的 "
                f"Hardie 对数比（Log Ratio），按 {p.get('measure')} 排序，两组合计频次不低于 {p.get('min_freq')}"
                f"。{extra}")
    if command in ("ngrams", "collocations"):
        span = "相邻" if p.get("window", 1) == 1 else f"{p.get('window')} 词窗口内"
        node = f"，含“{p['node']}”（出现 {p.get('node_frequency')} 次）" if p.get("node") else ""
        return (f"{'N 元词串' if command == 'ngrams' else '搭配'}（n = {p.get('n')}，{span}{tf}{node}）基于 "
                f"{_n(p.get('pairs_total'))} 个词对的列联表计算 PMI、t 值、对数似然比与 Dice 系数，按"
                f" {p.get('measure')} "
                f"排序，最低频次为 {p.get('min_freq')}。")
    if command == "kwic":
        fields = "、".join(p.get("fields") or [])
        return (f"“{p.get('query')}”的语境共现行（{p.get('mode')} 检索，覆盖文本字段 {fields}；"
                f"{_n(p.get('documents_with_hits'))} 篇文档中共 {_n(p.get('hits'))} 处）左右各显示"
                f" {p.get('window')} 个字符。")
    if command == "coding":
        d = p.get("dictionary") or {}
        return (f"文档使用词典“{d.get('name')}”（{d.get('codes')} 个编码、{d.get('entries')} 个词条，"
                f"SHA-256：{d.get('sha256')}）进行编码；词条直接在原文上匹配，不受分词切分影响，"
                f"在 {_n(p.get('characters'))} 个字符的文本中共 {_n(p.get('matches'))} 处命中，"
                "全部连同上下文列于证据文件中。")
    if command in _POLICY_ZH:
        return _POLICY_ZH[command](p)
    if command == "frequencies":
        return f"按{_by_zh(p.get('by'))}统计词频与文档频次{tf}，并给出每万词频次。"
    if command == "newwords":
        return f"候选新词（频次不低于 {p.get('min_freq')}，前 {p.get('top')} 个）按频次、点互信息与左右邻接熵排序。"
    from corpus_tool.export.methods_meaning import meaning_zh

    return meaning_zh(command, p, tf) or f"分析“{command}”的参数见运行记录。"


# -- policy measures ------------------------------------------------------------------------------------------
_JOINT_EN = {"highest": "the highest of their scores", "sum": "the sum of their scores",
             "mean": "the mean of their scores"}
_JOINT_ZH = {"highest": "取其中最高分", "sum": "取各机关得分之和", "mean": "取各机关得分的平均值"}


def _strength_en(p: dict[str, Any]) -> str:
    sc = p.get("scale") or {}
    form = ("for a notice that issues or forwards another document (印发/转发/批转) the attached document's form was "
            "scored" if p.get("form") == "attachment" else "a forwarding notice was scored by its own form")
    return (f"Policy strength was scored per document on the scale “{sc.get('name')}” (SHA-256 {sc.get('sha256')}; "
            f"scores {', '.join(f'{v:g}' for v in sc.get('scores') or [])}), which assigns a score to each "
            "combination of issuer level and document form following the principle of 彭纪生 et al. (2008) that "
            "higher-ranking issuers and more formal forms score higher (the exact five-level table of that paper "
            "was not verified against the original; provincial and municipal levels are an extension); "
            f"{form}; joint issuers were each scored and combined as {_JOINT_EN.get(p.get('joint'), p.get('joint'))}. "
            f"{_n(p.get('scored'))} documents were scored; {_n(p.get('unscored'))} whose issuer or form could not be "
            f"read or had no score on the scale were listed with the reason and not scored.{_strength_sources_en(p)} ")


def _strength_sources_en(p: dict[str, Any]) -> str:
    s = p.get("sources") or {}
    bits = []
    if s.get("issuer_from_text"):
        bits.append(f"{s['issuer_from_text']} had their issuer read from the document text because the manifest "
                    "gave it in English")
    if s.get("issuer_english"):
        bits.append(f"{s['issuer_english']} had their issuers matched by English name patterns")
    if s.get("form_from_english_title"):
        bits.append(f"{s['form_from_english_title']} had their form read from an English title (a lossy translation)")
    return (" Of the scored documents, " + "; ".join(bits) + ".") if bits else ""


def _strength_sources_zh(p: dict[str, Any]) -> str:
    s = p.get("sources") or {}
    bits = []
    if s.get("issuer_from_text"):
        bits.append(f"{s['issuer_from_text']} 篇的发文机关因清单为英文而取自正文")
    if s.get("issuer_english"):
        bits.append(f"{s['issuer_english']} 篇的发文机关按英文名称模式识别")
    if s.get("form_from_english_title"):
        bits.append(f"{s['form_from_english_title']} 篇的文种由英文标题推断（译名有损）")
    return ("已评分文档中，" + "；".join(bits) + "。") if bits else ""


def _strength_zh(p: dict[str, Any]) -> str:
    sc = p.get("scale") or {}
    form = ("印发、转发、批转其他文件的通知按所附文件的文种评分" if p.get("form") == "attachment"
            else "转发类通知按其自身文种评分")
    return (f"政策力度按量表“{sc.get('name')}”（SHA-256：{sc.get('sha256')}；分值 "
            f"{'、'.join(f'{v:g}' for v in sc.get('scores') or [])}）逐篇评分：依彭纪生等（2008）“发文机关级别越高、"
            "文种越正式，力度越大”的原则，对发文机关级别与文种的每种组合赋分（该文五级量表的原文未经核实；省级、市级为本工具的"
            f"扩展）；{form}；联合发文时每个发文机关分别评分，{_JOINT_ZH.get(p.get('joint'), p.get('joint'))}。"
            f"共评分 {_n(p.get('scored'))} 篇；另有 {_n(p.get('unscored'))} 篇因发文机关或文种未能读出、"
            f"或量表无对应分值而未评分，连同原因单独列出。{_strength_sources_zh(p)}")


def _crosscode_en(p: dict[str, Any]) -> str:
    x, y = p.get("x") or {}, p.get("y") or {}
    unit = ("paragraphs (stored text units, usually one provision each)" if p.get("unit") == "paragraph"
            else "sentences (paragraphs cut after 。！？；!?;…)")
    norm = (" Per-document weights give each document a total weight of 1 shared among its coded units."
            if p.get("normalise") == "document" else "")
    return (f"Two-dimensional coding crossed the dictionary “{x.get('name')}” ({x.get('codes')} codes, SHA-256 "
            f"{x.get('sha256')}) with “{y.get('name')}” ({y.get('codes')} codes, SHA-256 {y.get('sha256')}), matched "
            f"on the text itself. The coding units were {unit} of the fields {', '.join(p.get('fields') or [])}: "
            f"{_n(p.get('units_scanned'))} units, of which {_n(p.get('units_in_cells'))} matched both dictionaries. "
            "Coding was multi-label: a unit was counted in every cell whose two codes it matched, giving "
            f"{_n(p.get('assignments'))} unit–cell assignments, each listed in the evidence file; row and column "
            f"shares are shares of these assignments.{norm} ")


def _crosscode_zh(p: dict[str, Any]) -> str:
    x, y = p.get("x") or {}, p.get("y") or {}
    unit = ("段落（存储的文本单元，通常为一个条款）" if p.get("unit") == "paragraph"
            else "句子（段落在。！？；!?;…处切分）")
    norm = "另按文档归一：每篇文档的权重合计为 1，平均分配给其编码单元。" if p.get("normalise") == "document" else ""
    return (f"二维编码将词典“{x.get('name')}”（{x.get('codes')} 个编码，SHA-256：{x.get('sha256')}）与"
            f"“{y.get('name')}”（{y.get('codes')} 个编码，SHA-256：{y.get('sha256')}）交叉，词条直接在原文上匹配。"
            f"编码单元为 {'、'.join(p.get('fields') or [])} 字段中的{unit}，共 {_n(p.get('units_scanned'))} 个，其中 "
            f"{_n(p.get('units_in_cells'))} 个同时命中两个词典。采用多标签编码：一个单元计入其命中的每一个编码组合，"
            f"共 {_n(p.get('assignments'))} 个“单元—单元格”记录，全部列于证据文件；"
            f"行、列占比均以这些记录为分母。{norm}")


def _trend_en(p: dict[str, Any]) -> str:
    how = "on the stored text (however segmented)" if p.get("count") == "text" else "as tokens of the segmentation"
    if p.get("text_simplified"):
        how = "on the stored text (however segmented; traditional characters read as simplified)"
    return (f"Occurrences of {', '.join(p.get('terms') or [])} were counted {how} per {p.get('by')} and divided by "
            "the words (tokens with a letter or Han character, stopwords included) of that year's documents, per "
            "10,000 words; the first year and document in which each term occurs are reported. Documents without a "
            f"{p.get('by')} were left out. ")


def _trend_zh(p: dict[str, Any]) -> str:
    how = "在原文上（不受分词影响）" if p.get("count") == "text" else "按分词结果"
    if p.get("text_simplified"):
        how = "在原文上（不受分词影响；繁体字按简体计）"
    return (f"按{_by_zh(p.get('by'))}{how}统计“{'、'.join(p.get('terms') or [])}”的出现次数，除以当年文档的总词数"
            "（含字母或汉字的词，含停用词），给出每万词频次，并报告每个词首次出现的年份与文档；缺少年份的文档未计入。")




# -- text reuse and compare ---------------------------------------------------------------------------------------
def _reuse_en(p: dict[str, Any]) -> str:
    sides = (f" Only pairs between the documents matching “{p.get('source_where')}” and those matching "
             f"“{p.get('target_where')}” were compared." if p.get("source_where") or p.get("target_where") else "")
    return (f"Text reuse was found in the text fields {', '.join(p.get('fields') or [])}, with whitespace removed and "
            f"full-width ASCII folded. Candidate document pairs came from an inverted index of {p.get('n')}-character "
            f"shingles (character n-grams, not words, so that segmentation cannot split a match): a pair needed at "
            f"least {p.get('min_shared')} shared distinct shingles, and shingles found in more than {p.get('max_df')} "
            f"documents were not used to find candidates ({_n(p.get('candidate_pairs'))} candidate pairs of "
            f"{_n(p.get('documents_compared'))} documents).{sides} Each candidate pair was aligned locally by seed "
            f"and extend: shared shingles merged into exact runs, runs in the same order at most {p.get('max_gap')} "
            f"characters apart in each document chained into one passage, passage ends moved back to a shared "
            f"sentence or paragraph boundary within {p.get('snap')} characters; passages of at least "
            f"{p.get('min_length')} characters with a similarity 2M/(a+b) of at least {p.get('min_similarity')} were "
            f"kept ({_n(p.get('passages'))} passages in {_n(p.get('pairs_with_passages'))} pairs). The earlier "
            "document (by date, compared at the precision both dates have) is the source; pairs with the same or "
            "no date are reported as undirected and left out of the issuer network. Whole-document forwarding "
            "(转发/印发/批转 of a document in the corpus), near duplicates and pairs in which at least "
            f"{p.get('whole_share', 0.9):.0%} of one document lies in shared passages (whole) are marked apart from "
            "partial reuse. A "
            f"passage shared by at least {p.get('boilerplate_docs')} documents (median over the shingles both sides "
            "share) is flagged as boilerplate and weighted 1/(documents − 1). ")


def _reuse_zh(p: dict[str, Any]) -> str:
    sides = (f"仅比较符合“{p.get('source_where')}”与符合“{p.get('target_where')}”的两组文档之间的文档对。"
             if p.get("source_where") or p.get("target_where") else "")
    return (f"文本复用在文本字段 {'、'.join(p.get('fields') or [])} 上检测（去除空白，全角字母数字折为半角）。"
            f"候选文档对由 {p.get('n')} 字的字符 n-gram（按字而非按词，避免分词差异拆散匹配）倒排索引得出："
            f"至少共享 {p.get('min_shared')} 个不同的 n-gram，出现于超过 {p.get('max_df')} 篇文档的 n-gram 不用于"
            f"寻找候选（{_n(p.get('documents_compared'))} 篇文档，{_n(p.get('candidate_pairs'))} 个候选对）。{sides}"
            f"对每个候选对做局部对齐（种子扩展）：共享 n-gram 合并为完全相同的片段，在两篇文档中顺序一致且相距均不超过 "
            f"{p.get('max_gap')} 字的片段连成一个复用文段，文段两端若在 {p.get('snap')} 字内遇到两篇共有的句末或段落"
            f"边界则截至该处；保留长度不少于 {p.get('min_length')} 字、相似度 2M/(a+b) 不低于 "
            f"{p.get('min_similarity')} 的文段（{_n(p.get('pairs_with_passages'))} 对文档中共 "
            f"{_n(p.get('passages'))} 段）。"
            "日期较早的文档为来源"
            "（按两者共有的日期精度比较）；日期相同或缺失的文档对标为无方向，不计入发文机关网络。全文转发（转发/印发/批转"
            f"语料中的文档）、近似重复文档及一篇至少 {p.get('whole_share', 0.9):.0%} 的文字见于另一篇的整篇复用"
            f"另行标注，与部分复用分开。被至少 {p.get('boilerplate_docs')} 篇文档共享"
            "（按两篇共有的 n-gram 的中位数计）的文段标为套话，权重为 1/(文档数 − 1)。")


def _compare_en(p: dict[str, Any]) -> str:
    base = ("the first version" if p.get("baseline") == "previous"
            else "the first version and every document dated in an earlier year")
    return (f"The versions “{p.get('a')}” ({_n(p.get('sentences_a'))} sentences) and “{p.get('b')}” "
            f"({_n(p.get('sentences_b'))} sentences) were compared sentence by sentence (sentences end at 。！？；!?;… "
            "and at paragraph ends). Sentences were matched one to one: identical text as kept, then text identical "
            "once numbers and dates were masked, then the most similar remaining pairs (difflib ratio, autojunk off, "
            f"on the masked texts) of at least {p.get('ratio')} as changed; the rest are new or dropped "
            f"({p.get('kept_sentences')} kept, {p.get('changed_sentences')} changed, {p.get('new_sentences')} new, "
            f"{p.get('dropped_sentences')} dropped). New terms are stored tokens of at least {p.get('min_chars')} "
            f"characters found in the second version and neither as a token nor as a string in {base} "
            f"({p.get('baseline_documents')} documents), ordinals (第二次) left out; {_n(p.get('new_terms'))} terms"
            + (f", of which {_n(p.get('terms_in_earlier_years'))} occur in documents of earlier years"
               if p.get("baseline") == "previous" and p.get("terms_in_earlier_years") else "") + ". ")


def _compare_zh(p: dict[str, Any]) -> str:
    base = "第一个版本" if p.get("baseline") == "previous" else "第一个版本及更早年份的全部文档"
    return (f"将“{p.get('a')}”（{_n(p.get('sentences_a'))} 句）与“{p.get('b')}”（{_n(p.get('sentences_b'))} 句）"
            "逐句比较（句子以。！？；!?;… 及段落结尾为界）。句子一一对应：先取文字完全相同者为保留，再取屏蔽数字与"
            "日期后相同者，再取其余句子中相似度（difflib ratio，关闭 autojunk，基于屏蔽后的文本）不低于 "
            f"{p.get('ratio')} 的最相似者为改写；其余为新增或删去（保留 {p.get('kept_sentences')}、"
            f"改写 {p.get('changed_sentences')}、"
            f"新增 {p.get('new_sentences')}、删去 {p.get('dropped_sentences')} 句）。新提法为第二个版本中至少 "
            f"{p.get('min_chars')} 字、在{base}（{p.get('baseline_documents')} 篇）中既非词语也不作为字符串出现的"
            f"已存词语（序数词如“第二次”除外），共 {_n(p.get('new_terms'))} 个"
            + (f"，其中 {_n(p.get('terms_in_earlier_years'))} 个在更早年份的文档中已出现"
               if p.get("baseline") == "previous" and p.get("terms_in_earlier_years") else "") + "。")


# -- corpus and grouping -------------------------------------------------------------------------------------
def _groupings(r: dict[str, Any]) -> list[dict[str, Any]]:
    c, p = r.get("corpus") or {}, r.get("parameters") or {}
    out = [c["grouping"]] if isinstance(c.get("grouping"), dict) else []
    out += [g for g in (p.get("grouping") or {}).values() if isinstance(g, dict)]
    return [g for g in out if g.get("by") not in ("corpus", "document", None)]


def _grouping_en(g: dict[str, Any]) -> str:
    text = f"Documents were grouped by {g['by']} ({g.get('groups')} groups"
    if g.get("missing"):
        if g.get("missing_policy") == "drop":
            text += f"; {g['missing']} of {g.get('documents_selected')} documents without {g['by']} were left out"
        else:
            text += f"; {g['missing']} documents without {g['by']} form the group “{g.get('missing_label')}”"
    return text + "). "


def _grouping_zh(g: dict[str, Any]) -> str:
    text = f"文档按{_by_zh(g['by'])}分组（{g.get('groups')} 组"
    if g.get("missing"):
        if g.get("missing_policy") == "drop":
            text += f"；{g.get('documents_selected')} 篇中 {g['missing']} 篇缺少{_by_zh(g['by'])}，未计入"
        else:
            text += f"；{g['missing']} 篇缺少{_by_zh(g['by'])}的文档归入“{g.get('missing_label')}”组"
    return text + "）。"


def _corpus_en(c: dict[str, Any]) -> str:
    if not c:
        return ""
    dup = "near duplicates included" if c.get("include_duplicates") else "near duplicates excluded"
    where = f", selected by “{c['where']}”" if c.get("where") else ""
    text = f"The corpus comprised {_n(c.get('documents'))} document(s)"
    inner = []
    if c.get("documents_in_database") is not None:
        inner.append(f"of {_n(c['documents_in_database'])} in the database{where}")
    if c.get("include_duplicates") is not None:
        inner.append(dup)
    inner.append(f"corpus fingerprint {c.get('fingerprint')}")
    if c.get("selection_fingerprint"):
        inner.append(f"selection {c['selection_fingerprint']}")
    text += " (" + "; ".join(inner) + ")"
    if c.get("words") is not None:
        text += f", {_n(c['words'])} words, of which {_n(c.get('tokens_counted'))} tokens passed the token filter"
    if c.get("glyph_gaps"):
        text += (f"; {_n(c['glyph_gaps'])} places where PDF glyphs without a usable Unicode mapping were withheld "
                 "are marked 〓 in the text and not counted as words")
    if c.get("formulas"):
        text += (f"; {_n(c['formulas'])} display formulas were removed from the text, each marked 〔公式〕 "
                 "and not counted as words")
    if c.get("ocr_paragraphs"):
        conf = f", mean word confidence {c['ocr_confidence']}" if c.get("ocr_confidence") is not None else ""
        text += (f". {_n(c['ocr_paragraphs'])} of its {_n(c.get('paragraphs'))} paragraphs ({_n(c.get('ocr_pages'))} "
                 f"pages of {_n(c.get('ocr_documents'))} document(s)) were read from page images by OCR (tesseract"
                 f"{conf}) and may contain misread characters")
        if c.get("ocr_unified"):
            text += (f"; {_n(c['ocr_unified'])} characters that OCR read as no word were replaced by the reading the "
                     "same document gives that word elsewhere (logged as pdf_ocr_reading_unified)")
        if c.get("ocr_unresolved"):
            text += (f"; {_n(c['ocr_unresolved'])} word(s) read a different way each time were left as read "
                     "(pdf_ocr_reading_unresolved)")
    return text + ". "


def _corpus_zh(c: dict[str, Any]) -> str:
    if not c:
        return ""
    dup = "包含近似重复文档" if c.get("include_duplicates") else "排除近似重复文档"
    where = f"，筛选条件为“{c['where']}”" if c.get("where") else ""
    inner = []
    if c.get("documents_in_database") is not None:
        inner.append(f"数据库共 {_n(c['documents_in_database'])} 篇{where}")
    if c.get("include_duplicates") is not None:
        inner.append(dup)
    inner.append(f"语料指纹 {c.get('fingerprint')}")
    if c.get("selection_fingerprint"):
        inner.append(f"所选文档指纹 {c['selection_fingerprint']}")
    text = f"语料共 {_n(c.get('documents'))} 篇文档（" + "；".join(inner) + "）"
    if c.get("words") is not None:
        text += f"，共 {_n(c['words'])} 词，其中 {_n(c.get('tokens_counted'))} 个词次通过词语筛选"
    if c.get("glyph_gaps"):
        text += f"；PDF 中 {_n(c['glyph_gaps'])} 处无可靠 Unicode 映射的字形未收录，文中以〓标出，不计为词"
    if c.get("formulas"):
        text += f"；{_n(c['formulas'])} 处独立公式未收录为文本，文中以〔公式〕标出，不计为词"
    if c.get("ocr_paragraphs"):
        conf = f"，平均词置信度 {c['ocr_confidence']}" if c.get("ocr_confidence") is not None else ""
        text += (f"。{_n(c.get('paragraphs'))} 个段落中有 {_n(c['ocr_paragraphs'])} 个"
                 f"（{_n(c.get('ocr_documents'))} 篇文档的 {_n(c.get('ocr_pages'))} 页）"
                 f"由 OCR 从页面图像识别（tesseract{conf}），可能含有误识字符")
        if c.get("ocr_unified"):
            text += (f"；其中 {_n(c['ocr_unified'])} 处不成词的识别结果按同一文档中该词的其他读法统一"
                     "（日志 pdf_ocr_reading_unified）")
        if c.get("ocr_unresolved"):
            text += f"；{_n(c['ocr_unresolved'])} 个每处读法不同的词保留原识别结果（日志 pdf_ocr_reading_unresolved）"
    return text + "。"


def _system(r: dict[str, Any]) -> str:
    """The operating system and machine, without kernel build strings."""
    if r.get("os"):
        return str(r["os"])
    return str(r.get("platform") or "").split("-")[0]


def _en(r: dict[str, Any]) -> str:
    params = r.get("parameters") or {}
    text = (f"Analyses used corpus-tool {r.get('version')} (Python {r.get('python')}, {_system(r)}). "
            + _corpus_en(r.get("corpus") or {}) + "".join(_grouping_en(g) for g in _groupings(r))
            + _seg_en(r.get("segmentation")) + _analysis_en(r.get("command", ""), params, r))
    if r.get("command_line"):
        text += f"Command: {r['command_line']}"
    return text.strip()


def _zh(r: dict[str, Any]) -> str:
    params = r.get("parameters") or {}
    text = (f"本研究使用 corpus-tool {r.get('version')}（Python {r.get('python')}，{_system(r)}）进行分析。"
            + _corpus_zh(r.get("corpus") or {}) + "".join(_grouping_zh(g) for g in _groupings(r))
            + _seg_zh(r.get("segmentation")) + _analysis_zh(r.get("command", ""), params, r))
    if r.get("command_line"):
        text += f"命令：{r['command_line']}"
    return text.strip()


_POLICY_EN = {"strength": _strength_en, "crosscode": _crosscode_en, "trend": _trend_en,
              "reuse": _reuse_en, "compare": _compare_en}
_POLICY_ZH = {"strength": _strength_zh, "crosscode": _crosscode_zh, "trend": _trend_zh,
              "reuse": _reuse_zh, "compare": _compare_zh}
