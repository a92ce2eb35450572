"""Tables of contents: found (dotted leaders, a 目录 label, entries ending in ascending page numbers),
removed with a log entry, and returned as a list of entries, a map of the document's headings."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from corpus_tool.reading.model import HEADING, PARA, Block, LogEntry
from corpus_tool.reading.repair import fix_glyph_variants
from corpus_tool.reading.textlayout import ends_sentence
from corpus_tool.reading.textstats import without_spaces

_TOC_LABELS = frozenset({"目录", "目次", "目錄"})


def squash(text: str) -> str:
    """``text`` without its spaces (ideographic ones too)."""
    return without_spaces(text)


@dataclass
class Contents:
    """What one contents list said: its entries as printed, in order, and where the text it lists starts: the
    block that followed it, and once all contents are removed (:func:`drop_contents`) that block's index."""

    entries: list[str] = field(default_factory=list)
    after: Block | None = None
    start: int = 0


def _after(blocks: list[Block], end: int) -> Block | None:
    return blocks[end] if end < len(blocks) else None


def drop_table_of_contents(blocks: list[Block]) -> tuple[list[Block], LogEntry | None, list[Contents]]:
    """Remove a 目录 and its entries: they repeat the real headings and would double every section.

    The entries are the headings and short lines after the 目录 label, up to where the first
    entry comes again as the real heading.
    """
    # every label has a 目: a block without one is not squashed to be compared
    start = next((i for i, b in enumerate(blocks) if "目" in b.text and squash(b.text) in _TOC_LABELS), None)
    if start is None:
        return blocks, None, []
    run_end = start + 1
    while run_end < len(blocks) and (
        blocks[run_end].kind == HEADING or (len(squash(blocks[run_end].text)) <= 10
                                            and not ends_sentence(blocks[run_end].text))
    ):
        run_end += 1
    run = blocks[start + 1:run_end]
    if len(run) < 2:
        return blocks, None, []
    first = squash(run[0].text)
    again = next((j for j in range(1, len(run)) if squash(run[j].text) == first), None)
    if again is None:
        later = {squash(b.text) for b in blocks[run_end:] if b.kind == HEADING}
        if not all(squash(b.text) in later for b in run):
            return blocks, None, []
        again = len(run)
    entries = run[:again]
    detail = "；".join(squash(b.text) for b in entries[:12]) + ("……" if len(entries) > 12 else "")
    log = LogEntry("table_of_contents_removed", len(entries), detail)
    kept = blocks[:start] + run[again:] + blocks[run_end:]
    return kept, log, [Contents([b.text for b in entries], _after(kept, start))]


# Dotted leaders between a TOC entry and its page: "……", ". . . .", "········", and a leader glyph
# that a font without a Unicode map gives as one (cid:n) repeated.
_LEADER_RE = re.compile(r"(?:[.．·・](?:[ \u3000]?)){6,}|[…⋯]{4,}|(\(cid:\d+\))\1{3,}")
_LEADER_START_RE = re.compile(r"[.．·・…⋯(]")
# Where one entry ends: its leader and page number (the next entry may follow without a break).
_ENTRY_SPLIT_RE = re.compile(r"(?:(?:[.．·・][ \u3000]?){6,}|[…⋯]{4,}|(?:\(cid:\d+\))+)[ \u3000]*"
                             r"(?:[0-9]{1,4}(?![.．\d])|[IVXLCDMivxlcdm]{1,6}(?![A-Za-z])|[A-Z](?![A-Za-z]))?")
_TOC_LABEL_RE = re.compile(r"^[图圖表插附]{0,2}目[录錄次]$")
_PAGE_MARK_RE = re.compile(r"^(?:[0-9]{1,4}|[IVXLCDMivxlcdm]{1,6}|[A-Za-z])$")
_TOC_MIN_ENTRIES = 3
_TOC_BRIDGE = 2  # blocks between two parts of a TOC (a page number, the 目录 header of the next page)


