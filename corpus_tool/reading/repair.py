"""The cleaner: exact, idempotent repairs of text extraction artifacts.

Each repair is one small function ``str -> (str, Counter)`` whose counter says what it
changed, so every change reaches the cleaning log. The repairs work character by
character or on explicit contexts; whole-text NFKC is never applied, because it would
turn ，：；？！（） into ASCII and … into ... (see docs/cleaning.md).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from corpus_tool.reading.model import LogEntry
from corpus_tool.reading.textstats import count_not_space, visible_width

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# CJK punctuation that may touch Han text with no space between.
CJK_PUNCT = "，。、；：？！“”‘’《》〈〉（）【】〔〕〖〗「」『』…—·～￥％"
CJK = f"[{HAN}{CJK_PUNCT}]"
_YI_RE = re.compile("[\ua000-\ua4cf]")
_GBK_ROWS_RE = re.compile("[\ua1a1-\ua1fe\ua3a1-\ua3fe]")


@functools.cache
def _han_re() -> re.Pattern[str]:
    """One Han character, compiled on first need: a CJK class costs milliseconds at every start."""
    return re.compile(f"[{HAN}]")

Repair = Callable[[str], tuple[str, Counter[str]]]


# -- GB2312 codes read as Unicode (Founder / S22PDF fonts) -------------------------------------------
def _gbk_char(cp: int) -> str:
    try:
        return bytes([cp >> 8, cp & 0xFF]).decode("gbk")
    except UnicodeDecodeError:
        return chr(cp)


_DIGITS = "0123456789０１２３４５６７８９\ua3b0\ua3b1\ua3b2\ua3b3\ua3b4\ua3b5\ua3b6\ua3b7\ua3b8\ua3b9"


def fix_gbk_as_unicode(text: str) -> tuple[str, Counter[str]]:
    """Decode Yi syllables in U+A1A1–A1FE / U+A3A1–A3FE as the GBK codes they really are.

    ``ꎬ`` (U+A3AC) is GBK 0xA3AC, ``，``. U+A3AE (full-width full stop ．) becomes ``。``,
    or ``.`` between two digits (a decimal point). Callers apply the guards
    (:func:`gbk_guard`): Han-dominant text with no real Yi.
    """
    counts: Counter[str] = Counter()

    def rep(m: re.Match[str]) -> str:
        ch = m.group(0)
        cp = ord(ch)
        if cp == 0xA3AE:
            i = m.start()
            between_digits = 0 < i < len(text) - 1 and text[i - 1] in _DIGITS and text[i + 1] in _DIGITS
            out = "." if between_digits else "。"
        else:
            out = _gbk_char(cp)
        counts[f"{ch}→{out}"] += 1
        return out

    return _GBK_ROWS_RE.sub(rep, text), counts


def han_ratio(text: str) -> float:
    """Share of Han characters among non-space characters."""
    visible = count_not_space(text)
    return len(_han_re().findall(text)) / visible if visible else 0.0


def gbk_guard(text: str) -> bool:
    """True when Yi-block characters in ``text`` are the GBK artifact, not real Yi text.

    The text must be predominantly Han (> 30% of visible characters), and most Yi-block
    characters must fall in the two GB2312 rows the artifact produces.
    """
    yi = _YI_RE.findall(text)
    if not yi:
        return False
    in_rows = sum(1 for ch in yi if _GBK_ROWS_RE.match(ch))
    return in_rows > len(yi) / 2 and han_ratio(text) > 0.30


# -- lookalike punctuation ---------------------------------------------------------------------------
_HALF_TO_FULL = {":": "：", "?": "？", ";": "；", "!": "！", ",": "，"}


@functools.cache
def _lookalike_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The «» pair, « and » at CJK, and ASCII-mark-after-CJK patterns, compiled when a text has such a mark
    (a CJK class costs milliseconds to compile, at every start of the program)."""
    return (re.compile(f"«([^«»\n]{{0,200}}?[{HAN}][^«»\n]{{0,200}}?)»"), re.compile(f"«+(?=[ \t]*{CJK})"),
            re.compile(f"(?<={CJK})»+"), re.compile(f"(?<={CJK})[ \t]*(?:[:?;!,][ \t]*)*[:?;!,]"))


