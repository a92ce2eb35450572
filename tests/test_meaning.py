"""Meaning analyses end to end on the national government work reports (one corpus for the module).

The corpus is ingested and segmented once (POS tags on) with the real stages; every analysis reads its
stored tokens. Small unit tests cover the subtle parts (CA, MATTR, SO-PMI counting).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conftest import REPO, shared_path
from typer.testing import CliRunner

from corpus_tool.analyse.meaning.correspondence import ca_svd, cluster, correspondence
from corpus_tool.analyse.meaning.embeddings import EmbeddingError, load_embeddings, similar, train_embeddings
from corpus_tool.analyse.meaning.expansion import accept, expand
from corpus_tool.analyse.meaning.network import network, write_network
from corpus_tool.analyse.meaning.projection import project
from corpus_tool.analyse.meaning.readability import mattr, readability
from corpus_tool.analyse.meaning.similarity import similarity
from corpus_tool.analyse.units import TokenFilter
from corpus_tool.cli.app import app
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.run import segment_corpus

GOV = ("data", "policy_corpus", "gov_work_reports_wikisource_1954_2025")
NOUNS = ("n", "nz", "nt", "ns", "vn", "l", "i", "j")


def _reports(tmp: Path, years: range | None = None) -> tuple[list[Path], Path]:
    root = shared_path(*GOV)
    manifest = tmp / "manifest.csv"
    files = []
    with open(root / "manifest.csv", encoding="utf-8") as f, open(manifest, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "year"])
        for row in csv.DictReader(f):
            if row["doc_id"].startswith("wks_gov_") and (years is None or int(row["year"]) in years):
                writer.writerow([Path(row["file"]).name, row["year"]])
                files.append(root / row["file"])
    return sorted(files), manifest


@pytest.fixture(scope="module")
def gov_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("meaning")
    files, manifest = _reports(tmp)
    assert len(files) >= 50
    db = tmp / "gov.duckdb"
    assert ingest_paths(files, db, manifests=[manifest]).failed == 0
    segment_corpus(db, SegmentSettings(pos=True))
    return db


@pytest.fixture(scope="module")
def model(gov_db: Path):
    """word2vec on every report (min_count 3: 新质生产力 occurs 3 times in the 2024–2025 reports)."""
    return train_embeddings(gov_db, min_count=3, epochs=5, seed=1)


def _stopwords(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT DISTINCT token FROM tokens WHERE is_stop").fetchall()}
    finally:
        con.close()


# -- embeddings -----------------------------------------------------------------------------------------------
def test_neighbours_are_policy_terms(gov_db: Path, model) -> None:
    table = similar(model, ["新质生产力", "高质量发展"], top=10).table
    stop = _stopwords(gov_db)
    assert set(table["query"]) == {"新质生产力", "高质量发展"}
    for word in table["neighbour"]:
        assert word not in stop and not word.replace(".", "").isdigit(), word
        assert any("\u4e00" <= ch <= "\u9fff" for ch in word), word
    assert table.groupby("query")["neighbour"].apply(lambda s: s.str.len().ge(2).mean()).min() >= 0.8
    # 高质量发展's neighbours come from its contexts: several share a sentence with it in the reports (word2vec
    # on 4 M tokens also ranks words used in the same kind of sentence, so not all of them).
    from corpus_tool.analyse.meaning.base import read_tokens
    from corpus_tool.analyse.result import analysis_context
    from corpus_tool.analyse.units import Selection

    with analysis_context(gov_db, Selection(), TokenFilter()) as ctx:
        sentences = read_tokens(ctx).sentences()
    shared = {w for s in sentences if "高质量发展" in s for w in s}
    near = table.loc[table["query"] == "高质量发展", "neighbour"]
    assert near.isin(shared).mean() >= 0.3
    # The saved model is the trained one, and its record names the segmentation and the seed.
    saved = load_embeddings(gov_db)
    assert np.array_equal(saved.wv.vectors, model.wv.vectors)
    record = (model.path / "model.run.json").read_text("utf-8")
    assert '"word2vec_seed": 1' in record and "workers=1" in record and model.record["segmentation"]["seg_id"]


def test_training_is_reproducible_across_processes(gov_db: Path, tmp_path: Path) -> None:
    """Same seed, same tokens: the same vectors in another process with another PYTHONHASHSEED."""
    here = train_embeddings(gov_db, name="repro", min_count=5, epochs=2, where="year >= 2013")
    # Only the hash seed changes: the BLAS kernel stays the same (another kernel, e.g. OPENBLAS_CORETYPE, rounds
    # the float32 updates differently, which the run record says).
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "corpus_tool", "embed", "--db", str(gov_db), "--name", "repro2",
                    "--min-count", "5", "--epochs", "2", "--where", "year >= 2013"], check=True, env=env,
                   capture_output=True)
    there = here.path.parent / "repro2"
    assert (here.path / "vectors.bin").read_bytes() == (there / "vectors.bin").read_bytes()
    a = similar(here, "高质量发展").table
    b = similar(load_embeddings(gov_db, "repro2"), "高质量发展").table
    a.to_csv(tmp_path / "a.csv")
    b.to_csv(tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_vectors_equal_plain_gensim_over_the_same_sentences(gov_db: Path) -> None:
    from gensim.models import Word2Vec

    from corpus_tool.analyse.meaning.base import read_tokens
    from corpus_tool.analyse.result import analysis_context
    from corpus_tool.analyse.units import Selection

    ours = train_embeddings(gov_db, min_count=5, epochs=2, where="year >= 2013", save=False)
    with analysis_context(gov_db, Selection("year >= 2013"), TokenFilter()) as ctx:
        sentences = read_tokens(ctx).sentences()
    plain = Word2Vec(sentences, vector_size=100, window=6, min_count=5, epochs=2, workers=1, seed=1)
    assert ours.wv.index_to_key == plain.wv.index_to_key
    assert np.array_equal(ours.wv.vectors, plain.wv.vectors)
    assert ours.vocab["frequency"].sum() == sum(map(len, sentences))


def test_neighbour_stability_over_seeds(gov_db: Path, model) -> None:
    result = similar(model, "高质量发展", top=10, stability=2, db=gov_db)
    share = result.table["stability"]
    assert set(share) <= {0.5, 1.0} and (share == 1.0).any()  # found by the saved model, and some by the other
    assert result.params["stability"]["seeds"] == [1, 2]


def test_unknown_term_is_reported(model) -> None:
    result = similar(model, ["不存在的词语", "高质量发展"], top=3)
    assert len(result.table) == 3 and "不存在的词语" in result.warnings[0]


# -- dictionary expansion -------------------------------------------------------------------------------------
def test_expansion_of_digital_economy(gov_db: Path, model, tmp_path: Path) -> None:
    result = expand(gov_db, ["数字经济", "数字化"], top=50)
    table = result.table
    assert {"embedding", "sopmi"} == set(table["method"])
    found = set(table["candidate"])
    assert {"数字化转型", "数字中国"} <= found, sorted(found)
    assert not ({"数字经济", "数字化"} & found)
    for row in table[table["candidate"].isin(["数字化转型", "数字中国"])].itertuples():
        assert row.frequency >= 2 and row.contexts.count(f"【{row.candidate}】") >= 1
    sopmi = table[table["method"] == "sopmi"]
    assert (sopmi["joint"] >= 2).all() and sopmi["score"].is_monotonic_decreasing

    # Accepted candidates go into a user dictionary and into a code of a coding dictionary.
    user = tmp_path / "user.txt"
    user.write_text("数字经济\n", encoding="utf-8")
    accept(["数字化转型", "数字经济", "数字中国"], user_dict=user)
    assert user.read_text("utf-8").splitlines() == ["数字经济", "数字化转型", "数字中国"]
    from corpus_tool.analyse.coding import load_dictionary, starter_dictionary_path

    out = accept(["数字化转型", "数字中国"], dictionary=starter_dictionary_path(), code="digital.economy",
                 category="数字经济 digital", out=tmp_path / "codes.yaml")
    codes = {c.code: c for c in load_dictionary(out).codes}
    assert set(codes["digital.economy"].terms) == {"数字化转型", "数字中国"}
    assert len(codes) == len(load_dictionary(starter_dictionary_path()).codes) + 1


def test_sopmi_counts_a_pair_once_per_seed_occurrence() -> None:
    from corpus_tool.analyse.meaning.base import TokenStream
    from corpus_tool.analyse.meaning.expansion import cooccurrence_with

    vocab = ["a", "b", "s"]
    # s b b | b s : one paragraph each; window 2
    term = np.array([2, 1, 1, 1, 2])
    para = np.array([0, 0, 0, 1, 1])
    stream = TokenStream(pd.DataFrame({"doc_id": ["d"]}), vocab, term, np.zeros(5, int), para, para, np.arange(5))
    seeds, terms = cooccurrence_with(stream, np.array([2]), window=2)
    pairs = sorted(zip(seeds.tolist(), terms.tolist(), strict=True))
    assert pairs == [(2, 1), (2, 1)]  # b twice near the first s counts once; the second s sees b once


# -- projection -----------------------------------------------------------------------------------------------
def test_projection_on_government_market_axis(gov_db: Path, model) -> None:
    result = project(gov_db, ["政府,计划,管制 ↔ 市场,竞争,企业"], by="year", n_boot=100)
    t = result.table
    assert t["year"].is_monotonic_increasing and len(t) >= 50
    assert (t["lower"] <= t["score"] + 1e-12).all() and (t["score"] <= t["upper"] + 1e-12).all()
    assert (t["coverage"] > 0.5).all() and (t["tokens_used"] < t["tokens"]).all()  # pole words are not scored
    early = t.loc[t["year"] <= 1978, "score"].mean()
    late = t.loc[t["year"] >= 2013, "score"].mean()
    assert early > late  # planning-era reports sit nearer 政府/计划 than the reports since 2013
    assert set(result.tables["poles"]["word"]) == {"政府", "计划", "管制", "市场", "竞争", "企业"}
    again = project(gov_db, ["政府,计划,管制 ↔ 市场,竞争,企业"], by="year", n_boot=100)
    pd.testing.assert_frame_equal(t, again.table)


# -- co-occurrence network ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def recent_network(gov_db: Path):
    return network(gov_db, where="year >= 2018", token_filter=TokenFilter(min_chars=2, pos=NOUNS), max_edges=200)


def test_network_since_2018_centres_on_high_quality_development(recent_network) -> None:
    nodes = recent_network.table
    assert len(recent_network.tables["edges"]) == 200
    rank = nodes["degree_centrality"].rank(ascending=False, method="min")
    assert rank[nodes["term"] == "高质量发展"].iloc[0] <= 10, nodes.nlargest(12, "degree_centrality")
    assert nodes["community"].min() == 1 and nodes["community"].is_monotonic_increasing
    sizes = nodes["community"].value_counts().sort_index()
    assert sizes.is_monotonic_decreasing


def test_window_distances_count_every_counted_token() -> None:
    from corpus_tool.analyse.meaning.base import TokenStream
    from corpus_tool.analyse.meaning.network import build_network

    term = np.array([0, 2, 1, 0, 2, 1])  # a x b a x b; x is not a network term (max_nodes=2)
    zeros = np.zeros(6, int)
    stream = TokenStream(pd.DataFrame({"doc_id": ["d"]}), ["a", "b", "x"], term, zeros, zeros, zeros, np.arange(6))
    _, edges = build_network(stream, unit="window", weight="count", window=1, max_nodes=2, min_freq=1, min_cooc=1,
                             max_edges=10, seed=1)
    assert edges[["source", "target", "cooc"]].values.tolist() == [["a", "b", 1]]  # only b·a is adjacent


def test_network_files_agree_and_are_byte_identical(gov_db: Path, recent_network, tmp_path: Path) -> None:
    paths = write_network(recent_network, tmp_path / "a")
    graph = nx.read_gexf(tmp_path / "a" / "network.gexf")
    edges = pd.read_csv(tmp_path / "a" / "edges.csv", encoding="utf-8-sig")
    assert {frozenset(e) for e in graph.edges()} == {frozenset((r.source, r.target)) for r in edges.itertuples()}
    weights = {frozenset((s, t)): d["weight"] for s, t, d in graph.edges(data=True)}
    assert all(weights[frozenset((r.source, r.target))] == pytest.approx(r.weight, rel=1e-5)
               for r in edges.itertuples())
    assert nx.read_graphml(tmp_path / "a" / "network.graphml").number_of_edges() == len(edges)
    again = network(gov_db, where="year >= 2018", token_filter=TokenFilter(min_chars=2, pos=NOUNS), max_edges=200)
    write_network(again, tmp_path / "b")
    for p in paths:
        if not p.name.endswith(".run.json"):
            assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), p.name


def test_one_network_per_group(gov_db: Path, tmp_path: Path) -> None:
    result = network(gov_db, where="year >= 2023", by="year", unit="window", weight="pmi", max_edges=30)
    assert sorted(result.table["year"].unique()) == [2023, 2024, 2025]
    assert (result.tables["edges"].groupby("year").size() <= 30).all()
    names = {p.name for p in write_network(result, tmp_path)}
    assert {"network_2023.gexf", "network_2024.graphml", "network_2025.gexf"} <= names


# -- correspondence analysis and clustering -------------------------------------------------------------------
def test_ca_matches_chi_square_inertia() -> None:
    counts = np.array([[10, 2, 3], [1, 8, 2], [3, 3, 9], [4, 0, 1]], dtype=float)
    res = ca_svd(counts)
    n = counts.sum()
    expected = np.outer(counts.sum(1), counts.sum(0)) / n
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert (res["sv"] ** 2).sum() == pytest.approx(chi2 / n)
    # Transition formula: row principal coordinates are profile-weighted column standard coordinates.
    profiles = counts / counts.sum(1, keepdims=True)
    rows = res["row_std"][:, :2] * res["sv"][:2]
    assert np.allclose(rows, profiles @ res["col_std"][:, :2])


def test_ca_orders_years(gov_db: Path) -> None:
    result = correspondence(gov_db, by="year", where="year >= 1990")
    inertia = result.tables["inertia"]
    assert inertia["share"].sum() == pytest.approx(1.0) and inertia["share"].is_monotonic_decreasing
    cats = result.table[result.table["kind"] == "category"]
    years = cats["item"].astype(int)
    assert abs(np.corrcoef(years, cats["dim1"])[0, 1]) > 0.8  # the first dimension is time
    assert (result.table["kind"] == "term").sum() == 60


def test_clusters_of_terms_and_documents(gov_db: Path) -> None:
    terms = cluster(gov_db, top=30, where="year >= 2010")
    assert len(terms.table) == 30 and terms.table["cluster"].nunique() == round(np.sqrt(30))
    assert sorted(terms.table["order"]) == list(range(30))
    docs = cluster(gov_db, items="documents", where="year >= 2000", method="average")
    assert len(docs.tables["linkage"]) == len(docs.table) - 1


# -- document similarity and readability -----------------------------------------------------------------------
def test_similar_reports_are_close_in_time(gov_db: Path) -> None:
    result = similarity(gov_db, top=3, matrix=True, where="year >= 1978")
    top1 = result.table[result.table["rank"] == 1]
    assert (top1["year"] - top1["other_year"]).abs().median() <= 2
    m = result.tables["matrix"].set_index("doc_id")
    assert np.allclose(m.to_numpy(), m.to_numpy().T) and np.allclose(np.diag(m.to_numpy()), 1.0)
    assert (result.table.groupby("doc_id")["similarity"].apply(lambda s: s.is_monotonic_decreasing)).all()


def test_similarity_over_mean_embeddings(gov_db: Path, model) -> None:
    result = similarity(gov_db, method="embedding", top=1, where="year >= 1978")
    t = result.table
    assert (t["year"] - t["other_year"]).abs().median() <= 3
    assert t["similarity"].min() < 0.95  # centred means separate documents (raw means are all ≈ 0.999)


def test_readability_measures(gov_db: Path) -> None:
    result = readability(gov_db, where="year >= 2015")
    t = result.table
    assert len(t) >= 10 and not result.warnings
    assert np.allclose(t["readability3"], (t["readability1"] + t["readability2"]) / 2)
    assert ((t["readability1"] > 5) & (t["readability1"] < 40)).all()
    assert ((t["readability2"] > 0) & (t["readability2"] < 0.5)).all()
    assert (t["clauses"] >= t["sentences"]).all() and (t["mattr"] > t["ttr"]).all()
    long = readability(gov_db, window=100_000, where="year >= 2024")
    assert long.table["mattr"].isna().all() and "MATTR" in long.warnings[0]


def test_mattr_equals_the_definition() -> None:
    rng = np.random.default_rng(3)
    words = [str(w) for w in rng.integers(0, 30, 400)]
    brute = np.mean([len(set(words[i:i + 50])) / 50 for i in range(len(words) - 49)])
    assert mattr(words, 50) == pytest.approx(brute)
    assert np.isnan(mattr(words[:20], 50))


# -- the CLI and a second corpus in the same process ------------------------------------------------------------
def test_cli_similar_network_and_accept(gov_db: Path, model, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["similar", "新质生产力", "--db", str(gov_db), "--top", "5"])
    assert out.exit_code == 0, out.output
    assert similar(model, "新质生产力", top=1).table["neighbour"].iloc[0] in out.output
    cands = tmp_path / "cands.csv"
    out = runner.invoke(app, ["expand", "数字经济", "数字化", "--db", str(gov_db), "--method", "sopmi", "--out",
                              str(cands)])
    assert out.exit_code == 0, out.output
    joined = tmp_path / "joined.csv"  # seeds written as a researcher lists them: 数字经济,数字化 / 数字经济、数字化
    for spelled in ("数字经济,数字化", "数字经济、数字化"):
        out = runner.invoke(app, ["expand", spelled, "--db", str(gov_db), "--method", "sopmi", "--out", str(joined)])
        assert out.exit_code == 0 and "absent" not in out.output, out.output
        assert joined.read_bytes() == cands.read_bytes()
    table = pd.read_csv(cands, encoding="utf-8-sig", keep_default_na=False)
    table.loc[table["candidate"] == "数字中国", "keep"] = "是"
    table.to_csv(cands, index=False, encoding="utf-8-sig")
    user = tmp_path / "u.txt"
    out = runner.invoke(app, ["accept", str(cands), "--user-dict", str(user)])
    assert out.exit_code == 0, out.output
    assert user.read_text("utf-8") == "数字中国\n"
    out = runner.invoke(app, ["network", "--db", str(gov_db), "--where", "year >= 2024", "--out-dir",
                              str(tmp_path / "net")])
    assert out.exit_code == 0, out.output
    record = (tmp_path / "net" / "network.gexf.run.json").read_text("utf-8")
    assert "corpus-tool network --db" in record


def test_stale_model_is_refused(gov_db: Path, tmp_path: Path) -> None:
    files, manifest = _reports(tmp_path, range(2024, 2026))
    db = tmp_path / "small.duckdb"
    ingest_paths(files, db, manifests=[manifest])
    segment_corpus(db, SegmentSettings())
    train_embeddings(db, min_count=2, epochs=1)
    segment_corpus(db, SegmentSettings(user_dicts=(str(_user_dict(tmp_path)),)))
    with pytest.raises(EmbeddingError, match="train it again"):
        load_embeddings(db)


def _user_dict(tmp: Path) -> Path:
    path = tmp / "dict.txt"
    path.write_text("新型工业化\n", encoding="utf-8")
    return path


def test_second_corpus_with_its_own_dictionary(tmp_path: Path) -> None:
    import corpus_tool as ct

    files, manifest = _reports(tmp_path, range(2018, 2026))
    a = ct.ingest(files, tmp_path / "a.duckdb", metadata=manifest, pos=True)
    b = ct.Corpus(tmp_path / "b.duckdb", user_dict=_user_dict(tmp_path), pos=True)
    b.ingest(files, metadata=manifest)
    a.embed(min_count=2, epochs=1)
    b.embed(min_count=2, epochs=1)
    assert b.similar("新型工业化", top=3).table["query"].eq("新型工业化").all()
    assert a.similar("新型工业化", top=3).table.empty  # split by the default segmentation
    own = b.expand(["新型工业化"], method="sopmi", top=10)
    assert len(own.table) and not own.warnings
    split = a.expand(["新型工业化"], method="sopmi", top=10)
    assert split.table.empty and "新型工业化" in split.warnings[0]
    assert a.readability().table["words"].sum() > b.readability().table["words"].sum()  # one token, not two


# -- plots: every plot type draws its Chinese labels ------------------------------------------------------------
@pytest.fixture(scope="module")
def results(gov_db: Path, model) -> dict:
    import corpus_tool as ct

    c = ct.Corpus(gov_db)
    return {
        "neighbours": lambda: c.similar(["新质生产力", "高质量发展"], top=8).plot(),
        "projection": lambda: c.project("政府,计划 ↔ 市场,竞争", bootstrap=50).plot(),
        "projection_documents": lambda: c.project("政府,计划 ↔ 市场,竞争", by="document", bootstrap=20,
                                                  where="year >= 2020").plot(),
        "network": lambda: c.network(where="year >= 2018").plot(labels=25),
        "correspondence": lambda: c.correspondence(where="year >= 2000").plot(),
        "dendrogram": lambda: c.cluster(top=25).plot(),
        "similarity": lambda: c.similarity(matrix=True, where="year >= 2015").plot(),
        "readability": lambda: c.readability(where="year >= 2000").plot(),
    }


@pytest.mark.parametrize("kind", ["neighbours", "projection", "projection_documents", "network", "correspondence",
                                  "dendrogram", "similarity", "readability"])
def test_meaning_plots_draw_chinese(kind: str, results: dict) -> None:
    from test_plots import assert_glyphs_drawn, chinese_texts, render

    fig = results[kind]()
    texts = chinese_texts(fig)
    assert texts, "no Chinese label to check"
    _, missing = render(fig)
    assert not missing, missing
    for text in texts:
        assert_glyphs_drawn(text)


def test_network_plot_labels_only_the_central_nodes(results: dict) -> None:
    from matplotlib.text import Annotation

    fig = results["network"]()
    labels = [t.get_text() for t in fig.findobj(Annotation)]
    assert 10 <= len(labels) <= 25  # the 25 most central, less those that would overlap a label already drawn


def test_api_exports_carry_the_command_line(gov_db: Path, model, tmp_path: Path) -> None:
    import json

    import corpus_tool as ct

    c = ct.Corpus(gov_db)
    paths = c.similar("高质量发展", top=5).to_csv(tmp_path / "near.csv")
    record = json.loads(paths[-1].read_text("utf-8"))
    assert record["command_line"].startswith("corpus-tool similar '高质量发展' --db ")
    net = c.network(where="year >= 2024")
    files = {p.name for p in net.to_files(tmp_path / "net")}
    assert {"nodes.csv", "edges.csv", "network.gexf", "network.graphml"} <= files
    assert nx.read_gexf(net.to_gexf(tmp_path / "one.gexf")).number_of_edges() == len(net.edges)


def test_tables_are_byte_identical_run_to_run(gov_db: Path, model, tmp_path: Path) -> None:
    from corpus_tool.export.save import save_result

    runs = {
        "expand": lambda: expand(gov_db, ["数字经济", "数字化"], top=20),
        "ca": lambda: correspondence(gov_db, where="year >= 2000"),
        "cluster": lambda: cluster(gov_db, top=20),
        "docsim": lambda: similarity(gov_db, top=3, matrix=True, where="year >= 2010"),
        "readability": lambda: readability(gov_db, where="year >= 2020"),
        "project": lambda: project(gov_db, ["政府 ↔ 市场"], by="document", n_boot=20, where="year >= 2020"),
    }
    for name, run in runs.items():
        first = [p for p in save_result(run(), tmp_path / "a" / f"{name}.csv") if p.suffix == ".csv"]
        second = [p for p in save_result(run(), tmp_path / "b" / f"{name}.csv") if p.suffix == ".csv"]
        assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second], name


MEANING_API = {"embed": "embed", "similar": "similar", "expand": "expand", "project": "project", "network": "network",
               "ca": "correspondence", "cluster": "cluster", "docsim": "similarity", "readability": "readability"}


@pytest.mark.parametrize("command", sorted(MEANING_API))
def test_api_mirrors_the_meaning_commands(command: str) -> None:
    import inspect

    from corpus_tool.api import Corpus

    callbacks = {(c.name or c.callback.__name__): c.callback for c in app.registered_commands}
    cli = inspect.signature(callbacks[command]).parameters
    api = inspect.signature(getattr(Corpus, MEANING_API[command])).parameters
    for name, param in cli.items():
        if name in {"db", "out", "out_dir", "zh_headers"}:
            continue
        assert name in api, f"{command}: the API lacks --{name.replace('_', '-')}"
        if param.default is not inspect.Parameter.empty:
            assert api[name].default == param.default, f"{command} {name}: {api[name].default!r} != {param.default!r}"


def test_methods_paragraph_describes_each_meaning_analysis(gov_db: Path, model, tmp_path: Path) -> None:
    """Every meaning analysis gets its own methods sentence from its run record, never the generic fallback."""
    import json

    import corpus_tool as ct
    from corpus_tool.export.methods import methods_text

    c = ct.Corpus(gov_db)
    runs = {
        "similar": (c.similar("高质量发展", top=5), ["近邻", "CBOW", "Nearest neighbours"]),
        "expand": (c.expand(["数字经济", "数字化"]), ["SO-PMI", "数字经济、数字化", "±10"]),
        "project": (c.project("政府,计划 ↔ 市场,竞争", bootstrap=20), ["Kozlowski", "20 resamples"]),
        "network": (c.network(where="year >= 2024"), ["Louvain", "Jaccard", "60 strongest edges"]),
        "correspondence": (c.correspondence(where="year >= 2000"), ["χ²", "对应分析"]),
        "cluster": (c.cluster(top=25), ["ward", "层次聚类"]),
        "docsim": (c.similarity(), ["TF-IDF", "L2"]),
        "readability": (c.readability(), ["徐巍", "MATTR"]),
    }
    for name, (result, expected) in runs.items():
        paths = result.to_csv(tmp_path / f"{name}.csv")
        text = methods_text(json.loads(paths[-1].read_text("utf-8")))
        assert "parameters in the run record" not in text and "参数见运行记录" not in text, (name, text)
        for needle in expected:
            assert needle in text, (name, needle, text)
    record = json.loads((model.path / "model.run.json").read_text("utf-8"))
    text = methods_text(record)
    assert f"window {model.record['parameters']['window']}" in text and "one worker thread" in text
