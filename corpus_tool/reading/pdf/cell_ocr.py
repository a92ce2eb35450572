"""Table cells read by OCR, read again one by one with the characters their column can hold.

Region OCR (:func:`.ocr.tesseract_regions`) reads a whole table as one block in Chinese: grade codes come
back half Han (工A0 for TA0), range marks as 一 (4.0一5D.5 for 4.0～5.5), a cell's text spills into its
neighbour's (余 | 量4.8). Here every OCR'd cell is cut out on its own and read again by the kind of text it
holds (its first reading's kind; a short Han reading in a number or Latin column, a misread header, also as
the column's kind; an empty cell whose glyphs region OCR withheld, as every kind):

* numbers (figures, ranges and dashes): English with only digits and ``. ~ — - < > %``;
* Latin (grade codes, compositions such as Ti-5Al): English with only Latin letters, digits and ``. - ( ) ,``;
* Han: Chinese again, now alone (the whole cell, none of its neighbours' ink).

The cells of one kind on a page are stacked into one image, so each kind costs a tesseract run or two per
page. A new reading replaces the first when it is :data:`CONF_MARGIN` more confident, when it is sure and the
first has characters its kind cannot hold (工 in a code), or when it is the same figures with other marks
(English tells ～ from —). An empty cell is filled when read with confidence. The log lists every change.
:func:`spell_codes` then spells codes as the document's text layer does (TA0, not TAO).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from corpus_tool.reading.model import Table
from corpus_tool.reading.pdf.ocr import _tesseract
from corpus_tool.reading.pdf.ocr_chars import (
    MIN_PAGE_CONF,
    OcrWord,
    _space_between,
    is_wide,
    mean_conf,
    parse_tsv,
)
from corpus_tool.reading.pdf.tables import _glue

NUMBER, LATIN, HAN = "number", "latin", "han"
ENG = "eng"
WHITELISTS = {
    NUMBER: "0123456789.~—-<>%",
    LATIN: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-(),",
}
CELL_PSM = 6  # the stacked cells are one uniform block of lines (it now and then skips one: see RETRIES)
CELL_GAP = 0.8  # × the median cell's height: white space between two stacked cells, so tesseract keeps them apart
CELL_EM_PX = 30  # pixels: cells are scaled down so that their text's em is about this high (tesseract reads
# small table print better so than at the size region OCR needs to find it)
RETRIES = 1  # the cells read as nothing are stacked again once: tesseract now and then skips a line of a stack
CONF_MARGIN = 5.0  # a new reading replaces the first only when this much more confident
MARGIN_PX = 24  # white space around the stack
INSET = 0.5  # points: a cell's box is cut this far inside its rules (their ink is painted out, not their blur)
MAX_STACK_PX = 30000  # pixels: a stack taller than this is cut in two (tesseract's image limit is 32767)
KIND_SHARE = 0.7  # a cell is of a kind when this share of its characters are the kind's
COLUMN_SHARE = 0.6  # ... and a column when this share of its filled cells are
SHORT = 2  # characters: a Han reading this short in a number or Latin column is read as the column's kind too
_NUMBER_CHARS = set("0123456789.~～-—一<>≤≥⩽⩾%,")
DASH = "—"  # an empty figure cell's dash
_DASHES = re.compile(r"[-一—―‐–]{1,3}")
_MARK = re.compile(r"[-一—―‐–~～]+")
_UPPER_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")
_CODE_ONE = re.compile(r"(?<=[A-Z])I(?=\d)")
_RANGE = re.compile(r"(?<=\d)~(?=\d)")  # tesseract's ~ between two figures: the range mark ～ that GB tables print


def cell_kind(text: str) -> str | None:
    """What a cell's first reading looks like: :data:`NUMBER` (figures, ranges, dashes: tesseract's Chinese
    model reads — and ～ as 一), :data:`LATIN` (mostly Latin letters and figures), :data:`HAN`, or None (empty)."""
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return None
    if sum(ch in _NUMBER_CHARS for ch in chars) >= KIND_SHARE * len(chars):
        return NUMBER
    if sum(ch.isascii() and (ch.isalnum() or ch in ".-()") for ch in chars) >= 0.5 * len(chars):
        return LATIN
    return HAN


def column_kinds(table: Table) -> dict[int, str]:
    """Each column's kind: the kind of :data:`COLUMN_SHARE` of its filled cells (a header is one of many)."""
    by_col: dict[int, list[str]] = {}
    for c in table.cells:
        kind = cell_kind(c.text)
        if kind is not None and c.col_span == 1:
            by_col.setdefault(c.col, []).append(kind)
    out = {}
    for col, kinds in by_col.items():
        for kind in (NUMBER, LATIN):
            if sum(k == kind for k in kinds) >= COLUMN_SHARE * len(kinds):
                out[col] = kind
    return out


