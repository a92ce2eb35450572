"""The HTML page the tool writes (the pyLDAvis topic page), rendered by a real headless browser, offline."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from corpus_tool.analyse.topics import fit_topics, write_topics
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.segment.base import SegmentSettings
from corpus_tool.segment.run import segment_corpus

REPO = Path(__file__).resolve().parents[1]


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    message = "no headless browser (apt-get install chromium)"
    if os.environ.get("CORPUS_TOOL_REQUIRE_EXTRAS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _render(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    # A proxy on a closed local port: any request for a script, style or font from the network fails,
    # so what renders is what the page carries itself.
    args = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
            "--virtual-time-budget=8000", *extra, page.as_uri()]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def topic_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    tmp = tmp_path_factory.mktemp("ldavis")
    db = tmp / "demo.duckdb"
    ingest_paths([REPO / "corpora" / "demo"], db)
    segment_corpus(db, SegmentSettings())
    result = fit_topics(db, k=3, seeds=1, by=[], unit="paragraph", n_boot=0, c_v=False)
    write_topics(result, tmp / "out", fmt="csv")
    return tmp / "out" / "topics_ldavis.html", result.topic_labels, result.topic_terms


def test_topic_page_renders_offline_with_the_tables_topics(topic_page) -> None:
    page, labels, terms = topic_page
    r = _render(page, "--dump-dom")
    assert r.returncode == 0, r.stderr[-2000:]
    dom = r.stdout
    drawn = sorted(int(n) for n in re.findall(r'<circle class="dot"[^>]*id="ldavis_topics-topic(\d+)"', dom))
    assert drawn == sorted(labels["topic"].tolist())  # one circle per topic, numbered as in the tables
    shown_terms = set(re.findall(r'class="terms"[^>]*>([^<]+)</text>', dom))
    assert len(shown_terms) >= 10
    assert all(re.search(r"[\u4e00-\u9fff]", t) for t in shown_terms)  # Chinese terms, not escapes or boxes
    top_terms = set(terms.query("rank <= 3")["term"])
    assert top_terms & shown_terms


def test_topic_page_screenshot_is_drawn(topic_page, tmp_path: Path) -> None:
    from PIL import Image

    page, _, _ = topic_page
    shot = tmp_path / "page.png"
    r = _render(page, "--window-size=1300,900", f"--screenshot={shot}")
    assert r.returncode == 0 and shot.exists(), r.stderr[-2000:]
    histogram = Image.open(shot).convert("L").histogram()
    ink = sum(histogram[:200]) / sum(histogram)
    assert ink > 0.02  # circles, bars and labels, not an empty page
