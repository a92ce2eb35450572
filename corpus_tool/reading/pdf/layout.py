"""Page geometry for the PDF extractor: characters → text lines → columns in reading order.

Works on plain data (:class:`Char`, :class:`Line`) copied once from pdfplumber's
``page.chars``; nothing here calls back into pdfplumber, so every page is parsed once.
:mod:`.rows` groups chars into rows by baseline, :mod:`.columns` cuts the page into full-width
and two-column bands; this module turns rows into lines and puts them in reading order.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from corpus_tool.reading.model import Block, Table
from corpus_tool.reading.pdf.chars import OCR_FONT, Char, is_bad_char, to_chars
from corpus_tool.reading.pdf.charts import Drawing, outside, take_chart_labels
from corpus_tool.reading.pdf.columns import Band, attach_beside_figures, find_bands, split_at
from corpus_tool.reading.pdf.diagrams import Node, find_nodes
from corpus_tool.reading.pdf.fields import split_fields
from corpus_tool.reading.pdf.figures import MAX_LABEL, Graphics, take_figure_labels
from corpus_tool.reading.pdf.fractions import set_fractions
from corpus_tool.reading.pdf.roles import split_caption_rows
from corpus_tool.reading.pdf.rows import SMALL_RATIO, Row, cluster_rows, font_drops, median, sort_dedupe
from corpus_tool.reading.pdf.spacing import (
    Advances,
    evenly_set_digits,
    glyph_advances,
    latin_word_spaces,
    number_joins,
)
from corpus_tool.reading.pdf.unruled import find_unruled_tables

WIDE_GAP = 0.45  # gap (× size) between two CJK chars that reads as a space
NARROW_GAP = 0.15  # the same between Latin letters, digits and punctuation
BAND = 0.08  # running header/footer bands: this share of the page height at top and bottom

# Superscript runs are canonicalised: full-width and Founder GBK-row (U+A3xx) digits and brackets
# are read as ASCII for matching only, so ［１］１０ and [1]10 both become [1:10].
_MARKER_TRANS = MappingProxyType(
    str.maketrans(
        {
            **{chr(0xFF10 + i): str(i) for i in range(10)},
            **{chr(0xA3B0 + i): str(i) for i in range(10)},
            "［": "[",
            "］": "]",
            "\ua3db": "[",
            "\ua3dd": "]",
            "－": "-",
            "\ua3ad": "-",
            "–": "-",
            "—": "-",
            "，": ",",
            "\ua3ac": ",",
            "、": ",",
            " ": "",
        }
    )
)
_CITE_RE = re.compile(r"\[(\d{1,4}(?:[-,]\d{1,4})*)\](\d{1,5}(?:-\d{1,5})?)?")
_CANON_CITE = re.compile(r"\[([^\]:]+):(\d+)\]")
_REF_RE = re.compile(r"\d{1,3}|[*†‡§]{1,3}|[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]")


@functools.cache
def _han() -> re.Pattern[str]:
    """A Han character, with Kangxi radicals (⽅): compiled when a short label is judged (milliseconds)."""
    return re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u2f00-\u2fdf]")


@dataclass(slots=True)
class Line:
    """A text line as the block step sees it."""

    text: str  # citation superscripts inline as [n] / [n:page]; footnote refs removed
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str  # dominant font of the line
    font_share: float  # share of chars in that font
    page: int
    region: str = "C"  # C single column, S full width on a page with columns, L / R column, B sidebar
    dy: float | None = None  # distance to the previous line's top in the same column
    cites: list[str] = field(default_factory=list)  # canonical citation markers in this line
    refs: list[str] = field(default_factory=list)  # superscript footnote refs taken out
    lead_ref: str | None = None  # a footnote ref opening the line (a footnote's own number)
    marker_only: bool = False  # the line is nothing but a citation marker that wrapped
    role: str = ""  # footnote (layout step), header/footer/page_number, title, front (later steps)
    figure: int = 0  # a diagram node's text (see .diagrams): its number on the page, its lines one unit
    glyphs: int = 0  # visible glyphs (provenance: see ocr_glyphs)
    ocr_glyphs: int = 0  # ... of them read by OCR, and the sum of their tesseract confidences
    ocr_conf_sum: float = 0.0
    beside: bool = False  # a labelled fact set beside the line before it on its baseline (see .fields)
    after_formula: bool = False  # the first line of running text after a display formula (see .formulas)
    term_x: float | None = None  # a term and its meaning in two columns (see :func:`term_column`): the meaning's x0


@dataclass(slots=True)
class PageText:
    """Everything kept from one page after pdfplumber is done with it."""

    page_no: int
    width: float
    height: float
    lines: list[Line]  # reading order
    two_column: bool = False
    n_chars: int = 0  # visible chars
    bad_chars: int = 0  # U+FFFD, (cid:n), PUA, Yi outside the Founder GBK rows
    rotated: int = 0  # non-upright chars left out
    duplicates: int = 0  # overprinted duplicate glyphs left out (fake bold)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # short rules (x0, x1, y)
    image_cover: float = 0.0  # share of the page area covered by images
    vertical: bool = False  # read as vertical columns (see .vertical): lines are in a quarter-turned frame
    interlinear: int = 0  # two-line interlinear notes (割注) read inline on a vertical page
    figure_labels: list[str] = field(default_factory=list)  # labels inside or beside figures, left out
    tables: list[Table] = field(default_factory=list)  # unruled tables found among the rows (see .unruled)


# ---------------------------------------------------------------- lines


def classify_marker(raw: str) -> tuple[str, str]:
    """Superscript run → ("cite", "[n:page]" | "[n]"), ("ref", "n") or ("text", raw)."""
    s = raw.translate(_MARKER_TRANS)
    m = _CITE_RE.fullmatch(s)
    if m:
        return "cite", f"[{m[1]}:{m[2]}]" if m[2] else f"[{m[1]}]"
    if _REF_RE.fullmatch(s):
        return "ref", s
    return "text", raw


def _is_wide(ch: str) -> bool:
    return ord(ch[0]) >= 0x2E80 or ch in "“”‘’"


def _needs_space(prev: Char, c: Char) -> bool:
    gap = c.x0 - prev.x1
    ratio = WIDE_GAP if _is_wide(prev.text[-1]) or _is_wide(c.text[0]) else NARROW_GAP
    return gap > ratio * max(prev.size, c.size)


def row_to_line(row: Row, page_no: int, region: str, page_size: float, advances: Advances | None = None) -> Line:
    """Build a line's text left to right (row chars sorted, deduplicated), canonicalising superscripts.

    Spaces between Latin letters and digits come from the glyph gaps against the page's glyph
    ``advances`` (:func:`spacing.latin_word_spaces`), the others from the plain gap test.
    """
    chars = row.chars
    parts: list[str] = []
    cites: list[str] = []
    refs: list[str] = []
    lead_ref: str | None = None
    prev: Char | None = None
    pending_space = False
    advances = glyph_advances([row]) if advances is None else advances
    one_number = evenly_set_digits(chars)  # digits of a number set at a wide pitch: no space between
    one_number |= number_joins(chars, advances)  # ... and a number's glyphs on a wide grid (6.5%, 2001-2005)
    words = latin_word_spaces(chars, advances)
    i = 0
    while i < len(chars):
        c = chars[i]
        if c.sup:
            j = i + 1
            while j < len(chars) and chars[j].sup and chars[j].x0 - chars[j - 1].x1 < 0.5 * row.size:
                j += 1
            raw = "".join(ch.text for ch in chars[i:j] if not ch.space)
            kind, text = classify_marker(raw)
            if kind == "ref" and prev is not None and prev.text[-1].isascii() and prev.text[-1].isalpha():
                kind = "text"  # m², x² ... an exponent, not a note
            if kind == "cite":
                cites.append(text)
                parts.append(text)
            elif kind == "ref":
                refs.append(text)
                lead_ref = text if not parts else lead_ref
            else:
                parts.append(text)
            prev, pending_space, i = chars[j - 1], False, j
            continue
        i += 1
        if c.space:
            pending_space = prev is not None
            continue
        gap_space = words.get(id(c))
        if gap_space is None:
            gap_space = _needs_space(prev, c) if prev is not None else False
        if prev is not None and (pending_space or (gap_space and id(c) not in one_number)):
            parts.append(" ")
        parts.append(c.text)
        prev, pending_space = c, False
    text = "".join(parts)
    fonts: dict[str, int] = {}
    for c in chars:
        if not c.space and not c.sup:
            fonts[c.font] = fonts.get(c.font, 0) + 1
    font = max(fonts, key=fonts.__getitem__) if fonts else ""
    total = sum(fonts.values()) or 1
    line = Line(
        text,
        row.x0,
        row.x1,
        row.top,
        row.bottom,
        row.size,
        font,
        fonts.get(font, 0) / total,
        page_no,
        region,
        cites=cites,
        refs=refs,
        lead_ref=lead_ref,
        glyphs=total if fonts else 0,
        beside=row.beside,
    )
    line.term_x = term_column(chars, row.size)
    if OCR_FONT in fonts:  # only OCR glyphs pay for the confidence sum
        ocr = [c for c in chars if c.font == OCR_FONT and not c.space and not c.sup]
        line.ocr_glyphs, line.ocr_conf_sum = len(ocr), sum(c.conf or 0.0 for c in ocr)
    _mark_wrapped_marker(line, page_size)
    return line


TERM_GAP = 2.0  # ems of white space between a term and its meaning ...
TERM_MAX = 12  # ... after a term of at most this many glyphs


def term_column(chars: list[Char], size: float) -> float | None:
    """Where the meaning starts in a row of a symbol or abbreviation list (``HPC　　高性能计算``): the x0 of the
    text after the row's one gap of :data:`TERM_GAP` ems or more, when the term before it is short; else None.

    A lone Han character before the gap is no term, and a row with two such gaps is letterspaced (``学　　院``),
    not a term and its meaning.
    """
    ink = sorted((c for c in chars if not c.space), key=lambda c: c.x0)  # a superscript fills its gap
    gaps = [i for i, (a, b) in enumerate(pairwise(ink), 1) if b.x0 - a.x1 >= TERM_GAP * max(size, a.size, b.size)]
    if len(gaps) != 1 or gaps[0] > TERM_MAX or (gaps[0] == 1 and _han().match(ink[0].text)):
        return None
    return ink[gaps[0]].x0


def _mark_wrapped_marker(line: Line, page_size: float) -> None:
    """A line of small text that is only a citation marker: a superscript wrapped alone."""
    if line.cites or line.size >= SMALL_RATIO * page_size:
        return
    kind, text = classify_marker(line.text.replace(" ", ""))
    if kind == "cite":
        line.text, line.cites, line.marker_only = text, [text], True


def layout_page(
    raw_chars: list[dict[str, Any]],
    width: float,
    height: float,
    page_no: int,
    rules: list[tuple[float, float, float]] | None = None,
    graphics: Graphics | None = None,
    drawing: Drawing | None = None,
) -> PageText:
    """Chars of one page → lines in reading order (full-width bands cut the page into sections).

    Footnote lines (below one of the short ``rules``) are marked and put last, so a
    footnote band never cuts a column in two. Labels of the figures in ``graphics`` (the page's
    shapes and images) and of the charts in ``drawing`` (its lines, rectangles and curves) are left out
    of the lines and kept in ``figure_labels``.
    """
    from corpus_tool.reading.pdf.vertical import layout_vertical  # it builds on this module's Line/PageText

    if (vertical := layout_vertical(raw_chars, width, height, page_no)) is not None:
        return vertical
    chars, rotated = to_chars(raw_chars)
    ink = [c for c in chars if not c.space]
    page = PageText(page_no, width, height, [], rotated=rotated, n_chars=len(ink), rules=rules or [])
    page.bad_chars = sum(1 for c in ink if is_bad_char(c.text))
    if not ink:
        return page
    return _lay_out(page, chars, median([c.size for c in ink]), graphics, drawing)


def _lay_out(page: PageText, chars: list[Char], page_size: float, graphics: Graphics | None = None,
             drawing: Drawing | None = None) -> PageText:
    chars, page.rules, _ = set_fractions(chars, page.rules)  # a fraction's bar is no footnote rule
    drops = font_drops([c for c in chars if not c.space])
    nodes = find_nodes(chars, graphics.closed, graphics.connectors, graphics.area, page_size) if graphics else []
    if nodes:  # a diagram's node text is laid out box by box, never in rows across the boxes
        taken = {id(c) for n in nodes for c in n.chars}
        chars = [c for c in chars if id(c) not in taken]
    rows = sorted(cluster_rows(chars, drops), key=lambda r: r.top)
    advances = glyph_advances(rows)
    if graphics is not None:
        rows, page.figure_labels = take_figure_labels(rows, graphics, page_size)
    if drawing is not None:
        rows, labels, charts = take_chart_labels(rows, drawing, page_size)
        page.figure_labels += labels
        page.rules = outside(page.rules, charts)  # a gridline is no footnote rule
    rows, page.tables = find_unruled_tables(rows, page.page_no)
    rows = split_caption_rows(rows)  # a caption on the baseline of the column beside its figure
    # footnotes below a rule are banded on their own: a note beside a column's last lines does not cut it off
    notes = [r for r in rows if _under_rule(r, page.rules, page_size)]
    bands = find_bands([r for r in rows if not _under_rule(r, page.rules, page_size)], page.width)
    if graphics is not None and graphics.images:
        bands = attach_beside_figures(bands, graphics.images)
    above = next((b for b in reversed(bands) if b.gutter is not None), None)
    bands += find_bands(notes, page.width) if above is None else split_at(notes, above)
    page.two_column = any(b.gutter is not None for b in bands)
    sections = []
    for band in bands:
        columns = _band_rows(band, drops)
        page.duplicates += sort_dedupe([r for column in columns for r in column])
        columns = [split_fields(column) for column in columns]  # facts side by side on a baseline: apart
        region = "S" if page.two_column else "C"
        regions = {None: (region,), "": ("L", "R"), "L": ("B", "R"), "R": ("L", "B")}[
            None if band.gutter is None else band.sidebar
        ]
        lines = [
            sorted((row_to_line(r, page.page_no, reg, page_size, advances) for r in rows), key=lambda ln: ln.top)
            for reg, rows in zip(regions, columns, strict=True)
        ]
        sections.append(lines[::-1] if band.sidebar == "L" else lines)  # the main column before a sidebar
    lines = [ln for section in sections for column in section for ln in column]
    notes = mark_footnotes(lines, page.rules, page_size)  # the lines of those rows (split at a gutter)
    if notes:
        split_note_refs([ln for ln in lines if ln.role != "footnote"], notes)
    by_region: dict[str, list[Line]] = {}
    for ln in sorted(lines, key=lambda ln: ln.top):
        if ln.role != "footnote":
            by_region.setdefault(ln.region, []).append(ln)
    for column in by_region.values():
        _set_dy(column)
    page.lines = [ln for section in sections for column in section for ln in column if ln.role != "footnote"]
    node_lines, labels = _node_lines(nodes, drops, page.page_no, "S" if page.two_column else "C", page_size)
    page.lines.extend(node_lines)
    page.figure_labels += labels
    page.lines.extend(sorted(notes, key=lambda ln: (_REGION_ORDER.index(ln.region), ln.top)))
    return page


def _node_lines(nodes: list[Node], drops: dict[str, float], page_no: int, region: str,
                page_size: float) -> tuple[list[Line], list[str]]:
    """Each diagram node's lines, top to bottom, numbered with the node (the block step keeps them one unit);
    a node holding a short label without a word of Chinese (``Actor``, ``Q1``, ``是``) is left out of the text
    like other figure labels, while a mind map's ``分子式`` is a term of the text and stays."""
    out: list[Line] = []
    labels: list[str] = []
    for k, node in enumerate(nodes, 1):
        lines = sorted((row_to_line(r, page_no, region, page_size) for r in cluster_rows(node.chars, drops)),
                       key=lambda ln: ln.top)
        text = "".join(ln.text for ln in lines)
        if sum(1 for ch in text if not ch.isspace()) <= MAX_LABEL and len(_han().findall(text)) < 2:
            labels.append(text)  # a symbol, a letter or a lone character: no term of the text
            continue
        for prev, ln in zip([None, *lines], lines, strict=False):
            ln.figure, ln.dy = k, None if prev is None else ln.top - prev.top
        out += lines
    return out, labels