_LOOKALIKE_MARKS_RE = re.compile("[:?;!,«»]")  # what the passes below change


def fix_lookalike_punct(text: str) -> tuple[str, Counter[str]]:
    """``«»`` around CJK → ``《》``; ASCII ``: ? ; ! ,`` right after CJK → full width.

    Repeated until nothing changes: each conversion can give the next mark its CJK neighbour.
    """
    counts: Counter[str] = Counter()
    if not _LOOKALIKE_MARKS_RE.search(text):  # one scan instead of four passes that find nothing
        return text, counts
    for _ in range(8):
        text, changes = _lookalike_pass(text)
        if not changes:
            break
        counts.update(changes)
    return text, counts


def _lookalike_pass(text: str) -> tuple[str, Counter[str]]:
    """One pass. Only after CJK: ASCII punctuation inside Latin text (an English reference) is
    left alone, and full-width punctuation is never turned into ASCII."""
    counts: Counter[str] = Counter()
    pair_re, open_re, close_re, lookalike_re = _lookalike_res()
    if "«" in text or "»" in text:  # the three passes below need one (most texts have a comma or colon only)
        # A «…» pair around CJK text is a book title, whatever stands at its edges («年鉴2001»).
        text, n_pairs = pair_re.subn(lambda m: f"《{m.group(1)}》", text)
        text, n_open = open_re.subn(lambda m: "《" * len(m.group(0)), text)
        text, n_close = close_re.subn(lambda m: "》" * len(m.group(0)), text)
        counts.update({"«→《": n_open + n_pairs, "»→》": n_close + n_pairs})
        counts = +counts  # drop zero counts

    def rep(m: re.Match[str]) -> str:
        # A run such as "::" is replaced whole: each mark follows CJK once the first is converted.
        marks = [ch for ch in m.group(0) if ch in _HALF_TO_FULL]
        for ch in marks:
            counts[f"{ch}→{_HALF_TO_FULL[ch]}"] += 1
        return "".join(_HALF_TO_FULL[ch] for ch in marks)

    return lookalike_re.sub(rep, text), counts


# -- glyph variants: Kangxi radicals, compatibility ideographs, ligatures -----------------------------
# The 12 code points of the compatibility block that are real unified ideographs.
_UNIFIED_IN_COMPAT = frozenset("\ufa0e\ufa0f\ufa11\ufa13\ufa14\ufa1f\ufa21\ufa23\ufa24\ufa27\ufa28\ufa29")
# CJK Radicals Supplement forms that stand for a simplified character (NFKC covers only two).
_RADICAL_SUPPLEMENT = {
    "\u2ec5": "见", "\u2ec6": "角", "\u2ec7": "角", "\u2ec8": "讠", "\u2ec9": "贝", "\u2ecb": "车",
    "\u2ecc": "辶", "\u2ecd": "辶", "\u2ed3": "长", "\u2ed4": "长", "\u2ed5": "门", "\u2ed8": "青",
    "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2ee0": "饣", "\u2ee2": "马", "\u2ee3": "骨",
    "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eea": "黾",
    "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯", "\u2eee": "齿", "\u2eef": "竜", "\u2ef0": "龙",
    "\u2ef1": "龜", "\u2ef2": "亀", "\u2ef3": "龟", "\u2e9f": "母",
    # forms whose Unicode EquivalentUnifiedIdeograph is an ordinary character (⻄ as in 东⻄, 艾司⻄酞普兰)
    "\u2ec4": "西", "\u2ed7": "雨", "\u2ea0": "民", "\u2ea9": "王", "\u2eab": "目",
}


