"""Ruled tables on a PDF page: found with pdfplumber's table finder, their cells read from the page's chars.

A budget or standard table laid out as prose becomes dozens of false headings and scrambled
numbers, so the chars inside a table are taken out of the page before layout and kept as a
grid of cells instead. Only ruled tables are read (pdfplumber's ``lines`` strategy: the cell
borders are drawn lines or rectangles): the ``text`` strategy, which guesses columns from
aligned words, also finds "tables" in ordinary two-column prose and lists. The finder runs
only on pages with enough horizontal and vertical rules to make a grid, which keeps its cost
off prose pages. A candidate is kept only when it looks like a table (see :func:`is_table`);
its caption (表1 …) lies outside the ruled box and stays prose.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from corpus_tool.reading.model import LogEntry, Table, TableCell
from corpus_tool.reading.pdf.chars import Char, is_bad_char, to_chars
from corpus_tool.reading.pdf.disjoint import DisjointSets
from corpus_tool.reading.pdf.spacing import Advances, latin_word_spaces

# pdfplumber's finder on drawn lines and rectangle edges (its defaults, spelled out so that an
# upgrade cannot change them silently).
FINDER_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines", "horizontal_strategy": "lines",
    "snap_tolerance": 3, "join_tolerance": 3, "edge_min_length": 3, "intersection_tolerance": 3,
}
MIN_RULES = 3  # horizontal and vertical rules a page needs before the finder runs (a 2 × 2 grid has 3 + 3)
MAX_DRAWN = 5000  # more lines and rectangles than this is a drawing (a map, a dense chart): the finder's
# edge intersection grows with their square, so such a page is read as prose, with a log entry
MIN_RULE_LENGTH = 3.0  # shorter segments are dots or ticks, not cell borders
MIN_FILLED_ROWS = 2  # rows with text in at least two cells
MIN_FILLED_SHARE = 0.25  # share of cells with text (budget tables leave many cells empty) ...
MIN_ROW_FILL = 0.5  # ... or share of filled cells in the rows that have text
MAX_MEDIAN_CELL = 60  # a "table" whose typical cell is a long paragraph is a framed text box
LINE_TOLERANCE = 0.5  # chars whose baselines differ by less than this share of their size are one line
SPACE_GAP = 0.15  # a gap wider than this share of the size between Latin letters/digits is a space
DUPLICATE_SHIFT = 0.3  # the same glyph drawn again within this share of its size is fake bold
RULE_WIDTH = 2.0  # a filled rectangle this thin (pt) is a drawn rule; a wider one unstroked is shading
RULE_TOLERANCE = float(FINDER_SETTINGS["snap_tolerance"])  # a grid edge this near a rule is drawn by it
CONTINUED_X = 3.0  # pt: a continuation's column left edges lie this near the start's
RULE_GAP = 1.5  # rules this near each other (pt) are one (a border drawn as two hairlines, a box's side)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


Rule = tuple[float, float, float]  # where it runs across (x of a vertical rule), and from where to where


@dataclass(frozen=True)
class Rules:
    """The page's drawn rules, vertical (x, top, bottom) and horizontal (y, x0, x1), and likewise the sides
    of its shading: filled, unstroked rectangles wider than a rule (a cell's fill inset by its padding,
    a text line's backdrop), which the finder takes for cell borders too."""

    down: tuple[Rule, ...] = ()
    across: tuple[Rule, ...] = ()
    shade_down: tuple[Rule, ...] = ()
    shade_across: tuple[Rule, ...] = ()

    @classmethod
    def of(cls, drawn: list[dict[str, Any]]) -> Rules:
        down: list[Rule] = []
        across: list[Rule] = []
        shade_down: list[Rule] = []
        shade_across: list[Rule] = []
        for o in drawn:
            x0, x1, top, bottom = (float(o[k]) for k in ("x0", "x1", "top", "bottom"))
            w, h = abs(x1 - x0), abs(bottom - top)
            if w <= RULE_WIDTH and h >= MIN_RULE_LENGTH:
                down.append(((x0 + x1) / 2, top, bottom))
            elif h <= RULE_WIDTH and w >= MIN_RULE_LENGTH:
                across.append(((top + bottom) / 2, x0, x1))
            elif o.get("object_type") == "rect" and w >= MIN_RULE_LENGTH and h >= MIN_RULE_LENGTH:
                stroked = o.get("stroke", True)
                (down if stroked else shade_down).extend([(x0, top, bottom), (x1, top, bottom)])
                (across if stroked else shade_across).extend([(top, x0, x1), (bottom, x0, x1)])
        return cls(tuple(down), tuple(across), tuple(shade_down), tuple(shade_across))

    def within(self, box: Box) -> Rules:
        """The rules and shading sides that run through ``box`` (not just beside it)."""
        x0, top, x1, bottom = box

        def down(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
            return tuple(r for r in rules if x0 - RULE_TOLERANCE <= r[0] <= x1 + RULE_TOLERANCE
                         and min(r[2], bottom) - max(r[1], top) > RULE_TOLERANCE)

        def across(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
            return tuple(r for r in rules if top - RULE_TOLERANCE <= r[0] <= bottom + RULE_TOLERANCE
                         and min(r[2], x1) - max(r[1], x0) > RULE_TOLERANCE)

        return Rules(down(self.down), across(self.across), down(self.shade_down), across(self.shade_across))


def _near(v: float, rules: tuple[Rule, ...]) -> bool:
    return any(abs(r[0] - v) <= RULE_TOLERANCE for r in rules)


def _positions(rules: tuple[Rule, ...]) -> list[float]:
    """The distinct places rules run at: rules within :data:`RULE_GAP` of the one before are one (their mean)."""
    out: list[list[float]] = []
    for v in sorted(r[0] for r in rules):
        if out and v - out[-1][-1] <= RULE_GAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _covers(rules: tuple[Rule, ...], at: float, mid: float) -> bool:
    """A rule runs along ``at`` past ``mid`` (the middle of the row or column it would part)."""
    return any(abs(r[0] - at) <= RULE_GAP and r[1] <= mid <= r[2] for r in rules)


def ruled_grid(boxes: list[Box], rules: Rules) -> tuple[list[float], list[float], list[TableCell]] | None:
    """The grid the drawn rules make, when the finder's own edges come partly from shading: (column
    edges, row edges, cells). Shading inset by a cell's padding, one backdrop per text line and the
    backdrops of right-set numbers of every width give the finder thin empty columns, split cells and
    edges moved off their rules (its snapping chains them); the rules do not. Two neighbouring slots
    of the grid are one cell unless a rule parts them. ``None`` (the finder's grid stands) when no finder
    edge is shading alone, or rules do not frame the table on all four sides (a table drawn mostly by
    its shading, boxes of a diagram: dashed lines the finder joined are no rules here).
    """
    x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    near = rules.within((x0, top, x1, bottom))
    xs_f = {b[0] for b in boxes} | {x1}
    ys_f = {b[1] for b in boxes} | {bottom}
    shaded = any(_near(v, near.shade_down) and not _near(v, near.down) for v in xs_f) or any(
        _near(v, near.shade_across) and not _near(v, near.across) for v in ys_f)
    framed = _near(x0, near.down) and _near(x1, near.down) and _near(top, near.across) and _near(bottom, near.across)
    if not shaded or not framed:
        return None
    xs, ys = _positions(near.down), _positions(near.across)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    sets = DisjointSets(n_rows * n_cols)
    for r in range(n_rows):
        ymid = (ys[r] + ys[r + 1]) / 2
        for c in range(n_cols):
            xmid = (xs[c] + xs[c + 1]) / 2
            if c + 1 < n_cols and not _covers(near.down, xs[c + 1], ymid):
                sets.union(r * n_cols + c + 1, r * n_cols + c)
            if r + 1 < n_rows and not _covers(near.across, ys[r + 1], xmid):
                sets.union((r + 1) * n_cols + c, r * n_cols + c)
    slots: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            slots.setdefault(sets.find(r * n_cols + c), []).append((r, c))
    cells = []
    for group in slots.values():
        rows, cols = [r for r, _ in group], [c for _, c in group]
        cells.append(TableCell(min(rows) + 1, min(cols) + 1, "", max(rows) - min(rows) + 1,
                               max(cols) - min(cols) + 1))
    cells.sort(key=lambda t: (t.row, t.col))
    return xs, ys, cells


@dataclass
class PageTables:
    """The tables found on one page and the chars left for the prose."""

    tables: list[Table]
    prose_chars: list[dict[str, Any]]
    table_chars: int = 0  # glyphs taken into tables (for the page's char counts)
    bad_chars: int = 0  # of which broken (cid:n, U+FFFD ...)
    not_searched: str = ""  # why the finder did not run on a page that has rules
    boxes: list[Box] = field(default_factory=list)  # the kept tables' boxes (their rulings are no drawing)


def _row_texts(table: Table, row: int) -> list[str]:
    return [c.text for c in sorted(table.cells, key=lambda c: c.col) if c.row == row]


def continues(prev: Table, nxt: Table, body: dict[int, list[tuple[float, float]]]) -> bool:
    """True when ``nxt`` is ``prev`` carried on to the next page: no text but the page furniture lies below
    ``prev`` on its page or above ``nxt`` on the next (``body``: page → the top and bottom of each of its
    other lines), and ``nxt`` has as many columns at the same left edges (within :data:`CONTINUED_X`) or
    repeats ``prev``'s header row. A title, a unit line or a note between them makes two tables."""
    if prev.page is None or nxt.page != prev.page + 1 or prev.n_cols != nxt.n_cols:
        return False
    if prev.bottom is None or nxt.top is None:
        return False
    if any(top >= prev.bottom - 1 for top, _ in body.get(prev.page, [])):
        return False
    if any(bottom <= nxt.top + 1 for _, bottom in body.get(nxt.page, [])):
        return False
    header = _row_texts(prev, 1)
    if any(header) and _row_texts(nxt, 1) == header:
        return True
    return len(prev.col_x) == len(nxt.col_x) > 0 and all(
        abs(a - b) <= CONTINUED_X for a, b in zip(prev.col_x, nxt.col_x, strict=True))


def join_continued(tables: list[Table], log: list[LogEntry],
                   body: dict[int, list[tuple[float, float]]]) -> list[Table]:
    """Tables in document order with each continuation (:func:`continues`) joined to the table it carries on:
    its rows are numbered on after the start's, each cell keeps the page it is on (``TableCell.page``; the
    table's page stays the page it starts on), a repeated header row is dropped once, and the log says which
    pages each joined table spans."""
    out: list[Table] = []
    spans: dict[int, list[int]] = {}  # id of the start table -> pages it spans
    dropped: set[int] = set()
    for i, table in enumerate(tables):
        prev = out[-1] if out else None
        last_on_page = prev is not None and all(t.page != prev.page for t in tables[i:])
        first_on_page = all(t.page != table.page for t in tables[:i])
        if prev is None or not (last_on_page and first_on_page and continues(prev, table, body)):
            out.append(table)
            continue
        skip = 1 if any(_row_texts(prev, 1)) and _row_texts(table, 1) == _row_texts(prev, 1) else 0
        if skip:
            dropped.add(id(prev))
        shift = prev.n_rows - skip
        for cell in prev.cells:
            cell.page = cell.page or prev.page
        prev.cells.extend(TableCell(c.row + shift, c.col, c.text, c.row_span, c.col_span, c.source, table.page)
                          for c in table.cells if c.row > skip)
        prev.n_rows += table.n_rows - skip
        prev.bottom = table.bottom
        spans.setdefault(id(prev), [prev.page or 0]).append(table.page or 0)
        prev.page = table.page  # so a third page can carry it on; set back below
    for table in out:
        if id(table) in spans:
            table.page = spans[id(table)][0]
    if spans:
        notes = []
        for no, table in enumerate(out, 1):
            if id(table) in spans:
                pages = spans[id(table)]
                notes.append(f"table {no}: pages {pages[0]}-{pages[-1]}"
                             + (" (repeated header row dropped 重复表头已删去)" if id(table) in dropped else ""))
        log.append(LogEntry("pdf_tables_continued", len(spans),
                            "tables continued on the next page joined into one (跨页续表已合并): " + "; ".join(notes)))
    return out


def has_grid(drawn: list[dict[str, Any]]) -> bool:
    """True when the page's lines and rectangles give at least :data:`MIN_RULES` rules each way."""
    across = down = 0
    for obj in drawn:
        w, h = abs(obj["x1"] - obj["x0"]), abs(obj["bottom"] - obj["top"])
        if obj.get("object_type") == "rect":
            # a rectangle gives two rules each way (a filled hairline rect counts as a rule)
            if w >= MIN_RULE_LENGTH:
                across += 2 if h >= MIN_RULE_LENGTH else 1
            if h >= MIN_RULE_LENGTH:
                down += 2 if w >= MIN_RULE_LENGTH else 1
        elif w >= MIN_RULE_LENGTH and h < MIN_RULE_LENGTH:
            across += 1
        elif h >= MIN_RULE_LENGTH and w < MIN_RULE_LENGTH:
            down += 1
        if across >= MIN_RULES and down >= MIN_RULES:
            return True
    return False


def find_page_tables(page: Any, raw_chars: list[dict[str, Any]], drawn: list[dict[str, Any]],
                     page_no: int) -> PageTables:
    """Tables on an open pdfplumber ``page``, top to bottom (``table_no`` is set by the caller, per document).

    The finder takes every rectangle's edges for cell borders, so a cell's shading inset by its padding
    (or one backdrop per text line) cuts thin empty columns and extra rows into the grid; the grid keeps
    no edge that only shading draws (:class:`Rules`), and a table drawn by shading alone keeps all."""
    if not raw_chars:
        return PageTables([], raw_chars)
    if len(drawn) > MAX_DRAWN:
        return PageTables([], raw_chars, not_searched=f"{len(drawn)} lines and rectangles (over {MAX_DRAWN})")
    found = []
    if has_grid(drawn):
        for candidate in page.find_tables(FINDER_SETTINGS):
            boxes = [tuple(map(float, c)) for c in candidate.cells]
            found.append((tuple(map(float, candidate.bbox)), boxes))
    out = split_tables(found, raw_chars, page_no, Rules.of(drawn) if found else None)
    bbox = getattr(page, "bbox", None)  # a page stand-in without one: the drawing's and text's extent
    width = float(bbox[2]) - float(bbox[0]) if bbox else max(float(o["x1"]) for o in drawn + raw_chars)
    return add_three_line(out, [o for o in drawn if not _inside_any(o, out.boxes)], width, page_no)


def add_three_line(out: PageTables, drawn: list[dict[str, Any]], width: float, page_no: int) -> PageTables:
    """Three-line tables (horizontal rules only, :mod:`.three_line`) among the chars the ruled tables left."""
    from corpus_tool.reading.pdf.three_line import find_three_line_tables  # it builds on this module

    kept = list(zip(out.boxes, out.tables, strict=True))
    taken: set[int] = set()
    for box, table, used in find_three_line_tables(out.prose_chars, drawn, width, page_no):
        kept.append((box, table))
        taken.update(id(c) for c in used)
        ink = [c for c in used if not c["text"].isspace()]
        out.table_chars += len(ink)
        out.bad_chars += sum(1 for c in ink if is_bad_char(c["text"]))
    if not taken:
        return out
    kept.sort(key=lambda k: (round(k[0][1], 1), round(k[0][0], 1)))
    out.boxes, out.tables = [b for b, _ in kept], [t for _, t in kept]
    out.prose_chars = [c for c in out.prose_chars if id(c) not in taken]
    return out


def _inside_any(o: dict[str, Any], boxes: list[Box]) -> bool:
    return any(b[0] - 1 <= o["x0"] and o["x1"] <= b[2] + 1 and b[1] - 1 <= o["top"] and o["bottom"] <= b[3] + 1
               for b in boxes)


def split_tables(found: list[tuple[Box, list[Box]]], raw_chars: list[dict[str, Any]], page_no: int,
                 rules: Rules | None = None) -> PageTables:
    """Read each candidate (bbox, cell boxes) from the chars; keep the real tables, return the rest as prose.

    Smaller candidates are read first and keep their chars: a table drawn inside a cell of another
    is a table of its own, and the outer cell keeps only its own text. Only chars that land in a
    cell of a kept table leave the prose: text inside a table's box but in no cell (or set
    sideways, which the layout counts as rotated) stays in the page's text. Tables are numbered
    top to bottom.
    """
    if not found:
        return PageTables([], raw_chars)
    kept: list[tuple[Box, Table]] = []
    taken: set[int] = set()
    out = PageTables([], raw_chars)
    for bbox, boxes in sorted(found, key=lambda f: _area(f[0])):
        x0, top, x1, bottom = bbox
        raw = [c for c in raw_chars if id(c) not in taken
               and x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        table, used = read_grid(boxes, raw, page_no, rules)
        if table is None or not is_table(table):
            continue
        kept.append((bbox, table))
        taken.update(id(c) for c in used)
        ink = [c for c in used if not c["text"].isspace()]
        out.table_chars += len(ink)
        out.bad_chars += sum(1 for c in ink if is_bad_char(c["text"]))
    kept.sort(key=lambda k: (round(k[0][1], 1), round(k[0][0], 1)))
    out.boxes, out.tables = [b for b, _ in kept], [t for _, t in kept]
    if taken:
        out.prose_chars = [c for c in raw_chars if id(c) not in taken]
    return out


def _area(b: Box) -> float:
    return (b[2] - b[0]) * (b[3] - b[1])


def read_grid(boxes: list[Box], raw: list[dict[str, Any]], page_no: int,
              rules: Rules | None = None) -> tuple[Table | None, list[dict[str, Any]]]:
    """Cell boxes → a grid: columns at the distinct left edges, rows at the distinct top edges (with
    ``rules``, only those a drawn rule runs along); a cell spans the columns and rows its box covers,
    and boxes inside one cell of that grid are one cell. Each upright char goes to the cell under its
    centre. Returns the table and the chars it used."""
    if not boxes:
        return None, []
    grid = ruled_grid(boxes, rules) if rules is not None else None
    cells: list[TableCell] = []
    spans: dict[tuple[int, int], Box] = {}  # (row, col) -> the cell's box
    owner: dict[tuple[int, int], int] = {}
    right = bottom = float("inf")
    if grid is not None:  # the rules' grid: its cells are known, chars past its far edges are in none
        xs, ys, cells = grid
        for cell in cells:
            spans[(cell.row, cell.col)] = (xs[cell.col - 1], ys[cell.row - 1], xs[cell.col - 1 + cell.col_span],
                                           ys[cell.row - 1 + cell.row_span])
        right, bottom = xs.pop(), ys.pop()
        for i, cell in enumerate(cells):
            for r in range(cell.row - 1, cell.row - 1 + cell.row_span):
                for k in range(cell.col - 1, cell.col - 1 + cell.col_span):
                    owner.setdefault((r, k), i)
    else:
        xs = sorted({round(b[0], 1) for b in boxes})
        ys = sorted({round(b[1], 1) for b in boxes})
    for x0, top, x1, low in sorted(boxes if grid is None else [], key=lambda b: (round(b[1], 1), round(b[0], 1))):
        col, row = xs.index(round(x0, 1)), ys.index(round(top, 1))
        if (row, col) in owner:
            continue  # a box drawn again over a cell already read (or inside a merged one): one cell
        col_span = max(1, sum(1 for x in xs if x0 - 0.05 <= x < x1 - 0.5))
        row_span = max(1, sum(1 for y in ys if top - 0.05 <= y < low - 0.5))
        for r in range(row, row + row_span):
            for k in range(col, col + col_span):
                owner.setdefault((r, k), len(cells))
        cells.append(TableCell(row + 1, col + 1, "", row_span, col_span))
        spans[(row + 1, col + 1)] = (x0, top, x1, low)
    groups: list[list[dict[str, Any]]] = [[] for _ in cells]
    used: list[dict[str, Any]] = []
    for c in raw:
        if not c.get("upright", True):
            continue
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        if cx > right or cy > bottom:
            continue
        k = bisect_right(xs, cx) - 1
        r = bisect_right(ys, cy) - 1
        i = owner.get((r, k))
        if i is not None:
            groups[i].append(c)
            used.append(c)
    ocr_conf: dict[tuple[int, int], float] = {}
    for cell, group in zip(cells, groups, strict=True):
        chars = to_chars(group)[0]
        cell.text = cell_text(chars)
        read = [c for c in chars if c.conf is not None and not c.space]
        if read:
            cell.source = "ocr"
            ocr_conf[(cell.row, cell.col)] = sum(c.conf or 0.0 for c in read) / len(read)
    table = Table(0, page_no, len(ys), len(xs), cells, cell_boxes=spans, ocr_conf=ocr_conf)
    table.top, table.col_x = ys[0], tuple(xs)
    table.bottom = bottom if grid is not None else max(b[3] for b in boxes)
    return table, used


def is_table(table: Table) -> bool:
    """At least 2 × 2 with two rows that have text in two cells or more; filled enough (a quarter of
    all cells, or half the cells of the rows that have text: a budget table may have a full header
    and empty body, a chart's gridlines hold a few scattered labels); short cells (a framed
    paragraph or a boxed page is not a table)."""
    if table.n_rows < 2 or table.n_cols < 2:
        return False
    filled = [c for c in table.cells if c.text]
    per_row: dict[int, list[int]] = {}
    for c in table.cells:
        per_row.setdefault(c.row, [0, 0])
        per_row[c.row][0] += 1
        per_row[c.row][1] += bool(c.text)
    if sum(1 for _, n in per_row.values() if n >= 2) < MIN_FILLED_ROWS:
        return False
    text_rows = [v for v in per_row.values() if v[1]]
    in_text_rows = sum(v[0] for v in text_rows)
    if len(filled) < MIN_FILLED_SHARE * len(table.cells) and len(filled) < MIN_ROW_FILL * in_text_rows:
        return False
    lengths = sorted(len(c.text) for c in filled)
    return lengths[len(lengths) // 2] <= MAX_MEDIAN_CELL


def _is_wide(ch: str) -> bool:
    """CJK, full-width forms and CJK punctuation: no space is ever wanted next to them."""
    return ord(ch[0]) >= 0x2E80 or ch in "“”‘’"


def _ascii(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


GROUPED = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?%?")  # 1,234,567.89


# A line opening with a list marker starts an item of its own: - • ● 1. 1、 (1) （一） 一、 (not -5, a number).
ITEM = re.compile(r"(?:[-•·●○■□◆▪*](?!\d)|\d{1,2}[.、)）](?!\d)"
                  r"|[（(][\d一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)")


def _glue(text: str, word: str) -> str:
    """What goes between two lines of a cell: a line break before a list item, nothing next to CJK,
    nothing inside a number wrapped by a narrow column (``10,247,504,0`` + ``00.00``), nothing after
    a hyphen, else one space."""
    if ITEM.match(word):
        return "\n"
    if _is_wide(text[-1]) or _is_wide(word[0]) or text[-1] == "-":
        return ""
    head, tail = text.rsplit(" ", 1)[-1], word.split(" ", 1)[0]
    if not GROUPED.fullmatch(head) and GROUPED.fullmatch(head + tail):
        return ""
    return " "


def cell_text(chars: list[Char], advances: Advances | None = None) -> str:
    """The text of one cell: lines top to bottom by baseline, chars left to right. Lines are joined
    as the repair step joins prose (nothing between CJK, one space between Latin words), with a line
    break kept only before a list item (see :func:`_glue`). Within a line a space goes only between
    ASCII chars set apart by a gap. Duplicate glyphs (fake bold) are dropped."""
    lines: list[list[Char]] = []
    for c in sorted((c for c in chars if not c.space), key=lambda c: (c.base, c.x0)):
        if lines and abs(c.base - lines[-1][-1].base) <= LINE_TOLERANCE * max(c.size, lines[-1][-1].size):
            lines[-1].append(c)
        else:
            lines.append([c])
    words = []
    for line in lines:
        line.sort(key=lambda c: c.x0)
        parts: list[str] = []
        prev: Char | None = None
        spaced = latin_word_spaces(line, advances) if advances is not None else {}  # misplaced Latin glyphs
        for c in line:
            if prev is not None:
                if c.text == prev.text and abs(c.x0 - prev.x0) < DUPLICATE_SHIFT * c.size:
                    continue
                gap = spaced.get(id(c))
                if gap is None:
                    gap = _ascii(prev.text[-1]) and _ascii(c.text[0]) and c.x0 - prev.x1 > SPACE_GAP * max(
                        c.size, prev.size)
                if gap:
                    parts.append(" ")
            parts.append(c.text)
            prev = c
        words.append("".join(parts))
    text = ""
    for word in words:
        text = text + _glue(text, word) + word if text else word
    return text.strip()

