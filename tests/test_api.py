"""The Python API end to end on the demo corpus: tables, results, exports equal to the CLI's, plots,
and no shared state between two corpora in one process."""

from __future__ import annotations

import inspect
import io
import json
import re
import warnings
from pathlib import Path

import jieba
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import corpus_tool as ct
from corpus_tool.api import Corpus
from corpus_tool.cli import app
from corpus_tool.notebook import CodingResult, KeynessResult, KwicResult

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "demo"
HAN = re.compile(r"[\u4e00-\u9fff]")
runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The demo corpus (3 TXT + 1 PDF), ingested and segmented through the API."""
    db = tmp_path_factory.mktemp("api") / "demo.duckdb"
    c = ct.ingest(DEMO, db=db)
    assert c.last_ingest is not None and c.last_ingest.ok, c.last_ingest
    c.segment()
    return c


def render_checked(fig) -> None:
    """Render to PNG; fail on any missing glyph."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png", dpi=50)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing


# -- tables ------------------------------------------------------------------------------------------------------
def test_ingest_returns_a_corpus_with_the_contract_tables(corpus: Corpus) -> None:
    docs = corpus.documents()
    assert len(docs) == len(list(DEMO.glob("*.txt"))) + len(list(DEMO.glob("*.pdf")))
    for col in ("doc_id", "source_path", "title", "year", "date", "issuer", "doc_number", "doc_type", "abstract",
                "keywords", "n_chars"):
        assert col in docs.columns
    paras = corpus.paragraphs()
    assert list(paras.columns[:5]) == ["doc_id", "para_no", "section_no", "section_title", "text"]
    tokens = corpus.tokens()
    assert list(tokens.columns[:5]) == ["doc_id", "para_no", "position", "token", "pos"]
    # Tokens cover every paragraph's text in order (the tokens table is the store's, not a copy).
    first = paras.iloc[1]
    toks = tokens[(tokens.doc_id == first.doc_id) & (tokens.para_no == first.para_no)].sort_values("position")
    assert "".join(toks.token) == re.sub(r"\s", "", first.text)
    log = corpus.log()
    assert {"doc_id", "source_path", "step", "count", "detail"} <= set(log.columns) and len(log)
    assert corpus.errors().empty


def test_where_filters_every_table(corpus: Corpus) -> None:
    recent = corpus.documents(where="year >= 2024")
    assert len(recent) and (recent["year"] >= 2024).all()
    assert set(corpus.paragraphs(where="year >= 2024")["doc_id"]) == set(recent["doc_id"])
    assert set(corpus.tokens(where="year >= 2024")["doc_id"]) == set(recent["doc_id"])


def test_corpus_html_and_missing_database(tmp_path: Path, corpus: Corpus) -> None:
    assert "文档 documents" in corpus._repr_html_()
    with pytest.raises(FileNotFoundError, match="corpus database not found"):
        Corpus(tmp_path / "nothing.duckdb").documents()


def test_ct_ingest_is_a_plain_function_beside_the_reading_stage() -> None:
    import corpus_tool.reading.pipeline  # noqa: F401  (importing the stage must not replace ct.ingest)

    assert callable(ct.ingest) and ct.ingest.__module__ == "corpus_tool"
    assert ct.ingest.__doc__ and "corpus_tool.api.ingest" in ct.ingest.__doc__


# -- the same parameters, defaults and files as the CLI ---------------------------------------------------------
API_FOR_COMMAND = {"freq": "frequencies", "keywords": "keywords", "keyness": "keyness", "ngrams": "ngrams",
                   "collocations": "collocations", "kwic": "kwic", "code": "code", "ingest": "ingest",
                   "newwords": "newwords", "topics": "topics"}
# Options about where and how files are written: the API has them on .to_csv() / .to_dir().
CLI_ONLY = {"db", "out", "zh_headers", "quiet", "verbose", "paths", "accept", "accept_top", "user_dict", "out_dir",
            "fmt", "no_html"}


@pytest.mark.parametrize("command", sorted(API_FOR_COMMAND))
def test_api_mirrors_cli_parameters_and_defaults(command: str) -> None:
    callbacks = {(c.name or c.callback.__name__): c.callback for c in app.registered_commands}
    cli = inspect.signature(callbacks[command]).parameters
    api = inspect.signature(getattr(Corpus, API_FOR_COMMAND[command])).parameters
    for name, param in cli.items():
        if name in CLI_ONLY or (command == "code" and name == "dictionary"):
            continue
        assert name in api, f"{command}: the API lacks --{name.replace('_', '-')}"
        if param.default is not inspect.Parameter.empty:
            assert api[name].default == param.default, f"{command} {name}: {api[name].default!r} != {param.default!r}"


