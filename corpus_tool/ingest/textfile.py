"""Plain text and Markdown: bytes → text with the encoding detected and recorded."""

from __future__ import annotations

import codecs
from pathlib import Path

from corpus_tool.ingest.model import RAW, Block, Extracted, LogEntry


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can tell (a binary file with a .txt name)."""


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample and not (sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))):
        # UTF-16 without a BOM has NULs in every other byte; binary files have them anywhere.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        return not (max(even, odd) > len(sample) / 4 and min(even, odd) < len(sample) / 50)
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) / 100


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return the text and the encoding name.

    Order: a BOM; strict UTF-8; UTF-16 without BOM; GB18030 when it decodes cleanly and the
    result is mostly CJK; Big5; else charset-normalizer's best guess. Raises DecodeError for
    binary data.
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name), name
    if _looks_binary(data):
        raise DecodeError("binary content, not text (二进制内容，不是文本)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if sample.count(0) > len(sample) / 4:
        for name in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                continue
    candidates = []
    for name in ("gb18030", "big5"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        candidates.append((_cjk_score(text, name), name, text))
    if candidates:
        _, name, text = max(candidates)
        return text, name
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("no text encoding fits these bytes (无法识别文本编码)")
    return str(best), best.encoding


def _cjk_score(text: str, name: str) -> float:
    """Share of common CJK characters: GB18030 decodes Big5 bytes into rare characters."""
    if not text:
        return 0.0
    common = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fa5")
    rare = sum(1 for ch in text if "\u3400" <= ch <= "\u4dbf" or "\ue000" <= ch <= "\uf8ff")
    bonus = 0.001 if name == "gb18030" else 0.0  # tie → mainland encoding
    return (common - 5 * rare) / len(text) + bonus


def extract_text_file(path: str | Path) -> Extracted:
    """Read a .txt or .md file as one raw block for the text layout step."""
    path = Path(path)
    data = path.read_bytes()
    text, encoding = decode_text(data)
    log = []
    if encoding not in ("utf-8", "utf-8-sig"):
        log.append(LogEntry("decoded", len(data), f"encoding {encoding}"))
    if path.suffix.lower() in (".md", ".markdown"):
        from corpus_tool.ingest.markdown import markdown_blocks

        blocks, md_log = markdown_blocks(text)
        return Extracted(blocks=blocks, encoding=encoding, log=log + md_log, fmt="md")
    return Extracted(blocks=[Block(RAW, text)], encoding=encoding, log=log, fmt="txt")
