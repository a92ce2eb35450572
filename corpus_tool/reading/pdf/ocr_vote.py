"""One reading for a word OCR read several ways in one document, chosen by the document's own majority.

Tesseract misreads a character of a word in some of its occurrences and not in others (私募 as 私幕 or 私暮,
基金法 as 站金法, 混同 as 温同), and its confidence does not tell the misreadings apart (私幕 at 88, 私募 at 40).
A misreading is nearly always no word, while the right reading is a word and recurs in the same document. So a
character is replaced only when all of this holds:

* the character was read with less than :data:`SURE_CONF` confidence;
* it makes no word of the lexicon (jieba's dictionary and the policy lexicon) with either neighbour;
* replacing it gives a word with one neighbour that the same document reads at least :data:`MIN_SUPPORT` times
  elsewhere, and :data:`SUPPORT_RATIO` times as often as the reading found here;
* the character with both its neighbours as replaced is read elsewhere in the document too (中基协 is not made
  中基金 because 基金 recurs: 基金处 is never read);
* the two characters look alike (:mod:`.glyph_likeness`: they share most of one half of their shape, as 幕 and
  募 do): classical or rare text has many pairs no dictionary holds (物生必蒙, 而弗为), and a common word of
  another shape (先生, 而后) must not replace them;
* exactly one replacement does (an ambiguous context is left as read).

Then a second pass applies a substitution the first pass established :data:`MIN_LEARNED` times or more
(幕 → 募) where it again turns no word into a word (幕集 → 募集), even when the word is rarer in the document;
the two characters must look alike here too.

A rare name or term read the same way each time recurs itself: only a word read twice as often, and between
the same two characters, outvotes it. One read a different way each time (no reading recurs: 黄巍 as 黄馏, 黄竟,
黄岂 ……, a character the model does not know) is left as read and reported. Every replacement is returned for
the corpus log.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from corpus_tool.reading.pdf.glyph_likeness import look_alike
from corpus_tool.reading.pdf.ocr_chars import LOW_CONF, OcrPage, is_han

SURE_CONF = 90.0  # a character read at least this surely is kept as read
MIN_SUPPORT = 3  # the word a replacement makes is read at least this often elsewhere in the document ...
SUPPORT_RATIO = 2.0  # ... and this many times as often as the reading replaced
MIN_LEARNED = 2  # a substitution made this often by the vote is applied again where it makes a word
MIN_UNRESOLVED = 3  # a character read this many different ways beside the same one is reported, left as read
COMMON_SHARE = 0.01  # ... unless that one is this share of the document's Han characters or more (的, 在, 是)
COMMON_MIN = 20  # ... and read this often (in a page or two, a name's own character makes a share too)


@dataclass(frozen=True, slots=True)
class Correction:
    """One character OCR read, replaced by the reading the document's majority gives."""

    page: int
    before: str  # the word as read, with its neighbour (私幕)
    after: str  # ... and as corrected (私募)
    reason: str


@cache
def two_char_words() -> frozenset[str]:
    """The two-character words of jieba's dictionary and the policy lexicon."""
    import jieba

    from corpus_tool.segment.lexicon import POLICY_LEXICON, data_path, read_dictionary

    words: set[str] = set()
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            word = line.split(" ", 1)[0]
            if len(word) == 2:
                words.add(word)
    words.update(e.word for e in read_dictionary(data_path(POLICY_LEXICON))[0] if len(e.word) == 2)
    return frozenset(words)


@dataclass(slots=True)
class _Char:
    ch: str
    conf: float
    page: int
    line: int  # index of the line in its page
    word: int  # index of the word in its line
    at: int  # index of the character in its word


FULL_LINE_EMS = 2.0  # a line ending this close (× its height) to the page's right text edge runs on


