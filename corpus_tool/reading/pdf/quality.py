"""Per-page quality of a text layer, and a decoder for legacy CJK byte codes read as Latin-1.

One measure judges every engine's chars for a page (:func:`assess`):

- broken glyphs (:func:`~corpus_tool.reading.pdf.chars.is_bad_char`: ``(cid:N)``, U+FFFD,
  private use, controls);
- mojibake: a simple (one-byte) font without a ToUnicode map whose byte codes are really GBK or
  Big5 comes out as Latin-1 (``¹ØÓÚ`` for 关于). It shows as runs of Latin-1 Supplement letters
  and symbols, two per glyph, whose byte pairs decode into CJK; real Latin-1 text (é, ü, °, «»)
  rarely has two such characters side by side, so a page needs many pairs to count as mojibake;
- a CJK-named font that yields mostly non-ASCII, non-CJK characters on a page with no Han at all.

:func:`better` compares two readings of a page by that measure; :func:`decode_legacy_cjk` turns
such mojibake back into CJK chars.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from corpus_tool.reading.pdf.chars import is_bad_char

UNREADABLE_SHARE = 0.05  # a page whose garbage is over this share of its chars is unreadable ...
UNREADABLE_MIN = 5  # ... if that is at least this many chars
MOJIBAKE_MIN_PAIRS = 4  # fewer legacy byte pairs than this on a page are taken as real Latin-1
CJK_FONT_MIN_CHARS = 20  # the "CJK font, no CJK text" test needs this many chars
CJK_FONT_FOREIGN_SHARE = 0.3  # ... of which this share non-ASCII

# Font-name fragments of Chinese/Japanese/Korean typefaces (Latin names; non-ASCII names count too).
_CJK_FONT_RE = re.compile(
    r"song|sun|hei|kai|fang|ming|yuan|gb|big5|mincho|gothic|batang|gulim|dotum|^fz|^st|cjk|han|yahei|jhenghei",
    re.IGNORECASE,
)
_CODECS = ("gbk", "big5")


@dataclass(frozen=True, slots=True)
class Quality:
    """How readable one engine's chars of one page are."""

    n: int = 0  # visible chars
    bad: int = 0  # broken glyphs
    mojibake: int = 0  # chars that are halves of legacy CJK byte pairs, or CJK fonts giving Latin-1
    cjk: int = 0  # Han characters
    content: int = 0  # visible chars less punctuation and symbols (dot leaders, rules), broken ones included

    @property
    def garbage(self) -> int:
        return self.bad + self.mojibake

    @property
    def readable(self) -> int:
        return self.n - self.garbage

    @property
    def needs_second_look(self) -> bool:
        """Worth asking another engine: any garbage at all (the check itself is cheap)."""
        return self.garbage > 0

    @property
    def unreadable(self) -> bool:
        """Too much garbage to store the page: measured against its letters, digits and Han, so a
        table of contents whose titles are broken is not saved by its dot leaders."""
        return self.garbage >= UNREADABLE_MIN and self.garbage > UNREADABLE_SHARE * max(self.content, 1)

    def reason(self) -> str:
        """Why the page is unreadable, for the log and the end-of-run warnings (bilingual)."""
        parts = []
        if self.bad:
            parts.append(f"{self.bad} of {self.n} glyphs have no Unicode mapping (字形无 Unicode 映射)")
        if self.mojibake:
            parts.append(f"{self.mojibake} chars are legacy CJK codes read as Latin-1 (GBK/Big5 乱码)")
        return "; ".join(parts) or "readable"


def assess(chars: list[dict[str, Any]]) -> Quality:
    """The quality of one page's chars (dicts with ``text`` and ``fontname``, content order)."""
    ink = [c for c in chars if c["text"] and not c["text"].isspace()]
    bad = sum(1 for c in ink if is_bad_char(c["text"]))
    cjk = sum(1 for c in ink if _is_han(c["text"]))
    mojibake = sum(_mojibake_in_run(run) for run in _byte_runs(chars))
    if mojibake < 2 * MOJIBAKE_MIN_PAIRS:
        mojibake = 0
    if not cjk and not mojibake:
        mojibake = _cjk_font_foreign(ink)
    content = sum(1 for c in ink if unicodedata.category(c["text"][0])[0] not in "PSZ" or is_bad_char(c["text"]))
    return Quality(len(ink), bad, mojibake, cjk, content)


