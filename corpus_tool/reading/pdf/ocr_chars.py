"""Tesseract's word boxes → the same glyph data the text engines give, so OCR pages take the one layout path.

Tesseract's TSV output lists every recognised word with its box and confidence, grouped into lines.
Each word becomes glyphs (:class:`~corpus_tool.reading.pdf.chars.Char` fields, as the dicts
:func:`~corpus_tool.reading.pdf.layout.layout_page` reads), in PDF points, so rows, columns,
furniture, headings and paragraphs are found on a scan exactly as on a text page.

What OCR cannot give is measured instead:

* the size: from the height of tesseract's line box or of the line's Han characters, snapped
  to the document's body size, since a pixel of noise must not read as a change of font size;
* the baseline: shared by every glyph of a line (the bottom of its Han characters);
* spaces: tesseract splits Chinese into many "words"; a space is kept only between two Latin words or
  numbers, never next to a CJK character, and a wide gap (a gutter, letter-spaced fields) stays a gap.

Confidence is kept per word: low-confidence words are counted, a line that is mostly guessed (a
formula, dot leaders) is left out and counted, and a page that is mostly guessed is withheld; all reported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from corpus_tool.reading.model import OCR_LOW_CONFIDENCE
from corpus_tool.reading.pdf.chars import OCR_FONT
from corpus_tool.reading.pdf.rows import median

LINE_EM = 1.0  # tesseract's line box is about an em (the font size) high ...
INK_EM = 0.93  # ... and a Han character's ink this share of its em
# A line within these shares of the body size is set in the body size. Body lines measure up to 10 %
# larger (bold) and up to 18 % smaller (a Kai face; a short line's box, fitted to the ink of its few glyphs);
# a heading one size up (四号 over 小四) measures 12–17 % larger, a footnote 20 % or more smaller.
SNAP_UP = 0.12
SNAP_DOWN = 0.18
GAP_FILL = 1.5  # × size: a gap up to this between two words of a line is no gap (tesseract's word split)
MIN_WIDTH = 0.3  # × size: the narrowest a character's glyph is made (a sliver of a box, a dot)
NARROW_WIDTH = 0.5  # a Latin letter or digit is about half as wide as a Han character
LOW_CONF = 60.0  # a word recognised with less confidence (0–100) is counted as low-confidence
MIN_LINE_CONF = 50.0  # a line whose mean confidence (per character) is below this is left out, counted ...
MIN_UNSURE_CHARS = 4  # ... when it has this many characters: a lone short word (目录, 概率) often scores low
MIN_PAGE_CONF = 50.0  # a page whose mean confidence is below this is withheld as a whole


@dataclass(frozen=True, slots=True)
class OcrWord:
    text: str
    x0: float  # pixels of the rendered page, top-down
    top: float
    x1: float
    bottom: float
    conf: float


@dataclass(slots=True)
class OcrLine:
    words: list[OcrWord]
    top: float  # tesseract's line box (pixels)
    bottom: float
    size: float = 0.0  # font size in points (set by :func:`measure_lines`, snapped by :func:`snap_sizes`)
    base: float = 0.0  # baseline in points


@dataclass(slots=True)
class OcrPage:
    """One page as tesseract read it: the lines kept, and what its confidence says about the rest."""

    page_no: int
    width: float  # points
    height: float
    dpi: int
    lines: list[OcrLine] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)  # lines left out: their words are mostly guessed
    words: int = 0  # every word read, kept or not
    low_words: int = 0  # ... and those below LOW_CONF
    mean_conf: float = 0.0  # mean word confidence of the page, per character (0 without text)

    def problem(self) -> str | None:
        """Why this page's OCR text is not fit to store, or None."""
        if not self.words or self.mean_conf >= MIN_PAGE_CONF:
            return None
        return (f"{OCR_LOW_CONFIDENCE}: mean {self.mean_conf:.0f} (below {MIN_PAGE_CONF:.0f}), {self.low_words} of "
                f"{self.words} words below {LOW_CONF:.0f}; text withheld (OCR 识别置信度过低，未收录)")


