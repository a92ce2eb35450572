"""The notebooks run headless, top to bottom, from notebooks/ as their working directory (as in Jupyter).

Any error in any cell fails the test. The notebooks are stored without outputs; their results go to a
temporary folder (``CORPUS_TOOL_OUT``), and plots must draw Chinese (no missing-glyph warnings).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
REPORTS = ("data", "policy_corpus", "gov_work_reports_wikisource_1954_2025", "manifest.csv")


def execute(name: str, out: Path, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel with notebooks/ as its working directory."""
    monkeypatch.setenv("CORPUS_TOOL_OUT", str(out))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    # The kernel imports this checkout's corpus_tool, not whichever one is installed.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(book, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    return book


def outputs(book: nbformat.NotebookNode) -> list[dict]:
    return [o for cell in book.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


def text_of(book: nbformat.NotebookNode) -> str:
    parts = []
    for o in outputs(book):
        parts.append(o.get("text", ""))
        for mime in ("text/plain", "text/html"):
            parts.append(str(o.get("data", {}).get(mime, "")))
    return "\n".join(parts)


def n_images(book: nbformat.NotebookNode) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs(book))


@pytest.mark.parametrize("name", ["01-quickstart.ipynb", "02-policy-trends.ipynb", "03-meaning.ipynb"])
def test_notebooks_are_stored_without_outputs(name: str) -> None:
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_quickstart_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = execute("01-quickstart.ipynb", tmp_path, monkeypatch)
    text = text_of(book)
    assert "missing from font" not in text, "a plot lacked Chinese glyphs"
    assert n_images(book) >= 6  # keywords, word cloud, dispersion, topic terms, shares, sweep
    assert "<mark" in text  # the KWIC view highlights the keyword
    record = json.loads((tmp_path / "keywords.csv.run.json").read_text("utf-8"))
    assert record["command_line"].startswith("corpus-tool keywords --db ")
    assert (tmp_path / "keywords.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "topics" / "topic_terms.csv").exists() and (tmp_path / "topics_ldavis.html").exists()


def test_policy_trends_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import shared_path

    manifest = shared_path(*REPORTS)  # skips without ../shared; fails when CI requires it
    monkeypatch.setenv("CORPUS_TOOL_SHARED", str(manifest.parents[3]))
    book = execute("02-policy-trends.ipynb", tmp_path, monkeypatch)
    text = text_of(book)
    assert "missing from font" not in text
    assert n_images(book) >= 6
    assert "52 份报告 reports" in text
    assert (tmp_path / "coding_by_year.xlsx").exists() and (tmp_path / "topics_k10" / "topic_by_year.csv").exists()


def test_meaning_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import shared_path

    manifest = shared_path(*REPORTS)
    monkeypatch.setenv("CORPUS_TOOL_SHARED", str(manifest.parents[3]))
    book = execute("03-meaning.ipynb", tmp_path, monkeypatch)
    text = text_of(book)
    assert "missing from font" not in text
    assert n_images(book) >= 7  # neighbours, projection, network, CA, dendrogram, similarity, readability
    assert "新质生产力" in text and "高质量发展" in text
    for name in ("expand_digital.xlsx", "codes_with_digital.yaml", "docsim.xlsx", "readability.csv",
                 "network_2018/network.gexf", "network_2018/edges.csv",
                 "gov_meaning.duckdb.models/word2vec/vectors.bin"):
        assert (tmp_path / name).exists(), name
    record = json.loads((tmp_path / "readability.csv.run.json").read_text("utf-8"))
    assert record["command_line"].startswith("corpus-tool readability --db ")


def test_policy_trends_says_clearly_when_the_data_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the data the notebook stops at its first code cell with a message saying where to point it."""
    monkeypatch.setenv("CORPUS_TOOL_SHARED", str(tmp_path / "nowhere"))
    monkeypatch.setenv("CORPUS_TOOL_OUT", str(tmp_path))
    book = nbformat.read(NOTEBOOKS / "02-policy-trends.ipynb", as_version=4)
    first_code = next(i for i, c in enumerate(book.cells) if c.cell_type == "code")
    book.cells = book.cells[: first_code + 1]
    client = NotebookClient(book, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}})
    with pytest.raises(Exception, match="CORPUS_TOOL_SHARED") as info:
        client.execute()
    assert "找不到政府工作报告数据" in str(info.value)
