"""The cleaner, unit by unit: the cases of docs/pdf-ingest-notes.md §4, taken from the seed."""

from __future__ import annotations

import pytest

from corpus_tool.reading.repair import (
    CleaningLog,
    clean_text,
    fix_bopomofo_one,
    fix_gbk_as_unicode,
    gbk_guard,
    normalize_citation_markers,
)

CASES = [
    ("规律性认识ꎮ 因地制宜", "规律性认识。因地制宜"),
    ("新质生产力ꎬ生动体现", "新质生产力，生动体现"),
    ("差异化发展路径ꎻ党的领导", "差异化发展路径；党的领导"),
    ("２０２４ 年 ７ 月 １８ 日ꎬ中国共产党", "2024年7月18日，中国共产党"),
    ("工业机器人、ＶＲ 和 ＡＲ 设备等", "工业机器人、VR和AR设备等"),
    ("通过的«中共中央关于…的决定»指出:“健全", "通过的《中共中央关于…的决定》指出：“健全"),
    ("何为新质生产力? 从基本内涵上看ꎬ", "何为新质生产力？从基本内涵上看，"),
    ("体制机制ꎮ” [１]１０因地制宜", "体制机制。”[1:10]因地制宜"),
    ("思维模式” [２]ꎮ 张辉、", "思维模式”[2]。张辉、"),
    ("不能搞 “一刀\n 切”ꎬ必须尊重", "不能搞“一刀切”，必须尊重"),
    ("社会 主 义 现 代 化 国 家 的 基 础 性、 战 略 性 支\n\n撑ꎮ”", "社会主义现代化国家的基础性、战略性支撑。”"),
    ("中央经济工作会议明确\n\n指出:“做好经济工作", "中央经济工作会议明确指出：“做好经济工作"),
    ("“立” 与 “破” 应把握好", "“立”与“破”应把握好"),
    ("“两手抓ꎬ两\n手都要硬”ꎮ", "“两手抓，两手都要硬”。"),
    ("[１７]３３因地制宜", "[17:33]因地制宜"),
    ("融合的长期性” [１１]２８７ꎮ", "融合的长期性”[11:287]。"),
]


@pytest.mark.parametrize(("raw", "clean"), CASES)
def test_seed_snippets(raw: str, clean: str) -> None:
    # Snippets are too short for the document-level guard; the pipeline decides it per document.
    assert clean_text(raw, gbk=True) == clean


@pytest.mark.parametrize(("raw", "clean"), CASES)
def test_repairs_are_idempotent(raw: str, clean: str) -> None:
    assert clean_text(clean_text(raw, gbk=True), gbk=True) == clean


def test_gbk_rows_map_through_the_gbk_codec() -> None:
    text, counts = fix_gbk_as_unicode("\ua3ac\ua3ae\ua3bb\ua3ba\ua3bf\ua3a1\ua3a8\ua3a9\ua1b6\ua1b7")
    assert text == "，。；：？！（）《》"
    assert counts["ꎬ→，"] == 1


def test_full_stop_between_digits_is_a_decimal_point() -> None:
    assert clean_text("增长５ꎮ５％", gbk=True) == "增长5.5％"


def test_real_yi_text_is_left_alone() -> None:
    yi = "\ua000\ua001\ua002\ua3ac"
    assert not gbk_guard(yi)
    assert clean_text(yi) == yi


def test_guard_needs_han_dominant_text_with_artifact_rows() -> None:
    assert gbk_guard("因地制宜发展新质生产力ꎬ生动体现ꎮ")
    assert not gbk_guard("因地制宜发展新质生产力，生动体现。")


def test_glyph_variants_per_character() -> None:
    assert clean_text("⽅便") == "方便"
    assert clean_text("\uf98a\uf97e") == "力量"
    assert clean_text("\u2ec5解") == "见解"
    assert clean_text("东\u2ec4") == "东西"  # CJK RADICAL WEST TWO, as a Kangxi-font PDF gives 西
    log = CleaningLog()
    assert clean_text("\u2e8c小", log) == "\u2e8c小"  # no ordinary character: kept, and said
    assert [(e.step, e.count) for e in log.entries()] == [("radicals_left", 1)]
    # U+FA0E is a unified ideograph inside the compatibility block: kept.
    assert clean_text("\ufa0e") == "\ufa0e"


def test_no_whole_text_nfkc() -> None:
    for s in ("①②", "……", "——", "，：；？！（）", "™"):
        assert clean_text(s) == s


def test_ascii_punctuation_in_latin_text_is_kept() -> None:
    assert clean_text("Smith, J. Policy: a review? Yes!") == "Smith, J. Policy: a review? Yes!"
    assert clean_text("Chinese，English") == "Chinese，English"


def test_latin_words_wrapped_keep_one_space() -> None:
    assert clean_text("the policy\nwas adopted") == "the policy was adopted"
    assert clean_text("international co-\noperation") == "international cooperation"


def test_document_numbers_are_not_citations() -> None:
    assert clean_text("国发[2019]5号") == "国发[2019]5号"
    assert normalize_citation_markers("指出[3]2024年")[0] == "指出[3]2024年"


def test_founder_private_use_mapped_unknown_kept_and_counted() -> None:
    log = CleaningLog()
    assert clean_text("A\U001001b0B\ue000", log) == "A.B\ue000"
    steps = {e.step: e for e in log.entries()}
    assert steps["private_use"].count == 2
    assert "kept" in steps["private_use"].detail


def test_log_counts_every_change() -> None:
    log = CleaningLog()
    clean_text("新质生产力ꎬ生动体现ꎮ ２０２４年", log, gbk=True)
    counts = {e.step: e.count for e in log.entries()}
    assert counts["gbk_as_unicode"] == 2
    assert counts["fullwidth_alnum"] == 4


def test_long_spaced_numbers_and_spaced_percent_are_joined_short_ones_left() -> None:
    from corpus_tool.reading.repair import join_spaced_digits

    assert join_spaced_digits("新建高速公路1 3 0 0公里")[0] == "新建高速公路1300公里"
    assert join_spaced_digits("年均增长8 %左右")[0] == "年均增长8%左右"
    assert join_spaced_digits("完成2 3 项")[0] == "完成2 3 项"  # two digits before a counter may be two items


def test_bopomofo_one_typed_for_the_numeral_becomes_it() -> None:
    assert fix_bopomofo_one("ㄧ般的基本電費、避免某ㄧ時段") == ("一般的基本電費、避免某一時段", {"U+3127 ㄧ→一": 2})
    for zhuyin in ("ㄅㄧˋ", "注音ㄧˊ", "ㄧ", "a ㄧ b"):  # a real annotation, or nothing Han beside it: kept
        assert fix_bopomofo_one(zhuyin) == (zhuyin, {})