def _variant_target(ch: str) -> str | None:
    cp = ord(ch)
    if 0x2F00 <= cp <= 0x2FD5 or 0xFB00 <= cp <= 0xFB06:
        return unicodedata.normalize("NFKC", ch)
    if 0xF900 <= cp <= 0xFAFF and ch not in _UNIFIED_IN_COMPAT:
        out = unicodedata.normalize("NFC", ch)
        return out if out != ch else None
    if 0x2E80 <= cp <= 0x2EF3:
        return _RADICAL_SUPPLEMENT.get(ch)
    return None


_VARIANT_RE = re.compile("[\u2e80-\u2ef3\u2f00-\u2fd5\uf900-\ufaff\ufb00-\ufb06]")


def fix_glyph_variants(text: str) -> tuple[str, Counter[str]]:
    """Kangxi radicals, compatibility ideographs and ligatures → the ordinary character."""
    counts: Counter[str] = Counter()

    def rep(m: re.Match[str]) -> str:
        ch = m.group(0)
        out = _variant_target(ch)
        if out is None:
            return ch
        counts[f"U+{ord(ch):04X}→{out}"] += 1
        return out

    return _VARIANT_RE.sub(rep, text), counts


_RADICAL_RE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


def count_radicals_left(text: str) -> tuple[str, Counter[str]]:
    """Radical forms with no ordinary character to map to stay in the text, counted (said, never silent)."""
    return text, Counter(f"U+{ord(ch):04X} {ch} kept (部首字形，无对应常用字 / radical form with no ordinary "
                         "character)" for ch in _RADICAL_RE.findall(text))


# -- Bopomofo ㄧ typed for 一 ---------------------------------------------------------------------------
# Taiwanese input methods offer the zhuyin letter ㄧ (U+3127) beside 一, and it is often typed for it (ㄧ般, 某ㄧ).
# Beside a Han character and away from other zhuyin letters and tone marks (ㄅㄧˋ is a real annotation) it is 一.
_ZHUYIN = "\u3105-\u312f\u31a0-\u31bfˊˇˋ˙"
_BOPOMOFO_ONE_RE = re.compile(rf"(?<![{_ZHUYIN}])\u3127(?![{_ZHUYIN}])")
_HAN_CHAR = re.compile("[\u4e00-\u9fff]")


def fix_bopomofo_one(text: str) -> tuple[str, Counter[str]]:
    """ㄧ般 → 一般: the zhuyin letter ㄧ beside a Han character, with no zhuyin around it, is the numeral 一."""
    counts: Counter[str] = Counter()

    def rep(m: re.Match[str]) -> str:
        at = m.start()
        if not (_HAN_CHAR.match(text, at + 1) or (at > 0 and _HAN_CHAR.match(text, at - 1))):
            return m.group(0)
        counts["U+3127 ㄧ→一"] += 1
        return "一"

    return _BOPOMOFO_ONE_RE.sub(rep, text), counts


# -- private-use code points from Founder fonts -------------------------------------------------------
_FOUNDER_PUA = {"\U00100170": "·", "\U001001b0": ".", "\U001001ba": "……", "\ue81f": "喎"}
_PUA_RE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010fffd]")


def fix_private_use(text: str) -> tuple[str, Counter[str]]:
    """Map the known Founder private-use code points; count (and keep) the unknown ones."""
    counts: Counter[str] = Counter()

    def rep(m: re.Match[str]) -> str:
        ch = m.group(0)
        out = _FOUNDER_PUA.get(ch)
        if out is None:
            counts[f"U+{ord(ch):04X} kept (unknown private-use)"] += 1
            return ch
        counts[f"U+{ord(ch):04X}→{out}"] += 1
        return out

    return _PUA_RE.sub(rep, text), counts


