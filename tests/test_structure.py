"""Structure recovery units: headings, table of contents, footnotes, text layout decisions."""

from __future__ import annotations

from corpus_tool.reading.headings import chinese_number, heading_scheme, levels_for
from corpus_tool.reading.model import FOOTNOTE, FRONT, HEADING, PARA, TITLE, Block
from corpus_tool.reading.structure import build_structure
from corpus_tool.reading.textlayout import layout_text, remove_page_furniture


def test_chinese_numbers() -> None:
    assert [chinese_number(x) for x in ("一千二百六十", "十一", "一百零一", "二十", "一千零五", "12")] == [
        1260, 11, 101, 20, 1005, 12]
    assert chinese_number("总则") is None


def test_heading_schemes_and_levels() -> None:
    assert heading_scheme("一、问题的提出") == "一、"
    assert heading_scheme("（二）培育战略性新兴产业") == "（一）"
    assert heading_scheme("第一章总则") == "章"
    # A run-in heading with a sentence after it is a paragraph.
    assert heading_scheme("（一）着力扩大国内需求。推动消费从疫后恢复转向持续扩大。") is None
    assert levels_for(["一、", "（一）", "一、"]) == {"一、": 1, "（一）": 2}
    assert levels_for(["章", "节", "编"]) == {"编": 1, "章": 2, "节": 3}


def test_table_of_contents_is_removed_and_logged() -> None:
    blocks = [Block(TITLE, "示例法"), Block(PARA, "目录"), Block(HEADING, "第一章　总则"),
              Block(HEADING, "第二章　附则"), Block(HEADING, "第一章　总则"),
              Block(PARA, "第一条　为了规范管理，制定本法。"), Block(HEADING, "第二章　附则"),
              Block(PARA, "第二条　本法自公布之日起施行。")]
    out = build_structure(blocks)
    assert [s.title for s in out.sections] == ["第一章　总则", "第二章　附则"]
    assert [e.step for e in out.log] == ["table_of_contents_removed"]
    assert out.log[0].count == 2


def test_front_matter_and_footnote_numbers() -> None:
    blocks = [Block(TITLE, "论题"), Block(FRONT, "论题"), Block(FRONT, "张三，李四"),
              Block(FRONT, "摘 要：本文研究了政策。"), Block(FRONT, "关键词：政策；文本"),
              Block(HEADING, "一、引言"), Block(PARA, "正文[1:10]。"), Block(FOOTNOTE, "3 参见某书。")]
    out = build_structure(blocks)
    assert [u.field for u in out.units] == ["title", "front", "abstract", "keywords", "heading", "body"]
    assert out.abstract == "本文研究了政策。" and out.keywords == ["政策", "文本"]
    assert out.units[-1].text == "正文。"
    assert (out.citations[0].number, out.citations[0].page, out.citations[0].offset) == (1, "10", 2)
    assert (out.footnotes[0].footnote_no, out.footnotes[0].text) == (3, "参见某书。")


def test_title_byline_and_affiliation_of_a_text_article_stay_apart() -> None:
    """Short unpunctuated lines at the top do not make a text look hard-wrapped, and a byline under a
    plain-text title is front matter, not part of the title nor body text."""
    body = "数字经济的发展为新质生产力提供了新的动力，这一点在各地的实践中都已得到了充分的证明。"
    text = ("数字经济对新质生产力的影响研究\n\n张三  李四\n\n（北京大学经济学院，北京 100871）\n\n"
            "摘要：本文研究数字经济对新质生产力的影响。\n\n关键词：数字经济；新质生产力\n\n一、引言\n\n"
            + f"{body}\n\n" * 3)
    blocks, _, _ = layout_text(text)
    assert [b.text for b in blocks[:3]] == ["数字经济对新质生产力的影响研究", "张三  李四",
                                            "（北京大学经济学院，北京 100871）"]
    out = build_structure(blocks)
    assert out.title == "数字经济对新质生产力的影响研究"
    assert [u.field for u in out.units[:4]] == ["title", "front", "front", "abstract"]
    assert [u.field for u in out.units][-1] == "body" and "张三" not in out.units[-1].text


def test_hard_wrapped_text_is_still_joined() -> None:
    line = "数字经济的发展为新质生产力提供了新的动力，这一点在各地的实践中"
    text = "示例标题\n\n" + "\n".join([line] * 6) + "都已得到证明。\n"
    blocks, _, _ = layout_text(text)
    assert [b.kind for b in blocks] == [PARA, PARA] and blocks[1].text.count("\n") == 5


def test_citation_ranges_expand() -> None:
    out = build_structure([Block(PARA, "见前文[1,3-5]。")])
    assert [c.number for c in out.citations] == [1, 3, 4, 5]


def test_unwrapped_text_is_one_paragraph_per_line() -> None:
    text = "示例市政府工作报告\n各位代表：\n　　一、工作回顾\n　　过去一年，经济增长5%。\n　　民生持续改善。\n"
    blocks, _, _ = layout_text(text)
    assert [(b.kind, b.text) for b in blocks] == [
        (PARA, "示例市政府工作报告"), (PARA, "各位代表："), (HEADING, "一、工作回顾"),
        (PARA, "过去一年，经济增长5%。"), (PARA, "民生持续改善。")]