_REGION_ORDER = "LRBSC"


def _band_rows(band: Band, drops: dict[str, float]) -> list[list[Row]]:
    """A band's rows, column by column: each column's chars are grouped into rows again on their own,
    since the two columns' baselines need not line up (a superscript is measured against its own line)."""
    if band.gutter is None:
        return [band.rows]
    x = band.gutter
    chars = [c for r in band.rows if not r.alone for c in r.chars]
    alone = [r for r in band.rows if r.alone]  # rows cut from their baseline's text stay cut (a boxed title)
    return [
        sorted(cluster_rows([c for c in chars if (c.x0 + c.x1) / 2 < x], drops)
               + [r for r in alone if (r.x0 + r.x1) / 2 < x], key=lambda r: r.base),
        sorted(cluster_rows([c for c in chars if (c.x0 + c.x1) / 2 >= x], drops)
               + [r for r in alone if (r.x0 + r.x1) / 2 >= x], key=lambda r: r.base),
    ]


def _under_rule(row: Row, rules: list[tuple[float, float, float]], body_size: float) -> bool:
    return any(_is_note(row.top, row.x0, row.size, rule, body_size) for rule in rules)


def _is_note(top: float, x0: float, size: float, rule: tuple[float, float, float], body_size: float) -> bool:
    """Below a short rule, starting within the rule's column, set smaller than the body."""
    return top >= rule[2] - 1 and rule[0] - body_size <= x0 < rule[1] and size <= 0.95 * body_size