# -- decorative list bullets -------------------------------------------------------------------------
# A bullet opening a list item is decoration (the item is already a paragraph of its own); check boxes
# (□ ☑ ☒) carry an answer and stay, and so do ○ (written for 〇 in 二○二四年) and · (a name separator).
_BULLETS = "•●◆◇■▪▸►▶➢➤❖◦"
_BULLET_RE = re.compile(f"^([{_BULLETS}])[ \t\u3000]*(?=\\S)")


def drop_list_bullets(text: str) -> tuple[str, Counter[str]]:
    """Remove a decorative bullet opening a block, before the item's text; count them. A bullet inside a
    block stays: it is all that shows where two items run together."""
    counts: Counter[str] = Counter()

    def rep(m: re.Match[str]) -> str:
        counts[f"{m.group(1)} removed"] += 1
        return ""

    return _BULLET_RE.sub(rep, text), counts


# -- vertical presentation forms ---------------------------------------------------------------------
# The forms vertical typesetting draws (︻一︼ ﹁…﹂ ︵…︶): the text they stand for is the ordinary
# full-width mark. An explicit table, because NFKC would turn ︵︶︐︓︔︕︖ into ASCII and ︙ into "...".
_VERTICAL_FORMS = {
    "\ufe10": "，", "\ufe11": "、", "\ufe12": "。", "\ufe13": "：", "\ufe14": "；", "\ufe15": "！",
    "\ufe16": "？", "\ufe17": "〖", "\ufe18": "〗", "\ufe19": "…", "\ufe30": "‥", "\ufe31": "—",
    "\ufe32": "–", "\ufe35": "（", "\ufe36": "）", "\ufe37": "｛", "\ufe38": "｝", "\ufe39": "〔",
    "\ufe3a": "〕", "\ufe3b": "【", "\ufe3c": "】", "\ufe3d": "《", "\ufe3e": "》", "\ufe3f": "〈",
    "\ufe40": "〉", "\ufe41": "「", "\ufe42": "」", "\ufe43": "『", "\ufe44": "』", "\ufe47": "［",
    "\ufe48": "］",
}  # fmt: skip
_VERTICAL_RE = re.compile("[" + "".join(_VERTICAL_FORMS) + "]")


def fix_vertical_forms(text: str) -> tuple[str, Counter[str]]:
    """Vertical presentation forms (U+FE10–FE19, U+FE30–FE48) → the ordinary full-width marks."""
    counts: Counter[str] = Counter()

    def rep(m: re.Match[str]) -> str:
        out = _VERTICAL_FORMS[m.group(0)]
        counts[f"{m.group(0)}→{out}"] += 1
        return out

    return _VERTICAL_RE.sub(rep, text), counts


# -- full-width digits and Latin letters --------------------------------------------------------------
_FULLWIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def fix_fullwidth_alnum(text: str) -> tuple[str, Counter[str]]:
    """Full-width ０-９ Ａ-Ｚ ａ-ｚ → ASCII. Full-width punctuation is left as it is."""
    counts: Counter[str] = Counter()

    def rep(m: re.Match[str]) -> str:
        counts["full-width letters/digits→ASCII"] += len(m.group(0))
        return "".join(chr(ord(c) - 0xFEE0) for c in m.group(0))

    return _FULLWIDTH_RE.sub(rep, text), counts


# -- hard line wraps ----------------------------------------------------------------------------------
_WRAP_RE = re.compile(r"[ \t\u3000]*\n[\s\u3000]*")
_LATINISH = re.compile(r"[A-Za-z0-9]")


_TOKEN_CHARS = re.compile(r"[A-Za-z0-9.]")


@functools.cache
def _cjk_char_re() -> re.Pattern[str]:
    """One Han character or CJK punctuation mark: compiled when a wrap inside a number or token is judged."""
    return re.compile(CJK)


_visible_width = visible_width


_DECIMAL_ENDS = {f"{d}." for d in "0123456789"}


