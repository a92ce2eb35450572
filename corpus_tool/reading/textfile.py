"""Plain text and Markdown: bytes → text with the encoding detected and recorded.

Files are decoded in chunks with an incremental decoder and a character limit, so a huge file
(50 MB on one line) costs bounded memory: reading stops as soon as the limit is passed.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from corpus_tool.reading.model import RAW, Block, Extracted, LogEntry
from corpus_tool.reading.textstats import count_in_ranges

CHUNK = 1 << 20
SAMPLE = 1 << 18
DEFAULT_MAX_CHARS = 5_000_000
MAX_LINE_CHARS = 20_000  # longer lines are cut at sentence ends before the layout step


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can tell (a binary file with a .txt name)."""


class TooLongError(ValueError):
    """The text is longer than the configured limit (``--max-chars``)."""


_PLAUSIBLE = ((" ", "~"), ("\n", "\n"), ("\r", "\r"), ("\t", "\t"), ("\u4e00", "\u9fff"), ("\u3000", "\u303f"),
              ("\uff00", "\uffef"), ("\u2010", "\u2027"))
_COMMON_CJK = (("\u4e00", "\u9fa5"),)
_RARE_CJK = (("\u3400", "\u4dbf"), ("\ue000", "\uf8ff"))
# Every byte value but the control bytes that mark binary content (tab, newlines, form feed, escape are text).
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 12, 13, 27)))


def _plausible_share(text: str) -> float:
    """Share of characters a real text is made of: ASCII, CJK, CJK punctuation, full-width forms."""
    if not text:
        return 0.0
    return count_in_ranges(text, _PLAUSIBLE) / len(text)


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when the bytes read as text that way (Chinese UTF-16 has few NULs)."""
    even = sample[: len(sample) - len(sample) % 2]
    best = None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            share = _plausible_share(even.decode(name))
        except UnicodeDecodeError:
            continue
        if share >= 0.9 and (best is None or share > best[0]):
            best = (share, name)
    return best[1] if best else None


BINARY_SHARE = 0.05  # control bytes (NUL included) beyond this share of the sample: not a text file


def _looks_binary(data: bytes) -> bool:
    """Mostly binary: many NULs or control bytes. A stray NUL in scraped text is no reason to refuse it."""
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample and _utf16_without_bom(sample) is not None:
        return False
    controls = len(sample.translate(None, _NOT_CONTROL))  # the control bytes are what is left
    return controls > BINARY_SHARE * len(sample)


def _cjk_score(text: str, name: str) -> float:
    """Share of common CJK characters: GB18030 decodes Big5 bytes into rare characters."""
    if not text:
        return 0.0
    common = count_in_ranges(text, _COMMON_CJK)
    rare = count_in_ranges(text, _RARE_CJK)
    bonus = 0.001 if name == "gb18030" else 0.0  # tie → mainland encoding
    return (common - 5 * rare) / len(text) + bonus


def _candidates(sample: bytes, at_eof: bool) -> Iterator[str]:
    """Encodings to try, most likely first, judged from the first bytes of the file.

    A generator: the Chinese legacy encodings are scored only when UTF-8 has failed.
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if sample.startswith(bom):
            yield name
            return
    if _looks_binary(sample):
        raise DecodeError("binary content, not text (二进制内容，不是文本)")
    utf16 = _utf16_without_bom(sample) if b"\x00" in sample else None
    if utf16 is not None:  # a stray NUL in UTF-8 text does not read as plausible UTF-16
        yield utf16
        return
    yield "utf-8"
    scored = []
    for name in ("gb18030", "big5"):
        # A multi-byte character may be cut at the end of the sample: ignore that tail.
        text = codecs.getincrementaldecoder(name)("replace").decode(sample, final=at_eof)
        penalty = text.count("\ufffd") * 10
        scored.append((_cjk_score(text, name) - penalty / max(len(text), 1), name))
    yield from (name for _, name in sorted(scored, reverse=True))


def _decode_stream(fh: BinaryIO, encoding: str, max_chars: int | None) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    total = 0
    while True:
        chunk = fh.read(CHUNK)
        text = decoder.decode(chunk, final=not chunk)
        total += len(text)
        if max_chars is not None and total > max_chars:
            raise TooLongError(
                f"more than {max_chars:,} characters; raise --max-chars to read it "
                f"(文本超过 {max_chars:,} 字的上限)"
            )
        if text:
            yield text
        if not chunk:
            return


