"""Properties of the cleaner over generated text (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_tool.reading.repair import clean_text

# Ordinary simplified Chinese prose: common Han characters and standard full-width punctuation.
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCT = st.sampled_from(list("，。、；：？！“”‘’《》（）……——"))
PROSE = st.lists(st.one_of(HAN, HAN, HAN, PUNCT), min_size=1, max_size=200).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_cleaner_never_raises_and_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ꎬꎮꎻ０１２３ＡＢ«»:?;!, \n\u3000新质生产力[]１")), max_size=120))
def test_artifact_soup_is_idempotent(text: str) -> None:
    once = clean_text(text, gbk=True)
    assert clean_text(once, gbk=True) == once


@settings(max_examples=500, deadline=None)
@given(PROSE)
def test_ordinary_prose_is_never_changed(text: str) -> None:
    assert clean_text(text) == text