def test_page_furniture_in_text_needs_a_sentence_running_across() -> None:
    body = ["因地制宜发展新质生产力是中国共产党对发展", "新质生产力的规律性认识，生动体现了马克思主",
            "义世界观和方法论的精髓要义，是辩证唯物主"]
    lines = [*body, "", "12", "", "某某期刊论文标题", "", "义在社会主义生产力理论中的具体运用。", *body]
    blocks, log, headers = layout_text("\n".join(lines))
    assert headers == ["某某期刊论文标题"]
    assert {e.step for e in log} == {"page_numbers_removed", "running_header_removed"}
    assert "辩证唯物主义在社会主义生产力" in "".join(b.text for b in blocks).replace("\n", "")
    # At a sentence end the line after the page number may be a heading or a caption: kept.
    lines = [*body[:2], "义世界观和方法论的精髓要义。", "", "12", "", "某某期刊论文标题", "", *body]
    _, log, headers = layout_text("\n".join(lines))
    assert headers == [] and [e.step for e in log] == ["page_numbers_removed"]


def test_numbers_in_a_table_are_not_page_numbers() -> None:
    rows = []
    for i in range(1, 8):
        rows += ["智能车间建设类", str(i), "某某有限公司智能工厂项目", "已发布"]
    kept, log, _ = remove_page_furniture(rows)
    assert kept == rows and log == []


def test_contents_that_are_the_whole_text_are_kept() -> None:
    toc = [Block(TITLE, "目录", 1)]
    for name, page, date in (("关于作战的原则", 1, "八月一日"), ("对国防问题的意见", 3, "八月四日"),
                             ("同各方接洽的态度", 6, "八月十日")):
        toc += [Block(PARA, f"{name}……………………{page}", 1), Block(PARA, f"（一九三七年{date}）", 1)]
    out = build_structure(toc)
    assert "关于作战的原则……………………1" in [u.text for u in out.units]
    assert [e.step for e in out.log] == ["table_of_contents_kept"]
    # beside real text the same contents go
    body = [Block(HEADING, "关于作战的原则", 2)] + [Block(PARA, "正文说明了作战的各项原则和要求。" * 3, 2)] * 3
    assert [e.step for e in build_structure(toc + body).log] == ["table_of_contents_removed"]


def test_the_document_type_line_under_a_red_header_is_the_title() -> None:
    # the red header (the issuer's name, set largest) taken as the title by the extractor, or left as a line
    for header in (Block(TITLE, "国务院文件", 1), Block(PARA, "中国证券投资基金业协会", 1)):
        blocks = [header, Block(PARA, "国发〔2024〕1号", 1), Block(HEADING, "纪律处分决定书", 1, 1),
                  Block(PARA, "当事人：某某，男，1979年11月出生。", 1), Block(HEADING, "一、基本事实", 1, 1)]
        out = build_structure(blocks)
        assert out.title == "纪律处分决定书" and [e.step for e in out.log] == ["title_under_masthead"]
        assert [u.field for u in out.units if u.text == header.text] == ["front" if header.kind == TITLE else "body"]
        assert [s.title for s in out.sections] == ["一、基本事实"]
    # the extractor's own title under the header stands; a header with no typed line under it is left as it was
    own = [Block(PARA, "国务院文件", 1), Block(TITLE, "国务院关于促进消费的若干措施", 1), Block(PARA, "各省。", 1)]
    assert build_structure(own).title == "国务院关于促进消费的若干措施"
    plain = [Block(TITLE, "国务院办公厅", 1), Block(PARA, "各省、自治区、直辖市人民政府：", 1)]
    assert build_structure(plain).title == "国务院办公厅" and not build_structure(plain).log


def test_cover_labels_are_passed_over_for_the_title() -> None:
    from corpus_tool.reading.structure import fallback_title

    school = Block(PARA, "北京师范大学珠海分校", 1, source="ocr", ocr_confidence=90.0)
    genre = Block(FRONT, "本科生毕业论文", 1, source="ocr", ocr_confidence=95.0)
    title = Block(PARA, "城市更新中的政策工具选择研究", 1, source="ocr", ocr_confidence=92.0)
    body = Block(PARA, "本文研究了政策工具的选择。", 2, source="ocr", ocr_confidence=92.0)
    out = build_structure([school, genre, title, body])
    assert out.title == title.text
    assert [u.field for u in out.units if u.text == title.text] == ["title"]  # once, as the title
    assert [u.text for u in out.units if u.field != "title"][:2] == [school.text, genre.text]  # kept as text
    assert "北京师范大学珠海分校; 本科生毕业论文" in {e.step: e.detail for e in out.log}["cover_label_not_title"]
    # the title read unsurely by OCR (its logo misread): no title rather than the school's name
    unsure = Block(PARA, "北京师范大学珠海分校学术论文KIPX模", 1, source="ocr", ocr_confidence=78.0)
    assert build_structure([school, genre, unsure, body]).title == ""
    assert fallback_title([school, Block(HEADING, "第一章 绪论", 1)]) == (None, [school])
    # a title that is no cover label stays the title; one character or a later page is none
    assert fallback_title([title, body])[0] is title
    assert fallback_title([school, Block(PARA, "版", 1)])[0] is None
    assert fallback_title([school, body])[0] is None
    # a cover is a page: the first line of a text file is its title, ending in 大学 or not
    text_file = [Block(PARA, "建设世界一流大学"), Block(PARA, "本文研究了高校建设。")]
    assert build_structure(text_file).title == "建设世界一流大学"


