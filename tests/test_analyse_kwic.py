"""KWIC over every text field of the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_analyse_corpora import seed_db

from corpus_tool.analyse.kwic import compile_query, kwic
from corpus_tool.store.db import CorpusDB


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_db(tmp_path_factory)


@pytest.fixture(scope="module")
def paragraphs(seed: Path) -> dict[tuple[str, int], str]:
    with CorpusDB(seed, read_only=True) as store:
        rows = store.con.execute("SELECT doc_id, para_no, text FROM paragraphs").fetchall()
    return {(d, p): t for d, p, t in rows}


@pytest.mark.parametrize(("term", "expected"), [("先立后破", 13), ("新质生产力", 155)])
def test_counts_over_every_field(seed: Path, term: str, expected: int) -> None:
    table = kwic(seed, term).table
    assert len(table) == expected
    assert (table["match"] == term).all()


def test_every_text_field_is_searched(seed: Path) -> None:
    fields = set(kwic(seed, "新质生产力").table["field"])
    assert {"abstract", "keywords", "heading", "body"} <= fields
    body_only = kwic(seed, "新质生产力", fields=("body",)).table
    assert set(body_only["field"]) == {"body"} and len(body_only) < 155


def test_context_is_a_window_of_the_unit_text(seed: Path, paragraphs: dict) -> None:
    table = kwic(seed, "先立后破", window=7).table
    for row in table.itertuples():
        text = paragraphs[(row.doc_id, row.para_no)]
        assert text[row.start:row.end] == row.match
        assert text[row.start - len(row.left):row.end + len(row.right)] == row.left + row.match + row.right
        assert len(row.left) == min(7, row.start) and len(row.right) == min(7, len(text) - row.end)


def test_phrase_regex_and_whole_tokens(seed: Path) -> None:
    phrase = kwic(seed, "发展 新质生产力").table
    assert len(phrase) > 0 and set(phrase["match"]) == {"发展新质生产力"}
    regex = kwic(seed, r"先立后破|新质生产力", mode="regex").table
    assert len(regex) == 13 + 155
    # 生产力 occurs inside 新质生产力; as a whole token it is only the stand-alone word.
    anywhere = kwic(seed, "生产力").table
    whole = kwic(seed, "生产力", whole_tokens=True).table
    assert 0 < len(whole) < len(anywhere)


def test_sorting(seed: Path) -> None:
    by_right = kwic(seed, "先立后破", sort="right").table
    assert by_right["right"].tolist() == sorted(by_right["right"].tolist())
    by_left = kwic(seed, "先立后破", sort="left").table
    reversed_left = [s[::-1] for s in by_left["left"]]
    assert reversed_left == sorted(reversed_left)
    by_pos = kwic(seed, "先立后破").table
    assert list(zip(by_pos["para_no"], by_pos["start"], strict=True)) == sorted(
        zip(by_pos["para_no"], by_pos["start"], strict=True))


def test_query_compilation() -> None:
    assert compile_query("a.b").pattern == r"a\.b"  # a term is literal
    assert compile_query("科技 创新").match("科技 创新") and compile_query("科技 创新").match("科技创新")
    with pytest.raises(ValueError, match="regular expression"):
        compile_query("(", "regex")
