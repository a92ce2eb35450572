"""Traditional ↔ simplified characters: detect a text's script, convert with OpenCC on request.

The script is detected for every document whether or not it is converted (the policy corpus
holds traditional-character reports from the 1950s), so a researcher can find them later.
"""

from __future__ import annotations

import functools
from collections import Counter

from corpus_tool.reading.textstats import count_changed, keep_in_ranges

SIMPLIFIED = "simplified"
TRADITIONAL = "traditional"
MIXED = "mixed"

_HAN_RANGES = (("\u4e00", "\u9fff"),)
# Below this many Han characters the script is not decided.
_MIN_HAN = 20
_SAMPLE_CHARS = 200_000


@functools.cache
def _converter(config: str):  # type: ignore[no-untyped-def]
    """One OpenCC converter per configuration and process (building one reads its dictionaries)."""
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → simplified characters (OpenCC ``t2s``: characters and common phrases)."""
    return _converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text) if text else text


def in_own_script(value: str, pairs: list[tuple[str, str]]) -> str:
    """``value``, read from simplified views of a document's lines, as the document itself prints it.

    ``pairs`` are (simplified view, original) lines. Metadata patterns match on the simplified view,
    but a traditional-character document's issuer or author is cited as printed (財團法人…, not 财团法人…).
    A value found in a view of the same length as its original (t2s changed characters one for one)
    is cut from the original; a list joined by 、 is restored part by part; anything else (a value
    the reader normalised) is returned unchanged.
    """
    for view, original in pairs:
        if view != original and len(view) == len(original):
            at = view.find(value)
            if at >= 0:
                return original[at:at + len(value)]
    if "、" in value:
        return "、".join(in_own_script(part, pairs) for part in value.split("、"))
    return value


def _changed(a: str, b: str) -> int:
    """How many characters of ``a`` a conversion replaced (multiset difference: phrases may move)."""
    if len(a) == len(b):
        return count_changed(a, b)
    return sum((Counter(a) - Counter(b)).values())


def detect_script(text: str) -> str | None:
    """``simplified``, ``traditional`` or ``mixed``; None when there is too little Chinese to tell.

    A character that t2s changes is traditional-only; one that s2t changes is simplified-only.
    Most characters (人, 大, 中 ...) are shared and count for neither.
    """
    sample = text[:_SAMPLE_CHARS]
    han = keep_in_ranges(sample, _HAN_RANGES)  # the Han characters, in one pass in C
    if len(han) < _MIN_HAN:
        return None
    trad_only = _changed(han, to_simplified(han))
    if trad_only == 0:
        return SIMPLIFIED  # no traditional-only character: simplified (or shared) whatever s2t finds
    simp_only = _changed(han, to_traditional(han))
    if trad_only + simp_only == 0:
        return SIMPLIFIED  # only shared characters: written the same either way
    share = trad_only / (trad_only + simp_only)
    if share >= 0.9:
        return TRADITIONAL
    if share <= 0.1:
        return SIMPLIFIED
    return MIXED
