"""Plots draw Chinese with no set-up: every plot type renders to PNG with real CJK glyphs.

For each plot type the test renders a figure built from real text (the demo corpus) and checks that
(1) matplotlib reports no missing glyph, (2) the font resolved for every Chinese label holds each of
its characters, and (3) the PNG differs from the same plot drawn with a font that has no Chinese
(DejaVu Sans: boxes), which does report missing glyphs, so the check can fail.
"""

from __future__ import annotations

import collections
import io
import re
import warnings
from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text
from PIL import Image

from corpus_tool.plot import fonts as fonts_module
from corpus_tool.plot import (
    plot_dispersion,
    plot_frequencies,
    plot_k_sweep,
    plot_keyness,
    plot_topic_shares,
    plot_topic_terms,
    plot_wordcloud,
    wordcloud_image,
)
from corpus_tool.plot.fonts import CJKFontWarning, register_cjk_font

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "demo"
HAN = re.compile(r"[\u4e00-\u9fff]")
DEJAVU = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


# -- real text from the demo corpus -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_texts() -> dict[str, str]:
    return {p.stem: p.read_text("utf-8") for p in sorted(DEMO.glob("*.txt"))}


@pytest.fixture(scope="module")
def words(demo_texts: dict[str, str]) -> dict[str, list[str]]:
    """Words of each demo text, cut by a private jieba tokenizer (never the global one)."""
    import jieba

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    return {name: [w for w in tok.lcut(text) if len(w) > 1 and HAN.fullmatch(w[0])]
            for name, text in demo_texts.items()}


@pytest.fixture(scope="module")
def freq_table(words: dict[str, list[str]]) -> pd.DataFrame:
    counts = collections.Counter(w for ws in words.values() for w in ws)
    return pd.DataFrame(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])), columns=["term", "frequency"])


def _grouped(words: dict[str, list[str]]) -> pd.DataFrame:
    rows = [(name[:8], w, n) for name, ws in words.items() for w, n in collections.Counter(ws).items()]
    return pd.DataFrame(rows, columns=["doc", "term", "frequency"])


def _keyness(words: dict[str, list[str]]) -> pd.DataFrame:
    names = sorted(words)
    target, reference = collections.Counter(words[names[0]]), collections.Counter(
        w for n in names[1:] for w in words[n])
    nt, nr = sum(target.values()), sum(reference.values())
    terms = sorted(set(target) | set(reference))
    score = [np.log2(((target[t] + 0.5) / nt) / ((reference[t] + 0.5) / nr)) for t in terms]
    return pd.DataFrame({"term": terms, "log_ratio": score})


def _hits(demo_texts: dict[str, str], terms: list[str]) -> pd.DataFrame:
    rows = [(name, m.start() / len(text), term) for name, text in demo_texts.items() for term in terms
            for m in re.finditer(term, text)]
    return pd.DataFrame(rows, columns=["doc", "position", "term"])


