"""Near-duplicate links found in the database (band keys and a self-join) are the links of the LSH index in
Python (datasketch), on real reports and on small cases of the matching rule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import shared_path

from corpus_tool.reading.dedup import NUM_PERM, Candidate, find_near_duplicates, near_duplicates_in_database
from corpus_tool.reading.document import IngestOptions
from corpus_tool.reading.pipeline import ingest_paths
from corpus_tool.store.db import CorpusDB


def _candidates(store: CorpusDB) -> list[Candidate]:
    rows = store.con.execute("SELECT d.doc_id, d.n_chars, d.year, d.doc_number, s.minhash, s.n_shingles "
                             "FROM documents d JOIN signatures s USING (doc_id) ORDER BY d.doc_id").fetchall()
    return [Candidate(doc_id, bytes(sig), n_sh or 0, n_chars or 0, year, number)
            for doc_id, n_chars, year, number, sig, n_sh in rows]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The government work reports of two sites: most years are on both, in different wording of layout."""
    corpus = shared_path("data", "policy_corpus")
    db = tmp_path_factory.mktemp("dedup") / "reports.duckdb"
    summary = ingest_paths([corpus / "gov_work_reports_hprc_1954_2017" / "txt",
                            corpus / "gov_work_reports_wikisource_1954_2025" / "txt"], db,
                           options=IngestOptions(timeout=None))
    assert summary.ok and summary.near_duplicates > 20
    return db


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.9])
def test_database_links_are_the_lsh_links_on_real_reports(reports: Path, threshold: float) -> None:
    with CorpusDB(reports) as store:
        expected = find_near_duplicates(_candidates(store), threshold)
        found = near_duplicates_in_database(store.con, threshold)
        stored = dict(store.con.execute(
            "SELECT doc_id, canonical_id FROM documents WHERE canonical_id IS NOT NULL").fetchall())
    assert len(expected) > 20
    assert found == expected
    if threshold == IngestOptions.near_duplicate_threshold:  # what the ingest stored
        assert stored == {k: v[0] for k, v in expected.items()}


def _variant(base: np.ndarray, changed: range, salt: int) -> np.ndarray:
    out = base.copy()
    out[list(changed)] ^= np.uint32(0x9E3779B1 + salt)  # other values at these positions only
    return out


@pytest.fixture()
def small(tmp_path: Path) -> Iterator[CorpusDB]:
    """Documents with signatures made to agree on a known number of their 128 values."""
    rng = np.random.default_rng(7)
    a = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64).astype(np.uint32)
    b = _variant(a, range(0, 26), 1)  # 102/128 ≈ 0.80 like a
    c = _variant(b, range(26, 52), 2)  # 0.80 like b, 0.59 like a: b is linked, so c stays canonical
    d = _variant(a, range(60, 128), 3)  # 0.47 like a: linked only because it has a's 发文字号
    e = _variant(a, range(100, 110), 4)  # 0.92 like a, but another year
    f = _variant(a, range(0, 10), 5)  # 0.92 like a and 0.86 like b: a is the canonical
    docs = [("a", 9000, 2020, "国发〔2020〕1号", a), ("b", 8000, 2020, None, b), ("c", 7000, None, None, c),
            ("d", 6000, 2020, "国发〔2020〕1号", d), ("e", 5000, 2021, None, e), ("f", 4000, None, "", f),
            ("g", 3000, None, None, _variant(a, range(0, 5), 6))]
    store = CorpusDB(tmp_path / "small.duckdb")
    for doc_id, n_chars, year, number, sig in docs:
        store.con.execute("INSERT INTO documents (doc_id, n_chars, year, doc_number) VALUES (?, ?, ?, ?)",
                          [doc_id, n_chars, year, number])
        store.con.execute("INSERT INTO signatures VALUES (?, ?, ?)", [doc_id, sig.astype("<u4").tobytes(), 500])
    store.con.execute("INSERT INTO documents (doc_id, n_chars) VALUES ('short', 99999)")  # too few shingles
    store.con.execute("INSERT INTO signatures VALUES ('short', ?, 10)", [a.astype("<u4").tobytes()])
    yield store
    store.close()


