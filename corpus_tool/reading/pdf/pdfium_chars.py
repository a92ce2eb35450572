"""The second text engine: PDFium's text page as the same plain char dicts pdfplumber gives.

Each glyph becomes a dict with pdfplumber's keys (``text, x0, x1, top, bottom, size, fontname,
upright``) plus ``base`` (the baseline), so both engines feed one layout path
(:func:`~corpus_tool.reading.pdf.layout.layout_page`). Coordinates are top-down from the MediaBox
like pdfplumber's; x0/x1 and the descent come from PDFium's "loose" char box (the glyph's advance),
the height is one em as pdfminer computes it, so rows and sizes agree between the engines.

PDFium decodes some fonts pdfminer cannot (simple TrueType fonts whose byte codes are GBK/Big5,
files with a broken cross-reference table), and it flags glyphs that have no Unicode mapping
(``FPDFText_HasUnicodeMapError``): those come out as U+FFFD here, never as the raw glyph id
PDFium would otherwise pass off as a character.
"""

from __future__ import annotations

import ctypes
import math
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pypdfium2

# pypdfium2 is imported where a document is opened: most text-layer pages never need it, and its import
# (ctypes bindings of the whole library) costs a one-page ingest 0.03-0.05 s.

UNMAPPED = "\ufffd"
UNMAPPED_FONT_SHARE = 0.5  # a font whose glyphs mostly lack a Unicode map on a page has none at all


def open_document(path: str | Path) -> pypdfium2.PdfDocument:
    """Open ``path`` with PDFium (raises :class:`pypdfium2.PdfiumError` when it cannot)."""
    import pypdfium2

    return pypdfium2.PdfDocument(str(path))


def page_chars(doc: pypdfium2.PdfDocument, index: int) -> tuple[list[dict[str, Any]], float, float]:
    """Chars of page ``index`` (0-based) in content order, with the page's width and height.

    Characters PDFium generates itself (spaces and line breaks it infers) are left out, as
    pdfminer does not make them either. Coordinates are those of the page as displayed (its
    /Rotate applied), as pdfminer gives them.
    """
    page = doc[index]
    try:
        view = _View(page.get_mediabox(), page.get_rotation())
        textpage = page.get_textpage()
        try:
            chars = _read_chars(textpage, view)
        finally:
            textpage.close()
    finally:
        page.close()
    return chars, view.width, view.height


class _View:
    """PDF user space → the displayed page, top-down, as pdfplumber gives it: pdfminer's matrix
    for /Rotate, then pdfplumber's shift by the MediaBox origin."""

    def __init__(self, mediabox: tuple[float, float, float, float], rotation: int) -> None:
        x0, y0, x1, y1 = mediabox
        self.rotation = rotation % 360
        # (a, b, c, d, e, f) as pdfminer's PDFPageInterpreter.process_page sets the CTM
        self.ctm = {
            90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
            180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
            270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
        }.get(self.rotation, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
        turned = self.rotation in (90, 270)
        self.width = (y1 - y0) if turned else (x1 - x0)
        self.height = (x1 - x0) if turned else (y1 - y0)
        # pdfplumber then shifts pdfminer's coordinates back by the MediaBox origin (its #1181), so
        # a box not at (0, 0) keeps absolute coordinates: the same shift keeps the engines equal
        self.shift = (y0, -x0) if turned else (x0, -y0)

    def point(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.ctm
        return a * x + c * y + e + self.shift[0], self.height - (b * x + d * y + f) + self.shift[1]

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, x1, top, bottom) of a user-space box on the displayed page."""
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)

    def linear(self, m: Any) -> tuple[float, float, float, float]:
        """The char matrix's linear part followed by the rotation (what pdfminer's chars carry)."""
        ra, rb, rc, rd, _, _ = self.ctm
        return (m.a * ra + m.b * rc, m.a * rb + m.b * rd, m.c * ra + m.d * rc, m.c * rb + m.d * rd)


def page_image_cover(doc: pypdfium2.PdfDocument, index: int) -> float:
    """Share of page ``index``'s MediaBox covered by image objects (capped at 1)."""
    import pypdfium2.raw as pdfium_c

    page = doc[index]
    try:
        left, bottom, right, top = page.get_mediabox()
        area = 0.0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            x0, y0, x1, y1 = obj.get_bounds()
            w = min(x1, right) - max(x0, left)
            h = min(y1, top) - max(y0, bottom)
            if w > 0 and h > 0:
                area += w * h
    finally:
        page.close()
    full = (right - left) * (top - bottom)
    return min(area / full, 1.0) if full > 0 else 0.0