def read_text(path: str | Path, max_chars: int | None = DEFAULT_MAX_CHARS) -> tuple[str, str]:
    """Decode a text file; return the text and the encoding name.

    Order: a BOM; strict UTF-8; UTF-16 without BOM; GB18030 or Big5, whichever reads as more
    common Chinese; else charset-normalizer's guess. Raises DecodeError for binary data and
    TooLongError past ``max_chars`` characters (memory stays bounded by the limit).
    """
    path = Path(path)
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE)
        at_eof = len(sample) < SAMPLE
        for name in _candidates(sample, at_eof):
            fh.seek(0)
            try:
                text = "".join(_decode_stream(fh, name, max_chars))
            except UnicodeDecodeError:
                continue
            if name == "utf-8" and text.startswith("\ufeff"):
                text = text[1:]
            return text, name
    return _guess(path, max_chars)


def _guess(path: Path, max_chars: int | None) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    with path.open("rb") as fh:
        data = fh.read(SAMPLE)
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("no text encoding fits these bytes (无法识别文本编码)")
    with path.open("rb") as fh:
        try:
            return "".join(_decode_stream(fh, best.encoding, max_chars)), best.encoding
        except UnicodeDecodeError as exc:
            raise DecodeError(f"no text encoding fits these bytes (无法识别文本编码): {exc}") from exc


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes already in memory (small inputs: CSV cells, tests)."""
    import io

    with io.BytesIO(data) as fh:
        sample = data[:SAMPLE]
        for name in _candidates(sample, len(data) <= SAMPLE):
            fh.seek(0)
            try:
                text = "".join(_decode_stream(fh, name, None))
            except UnicodeDecodeError:
                continue
            return (text[1:] if name == "utf-8" and text.startswith("\ufeff") else text), name
    raise DecodeError("no text encoding fits these bytes (无法识别文本编码)")


_SENTENCE_END_RE = re.compile("[。！？；!?;]")
_CONTROLS_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")  # every C0 control but \t \n \f \r, and DEL


def strip_controls(text: str) -> tuple[str, int]:
    """Remove control characters scraped text carries (NUL, BEL, DEL ...); return the text and how many."""
    n = len(_CONTROLS_RE.findall(text))
    return (_CONTROLS_RE.sub("", text), n) if n else (text, 0)


def split_long_lines(text: str, limit: int = MAX_LINE_CHARS) -> tuple[str, int]:
    """Break lines longer than ``limit`` after the last sentence end before it (else at the limit).

    Returns the text and how many breaks were inserted. A file written on one line would
    otherwise become one paragraph of millions of characters.
    """
    if len(text) <= limit or all(len(line) <= limit for line in text.split("\n")):
        return text, 0
    out: list[str] = []
    n = 0
    for line in text.split("\n"):
        while len(line) > limit:
            window = line[:limit]
            ends = [m.end() for m in _SENTENCE_END_RE.finditer(window, limit // 2)]
            cut = ends[-1] if ends else limit
            out.append(line[:cut])
            line = line[cut:]
            n += 1
        out.append(line)
    return "\n".join(out), n


def extract_text_file(path: str | Path, max_chars: int | None = DEFAULT_MAX_CHARS) -> Extracted:
    """Read a .txt or .md file: plain text as one raw block for the layout step, Markdown as blocks."""
    path = Path(path)
    text, encoding = read_text(path, max_chars)
    log: list[LogEntry] = []
    text, n_controls = strip_controls(text)
    if n_controls:
        log.append(LogEntry("control_chars_removed", n_controls, "NUL and other control characters in the text"))
    if encoding not in ("utf-8", "utf-8-sig"):
        log.append(LogEntry("decoded", len(text), f"encoding {encoding}"))
    text, n_split = split_long_lines(text)
    if n_split:
        log.append(LogEntry("long_lines_split", n_split,
                            f"lines over {MAX_LINE_CHARS:,} characters cut at sentence ends"))
    if path.suffix.lower() in (".md", ".markdown"):
        from corpus_tool.reading.markdown import markdown_blocks

        blocks, md_log = markdown_blocks(text)
        return Extracted(blocks=blocks, encoding=encoding, log=log + md_log, fmt="md")
    return Extracted(blocks=[Block(RAW, text)], encoding=encoding, log=log, fmt="txt")