def _streams(page: OcrPage) -> list[list[_Char]]:
    """The page's characters in runs of reading order: a full line runs on into the next (Chinese wraps mid-word),
    a short one ends its run, as a paragraph ends there (规定。 on a line of its own, read 展, is no 展实)."""
    if not page.lines:
        return []
    right = max(w.x1 for ln in page.lines for w in ln.words)
    runs: list[list[_Char]] = [[]]
    for li, ln in enumerate(page.lines):
        runs[-1].extend(_Char(ch, w.conf, page.page_no, li, wi, ci)
                        for wi, w in enumerate(ln.words) for ci, ch in enumerate(w.text))
        if ln.words[-1].x1 < right - FULL_LINE_EMS * (ln.bottom - ln.top):
            runs.append([])
    return [r for r in runs if r]


def _bigram(a: _Char | None, b: _Char | None) -> str | None:
    return a.ch + b.ch if a is not None and b is not None and is_han(a.ch) and is_han(b.ch) else None


@dataclass(slots=True)
class Reconciled:
    """The replacements made, and the words read a different way each time, left as read."""

    corrections: list[Correction] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # 黄馏/竟/岂 read 3 ways on pages 1,2


def reconcile_readings(pages: list[OcrPage], lexicon: frozenset[str] | None = None) -> Reconciled:
    """Replace, in ``pages``' words, each character the document's majority reads otherwise (see the module);
    returns the replacements made and the words no vote could settle."""
    words = two_char_words() if lexicon is None else lexicon
    streams = [line for p in pages for line in _streams(p)]
    counts: Counter[str] = Counter()
    contexts: Counter[str] = Counter()  # every three characters in a row, punctuation too
    for s in streams:
        counts.update(b for i in range(len(s) - 1) if (b := _bigram(s[i], s[i + 1])) is not None)
        contexts.update(s[i].ch + s[i + 1].ch + s[i + 2].ch for i in range(len(s) - 2))
    support: dict[tuple[str, bool], list[tuple[str, int]]] = {}  # (a character, on the left?) → the words with it
    for word, n in counts.items():
        if n >= MIN_SUPPORT and word in words:
            support.setdefault((word[0], True), []).append((word, n))
            support.setdefault((word[1], False), []).append((word, n))
    planned: list[tuple[_Char, str, str, str, str]] = []  # char, new char, before, after, reason
    learned: Counter[tuple[str, str]] = Counter()
    for s in streams:
        for i, c in enumerate(s):
            found = _vote(s, i, counts, support, contexts, words)
            if found is not None:
                planned.append((c, *found))
                learned[(c.ch, found[0])] += 1
    chosen = {id(p[0]) for p in planned}
    for s in streams:
        for i, c in enumerate(s):
            if id(c) not in chosen and (found := _learned(s, i, learned, words)) is not None:
                planned.append((c, *found))
    out = Reconciled(unresolved=_unresolved(streams, {id(p[0]) for p in planned}, words))
    for c, new, before, after, reason in planned:
        _replace_char(pages, c, new)
        out.corrections.append(Correction(c.page, before, after, reason))
    return out


def _unresolved(streams: list[list[_Char]], chosen: set[int], words: frozenset[str]) -> list[str]:
    """Beside one character, a character read unsurely (below :data:`LOW_CONF`) a different way at least
    :data:`MIN_UNRESOLVED` times: one word (a name) the model does not know, which no vote can settle. A
    character as common as 的 or 在 (:data:`COMMON_SHARE` of the text, :data:`COMMON_MIN` times or more) stands
    beside many words: beside it, different characters are different words, not one read several ways."""
    han = Counter(c.ch for s in streams for c in s if is_han(c.ch))
    common = {ch for ch, n in han.items() if n >= max(COMMON_SHARE * han.total(), COMMON_MIN)}
    seen: dict[tuple[str, bool], list[_Char]] = {}
    for s in streams:
        for i, c in enumerate(s):
            if id(c) in chosen or c.conf >= LOW_CONF or not _suspect(s, i, words):
                continue
            for other, on_left in ((s[i - 1], True), (s[i + 1], False)):
                if is_han(other.ch) and other.ch not in common:
                    seen.setdefault((other.ch, on_left), []).append(c)
    out = []
    for (ch, on_left), chars in seen.items():
        readings = sorted({c.ch for c in chars}, key=[c.ch for c in chars].index)
        if len(readings) >= MIN_UNRESOLVED:
            pages = ",".join(str(n) for n in sorted({c.page for c in chars}))
            shown = "/".join(readings)
            out.append(f"{ch}{shown}" if on_left else f"{shown}{ch}")
            out[-1] += f" read {len(readings)} ways on pages {pages}"
    return out


