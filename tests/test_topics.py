"""Topic models end to end on real text: the government work reports (marked slow) and the seed article.

Corpora are ingested and segmented once per session with the real stages (``ingest_paths`` with a
manifest for years, ``segment_corpus`` with POS tags); topics read the stored tokens.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from sklearn.metrics import normalized_mutual_info_score
from typer.testing import CliRunner

from corpus_tool.analyse.topics import TopicUnitsError, UnitSettings, build_units, coherence, fit_topics, write_topics
from corpus_tool.analyse.topics.sweep import FitTask, fit_model, term_prob
from corpus_tool.analyse.units import NoSegmentationError
from corpus_tool.cli.app import app
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.run import segment_corpus

GOV = ("data", "policy_corpus", "gov_work_reports_wikisource_1954_2025")
DATA_TABLES = ("topic_terms", "topic_labels", "doc_topics", "representative", "sweep", "sweep_summary")


@pytest.fixture(scope="session")
def gov_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The national government work reports (wks_gov_*), with year and decade (年代) from a manifest."""
    root = shared_path(*GOV)
    files = sorted((root / "txt").glob("wks_gov_*.txt"))
    assert len(files) >= 50
    tmp = tmp_path_factory.mktemp("gov")
    manifest = tmp / "manifest.csv"
    with open(root / "manifest.csv", encoding="utf-8") as f, open(manifest, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "year", "年代"])
        for row in csv.DictReader(f):
            if row["doc_id"].startswith("wks_gov_"):
                writer.writerow([Path(row["file"]).name, row["year"], f"{int(row['year']) // 10 * 10}s"])
    db = tmp / "gov.duckdb"
    summary = ingest_paths(files, db, manifests=[manifest])
    assert summary.failed == 0
    segment_corpus(db, SegmentSettings(pos=True))
    return db


@pytest.fixture(scope="session")
def gov_topics(gov_db: Path):
    """The default model on the reports' paragraphs, K = 15, three seeds (tables from seed 1)."""
    return fit_topics(gov_db, k=15, seeds=3, by=["year", "年代"])


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    db = tmp_path_factory.mktemp("seed") / "seed.duckdb"
    ingest_paths([seed_path], db)
    segment_corpus(db, SegmentSettings(pos=True))
    return db


# -- 1. coherence on real text ------------------------------------------------------------------------------
@pytest.mark.slow
def test_default_model_npmi_on_gov_reports(gov_topics) -> None:
    """Mean NPMI of the top-10 terms over the same paragraphs is at least 0.20, for every seed."""
    assert gov_topics.params["model"] == "nmf"
    assert gov_topics.k == 15
    assert gov_topics.params["npmi_mean"] >= 0.20
    assert (gov_topics.sweep["npmi"] >= 0.20).all(), gov_topics.sweep
    assert gov_topics.topic_labels["npmi"].mean() == pytest.approx(gov_topics.params["npmi_mean"])
    # The tables' model (refitted, seed 1) is the sweep's seed-1 fit: fits are reproducible.
    first = gov_topics.sweep.query("seed == 1").iloc[0]
    assert first["npmi"] == pytest.approx(gov_topics.params["npmi_mean"], rel=1e-12)
    # The units really are the reports' body paragraphs: thousands of them, from all the reports.
    units = gov_topics.units.units
    assert len(units) > 5000 and units["doc_id"].nunique() >= 50


@pytest.mark.slow
def test_default_model_beats_gensim_lda_on_same_units(gov_db: Path, gov_topics) -> None:
    """gensim LdaModel (10 passes) on exactly the same units and vocabulary scores lower NPMI."""
    units = gov_topics.units
    lda = fit_model(FitTask("gensim-lda", 15, 1, (("passes", 10),)), units.counts)
    presence = units.presence()
    for lam in (coherence.DEFAULT_LAMBDA, 1.0):  # as reported here, and gensim's own weight ranking
        top = coherence.rank_terms(lda.topic_term_, term_prob(units.counts), lam, n=10)
        assert coherence.npmi(top, presence).mean() < gov_topics.params["npmi_mean"]