def _number_cut_by_break(s: str, start: int, end: int, full_width: float) -> bool:
    """The line break from ``start`` to ``end`` cuts one number in running CJK text.

    Digits on both sides, inside CJK on both sides, the line before as wide as the block's widest
    (``到2⏎025年``: the page width cut it); or a subscript set on a line of its own after a Latin
    symbol (``货币M⏎2⏎和``, ``（PM⏎2.5⏎）``). Numbers alone on their lines (a web page's table
    cells: ``总计⏎1445⏎555``), a short line (``附件1⏎2026年``) and list numbers (``1.``, ``2、``)
    are not joined.
    """
    i = start
    while i > 0 and _TOKEN_CHARS.match(s[i - 1]):
        i -= 1
    j = end
    while j < len(s) and _TOKEN_CHARS.match(s[j]):
        j += 1
    left, right = s[i:start], s[end:j]
    if i == 0 or not _cjk_char_re().match(s[i - 1]) or not right or right.endswith("."):
        return False
    after = s[j] if j < len(s) else ""
    if (left[-1].isdigit() or left[-2:] in _DECIMAL_ENDS) and right[0].isdigit():  # 6.⏎5% too
        line = s[s.rfind("\n", 0, start) + 1:start]
        wrapped = s.count("\n", start, end) == 1 and _visible_width(line) >= max(0.8 * full_width, 12)
        return wrapped and bool(after) and bool(_cjk_char_re().match(after))
    if left.isalpha() and left.isascii() and re.fullmatch(r"\d[\d.]{0,3}", right):
        return after in ("", "\n") or (bool(_cjk_char_re().match(after)) and after not in "、，。")
    return False


def join_wrapped_lines(text: str) -> tuple[str, Counter[str]]:
    """Join lines broken by the page width: nothing between CJK, one space between Latin words.

    ``inter-\\nnational`` loses its hyphen only between lower-case letters. A number cut by the
    break (``到2\\n025年``) or a subscript set on a line of its own (``广义货币M\\n2\\n和``, ``PM\\n2.5``)
    is joined without a space when it stands in CJK text: a space there would split one number.
    """
    counts: Counter[str] = Counter()
    if "\n" not in text:
        return text, counts
    full_width = max((_visible_width(line) for line in text.split("\n")), default=0.0) if "\n" in text else 0.0

    def rep(m: re.Match[str]) -> str:
        s = m.string
        before = s[m.start() - 1] if m.start() > 0 else ""
        after = s[m.end()] if m.end() < len(s) else ""
        counts["line breaks joined"] += 1
        if not before or not after:
            return ""
        if _LATINISH.match(before) and _LATINISH.match(after):
            if _number_cut_by_break(s, m.start(), m.end(), full_width):
                counts["numbers joined across a line break"] += 1
                return ""
            return " "
        if before in ".,;:!?)" and _LATINISH.match(after):
            if before == "." and after.isdigit() and _number_cut_by_break(s, m.start(), m.end(), full_width):
                counts["numbers joined across a line break"] += 1
                return ""
            return " "
        return ""

    return _WRAP_RE.sub(rep, text), counts


_HYPHEN_WRAP_RE = re.compile(r"(?<=[a-z])-\n[ \t]*(?=[a-z])")


def join_hyphenated(text: str) -> tuple[str, Counter[str]]:
    """``inter-\\nnational`` → ``international`` (only lower-case letters on both sides)."""
    if "-\n" not in text:
        return text, Counter()
    text, n = _HYPHEN_WRAP_RE.subn("", text)
    return text, Counter({"hyphenated line breaks joined": n} if n else {})