@dataclass
class CellChange:
    """One cell whose text the cell-by-cell reading changed."""

    page: int
    row: int
    col: int
    before: str
    after: str
    conf_before: float
    conf_after: float
    kind: str


@dataclass
class CellReport:
    """What the cell-by-cell reading of one page did."""

    cells: int = 0  # cells read again
    runs: int = 0  # tesseract runs
    changes: list[CellChange] = field(default_factory=list)
    filled: list[tuple[int, float, int]] = field(default_factory=list)  # withheld regions now read: (index,
    # confidence, characters)


Box = tuple[float, float, float, float]


def reread_cells(image: Any, tables: list[Table], origin: tuple[float, float], dpi: int, size: float, lang: str,
                 page_no: int, withheld: list[Box] | None = None) -> CellReport:
    """Read each OCR'd cell of ``tables`` again on its own from ``image`` (the page's frame as region OCR saw it:
    rendered at ``dpi``, rules and text-layer glyphs painted out, ``origin`` its top left in points; ``size``:
    its text's size in points) and keep the most confident reading. ``withheld``: boxes of regions whose glyphs
    region OCR withheld; an empty cell holding one whole is read as well. Cells are changed in place; returns
    what was done.

    A cell of a number column read as dashes alone (tesseract's Chinese model reads the one long dash ``—``
    of an empty figure cell as ``-一``, English does not see it at all) is that dash."""
    report = CellReport()
    jobs: dict[str, list[tuple[Table, tuple[int, int], Box]]] = {}
    empty_regions: dict[tuple[int, tuple[int, int]], list[int]] = {}
    for t_i, table in enumerate(tables):
        kinds = column_kinds(table)
        by_pos = {(c.row, c.col): c for c in table.cells}
        for pos, box in table.cell_boxes.items():
            cell = by_pos[pos]
            column = kinds.get(pos[1]) if cell.col_span == 1 else None
            if pos in table.ocr_conf:
                if column == NUMBER and _DASHES.fullmatch(cell.text) and cell.text != DASH:
                    report.changes.append(CellChange(page_no, pos[0], pos[1], cell.text, DASH,
                                                     table.ocr_conf[pos], table.ocr_conf[pos], "dash"))
                    cell.text = DASH
                    continue
                own = cell_kind(cell.text) or HAN
                passes = {own}
                if column and own == HAN and len(cell.text) <= SHORT:  # a misread header or mark
                    passes.add(column)
            elif not cell.text and withheld:
                inside = [i for i, w in enumerate(withheld) if _within(w, box)]
                if not inside:
                    continue
                empty_regions[(t_i, pos)] = inside
                passes = {HAN, LATIN, NUMBER}  # nothing tells what it holds
            else:
                continue
            report.cells += 1
            for kind in passes:
                jobs.setdefault(kind, []).append((table, pos, box))
    readings: dict[tuple[int, tuple[int, int]], tuple[float, str, str]] = {}
    index = {id(t): i for i, t in enumerate(tables)}
    scale = min(1.0, CELL_EM_PX / max(size * dpi / 72, 1.0))
    for kind, todo in sorted(jobs.items()):
        for _ in range(RETRIES + 1):
            missed = []
            for canvas, slots in _stacks(image, todo, origin, dpi, scale):
                tsv = _tesseract(canvas, page_no, lang if kind == HAN else ENG, int(dpi * scale), CELL_PSM,
                                 WHITELISTS.get(kind))
                report.runs += 1
                lines = parse_tsv(tsv, page_no, 0.0, 0.0, dpi).lines  # without the lines it is unsure of
                for (table, pos), text, conf in _assign([(i, w) for i, ln in enumerate(lines) for w in ln.words],
                                                        slots):
                    key = (index[id(table)], pos)
                    if not text:
                        missed.append((table, pos, table.cell_boxes[pos]))
                    elif conf > readings.get(key, (-1.0,))[0]:
                        readings[key] = (conf, _normalise(text, kind), kind)
            if not missed:
                break
            todo = missed
    for (t_i, pos), (conf, text, kind) in readings.items():
        table = tables[t_i]
        cell = next(c for c in table.cells if (c.row, c.col) == pos)
        before = table.ocr_conf.get(pos)
        if not text or text == cell.text:
            continue
        if before is None:  # a cell region OCR withheld: filled only when read with confidence now
            if conf < MIN_PAGE_CONF:
                continue
            report.filled.extend((i, conf, len(text)) for i in empty_regions.get((t_i, pos), []))
            cell.source = "ocr"
        elif conf < before + CONF_MARGIN and not (kind == NUMBER and _marks(text) == _marks(cell.text)) and not (
                conf >= MIN_PAGE_CONF and _foreign(cell.text, kind) and not _han_word(cell.text)):
            # the same figures with other marks: English tells ～ and — apart, Chinese reads both 一; a first
            # reading with characters its kind of cell cannot hold (工A2, 4.0一5D.5, 瓦 for H) loses to a sure one
            # without; a Han word (牌号, 温度 over a column of codes) is a header, replaced only by a surer reading
            continue
        report.changes.append(CellChange(page_no, pos[0], pos[1], cell.text, text, before or 0.0, conf, kind))
        cell.text = text
        table.ocr_conf[pos] = conf
    return report