def _read_chars(textpage: pypdfium2.PdfTextPage, view: _View) -> list[dict[str, Any]]:
    import pypdfium2.raw as pdfium_c

    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    name_buf = ctypes.create_string_buffer(512)
    fonts: dict[bytes, str] = {}
    out: list[dict[str, Any]] = []
    unmapped: Counter[str] = Counter()
    per_font: Counter[str] = Counter()
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    modes: dict[int, int] = {}  # text object address -> its render mode
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        if pdfium_c.FPDFText_IsGenerated(textpage, i) == 1:
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(textpage, i, rect):
            continue
        pdfium_c.FPDFText_GetCharOrigin(textpage, i, ox, oy)
        pdfium_c.FPDFText_GetMatrix(textpage, i, matrix)
        n = pdfium_c.FPDFText_GetFontInfo(textpage, i, name_buf, len(name_buf), None)
        raw_name = name_buf.raw[: max(n - 1, 0)]
        font = fonts.get(raw_name)
        if font is None:  # a name in raw GBK bytes (方正 fonts) is kept readable rather than dropped
            font = fonts[raw_name] = _font_name(raw_name)
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        text = _char_text(code)
        if pdfium_c.FPDFText_HasUnicodeMapError(textpage, i):
            text = UNMAPPED
        per_font[font] += 1
        if text == UNMAPPED:
            unmapped[font] += 1
        x0, x1, _, bottom = view.box(rect.left, rect.bottom, rect.right, rect.top)
        # pdfminer's box is one em tall above the descent (its ``size``); PDFium's loose box spans
        # the font's ascent to descent, taller for Latin fonts. The em is the Tf size times the
        # matrix's vertical scale, so both engines give one size for one font on one line.
        a, b, c, d = view.linear(matrix)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i) * math.hypot(c, d)
        if size <= 0:
            size = abs(rect.top - rect.bottom)
        obj = pdfium_c.FPDFText_GetTextObject(textpage, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        mode = modes.get(key)
        if mode is None:
            mode = modes[key] = pdfium_c.FPDFTextObj_GetTextRenderMode(obj) if key else 0
        fill = (red.value / 255, green.value / 255, blue.value / 255) \
            if pdfium_c.FPDFText_GetFillColor(textpage, i, red, green, blue, alpha) else None
        out.append({
            "text": text,
            "x0": x0,
            "x1": x1,
            "top": bottom - size,
            "bottom": bottom,
            "size": size,
            "fontname": font,
            "upright": a * d > 0 and b * c <= 0,  # pdfminer's test
            "base": view.point(ox.value, oy.value)[1],
            "render": mode,  # text render mode: 3 and 7 paint nothing (see .hidden)
            "non_stroking_color": fill,  # as pdfplumber names the fill colour (RGB here)
        })
    # PDFium flags most, not all, glyphs of a font without a Unicode map; the rest come out as
    # raw glyph ids that look like Syriac or Cyrillic letters. A font mostly unmapped on this
    # page is unmapped for all of its glyphs here.
    broken = {f for f, n in unmapped.items() if n >= UNMAPPED_FONT_SHARE * per_font[f]}
    if broken:
        for c in out:
            if c["fontname"] in broken and not c["text"].isspace():
                c["text"] = UNMAPPED
    return out


def _char_text(code: int) -> str:
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return UNMAPPED
    return chr(code)


def _font_name(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        for codec in ("gbk", "big5"):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                pass
        return raw.decode("latin-1")