def test_keywords_must_be_words() -> None:
    from corpus_tool.reading.structure import plausible_keywords

    text = "论文里面公式越多，TEX就越happy。本模板支持 CJK 字符。"
    ocr = ["TEX", "JEX", "CI有", "模板", "论文", "—"]
    assert plausible_keywords(ocr, True, text) == (["TEX", "模板", "论文"], ["JEX", "CI有", "—"])
    # a text layer's keywords are as printed (a term found nowhere else is no misreading); symbols are no words
    assert plausible_keywords(["GDP", "5G网络", "1)"], False, "") == (["GDP", "5G网络"], ["1)"])
    block = Block(FRONT, "关键词：TEX；JEX；CI有；模板；论文", 1, source="ocr", ocr_confidence=57.0)
    out = build_structure([Block(TITLE, "论题"), block, Block(PARA, text, 1, source="ocr", ocr_confidence=90.0)])
    assert out.keywords == ["TEX", "模板", "论文"]
    assert [u.text for u in out.units if u.field == "keywords"] == ["TEX；模板；论文"]
    rejected = {e.step: e for e in out.log}["keywords_rejected"]
    assert rejected.count == 2 and "JEX；CI有" in rejected.detail
    junk = Block(FRONT, "关键词：JEX；CI有", 1, source="ocr", ocr_confidence=40.0)
    out = build_structure([Block(TITLE, "论题"), junk])
    assert out.keywords == [] and not any(u.field == "keywords" for u in out.units)


def test_latin_junk_ocr_headings_of_a_chinese_text_are_body() -> None:
    def ocr(kind: str, text: str, conf: float) -> Block:
        return Block(kind, text, 1, 1 if kind == HEADING else None, "ocr", conf)

    body = ocr(PARA, "对于需要在论文中放入源代码的同学，可以使用宏包listings，设置代码语法高亮显示。", 92.0)
    blocks = [ocr(HEADING, "1.7插入源代码", 54.0), body, ocr(HEADING, "QuickSort", 66.0), body,
              ocr(HEADING, "Tsinghua University", 83.0), ocr(HEADING, "1.1 Single-Objective Programming", 70.0),
              ocr(HEADING, "致谢", 12.0), body, Block(HEADING, "ABSTRACT", 1, 1)]
    out = build_structure(blocks)
    assert [s.title for s in out.sections] == ["1.7插入源代码", "1.1 Single-Objective Programming", "致谢",
                                               "ABSTRACT"]
    assert [u.field for u in out.units if u.text in ("QuickSort", "Tsinghua University")] == ["body", "body"]
    assert "QuickSort (66); Tsinghua University (83)" in {e.step: e.detail for e in out.log}["ocr_heading_demoted"]
    # read surely, or in an English text, a Latin heading stays one
    assert [s.title for s in build_structure([ocr(HEADING, "QuickSort", 90.0), body]).sections] == ["QuickSort"]
    english = ocr(PARA, "The general form of single-objective programming is written as follows.", 90.0)
    assert [s.title for s in build_structure([ocr(HEADING, "QuickSort", 66.0), english]).sections] == ["QuickSort"]


def test_the_entries_under_a_reference_list_are_references_as_printed() -> None:
    blocks = [Block(TITLE, "政策工具研究"), Block(HEADING, "一、引言", 1, 1), Block(PARA, "正文引用了文献[1]。", 1),
              Block(HEADING, "参 考 文 献", 2, 1), Block(PARA, "[1] 张三. 政策工具论[M]. 北京: 人民出版社, 2020.", 2),
              Block(PARA, "[2] Li S. Policy tools[J]. Public Admin, 2021, 3(2): 1-9.", 2),
              Block(HEADING, "致谢", 2, 1), Block(PARA, "感谢导师。", 2)]
    out = build_structure(blocks)
    fields = [(u.field, u.text) for u in out.units]
    assert ("reference", "[1] 张三. 政策工具论[M]. 北京: 人民出版社, 2020.") in fields  # its [1] stays: no citation
    assert [f for f, t in fields if t.startswith("[2]")] == ["reference"]
    assert ("body", "感谢导师。") in fields and ("body", "正文引用了文献。") in fields  # a heading ends the list
    assert [c.number for c in out.citations] == [1]