def test_matching_rule_in_the_database(small: CorpusDB) -> None:
    found = near_duplicates_in_database(small.con, 0.7)
    assert found == find_near_duplicates(_candidates(small), 0.7)
    assert found == {"b": ("a", round(102 / 128, 4)), "d": ("a", round(60 / 128, 4)),
                     "f": ("a", round(118 / 128, 4)), "g": ("a", round(123 / 128, 4))}
    # c is like b but b is a copy itself; e has another year; the short text is never compared
    assert {"c", "e", "short"}.isdisjoint(found)


def test_permutations_and_bands_equal_datasketch_without_importing_it() -> None:
    """The MinHash permutations and the LSH band choice are datasketch's, computed without its import."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from corpus_tool.reading import dedup

    a, b = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, scheme=dedup.SCHEME).permutations
    ours_a, ours_b = dedup._permutations()
    assert np.array_equal(a.astype(np.uint32), ours_a) and np.array_equal(b.astype(np.uint32), ours_b)
    for threshold in (0.3, 0.45, 0.5, 0.62, 0.7, 0.8, 0.85, 0.9, 0.97):
        lsh = MinHashLSH(threshold=max(0.3, threshold - 0.2), num_perm=dedup.NUM_PERM)
        assert dedup._lsh_bands(threshold) == (lsh.b, lsh.r), threshold


def test_info_lists_near_and_exact_duplicates(reports: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corpus_tool.cli import app

    runner = CliRunner()
    with CorpusDB(reports, read_only=True) as store:
        n_near = store.con.execute("SELECT count(*) FROM documents WHERE canonical_id IS NOT NULL").fetchone()[0]
    brief = runner.invoke(app, ["info", "--db", str(reports)])
    assert brief.exit_code == 0 and f"近似重复 near duplicates: {n_near} " in brief.output
    assert brief.output.count(" ≈ ") == 10 and f"… {n_near - 10} more" in brief.output
    full = runner.invoke(app, ["info", "--db", str(reports), "--duplicates"])
    assert full.output.count(" ≈ ") == n_near

    folder = tmp_path / "docs"
    folder.mkdir()
    text = "国务院关于加快发展新质生产力的意见。\n各省、自治区、直辖市人民政府要抓好落实。\n"
    for name in ("a.txt", "copy_of_a.txt", "b.txt"):
        (folder / name).write_text(text if name != "b.txt" else text.replace("加快", "推动"), encoding="utf-8")
    db = tmp_path / "c.duckdb"
    assert runner.invoke(app, ["ingest", str(folder), "--db", str(db), "-q"]).exit_code == 0
    out = runner.invoke(app, ["info", "--db", str(db)]).output
    assert "完全重复 exact duplicates: 1 documents stored once, read from 2 files" in out
    assert "a.txt" in out and "copy_of_a.txt" in out


def test_plain_python_signature_equals_numpy_signature() -> None:
    """Short texts are signed in plain Python (no numpy import for a one-file ingest): the same bytes and
    shingle count as the numpy computation, on the demo corpus's texts cut to several lengths."""
    from corpus_tool.reading import dedup

    demo = Path(__file__).resolve().parents[1] / "corpora" / "demo"
    texts = [p.read_text(encoding="utf-8") for p in sorted(demo.glob("*.txt"))]
    assert texts
    for text in texts:
        for n in (0, 4, 5, 6, 200, dedup.PLAIN_MAX_CHARS, 3000):
            norm = dedup.normalise(text)[:n]
            hashes = dedup._shingle_hashes(norm)
            mixed = dedup._fmix32(hashes.astype(np.uint32))
            a, b = dedup._permutations()
            expected = [int((mixed * a[i] + b[i]).min()) if len(mixed) else 0xFFFFFFFF for i in range(NUM_PERM)]
            assert dedup._plain_signature(norm) == (np.array(expected, dtype="<u4").tobytes(), len(hashes))
            assert dedup.signature(norm) == dedup._plain_signature(norm)  # numpy loaded: the numpy path
