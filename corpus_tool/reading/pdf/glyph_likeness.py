"""How alike two Han characters look: OCR mistakes one character for another that shares most of its shape
(私幕 for 私募, 温同 for 混同), never for one drawn differently (物生 is no misreading of 先生).

Both characters are drawn in the CJK font the package ships (Noto Sans SC, ``pylopdf-fonts-zh-cn``), lightly
blurred so that a stroke a pixel off still overlaps, and compared half by half: a misreading keeps one half of
the character (the top 莫 of 幕 and 募, the water radical of 温 and 混), so the best of the four halves' cosine
similarities is the measure.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

SIZE = 48  # pixels of the em the characters are drawn at
BLUR = 1.0  # Gaussian blur radius (pixels): strokes a pixel apart still overlap
LOOK_ALIKE = 0.85  # a half this similar or more: OCR may have read the one character for the other

_FONT_PACKAGE, _FONT_FILE = "pylopdf_fonts_zh_cn", "NotoSansSC-Regular.otf"


@cache
def _font() -> Any:
    """The shipped CJK font, or None when it is not installed (then no two characters count as alike)."""
    from PIL import ImageFont

    spec = importlib.util.find_spec(_FONT_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    path = next(Path(spec.origin).parent.rglob(_FONT_FILE), None)
    return ImageFont.truetype(str(path), SIZE) if path is not None else None


@cache
def _bitmap(ch: str) -> Any:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    side = SIZE + SIZE // 6
    image = Image.new("L", (side, side), 0)
    ImageDraw.Draw(image).text((SIZE // 12, -SIZE // 8), ch, fill=255, font=_font())
    return np.asarray(image.filter(ImageFilter.GaussianBlur(BLUR)), dtype=float) / 255


def _cosine(a: Any, b: Any) -> float:
    norm = float((a * a).sum() * (b * b).sum()) ** 0.5
    return float((a * b).sum()) / norm if norm else 0.0


def likeness(a: str, b: str) -> float:
    """The best cosine similarity of the two characters' top, bottom, left or right halves (0–1); 0 without the
    font."""
    if _font() is None:
        return 0.0
    x, y = _bitmap(a), _bitmap(b)
    h, w = x.shape[0] // 2, x.shape[1] // 2
    halves = ((slice(None, h), slice(None)), (slice(h, None), slice(None)),
              (slice(None), slice(None, w)), (slice(None), slice(w, None)))
    return max(_cosine(x[r, c], y[r, c]) for r, c in halves)


def look_alike(a: str, b: str) -> bool:
    """OCR could have read ``a`` for ``b``: they share most of one half of their shape."""
    return likeness(a, b) >= LOOK_ALIKE
