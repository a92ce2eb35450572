"""Policy measures end to end on the central and Shandong policy documents (2013–2024): policy strength,
two-dimensional coding and terms over time; small unit tests where the logic is subtle (issuer levels,
forms read from English titles, joint issuers)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import shared_path
from test_analyse_corpora import build_policy_db, cached_db
from typer.testing import CliRunner

from corpus_tool.analyse.policy.crosscode import crosscode, split_units
from corpus_tool.analyse.policy.strength import english_form, load_scale, score_document, strength
from corpus_tool.api import Corpus
from corpus_tool.cli.app import app

COLLECTION = "central_and_shandong_policies_2013_2024"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def policy_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = shared_path("data", "policy_corpus")
    return cached_db(tmp_path_factory, "central_shandong",
                     lambda p: build_policy_db(p, corpus, (COLLECTION,), jobs=2))


@pytest.fixture(scope="module")
def selected(policy_db: Path) -> set[str]:
    with duckdb.connect(str(policy_db), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT doc_id FROM documents WHERE canonical_id IS NULL").fetchall()}


@pytest.fixture(scope="module")
def scored(policy_db: Path):
    return strength(policy_db, dictionary="corpus_tool/analyse/data/policy_instruments.yaml")


@pytest.fixture(scope="module")
def crossed(policy_db: Path):
    return crosscode(policy_db, "starter", "innovation_chain")


# -- policy strength ------------------------------------------------------------------------------------------
def test_every_document_is_scored_or_listed_with_a_reason(scored, selected: set[str]) -> None:
    table, unscored = scored.table, scored.tables["unscored"]
    assert set(table["doc_id"]) | set(unscored["doc_id"]) == selected
    assert not set(table["doc_id"]) & set(unscored["doc_id"])
    assert len(table) > len(unscored) > 0
    assert table["strength"].between(1, 5).all()  # never 0: unknown documents are not in this table
    assert unscored["reason"].str.len().gt(0).all()
    assert scored.params["scored"] + scored.params["unscored"] == len(selected)
    assert any(f"{len(unscored)} of {len(selected)} documents" in w for w in scored.warnings)


def test_english_manifest_issuers_are_named_as_such(scored, policy_db: Path) -> None:
    """The manifest gives English issuers: the Chinese one read from the text is used when there is one,
    otherwise the English name is matched and the table says so."""
    table = scored.table
    with duckdb.connect(str(policy_db), read_only=True) as con:
        from_text = dict(con.execute("SELECT doc_id, text_value FROM metadata_conflicts WHERE field = 'issuer'")
                         .fetchall())
    english = table[~table["issuer"].fillna("").str.contains(HAN)]
    assert len(english) > 50
    for r in english.itertuples():
        if r.doc_id in from_text:
            assert r.issuers_scored == from_text[r.doc_id] and "manifest value in English" in r.issuer_source
        else:
            assert r.issuer_source.endswith("(English)") and not HAN.search(r.issuers_scored)
    # Organs of every rank are recognised from their English names.
    levels = set("、".join(english["issuer_levels"]).split("、"))
    assert {"state_council", "ministry", "provincial", "municipal"} <= levels
    state = table[table["issuer_levels"] == "state_council"]
    assert state["issuers_scored"].str.fullmatch("State Council.*|国务院").all()


def test_aggregates_by_year_add_up(scored, selected: set[str]) -> None:
    by_year, table = scored.tables["by_year"], scored.table
    assert by_year["documents"].sum() == len(selected)  # every document has a year in this corpus
    assert (by_year["scored"] + by_year["unscored"] == by_year["documents"]).all()
    sums = table.groupby("year")["strength"].sum()
    for r in by_year.itertuples():
        assert r.strength_sum == pytest.approx(sums.get(r.year, 0.0))
        if r.scored:
            assert r.strength_mean == pytest.approx(r.strength_sum / r.scored)


def test_joint_issuers_follow_the_rule(policy_db: Path, scored) -> None:
    high = scored.table.set_index("doc_id")
    total = strength(policy_db, joint="sum").table.set_index("doc_id")
    mean = strength(policy_db, joint="mean").table.set_index("doc_id")
    joint = high[high["n_issuers"] > 1]
    assert len(joint) >= 5
    for doc_id, r in high.iterrows():
        parts = [float(s) for s in r["issuer_scores"].split("、")]
        assert len(parts) == r["n_issuers"]
        assert r["strength"] == max(parts)
        assert total.loc[doc_id, "strength"] == pytest.approx(sum(parts))
        assert mean.loc[doc_id, "strength"] == pytest.approx(sum(parts) / len(parts))


def test_instrument_by_strength_counts_scored_documents(scored) -> None:
    by_code = scored.tables["by_code"]
    assert set(by_code["strength"]) == set(scored.table["strength"])
    # A code's documents at a strength never exceed the scored documents with that strength.
    n_at = scored.table["strength"].value_counts()
    assert (by_code["documents"] <= by_code["strength"].map(n_at)).all()
    assert by_code["matches"].sum() > 0 and (by_code["matches"] >= by_code["documents"]).all()


def test_issuer_levels_and_scores() -> None:
    scale = load_scale()
    cases = {"全国人民代表大会常务委员会": "npc", "国务院": "state_council", "国务院办公厅": "central_office",
             "工业和信息化部": "ministry", "国家市场监督管理总局": "ministry", "山东省工业和信息化厅": "provincial",
             "济南市人民政府": "municipal", "北京市人民政府": "provincial", "中共中央": "party_centre"}
    assert {name: scale.level_of(name, english=False) for name in cases} == cases
    assert scale.level_of("General Office of the State Council", english=True) == "central_office"
    assert scale.level_of("Jinan Municipal People's Government", english=True) == "municipal"

    def doc(issuer: str, doc_type: str | None, relation: tuple[str, str | None] | None = None,
            title: str = "标题") -> dict:
        return {"doc_id": "x", "title": title, "issuer": issuer, "doc_type": doc_type, "relation": relation,
                "issuer_source": "content:标题", "text_issuer": None, "manifest_issuer": None}

    def score(d: dict, joint: str = "highest", form: str = "attachment") -> object:
        return score_document(d, scale, joint, form).get("strength")

    assert score(doc("全国人民代表大会常务委员会", "法")) == 5
    assert score(doc("国务院", "条例")) == 4
    assert score(doc("中共中央、国务院", "意见")) == 4
    assert score(doc("中共中央、国务院", "意见"), joint="sum") == 7
    assert score(doc("国务院", "意见")) == 3
    assert score(doc("工业和信息化部", "意见")) == 2
    assert score(doc("工业和信息化部", "通知")) == 1
    # A notice that issues a plan: the plan's form is scored (3 for the State Council), or the notice's own form.
    assert score(doc("国务院", "通知", ("印发", "规划"))) == 3
    assert score(doc("国务院", "通知", ("印发", "规划")), form="own") == 1
    unknown = score_document(doc("某某研究会", "意见"), scale, "highest", "attachment")
    assert "strength" not in unknown and "某某研究会" in unknown["reason"]
    assert "文种" in score_document(doc("国务院", None), scale, "highest", "attachment")["reason"]
    # No stored doc_type: the stored Chinese title is read by ingest's rules, 印发 included.
    assert score(doc("国务院", None, title="国务院关于印发国家职业教育改革实施方案的通知")) == 3
    unread = score_document(doc("国务院办公厅", None, title="国务院办公厅关于印发国家粮食应急预案的函"), scale,
                            "highest", "attachment")
    assert "attached document's form not read" in unread["reason"]
    assert score(doc("国务院办公厅", None, title="国务院办公厅关于印发国家粮食应急预案的函"), form="own") == 1


def test_forms_from_english_titles() -> None:
    scale = load_scale()
    title = "Guiding Opinions on Smart Forestry [English title from upstream]"
    assert english_form(title, scale) == ("意见", None, None)
    assert english_form("Three-Year Action Plan for Digital Commerce (2024-2026)", scale)[0] == "计划"
    assert english_form("Notice from the General Office of the Ministry of Commerce on Issuing Technical Guidelines "
                        "for Smart Stores (Trial)", scale) == ("通知", "印发", "指南")
    assert english_form("Participation of the Software Services Division in a Forum", scale) == (None, None, None)


@pytest.fixture(scope="module")
def state_council_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The State Council documents of the 2019 gov.cn crawl, with their Chinese manifest (no segmentation)."""
    from corpus_tool.reading.pipeline import ingest_paths

    base = shared_path("data", "policy_corpus", "state_council_docs_govcn_html_2019crawl")
    db = tmp_path_factory.mktemp("strength_sc") / "sc.duckdb"
    assert ingest_paths([base / "txt"], db, manifests=[base / "manifest.csv"]).failed == 0
    return db


