"""Headings the layout missed, recovered from the text: lines a contents list names, and section numbers
that go on from the heading before them (3 关键技术 → 3. 1 …, 3. 2 …)."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from corpus_tool.reading.captions import is_caption_text
from corpus_tool.reading.contents import Contents, is_toc_label
from corpus_tool.reading.headings import numbering, unspaced
from corpus_tool.reading.model import HEADING, PARA, Block, LogEntry

_HEADING_MAX_KEY = 50  # letters, digits and Han characters of a heading line
_NOT_HEADING_END = ("。", "；", "，", "：", ";", ",", ":", "、")
_LEAD_DIGITS_RE = re.compile(r"^\d+")
_JUNK_TAIL = 2  # characters OCR may leave of a leader after an entry's title (站, pp, Ne)
_EDITS_PER = 8  # one misread character allowed per this many in a long entry


def _key(text: str) -> str:
    """Letters, digits and Han characters, lower case: what an entry and its heading share whatever the
    spacing, the punctuation and the quotes OCR reads into the gap after a section number."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it is sure to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _lead_digits(key: str) -> str:
    m = _LEAD_DIGITS_RE.match(key)
    return m.group(0) if m else ""


def same_heading(entry: str, line: str) -> bool:
    """An entry's key and a line's key name the same heading: equal, or (OCR) the entry keeps a little of its
    leader after the title, or a long entry differs by a misread character or two. Numbers must agree."""
    if entry == line:
        return True
    if len(line) < 4 or _lead_digits(entry) != _lead_digits(line):
        return False
    tail = entry[len(line):] if entry.startswith(line) else None
    if tail is not None and len(tail) <= _JUNK_TAIL and sum(_is_han(ch) for ch in tail) <= 1:
        return True  # one mark in Han at most (站, 本): two would be the end of another title
    limit = len(entry) // _EDITS_PER
    return limit > 0 and _distance(entry, line, limit) <= limit


def _heading_line(block: Block) -> str | None:
    """The key of a body block that could be a heading (one short line, no sentence or caption), else None."""
    text = block.text.strip()
    if block.kind != PARA or "\n" in text or not text or text.endswith(_NOT_HEADING_END) or is_caption_text(text):
        return None
    key = _key(text)
    return key if 2 <= len(key) <= _HEADING_MAX_KEY else None


def headings_from_contents(blocks: list[Block], lists: list[Contents]) -> tuple[list[Block], set[int]]:
    """Body lines that a contents entry names made headings; returns the blocks and the ids of those made.

    Entries are matched in order from where the list's text starts, each after the line the one before it
    matched, so the same words elsewhere (a running header, a sentence-long line before the section) are not
    taken out of order; an entry that matches an existing heading moves on from it. Captions a 图目录/表目录
    lists and the labels themselves make no headings."""
    body = [b.kind != HEADING and _heading_line(b) is not None for b in blocks]
    keys = [(k, _key(b.text)) for k, b in enumerate(blocks) if b.kind == HEADING or body[k]]
    out = list(blocks)
    made: set[int] = set()
    for contents in lists:
        at = bisect.bisect_left(keys, contents.start, key=lambda kv: kv[0])  # first candidate in its text
        for entry in contents.entries:
            if is_caption_text(entry) or is_toc_label(entry):
                continue
            key = _key(entry)
            if len(key) < 2:
                continue
            hit = next((n for n in range(at, len(keys)) if same_heading(key, keys[n][1])), None)
            if hit is None:
                continue
            k = keys[hit][0]
            if body[k] and id(out[k]) not in made:
                out[k] = replace(blocks[k], kind=HEADING, level=None)
                made.add(id(out[k]))
            at = hit + 1
    return out, made


_SECTION_NO_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})(?:[.．、](?!\d))?[\s\u3000]*(?=[^\d\s.．,，%])")
_SUBHEADING_MAX_CHARS = 40


def _section_no(text: str) -> tuple[int, ...] | None:
    """``3.2 气路故障诊断`` and ``3. 2 气路…`` → (3, 2); ``3 关键技术`` → (3,)."""
    m = _SECTION_NO_RE.match(unspaced(text.strip()))
    return tuple(int(n) for n in m.group(1).split(".")) if m else None