def _leader_share(text: str) -> tuple[int, float]:
    """Number of dotted leaders in ``text`` and the share of its characters they take."""
    if not _LEADER_START_RE.search(text):  # one scan for the characters a leader starts with (most text)
        return 0, 0.0
    found = [m.end() - m.start() for m in _LEADER_RE.finditer(text)]
    return len(found), (sum(found) / len(text) if text else 0.0)


def _is_toc_block(block: Block) -> bool:
    """A block of TOC entries: leaders make a quarter of it, or it holds three of them."""
    n, share = _leader_share(block.text)
    return n >= 3 or (n >= 1 and share >= 0.25)


def is_toc_label(text: str) -> bool:
    """目录, 目 錄, 图目录, 表目次: the label of a contents list."""
    return bool(_TOC_LABEL_RE.match(squash(fix_glyph_variants(text)[0]).replace("\u2eab", "目")))


def drop_dotted_contents(blocks: list[Block]) -> tuple[list[Block], LogEntry | None, list[Contents]]:
    """Remove tables of contents set with dotted leaders (``1.1 研究背景……………1``): the entries,
    their 目录/图目录/表目录 labels, and the page numbers and repeated 目录 headers between pages.

    A run needs three entry blocks, or a label and one (a TOC extracted as one block)."""
    toc = [_is_toc_block(b) for b in blocks]
    drop: set[int] = set()
    entries: list[str] = []
    lists: list[Contents] = []
    i = 0
    while i < len(blocks):
        if not toc[i]:
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < len(blocks):
            if toc[j]:
                run.append(j)
                j += 1
                continue
            ahead = next((k for k in range(j, min(j + _TOC_BRIDGE + 1, len(blocks))) if toc[k]), None)
            if ahead is None:
                break
            run += list(range(j, ahead))
            j = ahead
        start = i
        while start > 0 and start > i - 3 and is_toc_label(blocks[start - 1].text):
            start -= 1
        end = run[-1] + 1
        if end < len(blocks) and _PAGE_MARK_RE.match(squash(blocks[end].text)):
            end += 1
        n_entries = sum(1 for k in run if toc[k])
        if n_entries >= _TOC_MIN_ENTRIES or (start < i and n_entries >= 1):
            drop.update(range(start, end))
            listed = [e for k in run if toc[k] for e in map(squash, _ENTRY_SPLIT_RE.split(blocks[k].text))
                      if e and not _PAGE_MARK_RE.match(e)]
            entries += listed
            lists.append(Contents(listed, _after(blocks, end)))
        i = end
    if not drop:
        return blocks, None, []
    n = sum(_leader_share(blocks[k].text)[0] for k in drop)
    detail = "；".join(entries[:12]) + ("……" if len(entries) > 12 else "")
    kept = [b for k, b in enumerate(blocks) if k not in drop]
    return kept, LogEntry("table_of_contents_removed", n, detail), lists


# A contents entry set without leaders (OCR does not read them; some lists are set with spaces or tabs):
# its title, then the page it starts on, arabic or (front matter) roman. What OCR made of a leader may
# stay between the two (``1.3.2”复杂表格站3``, ``2.1单目标规划.pp 22``): the title keeps it, and the
# heading matching allows for it. Not a quantity (12,345 / 3.5 / 40%), a page range (12-18) nor a year.
_PAGE_AT_END_RE = re.compile(
    r"(?:(?<![\d,，.．%\-–~～:：/])(?P<arabic>\d{1,3})|(?<=[\s\u3000\u4e00-\u9fff])(?P<roman>[IVXivx]{1,5}))[\s\u3000]*$")
