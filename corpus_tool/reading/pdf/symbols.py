"""Symbol and dingbat fonts: their codes mapped through the font's own encoding, never passed off as letters.

Three ways a symbol glyph reaches the text wrongly, each fixed per font:

- a simple font named Symbol or Wingdings without ``/Encoding`` or a ToUnicode map (a Type 1 not
  embedded, or any TrueType): pdfminer decodes its codes with StandardEncoding (WinAnsi for TrueType),
  so Δ (0x44) comes out as ``D``, α as ``a`` and a Wingdings bullet as ``l``. The code is recovered
  by inverting that encoding and read again in the font's own (Symbol, Wingdings) encoding;
- private-use code points U+F020–U+F0FF: a symbolic TrueType font's (3,0) cmap (Symbol, Wingdings)
  put its one-byte code in the PUA; the code is ``cp - 0xF000`` in the font's encoding (☑ for
  Wingdings 2's 0x52); U+F8E5–U+F8FE are Adobe's bracket and brace pieces in any font;
- a symbolic font that is not Symbol but whose built-in encoding repeats the Adobe Symbol glyph names
  code for code and whose descriptor has impossible metrics (a converter's stock table: CAJ2PDF's
  ``cajcd-fnt*`` draw ``*`` at the code named ``three`` and Δ at the one named ``existential``): its
  names say nothing about its pictures, so its glyphs are withheld and reported, never stored.

What cannot be mapped (a U+F0xx code of an unknown non-CJK font, a dingbat without a Unicode equivalent)
is withheld and counted by font, for the log; one 〓 (U+3013 GETA MARK) per run of such glyphs stands where
they stood, so no gap in a sentence is silent. Other private-use code points (a CJK font's rare Han) go on
to the repair step, which maps the known ones and counts the rest.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pdfminer.latin_enc import ENCODING
from pdfminer.pdftypes import resolve1

from corpus_tool.reading.pdf.chars import GAP_LOOK_BACK, font_family, gap_char, same_gap_run
from corpus_tool.reading.pdf.quality import is_cjk_font

# Adobe Symbol encoding (PDF 32000 Annex D.5), code → Unicode; codes without a Unicode glyph are left out.
_SYMBOL_ROWS = {
    0x20: " !∀#∃%&∋()∗+,−./0123456789:;<=>?",
    0x40: "≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_",
    0x61: "αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼",
    0xA0: "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…⏐⎯↵",
    0xC0: "ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓",
    0xE0: "◊〈®©™∑⎛⎜⎝⎡⎢⎣⎧⎨⎩⎪",
    0xF1: "〉∫⌠⎮⌡⎞⎟⎠⎤⎥⎦⎫⎬⎭",
}
SYMBOL = {start + i: ch for start, row in _SYMBOL_ROWS.items() for i, ch in enumerate(row)}

# Wingdings / Wingdings 2: the bullets, boxes and check marks office documents use (others stay unmapped).
WINGDINGS = {
    0x6C: "●", 0x6D: "○", 0x6E: "■", 0x6F: "□", 0x70: "□", 0x71: "❑", 0x72: "❒", 0x73: "◆", 0x74: "◆",
    0x75: "◆", 0x76: "❖", 0x77: "◆", 0x9F: "•", 0xA1: "○", 0xA7: "▪", 0xA8: "□", 0xD8: "➢", 0xE8: "➔",
    0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑",
}
WINGDINGS2 = {0x4F: "✗", 0x50: "✓", 0x51: "☒", 0x52: "☑", 0x53: "☒", 0x54: "☒", 0x97: "●", 0x98: "●", 0xA3: "□"}

# Adobe's corporate-use code points for the pieces of large brackets, braces and integrals (the same in
# every font that uses them: the Adobe Glyph List names them parenlefttp ... bracerightbt).
ADOBE_PIECES = dict(zip(range(0xF8E5, 0xF8FF), "‾⏐⎯®©™⎛⎜⎝⎡⎢⎣⎧⎨⎩⎪⎮⎞⎟⎠⎤⎥⎦⎫⎬⎭", strict=True))

STOCK_NAMES_SHARE = 0.9  # a built-in encoding is Symbol's stock table when this share of its ASCII codes agree
METRICS_LIMIT = 5000  # font units: descriptor metrics beyond this (a descent of 65316) are impossible


def table_for(family: str) -> dict[int, str] | None:
    """The encoding a font's name says it has: Symbol, Wingdings 2, Wingdings; None for other fonts."""
    name = family.lower().replace(" ", "").replace("-", "")
    if "wingdings2" in name:
        return WINGDINGS2
    if "wingdings" in name:
        return WINGDINGS
    if "symbol" in name or name.startswith("standardsym"):
        return SYMBOL
    return None