def _follows(no: tuple[int, ...], last: tuple[int, ...]) -> bool:
    """``no`` is the section number that comes next after ``last``: its first subsection (3 → 3.1, 3.1 → 3.1.1)
    or the next section at one of its levels (3.1 → 3.2, 3.1.4 → 3.2)."""
    if no == (*last, 1):
        return True
    k = len(no)
    return k <= len(last) and no[:k - 1] == last[:k - 1] and no[k - 1] == last[k - 1] + 1


def numbered_subheadings(blocks: list[Block]) -> tuple[list[Block], set[int]]:
    """Body lines numbered as the next subsection of the heading before them made headings (``3. 1 发动机健康检查``
    after ``3 关键技术``, set in the body's type without a style of their own); returns the blocks and the ids.

    Only a short line of its own with a decimal subsection number (3.1, 3.1.2), never a single number (a list
    item), which must follow on from the section number of the last heading (:func:`_follows`)."""
    out: list[Block] = []
    made: set[int] = set()
    last: tuple[int, ...] | None = None
    for block in blocks:
        no = _section_no(block.text) if block.kind in (HEADING, PARA) else None
        if block.kind == HEADING:
            last = no if no is not None else last
        elif (no is not None and len(no) >= 2 and last is not None and _follows(no, last)
              and len(block.text.strip()) <= _SUBHEADING_MAX_CHARS and _heading_line(block) is not None
              and sum(ch.isalpha() for ch in block.text) >= 2):
            block = replace(block, kind=HEADING, level=None)
            made.add(id(block))
            last = no
        out.append(block)
    return out, made


_COUNTER_RE = re.compile(r"[\d一二三四五六七八九十百]+")


def _numbered_alike(text: str) -> str | None:
    """What headings numbered alike share: their numbering (``1.1``), or a label with a counter in it
    (``【案例#】`` for 【案例一】 and 【案例二】)."""
    name = numbering(text)
    if name is not None:
        return name
    head = text.strip()[:5]
    shape = _COUNTER_RE.sub("#", head)
    return shape if shape != head else None


def level_made_headings(blocks: list[Block], made: set[int]) -> list[Block]:
    """Levels for the headings made from body lines, in the document's own nesting: the level of the open heading
    numbered alike (a sibling), else one below the heading before it. In a text whose headings have no levels
    they stay without (the structure step gives levels by numbering)."""
    open_: list[tuple[str | None, int]] = []  # numbering and level of the open headings, outermost first
    seen: dict[str, int] = {}  # the level each numbering of a made heading had
    out: list[Block] = []
    for block in blocks:
        if block.kind != HEADING:
            out.append(block)
            continue
        name = _numbered_alike(block.text)
        if id(block) not in made:
            if block.level is not None:
                open_ = [(n, lv) for n, lv in open_ if lv < block.level] + [(name, block.level)]
            out.append(block)
            continue
        sibling = next((lv for n, lv in open_ if name is not None and n == name), None)
        if sibling is not None:
            level = sibling
        elif open_ and open_[-1][0] is None and name in seen:  # after an unnumbered heading (a stray line set
            level = seen[name]  # large, a figure's label), a numbering keeps the level it had
        elif open_:
            level = open_[-1][1] + 1
        else:
            level = None
        if level is not None:
            open_ = [(n, lv) for n, lv in open_ if lv < level] + [(name, level)]
            if name is not None:
                seen[name] = level
        out.append(replace(block, level=level))
    return out


def recover_headings(blocks: list[Block], lists: list[Contents]) -> tuple[list[Block], list[LogEntry]]:
    """Headings from the contents' entries, then from numbering that goes on; with a log entry for each kind."""
    logs: list[LogEntry] = []
    made: set[int] = set()

    def note(step: str, ids: set[int], what: str) -> None:
        texts = [b.text for b in blocks if id(b) in ids]
        logs.append(LogEntry(step, len(ids), what + "；".join(texts[:12]) + ("……" if len(texts) > 12 else "")))

    if lists:
        blocks, listed = headings_from_contents(blocks, lists)
        if listed:
            made |= listed
            note("headings_from_contents", listed, "body lines a contents entry names made headings (目录所列标题): ")
    blocks, numbered = numbered_subheadings(blocks)
    if numbered:
        made |= numbered
        note("numbered_subheadings", numbered, "body lines numbered as the next subsection made headings "
             "(续接编号的小节标题): ")
    return (level_made_headings(blocks, made) if made else blocks), logs