def parse_tsv(tsv: str, page_no: int, width: float, height: float, dpi: int) -> OcrPage:
    """Tesseract's TSV (``tesseract ... tsv``) → lines of words with boxes and confidence.

    Blank words are dropped; a line of :data:`MIN_UNSURE_CHARS` or more whose mean confidence is below
    :data:`MIN_LINE_CONF` (a formula, dot leaders, a seal or a picture read as text) is left out and kept
    in ``unsure``.
    """
    page = OcrPage(page_no, width, height, dpi)
    lines: dict[tuple[str, str, str], OcrLine] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            level = int(row["level"])
            left, top, w, h = (float(row[k]) for k in ("left", "top", "width", "height"))
            conf = float(row["conf"])
        except (KeyError, TypeError, ValueError):  # a malformed row: not a word
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        if level == 4:
            lines[key] = OcrLine([], top, top + h)
        elif level == 5 and (text := (row.get("text") or "").strip()) and key in lines:
            lines[key].words.append(OcrWord(text, left, top, left + w, top + h, max(conf, 0.0)))
    read = [ln for ln in lines.values() if ln.words]
    words = [w for ln in read for w in ln.words]
    page.words, page.low_words = len(words), sum(1 for w in words if w.conf < LOW_CONF)
    page.mean_conf = mean_conf(words)
    page.lines = [ln for ln in read if not _unsure(ln)]
    page.unsure = [" ".join(w.text for w in ln.words) for ln in read if _unsure(ln)]
    measure_lines(page)
    return page


def _unsure(line: OcrLine) -> bool:
    return mean_conf(line.words) < MIN_LINE_CONF and sum(len(w.text) for w in line.words) >= MIN_UNSURE_CHARS


def mean_conf(words: list[OcrWord]) -> float:
    n = sum(len(w.text) for w in words)
    return sum(w.conf * len(w.text) for w in words) / n if n else 0.0


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def is_wide(ch: str) -> bool:
    """A character set a full em wide: CJK, full-width forms and CJK punctuation."""
    return ord(ch) >= 0x2E80 or ch in "“”‘’"


def measure_lines(page: OcrPage) -> None:
    """Each line's size and baseline in points: the smaller of two measures of its em.

    Tesseract's line box is about an em high, but taller when the line has tall marks (quotes, brackets,
    Latin descenders) and now and then far too tall (a mark beside the line joined to it). A Han
    character's ink is nearly its em (the median of the line's Han words: a lone box may be half again
    too tall, the flat 一 far too low), though a Kai face's ink is some 10 % smaller. The two are
    rarely too tall on the same line.
    """
    pt = 72 / page.dpi
    for ln in page.lines:
        height, bottom = ln.bottom - ln.top, ln.bottom
        inks = [w.bottom - w.top for w in ln.words if all(is_han(ch) for ch in w.text)]
        if inks:
            height = min(height, median([h for h in inks if h >= 0.5 * median(inks)]) / INK_EM)
            bottom = median([w.bottom for w in ln.words if all(is_han(ch) for ch in w.text)])
        ln.size, ln.base = height * pt / LINE_EM, bottom * pt
    share_rows(page)


ROW_OVERLAP = 0.5  # a line beside another sharing this much of its height is on the same row


def _has_han(line: OcrLine) -> bool:
    return any(is_han(ch) for w in line.words for ch in w.text)