def mark_footnotes(
    lines: list[Line], rules: list[tuple[float, float, float]], body_size: float
) -> list[Line]:
    """Lines below a short rule, starting within the rule's column and set smaller, are footnotes."""
    notes: list[Line] = []
    for rule in sorted(rules, key=lambda r: r[2]):
        for ln in lines:
            if not ln.role and _is_note(ln.top, ln.x0, ln.size, rule, body_size):
                ln.role = "footnote"
                notes.append(ln)
    return notes


def split_note_refs(body: list[Line], notes: list[Line]) -> None:
    """Take a footnote's ref back out of a citation marker it was set flush against.

    ``[19]682`` followed by the superscript ref ``14`` reads as one run ``[19]68214``. When
    note 14 is on the page but no standalone ref to it is, and a citation's page ends in 14,
    that tail is the ref.
    """
    seen = {r for ln in body for r in ln.refs}
    missing = sorted(
        {n.lead_ref for n in notes if n.lead_ref and n.lead_ref.isdigit()} - seen, key=len, reverse=True
    )
    for number in missing:
        for ln in body:
            if _split_cite(ln, number):
                break


def _split_cite(line: Line, number: str) -> bool:
    for i, cite in enumerate(line.cites):
        m = _CANON_CITE.fullmatch(cite)
        if m and m[2].endswith(number):
            rest = m[2][: -len(number)]
            fixed = f"[{m[1]}:{rest}]" if rest else f"[{m[1]}]"
            line.cites[i] = fixed
            line.text = line.text.replace(cite, fixed, 1)
            line.refs.append(number)
            return True
    return False