@pytest.mark.slow
def test_npmi_matches_a_direct_count_over_paragraph_tokens(gov_db: Path, gov_topics) -> None:
    """Recount one topic's NPMI from the tokens table with plain sets: the measure is what it says."""
    units = gov_topics.units
    terms = gov_topics.topic_terms.query("topic == 1 and rank <= 10")["term"].tolist()
    keys = set(zip(units.units["doc_id"], units.units["para_no"].astype(int), strict=True))
    con = duckdb.connect(str(gov_db), read_only=True)
    rows = con.execute(
        "SELECT doc_id, para_no, token FROM tokens WHERE token IN (SELECT UNNEST(?))", [terms]
    ).fetchall()
    con.close()
    sets: dict[tuple[str, int], set[str]] = {}
    for d, p, t in rows:
        if (d, p) in keys:
            sets.setdefault((d, p), set()).add(t)
    n = len(keys)
    scores = []
    for i in range(len(terms)):
        for j in range(i + 1, len(terms)):
            a = sum(terms[i] in s for s in sets.values()) / n
            b = sum(terms[j] in s for s in sets.values()) / n
            ab = sum(terms[i] in s and terms[j] in s for s in sets.values()) / n
            scores.append(-1.0 if ab == 0 else np.log(ab / (a * b)) / -np.log(ab))
    assert gov_topics.topic_labels.loc[0, "npmi"] == pytest.approx(np.mean(scores))


# -- 2. themes of the seed ----------------------------------------------------------------------------------
def test_seed_topics_agree_with_its_sections(seed_db: Path) -> None:
    con = duckdb.connect(str(seed_db), read_only=True)
    sections = {(d, p): s for d, p, s in con.execute(
        "SELECT doc_id, para_no, section_no FROM paragraphs WHERE field = 'body'").fetchall()}
    con.close()
    assert len(set(sections.values())) == 6
    scores = []
    for seed in (1, 2, 3):
        result = fit_topics(seed_db, k=6, seeds=1, seed=seed, by=[], resample=None, c_v=False)
        units = result.units.units
        assert len(units) >= 25  # the ~28 body paragraphs
        truth = [sections[(d, int(p))] for d, p in zip(units["doc_id"], units["para_no"], strict=True)]
        dominant = result.doc_topics.loc[result.doc_topics.groupby(["doc_id", "para_no"])["weight"].idxmax()]
        assert len(dominant) == len(units)
        scores.append(normalized_mutual_info_score(truth, dominant["topic"].to_numpy()))
        top10 = result.topic_terms.query("rank <= 10")
        a = set(top10.loc[top10["term"] == "先立后破", "topic"])
        b = set(top10.loc[top10["term"] == "科技创新", "topic"])
        assert a and b and a != b, result.topic_labels
    assert np.mean(scores) >= 0.45, scores