# -- numbers spread by justification spaces ---------------------------------------------------------
# A run of single digits, one space apart, with an optional decimal part, right before a unit of
# dates, shares or amounts: 1 9 9 8 年, 1 5 ．3 ％, 7 4 7 7 2 亿元. Only these units: single digits
# before a counter (2 3 项, 1 2 个) may be list items or table cells, two numbers, not one.
_SPACED_DIGITS_RE = re.compile(
    r"(?<![0-9A-Za-z.．])(\d(?:[ \u3000\u00a0]\d)+)(?:[ \u3000]?[.．][ \u3000]?(\d(?:[ \u3000\u00a0]\d)*))?"
    r"[ \u3000]?(?=[年月日%％‰万亿元])"
)
# Three or more single digits a space apart before Han text (``1 3 0 0公里``, ``兴建5 0 0座``): justification
# spaces inside one number. Two spaced digits before a counter (``2 3 项``) may be list items: left alone.
_SPACED_LONG_RE = re.compile(r"(?<![0-9A-Za-z.．])(\d(?:[ \u3000\u00a0]\d){2,})[ \u3000]?(?=[\u4e00-\u9fff])")
_SPACE_BEFORE_PERCENT_RE = re.compile(r"(?<=\d)[ \u3000\u00a0](?=[%％‰])")  # 8 % → 8%
_FULLWIDTH_DECIMAL_RE = re.compile(r"(?<=\d)．(?=\d)")
_DIGIT_SPACE_RE = re.compile("[ \u3000\u00a0]")  # the spaces the patterns above remove
_SPACED_NEEDS_RE = re.compile("\\d[ \u3000\u00a0][\\d%％‰]")  # what the patterns above but the decimal point need


def join_spaced_digits(text: str) -> tuple[str, Counter[str]]:
    """``1 9 9 8 年`` → ``1998年``, ``2 2 ．4 万件`` → ``22.4万件``, ``1 0 ．0 6 ‰`` → ``10.06‰``,
    ``1 3 0 0公里`` → ``1300公里``, ``8 %`` → ``8%``; a full-width decimal point between digits → ``.``."""
    counts: Counter[str] = Counter()
    if "．" not in text and not _SPACED_NEEDS_RE.search(text):
        return text, counts

    def rep(m: re.Match[str]) -> str:
        whole = _DIGIT_SPACE_RE.sub("", m.group(1))
        if m.re.groups > 1 and m.group(2) is not None:
            whole += "." + _DIGIT_SPACE_RE.sub("", m.group(2))
        counts["spaced digits joined"] += 1
        return whole

    text = _SPACED_DIGITS_RE.sub(rep, text)
    text = _SPACED_LONG_RE.sub(rep, text)
    text, n = _SPACE_BEFORE_PERCENT_RE.subn("", text)
    if n:
        counts["space before % removed"] += n
    text, n = _FULLWIDTH_DECIMAL_RE.subn(".", text)
    if n:
        counts["full-width decimal point→."] += n
    return text, counts


# -- spaces inside CJK text ---------------------------------------------------------------------------
_SPACE = "[ \t\u3000\u00a0\u200b]+"
# Between two CJK characters, CJK and Latin (or digits, an opening bracket), or Latin and CJK, in one pass: a run
# of spaces goes when its two neighbours (never removed) are such a pair, so one pass removes what three did.
_SPACE_NEXT_TO_CJK = re.compile(f"(?<={CJK}){_SPACE}(?={CJK}|[A-Za-z0-9\\[（(])"
                                f"|(?<=[A-Za-z0-9\\]%）)]){_SPACE}(?={CJK})")
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\ufeff]")
_ANY_SPACE_RE = re.compile("[ \t\u3000\u00a0\u200b\u200c\u200d\ufeff]")  # what remove_cjk_spaces removes
_NUMBERED_PREFIX_RE = re.compile(
    "^(第[一二三四五六七八九十百千零〇两0-9]+[条章节编])[ \t\u3000\u00a0]+(?=[^ \t\u3000\u00a0])"
)