def test_segment_options_are_all_available() -> None:
    """Every `corpus-tool segment` option is a Corpus setting or a segment() argument (None: keep what is stored)."""
    callbacks = {(c.name or c.callback.__name__): c.callback for c in app.registered_commands}
    cli = set(inspect.signature(callbacks["segment"]).parameters) - {"db"}
    api = set(inspect.signature(Corpus.__init__).parameters) | set(inspect.signature(Corpus.segment).parameters)
    assert cli <= api, cli - api


CASES = [
    ("freq", [], lambda c: c.frequencies()),
    ("freq", ["--by", "year", "--top", "5", "--min-chars", "2"],
     lambda c: c.frequencies(by="year", top=5, min_chars=2)),
    ("keywords", [], lambda c: c.keywords()),
    ("keywords", ["--method", "textrank", "--by", "corpus", "--top", "10"],
     lambda c: c.keywords(method="textrank", by="corpus", top=10)),
    ("keyness", ["--target", "year >= 2024"], lambda c: c.keyness("year >= 2024")),
    ("ngrams", ["--n", "3", "--min-freq", "2"], lambda c: c.ngrams(n=3, min_freq=2)),
    ("collocations", ["--min-freq", "2"], lambda c: c.collocations(min_freq=2)),
    ("kwic", ["新质生产力", "--window", "12"], lambda c: c.kwic("新质生产力", window=12)),
    ("code", ["--dictionary", "starter"], lambda c: c.code("starter")),
]


@pytest.mark.parametrize(("command", "args", "call"), CASES, ids=[f"{c[0]}{i}" for i, c in enumerate(CASES)])
def test_exports_equal_the_cli(command: str, args: list[str], call, corpus: Corpus, tmp_path: Path) -> None:
    cli_out, api_out = tmp_path / "cli" / "t.csv", tmp_path / "api" / "t.csv"
    cli_out.parent.mkdir()
    arguments = args[:1] if command == "kwic" else []
    options = args[1:] if command == "kwic" else args
    result = runner.invoke(app, [command, *arguments, "--db", str(corpus.path), *options, "--out", str(cli_out)])
    assert result.exit_code == 0, result.output
    written = call(corpus).to_csv(api_out)
    assert written[0] == api_out and written[-1].name == "t.csv.run.json"
    assert api_out.read_bytes() == cli_out.read_bytes()
    for companion in sorted(cli_out.parent.glob("t.*.csv")):  # coding evidence
        assert (api_out.parent / companion.name).read_bytes() == companion.read_bytes()
    cli_rec = json.loads((cli_out.parent / "t.csv.run.json").read_text("utf-8"))
    api_rec = json.loads((api_out.parent / "t.csv.run.json").read_text("utf-8"))
    assert api_rec["parameters"] == cli_rec["parameters"]
    assert api_rec["segmentation"] == cli_rec["segmentation"]
    assert api_rec["corpus"] == cli_rec["corpus"]
    # The record of a notebook export names the CLI command that writes the same file.
    assert api_rec["command_line"] == cli_rec["command_line"].replace(str(cli_out), str(api_out))


def test_excel_and_parquet_exports(corpus: Corpus, tmp_path: Path) -> None:
    kw = corpus.keywords(top=5)
    xlsx = kw.to_excel(tmp_path / "kw")[0]
    assert xlsx.suffix == ".xlsx" and (tmp_path / "kw.xlsx.run.json").exists()
    back = pd.read_excel(xlsx)
    assert back["term"].tolist() == kw.table["term"].tolist()
    parquet = kw.to_parquet(tmp_path / "kw.parquet", zh_headers=True)[0]
    assert "词语" in pd.read_parquet(parquet).columns
    with pytest.raises(ValueError, match=r"does not end in \.csv"):
        kw.to_csv(tmp_path / "kw.xlsx")


# -- results: notebook views and plots ---------------------------------------------------------------------------
def test_kwic_html_highlights_the_keyword(corpus: Corpus) -> None:
    hits = corpus.kwic("新质生产力")
    assert isinstance(hits, KwicResult) and len(hits) >= 5
    page = hits._repr_html_()
    marks = re.findall(r"<mark[^>]*>(.*?)</mark>", page)
    assert marks == hits.table["match"].head(30).tolist()
    first = hits.table.iloc[0]
    assert f"{first.left}</td>" in page and f">{first.right}</td>" in page


def test_kwic_html_escapes_text(corpus: Corpus) -> None:
    hits = corpus.kwic("新质生产力")
    table = hits.table.copy()
    table.loc[0, "left"] = "<script>alert('x')</script>&"
    table.loc[0, "match"] = "<b>新质生产力</b>"
    page = KwicResult(analysis="kwic", table=table, params=hits.params)._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp;" in page
    assert "<mark style='background:#ffe08a;font-weight:bold'>&lt;b&gt;新质生产力&lt;/b&gt;</mark>" in page