@dataclass(slots=True)
class FontNote:
    """What the page's font resources say about one font's codes."""

    standard_decoded: str = ""  # "" | "StandardEncoding" | "WinAnsiEncoding": pdfminer's wrong guess
    stock_names: bool = False  # glyph names are a converter's stock Symbol table: unmappable


def page_font_notes(page_obj: Any) -> dict[str, FontNote]:
    """Font name (as pdfplumber gives it) → :class:`FontNote`, for the fonts of a pdfminer page that need one."""
    notes: dict[str, FontNote] = {}
    try:
        fonts = resolve1(resolve1(page_obj.resources).get("Font", {})) or {}
        specs = [resolve1(v) for v in fonts.values()]
    except Exception:  # unreadable resources: the fonts' names still map PUA codes
        return notes
    for spec in specs:
        try:
            name, note = _note(spec)
        except Exception:  # one odd font dict: judged by its name alone
            continue
        if note is not None:
            notes[name] = note
    return notes


def _note(spec: Any) -> tuple[str, FontNote | None]:
    if not isinstance(spec, dict):
        return "", None
    base = resolve1(spec.get("BaseFont"))
    name = getattr(base, "name", None) or (base.decode("latin-1") if isinstance(base, bytes) else str(base))
    subtype = getattr(resolve1(spec.get("Subtype")), "name", "")
    if subtype not in ("Type1", "TrueType", "MMType1") or "ToUnicode" in spec:
        return name, None
    desc = resolve1(spec.get("FontDescriptor")) or {}
    embedded = any(k in desc for k in ("FontFile", "FontFile2", "FontFile3"))
    table = table_for(font_family(name))
    # pdfminer's Latin default applies to a Type 1 font it has no program of, and to every TrueType font
    # (whose symbolic cmap holds the font's own codes)
    if "Encoding" not in spec and table is not None and (not embedded or subtype == "TrueType"):
        return name, FontNote(standard_decoded="WinAnsiEncoding" if subtype == "TrueType" else "StandardEncoding")
    if "Encoding" not in spec and "FontFile" in desc and table is None:
        if _impossible_metrics(desc) and _stock_symbol_names(resolve1(desc["FontFile"])):
            return name, FontNote(stock_names=True)
    return name, None


def _impossible_metrics(desc: dict[str, Any]) -> bool:
    """A descriptor no font can have: a positive or huge descent, a bounding box beyond any em."""
    descent = resolve1(desc.get("Descent", 0)) or 0
    bbox = resolve1(desc.get("FontBBox")) or []
    values = [resolve1(v) for v in bbox if isinstance(resolve1(v), (int, float))]
    return descent > 0 or abs(descent) > METRICS_LIMIT or any(abs(v) > METRICS_LIMIT for v in values)


def _stock_symbol_names(fontfile: Any) -> bool:
    """The Type 1 program's built-in encoding gives its ASCII codes exactly the Adobe Symbol glyphs."""
    from io import BytesIO

    from pdfminer.pdffont import Type1FontHeaderParser

    data = fontfile.get_data()[: int(resolve1(fontfile.get("Length1", 0)) or 0) or None]
    encoding = Type1FontHeaderParser(BytesIO(data)).get_encoding()
    codes = [c for c in range(0x21, 0x7F) if c in SYMBOL]
    agree = sum(1 for c in codes if encoding.get(c) == SYMBOL[c])
    return agree >= STOCK_NAMES_SHARE * len(codes)


