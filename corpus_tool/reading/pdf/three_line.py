"""Three-line tables: horizontal rules only (top, under the header, bottom), no vertical rules.

Chinese journals set most tables this way (三线表). pdfplumber's ``lines`` finder needs vertical
rules to make cells, so these tables were read as body lines. Here a table is a stack of long
horizontal rules of one width with text rows between them:

* three rules (top, header, bottom): the header between the first two breaks into two or more
  cells at wide gaps, and the body below it holds rows and is taller; the rules themselves are the evidence
  (a body whose marks were withheld as unreadable still forms a table under its header);
* two rules (top and bottom, the header rule left out): most rows break into two or more cells
  and the cells share column edges, as in :mod:`.unruled`; a row of cells right above the first
  rule is the header (the header rule drawn, the top rule left out).

A stack whose rows :mod:`.unruled` reads as a table (a grid of numbers) is left to the layout's
unruled-table step, which runs on every page anyway and reads it as it did before.

Rules that are one stroke drawn twice (a double rule under a running header) count once. The cells
are placed in columns as in :mod:`.unruled`; the caption (表1 …) sits outside the rules and stays prose.
"""

from __future__ import annotations

from typing import Any

from corpus_tool.reading.model import Table
from corpus_tool.reading.pdf.chars import to_chars
from corpus_tool.reading.pdf.rows import Row, cluster_rows, median
from corpus_tool.reading.pdf.spacing import glyph_advances
from corpus_tool.reading.pdf.tables import is_table
from corpus_tool.reading.pdf.unruled import MIN_ROWS, _grid, _shared_edges, cells_of, find_unruled_tables

MIN_LENGTH = 0.25  # a table rule spans at least this share of the page width
MAX_THICK = 2.0  # ... and is at most this thick (pt)
SAME_SPAN = 0.03  # rules of one table start and end within this share of the page width of each other
DOUBLE = 3.0  # rules closer than this (pt) are one double rule
MAX_HEADER_ROWS = 4  # a header between the top rule and the header rule has at most this many rows
MIN_BODY_ROWS = 2  # ... and the body below the header rule at least this many
MIN_BODY_CELLS = 2  # a two-rule table's rows break into at least this many cells ...
BODY_SHARE = 0.6  # ... this share of its rows
MIN_EDGES = 2  # ... sharing at least this many column edges
HEADER_ABOVE = 2.5  # a header row set right above the first of two rules lies within this × size of it

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
Rule = tuple[float, float, float]  # x0, x1, y


def long_rules(drawn: list[dict[str, Any]], width: float) -> list[Rule]:
    """Long horizontal rules (lines and hairline rectangles) top to bottom, a double rule once."""
    out: list[Rule] = []
    for o in drawn:
        w, h = abs(o["x1"] - o["x0"]), abs(o["bottom"] - o["top"])
        if w >= MIN_LENGTH * width and h <= MAX_THICK:
            out.append((min(o["x0"], o["x1"]), max(o["x0"], o["x1"]), (o["top"] + o["bottom"]) / 2))
    out.sort(key=lambda r: r[2])
    merged: list[Rule] = []
    for r in out:
        if merged and r[2] - merged[-1][2] < DOUBLE and _same_span(r, merged[-1], width):
            continue
        merged.append(r)
    return merged


def _same_span(a: Rule, b: Rule, width: float) -> bool:
    return abs(a[0] - b[0]) <= SAME_SPAN * width and abs(a[1] - b[1]) <= SAME_SPAN * width


def _rows_between(chars: list[Any], x0: float, x1: float, top: float, bottom: float) -> list[Row]:
    inside = [c for c in chars if not c.space and top < c.base <= bottom and x0 - 1 <= (c.x0 + c.x1) / 2 <= x1 + 1]
    if not inside:
        return []
    return sorted(cluster_rows(inside), key=lambda r: r.top)


def find_three_line_tables(
    raw_chars: list[dict[str, Any]], drawn: list[dict[str, Any]], width: float, page_no: int
) -> list[tuple[Box, Table, list[dict[str, Any]]]]:
    """Tables bounded by long horizontal rules: (box, table, the raw chars it took), top to bottom."""
    rules = long_rules(drawn, width)
    if len(rules) < 2 or not raw_chars:
        return []
    chars, _ = to_chars(raw_chars)
    raw_of = {id(c): r for c, r in zip(chars, (r for r in raw_chars if r.get("upright", True)), strict=True)}
    out: list[tuple[Box, Table, list[dict[str, Any]]]] = []
    i = 0
    while i + 1 < len(rules):
        found = _three(rules[i:i + 3], chars, width) if i + 2 < len(rules) else None
        n = 3
        if found is None:
            found, n = _two(rules[i:i + 2], chars, width), 2
        if found is None:
            i += 1
            continue
        rows, box = found
        if find_unruled_tables(rows, page_no)[1]:  # the layout's own unruled-table step reads it, as before
            i += n
            continue
        table = _grid(rows, [cells_of(r) for r in rows], page_no, glyph_advances(rows))
        if n == 2 and not is_table(table):  # three rules are evidence enough; two need a filled grid
            i += 1
            continue
        used = [raw_of[id(c)] for r in rows for c in r.chars if id(c) in raw_of]
        out.append((box, table, used))
        i += n
    return out


def _three(rules: list[Rule], chars: list[Any], width: float) -> tuple[list[Row], Box] | None:
    """Top rule, header rule, bottom rule: a header of cells above rows."""
    top, mid, bottom = rules
    if not (_same_span(top, mid, width) and _same_span(mid, bottom, width)):
        return None
    x0, x1 = min(r[0] for r in rules), max(r[1] for r in rules)
    header = _rows_between(chars, x0, x1, top[2], mid[2])
    body = _rows_between(chars, x0, x1, mid[2], bottom[2])
    # a header band taller than the body below it, or a single body row, is a framed cover or notice
    if not header or len(header) > MAX_HEADER_ROWS or len(body) < MIN_BODY_ROWS or mid[2] - top[2] > bottom[2] - mid[2]:
        return None
    if max(len(cells_of(r)) for r in header) < 2:
        return None
    return header + body, (x0, top[2], x1, bottom[2])


def _two(rules: list[Rule], chars: list[Any], width: float) -> tuple[list[Row], Box] | None:
    """Top and bottom rule only: rows of cells that share column edges."""
    top, bottom = rules
    if not _same_span(top, bottom, width):
        return None
    x0, x1 = min(r[0] for r in rules), max(r[1] for r in rules)
    rows = _rows_between(chars, x0, x1, top[2], bottom[2])
    if len(rows) < MIN_ROWS:
        return None
    cells = [cells_of(r) for r in rows]
    split = [c for c in cells if len(c) >= MIN_BODY_CELLS]
    size = median([r.size for r in rows])
    if len(split) < BODY_SHARE * len(rows) or _shared_edges(split, size) < MIN_EDGES:
        return None
    # the first rule may be the header rule with no top rule drawn: a header row right above it joins
    above = _rows_between(chars, x0, x1, top[2] - HEADER_ABOVE * size, top[2])
    head = above[-1:] if above and len(cells_of(above[-1])) >= max(MIN_BODY_CELLS, max(map(len, cells)) // 2) else []
    return head + rows, (x0, head[0].top if head else top[2], x1, bottom[2])