def _set_dy(lines: list[Line]) -> None:
    for prev, line in pairwise(lines):
        line.dy = line.top - prev.top


def short_rules(
    objects: list[dict[str, Any]], width: float, height: float
) -> list[tuple[float, float, float]]:
    """Short horizontal rules in the lower half (footnote separators): (x0, x1, y)."""
    out = []
    for o in objects:
        w, h = o["x1"] - o["x0"], o["bottom"] - o["top"]
        if h <= 1.5 and 0.05 * width <= w <= 0.5 * width and o["top"] > 0.5 * height:
            out.append((o["x0"], o["x1"], (o["top"] + o["bottom"]) / 2))
    return out


def image_cover(images: list[dict[str, Any]], width: float, height: float) -> float:
    """Share of the page covered by images (overlaps counted once per image; capped at 1)."""
    area = 0.0
    for im in images:
        x0, x1 = max(im["x0"], 0.0), min(im["x1"], width)
        top, bottom = max(im["top"], 0.0), min(im["bottom"], height)
        if x1 > x0 and bottom > top:
            area += (x1 - x0) * (bottom - top)
    return min(area / (width * height), 1.0) if width and height else 0.0


def mark_source(block: Block, lines: list[Line]) -> Block:
    """Set the block's provenance from its lines: text, ocr (every glyph OCR) or mixed, and the OCR glyphs'
    mean tesseract confidence (None for text), so a misread paragraph can be told from born-digital text."""
    ocr = sum(ln.ocr_glyphs for ln in lines)
    if ocr:
        block.source = "ocr" if ocr >= sum(ln.glyphs for ln in lines) else "mixed"
        block.ocr_confidence = round(sum(ln.ocr_conf_sum for ln in lines) / ocr, 1)
    return block
