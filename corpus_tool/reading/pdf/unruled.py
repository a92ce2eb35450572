"""Unruled tables: rows of aligned cells with numbers, found among a page's rows without drawn borders.

pdfplumber's ``text`` strategy guesses columns from any aligned words and finds "tables" in laws
and two-column prose, so this detector asks for evidence prose lacks: several consecutive rows
that each break into three or more cells at wide gaps, cells that share at least three column
edges (left edges for text, right edges for numbers) from row to row, and mostly numbers in the
cells. It works on the rows the layout builds anyway (no second pass over the page), and a table
found is checked by :func:`.tables.is_table` like a ruled one.
"""

from __future__ import annotations

import re

from corpus_tool.reading.model import Table, TableCell
from corpus_tool.reading.pdf.chars import OCR_FONT, Char
from corpus_tool.reading.pdf.rows import Row, median
from corpus_tool.reading.pdf.spacing import Advances
from corpus_tool.reading.pdf.tables import cell_text, is_table

CELL_GAP = 1.5  # a gap this × the row's size between glyphs separates two cells
MIN_CELLS = 3  # a table row has at least this many cells ...
MIN_ROWS = 3  # ... and a table at least this many such rows
ROW_GAP = 3.0  # rows more than this × size apart are not one table
MIN_COLUMNS = 3  # column edges shared by most rows of the table
SHARED = 0.6  # ... "most": this share of its rows
EDGE_TOL = 0.6  # edges within this × size are one column edge
MIN_NUMERIC = 0.4  # share of cells that are numbers
MAX_BRIDGE = 15  # a short row of one or two cells inside a table (a wrapped label) has at most this many glyphs
_NUMBER = re.compile(r"[-+−–(（]?[\d.,，/%‰~～\-－:()（）×xX]*\d[\d.,，/%‰~～\-－:()（）EeAaFf倍]*")


def cells_of(row: Row) -> list[list[Char]]:
    """The row's glyphs left to right, split into cells at wide gaps."""
    ink = sorted((c for c in row.chars if not c.space), key=lambda c: c.x0)
    out: list[list[Char]] = []
    for c in ink:
        if out and c.x0 - out[-1][-1].x1 < CELL_GAP * row.size:
            out[-1].append(c)
        else:
            out.append([c])
    return out


def _text(cell: list[Char]) -> str:
    return "".join(c.text for c in cell)


def _shared_edges(cells: list[list[list[Char]]], size: float) -> int:
    """Column edges (cell left or right edges) that at least :data:`SHARED` of the rows have."""
    tol = EDGE_TOL * size
    need = max(MIN_ROWS, SHARED * len(cells))
    n = 0
    for side in (0, 1):
        edges = sorted((cell[0].x0 if side == 0 else cell[-1].x1, i) for i, row in enumerate(cells) for cell in row)
        k = 0
        while k < len(edges):
            j = k
            while j + 1 < len(edges) and edges[j + 1][0] - edges[k][0] <= tol:
                j += 1
            if len({i for _, i in edges[k:j + 1]}) >= need:
                n += 1
            k = j + 1
    return n


def _merge(spans: list[tuple[float, float]]) -> list[list[float]]:
    cols: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if cols and x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return cols


def _columns(cells: list[list[list[Char]]]) -> list[tuple[float, float]]:
    """Column x ranges from the body rows (most cells, then most numbers: a header cell spanning
    two columns does not merge them), plus the ranges of cells beside all of those (a label column
    left empty in the body)."""
    def rank(row: list[list[Char]]) -> tuple[int, int]:
        return len(row), sum(1 for c in row if _NUMBER.fullmatch(_text(c)))

    best = max(rank(r) for r in cells)
    base = _merge([(c[0].x0, c[-1].x1) for row in cells if rank(row) == best for c in row])
    extra = [(c[0].x0, c[-1].x1) for row in cells for c in row
             if not any(a < c[-1].x1 and c[0].x0 < b for a, b in base)]
    return sorted((a, b) for a, b in base + _merge(extra))


def _grid(run: list[Row], cells: list[list[list[Char]]], page_no: int, advances: Advances | None = None) -> Table:
    """Cells at the columns they overlap (spanning several when wide); within a row no two cells share
    a column: a cell left without a free column of its own joins the cell before it."""
    cols = _columns(cells)
    out: list[TableCell] = []
    for r, row in enumerate(cells, 1):
        last = -1  # the last column taken in this row
        for cell in row:
            if not (text := cell_text(cell, advances)):
                continue
            x0, x1 = cell[0].x0, cell[-1].x1
            hit = [k for k, (a, b) in enumerate(cols) if a < x1 and x0 < b] or [
                min(range(len(cols)), key=lambda k: abs((cols[k][0] + cols[k][1]) / 2 - (x0 + x1) / 2))]
            first = max(hit[0], last + 1)
            if first > hit[-1] and out and out[-1].row == r:
                out[-1].text += " " + text
                continue
            first = min(first, len(cols) - 1)
            last = max(hit[-1], first)
            source = "ocr" if any(c.font == OCR_FONT for c in cell) else "text"
            out.append(TableCell(r, first + 1, text, 1, last - first + 1, source))
    table = Table(0, page_no, len(run), len(cols), out, col_x=tuple(a for a, _ in cols))
    glyphs = [c for row in cells for cell in row for c in cell]
    if glyphs:
        table.top, table.bottom = min(c.top for c in glyphs), max(c.bottom for c in glyphs)
    return table


def _is_numeric_run(cells: list[list[list[Char]]]) -> bool:
    """Mostly numbers, and not one mark repeated (a grid of ticks whose row labels lie elsewhere)."""
    flat = [_text(c) for row in cells for c in row]
    return sum(1 for t in flat if _NUMBER.fullmatch(t)) >= MIN_NUMERIC * len(flat) and len(set(flat)) >= MIN_COLUMNS


def find_unruled_tables(rows: list[Row], page_no: int) -> tuple[list[Row], list[Table]]:
    """Take unruled tables out of ``rows`` (top to bottom); return the rows left and the tables."""
    split = [cells_of(r) for r in rows]
    tabular = [len(c) >= MIN_CELLS for c in split]
    if sum(tabular) < MIN_ROWS:
        return rows, []
    taken: set[int] = set()
    tables: list[Table] = []
    i = 0
    while i < len(rows):
        if not tabular[i]:
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < len(rows) and rows[j].top - rows[run[-1]].bottom <= ROW_GAP * rows[j].size:
            if tabular[j]:
                run.append(j)
            elif (len(split[j]) <= 2 and sum(len(c) for c in split[j]) <= MAX_BRIDGE and j + 1 < len(rows)
                  and tabular[j + 1]):
                run.append(j)  # a wrapped label inside the table
            else:
                break
            j += 1
        if sum(tabular[k] for k in run) >= MIN_ROWS:
            cells = [split[k] for k in run]
            size = median([rows[k].size for k in run])
            if _shared_edges([c for c, k in zip(cells, run, strict=True) if tabular[k]], size) >= MIN_COLUMNS \
                    and _is_numeric_run(cells):
                table = _grid([rows[k] for k in run], cells, page_no)
                if is_table(table):
                    tables.append(table)
                    taken.update(run)
        i = j
    if not taken:
        return rows, []
    return [r for k, r in enumerate(rows) if k not in taken], tables