def test_a_notice_issuing_a_document_is_scored_by_the_attachment(state_council_db: Path) -> None:
    # Ingest may take the form (通知, 函) from the manifest's title and store no relation; the 印发/转发 is then
    # read from that title here, so the notice is scored by what it issues or listed, never as a bare 通知.
    res = strength(state_council_db)
    scored, unscored = res.table, res.tables["unscored"]
    issuing = re.compile(r"印发|转发|批转")
    rows = scored[scored["title"].str.contains(issuing)]
    assert len(rows) >= 8
    assert rows["relation"].notna().all(), rows[["title", "relation"]].to_string()
    assert (rows["scored_type"] == rows["attachment_type"]).all()
    left = unscored[unscored["title"].str.contains(issuing)]
    assert len(left) >= 3 and left["reason"].str.contains("报告|请示|预案|attached document's form").all()
    plan = scored[scored["title"].str.contains("印发") & scored["title"].str.endswith("规定的通知")]
    assert len(plan) == 1 and plan.iloc[0]["attachment_type"] == "规定" and plan.iloc[0]["strength"] == 3


def test_users_scale_replaces_the_shipped_one(policy_db: Path, tmp_path: Path, selected: set[str]) -> None:
    own = tmp_path / "scale.yaml"
    own.write_text("issuer_levels:\n  - level: any\n    patterns: ['.']\n    english: ['.']\n"
                   "scores:\n  - {levels: [any], forms: ['*'], score: 7}\n", encoding="utf-8")
    out = tmp_path / "s.csv"
    res = CliRunner().invoke(app, ["strength", "--db", str(policy_db), "--scale", str(own), "--out", str(out)])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    unscored = pd.read_csv(tmp_path / "s.unscored.csv", encoding="utf-8-sig")
    assert set(table["strength"]) == {7}
    assert set(table["doc_id"]) | set(unscored["doc_id"]) == selected
    assert unscored["reason"].str.contains("文种").all()  # only documents without a form are left
    bad = tmp_path / "bad.yaml"
    bad.write_text("scores: []\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["strength", "--db", str(policy_db), "--scale", str(bad)])
    assert res.exit_code == 2 and "issuer_levels" in res.output


# -- two-dimensional coding -------------------------------------------------------------------------------------
def test_each_cell_count_equals_its_evidence_rows(crossed) -> None:
    cells, evidence = crossed.table, crossed.tables["evidence"]
    assert len(cells) == 15 * 5  # every X code × Y code, zeros included
    counts = evidence.groupby(["x_code", "y_code"]).size()
    for r in cells.itertuples():
        assert r.units == counts.get((r.x_code, r.y_code), 0)
    assert cells["units"].sum() == len(evidence) == crossed.params["assignments"]
    for x, share in cells.groupby("x_code")["row_share"].sum().items():
        assert share == pytest.approx(1.0) or cells.loc[cells["x_code"] == x, "units"].sum() == 0
    for _, share in cells.groupby("y_code")["col_share"].sum().items():
        assert share == pytest.approx(1.0)


def test_evidence_is_the_text_of_each_unit(crossed, policy_db: Path) -> None:
    evidence = crossed.tables["evidence"]
    for r in evidence.itertuples():
        for term in r.x_terms.split("；") + r.y_terms.split("；"):
            assert term in r.text
    # Multi-label: some units are in more than one cell, and the parameters count distinct units.
    per_unit = evidence.groupby(["doc_id", "unit_id"]).size()
    assert (per_unit > 1).any()
    assert crossed.params["units_in_cells"] == len(per_unit) < len(evidence)
    # A paragraph unit is the stored paragraph itself.
    sample = evidence.drop_duplicates(["doc_id", "para_no"]).head(20)
    with duckdb.connect(str(policy_db), read_only=True) as con:
        for r in sample.itertuples():
            text = con.execute("SELECT text FROM paragraphs WHERE doc_id = ? AND para_no = ?",
                               [r.doc_id, r.para_no]).fetchone()[0]
            assert text == r.text


def test_matrix_subtotals_and_totals(crossed) -> None:
    m = crossed.tables["matrix"]
    ycols = [c for c in m.columns if c not in ("x_category", "x_code", "x_label")]
    codes = m[~m["x_code"].isin(["小计 subtotal", "合计 total"])]
    for category, rows in codes.groupby("x_category"):
        sub = m[(m["x_category"] == category) & (m["x_code"] == "小计 subtotal")]
        assert (sub[ycols].to_numpy()[0] == rows[ycols].sum().to_numpy()).all()
    total = m[m["x_code"] == "合计 total"][ycols].to_numpy()[0]
    assert (total == codes[ycols].sum().to_numpy()).all() and total[-1] == len(crossed.tables["evidence"])


def test_sentence_units_and_document_weights(policy_db: Path) -> None:
    res = crosscode(policy_db, "starter", "innovation_chain", unit="sentence", normalise="document",
                    where="year >= 2023")
    ev = res.tables["evidence"]
    assert ev["sentence_no"].notna().all()
    assert not ev["text"].str[:-1].str.contains("[。！？；]").any()  # a sentence ends at its first mark
    # Each document with evidence weighs 1 in total.
    assert res.table["doc_weighted"].sum() == pytest.approx(ev["doc_id"].nunique())
    assert split_units("一是加强研发。二是推广应用；三是", "sentence") == [(1, "一是加强研发。"), (2, "二是推广应用；"),
                                                                        (3, "三是")]


def test_an_unknown_dictionary_names_the_shipped_ones(policy_db: Path) -> None:
    for args in (["crosscode", "--y", "innovation"], ["strength", "-d", "instruments"]):
        res = CliRunner().invoke(app, [*args, "--db", str(policy_db)])
        assert res.exit_code == 2 and "starter" in res.output and "innovation_chain" in res.output, res.output


# -- reproducible exports and plots ---------------------------------------------------------------------------
def test_same_inputs_give_byte_identical_csv(policy_db: Path, tmp_path: Path, scored, crossed) -> None:
    """A fresh CLI run writes the same bytes as the notebook result of an earlier run (same writer, same tables)."""
    from corpus_tool.analyse.policy.notebook import wrap_policy

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    wrap_policy(scored, policy_db, None).save(tmp_path / "a" / "strength.csv")
    wrap_policy(crossed, policy_db, None).save(tmp_path / "a" / "crosscode.csv")
    Corpus(policy_db).trend("人工智能,高质量发展").save(tmp_path / "a" / "trend.csv")
    runner = CliRunner()
    for args in (["strength", "-d", "corpus_tool/analyse/data/policy_instruments.yaml"],
                 ["crosscode", "--x", "starter", "--y", "innovation_chain"], ["trend", "人工智能,高质量发展"]):
        res = runner.invoke(app, [*args, "--db", str(policy_db), "--out", str(tmp_path / "b" / f"{args[0]}.csv")])
        assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "a").glob("*.csv"))
    assert names == sorted(p.name for p in (tmp_path / "b").glob("*.csv"))
    assert len(names) == 4 + 3 + 2  # strength, unscored, by_year, by_code; cells, matrix, evidence; trend, first_use
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_plots_draw_chinese_glyphs(policy_db: Path, crossed, scored) -> None:
    from test_plots import assert_glyphs_drawn, chinese_texts, render

    from corpus_tool.analyse.policy.notebook import wrap_policy

    trend = Corpus(policy_db).trend("人工智能,高质量发展")
    strength_plots = wrap_policy(scored, policy_db, None)
    for fig in (wrap_policy(crossed, policy_db, None).plot(), strength_plots.plot(), strength_plots.plot("codes"),
                trend.plot()):
        _, missing = render(fig)
        assert not missing, missing
        texts = chinese_texts(fig)
        assert texts
        for text in texts:
            assert_glyphs_drawn(text)