def _foreign(text: str, kind: str) -> bool:
    """``text`` has a character a cell of ``kind`` cannot hold: a Han character in a Latin cell, anything but
    figures and marks in a number cell (一 being how the Chinese model reads a dash)."""
    if kind == LATIN:
        return any(is_wide(ch) for ch in text)
    return kind == NUMBER and any(ch not in _NUMBER_CHARS and not ch.isspace() for ch in text)


def _han_word(text: str) -> bool:
    """Two Han characters or more, and nothing else: a word (a header such as 牌号), not a misread code."""
    chars = [ch for ch in text if not ch.isspace()]
    return len(chars) >= 2 and all(is_wide(ch) and ch.isalpha() for ch in chars)


def _marks(text: str) -> str:
    """``text`` with its dashes and range marks all one mark (as the Chinese model may read any of them)."""
    return _MARK.sub("~", text.replace(" ", ""))


def _within(inner: Box, outer: Box) -> bool:
    return outer[0] <= inner[0] and inner[2] <= outer[2] and outer[1] <= inner[1] and inner[3] <= outer[3]


def _normalise(text: str, kind: str) -> str:
    """A range read in English: its ~ is the range mark ～ (English has no full-width tilde). A code read in
    English (capitals, figures and hyphens: TA15-1): an I between a capital and a figure is the figure 1,
    as its narrow serifed 1 reads (TAI5-1)."""
    if kind == NUMBER:
        return _RANGE.sub("～", text)
    if kind == LATIN and _UPPER_CODE.fullmatch(text):
        return _CODE_ONE.sub("1", text)
    return text