_PAGE_MAX_CHARS = 5  # the longest page number _PAGE_AT_END_RE takes (roman: 5 letters)
_NOT_ENTRY_END = ("。", "；", "，", "：", ";", ",", ":", "、")  # a sentence or a clause goes on to the number
_ENTRY_MAX_CHARS = 60
_PAGED_MIN_ENTRIES = 5  # entries with an arabic page number
_PAGED_ASCENDING = 0.7  # share of them whose pages ascend (OCR misreads a few)
_PAGED_BRIDGE_CHARS = 20  # a line between entries that OCR made unreadable (``1.1封面相美 ]``), a page header


def paged_entry(line: str) -> tuple[str, int | None] | None:
    """``第1章 绪论 1`` → (``第1章 绪论``, 1); ``摘要 I`` → (``摘要``, None): a line that reads as a contents
    entry (a short title ending in its page number), else None."""
    line = line.strip()
    # The number ends the stripped line: the match starts in its last _PAGE_MAX_CHARS characters, so the search
    # starts there (the lookbehinds still see the character before), not at every character of a long paragraph.
    m = _PAGE_AT_END_RE.search(line, max(0, len(line) - _PAGE_MAX_CHARS))
    if m is None:
        return None
    title = line[:m.start()].strip()
    core = title.rstrip(" \u3000.．·…")
    if (not core or len(title) > _ENTRY_MAX_CHARS or sum(ch.isalpha() for ch in core) < 2
            or core.endswith(_NOT_ENTRY_END) or "。" in core):
        return None
    return title, (int(m.group("arabic")) if m.group("arabic") else None)


def _entry_lines(block: Block) -> list[tuple[str, int | None]] | None:
    """The entries of a block whose lines are (nearly) all contents entries, else None."""
    if block.kind not in (PARA, HEADING):
        return None
    lines = [ln for ln in block.text.split("\n") if ln.strip()]
    found = [e for e in map(paged_entry, lines) if e is not None]
    return found if found and len(found) >= 0.75 * len(lines) else None


def _ascending(pages: list[int]) -> int:
    """Length of the longest non-decreasing run of ``pages`` (not necessarily adjacent ones)."""
    tails: list[int] = []  # patience sorting: tails[k] is the least last page of a run of k + 1
    for p in pages:
        at = bisect.bisect_right(tails, p)
        tails[at:at + 1] = [p]
    return len(tails)


def _is_paged_contents(entries: list[tuple[str, int | None]], last_page: int | None) -> bool:
    """Several entries whose page numbers, in the document's range, mostly ascend and spread over pages: a
    contents list, not a numbered list in prose that happens to end its items in numbers."""
    pages = [p for _, p in entries if p is not None]
    if len(pages) < _PAGED_MIN_ENTRIES:
        return False
    in_range = [p for p in pages if 1 <= p <= (last_page or 999)]
    rising = _ascending(in_range)
    return (rising >= max(_PAGED_MIN_ENTRIES, _PAGED_ASCENDING * len(pages))
            and len(set(in_range)) >= 3 and max(in_range) > min(in_range))


def paged_runs(blocks: list[Block]) -> list[tuple[int, int, list[str]]]:
    """Contents lists without leaders: consecutive blocks of short entries ending in page numbers that ascend
    (``1.3 表格样本 2``, ``1.3.2”复杂表格站3`` as OCR reads a dotted list), with their 目录 label; as (start, end,
    entry titles), ``blocks[start:end]`` being the list.

    Between two entry blocks may stand up to :data:`_TOC_BRIDGE` short blocks (an entry OCR misread, a page
    header); the page numbers must lie in the document's pages and mostly ascend (:func:`_is_paged_contents`).
    """
    pages = [b.page for b in blocks if b.page is not None]
    last_page = max(pages) if pages else None
    found = [_entry_lines(b) for b in blocks]
    runs: list[tuple[int, int, list[str]]] = []
    i = 0
    while i < len(blocks):
        if found[i] is None:
            i += 1
            continue
        run, j = [i], i + 1
        while j < len(blocks):
            if found[j] is not None and _near(blocks[run[-1]], blocks[j]):
                run.append(j)
                j += 1
                continue
            ahead = next((k for k in range(j, min(j + _TOC_BRIDGE + 1, len(blocks))) if found[k] is not None), None)
            if ahead is None or not _near(blocks[run[-1]], blocks[ahead]) or any(
                    len(squash(blocks[k].text)) > _PAGED_BRIDGE_CHARS for k in range(j, ahead)):
                break
            run += list(range(j, ahead))
            j = ahead
        listed = [e for k in run for e in (found[k] or [])]
        if _is_paged_contents(listed, last_page):
            start = i
            while start > 0 and start > i - 3 and is_toc_label(blocks[start - 1].text):
                start -= 1
            runs.append((start, run[-1] + 1, [title for title, _ in listed]))
        i = run[-1] + 1
    return runs


