"""Page geometry for the PDF extractor: characters → text lines → columns in reading order.

Works on plain data (:class:`Char`, :class:`Line`) copied once from pdfplumber's
``page.chars``; nothing here calls back into pdfplumber, so every page is parsed once.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from types import MappingProxyType
from typing import Any

from corpus_tool.ingest.pdf.chars import Char, is_bad_char, to_chars

SMALL_RATIO = 0.8  # a char below this × the median size may be a superscript
RAISE_RATIO = 0.15  # ... and it is one when its bottom is this × line size above the baseline
MAX_MARKER_LEN = 12  # a superscript run is at most this long ([12,13]123-125)
BASELINE_TOL = 0.35  # chars whose bottoms differ by less than this × size share a row
WIDE_GAP = 0.45  # gap (× size) between two CJK chars that reads as a space
NARROW_GAP = 0.15  # the same between Latin letters, digits and punctuation
GUTTER_ZONE = (0.3, 0.7)  # the gutter lies in this share of the page width
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


@dataclass(slots=True)
class Row:
    """Chars sharing a baseline, before they become a :class:`Line`."""

    chars: list[Char]
    base: float
    size: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0

    def measure(self) -> Row:
        """Set extents and size from the visible, non-superscript chars."""
        ink = [c for c in self.chars if not c.space] or self.chars
        body = [c for c in ink if not c.sup] or ink
        self.top = min(c.top for c in body)
        self.bottom = max(c.bottom for c in body)
        self.x0 = min(c.x0 for c in ink)
        self.x1 = max(c.x1 for c in ink)
        self.size = _median([c.size for c in body])
        return self


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
    region: str = "C"  # C single column, S spans the gutter, L / R column
    dy: float | None = None  # distance to the previous line's top in the same column
    cites: list[str] = field(default_factory=list)  # canonical citation markers in this line
    refs: list[str] = field(default_factory=list)  # superscript footnote refs taken out
    lead_ref: str | None = None  # a footnote ref opening the line (a footnote's own number)
    marker_only: bool = False  # the line is nothing but a citation marker that wrapped
    role: str = ""  # footnote (layout step), header/footer/page_number, title, front (later steps)


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
    ocr_text: str | None = None
    vertical: bool = False  # read as vertical columns (see .vertical): lines are in a quarter-turned frame
    interlinear: int = 0  # two-line interlinear notes (割注) read inline on a vertical page


def _median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if s else 0.0


# ---------------------------------------------------------------- rows


def cluster_rows(chars: list[Char]) -> list[Row]:
    """Group chars into rows by baseline; small raised chars join the row they sit in.

    Small chars that fit no row (a footnote set in a much smaller size, a superscript
    wrapped onto a line of its own) are clustered again among themselves.
    """
    ink = [c for c in chars if not c.space]
    if not ink:
        return []
    limit = SMALL_RATIO * _median([c.size for c in ink])
    big = [c for c in chars if c.size >= limit or c.space]
    small = [c for c in ink if c.size < limit]
    rows = _split_overprint(
        [r.measure() for r in _rows_by_baseline(big) if any(not c.space for c in r.chars)]
    )
    left = _attach_small(rows, small)
    for r in rows:
        r.measure()  # superscripts may widen a row (a marker opening a line)
    if left:
        rows.extend(cluster_rows(left))
        rows.sort(key=lambda r: r.base)
    return rows


def _rows_by_baseline(chars: list[Char]) -> list[Row]:
    rows: list[Row] = []
    cur: Row | None = None
    for c in sorted(chars, key=lambda c: c.bottom):
        if cur is not None and c.bottom - cur.base <= BASELINE_TOL * max(c.size, cur.size):
            cur.chars.append(c)
            cur.size = max(cur.size, c.size)
        else:
            cur = Row([c], c.bottom, c.size)
            rows.append(cur)
    return rows


def _attach_small(rows: list[Row], small: list[Char]) -> list[Char]:
    """Put each short run of small chars into the row whose height it lies in; return the rest.

    Runs longer than a citation marker are small text of their own (a footnote drawn
    over the body), never superscripts.
    """
    if not rows:
        return small
    bottoms = [r.bottom for r in rows]
    left: list[Char] = []
    for run in _small_runs(small):
        row = _row_at(rows, bottoms, run) if len(run) <= MAX_MARKER_LEN else None
        if row is None:
            left.extend(run)
            continue
        raised = max(c.bottom for c in run) < row.bottom - RAISE_RATIO * row.size
        for c in run:
            c.sup = raised
        row.chars.extend(run)
    return left


def _small_runs(small: list[Char]) -> list[list[Char]]:
    """Small chars on one baseline, split where they are more than 1 em apart."""
    runs: list[list[Char]] = []
    for row in _rows_by_baseline(small):
        cur: list[Char] = []
        for c in sorted(row.chars, key=lambda c: c.x0):
            if cur and c.x0 - cur[-1].x1 > c.size:
                runs.append(cur)
                cur = []
            cur.append(c)
        runs.append(cur)
    return runs


def _row_at(rows: list[Row], bottoms: list[float], run: list[Char]) -> Row | None:
    cy = (min(c.top for c in run) + max(c.bottom for c in run)) / 2
    x0 = run[0].x0
    i = bisect_left(bottoms, cy)
    for row in rows[max(i - 1, 0) : i + 1]:
        # the run sits within the row's height and starts inside it or just after its end
        if (
            row.top - 0.3 * row.size <= cy <= row.bottom + 0.1 * row.size
            and row.x0 - 2 * row.size <= x0 <= row.x1 + row.size
        ):
            return row
    return None


def _split_overprint(rows: list[Row]) -> list[Row]:
    """Split a row where text of two sizes is drawn over the same x range (a heading run into a column)."""
    out: list[Row] = []
    for row in rows:
        sizes = [c.size for c in row.chars if not c.space]
        if max(sizes) - min(sizes) < 0.8:
            out.append(row)
            continue
        cut = (max(sizes) + min(sizes)) / 2
        big = [c for c in row.chars if c.size >= cut]
        small = [c for c in row.chars if c.size < cut]
        overlap = min(max(c.x1 for c in big), max(c.x1 for c in small)) - max(
            min(c.x0 for c in big), min(c.x0 for c in small)
        )
        if overlap > min(sizes):
            out.extend((Row(big, row.base).measure(), Row(small, row.base).measure()))
        else:
            out.append(row)
    return out


# ---------------------------------------------------------------- columns


def find_gutter(chars: list[Char], width: float) -> tuple[float, float] | None:
    """The x-interval between two text columns, or None for a single-column page.

    A gutter is the longest stretch in the middle 30–70 % of the width that few chars
    cover (lines spanning both columns may cross it), with real text on both sides.
    """
    ink = [c for c in chars if not c.space]
    if len(ink) < 40:
        return None
    n = int(width) + 2
    diff = [0] * (n + 1)
    for c in ink:
        diff[min(max(int(c.x0), 0), n)] += 1
        diff[min(max(int(c.x1) + 1, 0), n)] -= 1
    cov = list(accumulate(diff))[:n]
    covered = sorted(v for v in cov if v)
    limit = 0.35 * covered[int(0.75 * (len(covered) - 1))]
    run = _longest_run(cov, int(GUTTER_ZONE[0] * width), int(GUTTER_ZONE[1] * width), limit)
    if run is None or run[1] - run[0] < 4:
        return None
    g0, g1 = float(run[0]), float(run[1])
    n_left = sum(1 for c in ink if c.x1 <= g0 + 1)
    n_right = sum(1 for c in ink if c.x0 >= g1 - 1)
    if min(n_left, n_right) < 0.2 * len(ink):
        return None
    return g0, g1


def _longest_run(cov: list[int], lo: int, hi: int, limit: float) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    start: int | None = None
    for x in range(lo, min(hi, len(cov) - 1) + 1):
        if cov[x] <= limit:
            start = x if start is None else start
            if best is None or x + 1 - start > best[1] - best[0]:
                best = (start, x + 1)
        else:
            start = None
    return best


def _merge_spanning(left: list[Row], right: list[Row]) -> tuple[list[Row], list[Row], list[Row]]:
    """Join a left and a right row into one spanning row when the text runs across the gutter."""
    right = sorted(right, key=lambda r: r.base)
    bases = [r.base for r in right]
    used: set[int] = set()
    spans: list[Row] = []
    only_left: list[Row] = []
    for r in left:
        tol = BASELINE_TOL * r.size
        j = bisect_left(bases, r.base - tol)
        partner = None
        while j < len(right) and bases[j] <= r.base + tol:
            q = right[j]
            if (
                j not in used
                and -0.5 * r.size < q.x0 - r.x1 < 1.0 * max(r.size, q.size)
                and abs(q.size - r.size) < 0.8
            ):
                partner = j
                break
            j += 1
        if partner is None:
            only_left.append(r)
        else:
            used.add(partner)
            spans.append(Row(r.chars + right[partner].chars, min(r.base, right[partner].base)).measure())
    only_right = [q for j, q in enumerate(right) if j not in used]
    return only_left, only_right, spans


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


def row_to_line(row: Row, page_no: int, region: str, page_size: float) -> Line:
    """Build a line's text left to right (row chars sorted, deduplicated), canonicalising superscripts."""
    chars = row.chars
    parts: list[str] = []
    cites: list[str] = []
    refs: list[str] = []
    lead_ref: str | None = None
    prev: Char | None = None
    pending_space = False
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
        if prev is not None and (pending_space or _needs_space(prev, c)):
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
    )
    _mark_wrapped_marker(line, page_size)
    return line


