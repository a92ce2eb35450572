"""Authors of articles and theses: the byline under the title and the labelled fields of a cover.

A byline is the line of names between title and abstract: ``张三1，李四2*``, ``◎ 韩爱惠 卢卫华``,
``孙辉辉 1,2, 胡春鹤 1,3†``, ``北京航空航天大学　张　津执笔``. Names are 2–4 Han characters that
start with a Chinese surname (the test that keeps a short heading such as 总体思路 from reading as
a name); superscript affiliation numbers and marks are dropped, an affiliation in front of the
names is skipped, a letter-spaced name (``张　津``) is joined. A thesis or a CNKI first-publication
cover names its author in a field: ``作者：``, ``作者姓名：``, ``研究生：``, ``申 请 人：``.

Lines must keep their spaces (the raw text of a PDF, not the cleaned units): cleaning joins
``韩爱惠 卢卫华`` into one run of characters that no rule can split again.
"""

from __future__ import annotations

import re

from corpus_tool.reading.textstats import without_spaces

# Common single-character surnames (about 95% of the population) and the compound ones.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵩帖蔚冶"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                      "司徒", "夏侯", "轩辕", "令狐", "端木", "西门", "南宫", "独孤", "呼延", "澹台", "公冶")
# Words that read like a name but are labels or headings.
_NOT_NAMES = frozenset({"摘要", "前言", "引言", "目录", "关键词", "简介", "提要", "导言", "绪论", "结论", "结语",
                        "附录", "致谢", "序言", "正文", "图表", "方法", "讨论", "总结", "作者", "单位"})
AFFILIATION_RE = re.compile(r"(大学|学院|研究所|研究院|研究中心|实验室|公司|中心|医院|学校|科学院|集团|系|局|部|厅|"
                             r"委员会|编辑部|办公室)$")
_ORG_END_RE = re.compile(r"[院部局厅委会府办处所省市县区报社站校系]$")  # 国务院, 财政部: bodies, not people
_MARKS = "0-9*＊∗†‡§¶#＃⁎,，、;；·•◎○●◇◆□■☆★△▲\\[\\]［］()（）\u00b9\u00b2\u00b3\u2070-\u2079"
_MARKS += "\u3013"  # 〓: a footnote mark whose glyph was withheld (see reading/pdf/chars.GAP)
_SEP_RE = re.compile(rf"[\s\u3000{_MARKS}]+")
_WRITER_SUFFIX_RE = re.compile(r"(执笔|等)$")
_HAN_RE = re.compile(r"[\u4e00-\u9fff·]+")
_AUTHOR_FIELDS = frozenset({"作者", "作者姓名", "研究生", "研究生姓名", "申请人", "学生姓名", "姓名", "论文作者",
                            "学位申请人", "撰写人", "报告人", "著者", "编著者"})
_FIELD_RE = re.compile(r"^[\s\u3000]*(?P<label>(?:[\u4e00-\u9fff][\s\u3000]*){2,8})[:：][\s\u3000]*(?P<value>.*)$")


def is_person_name(token: str) -> bool:
    """A surname and one or two given characters (韩爱惠, 张津), or a compound surname and one or two (欧阳修)."""
    if token in _NOT_NAMES or _ORG_END_RE.search(token) or not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", token):
        return False
    if token[:2] in _COMPOUND_SURNAMES:
        return len(token) >= 3
    # four characters after a one-character surname are far more often a heading (文献综述)
    return token[0] in _SURNAMES and len(token) <= 3


def _join_spaced(tokens: list[str]) -> list[str]:
    """Runs of single characters are one letter-spaced name: [张, 津] → [张津]."""
    out: list[str] = []
    run: list[str] = []
    for tok in [*tokens, ""]:
        if len(tok) == 1:
            run.append(tok)
            continue
        if run:
            out.append("".join(run))
            run = []
        if tok:
            out.append(tok)
    return out


def names_from_byline(line: str) -> list[str]:
    """The names in one byline, or [] when the line is not a byline.

    ``韩爱惠 卢卫华 范延平`` → three names; ``北京航空航天大学　张　津执笔**`` → [张津];
    ``总体思路`` (a heading) or a sentence → [].
    """
    text = line.strip()
    if not text or len(text) > 80 or re.search(r"[。：:！？!?；]$|[。！？]", text):
        return []
    if re.search(r"[A-Za-z]{2,}", text):  # English bylines and running text are not read here
        return []
    tokens = [t for t in _SEP_RE.split(text) if t]
    if not tokens or not all(_HAN_RE.fullmatch(t) for t in tokens):
        return []
    # An affiliation before the names (北京航空航天大学　张　津): skip it.
    while tokens and len(tokens[0]) > 4 and AFFILIATION_RE.search(tokens[0]):
        tokens = tokens[1:]
    if tokens:
        tokens[-1] = _WRITER_SUFFIX_RE.sub("", tokens[-1]) or tokens[-1]
    names = _join_spaced(tokens)
    if not 1 <= len(names) <= 12 or not all(is_person_name(n) for n in names):
        return []
    return names


def cover_fields(lines: list[str]) -> dict[str, str]:
    """Labelled fields of a cover, labels without their letter-spacing: ``培 养 单 位：X`` → {培养单位: X}.

    The first value of a label wins (a later page may repeat it)."""
    out: dict[str, str] = {}
    for raw in lines:
        for line in raw.split("\n"):
            m = _FIELD_RE.match(line) if ":" in line or "：" in line else None  # a label ends at its colon
            if m:
                label = without_spaces(m.group("label"))
                out.setdefault(label, m.group("value").strip())
    return out


def names_from_field(value: str) -> list[str]:
    """Names in a cover field: ``孙辉辉，胡春鹤，张军国`` or the letter-spaced ``刘 祥 林``."""
    if "(cid:" in value or "\ufffd" in value:  # an unreadable value names nobody
        return []
    names: list[str] = []
    for piece in re.split(r"[,，、;；]+", value):
        tokens = [t for t in _SEP_RE.split(piece.strip()) if t]
        if not tokens or not all(_HAN_RE.fullmatch(t) for t in tokens):
            continue
        names += _join_spaced(tokens)
    return names if names and all(is_person_name(n) for n in names) else []


def authors_from_front(lines: list[str], title: str = "", window: int = 4) -> tuple[list[str], str]:
    """Authors from the raw lines of a document's front matter, with where they were read.

    ``lines``: the lines up to the abstract (or the first pages). A cover's author field comes
    first (``content:封面``); else the first byline among the ``window`` lines after the title
    (``content:署名``).
    """
    flat = [ln for raw in lines for ln in raw.split("\n") if ln.strip()]
    for label, value in cover_fields(flat).items():
        if label in _AUTHOR_FIELDS:
            names = names_from_field(value)
            if names:
                return names, "content:封面"
    start = _after_title(flat, title)
    for ln in flat[start:start + window]:
        names = names_from_byline(ln)
        if names:
            return names, "content:署名"
    return [], ""


def _after_title(lines: list[str], title: str) -> int:
    """Index of the line after the title's lines (0 when the title is not among them)."""
    title = without_spaces(title)
    if not title:
        return 0
    squashed = [without_spaces(ln) for ln in lines]
    for i, text in enumerate(squashed):
        if text and text in title and title.startswith(text):
            end = i + 1
            while end < len(squashed) and squashed[end] and "".join(squashed[i:end + 1]) in title:
                end += 1
            return end
    return 0