def _stacks(image: Any, todo: list[tuple[Table, tuple[int, int], Box]], origin: tuple[float, float], dpi: int,
            scale: float) -> list[tuple[Any, list[tuple[Table, tuple[int, int], float, float]]]]:
    """The cells cut out of ``image``, resized by ``scale`` and stacked one under another, left-aligned, in
    images of at most :data:`MAX_STACK_PX`; each with its slots (table, cell, top and bottom in the stack's pixels)."""
    from PIL import Image

    px = dpi / 72
    ox, oy = origin
    crops = []
    for table, pos, (x0, top, x1, bottom) in todo:
        box = (max(0, int((x0 - ox + INSET) * px)), max(0, int((top - oy + INSET) * px)),
               min(image.width, int((x1 - ox - INSET) * px)), min(image.height, int((bottom - oy - INSET) * px)))
        if box[2] > box[0] and box[3] > box[1]:
            crop = image.crop(box)
            if scale < 1.0:
                crop = crop.resize((max(1, round(crop.width * scale)), max(1, round(crop.height * scale))),
                                   Image.Resampling.LANCZOS)
            crops.append((table, pos, crop))
    if not crops:
        return []
    heights = sorted(c.height for _, _, c in crops)
    gap = int(CELL_GAP * heights[len(heights) // 2]) + 1
    out = []
    while crops:
        height, n = MARGIN_PX, 0
        while n < len(crops) and (n == 0 or height + crops[n][2].height + gap <= MAX_STACK_PX):
            height += crops[n][2].height + gap
            n += 1
        part, crops = crops[:n], crops[n:]
        width = max(c.width for _, _, c in part) + 2 * MARGIN_PX
        canvas = Image.new("L", (width, height + MARGIN_PX), 255)
        slots, y = [], MARGIN_PX
        for table, pos, crop in part:
            canvas.paste(crop, (MARGIN_PX, y))
            slots.append((table, pos, y - gap / 2, y + crop.height + gap / 2))
            y += crop.height + gap
        out.append((canvas, slots))
    return out


def _assign(words: list[tuple[int, OcrWord]], slots: list[tuple[Table, tuple[int, int], float, float]]
            ) -> list[tuple[tuple[Table, tuple[int, int]], str, float]]:
    """Each slot's words (by their middle; ``words`` in tesseract's order, with their line's number), joined as
    OCR lines and cell lines are: a space only between two Latin words of a line, lines as :func:`.tables._glue`."""
    out = []
    for table, pos, top, bottom in slots:
        mine = [(i, w) for i, w in words if top <= (w.top + w.bottom) / 2 < bottom]
        text, line, first = "", None, False
        for i, w in mine:
            if not text:
                text = w.text
            elif i != line:
                text += _glue(text, w.text) + w.text
            else:
                text += (" " if _space_between(text, w.text, first=first) else "") + w.text
            first, line = i != line, i
        out.append(((table, pos), text, mean_conf([w for _, w in mine])))
    return out


# tesseract's usual confusions in Latin print: O for 0, I and l for 1 (GB tables' 0 and 1 are narrow)
_CONFUSED = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9]")


def code_lexicon(texts: list[str]) -> dict[str, str]:
    """The codes (Latin letters with figures: TA0, TA1GELI, GB/T's numbers) spelled in ``texts`` (the document's
    text layer), by their spelling with the confusable letters made figures; a spelling shared by two codes is
    ambiguous and left out."""
    out: dict[str, str | None] = {}
    for text in texts:
        for code in _CODE.findall(text):
            if any(ch.isdigit() for ch in code) and any(ch.isalpha() for ch in code):
                key = code.translate(_CONFUSED)
                out[key] = code if out.get(key, code) == code else None
    return {k: v for k, v in out.items() if v is not None}


def spell_codes(tables: list[Table], lexicon: dict[str, str]) -> list[CellChange]:
    """OCR'd Latin cells that are one code of the document's text layer but for a confusable letter (TAO for
    TA0, TAIGELI for TA1GELI) spelled as the text layer spells it; returns the changes."""
    changes = []
    for table in tables:
        for cell in table.cells:
            if cell.source != "ocr" or cell_kind(cell.text) != LATIN:
                continue
            code = lexicon.get(cell.text.translate(_CONFUSED))
            if code is not None and code != cell.text:
                changes.append(CellChange(cell.page or table.page or 0, cell.row, cell.col, cell.text, code, 0.0,
                                          0.0, "text layer"))
                cell.text = code
    return changes
