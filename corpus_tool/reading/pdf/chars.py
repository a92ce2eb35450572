"""Plain character data shared by the PDF steps: one :class:`Char` per glyph, copied once from pdfplumber."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BROKEN_METRICS = 2.0  # a glyph box farther than this × size from its baseline has broken metrics

OCR_FONT = "ocr"  # the font of every OCR glyph: OCR does not tell fonts apart; tables mark its cells

# Where a glyph (run) the tool withholds stood: U+3013 GETA MARK 〓, the mark Chinese and Japanese typesetting
# and text collation put for a character that cannot be set or read. One mark per run, so a gap is never silent;
# it holds no letter, digit or Han, so segmentation makes it a punctuation token that no analysis counts.
GAP = "\u3013"
GAP_ASCENT = 0.88  # × size: the gap's box above its baseline (a CJK face's ascent) ...
GAP_RUN = 1.5  # × size: withheld glyphs this close after the last one (one letter between at most) ...
GAP_RISE = 0.6  # ... and at most this far above or below its baseline belong to its run
GAP_LOOK_BACK = 2  # glyphs looked back over for the run's last gap (ΔX̂: Δ, X, then the hat)


@dataclass(slots=True)
class Char:
    """One glyph with the geometry the layout needs (pdfplumber coordinates, top-down)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str  # font name without the subset prefix ("ABCDEF+")
    base: float  # baseline (the text matrix's origin), top-down: glyph boxes of two fonts differ, this does not
    space: bool = False  # whitespace glyph: only tells where a space goes
    sup: bool = False  # raised superscript attached to a row
    conf: float | None = None  # OCR glyphs only (font OCR_FONT): tesseract's confidence (0–100) in its word

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def font_family(fontname: str) -> str:
    """Drop the 6-letter subset tag: AAAAAB+WenQuanYi and AAAAAA+WenQuanYi are one font."""
    return fontname[7:] if len(fontname) > 7 and fontname[6] == "+" else fontname


def is_bad_char(text: str) -> bool:
    """True for glyphs whose text layer is broken (see pdf-ingest notes §2).

    (cid:n), U+FFFD, private use, control characters (a glyph mapped to U+0000), and Yi
    syllables outside the two GBK rows.
    """
    if text.startswith("(cid:"):
        return True
    cp = ord(text[0]) if text else 0
    if cp == 0xFFFD or 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000 or cp < 0x20 or 0x7F <= cp < 0xA0:
        return True
    # Yi syllables in the GBK punctuation rows are the Founder artifact, repaired downstream
    return 0xA000 <= cp <= 0xA4CF and not (0xA1A1 <= cp <= 0xA1FE or 0xA3A1 <= cp <= 0xA3FE)


def gap_char(c: dict[str, Any]) -> dict[str, Any]:
    """A :data:`GAP` mark in place of the withheld glyph ``c`` (a pdfplumber/PDFium char dict).

    Its box is rebuilt on the baseline the text matrix gives: the fonts whose glyphs are withheld often have
    impossible metrics (a descent of 65316 puts the box a page away), so the box would place it wrongly.
    """
    size = float(c.get("size") or 0.0) or 1.0
    base = c.get("base")
    matrix = c.get("matrix")
    if base is None and matrix is not None and "y1" in c:
        base = c["top"] + (c["y1"] - matrix[5])
    if base is None:
        base = c["bottom"]
    gap = {**c, "text": GAP, "base": base, "top": base - GAP_ASCENT * size, "bottom": base + (1 - GAP_ASCENT) * size,
           "x1": max(c["x1"], c["x0"] + 0.5 * size), "withheld": True}
    if "y1" in c:  # pdfplumber's bottom-up coordinates kept in step with the new box
        gap["y1"], gap["y0"] = c["y1"] + c["top"] - gap["top"], c["y0"] + c["bottom"] - gap["bottom"]
    return gap


def same_gap_run(prev: dict[str, Any], c: dict[str, Any]) -> bool:
    """``c`` (a gap) continues the gap ``prev``: at most :data:`GAP_RUN` em after it, on its baseline or
    within :data:`GAP_RISE` em of it (a withheld accent or index set over or under its letter)."""
    size = max(float(c.get("size") or 0.0), float(prev.get("size") or 0.0), 1.0)
    return (prev.get("withheld", False) and abs(c["base"] - prev["base"]) <= GAP_RISE * size
            and -0.5 * size <= c["x0"] - prev["x1"] <= GAP_RUN * size)


def to_chars(raw: list[dict[str, Any]]) -> tuple[list[Char], int]:
    """Copy pdfplumber char dicts into :class:`Char`; returns (chars, non-upright count)."""
    fonts: dict[str, str] = {}
    out: list[Char] = []
    rotated = 0
    for c in raw:
        if not c.get("upright", True):
            rotated += 1
            continue
        name = c.get("fontname", "")
        fam = fonts.get(name)
        if fam is None:
            fam = fonts[name] = font_family(name)
        text = c["text"]
        out.append(
            Char(text, c["x0"], c["x1"], c["top"], c["bottom"], c["size"], fam, baseline(c), space=text.isspace(),
                 conf=c.get("conf") if fam == OCR_FONT else None)
        )
    return out, rotated


def baseline(c: dict[str, Any]) -> float:
    """The glyph's baseline, top-down: ``top`` shifted by where the text matrix puts the origin.

    pdfplumber's ``top``/``bottom`` come from the font's ascent and descent, which differ between
    fonts on one line; the matrix's ``f`` is the same for every glyph set on that baseline. A box
    more than two ems away from its own baseline means broken font metrics (CAJ2PDF symbol fonts,
    whose glyphs are often mapped to the wrong text too): such a glyph keeps its box position.
    An engine that knows the origin itself (PDFium) passes it as ``base``.
    """
    if "base" in c:
        return c["base"]
    matrix = c.get("matrix")
    if matrix is None or "y1" not in c:
        return c["bottom"]
    base = c["top"] + (c["y1"] - matrix[5])
    return base if abs(c["bottom"] - base) <= BROKEN_METRICS * max(c.get("size", 0.0), 1.0) else c["bottom"]
