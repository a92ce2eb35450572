"""Text reuse (State Council → Shandong documents) and compare (the 2023 and 2024 government work reports),
end to end on the real files: each corpus is ingested once for the module. Small unit tests cover the
alignment, the direction rule and the sentence matching."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import shared_path
from typer.testing import CliRunner

from corpus_tool.analyse.policy.align import align
from corpus_tool.analyse.policy.compare import Sentence as CSentence
from corpus_tool.analyse.policy.compare import align_sentences, compare, mask_numbers
from corpus_tool.analyse.policy.reuse import _direction, reuse
from corpus_tool.analyse.policy.shingles import DocIndex, shingle_hashes, skeleton
from corpus_tool.cli.app import app
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.run import segment_corpus

POLICIES = ("data", "policy_corpus", "central_and_shandong_policies_2013_2024")
REPORTS = ("data", "policy_corpus", "gov_work_reports_wikisource_1954_2025")
SIDES = {"source_where": "level = central", "target_where": "level = shandong"}


def _manifest_rows(root: Path) -> list[dict[str, str]]:
    with open(root / "manifest.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# -- fixtures -------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def policy_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The State Council documents and every Shandong document, with their dates and a ``level`` field."""
    root = shared_path(*POLICIES)
    tmp = tmp_path_factory.mktemp("reuse")
    manifest = tmp / "manifest.csv"
    files = []
    with open(manifest, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["file", "date", "level"])
        for r in _manifest_rows(root):
            central = r["doc_id"].startswith("central_") and "State Council" in r["issuer"]
            if central or r["doc_id"].startswith("shandong_"):
                w.writerow([Path(r["file"]).name, r["date"], "central" if central else "shandong"])
                files.append(root / r["file"])
    assert len(files) > 60
    db = tmp / "policies.duckdb"
    assert ingest_paths(files, db, manifests=[manifest]).failed == 0
    return db


@pytest.fixture(scope="module")
def policy_reuse(policy_db: Path):
    return reuse(policy_db, **SIDES)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[int, Path]]:
    """The 2022, 2023 and 2024 national government work reports, ingested with their years and segmented."""
    root = shared_path(*REPORTS)
    tmp = tmp_path_factory.mktemp("compare")
    files = {int(r["year"]): root / r["file"] for r in _manifest_rows(root)
             if r["doc_id"].startswith("wks_gov_") and r["year"] in ("2022", "2023", "2024")}
    assert sorted(files) == [2022, 2023, 2024]
    manifest = tmp / "manifest.csv"
    with open(manifest, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["file", "year"])
        for year, path in files.items():
            w.writerow([path.name, year])
    db = tmp / "reports.duckdb"
    assert ingest_paths(list(files.values()), db, manifests=[manifest]).failed == 0
    segment_corpus(db, SegmentSettings())
    return db, files


@pytest.fixture(scope="module")
def report_compare(reports):
    return compare(reports[0], "year = 2023", "year = 2024")