def test_kwic_dispersion_positions_and_plot(corpus: Corpus) -> None:
    hits = corpus.kwic("新质生产力|数字", regex=True)
    pos = hits.positions()
    assert len(pos) == len(hits) and pos["position"].between(0, 1).all()
    assert set(pos["term"]) == {"新质生产力", "数字"}
    # Later hits in a document lie further on.
    for _, group in hits.table.assign(position=pos["position"].to_numpy()).groupby("doc_id"):
        ordered = group.sort_values(["para_no", "start"])
        assert ordered["position"].is_monotonic_increasing
    fig = hits.plot()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == pos["doc_id"].nunique() and all(HAN.search(x) for x in labels)
    render_checked(fig)


def test_result_plots_render_chinese(corpus: Corpus) -> None:
    keyness = corpus.keyness("year >= 2024")
    assert isinstance(keyness, KeynessResult)
    fig = keyness.plot(top=8)
    bars = fig.axes[0].patches
    assert len(bars) > 0
    render_checked(fig)
    render_checked(corpus.keywords(top=5).plot())
    render_checked(corpus.frequencies(top=60).wordcloud(width=500, height=300))
    coding = corpus.code("starter", by="year")
    assert isinstance(coding, CodingResult) and len(coding.evidence)
    render_checked(coding.plot())


def test_coding_evidence_backs_every_count(corpus: Corpus) -> None:
    coding = corpus.code("starter")
    counted = coding.table.groupby("code")["matches"].sum()
    evidence = coding.evidence.groupby("code").size()
    assert (counted[counted > 0] == evidence.reindex(counted[counted > 0].index)).all()


def test_methods_paragraph_names_the_command(corpus: Corpus) -> None:
    text = corpus.keywords(top=5).methods("en")
    assert "corpus-tool keywords" in text and "TF-IDF" in text


# -- no shared state: two corpora, two dictionaries, one process ------------------------------------------------
def test_two_corpora_with_different_user_dictionaries(tmp_path: Path) -> None:
    a_dict, b_dict = tmp_path / "a.txt", tmp_path / "b.txt"
    a_dict.write_text("政策工具 100 n\n供给型 100 n\n", encoding="utf-8")
    b_dict.write_text("需求型 100 n\n", encoding="utf-8")
    journal = DEMO / "journal_新质生产力政策工具分析.txt"
    a = ct.ingest(journal, db=tmp_path / "a.duckdb", user_dict=a_dict)
    b = ct.ingest(journal, db=tmp_path / "b.duckdb", user_dict=b_dict)
    plain = ct.ingest(journal, db=tmp_path / "plain.duckdb")

    a_tokens = set(a.tokens()["token"])
    b_tokens = set(b.tokens()["token"])
    plain_tokens = set(plain.tokens()["token"])
    assert {"政策工具", "供给型"} <= a_tokens and "需求型" not in a_tokens
    assert "需求型" in b_tokens and not {"政策工具", "供给型"} & b_tokens
    assert not {"政策工具", "供给型", "需求型"} & plain_tokens
    # After the others segmented, each corpus still has its own tokens, and analyses use them.
    assert set(a.tokens()["token"]) == a_tokens
    assert "政策工具" in set(a.frequencies().table["term"])
    assert "政策工具" not in set(b.frequencies().table["term"])
    # jieba's global tokenizer never saw a user word.
    assert "政策工具" not in jieba.lcut("政策工具") and "需求型" not in jieba.lcut("需求型工具")


def test_explicit_settings_resegment_a_database(tmp_path: Path) -> None:
    """A Corpus given settings makes the stored tokens match them; one given none keeps what is stored."""
    journal = DEMO / "journal_新质生产力政策工具分析.txt"
    db = tmp_path / "c.duckdb"
    words = tmp_path / "w.txt"
    words.write_text("政策工具\n", encoding="utf-8")
    ct.ingest(journal, db=db).segment()
    assert "政策工具" not in set(Corpus(db).tokens()["token"])
    assert "政策工具" in set(Corpus(db, user_dict=words).tokens()["token"])
    kept = Corpus(db)  # no settings: keep the stored segmentation (made with the user dictionary)
    assert "政策工具" in set(kept.tokens()["token"])
    seg = kept.segmentation
    assert seg is not None and seg["settings"]["user_dicts"] == [str(words)]


def test_results_are_deterministic(corpus: Corpus, tmp_path: Path) -> None:
    first = corpus.collocations(min_freq=2).to_csv(tmp_path / "a.csv")[0].read_bytes()
    second = corpus.collocations(min_freq=2).to_csv(tmp_path / "b.csv")[0].read_bytes()
    assert first == second


