"""File names that are not UTF-8 (a Chinese Windows zip unpacked on Linux gives GBK bytes).

Python hands such names over with surrogate escapes (``'\\udcd5'``), which DuckDB refuses. They are
stored losslessly as their bytes escaped (``\\xd5\\xfe``) and shown decoded as GB18030 when that works.
"""

from __future__ import annotations

import os
import re

_ESCAPED = re.compile(r"(?:\\x[0-9a-f]{2})+")


def stored_path(path: str | os.PathLike[str]) -> str:
    """The path as stored in the corpus: itself when it is valid Unicode, else its bytes escaped."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        # escape every non-ASCII byte, not only the invalid ones: GBK pairs can look like valid UTF-8
        # (知 is d6aa, a valid UTF-8 pair), and a name half UTF-8, half escapes would not read back as one text
        return "".join(chr(b) if b < 0x80 else f"\\x{b:02x}" for b in os.fsencode(text))


def readable_path(stored: str) -> str:
    """A stored path for people: escaped bytes decoded as GB18030 where they are GB18030 text."""

    def decode(m: re.Match[str]) -> str:
        raw = bytes.fromhex(m[0].replace("\\x", ""))
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return m[0]

    return _ESCAPED.sub(decode, stored) if "\\x" in stored else stored
