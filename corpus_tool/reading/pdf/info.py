"""The PDF info dictionary (Title, Author, Producer ...) as plain text."""

from __future__ import annotations

import re
from typing import Any

META_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate")
_HEX_STRING = re.compile(r"<([0-9A-Fa-f\s]+)>")


def pdf_meta(info: dict[str, Any]) -> dict[str, str]:
    """The PDF info dictionary's usual keys as text (hex and byte strings decoded)."""
    out = {}
    for key in META_KEYS:
        value = info.get(key)
        if value is None:
            continue
        text = _meta_text(value).strip()
        if text:
            out[key] = text
    return out


def _meta_text(value: Any) -> str:
    if isinstance(value, bytes):
        return _decode_bytes(value)
    text = str(getattr(value, "name", value))  # PSLiteral has .name
    m = _HEX_STRING.fullmatch(text.strip())
    if m:  # some producers store <hex> literally (the Civil Code's title is GBK in hex)
        try:
            return _decode_bytes(bytes.fromhex(re.sub(r"\s", "", m[1])))
        except ValueError:
            return text
    return text


def _decode_bytes(raw: bytes) -> str:
    if raw.startswith((b"\xfe\xff", b"\xff\xfe")):
        return raw.decode("utf-16", errors="replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")