def _topic_tables(words: dict[str, list[str]]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Topic-shaped tables from real words: each demo text plays a topic."""
    terms = []
    for t, ws in enumerate(sorted(words)):
        counts = collections.Counter(words[ws])
        total = sum(counts.values())
        terms += [(t, w, n / total) for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]]
    topic_terms = pd.DataFrame(terms, columns=["topic", "term", "weight"])
    years = list(range(2015, 2026))
    rng = np.random.default_rng(7)
    shares = pd.DataFrame([(t, y, s, max(0.0, s - 0.03), s + 0.03) for t in range(len(words)) for y in years
                           for s in [float(rng.uniform(0.05, 0.4))]],
                          columns=["topic", "year", "share", "lower", "upper"])
    sweep = pd.DataFrame([(k, seed, 0.5 - 0.01 * k + 0.005 * seed, 0.9 - 0.02 * k) for k in range(2, 11, 2)
                          for seed in range(3)], columns=["k", "seed", "coherence", "stability"])
    return topic_terms, shares, sweep


@pytest.fixture(scope="module")
def plot_makers(demo_texts, words, freq_table) -> dict[str, Callable[[], Figure]]:
    topic_terms, shares, sweep = _topic_tables(words)
    labels = {0: "新质生产力"}
    return {
        "frequencies": lambda: plot_frequencies(freq_table, value="frequency", top=15, title="高频词 词频"),
        "frequencies_by_group": lambda: plot_frequencies(_grouped(words), value="frequency", group="doc", top=8,
                                                         title="各文档高频词"),
        "keyness": lambda: plot_keyness(_keyness(words), value="log_ratio", target_name="工作报告",
                                        reference_name="其余文档", title="关键性"),
        "dispersion": lambda: plot_dispersion(_hits(demo_texts, ["新质生产力", "数字经济", "改革"]),
                                              docs=sorted(demo_texts)),
        "wordcloud": lambda: plot_wordcloud(freq_table, value="frequency", title="词云", width=800, height=450),
        "topic_terms": lambda: plot_topic_terms(topic_terms, labels=labels),
        "topic_shares": lambda: plot_topic_shares(shares, labels=labels),
        "k_sweep": lambda: plot_k_sweep(sweep, chosen=6),
    }


# -- rendering helpers ----------------------------------------------------------------------------------------
def render(fig: Figure) -> tuple[np.ndarray, list[str]]:
    """PNG pixels and the missing-glyph warnings raised while drawing; drawn with the user's default rc
    (as Jupyter draws after the plot function returned)."""
    buf = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        warnings.simplefilter("always")
        fig.savefig(buf, format="png", dpi=60)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    return np.asarray(Image.open(buf).convert("RGB")), missing


def chinese_texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and HAN.search(t.get_text())]


def assert_glyphs_drawn(text: Text) -> None:
    """Some font in the text's resolved font list holds each Chinese character of it."""
    paths = font_manager.fontManager._find_fonts_by_props(text.get_fontproperties())  # what Agg draws with
    fonts = [FT2Font(str(p), face_index=getattr(p, "face_index", 0)) for p in paths]
    for ch in set(HAN.findall(text.get_text())):
        assert any(f.get_char_index(ord(ch)) for f in fonts), f"{ch!r} of {text.get_text()!r} has no glyph in {paths}"


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plots drawn as if no CJK font existed (DejaVu Sans only): the box-only rendering."""
    monkeypatch.setattr(fonts_module, "cjk_font", lambda: None)


# -- tests ------------------------------------------------------------------------------------------------------
def test_a_cjk_font_is_found_and_registered() -> None:
    font = register_cjk_font()
    assert font is not None, "no CJK font: install pylopdf-fonts-zh-cn or fonts-noto-cjk"
    face = FT2Font(font.path, face_index=font.index) if font.index else FT2Font(font.path)
    assert all(face.get_char_index(ord(ch)) for ch in "中华人民共和国政府工作报告")
    assert font.family in {e.name for e in font_manager.fontManager.ttflist}
    # The family name resolves to that very file, not to a fallback.
    found = font_manager.findfont(font_manager.FontProperties(family=font.family), fallback_to_default=False)
    assert Path(found).resolve() == Path(font.path).resolve()


KINDS = ["frequencies", "frequencies_by_group", "keyness", "dispersion", "topic_terms", "topic_shares", "k_sweep"]


@pytest.mark.parametrize("kind", KINDS)
def test_plot_draws_chinese_glyphs(kind: str, plot_makers, request: pytest.FixtureRequest) -> None:
    before = dict(matplotlib.rcParams)
    fig = plot_makers[kind]()
    assert dict(matplotlib.rcParams) == before, "a plot function changed the user's rcParams"
    texts = chinese_texts(fig)
    assert texts, "the plot has no Chinese labels to check"
    pixels, missing = render(fig)
    assert not missing, missing
    for text in texts:
        assert_glyphs_drawn(text)

    # The same plot without a CJK font shows boxes (and says so): the check above can fail.
    request.getfixturevalue("no_cjk_font")
    boxes, box_missing = render(plot_makers[kind]())
    assert box_missing, "DejaVu Sans should lack Chinese glyphs"
    assert pixels.shape != boxes.shape or np.abs(pixels.astype(int) - boxes.astype(int)).sum() > 0


def _pil_draws_real_glyphs(font_path: str, text: str) -> bool:
    """Whether PIL draws each character of ``text`` with its own glyph, not the font's missing-glyph box."""
    from PIL import ImageFont

    font = ImageFont.truetype(font_path, 48)  # what wordcloud does: face 0, no index
    box = np.asarray(font.getmask("\uE000"))  # a private-use character: no font draws it, so the box
    return all(not np.array_equal(np.asarray(font.getmask(ch)), box) for ch in text)


def test_wordcloud_draws_chinese_glyphs(freq_table: pd.DataFrame) -> None:
    freqs = dict(zip(freq_table["term"], freq_table["frequency"], strict=True))
    path = fonts_module.wordcloud_font_path()
    assert path is not None
    drawn = "".join(list(freqs)[:60])
    assert _pil_draws_real_glyphs(path, drawn)
    assert not _pil_draws_real_glyphs(DEJAVU, drawn[:5]), "DejaVu Sans has no Chinese: the check must fail"
    image = np.asarray(wordcloud_image(freqs, width=600, height=340, seed=3))
    again = np.asarray(wordcloud_image(freqs, width=600, height=340, seed=3))
    boxes = np.asarray(wordcloud_image(freqs, width=600, height=340, seed=3, font_path=DEJAVU))
    assert (image == again).all(), "same words and seed must give the same pixels"
    assert (image.min(axis=2) < 200).mean() > 0.05, "nothing was drawn"
    assert np.abs(image.astype(int) - boxes.astype(int)).sum() > 0


def test_wordcloud_figure_and_titles(plot_makers) -> None:
    fig = plot_makers["wordcloud"]()
    pixels, missing = render(fig)
    assert not missing
    for text in chinese_texts(fig):
        assert_glyphs_drawn(text)
    assert pixels.shape[0] > 100


def test_user_axes_get_the_cjk_font(freq_table: pd.DataFrame) -> None:
    """Axes made by the user before the call (with the default DejaVu font) still draw Chinese."""
    fig = Figure(figsize=(5, 4))
    ax = fig.subplots()
    out = plot_frequencies(freq_table, value="frequency", top=8, ax=ax, title="用户的坐标轴")
    assert out is fig
    _, missing = render(fig)
    assert not missing, missing


def test_figures_display_once_in_jupyter(plot_makers) -> None:
    png = plot_makers["k_sweep"]()._repr_png_()
    assert png.startswith(b"\x89PNG")


def test_pdf_and_svg_embed_chinese(plot_makers, tmp_path: Path) -> None:
    fig = plot_makers["keyness"]()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would raise here
        fig.savefig(tmp_path / "k.pdf")
        fig.savefig(tmp_path / "k.svg")
    assert (tmp_path / "k.pdf").stat().st_size > 5000


def test_env_var_chooses_the_font(monkeypatch: pytest.MonkeyPatch) -> None:
    font = register_cjk_font()
    assert font is not None
    try:
        monkeypatch.setenv(fonts_module.ENV_VAR, font.path)
        register_cjk_font.cache_clear()
        chosen = register_cjk_font()
        assert chosen is not None and chosen.source == "env" and chosen.path == font.path

        monkeypatch.setenv(fonts_module.ENV_VAR, DEJAVU)  # a font without Chinese: warn, search on
        register_cjk_font.cache_clear()
        with pytest.warns(CJKFontWarning, match="CORPUS_TOOL_CJK_FONT"):
            chosen = register_cjk_font()
        assert chosen is not None and chosen.source != "env"
    finally:
        register_cjk_font.cache_clear()


def test_warns_clearly_when_no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(fonts_module.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts_module, "PACKAGED_FONTS", ())
    monkeypatch.setattr(fonts_module, "SYSTEM_FONT_FILES", ())
    monkeypatch.setattr(fonts_module, "_from_font_manager", lambda: None)
    try:
        register_cjk_font.cache_clear()
        with pytest.warns(CJKFontWarning, match="no CJK font found.*fonts-noto-cjk"):
            assert register_cjk_font() is None
        with pytest.raises(RuntimeError, match="no CJK font"):
            wordcloud_image({"政策": 3.0})
    finally:
        register_cjk_font.cache_clear()


def test_system_font_fallback(monkeypatch: pytest.MonkeyPatch, plot_makers) -> None:
    """Without a font package, a system CJK font (CI: Debian's fonts-noto-cjk, fonts-wqy-microhei) is used."""
    monkeypatch.delenv(fonts_module.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts_module, "PACKAGED_FONTS", ())
    # As when matplotlib's font cache predates the font install: only the well-known paths find it.
    monkeypatch.setattr(fonts_module, "_from_font_manager", lambda: None)
    try:
        register_cjk_font.cache_clear()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CJKFontWarning)
            font = register_cjk_font()
        if font is None:
            pytest.skip("no system CJK font on this machine (CI installs fonts-noto-cjk and fonts-wqy-microhei)")
        assert font.source == "system"
        fig = plot_makers["topic_terms"]()
        _, missing = render(fig)
        assert not missing, missing
        for text in chinese_texts(fig):
            assert_glyphs_drawn(text)
        path = fonts_module.wordcloud_font_path()
        assert path is not None and _pil_draws_real_glyphs(path, "新质生产力数字经济")
    finally:
        register_cjk_font.cache_clear()