# -- terms over time --------------------------------------------------------------------------------------------
def test_trend_counts_rates_and_first_use(policy_db: Path) -> None:
    terms = ["人工智能", "高质量发展", "不存在的词语"]
    res = Corpus(policy_db).trend(terms)
    table, first = res.table, res.first_use
    with duckdb.connect(str(policy_db), read_only=True) as con:
        paras = con.execute("SELECT d.doc_id, d.year, d.date, p.text FROM paragraphs p JOIN documents d USING (doc_id) "
                            "WHERE d.canonical_id IS NULL AND d.year IS NOT NULL").df()
    for term in terms:
        n = paras["text"].fillna("").str.count(term)
        rows = table[table["term"] == term]
        assert rows["count"].sum() == n.sum()
        by_year = n.groupby(paras["year"]).sum()
        assert rows.set_index("year")["count"].to_dict() == {y: by_year.get(y, 0) for y in rows["year"]}
    assert (table["per_10k"] - table["count"] / table["words"] * 10_000).abs().max() < 1e-9
    f = first.set_index("term")
    assert pd.isna(f.loc["不存在的词语", "first_year"]) and f.loc["不存在的词语", "total_count"] == 0
    hits = paras[paras["text"].fillna("").str.contains("高质量发展")]
    assert f.loc["高质量发展", "first_year"] == hits["year"].min()
    assert f.loc["高质量发展", "doc_id"] in set(hits.loc[hits["year"] == hits["year"].min(), "doc_id"])
    assert any("不存在的词语" in w for w in res.warnings)