# -- topics ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def topics(corpus: Corpus):
    return corpus.topics(k="2:3", seeds=2, resample=0, bootstrap=50)


def ldavis_data(page: str) -> dict:
    match = re.search(r'new LDAvis\("#ldavis_topics", (\{.*\})\);', page, re.S)
    assert match, "no LDAvis data in the page"
    return json.loads(match.group(1))


def test_ldavis_topic_numbers_match_topic_terms(topics) -> None:
    data = ldavis_data(topics.ldavis_html())
    k = topics.k
    assert data["topic.order"] == list(range(1, k + 1))  # pyLDAvis did not reorder the topics
    assert data["mdsDat"]["topics"] == list(range(1, k + 1))
    shares = dict(zip(topics.topic_labels["topic"], topics.topic_labels["share"], strict=True))
    for t, freq in zip(data["mdsDat"]["topics"], data["mdsDat"]["Freq"], strict=True):
        assert freq / 100 == pytest.approx(shares[t], rel=1e-6)
    tinfo = pd.DataFrame(data["tinfo"])
    for t in range(1, k + 1):
        page = tinfo[tinfo["Category"] == f"Topic{t}"].set_index("Term")["logprob"]
        table = topics.topic_terms[topics.topic_terms["topic"] == t].set_index("term")["weight"]
        shared = table.index.intersection(page.index)
        assert len(shared) >= 5
        # Topic t on the page has topic t's term weights (logprob is rounded to 4 decimals by pyLDAvis).
        assert np.allclose(np.exp(page[shared]), table[shared], rtol=1e-3), t
        if t > 1:  # and not another topic's
            other = topics.topic_terms[topics.topic_terms["topic"] == t - 1].set_index("term")["weight"]
            both = other.index.intersection(page.index)
            assert not len(both) or not np.allclose(np.exp(page[both]), other[both], rtol=1e-3)


def test_topics_tables_plots_and_exports(topics, tmp_path: Path) -> None:
    assert topics.k in (2, 3) and topics.reason
    assert set(topics.table.columns) >= {"topic", "rank", "term", "weight"}
    shares = topics.shares("year")
    assert shares is topics.topic_by_year
    assert ((shares["lower"] <= shares["share"] + 1e-12) & (shares["share"] <= shares["upper"] + 1e-12)).all()
    assert set(topics.sweep["k"]) == {2, 3}
    for kind in ("terms", "shares", "sweep"):
        render_checked(topics.plot(kind))
    render_checked(topics.wordcloud(1, width=400, height=250))
    assert "<table" in topics._repr_html_() and "<iframe srcdoc=" in topics.ldavis()._repr_html_()
    written = topics.to_dir(tmp_path / "t")
    names = {p.name for p in written}
    assert {"topic_terms.csv", "topic_terms.csv.run.json", "topic_by_year.csv", "topics_ldavis.html"} <= names
    record = json.loads((tmp_path / "t" / "topic_terms.csv.run.json").read_text("utf-8"))
    assert record["command_line"].startswith("corpus-tool topics --db ")
    assert "--out-dir" in record["command_line"]
    # One table on its own, as from every other result: the same bytes and provenance as in the folder.
    one = topics.to_csv(tmp_path / "terms.csv")
    assert one[0].read_bytes() == (tmp_path / "t" / "topic_terms.csv").read_bytes()
    single = json.loads(one[1].read_text("utf-8"))
    assert single["parameters"] == record["parameters"] and single["seeds"] == record["seeds"]
    labels = topics.to_excel(tmp_path / "labels.xlsx", table="topic_labels", zh_headers=True)[0]
    assert "主题标签" in pd.read_excel(labels).columns


def test_topic_tables_equal_the_cli(topics, corpus: Corpus, tmp_path: Path) -> None:
    args = ["topics", "--db", str(corpus.path), "--k", "2:3", "--seeds", "2", "--resample", "0", "--bootstrap", "50",
            "--out-dir", str(tmp_path / "cli"), "--quiet"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    topics.to_dir(tmp_path / "api")
    for name in ("topic_terms.csv", "topic_labels.csv", "doc_topics.csv", "topic_by_year.csv", "sweep.csv"):
        assert (tmp_path / "api" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    cli_rec = json.loads((tmp_path / "cli" / "topic_terms.csv.run.json").read_text("utf-8"))
    api_rec = json.loads((tmp_path / "api" / "topic_terms.csv.run.json").read_text("utf-8"))
    assert api_rec["command_line"] == cli_rec["command_line"].replace(str(tmp_path / "cli"), str(tmp_path / "api"))
    assert {k: v for k, v in api_rec["parameters"].items() if k != "jobs"} == \
        {k: v for k, v in cli_rec["parameters"].items() if k != "jobs"}
