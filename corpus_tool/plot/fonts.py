"""Find and register an open CJK font so that plots show Chinese with no set-up by the user.

Search order (the first font that really holds common Chinese characters wins):

1. ``CORPUS_TOOL_CJK_FONT``: a font file the user names (``.otf``, ``.ttf``, ``.ttc``);
2. a font shipped in a Python package (``pylopdf-fonts-zh-cn`` carries Noto Sans SC, SIL OFL 1.1);
3. a CJK family matplotlib already knows (Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei,
   Microsoft YaHei, PingFang SC ...), then well-known system paths (Debian's fonts-noto-cjk and
   fonts-wqy-microhei, macOS, Windows), which matplotlib's font cache may predate.

Registering a font adds it to matplotlib's font list (harmless for the user); the plotting functions
apply it through :func:`cjk_rc` in an ``rc_context``, so the user's own rcParams never change.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "CORPUS_TOOL_CJK_FONT"

# (import name, file inside the package, family to use): fonts shipped by packages on PyPI.
PACKAGED_FONTS: tuple[tuple[str, str, str | None], ...] = (
    ("pylopdf_fonts_zh_cn", "NotoSansSC-Regular.otf", "Noto Sans SC"),
    ("noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc", "WenQuanYi Micro Hei"),
)

# Families with Simplified Chinese glyph forms first; Japanese-first families last (their Han glyphs
# differ in detail, e.g. 骨 and 写).
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti",
    "SimHei", "Sarasa Gothic SC", "Noto Serif SC", "Noto Serif CJK SC", "SimSun", "Arial Unicode MS",
    "Noto Sans CJK TC", "Noto Sans CJK JP",
)

SYSTEM_FONT_FILES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)

# Characters a usable font must draw: common words of policy texts.
PROBE = "中国政策发展经济改革创新数字产业"

INSTALL_HINT = (
    "pip install pylopdf-fonts-zh-cn (Noto Sans SC), or install a system CJK font "
    "(Debian/Ubuntu: apt install fonts-noto-cjk), or set CORPUS_TOOL_CJK_FONT=/path/to/font.otf"
)


class CJKFontWarning(UserWarning):
    """No font with Chinese glyphs was found: Chinese text will be drawn as empty boxes."""


@dataclass(frozen=True)
class CJKFont:
    """A registered font file and the family name matplotlib knows it by."""

    family: str
    path: str
    index: int = 0  # face index inside a .ttc/.otc collection
    source: str = ""  # env | package NAME | system

    @property
    def wordcloud_ready(self) -> bool:
        """Whether PIL (word clouds) reads the wanted face: it always opens face 0 of a collection."""
        return self.index == 0


def _covers(path: str, index: int) -> bool:
    """Whether the face draws every probe character (a CJK family name alone proves nothing)."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path, face_index=index) if index else FT2Font(path)
    except (OSError, RuntimeError, ValueError, TypeError):
        return False
    return all(font.get_char_index(ord(ch)) for ch in PROBE)


def _package_file(module: str, relative: str) -> Path | None:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        path = Path(base) / relative
        if path.is_file():
            return path
    return None


def _register_file(path: str | Path, prefer: str | None, source: str) -> CJKFont | None:
    """Add a font file to matplotlib; return its best face for Chinese, or None if it has none."""
    from matplotlib import font_manager

    path = str(path)
    known = [e for e in font_manager.fontManager.ttflist if os.path.realpath(e.fname) == os.path.realpath(path)]
    if not known:
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError) as exc:
            warnings.warn(f"cannot read font {path}: {exc}", CJKFontWarning, stacklevel=3)
            return None
        known = [e for e in font_manager.fontManager.ttflist
                 if os.path.realpath(e.fname) == os.path.realpath(path)]
    faces = sorted({(e.name, getattr(e, "index", 0)) for e in known}, key=lambda f: _rank(f[0], prefer))
    for name, index in faces:
        if _covers(path, index):
            return CJKFont(family=name, path=path, index=index, source=source)
    return None


def _rank(name: str, prefer: str | None) -> tuple[int, str]:
    if prefer and name == prefer:
        return (-1, name)
    return (CJK_FAMILIES.index(name) if name in CJK_FAMILIES else len(CJK_FAMILIES), name)