def remove_cjk_spaces(text: str) -> tuple[str, Counter[str]]:
    """Remove justification spaces: between CJK characters and between CJK and Latin or digits.

    ``社会 主 义`` → ``社会主义``, ``２０２４ 年 ７ 月`` → ``2024年7月``. Spaces between two
    Latin words or numbers stay.
    """
    counts: Counter[str] = Counter()
    if not _ANY_SPACE_RE.search(text):
        return text, counts
    text, n = _ZERO_WIDTH_RE.subn("", text)
    if n:
        counts["zero-width characters removed"] += n
    # Official style separates a leading 第X条 / 第X章 from its text by one ideographic space: keep it.
    prefix = ""
    m = _NUMBERED_PREFIX_RE.match(text)
    if m:
        prefix, text = m.group(1) + "\u3000", text[m.end():]
        if m.group(0) != prefix:
            counts["space after article number normalised"] += 1
    text, n = _SPACE_NEXT_TO_CJK.subn("", text)
    if n:
        counts["spaces next to CJK removed"] += n
    return prefix + text, counts


# -- citation markers ---------------------------------------------------------------------------------
# GB/T 7714 superscripts as plain text: [1]10 = reference 1, page 10; [2] = reference 2.
# The page digits stop before a unit (年, 月, %, ...) so "[3]2024年" keeps its year.
_CITE_RE = re.compile(
    r"[ \t\u3000]*\[(\d{1,3}(?:[,，\-–~～]\d{1,3})*)\]"
    r"(?!\d*号)"  # 国发[2019]5号 is a document number, not a citation
    r"(\d{1,4}(?:[-–]\d{1,4})?(?![\d年月日号%％万亿元个项家余多倍.]))?"
)
CANONICAL_CITE_RE = re.compile(r"\[(\d{1,3}(?:[,，\-–~～]\d{1,3})*)(?::(\d{1,4}(?:[-–]\d{1,4})?))?\]")


def normalize_citation_markers(text: str) -> tuple[str, Counter[str]]:
    """``[１]１０`` (after digit repair: ``[1]10``) → the canonical marker ``[1:10]``.

    Canonical markers are later moved out of the text into the citations table.
    """
    counts: Counter[str] = Counter()
    if "[" not in text:
        return text, counts

    def rep(m: re.Match[str]) -> str:
        counts["citation markers normalised"] += 1
        number, page = m.group(1), m.group(2)
        return f"[{number}:{page}]" if page else f"[{number}]"

    return _CITE_RE.sub(rep, text), counts