def drop_paged_contents(blocks: list[Block]) -> tuple[list[Block], LogEntry | None, list[Contents]]:
    """Remove contents lists without leaders (:func:`paged_runs`)."""
    runs = paged_runs(blocks)
    if not runs:
        return blocks, None, []
    drop = {k for start, end, _ in runs for k in range(start, end)}
    entries = [e for _, _, listed in runs for e in listed]
    detail = "；".join(map(squash, entries[:12])) + ("……" if len(entries) > 12 else "")
    kept = [b for k, b in enumerate(blocks) if k not in drop]
    return (kept, LogEntry("table_of_contents_removed", len(entries), f"entries ending in page numbers, without "
                           f"leaders (无前导符的目录): {detail}"),
            [Contents(listed, _after(blocks, end)) for _, end, listed in runs])


def _near(a: Block, b: Block) -> bool:
    """Two blocks of one contents list: on the same page or the next (or in a text without pages)."""
    return a.page is None or b.page is None or 0 <= b.page - a.page <= 1


TOC_KEEP_SHARE = 0.2  # contents whose removal leaves less than this share of the text are the text


def _text_size(blocks: list[Block]) -> int:
    """Letters, digits and Han characters: leaders and punctuation are not text to keep."""
    return sum(ch.isalnum() for b in blocks for ch in b.text)


def drop_contents(blocks: list[Block]) -> tuple[list[Block], list[LogEntry], list[Contents]]:
    """Remove tables of contents (dotted leaders, then 目录 and its entries, then entries ending in page numbers),
    unless that would leave (nearly) nothing: a document that is a contents page (one page of a book, an index)
    keeps it as its text, with a log entry saying so, and never becomes silently empty.

    Returns the blocks, the log entries and the contents lists removed, each with the index of the block
    its text starts at."""
    kept, logs = blocks, []
    lists: list[Contents] = []
    for drop in (drop_dotted_contents, drop_table_of_contents, drop_paged_contents):
        kept, toc_log, found = drop(kept)
        if toc_log is not None:
            logs.append(toc_log)
        lists += found
    # where each list's text starts: the block after it, or the first one after that a later step kept
    # (the 图目录 after a 目录 is a list too); blocks are only ever taken out, so the order is the input's
    at = {id(b): k for k, b in enumerate(kept)}
    order = {id(b): k for k, b in enumerate(blocks)}
    for listed in lists:
        first = order[id(listed.after)] if listed.after is not None else len(blocks)
        listed.start = next((at[id(b)] for b in blocks[first:] if id(b) in at), len(kept))
    if logs and _text_size(kept) < TOC_KEEP_SHARE * _text_size(blocks):
        removed = sum(e.count for e in logs)
        left = 100 * _text_size(kept) // max(_text_size(blocks), 1)
        detail = (f"removing the contents would leave {left}% of the text: kept as the document's text "
                  "(删除目录后几乎没有正文，目录保留为正文)")
        return blocks, [LogEntry("table_of_contents_kept", removed, detail)], []
    return kept, logs, lists