def _suspect(s: list[_Char], i: int, words: frozenset[str]) -> bool:
    """Character ``i`` may be misread: Han, read unsurely, no word with either neighbour (it has both)."""
    c = s[i]
    if not is_han(c.ch) or c.conf >= SURE_CONF or not 0 < i < len(s) - 1:
        return False
    return not any(b in words for b in (_bigram(s[i - 1], c), _bigram(c, s[i + 1])) if b)


def _vote(s: list[_Char], i: int, counts: Counter[str], support: dict[tuple[str, bool], list[tuple[str, int]]],
          contexts: Counter[str], words: frozenset[str]) -> tuple[str, str, str, str] | None:
    """The one replacement the document's readings support for character ``i``, as (new character, word as read,
    word corrected, reason), or None."""
    if not _suspect(s, i, words):
        return None
    c, left, right = s[i], s[i - 1], s[i + 1]
    options: dict[str, tuple[str, str, int]] = {}  # new character → (before, after, support)
    for other, on_left in ((left, True), (right, False)):
        if not is_han(other.ch):
            continue
        before = other.ch + c.ch if on_left else c.ch + other.ch
        for word, n in support.get((other.ch, on_left), ()):
            new = word[1] if on_left else word[0]
            if n < SUPPORT_RATIO * counts[before] or new == c.ch or not contexts[left.ch + new + right.ch]:
                continue
            if not look_alike(c.ch, new):  # OCR confuses characters of one shape (幕/募), not 物 and 先
                continue
            if new not in options or options[new][2] < n:
                options[new] = (before, word, n)
    if len(options) != 1:
        return None
    new, (before, after, n) = next(iter(options.items()))
    return new, before, after, f"{after} read {n} times in the document, {before} {counts[before]} and no word"


def _learned(s: list[_Char], i: int, learned: Counter[tuple[str, str]], words: frozenset[str]
             ) -> tuple[str, str, str, str] | None:
    """A substitution the vote made :data:`MIN_LEARNED` times, where it makes character ``i`` part of a word."""
    if not _suspect(s, i, words):
        return None
    c, left, right = s[i], s[i - 1], s[i + 1]
    options = {}
    for (old, new), n in learned.items():
        if old != c.ch or n < MIN_LEARNED:
            continue
        for other, on_left in ((left, True), (right, False)):
            if not is_han(other.ch):
                continue
            before, after = (other.ch + old, other.ch + new) if on_left else (old + other.ch, new + other.ch)
            if after in words and look_alike(old, new):
                options[new] = (before, after, n)
    if len(options) != 1:
        return None
    new, (before, after, n) = next(iter(options.items()))
    return new, before, after, f"{c.ch} → {new} made {n} times by the vote in this document, {before} no word"


def _replace_char(pages: list[OcrPage], c: _Char, new: str) -> None:
    page = next(p for p in pages if p.page_no == c.page)
    line = page.lines[c.line]
    w = line.words[c.word]
    line.words[c.word] = replace(w, text=w.text[:c.at] + new + w.text[c.at + 1:])


def describe(corrections: list[Correction]) -> str:
    """The replacements for the log: page, before → after ×n, and why."""
    grouped: Counter[tuple[int, str, str, str]] = Counter((c.page, c.before, c.after, c.reason) for c in corrections)
    return "; ".join(f"page {page}: {before} → {after}" + (f" ×{n}" if n > 1 else "") + f" ({reason})"
                     for (page, before, after, reason), n in sorted(grouped.items()))