def _mark_wrapped_marker(line: Line, page_size: float) -> None:
    """A line of small text that is only a citation marker: a superscript wrapped alone."""
    if line.cites or line.size >= SMALL_RATIO * page_size:
        return
    kind, text = classify_marker(line.text.replace(" ", ""))
    if kind == "cite":
        line.text, line.cites, line.marker_only = text, [text], True


def _sort_dedupe(rows: list[Row]) -> int:
    """Sort each row left to right and drop overprinted copies of a glyph (fake bold); return how many."""
    n = 0
    for row in rows:
        kept: list[Char] = []
        prev: Char | None = None
        for c in sorted(row.chars, key=lambda c: c.x0):
            if (
                prev is not None
                and not c.space
                and not c.sup
                and c.text == prev.text
                and abs(c.x0 - prev.x0) < 0.3 * c.size
            ):
                n += 1
                continue
            kept.append(c)
            if not c.space and not c.sup:
                prev = c
        row.chars = kept
    return n


def layout_page(
    raw_chars: list[dict[str, Any]],
    width: float,
    height: float,
    page_no: int,
    rules: list[tuple[float, float, float]] | None = None,
) -> PageText:
    """Chars of one page → lines in reading order (spanning rows cut the page into sections).

    Footnote lines (below one of the short ``rules``) are marked and put last, so a
    footnote band never cuts a column in two.
    """
    from corpus_tool.ingest.pdf.vertical import layout_vertical  # it builds on this module's Line/PageText

    if (vertical := layout_vertical(raw_chars, width, height, page_no)) is not None:
        return vertical
    chars, rotated = to_chars(raw_chars)
    ink = [c for c in chars if not c.space]
    page = PageText(page_no, width, height, [], rotated=rotated, n_chars=len(ink), rules=rules or [])
    page.bad_chars = sum(1 for c in ink if is_bad_char(c.text))
    if not ink:
        return page
    page_size = _median([c.size for c in ink])
    band_top, band_bottom = BAND * height, (1 - BAND) * height
    body = [c for c in ink if band_top < c.cy < band_bottom and c.size >= SMALL_RATIO * page_size]
    gutter = find_gutter(body, width)
    if gutter is None:
        rows = cluster_rows(chars)
        page.duplicates = _sort_dedupe(rows)
        columns = {"C": [row_to_line(r, page_no, "C", page_size) for r in rows]}
    else:
        page.two_column = True
        mid = (gutter[0] + gutter[1]) / 2
        left, right, spans = _merge_spanning(
            cluster_rows([c for c in chars if (c.x0 + c.x1) / 2 < mid]),
            cluster_rows([c for c in chars if (c.x0 + c.x1) / 2 >= mid]),
        )
        page.duplicates = _sort_dedupe(left + right + spans)
        columns = {
            region: [row_to_line(r, page_no, region, page_size) for r in rows]
            for region, rows in (("L", left), ("R", right), ("S", spans))
        }
    notes = mark_footnotes([ln for lines in columns.values() for ln in lines], page.rules, page_size)
    if notes:
        split_note_refs([ln for lines in columns.values() for ln in lines if ln.role != "footnote"], notes)
    for region, lines in columns.items():
        lines.sort(key=lambda ln: ln.top)
        columns[region] = [ln for ln in lines if ln.role != "footnote"]
        _set_dy(columns[region])
    if gutter is None:
        page.lines = columns["C"]
    else:
        page.lines = reading_order(columns["L"], columns["R"], columns["S"])
    page.lines.extend(sorted(notes, key=lambda ln: ("LRSC".index(ln.region), ln.top)))
    return page


def mark_footnotes(
    lines: list[Line], rules: list[tuple[float, float, float]], body_size: float
) -> list[Line]:
    """Lines below a short rule, starting within the rule's column and set smaller, are footnotes."""
    notes: list[Line] = []
    for x0, x1, y in sorted(rules, key=lambda r: r[2]):
        for ln in lines:
            if (
                not ln.role
                and ln.top >= y - 1
                and x0 - body_size <= ln.x0 < x1
                and ln.size <= 0.95 * body_size
            ):
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


def reading_order(left: list[Line], right: list[Line], spans: list[Line]) -> list[Line]:
    """Spanning lines cut the page into sections; each section reads left column, then right."""
    out: list[Line] = []
    li = ri = 0
    for s in spans:
        while li < len(left) and left[li].top < s.top:
            out.append(left[li])
            li += 1
        while ri < len(right) and right[ri].top < s.top:
            out.append(right[ri])
            ri += 1
        out.append(s)
    out.extend(left[li:])
    out.extend(right[ri:])
    return out


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