def share_rows(page: OcrPage) -> None:
    """A line without Han characters set beside a Han line, on the same row, takes that line's size and baseline.

    Tesseract reads a two-column list (a symbol table: ``HPC　高性能计算``, an abbreviation list) as separate
    lines, column by column. A Latin line's box is only its cap height, so it measures a size or two smaller
    and its baseline a little higher than the Han line beside it: the two would fall in different rows, and
    each symbol and each meaning become a paragraph of one word. On the Han line's baseline they form one row.
    Only a line measured no larger than the Han line is moved (a Latin heading beside text keeps its size).
    """
    han = [ln for ln in page.lines if _has_han(ln)]
    for ln in page.lines:
        if not ln.words or _has_han(ln):
            continue
        x0, x1, height = min(w.x0 for w in ln.words), max(w.x1 for w in ln.words), ln.bottom - ln.top
        best, most = None, ROW_OVERLAP * height
        for other in han:
            if other.size < ln.size or (min(w.x0 for w in other.words) < x1 and x0 < max(w.x1 for w in other.words)):
                continue  # larger, or not beside it
            overlap = min(ln.bottom, other.bottom) - max(ln.top, other.top)
            if overlap >= most:
                best, most = other, overlap
        if best is not None:
            ln.size, ln.base = best.size, best.base


def snap_sizes(pages: list[OcrPage], reference: float | None = None) -> float:
    """Set lines near the body size (:data:`SNAP_UP`, :data:`SNAP_DOWN`) in the body size, the others to
    half points.

    The body size is the OCR text's own (the size of most characters). When ``reference`` (the body
    size of the document's text-layer pages) is within :data:`SNAP_UP` of it, every OCR size is scaled
    by their ratio, so the two kinds of page agree. Returns the body size used.
    """
    weighted = sorted((ln.size, sum(len(w.text) for w in ln.words)) for p in pages for ln in p.lines)
    total = sum(n for _, n in weighted)
    if not total:
        return reference or 0.0
    acc, body = 0, weighted[-1][0]
    for size, n in weighted:  # the weighted median
        acc += n
        if 2 * acc >= total:
            body = size
            break
    scale = reference / body if reference and abs(body - reference) <= SNAP_UP * reference else 1.0
    for p in pages:
        for ln in p.lines:
            near = -SNAP_DOWN * body <= ln.size - body <= SNAP_UP * body
            ln.size = body * scale if near else round(ln.size * scale * 2) / 2
    return body * scale


# tesseract splits a number at its decimal point or thousands separator ("9." "55亿元", "1," "200"): no space there
_NUMBER_CUT_LEFT = re.compile(r"\d[.．]$|\d,$")
_ITEM_NUMBER = re.compile(r"^\d{1,2}[.．]$")
_NUMBER_CUT_RIGHT = {".": re.compile(r"^\d"), "．": re.compile(r"^\d"), ",": re.compile(r"^\d{3}(?!\d)")}


def _space_between(left: str, right: str, first: bool = False) -> bool:
    """Two words of a line are separated by a space only when neither side is CJK and they are not the two
    halves of one number: "9. 55亿元" is 9.55, "1, 200" is 1,200 (a list "1, 2" keeps its space, and so does
    an item number opening the line: "1. 2019年")."""
    if is_wide(left[-1]) or is_wide(right[0]):
        return False
    if first and _ITEM_NUMBER.match(left):
        return True
    if _NUMBER_CUT_LEFT.search(left) and _NUMBER_CUT_RIGHT[left[-1]].match(right):
        return False
    return not (left[-1].isdigit() and right[0] == "." and right[1:2].isdigit())  # "9" ".55"


_QUOTES = "“”\"‘’"
# A section or figure number opening the line (1.3.2, 图2, 附录3, 表3-1) and a quote mark after it, Han next:
# tesseract reads the wide gap a number is set apart by as a quote (1.3.2”复杂表格, 1.4“定理环境).
_GAP_QUOTE_RE = re.compile(r"^((?:[图表式]|附录)?\s*\d{1,2}(?:[.．-]\d{1,2}){0,4})\s*[“”\"‘’]\s*(?=[\u4e00-\u9fff])")


