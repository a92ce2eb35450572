"""Sideways pages: a landscape table set on a portrait page, its text turned a quarter.

When most of a page's glyphs run up (or down) the page, the page is turned so that they read
left to right: every char, line, rectangle, curve and image box is mapped into the upright frame,
and the same table finder and layout run on it. The few glyphs that were upright on the
displayed page (a running header, the page number) are sideways in the turned frame and are
left out, counted as rotated like any other. Glyphs of a font without a Unicode map (numbered in
order of use, read as ``!"#$%``) are withheld by font, as on upright pages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pdfplumber.table import TableFinder, TableSettings

from corpus_tool.reading.pdf.quality import sequential_code_fonts

MIN_SIDEWAYS = 20  # glyphs running up or down the page before it is turned ...
SIDEWAYS_SHARE = 0.5  # ... and at least this share of its glyphs
UP, DOWN = "up", "down"  # text reading bottom to top (turn the page clockwise) / top to bottom


def direction(c: dict[str, Any]) -> str | None:
    """Which way a glyph's baseline runs on the displayed page: up, down, or None (upright, upside down)."""
    m = c.get("matrix")
    if not m:
        return None
    a, b = m[0], m[1]
    if abs(b) > 4 * abs(a):
        return UP if b > 0 else DOWN
    return None


def sideways_direction(chars: list[dict[str, Any]], of_upright: bool = False) -> str | None:
    """The direction most glyphs of the page run in, when the page is set sideways. With
    ``of_upright`` (chars already turned): ``UP`` when enough of them are upright now, else None."""
    ink = [c for c in chars if not c["text"].isspace()]
    if of_upright:
        n = sum(1 for c in ink if c.get("upright", True))
        return UP if n >= MIN_SIDEWAYS and n >= SIDEWAYS_SHARE * len(ink) else None
    counts = {UP: 0, DOWN: 0}
    for c in ink:
        if not c.get("upright", True) and (d := direction(c)) is not None:
            counts[d] += 1
    way = max(counts, key=counts.__getitem__)
    n = counts[way]
    return way if n >= MIN_SIDEWAYS and n >= SIDEWAYS_SHARE * len(ink) else None


@dataclass(slots=True)
class Turn:
    """The quarter turn that makes ``way`` text read left to right on a ``width`` × ``height`` page."""

    way: str
    width: float
    height: float

    @property
    def size(self) -> tuple[float, float]:
        """The turned page's width and height."""
        return self.height, self.width

    def box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) in the turned frame."""
        if self.way == UP:  # X = H - t, T = x
            return self.height - bottom, x0, self.height - top, x1
        return top, self.width - x1, bottom, self.width - x0  # X = t, T = W - x

    def obj(self, o: dict[str, Any]) -> dict[str, Any]:
        x0, top, x1, bottom = self.box(o["x0"], o["top"], o["x1"], o["bottom"])
        out = dict(o, x0=x0, x1=x1, top=top, bottom=bottom, width=x1 - x0, height=bottom - top)
        if "orientation" in o:  # an edge: horizontal and vertical swap
            out["orientation"] = "v" if o["orientation"] == "h" else "h"
        if "doctop" in o:
            out["doctop"] = top
        return out

    def char(self, c: dict[str, Any]) -> dict[str, Any]:
        """A glyph in the turned frame: upright when it ran ``way``, with its baseline and true size."""
        out = self.obj(c)
        m = c["matrix"]
        if direction(c) == self.way:
            out["upright"] = True
            out["base"] = m[4] if self.way == UP else self.width - m[4]
            out["size"] = math.hypot(m[2], m[3])
            out.pop("matrix", None)
        else:
            out["upright"] = False
        return out


class TurnedPage:
    """What :func:`.tables.find_page_tables` asks of a page (``find_tables``), on the turned page's edges."""

    def __init__(self, edges: list[dict[str, Any]], width: float, height: float) -> None:
        self.edges = edges
        self.bbox = (0.0, 0.0, width, height)

    def find_tables(self, settings: dict[str, Any]) -> list[Any]:
        return TableFinder(self, TableSettings.resolve(settings)).tables  # type: ignore[arg-type]


def turn_page(turn: Turn, chars: list[dict[str, Any]], drawn: list[dict[str, Any]], edges: list[dict[str, Any]],
              images: list[dict[str, Any]], curves: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the page readers use, in the turned frame."""
    width, height = turn.size
    return {
        "chars": [turn.char(c) for c in chars],
        "drawn": [turn.obj(o) for o in drawn],
        "images": [turn.obj(o) for o in images],
        "curves": [turn.obj(o) for o in curves],
        "page": TurnedPage([turn.obj(e) for e in edges], width, height),
        "width": width,
        "height": height,
    }


NUMBERED_FILL = 0.8  # a font numbered in order of use fills this share of the codes from ``!`` up to its highest ...
NUMBERED_SYMBOLS = 0.3  # ... with this share of its glyphs ASCII punctuation and symbols


def unmapped_fonts(chars: list[dict[str, Any]]) -> set[str]:
    """Fonts of the turned text without a Unicode map: their ASCII glyphs read as codes in numbering
    order (:func:`.quality.sequential_code_fonts`), or the codes they use are nearly all of ``!``,
    ``"``, ``#`` … up to the highest (glyphs 1, 2, 3 … of a subset), mostly punctuation. A stray glyph
    of such a font that happens to map to a Han character does not make the font readable."""
    ascii_only = [c for c in chars if c.get("upright", True) and len(c["text"]) == 1 and " " < c["text"] < "\x7f"]
    found = sequential_code_fonts(ascii_only)
    by_font: dict[str, list[str]] = {}
    for c in ascii_only:
        by_font.setdefault(c.get("fontname", ""), []).append(c["text"])
    for font, texts in by_font.items():
        codes = {ord(t) for t in texts}
        if (
            min(codes) <= ord("#")
            and len(codes) >= NUMBERED_FILL * (max(codes) - ord("!") + 1)
            and sum(1 for t in texts if not t.isalnum()) >= NUMBERED_SYMBOLS * len(texts)
        ):
            found.add(font)
    return found