# -- text reuse on the real documents -------------------------------------------------------------------------
def _levels(db: Path) -> dict[str, str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT doc_id, json_extract_string(fields, '$.level') FROM documents").fetchall())
    finally:
        con.close()


def test_reuse_finds_central_passages_in_shandong_documents(policy_db: Path, policy_reuse) -> None:
    passages, pairs = policy_reuse.table, policy_reuse.tables["pairs"]
    level = _levels(policy_db)
    directed = passages[passages["direction"] == "directed"]
    assert len(directed) > 0
    # The earlier document is always the source.
    assert (directed["source_date"] <= directed["target_date"]).all()
    assert (directed["source_date"] != directed["target_date"]).all()
    down = directed[(directed["source_doc_id"].map(level) == "central")
                    & (directed["target_doc_id"].map(level) == "shandong")]
    assert len(down) >= 5
    # Taken over, not only formulas: some passages are long and shared by this pair alone.
    assert (down[~down["boilerplate"]]["length"] >= 60).any()
    # Every passage is on both sides of the chosen split, at least min_length long, similar as required.
    assert set(passages["source_doc_id"].map(level)) | set(passages["target_doc_id"].map(level)) <= {
        "central", "shandong"}
    assert (passages["source_doc_id"].map(level) != passages["target_doc_id"].map(level)).all()
    assert (passages["length"] >= 30).all() and (passages["similarity"] >= 0.8).all()
    assert pairs["target_share"].dropna().between(0, 1).all()


def test_reuse_offsets_point_at_the_texts(policy_db: Path, policy_reuse) -> None:
    import duckdb

    con = duckdb.connect(str(policy_db), read_only=True)
    try:
        for r in policy_reuse.table.head(40).itertuples(index=False):
            for side in ("source", "target"):
                doc = getattr(r, f"{side}_doc_id")
                p0, o0 = getattr(r, f"{side}_para_start"), getattr(r, f"{side}_offset_start")
                p1, o1 = getattr(r, f"{side}_para_end"), getattr(r, f"{side}_offset_end")
                text = getattr(r, f"{side}_text")
                first = con.execute("SELECT text FROM paragraphs WHERE doc_id = ? AND para_no = ?",
                                    [doc, p0]).fetchone()[0]
                last = con.execute("SELECT text FROM paragraphs WHERE doc_id = ? AND para_no = ?",
                                   [doc, p1]).fetchone()[0]
                if p0 == p1:
                    assert first[o0:o1] == text
                else:
                    assert text.startswith(first[o0:]) and text.endswith(last[:o1])
    finally:
        con.close()


def test_boilerplate_is_flagged_by_how_many_documents_share_it(policy_reuse) -> None:
    passages = policy_reuse.table
    flagged = passages[passages["boilerplate"]]
    assert len(flagged) > 0
    assert (flagged["docs_sharing"] >= 10).all()
    assert (passages.loc[~passages["boilerplate"], "docs_sharing"] < 10).all()
    assert (passages["weight"] <= 1).all()


def test_a_formula_beside_a_differing_heading_is_boilerplate(policy_reuse) -> None:
    # The guiding-ideology formula opens most of these plans, after headings that differ (指导思想 / 总体思路):
    # counted over the n-grams both sides share, a passage that is mostly the formula is flagged.
    passages = policy_reuse.table
    formula = "以习近平新时代中国特色社会主义思想为指导"
    mostly = passages[passages["target_text"].str.contains(formula, regex=False)
                      & (passages["length"] <= 2 * len(formula) + 10)]
    assert len(mostly) >= 3
    assert mostly["boilerplate"].all(), mostly[["docs_sharing", "target_text"]].to_string()


def test_reuse_tables_have_chinese_headers(policy_reuse, report_compare) -> None:
    from corpus_tool.export.headers import ZH_HEADERS

    tables = [policy_reuse.table, *policy_reuse.tables.values(), report_compare.table,
              *report_compare.tables.values()]
    missing = {c for t in tables for c in t.columns if c not in ZH_HEADERS}
    assert not missing
    # A passage is not a paragraph (段落): the headers say 文段.
    assert "段落" not in ZH_HEADERS["passages"] and "文段" in ZH_HEADERS["passages"]


def test_the_same_text_under_two_dates_is_whole_document_reuse(tmp_path: Path) -> None:
    # central_162 and central_007 are one text (one leading space apart) with manifest dates eleven years apart;
    # ingest keeps two years apart as versions, so reuse must not call the pair partial reuse.
    root = shared_path(*POLICIES)
    rows = {r["doc_id"]: r for r in _manifest_rows(root)}
    chosen = ["central_162", "central_007", "central_001"]
    manifest = tmp_path / "manifest.csv"
    with open(manifest, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["file", "date", "code"])
        for d in chosen:
            w.writerow([Path(rows[d]["file"]).name, rows[d]["date"], d])
    db = tmp_path / "whole.duckdb"
    assert ingest_paths([root / rows[d]["file"] for d in chosen], db, manifests=[manifest]).failed == 0
    res = reuse(db)
    pairs = res.tables["pairs"]
    code = dict(pd.read_csv(manifest)[["file", "code"]].values)
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        name = {d: code[Path(p).name] for d, p in con.execute("SELECT doc_id, source_path FROM documents").fetchall()}
    twin = pairs[pairs["source_doc_id"].map(name).isin(chosen[:2]) & pairs["target_doc_id"].map(name).isin(chosen[:2])]
    assert len(twin) == 1 and twin.iloc[0]["kind"] == "whole" and twin.iloc[0]["target_share"] > 0.99
    assert (res.table.loc[res.table["source_doc_id"] == twin.iloc[0]["source_doc_id"], "kind"] == "whole").all()
    assert not (pairs.loc[pairs.index != twin.index[0], "kind"] == "whole").any()
    assert any("kind whole" in w for w in res.warnings)


def _paragraph_with_sentence_before(lines: list[str]) -> int:
    """Index of a long paragraph ending with 。 whose previous line ends with 。 too."""
    for k in range(1, len(lines)):
        if 80 <= len(lines[k]) <= 400 and lines[k].endswith("。") and lines[k - 1].endswith("。") \
                and lines.count(lines[k]) == 1:
            return k
    raise AssertionError("no suitable paragraph")


def test_a_copied_paragraph_is_aligned_exactly(tmp_path: Path) -> None:
    root = shared_path(*POLICIES)
    src_lines = [x.strip() for x in (root / "txt" / "central_010.txt").read_text("utf-8").splitlines() if x.strip()]
    tgt_lines = [x.strip() for x in (root / "txt" / "shandong_020.txt").read_text("utf-8").splitlines() if x.strip()]
    para = src_lines[_paragraph_with_sentence_before(src_lines)]
    assert para[:30] not in "".join(tgt_lines)
    at = next(k for k in range(len(tgt_lines) // 2, len(tgt_lines)) if tgt_lines[k].endswith("。"))
    folder = tmp_path / "pair"
    folder.mkdir()
    (folder / "source.txt").write_text("\n".join(src_lines) + "\n", "utf-8")
    (folder / "target.txt").write_text("\n".join([*tgt_lines[:at + 1], para, *tgt_lines[at + 1:]]) + "\n", "utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,date\nsource.txt,2019-01-01\ntarget.txt,2021-06-30\n", "utf-8")
    db = tmp_path / "pair.duckdb"
    assert ingest_paths([folder], db, manifests=[manifest]).failed == 0
    result = reuse(db)
    found = result.table[result.table["source_text"] == para]
    assert len(found) == 1
    row = found.iloc[0]
    assert row["target_text"] == para and row["similarity"] == 1.0 and row["direction"] == "directed"
    assert row["source_date"] == "2019-01-01" and row["kind"] == "partial"
    pair = result.tables["pairs"].iloc[0]
    assert 0 < pair["target_share"] < 0.5


def test_reuse_exports_are_byte_identical(policy_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a", "b"):
        res = runner.invoke(app, ["reuse", "--db", str(policy_db), "--sources", SIDES["source_where"], "--targets",
                                  SIDES["target_where"], "-o", str(tmp_path / name / "reuse.csv"), "--graph-dir",
                                  str(tmp_path / name / "graph")])
        assert res.exit_code == 0, res.output
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"reuse.csv", "reuse.pairs.csv", "reuse.issuers.csv", "issuers.gexf",
                                       "issuers.graphml"}
    for p in files:
        if not p.name.endswith(".run.json"):
            assert (tmp_path / "a" / p).read_bytes() == (tmp_path / "b" / p).read_bytes(), p
    res = runner.invoke(app, ["reuse", "--db", str(policy_db), "--sources", SIDES["source_where"], "--targets",
                              SIDES["target_where"], "--plot", str(tmp_path / "network.png")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "network.png").read_bytes()[:4] == b"\x89PNG"
    res = runner.invoke(app, ["reuse", "--db", str(policy_db), "--sources", "level = nowhere"])
    assert res.exit_code == 2 and "--sources" in res.output
    issuers = pd.read_csv(tmp_path / "a" / "reuse.issuers.csv")
    assert issuers["pairs"].sum() == (pd.read_csv(tmp_path / "a" / "reuse.pairs.csv")["direction"]
                                      == "directed").sum()


# -- compare on the government work reports -------------------------------------------------------------------
def _sentences(path: Path) -> list[str]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        out += [s.strip() for s in re.split(r"(?<=[。！？；])", line) if s.strip()]
    return out


def test_compare_lists_new_terms_of_2024(report_compare) -> None:
    terms = report_compare.tables["terms"]
    row = terms[terms["term"] == "新质生产力"]
    assert len(row) == 1 and row.iloc[0]["count"] >= 1
    assert "【新质生产力】" in row.iloc[0]["contexts"]
    assert terms["term"].str.len().min() >= 3


def test_compare_keeps_an_unchanged_sentence(reports, report_compare) -> None:
    _, files = reports
    s23, s24 = _sentences(files[2023]), _sentences(files[2024])
    common = [s for s in s24 if len(s) >= 15 and s23.count(s) == 1 and s24.count(s) == 1]
    assert common, "the two reports share no sentence"
    table = report_compare.table
    for s in common[:5]:
        rows = table[(table["text_a"] == s) | (table["text_b"] == s)]
        assert list(rows["status"]) == ["kept"], s
    new_or_dropped = set(table.loc[table["status"].isin(["new", "dropped"]), "text_a"].dropna()) | set(
        table.loc[table["status"].isin(["new", "dropped"]), "text_b"].dropna())
    assert not set(common) & new_or_dropped


def test_compare_counts_and_novelty(report_compare) -> None:
    t, summary, docs = report_compare.table, report_compare.tables["summary"], report_compare.tables["documents"]
    assert set(summary["status"]) == {"kept", "changed", "new", "dropped"}
    assert summary["sentences"].sum() == len(t)
    changed = t[t["status"] == "changed"]
    assert (changed["ratio"] >= 0.6).all() and changed["text_a"].notna().all() and changed["text_b"].notna().all()
    b = docs[docs["version"] == "B"].iloc[0]
    assert 0 < b["novelty_share"] < 1
    assert b["new"] == (t["status"] == "new").sum()


def test_compare_all_earlier_baseline(reports) -> None:
    db, _ = reports
    prev = compare(db, "year = 2023", "year = 2024")
    every = compare(db, "year = 2023", "year = 2024", baseline="all-earlier")
    assert every.params["baseline_documents"] == 2
    assert set(every.tables["terms"]["term"]) <= set(prev.tables["terms"]["term"])
    assert "新质生产力" in set(every.tables["terms"]["term"])


def test_new_terms_say_when_they_were_used_before(reports, report_compare) -> None:
    # Against last year's report alone, words used for years are "new"; earlier_year names the first earlier
    # year that has them, and the terms without one are exactly those of the all-earlier baseline.
    db, files = reports
    terms = report_compare.tables["terms"]
    before = terms[terms["earlier_year"].notna()]
    assert len(before) > 0 and set(before["earlier_year"]) == {2022}
    text_2022 = files[2022].read_text("utf-8")
    assert all(t in text_2022 for t in before["term"])
    every = compare(db, "year = 2023", "year = 2024", baseline="all-earlier").tables["terms"]
    assert set(terms.loc[terms["earlier_year"].isna(), "term"]) == set(every["term"])
    assert every["earlier_year"].isna().all()
    assert any("earlier_year" in w for w in report_compare.warnings)


def test_compare_takes_a_document_by_file_name(reports, report_compare) -> None:
    db, files = reports
    by_name = compare(db, files[2023].stem, files[2024].name)
    assert by_name.params["documents_a"] == report_compare.params["documents_a"]
    pd.testing.assert_frame_equal(by_name.table, report_compare.table)
    with pytest.raises(ValueError, match="names no document"):
        compare(db, "no_such_report", files[2024].name)


def test_ordinals_are_not_new_terms(reports, report_compare) -> None:
    _, files = reports
    ordinal = re.compile(r"第[一二三四五六七八九十]+[次届轮代批]")
    assert ordinal.search(files[2024].read_text("utf-8"))  # the report has them
    assert not report_compare.tables["terms"]["term"].str.match(r"^第[〇零一二两三四五六七八九十百千万0-9]").any()


def test_compare_cli_and_bytes(reports, tmp_path: Path) -> None:
    db, _ = reports
    runner = CliRunner()
    for name in ("a", "b"):
        res = runner.invoke(app, ["compare", "year = 2023", "year = 2024", "--db", str(db), "-o",
                                  str(tmp_path / f"{name}.csv")])
        assert res.exit_code == 0, res.output
    for suffix in (".csv", ".terms.csv", ".summary.csv", ".documents.csv"):
        assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()
    res = runner.invoke(app, ["compare", "year = 2023", "year = 2024", "--db", str(db), "--plot",
                              str(tmp_path / "changes.png")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "changes.png").read_bytes()[:4] == b"\x89PNG"
    res = runner.invoke(app, ["compare", "year = 1900", "year = 2024", "--db", str(db)])
    assert res.exit_code == 2 and "no document matches" in res.output


def test_methods_describe_reuse_and_compare(policy_reuse, report_compare) -> None:
    from corpus_tool.notebook import Result

    text = Result.from_analysis(policy_reuse).methods("en")
    assert "10-character" in text and "earlier" in text and "30 characters" in text
    text = Result.from_analysis(report_compare).methods("en")
    assert "0.6" in text and "masked" in text


# -- units ------------------------------------------------------------------------------------------------------
def _doc(doc_id: str, *paras: str):
    return skeleton(doc_id, list(enumerate(paras)))


def test_alignment_bridges_a_reworded_stretch() -> None:
    shared_1 = "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神"
    shared_2 = "加快推进数字经济与实体经济深度融合，打造具有国际竞争力的数字产业集群。"
    a = _doc("a", "前言不同的内容甲乙丙。", shared_1 + "，认真落实" + shared_2)
    b = _doc("b", "另一篇的开头完全不同。", shared_1 + "，切实执行" + shared_2)
    n = 8
    ia, ib = DocIndex.build(shingle_hashes(a.codes(), n)), DocIndex.build(shingle_hashes(b.codes(), n))
    out = align(a, b, ia, ib, n=n, min_length=30,
                min_similarity=0.8, max_gap=20, snap=10)
    assert len(out) == 1
    p = out[0]
    assert a.text(p.a_start, p.a_end) == shared_1 + "，认真落实" + shared_2
    assert b.text(p.b_start, p.b_end) == shared_1 + "，切实执行" + shared_2
    assert 0.9 < p.similarity < 1


def test_direction_from_dates_at_their_common_precision() -> None:
    info = pd.DataFrame({"date": ["2020-05-01", "2021", "2020", None, "2020-05-01"]},
                        index=["x", "y", "z", "u", "w"])
    assert _direction(info, "y", "x") == ("x", "y", "directed")
    assert _direction(info, "x", "z")[2] == "same_date"  # 2020-05-01 vs 2020: the year only
    assert _direction(info, "x", "u")[2] == "unknown_date"
    assert _direction(info, "x", "w")[2] == "same_date"


def test_numbers_are_masked_and_rewording_is_a_change() -> None:
    assert mask_numbers("2024年经济增长5%左右，二〇二三年") == "#年经济增长#%左右，#年"

    def s(text: str) -> CSentence:
        return CSentence("d", 0, text, text, mask_numbers(text))

    a = [s("今年发展主要预期目标是国内生产总值增长5%左右。"), s("城镇新增就业1200万人左右。"),
         s("坚决打好污染防治攻坚战。")]
    b = [s("今年发展主要预期目标是国内生产总值增长5%左右。"), s("城镇新增就业1300万人左右。"),
         s("持续深入打好污染防治攻坚战。"), s("大力推进现代化产业体系建设。")]
    rows = align_sentences(a, b, ratio=0.6)
    assert [r["status"] for r in rows] == ["kept", "changed", "changed", "new"]
    assert rows[1]["numbers_only"] and not rows[2]["numbers_only"]
    assert rows[2]["diff"] == "[-坚决-]{+持续深入+}打好污染防治攻坚战。"


# -- the notebook API -------------------------------------------------------------------------------------------
def test_corpus_methods_plot_and_save(policy_db: Path, reports, tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    import corpus_tool as ct

    r = ct.Corpus(policy_db).reuse(**SIDES)
    assert len(r.passages) > 0 and len(r.pairs) > 0 and len(r.issuers) > 0
    assert isinstance(r.plot(), Figure) and isinstance(r.plot("heatmap"), Figure)
    paths = r.to_files(tmp_path / "reuse.csv", graph_dir=tmp_path / "graph")
    assert (tmp_path / "graph" / "issuers.gexf").exists() and len(paths) == 7
    record = (tmp_path / "reuse.csv.run.json").read_text("utf-8")
    assert "corpus-tool reuse" in record and "--sources" in record
    c = ct.Corpus(reports[0]).compare("year = 2023", "year = 2024")
    assert isinstance(c.plot(), Figure)
    assert len(c.status("kept")) == int((c.table["status"] == "kept").sum()) > 0
    assert "新质生产力" in set(c.terms["term"])


def test_passage_ends_snap_to_a_shared_boundary() -> None:
    """Both documents end the paragraph before the copied one with 推进发展。: the exact match starts there, and the
    passage is cut back to the copied paragraph (it would keep the coincidence with snap=0)."""
    para = "支持企业建设工业互联网平台，推动研发设计、生产制造、经营管理等环节数字化改造，培育一批示范项目。"
    a = _doc("a", "第一篇前文内容甲乙丙丁加快推进发展。", para, "后文完全不同的第一篇结尾。")
    b = _doc("b", "第二篇另写的开头戊己庚辛加快推进发展。", para, "另一篇结尾也不相同啊。")
    n = 8
    ia, ib = DocIndex.build(shingle_hashes(a.codes(), n)), DocIndex.build(shingle_hashes(b.codes(), n))
    snapped = align(a, b, ia, ib, n=n, min_length=30, min_similarity=0.8, max_gap=20, snap=10)
    raw = align(a, b, ia, ib, n=n, min_length=30, min_similarity=0.8, max_gap=20, snap=0)
    assert [a.text(p.a_start, p.a_end) for p in snapped] == [para]
    assert [b.text(p.b_start, p.b_end) for p in snapped] == [para]
    assert a.text(raw[0].a_start, raw[0].a_end) == "加快推进发展。\n" + para


def test_a_traditional_character_baseline_is_read_as_the_tokens_are(tmp_path: Path) -> None:
    """Tokens read traditional characters as simplified (the default): so does compare's baseline text, or every
    term of a traditional report would come out new against it; trend finds 發展 as the token 发展."""
    from corpus_tool.analyse.policy.trend import term_trend

    old = tmp_path / "a.txt"
    new = tmp_path / "b.txt"
    old.write_text("關於工作的報告\n\n我們要推進高質量發展，發展數字經濟，建設現代化產業體系。\n", "utf-8")
    new.write_text("关于工作的报告\n\n我们要推进高质量发展，发展数字经济，加快发展新质生产力。\n", "utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,year\na.txt,2023\nb.txt,2024\n", "utf-8")
    db = tmp_path / "c.duckdb"
    assert ingest_paths([old, new], db, manifests=[manifest]).failed == 0
    segment_corpus(db, SegmentSettings())
    terms = set(compare(db, "year = 2023", "year = 2024").tables["terms"]["term"])
    assert "新质生产力" in terms
    assert not terms & {"高质量发展", "数字经济"}, terms
    counts = term_trend(db, ["發展"], count="token").table
    assert counts.set_index("year")["count"].to_dict() == {2023: 1, 2024: 2}  # 高质量发展 is one token