def _from_font_manager() -> CJKFont | None:
    """The best CJK family among the fonts matplotlib already knows (its cache of system fonts)."""
    from matplotlib import font_manager

    by_name: dict[str, list[tuple[str, int]]] = {}
    for e in font_manager.fontManager.ttflist:
        if e.name in CJK_FAMILIES and e.style == "normal" and e.weight in (400, "normal", "regular"):
            by_name.setdefault(e.name, []).append((e.fname, getattr(e, "index", 0)))
    for family in CJK_FAMILIES:
        for path, index in sorted(by_name.get(family, [])):
            if _covers(path, index):
                return CJKFont(family=family, path=path, index=index, source="system")
    return None


@functools.lru_cache(maxsize=1)
def register_cjk_font() -> CJKFont | None:
    """Find a CJK font, register it with matplotlib and return it; warn clearly when there is none.

    Cached: the search runs once per process. Set ``CORPUS_TOOL_CJK_FONT`` before the first plot to
    choose a font.
    """
    env = os.environ.get(ENV_VAR)
    if env:
        if Path(env).is_file():
            font = _register_file(env, None, "env")
            if font is not None:
                return font
        warnings.warn(f"{ENV_VAR}={env} is not a font file with Chinese glyphs; searching elsewhere "
                      "(指定的字体文件不可用)", CJKFontWarning, stacklevel=2)
    for module, relative, family in PACKAGED_FONTS:
        path = _package_file(module, relative)
        if path is not None:
            font = _register_file(path, family, f"package {module}")
            if font is not None:
                return font
    font = _from_font_manager()
    if font is not None:
        return font
    for path in SYSTEM_FONT_FILES:
        if Path(path).is_file():
            font = _register_file(path, None, "system")
            if font is not None:
                return font
    warnings.warn(
        "未找到中文字体，图中的中文将显示为方框 / no CJK font found: Chinese text in plots will show as "
        f"empty boxes. Fix: {INSTALL_HINT}",
        CJKFontWarning,
        stacklevel=2,
    )
    return None


def cjk_font() -> CJKFont | None:
    """The registered CJK font (searching on first use), or None."""
    return register_cjk_font()


def font_families() -> list[str]:
    """Font families for plot text: the CJK font first, matplotlib's DejaVu Sans for what it lacks."""
    font = cjk_font()
    return ([font.family] if font else []) + ["DejaVu Sans"]


def cjk_rc(**extra: object) -> dict[str, object]:
    """rcParams for an ``rc_context`` that draws Chinese, with a clean, publication-ready look.

    Families are named explicitly (not the generic ``sans-serif``), because text keeps its font
    properties: a figure drawn after the context closes (Jupyter's inline display) still uses them.
    """
    rc: dict[str, object] = {
        "font.family": font_families(),
        "axes.unicode_minus": False,  # CJK fonts often lack U+2212; the ASCII hyphen always renders
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 13,
        "axes.titleweight": "normal",
        "axes.labelsize": 11,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": 10,
        "legend.frameon": False,
        "figure.titlesize": 14,
        "figure.titleweight": "normal",
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "savefig.bbox": "tight",
        "pdf.fonttype": 42,  # embed TrueType/OpenType in PDF so text stays selectable
        "svg.fonttype": "path",
    }
    rc.update(extra)
    return rc


def wordcloud_font_path() -> str | None:
    """A font file for the ``wordcloud`` package (``font_path``), or None when there is none.

    PIL opens face 0 of a collection. When the registered face is another one (the Simplified Chinese
    face of a Noto CJK collection is face 2), a font whose face 0 suits Chinese is preferred; failing
    that, the collection's face 0 still draws every character, with Japanese glyph forms.
    """
    font = cjk_font()
    if font is None or font.wordcloud_ready:
        return font.path if font else None
    from matplotlib import font_manager

    for family in CJK_FAMILIES[: CJK_FAMILIES.index("Noto Sans CJK TC")]:
        for e in font_manager.fontManager.ttflist:
            if e.name == family and getattr(e, "index", 0) == 0 and _covers(e.fname, 0):
                return str(e.fname)
    return font.path