def test_trend_warns_of_years_with_few_words(policy_db: Path) -> None:
    from corpus_tool.analyse.policy.trend import thin_years

    res = Corpus(policy_db).trend(["人工智能"])
    per_year = res.table.drop_duplicates("year").set_index("year")["words"]
    thin = per_year[per_year < per_year.median() / 10]
    assert any("per_10k rests on few words" in w for w in res.warnings) == (len(thin) > 0)
    # One tiny year among normal ones (a 700-character resolution alone in a year of reports) is named.
    table = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "words": [9000, 222, 8000, 8500],
                          "year_documents": [2, 1, 2, 2]})
    assert thin_years(table, "year") == ["2020 (222 words, 1 doc)"]
    assert thin_years(table[table["year"] != 2020], "year") == []


@pytest.fixture(scope="module")
def old_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The 1954 (stored in traditional characters) and 1955 government work reports, segmented; and the 1954
    report's stored text."""
    from corpus_tool.reading.pipeline import ingest_paths
    from corpus_tool.segment.base import SegmentSettings
    from corpus_tool.segment.run import segment_corpus

    base = shared_path("data", "policy_corpus", "gov_work_reports_wikisource_1954_2025")
    files = sorted((base / "txt").glob("wks_gov_07[01]_*.txt"))
    tmp = tmp_path_factory.mktemp("old_reports")
    manifest = tmp / "manifest.csv"
    manifest.write_text("file,year\n" + "".join(f"{f.name},{f.name[12:16]}\n" for f in files), "utf-8")
    db = tmp / "reports.duckdb"
    assert ingest_paths(files, db, manifests=[manifest]).failed == 0
    segment_corpus(db, SegmentSettings())
    return db, files[-1].read_text("utf-8")


