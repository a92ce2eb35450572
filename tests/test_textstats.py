"""The whole-string counts give the same numbers in plain Python (short texts) as through numpy (long ones)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_tool.reading import textstats
from corpus_tool.reading.convert import to_simplified
from corpus_tool.reading.textfile import _COMMON_CJK, _PLAUSIBLE, _RARE_CJK

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


@pytest.mark.parametrize("name", sorted(p.name for p in DEMO.glob("*.txt")))
def test_plain_counts_equal_numpy_counts(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (DEMO / name).read_text(encoding="utf-8") + "\ud800-]^\\\ue001\u3400"  # a lone surrogate, class syntax
    simplified = to_simplified(text[:-7]) + text[-7:]
    plain = [textstats.count_in_ranges(text, r) for r in (_PLAUSIBLE, _COMMON_CJK, _RARE_CJK, (("-", "^"),))]
    changed = textstats.count_changed(text, simplified)
    ranges = (_COMMON_CJK, (("-", "^"), ("\ud800", "\ud800")))
    kept = [textstats._outside_re(r).sub("", text) for r in ranges]  # the regex path (numpy not loaded)
    monkeypatch.setattr(textstats, "PLAIN_MAX_CHARS", 0)
    assert kept == [textstats.keep_in_ranges(text, r) for r in ranges]
    assert plain == [textstats.count_in_ranges(text, r) for r in (_PLAUSIBLE, _COMMON_CJK, _RARE_CJK, (("-", "^"),))]
    assert changed == textstats.count_changed(text, simplified)
    assert plain[1] > 100 and plain[2] >= 2  # the Han characters are counted


def test_without_spaces_removes_what_the_regex_removes() -> None:
    """``str.split()`` and ``\\s`` (with the ideographic space) take the same characters, every one of them."""
    import re
    import sys

    every = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    assert textstats.without_spaces(every) == re.sub(r"[\s\u3000]+", "", every)
