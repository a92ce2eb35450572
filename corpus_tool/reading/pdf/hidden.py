"""Glyphs a reader cannot see: withheld from the text, counted by reason.

Some PDFs carry text nobody sees: invisible render mode (``3 Tr``, the OCR-layer trick, also
used for tracking codes), a font size near zero, white fill on a white page, or glyphs set
outside the page box. Stored as paragraphs they are pure noise ("WUDWqPnQ..."), so they are
left out here and the count per page goes to the log (``pdf_hidden_text_withheld``).

White text is visible on a coloured panel, so a white glyph counts as hidden only where no
non-white filled shape or image lies under it. The render mode comes with PDFium's chars
(``render``); pdfplumber does not expose it, so pdfminer's chars are judged by the other tests.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MIN_SIZE = 1.0  # pt: a glyph set smaller than this cannot be read on paper or screen
WHITE = 0.97  # a grey/RGB component at least this light (CMYK: every ink at most 1 - this) is white
INVISIBLE_MODES = (3, 7)  # text render modes that paint nothing (invisible; clip only)
STROKE_ONLY = (1, 5)  # modes that paint the outline only: the fill colour is never seen

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass
class Backdrop:
    """What is painted on the page beneath the text: the page box and the non-white fills."""

    page: Box
    fills: list[Box] = field(default_factory=list)

    @classmethod
    def of(cls, page: Box, shapes: Sequence[dict[str, Any]], images: Sequence[dict[str, Any]]) -> Backdrop:
        fills = [_box(o) for o in shapes if o.get("fill") and not is_white(o.get("non_stroking_color"))]
        return cls(page, fills + [_box(o) for o in images])


def is_white(colour: Any) -> bool:
    """True for a white fill colour in DeviceGray (1,), DeviceRGB (1, 1, 1) or DeviceCMYK (0, 0, 0, 0).

    Patterns (names) and unknown colours are not white.
    """
    if not isinstance(colour, (tuple, list)) or not colour:
        return False
    if not all(isinstance(v, (int, float)) for v in colour):
        return False
    if len(colour) == 4:
        return all(v <= 1 - WHITE for v in colour)
    return len(colour) in (1, 3) and all(v >= WHITE for v in colour)


def hidden_reason(c: dict[str, Any], backdrop: Backdrop | None) -> str | None:
    """Why glyph ``c`` (a pdfplumber-style char dict) cannot be seen, or None when it can.

    Whitespace is never judged (it carries only spacing). ``backdrop`` None means the page's
    drawing is unknown: then white text is kept, as it may sit on a panel.
    """
    if c["text"].isspace():
        return None
    mode = c.get("render")
    if mode in INVISIBLE_MODES:
        return "invisible render mode"
    if c.get("size", MIN_SIZE) < MIN_SIZE:
        return f"size under {MIN_SIZE:g} pt"
    if backdrop is None:
        return None
    if _off_page(c, backdrop.page):
        return "outside the page"
    if mode not in STROKE_ONLY and is_white(c.get("non_stroking_color")) and not _on_fill(c, backdrop.fills):
        return "white on white"
    return None


def withhold_hidden(
    chars: list[dict[str, Any]], backdrop: Backdrop | None
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """The glyphs a reader can see, and the count of those left out by reason."""
    kept: list[dict[str, Any]] = []
    withheld: Counter[str] = Counter()
    # a line that runs on past the page edge is text set too wide, not hidden: only glyphs whose whole
    # line lies off the page are (judged by their rows: a glyph within half a size of an on-page one)
    on_page = sorted(c["bottom"] for c in chars if backdrop is not None and not _off_page(c, backdrop.page))
    for c in chars:
        reason = hidden_reason(c, backdrop)
        if reason == "outside the page" and _near(on_page, c["bottom"], 0.5 * max(c.get("size", 1.0), 1.0)):
            reason = None
        if reason is None:
            kept.append(c)
        else:
            withheld[reason] += 1
    return (chars, withheld) if not withheld else (kept, withheld)


def _off_page(c: dict[str, Any], page: Box) -> bool:
    x0, top, x1, bottom = page
    return c["x1"] <= x0 or c["x0"] >= x1 or c["bottom"] <= top or c["top"] >= bottom


def _near(values: list[float], v: float, tol: float) -> bool:
    i = bisect_left(values, v - tol)
    return i < len(values) and values[i] <= v + tol


def _on_fill(c: dict[str, Any], fills: list[Box]) -> bool:
    cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in fills)


def _box(o: dict[str, Any]) -> Box:
    return float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"])