# -- the whole cleaner --------------------------------------------------------------------------------
@dataclass
class CleaningLog:
    """Counts of every change a cleaner made, by step and by what changed."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, step: str, changes: Counter[str]) -> None:
        if changes:
            self.counts.setdefault(step, Counter()).update(changes)

    def entries(self) -> list[LogEntry]:
        out = []
        for step in sorted(self.counts):
            changes = self.counts[step]
            detail = "; ".join(f"{k} ×{v}" for k, v in sorted(changes.items(), key=lambda kv: (-kv[1], kv[0])))
            out.append(LogEntry(step=step, count=sum(changes.values()), detail=detail))
        return out


# Repairs of single characters or of a character and its neighbour on the same line: safe on a
# whole document before the layout step reads its lines.
CHAR_REPAIRS: list[tuple[str, Repair]] = [
    ("private_use", fix_private_use),
    ("glyph_variants", fix_glyph_variants),
    ("bopomofo_one", fix_bopomofo_one),
    ("vertical_forms", fix_vertical_forms),
    ("fullwidth_alnum", fix_fullwidth_alnum),
    ("lookalike_punct", fix_lookalike_punct),
]
# What each repair needs in a text to change anything: a text without it is passed over with one scan in C
# (most blocks have no full-width digit, no ASCII mark after CJK, no space), not a call that finds nothing.
_NEEDS: dict[Repair, re.Pattern[str] | str] = {  # a pattern, or a string looked for with `in`
    fix_private_use: _PUA_RE,
    fix_glyph_variants: _VARIANT_RE,
    fix_bopomofo_one: "\u3127",
    count_radicals_left: _RADICAL_RE,
    fix_vertical_forms: _VERTICAL_RE,
    fix_fullwidth_alnum: _FULLWIDTH_RE,
    fix_lookalike_punct: _LOOKALIKE_MARKS_RE,
    join_hyphenated: "-\n",
    join_wrapped_lines: "\n",
    join_spaced_digits: re.compile("[ \u3000\u00a0．]"),
    remove_cjk_spaces: _ANY_SPACE_RE,
    normalize_citation_markers: "[",
    drop_list_bullets: re.compile(f"[{_BULLETS}]"),  # a bullet only counts at the start: a superset will do
}
_CLASS_RE = re.compile(r"\[((?:\\.|[^\]\\])*)\]\+?")  # a pattern that is one character class: [...] or [...]+


def any_need(repairs: list[tuple[str, Repair]]) -> re.Pattern[str]:
    """One character class found in every text that some repair of ``repairs`` would change.

    Most blocks need none of them: one scan passes such a block over instead of one scan per repair.
    A text without any of these characters has none of the repairs' needs, so none of them runs.
    """
    chars = []
    for _step, repair in repairs:
        needs = _NEEDS[repair]
        if isinstance(needs, str):
            chars.append(re.escape(needs))
            continue
        m = _CLASS_RE.fullmatch(needs.pattern)
        if m is None:
            raise ValueError(f"the needs of {repair.__name__} are not one character class")
        chars.append(m.group(1))
    return re.compile("[" + "".join(chars) + "]")


def _apply(repairs: list[tuple[str, Repair]], guard: re.Pattern[str], text: str, log: CleaningLog) -> str:
    if not guard.search(text):  # the common case: nothing to repair
        return text
    for step, repair in repairs:
        needs = _NEEDS.get(repair)
        if needs is not None and not (needs in text if isinstance(needs, str) else needs.search(text)):
            continue
        text, changes = repair(text)
        log.add(step, changes)
    return text


# Repairs of a block of text (a paragraph, a heading) once the layout step has found it.
BLOCK_REPAIRS: list[tuple[str, Repair]] = [
    ("radicals_left", count_radicals_left),  # here, not among the character repairs: each block counted once
    ("list_bullets", drop_list_bullets),
    ("hyphenated_wraps", join_hyphenated),
    ("line_wraps", join_wrapped_lines),
    ("lookalike_punct", fix_lookalike_punct),  # again: a wrap may have hidden the CJK neighbour
    ("spaced_digits", join_spaced_digits),  # before the CJK spaces: 1 9 9 8 年 is one number
    ("cjk_spaces", remove_cjk_spaces),
    ("citation_markers", normalize_citation_markers),
]


_CHAR_GUARD, _BLOCK_GUARD = any_need(CHAR_REPAIRS), any_need(BLOCK_REPAIRS)


def repair_chars(text: str, log: CleaningLog | None = None, *, gbk: bool | None = None) -> str:
    """The character repairs, for a whole document before layout. Line breaks are kept."""
    log = log if log is not None else CleaningLog()
    if gbk is None:
        gbk = gbk_guard(text)
    if gbk:
        text, changes = fix_gbk_as_unicode(text)
        log.add("gbk_as_unicode", changes)
    return _apply(CHAR_REPAIRS, _CHAR_GUARD, text, log)


def clean_text(text: str, log: CleaningLog | None = None, *, gbk: bool | None = None) -> str:
    """Apply every repair to one block of text, in order, and count the changes in ``log``.

    ``gbk`` says whether the GB2312-as-Unicode repair applies; by default it is decided from
    the text itself (:func:`gbk_guard`). Pipelines decide once per document and pass it.
    """
    log = log if log is not None else CleaningLog()
    text = repair_chars(text, log, gbk=gbk)
    return _apply(BLOCK_REPAIRS, _BLOCK_GUARD, text, log).strip()