def drop_gap_quotes(page: OcrPage) -> list[str]:
    """Take out of ``page``'s lines the quote mark OCR read in the gap after a number opening the line, when
    it is the line's only quote and closes none opened on the lines before (a real quote comes in pairs:
    实施“1+3”政策 keeps its marks). Returns each line changed, as read, for the log."""
    changed = []
    opened = 0  # “ not yet closed on the lines before
    for ln in page.lines:
        text = "".join(w.text for w in ln.words)
        was_open, opened = opened, max(0, opened + text.count("“") - text.count("”"))
        if sum(text.count(q) for q in _QUOTES) != 1 or not (m := _GAP_QUOTE_RE.match(text)):
            continue
        if was_open and "”" in m.group(0):
            continue
        cut = next(i for i in range(m.end(1), m.end()) if text[i] in _QUOTES)
        at = 0
        for k, w in enumerate(ln.words):  # the word holding character ``cut`` loses it; an emptied word goes
            if at <= cut < at + len(w.text):
                rest = w.text[:cut - at] + w.text[cut - at + 1:]
                if rest:
                    ln.words[k] = OcrWord(rest, w.x0, w.top, w.x1, w.bottom, w.conf)
                else:
                    del ln.words[k]
                break
            at += len(w.text)
        changed.append(text)
        opened = was_open  # the mark taken out opened nothing
    return changed


def glyphs(page: OcrPage) -> list[dict[str, Any]]:
    """The page's words as glyph dicts in points (what :func:`layout_page` takes), line by line."""
    out: list[dict[str, Any]] = []
    for ln in page.lines:
        size, base = ln.size, ln.base
        spans = word_spans(ln.words, size, 72 / page.dpi)
        for i, (w, (x0, x1)) in enumerate(zip(ln.words, spans, strict=True)):
            nxt = ln.words[i + 1] if i + 1 < len(ln.words) else None
            space = False
            if nxt is not None and spans[i + 1][0] - x1 <= GAP_FILL * size:
                space = _space_between(w.text, nxt.text, first=i == 0)
                if not space:  # one run of text: the word reaches to where the next one starts
                    x1 = spans[i + 1][0]
            word = _glyphs(w.text, x0, x1, base - size, base, size)
            for g in word:
                g["conf"] = w.conf
            out.extend(word)
            if space:
                out.append(_glyph(" ", x1, spans[i + 1][0], base - size, base, size))
    return out


def word_spans(words: list[OcrWord], size: float, pt: float) -> list[tuple[float, float]]:
    """Each word's left and right edge in points, in tesseract's reading order and never overlapping.

    Tesseract's boxes for Chinese are sometimes far too wide (one word's box covering the three
    after it) or a sliver: a box is cut at the next word's start, and a word is given at least
    :data:`MIN_WIDTH` × size per character, so the glyphs keep the order tesseract read them in.
    """
    spans: list[tuple[float, float]] = []
    cursor = float("-inf")
    for i, w in enumerate(words):
        x0 = max(w.x0 * pt, cursor)
        x1 = w.x1 * pt
        if i + 1 < len(words) and words[i + 1].x0 * pt > x0:
            x1 = min(x1, words[i + 1].x0 * pt)
        x1 = max(x1, x0 + MIN_WIDTH * size * len(w.text))
        spans.append((x0, x1))
        cursor = x1
    return spans


def _glyphs(text: str, x0: float, x1: float, top: float, base: float, size: float) -> list[dict[str, Any]]:
    """A word's characters across its box, each as wide as its kind (Han one share, Latin half)."""
    weights = [1.0 if is_wide(ch) else NARROW_WIDTH for ch in text]
    unit = (x1 - x0) / sum(weights)
    out, x = [], x0
    for ch, wt in zip(text, weights, strict=True):
        out.append(_glyph(ch, x, x + wt * unit, top, base, size))
        x += wt * unit
    return out


def _glyph(text: str, x0: float, x1: float, top: float, base: float, size: float) -> dict[str, Any]:
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": base, "size": size, "fontname": OCR_FONT,
            "base": base, "upright": True}