# -- 3. the same files whatever --jobs is -------------------------------------------------------------------
@pytest.mark.slow
def test_cli_output_identical_for_one_and_two_jobs(gov_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        res = runner.invoke(app, ["topics", "--db", str(gov_db), "--k", "8:12:4", "--seeds", "2", "--by", "year",
                                  "--out-dir", str(out), "--jobs", str(jobs), "--quiet"])
        assert res.exit_code == 0, res.output
        outs.append(out)
    names = sorted(p.name for p in outs[0].iterdir())
    assert names == sorted(p.name for p in outs[1].iterdir())
    data = [n for n in names if not n.endswith(".run.json")]
    assert {f"{t}.csv" for t in DATA_TABLES} | {"topic_by_year.csv", "topics_ldavis.html"} == set(data)
    for name in data:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    for name in names:
        if name.endswith(".run.json"):
            a, b = (json.loads((o / name).read_text("utf-8")) for o in outs)
            for rec, out in ((a, outs[0]), (b, outs[1])):
                for volatile in ("time", "argv", "jobs"):
                    rec.pop(volatile)
                # --jobs is not in the reproducible command line: it changes nothing.
                line = rec.pop("command_line")
                assert line.endswith(f"--out-dir {out}") and "--jobs" not in line
            assert a == b, name
    record = json.loads((outs[0] / "topic_terms.csv.run.json").read_text("utf-8"))
    assert record["seeds"]["model_seeds"] == [1, 2]
    assert record["parameters"]["topic_settings"]["k"] == [8, 12]
    assert record["parameters"]["unit_settings"]["min_df"] == 0.002
    assert record["segmentation"]["seg_id"] and record["corpus"]["fingerprint"]
    assert record["outputs"]["topic_terms.csv"]


# -- 4. topic shares by year, with intervals ----------------------------------------------------------------
@pytest.mark.slow
def test_topic_by_year_one_row_per_topic_and_year(gov_db: Path, gov_topics) -> None:
    table = gov_topics.topic_by_year
    con = duckdb.connect(str(gov_db), read_only=True)
    years = sorted(r[0] for r in con.execute("SELECT DISTINCT year FROM documents").fetchall())
    con.close()
    assert len(years) >= 50
    assert len(table) == len(years) * 15
    assert not table.duplicated(["year", "topic"]).any()
    assert set(table["year"]) == set(years) and set(table["topic"]) == set(range(1, 16))
    assert table[["share", "lower", "upper"]].notna().all().all()
    assert (table["lower"] <= table["share"] + 1e-12).all() and (table["share"] <= table["upper"] + 1e-12).all()
    assert (table["upper"] - table["lower"] > 0).mean() > 0.9  # one report per year still has an interval
    shares = table.groupby("year")["share"].sum()
    assert np.allclose(shares, 1.0)
    assert (table["n_documents"] == 1).all()


@pytest.mark.slow
def test_topic_share_by_a_manifest_field(gov_db: Path, gov_topics) -> None:
    table = gov_topics.prevalence["年代"]
    assert set(table["年代"]) >= {"1950s", "2010s", "2020s"}
    decade = table[table["年代"] == "2010s"]
    con = duckdb.connect(str(gov_db), read_only=True)
    n_2010s = con.execute("SELECT count(*) FROM documents WHERE year BETWEEN 2010 AND 2019").fetchall()[0][0]
    con.close()
    assert len(decade) == 15 and (decade["n_documents"] == n_2010s).all()
    # Bootstrap over several documents: wider than the share's rounding, narrower than everything.
    assert ((decade["upper"] - decade["lower"]) > 0).all() and (decade["upper"] < 1).all()


# -- stable ids across tables and the pyLDAvis page -----------------------------------------------------------
@pytest.mark.slow
def test_topic_ids_ordered_by_share_and_same_everywhere(gov_topics) -> None:
    labels = gov_topics.topic_labels
    assert labels["topic"].tolist() == list(range(1, 16))
    assert labels["share"].is_monotonic_decreasing
    # doc_topics agrees with labels: the share is the length-weighted mean of the unit weights.
    dt = gov_topics.doc_topics.merge(gov_topics.units.units[["doc_id", "para_no", "n_terms"]])
    weighted = (dt["weight"] * dt["n_terms"]).groupby(dt["topic"]).sum() / dt.drop_duplicates(
        ["doc_id", "para_no"])["n_terms"].sum()
    assert np.allclose(weighted.to_numpy(), labels["share"].to_numpy())
    # representative paragraphs are those with the highest weight on their topic.
    rep = gov_topics.representative
    assert set(rep["topic"]) == set(range(1, 16)) and rep["text"].str.len().gt(0).all()
    first = rep[rep["rank"] == 1].merge(dt, on=["doc_id", "para_no", "topic"], suffixes=("", "_dt"))
    assert np.allclose(first["weight"], first["weight_dt"])


@pytest.mark.slow
def test_ldavis_page_is_offline_and_keeps_topic_ids(gov_topics) -> None:
    html = gov_topics.ldavis_html()
    assert not re.search(r"<script[^>]*\ssrc=", html) and "<link" not in html and "@import" not in html
    assert "var LDAvis" in html and "d3" in html
    payload = html[html.index('new LDAvis("#ldavis_topics", ') + len('new LDAvis("#ldavis_topics", '):
                   html.rindex(");\n</script>")]
    data = json.loads(payload)
    assert data["topic.order"] == list(range(1, 16))
    assert data["mdsDat"]["topics"] == list(range(1, 16))
    tinfo = pd.DataFrame(data["tinfo"])
    for topic in (1, 8, 15):
        page_terms = set(tinfo.loc[tinfo["Category"] == f"Topic{topic}", "Term"])
        table_terms = set(gov_topics.topic_terms.query(f"topic == {topic} and rank <= 10")["term"])
        assert table_terms <= page_terms, topic
    freq = data["mdsDat"]["Freq"]
    assert freq == sorted(freq, reverse=True)  # topic sizes follow the ids, as in topic_labels


# -- the sweep ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_sweep_reports_every_measure_and_recommends_a_k(gov_db: Path) -> None:
    result = fit_topics(gov_db, k="6:12:6", seeds=2, by=[], model="nmf")
    sweep, summary = result.sweep, result.sweep_summary
    assert sweep[["k", "seed"]].to_numpy().tolist() == [[6, 1], [6, 2], [12, 1], [12, 2]]
    for col in ("npmi", "c_v", "umass", "diversity", "init_stability", "bootstrap_stability"):
        assert sweep[col].notna().all(), col
    assert sweep["init"].tolist() == ["nndsvd", "random (seed 2)"] * 2  # NNDSVD is a deterministic start
    assert sweep["perplexity"].isna().all()  # NMF has none
    assert summary["recommended"].sum() == 1
    assert result.k == int(summary.loc[summary["recommended"], "k"].iloc[0])
    assert "NPMI" in result.reason and str(result.k) in result.reason
    assert result.topic_labels["topic"].max() == result.k


def test_lda_models_report_perplexity(seed_db: Path) -> None:
    for name in ("lda", "gensim-lda"):
        result = fit_topics(seed_db, model=name, k=4, seeds=2, by=[], c_v=False, resample=None)
        assert (result.sweep["perplexity"] > 1).all(), name
        assert result.sweep["init_stability"].between(0, 1).all()
        assert np.allclose(result.doc_topic.sum(axis=1), 1.0)


def test_large_corpus_variants_run_and_repeat(seed_db: Path) -> None:
    """MiniBatchNMF and online LDA (used above 50,000 units) here forced on the seed: same result twice."""
    for model, params in (("nmf", {"minibatch_above": 10, "batch_size": 8}), ("lda", {"online_above": 10})):
        runs = [fit_topics(seed_db, model=model, k=4, seeds=1, by=[], resample=None, c_v=False,
                           model_params=params) for _ in range(2)]
        pd.testing.assert_frame_equal(runs[0].doc_topics, runs[1].doc_topics)
        estimator = runs[0].model.estimator_
        assert type(estimator).__name__ == ("MiniBatchNMF" if model == "nmf" else "LatentDirichletAllocation")
        if model == "lda":
            assert runs[0].model.learning_method_ == "online"


# -- units ------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_document_units(gov_db: Path) -> None:
    result = fit_topics(gov_db, k=5, seeds=1, unit="document", by=["year"], resample=None, c_v=False)
    assert "para_no" not in result.doc_topics.columns
    assert len(result.doc_topics) == 5 * result.units.n_units and result.units.n_units >= 50
    assert (result.topic_by_year["n_units"] == 1).all()
    assert result.representative["text"].str.len().between(1, 500).all()


@pytest.mark.slow
def test_boilerplate_and_near_duplicates_are_left_out(gov_db: Path, tmp_path: Path) -> None:
    units = build_units(gov_db, UnitSettings())
    assert units.info["boilerplate_paragraphs"] >= 50  # the Wikisource licence footer of every file
    assert any(t.startswith("本作品是中华人民共和国的法律") for t in units.info["boilerplate_texts"])
    kept = build_units(gov_db, UnitSettings(boilerplate=0))
    assert kept.n_units > units.n_units
    copy = tmp_path / "dup.duckdb"
    shutil.copy(gov_db, copy)
    con = duckdb.connect(str(copy))
    first, second = (r[0] for r in con.execute("SELECT doc_id FROM documents ORDER BY doc_id LIMIT 2").fetchall())
    con.execute("UPDATE documents SET canonical_id = ? WHERE doc_id = ?", [first, second])
    con.close()
    without = build_units(copy, UnitSettings())
    assert second not in set(without.units["doc_id"]) and first in set(without.units["doc_id"])
    assert second in set(build_units(copy, UnitSettings(include_duplicates=True)).units["doc_id"])


@pytest.mark.slow
def test_vocabulary_floor_ceiling_and_pos(gov_db: Path) -> None:
    units = build_units(gov_db, UnitSettings(min_df=20, max_df=0.1))
    df = np.asarray((units.counts > 0).sum(axis=0)).ravel()
    assert df.min() >= 20 and df.max() <= 0.1 * units.n_units
    con = duckdb.connect(str(gov_db), read_only=True)
    tags = dict(con.execute("SELECT token, any_value(pos) FROM tokens WHERE token IN (SELECT UNNEST(?)) "
                            "GROUP BY token", [units.vocab]).fetchall())
    stops = {r[0] for r in con.execute("SELECT DISTINCT token FROM tokens WHERE is_stop").fetchall()}
    con.close()
    assert all(re.match(r"^(n|v|a|b|i|j|l|eng)", tags[t]) for t in units.vocab)
    assert not set(units.vocab) & stops
    assert all(len(t) >= 2 for t in units.vocab)
    nouns = build_units(gov_db, UnitSettings(pos=("n",), min_df=20, max_df=0.1))
    assert set(nouns.vocab) < set(units.vocab)


def test_without_pos_tags_topics_still_fit_with_a_warning(seed_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "nopos.duckdb"
    ingest_paths([seed_path], db)
    segment_corpus(db, SegmentSettings(pos=False))
    result = fit_topics(db, k=3, seeds=1, by=[], resample=None, c_v=False)
    assert result.units.info["pos_filter_applied"] is False
    assert any("POS" in w for w in result.warnings)


# -- errors ----------------------------------------------------------------------------------------------
def test_clear_errors(seed_path: Path, seed_db: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bare.duckdb"
    ingest_paths([seed_path], bare)
    with pytest.raises(NoSegmentationError, match="segment"):
        fit_topics(bare, k=3)
    with pytest.raises(TopicUnitsError, match="k=500"):
        fit_topics(seed_db, k=500)
    runner = CliRunner()
    res = runner.invoke(app, ["topics", "--db", str(bare), "--out-dir", str(tmp_path / "o")])
    assert res.exit_code == 2 and "segment" in res.output
    res = runner.invoke(app, ["topics", "--db", str(seed_db), "--k", "9:3", "--out-dir", str(tmp_path / "o")])
    assert res.exit_code == 2 and "A:B:STEP" in res.output


def test_write_topics_formats_and_chinese_headers(seed_db: Path, tmp_path: Path) -> None:
    result = fit_topics(seed_db, k=4, seeds=1, by=[], resample=None, c_v=False)
    paths = write_topics(result, tmp_path / "x", fmt="xlsx", zh=True, html=False)
    names = {p.name for p in paths}
    assert "topic_terms.xlsx" in names and "topic_terms.xlsx.run.json" in names
    frame = pd.read_excel(tmp_path / "x" / "topic_terms.xlsx")
    assert list(frame.columns[:4]) == ["主题", "排名", "词语", "权重"]
    write_topics(result, tmp_path / "p", fmt="parquet", html=False)
    back = pd.read_parquet(tmp_path / "p" / "doc_topics.parquet")
    assert len(back) == 4 * result.units.n_units