def test_trend_counts_traditional_text_as_the_tokens_do(old_reports) -> None:
    # The 1954 report is stored in traditional characters; segmentation reads it as simplified, and the text
    # count must too, or 发展 would be absent from 1954 (0 on the text against 68 tokens).
    db, stored = old_reports
    assert "發展" in stored and "发展" not in stored
    text = Corpus(db).trend(["发展"]).table.set_index("year")
    token = Corpus(db).trend(["发展"], count="token").table.set_index("year")
    assert text.loc[1954, "count"] >= token.loc[1954, "count"] > 50
    assert text.loc[1954, "count"] == stored.count("發展") + stored.count("发展")


def test_crosscode_names_documents_in_traditional_characters(old_reports) -> None:
    db, _ = old_reports
    res = crosscode(db, "starter", "innovation_chain")
    with duckdb.connect(str(db), read_only=True) as con:
        old = con.execute("SELECT doc_id FROM documents WHERE year = 1954").fetchone()[0]
    assert res.params["traditional_documents"] == 1
    assert any("traditional" in w and old[:8] in w for w in res.warnings), res.warnings


def test_corpus_methods_save_with_a_run_record(policy_db: Path, tmp_path: Path) -> None:
    ct = Corpus(policy_db)
    res = ct.strength(joint="mean")
    paths = res.save(tmp_path / "strength.csv")
    assert {p.name for p in paths} >= {"strength.csv", "strength.unscored.csv", "strength.by_year.csv",
                                       "strength.csv.run.json"}
    text = res.methods("en")
    assert "mean of their scores" in text and "not verified" in text
    assert "--joint mean" in (res.command_line() or "")
    cross = ct.crosscode(unit="sentence", where="year = 2024")
    assert "multi-label" in cross.methods("en") and "sentences" in cross.methods("en")
    assert "多标签" in cross.methods("zh")


@pytest.mark.parametrize("command", ["strength", "crosscode", "trend"])
def test_api_mirrors_the_policy_commands(command: str) -> None:
    import inspect

    callbacks = {(c.name or c.callback.__name__): c.callback for c in app.registered_commands}
    cli = inspect.signature(callbacks[command]).parameters
    api = inspect.signature(getattr(Corpus, command)).parameters
    for name, param in cli.items():
        if name in {"db", "out", "zh_headers", "plot"}:
            continue
        assert name in api, f"{command}: the API lacks --{name.replace('_', '-')}"
        if param.default is not inspect.Parameter.empty:
            assert api[name].default == param.default, f"{command} {name}: {api[name].default!r} != {param.default!r}"
