"""A methods paragraph, in Chinese and in English, written from a run record (``<out>.run.json``).

The paragraph states what a reader needs to reproduce the table: the tool and version, the corpus
(documents and fingerprint), the segmentation (segmenter, engine and version, dictionaries and
stopword lists by hash), the analysis with its parameters, and the exact command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


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


_BY_ZH = {"document": "文档", "corpus": "全语料", "year": "年份", "issuer": "发文机关", "doc_type": "文种"}


def _by_zh(by: str | None) -> str:
    return _BY_ZH.get(by or "corpus", by or "")


def _filters_en(tf: dict[str, Any] | None) -> str:
    if not tf:
        return ""
    bits = ["stopwords removed" if not tf.get("keep_stopwords") else "stopwords kept"]
    if tf.get("pos"):
        bits.append("POS tags " + ", ".join(tf["pos"]))
    if tf.get("min_chars", 1) > 1:
        bits.append(f"terms of at least {tf['min_chars']} characters")
    return "; ".join(bits)


def _filters_zh(tf: dict[str, Any] | None) -> str:
    if not tf:
        return ""
    bits = ["去除停用词" if not tf.get("keep_stopwords") else "保留停用词"]
    if tf.get("pos"):
        bits.append("仅保留词性 " + "、".join(tf["pos"]))
    if tf.get("min_chars", 1) > 1:
        bits.append(f"仅统计不少于 {tf['min_chars']} 个字的词")
    return "，".join(bits)


def _seg_en(seg: dict[str, Any] | None) -> str:
    if not seg:
        return ""
    files = seg.get("file_hashes") or {}
    names = {"lexicon": "the shipped policy lexicon", "policy_stopwords": "the shipped policy stopword list",
             "user_dict": "user dictionaries", "stopwords": "user stopword lists"}
    listed = [f"{names.get(role, role)} (SHA-256 {', '.join(h)})" for role, h in sorted(files.items())]
    text = f"Texts were segmented with {seg.get('segmenter') or 'an unknown segmenter'}"
    if seg.get("engine_version"):
        text += f" ({seg['engine_version']})"
    if listed:
        text += " using " + "; ".join(listed)
    return text + f" (segmentation id {seg.get('seg_id')}). "


def _seg_zh(seg: dict[str, Any] | None) -> str:
    if not seg:
        return ""
    files = seg.get("file_hashes") or {}
    names = {"lexicon": "内置政策词表", "policy_stopwords": "内置政策停用词表", "user_dict": "用户词典",
             "stopwords": "用户停用词表"}
    listed = [f"{names.get(role, role)}（SHA-256：{'、'.join(h)}）" for role, h in sorted(files.items())]
    text = f"文本使用 {seg.get('segmenter') or '未知分词器'}"
    if seg.get("engine_version"):
        text += f"（{seg['engine_version']}）"
    text += "分词"
    if listed:
        text += "，加载" + "、".join(listed)
    return text + f"（分词编号 {seg.get('seg_id')}）。"


def _analysis_en(command: str, p: dict[str, Any]) -> str:
    tf = _filters_en(p.get("token_filter"))
    tf = f" ({tf})" if tf else ""
    if command == "keywords":
        method = p.get("method")
        if method == "tfidf":
            ref = p.get("reference_corpus")
            source = (f"a reference corpus of {ref.get('documents')} documents (fingerprint {ref.get('fingerprint')})"
                      if ref else "the analysed documents")
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
        return (f"Keyness{tf} compared the documents matching “{p.get('target')}” ({p.get('target_documents')} "
                f"documents, {p.get('target_words')} words) with {ref} ({p.get('reference_words')} words), using "
                "signed log-likelihood G², χ² with Yates' correction (p-values from χ² with one degree of freedom), "
                f"PMI and Hardie's Log Ratio as effect size; terms were ranked by {p.get('measure')} with a minimum "
                f"joint frequency of {p.get('min_freq')}. ")
    if command in ("ngrams", "collocations"):
        span = "contiguous" if p.get("window", 1) == 1 else f"within a {p.get('window')}-token window"
        return (f"{'N-grams' if command == 'ngrams' else 'Collocations'} (n = {p.get('n')}, {span}{tf}) were scored "
                f"with PMI, t-score, log-likelihood and Dice on the pair contingency table and ranked by "
                f"{p.get('measure')}, with a minimum frequency of {p.get('min_freq')}. ")
    if command == "kwic":
        return (f"Concordance lines for “{p.get('query')}” ({p.get('mode')} search over the text fields "
                f"{', '.join(p.get('fields') or [])}) show {p.get('window')} characters of context on each side. ")
    if command == "coding":
        d = p.get("dictionary") or {}
        return (f"Documents were coded with the dictionary “{d.get('name')}” ({d.get('codes')} codes, "
                f"{d.get('entries')} entries, SHA-256 {d.get('sha256')}), matched on the text itself so that "
                "segmentation cannot split an entry; every match is listed with its context in the evidence file. ")
    if command == "frequencies":
        return f"Term and document frequencies{tf} were counted per {p.get('by')}, with rates per 10,000 words. "
    return f"The analysis “{command}” was run with the parameters in the run record. "


def _analysis_zh(command: str, p: dict[str, Any]) -> str:
    tf = _filters_zh(p.get("token_filter"))
    tf = f"（{tf}）" if tf else ""
    if command == "keywords":
        method = p.get("method")
        if method == "tfidf":
            ref = p.get("reference_corpus")
            source = (f"参照语料（{ref.get('documents')} 篇文档，指纹 {ref.get('fingerprint')}）" if ref
                      else "所分析的文档")
            how = f"TF-IDF（词频按单元总词数归一，逆文档频率为平滑形式 ln((N+1)/(df+1))+1，由{source}计算）"
        elif method == "textrank":
            how = f"TextRank（加权 PageRank，阻尼系数 0.85，共现窗口 {p.get('window')} 个词）"
        else:
            how = "相对词频"
        return f"关键词{tf}按{_by_zh(p.get('by'))}分别以{how}排序，报告前 {p.get('top')} 个。"
    if command == "keyness":
        ref = "其余文档" if p.get("reference") == "rest" else f"参照语料 {p.get('reference')}"
        return (f"关键性分析{tf}以符合“{p.get('target')}”的文档（{p.get('target_documents')} 篇，"
                f"{p.get('target_words')} 词）为目标组、{ref}（{p.get('reference_words')} 词）为参照组，计算带符号的"
                "对数似然比 G²、Yates 校正卡方（p 值依自由度为 1 的卡方分布）、点互信息（PMI）及作为效应量的 "
                f"Hardie 对数比（Log Ratio），按 {p.get('measure')} 排序，两组合计频次不低于 {p.get('min_freq')}。")
    if command in ("ngrams", "collocations"):
        span = "相邻" if p.get("window", 1) == 1 else f"{p.get('window')} 词窗口内"
        return (f"{'N 元词串' if command == 'ngrams' else '搭配'}（n = {p.get('n')}，{span}{tf}）基于词对列联表计算 "
                f"PMI、t 值、对数似然比与 Dice 系数，按 {p.get('measure')} 排序，最低频次为 {p.get('min_freq')}。")
    if command == "kwic":
        fields = "、".join(p.get("fields") or [])
        return (f"“{p.get('query')}”的语境共现行（{p.get('mode')} 检索，覆盖文本字段 {fields}）"
                f"左右各显示 {p.get('window')} 个字符。")
    if command == "coding":
        d = p.get("dictionary") or {}
        return (f"文档使用词典“{d.get('name')}”（{d.get('codes')} 个编码、{d.get('entries')} 个词条，"
                f"SHA-256：{d.get('sha256')}）进行编码；词条直接在原文上匹配，不受分词切分影响，"
                "每一处命中连同上下文列于证据文件中。")
    if command == "frequencies":
        return f"按{_by_zh(p.get('by'))}统计词频与文档频次{tf}，并给出每万词频次。"
    return f"分析“{command}”的参数见运行记录。"


def _corpus_en(c: dict[str, Any]) -> str:
    dup = "near duplicates included" if c.get("include_duplicates") else "near duplicates excluded"
    where = f", selected by “{c['where']}”" if c.get("where") else ""
    return (f"The corpus comprised {c.get('documents')} document(s) (of {c.get('documents_in_database')} in the "
            f"database{where}; {dup}; corpus fingerprint {c.get('fingerprint')}, selection "
            f"{c.get('selection_fingerprint')}). ")


def _corpus_zh(c: dict[str, Any]) -> str:
    dup = "包含近似重复文档" if c.get("include_duplicates") else "排除近似重复文档"
    where = f"，筛选条件为“{c['where']}”" if c.get("where") else ""
    return (f"语料共 {c.get('documents')} 篇文档（数据库共 {c.get('documents_in_database')} 篇{where}；{dup}；"
            f"语料指纹 {c.get('fingerprint')}，所选文档指纹 {c.get('selection_fingerprint')}）。")


def _en(r: dict[str, Any]) -> str:
    text = (f"Analyses used corpus-tool {r.get('version')} (Python {r.get('python')}, {r.get('platform')}). "
            + _corpus_en(r.get("corpus") or {}) + _seg_en(r.get("segmentation"))
            + _analysis_en(r.get("command", ""), r.get("parameters") or {}))
    if r.get("command_line"):
        text += f"Command: {r['command_line']}"
    return text.strip()


def _zh(r: dict[str, Any]) -> str:
    text = (f"本研究使用 corpus-tool {r.get('version')}（Python {r.get('python')}，{r.get('platform')}）进行分析。"
            + _corpus_zh(r.get("corpus") or {}) + _seg_zh(r.get("segmentation"))
            + _analysis_zh(r.get("command", ""), r.get("parameters") or {}))
    if r.get("command_line"):
        text += f"命令：{r['command_line']}"
    return text.strip()