def _inverse(encoding: str) -> dict[str, int]:
    """Text → code for pdfminer's Latin encodings (the column of ``latin_enc.ENCODING``)."""
    from pdfminer.glyphlist import glyphname2unicode

    col = {"StandardEncoding": 1, "WinAnsiEncoding": 3}[encoding]
    out: dict[str, int] = {}
    for row in ENCODING:
        code = row[col]
        text = glyphname2unicode.get(row[0])
        if code is not None and text is not None:
            out.setdefault(text, code)
    return out


_INVERSE: dict[str, dict[str, int]] = {}


@dataclass(slots=True)
class SymbolReport:
    """Symbol glyphs of one page: mapped through their font's encoding, or withheld (by font)."""

    mapped: int = 0
    withheld: Counter[str] = field(default_factory=Counter)


def map_symbols(chars: list[dict[str, Any]], notes: dict[str, FontNote]) -> tuple[list[dict[str, Any]], SymbolReport]:
    """Chars with symbol-font codes read in their font's encoding; each run of unmappable symbol glyphs
    replaced by one :data:`~.chars.GAP` mark (〓), so the text shows where something was withheld."""
    report = SymbolReport()
    out: list[dict[str, Any]] = []
    for c in chars:
        text = c["text"]
        font = c.get("fontname", "")
        note = notes.get(font)
        if note is not None and note.stock_names:
            if text and not text.isspace():
                report.withheld[font_family(font)] += 1
                _add_gap(out, c)
            continue
        new = _mapped(text, font, note)
        if new is None:
            report.withheld[font_family(font)] += 1
            _add_gap(out, c)
            continue
        if new != text:
            report.mapped += 1
            c = {**c, "text": new}
        out.append(c)
    return out, report


def _add_gap(out: list[dict[str, Any]], c: dict[str, Any]) -> None:
    """A :data:`~.chars.GAP` mark where the withheld glyph ``c`` stood, unless it continues the last one's run."""
    gap = gap_char(c)
    letters = 0
    for d in reversed(out[-2 * GAP_LOOK_BACK:]):  # back over spaces and at most one Latin letter or digit
        if d["text"].isspace():
            continue
        if same_gap_run(d, gap):
            return
        letters += 1
        if letters >= GAP_LOOK_BACK or not (d["text"].isascii() and d["text"].isalnum()):
            break
    out.append(gap)


def _mapped(text: str, font: str, note: FontNote | None) -> str | None:
    """The glyph's text in its font's encoding; ``text`` itself when nothing is wrong; None when unmappable."""
    if len(text) != 1:
        return text
    cp = ord(text)
    if 0xE000 <= cp <= 0xF8FF:
        table = table_for(font_family(font))
        if table is not None:
            return table.get(cp - 0xF000) if 0xF020 <= cp <= 0xF0FF else None
        if is_cjk_font(font):  # a CJK font's private-use Han (Founder's): the repair step maps or counts them
            return text
        if cp in ADOBE_PIECES:
            return ADOBE_PIECES[cp]
        # a symbolic font's one-byte code moved to U+F0xx by its cmap; other private-use code points are
        # left for the repair step, which maps the known ones and counts the rest
        return None if 0xF000 <= cp <= 0xF0FF else text
    if note is not None and note.standard_decoded:
        inverse = _INVERSE.get(note.standard_decoded)
        if inverse is None:
            inverse = _INVERSE[note.standard_decoded] = _inverse(note.standard_decoded)
        code = inverse.get(text)
        table = table_for(font_family(font)) or SYMBOL
        if code is None or text.isspace():
            return text
        # a Symbol code without a Unicode glyph keeps its text; a dingbat font has no letters at all
        return table.get(code, text if table is SYMBOL else None)
    return text