def better(current: Quality, other: Quality) -> bool:
    """True when ``other`` reads the page better: more readable chars, then less garbage."""
    return (other.readable, -other.garbage) > (current.readable, -current.garbage)


# -- legacy byte codes ------------------------------------------------------------------------------
def _byte_table() -> dict[str, int]:
    """Char → the byte a one-byte font's code had, recovered from pdfminer's text for it.

    pdfplumber's char dicts keep only the decoded text (pdfminer's LTChar drops the char code),
    and reading the codes again would mean re-running pdfminer's interpreter by hand. Inverting
    the encoding these fonts declare is exact instead: WinAnsi is cp1252, with Latin-1 for the
    five codes cp1252 leaves undefined. A font with another encoding simply does not decode, and
    that reading loses to PDFium's. ``(cid:N)`` is left out on purpose: in a CID font N is a glyph
    id, and "decoding" glyph ids as GBK would invent plausible Chinese.
    """
    table = {chr(b): b for b in range(256)}  # Latin-1
    for b in range(0x80, 0xA0):
        try:
            table[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:
            continue
    return table


_BYTE = MappingProxyType(_byte_table())


def _byte_runs(chars: list[dict[str, Any]]) -> list[list[tuple[int, int]]]:
    """Runs of (index, byte) of consecutive one-byte-encodable chars in one font."""
    runs: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    font = None
    for i, c in enumerate(chars):
        b = _BYTE.get(c["text"])
        if b is None or c["fontname"] != font:
            if len(run) > 1:
                runs.append(run)
            run = []
            font = c["fontname"]
        if b is not None:
            run.append((i, b))
    if len(run) > 1:
        runs.append(run)
    return runs


def _is_han(text: str) -> bool:
    cp = ord(text[0]) if len(text) == 1 else 0
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def _is_cjk(text: str) -> bool:
    """Han, CJK punctuation, full-width forms: what a legacy CJK double-byte code stands for."""
    cp = ord(text[0]) if len(text) == 1 else 0
    return _is_han(text) or 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFFEF or 0x2010 <= cp <= 0x2642


def _pair(lead: int, trail: int, codec: str) -> str | None:
    try:
        text = bytes([lead, trail]).decode(codec)
    except UnicodeDecodeError:
        return None
    return text if len(text) == 1 and _is_cjk(text) else None


def _mojibake_in_run(run: list[tuple[int, int]]) -> int:
    """Chars in ``run`` that pair up into CJK in GBK or Big5, both bytes high (EUC rows).

    Only high-high pairs count: a Latin-1 letter followed by an ASCII one ("ül") is also a valid
    GBK/Big5 code, but that is ordinary European text; so are runs of one symbol (dot leaders).
    """
    best = 0
    for codec in _CODECS:
        count, i = 0, 0
        while i + 1 < len(run):
            lead, trail = run[i][1], run[i + 1][1]
            if lead >= 0xA1 and trail >= 0xA1 and not _leader(lead, trail) and _pair(lead, trail, codec):
                count += 2
                i += 2
            else:
                i += 1
        best = max(best, count)
    return best


def _leader(lead: int, trail: int) -> bool:
    """A repeated Latin-1 symbol (····· dot leaders in a table of contents), not a byte pair."""
    return lead == trail and unicodedata.category(bytes([lead]).decode("cp1252"))[0] in "PS"


def _cjk_font_foreign(ink: list[dict[str, Any]]) -> int:
    """Non-ASCII chars set in CJK-named fonts on a page without any Han: text a CJK font
    cannot have meant (its codes went through a Latin encoding), or 0."""
    if len(ink) < CJK_FONT_MIN_CHARS:
        return 0
    foreign = [c for c in ink if ord(c["text"][0]) > 0x7F and not is_bad_char(c["text"])]
    if len(foreign) < CJK_FONT_FOREIGN_SHARE * len(ink):
        return 0
    return sum(1 for c in foreign if is_cjk_font(c["fontname"]) and not _is_cjk(c["text"]))


def is_cjk_font(name: str) -> bool:
    """A font name that says Chinese/Japanese/Korean typeface (subset tag ignored)."""
    base = name[7:] if len(name) > 7 and name[6] == "+" else name
    return any(ord(ch) > 0x7F for ch in base) or bool(_CJK_FONT_RE.search(base))


def _common_share(texts: list[str], codec: str) -> float:
    """Share of decoded chars in their standard's frequent-character block.

    GB2312 level 1 (rows B0-D7) holds the 3,755 most used simplified characters; Big5's
    A440-C67E the 5,401 most used traditional ones. Bytes decoded with the wrong codec land
    anywhere, so the right codec has the larger share.
    """
    if not texts:
        return 0.0
    hits = 0
    for t in texts:
        code = t.encode(codec)
        hits += (0xB0 <= code[0] <= 0xD7) if codec == "gbk" else (0xA440 <= (code[0] << 8 | code[1]) <= 0xC67E)
    return hits / len(texts)


def decode_legacy_cjk(chars: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """Chars with GBK/Big5 byte pairs (read as Latin-1 by a one-byte font) merged into CJK glyphs.

    The codec is chosen per page by :func:`_common_share`. Returns None when no pair decodes.
    The merged glyph spans both halves; its baseline and font are the lead byte's.
    """
    runs = _byte_runs(chars)
    best: tuple[float, str, dict[int, tuple[int, str]]] | None = None
    for codec in _CODECS:
        merges: dict[int, tuple[int, str]] = {}  # lead index -> (trail index, text)
        for run in runs:
            i = 0
            while i + 1 < len(run):
                (li, lead), (ti, trail) = run[i], run[i + 1]
                text = _pair(lead, trail, codec) if lead >= 0x81 else None
                if text is not None:
                    merges[li] = (ti, text)
                    i += 2
                else:
                    i += 1
        if merges:
            share = _common_share([t for _, t in merges.values()], codec)
            if best is None or share > best[0]:
                best = (share, codec, merges)
    if best is None:
        return None
    merges = best[2]
    trails = {ti for ti, _ in merges.values()}
    out: list[dict[str, Any]] = []
    for i, c in enumerate(chars):
        if i in trails:
            continue
        if i in merges:
            ti, text = merges[i]
            t = chars[ti]
            c = {**c, "text": text, "x0": min(c["x0"], t["x0"]), "x1": max(c["x1"], t["x1"]),
                 "top": min(c["top"], t["top"]), "bottom": max(c["bottom"], t["bottom"])}
        out.append(c)
    return out


SEQUENTIAL_MIN_GLYPHS = 6  # a font needs this many glyphs on a page to be judged by its codes
SEQUENTIAL_STEP_SHARE = 0.4  # ... this share of neighbours one code apart
SEQUENTIAL_SYMBOL_SHARE = 0.3  # ... and this share of ASCII punctuation and symbols among its glyphs


def sequential_code_fonts(chars: list[dict[str, Any]]) -> set[str]:
    """Fonts whose glyphs on this page read as ASCII codes in the order they were numbered.

    A subset font without a Unicode map numbers its glyphs 1, 2, 3 ... as they are first used, and
    extractors then read the codes as ``!"#$%&'()*+`` (CNKI figure labels, formula fonts). Real text in
    one font seldom has neighbours one code apart, and never mostly among punctuation; a run of table
    numbers (1 2 3 4) has no punctuation in it, so it is never taken.
    """
    by_font: dict[str, list[str]] = {}
    for c in chars:
        text = c["text"]
        if text and not text.isspace():
            by_font.setdefault(c.get("fontname", ""), []).append(text)
    found = set()
    for font, texts in by_font.items():
        if len(texts) < SEQUENTIAL_MIN_GLYPHS or not all(len(t) == 1 and " " < t < "\x7f" for t in texts):
            continue
        symbols = sum(1 for t in texts if not t.isalnum())
        if (_in_sequential_runs(texts) >= SEQUENTIAL_STEP_SHARE * len(texts)
                and symbols >= SEQUENTIAL_SYMBOL_SHARE * len(texts)):
            found.add(font)
    return found


def _in_sequential_runs(texts: list[str]) -> int:
    """Glyphs in runs of three or more codes one apart (``!"#``, ``)*+,``); ``()`` alone is no run."""
    run = 1
    counted = 0
    for a, b in pairwise(texts):
        if ord(b) - ord(a) == 1:
            run += 1
            continue
        counted += run if run >= 3 else 0
        run = 1
    counted += run if run >= 3 else 0
    return counted
