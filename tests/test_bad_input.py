"""The bad-input zoo: each hostile or broken file is reported by name and reason, the rest of the
batch is ingested, and the exit code tells the truth (``--strict`` makes any failure fatal)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from conftest import shared_path

from corpus_tool.reading.document import IngestOptions, read_file
from corpus_tool.reading.pipeline import ingest_paths, read_files
from corpus_tool.reading.textfile import TooLongError, read_text
from corpus_tool.store.db import CorpusDB

CLI = [sys.executable, "-c", "from corpus_tool.cli import main; main()"]
GOOD_LINES = ["国务院关于测试文件的通知", "各省、自治区、直辖市人民政府：", "这是一个用于测试的文件。"]


def _text_pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(lines):
        c.drawString(50, 800 - 20 * i, line)
    c.save()
    return path


def _bomb_pdf(good: Path, path: Path, gib: int = 1) -> Path:
    """A valid PDF whose page content is ``gib`` GiB of zeros behind FlateDecode (about 1 MB on disk)."""
    import pikepdf

    comp = zlib.compressobj(1)
    block = b"\0" * (64 << 20)
    data = b"".join(comp.compress(block) for _ in range(16 * gib)) + comp.flush()
    with pikepdf.open(good) as pdf:
        stream = pikepdf.Stream(pdf, b"")
        stream.write(data, filter=pikepdf.Name.FlateDecode)
        pdf.pages[0].obj.Contents = pdf.make_indirect(stream)
        pdf.save(path)
    return path


def _nested_pdf(good: Path, path: Path, depth: int = 200_000) -> Path:
    """Arrays nested ``depth`` deep, in the page's resources and at the start of its content stream."""
    import pikepdf

    with pikepdf.open(good) as pdf:
        page = pdf.pages[0]
        content = page.obj.Contents.read_bytes()
        page.obj.Contents = pdf.make_indirect(pikepdf.Stream(pdf, b"[" * depth + b"]" * depth + b" pop\n" + content))
        page.obj.Resources.Nested = pikepdf.Name.X
        pdf.save(path, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    raw = path.read_bytes().replace(b"/Nested /X", b"/Nested " + b"[" * depth + b"]" * depth, 1)
    path.write_bytes(raw)
    return path


def _encrypted_pdf(good: Path, path: Path) -> Path:
    import pikepdf

    with pikepdf.open(good) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="secret", owner="owner", R=6))
    return path


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder holding every kind of bad input next to good files."""
    root = tmp_path_factory.mktemp("zoo") / "批次 2024 (混合)"
    root.mkdir()
    notice = shared_path("data", "policy_corpus", "state_council_docs_govcn_html_2019crawl", "txt", "gov_006.txt")
    files: dict[str, Path] = {}
    files["good_txt"] = root / "good.txt"
    shutil.copy(notice, files["good_txt"])
    files["good_pdf"] = _text_pdf(root / "good.pdf", GOOD_LINES)
    nested = root / "政策 文件" / "通知 (2019) 第1号.txt"  # non-ASCII and spaces in folder and file names
    nested.parent.mkdir()
    nested.write_text(notice.read_text("utf-8").replace("国办发〔2019〕3号", "国办发〔2019〕99号"), "utf-8")
    files["unicode_path"] = nested
    files["zero_txt"] = root / "zero.txt"
    files["zero_txt"].write_bytes(b"")
    files["zero_pdf"] = root / "zero.pdf"
    files["zero_pdf"].write_bytes(b"")
    good_bytes = files["good_pdf"].read_bytes()
    files["truncated"] = root / "truncated.pdf"
    files["truncated"].write_bytes(good_bytes[: len(good_bytes) // 2])
    files["encrypted"] = _encrypted_pdf(files["good_pdf"], root / "encrypted.pdf")
    files["scanned"] = root / "scanned.pdf"
    shutil.copy(shared_path("fixtures", "pdf", "scanned.pdf"), files["scanned"])
    files["binary_txt"] = root / "binary.txt"
    files["binary_txt"].write_bytes(random.Random(3).randbytes(200_000))
    files["huge_line"] = root / "one_line_50mb.txt"
    sentence = "在市场监管领域全面推行部门联合双随机一公开监管" * 1000  # no line break, no sentence end
    with files["huge_line"].open("w", encoding="utf-8") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(sentence)
    files["bomb"] = _bomb_pdf(files["good_pdf"], root / "bomb.pdf")
    files["nested"] = _nested_pdf(files["good_pdf"], root / "nested.pdf")
    files["fifo"] = root / "pipe.txt"  # a named pipe: opening it would block forever
    os.mkfifo(files["fifo"])
    files["html_scripts"] = root / "page.html"
    files["html_scripts"].write_text(
        "<html><head><script>var secret='脚本内容';</script><style>p{}</style></head><body>"
        "<nav>首页 导航</nav><div id='content'><p>" + "。</p><p>".join(notice.read_text("utf-8").splitlines()[3:])
        + "</p></div><script>document.write('脚本输出')</script></body></html>", "utf-8")
    return files


def _run(args: list[str], **kw) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def zoo_run(zoo: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = zoo["good_txt"].parent
    db = tmp_path_factory.mktemp("zoo_db") / "zoo.duckdb"
    started = time.monotonic()
    proc = _run(["ingest", str(root), "--db", str(db), "-j", "2", "-q", "--max-memory-mb", "1536", "--timeout", "120"])
    elapsed = time.monotonic() - started
    with CorpusDB(db, read_only=True) as store:
        errors = store.table("errors").set_index("source_path")
        files = store.table("files").set_index("source_path")
        texts = store.query("SELECT string_agg(text, '') AS t FROM paragraphs").t[0]
    return {"proc": proc, "errors": errors, "files": files, "texts": texts, "elapsed": elapsed}


EXPECTED_FAILURES = {
    "zero_txt": ("empty",), "zero_pdf": ("BrokenPdfError", "empty"), "truncated": ("BrokenPdfError",),
    "encrypted": ("EncryptedPdfError",), "scanned": ("scanned",), "binary_txt": ("DecodeError",),
    "huge_line": ("TooLongError",), "bomb": ("BrokenPdfError", "out_of_memory", "worker_crashed", "timeout"),
}


def test_each_bad_file_is_reported_by_name_and_reason(zoo: dict[str, Path], zoo_run: dict) -> None:
    proc, errors = zoo_run["proc"], zoo_run["errors"]
    for key, allowed in EXPECTED_FAILURES.items():
        path = str(zoo[key])
        assert path in errors.index, f"{key} not reported: {proc.stderr}"
        assert errors.loc[path, "error"] in allowed, (key, errors.loc[path].to_dict())
        assert errors.loc[path, "detail"], key
        assert path in proc.stderr  # the user sees the file's name and the reason
    assert "password" in errors.loc[str(zoo["encrypted"]), "detail"].lower()
    assert "--ocr" in errors.loc[str(zoo["scanned"]), "detail"]
    assert "--max-chars" in errors.loc[str(zoo["huge_line"]), "detail"]


def test_the_rest_of_the_batch_is_ingested(zoo: dict[str, Path], zoo_run: dict) -> None:
    files, texts = zoo_run["files"], zoo_run["texts"]
    for key in ("good_txt", "good_pdf", "unicode_path", "html_scripts"):
        assert str(zoo[key]) in files.index, key
    assert "这是一个用于测试的文件" in texts
    assert "国办发〔2019〕99号" in texts  # the file under a path with spaces and Chinese
    assert "脚本" not in texts and "导航" not in texts  # scripts and navigation dropped
    # Deeply nested objects: read, or reported with a reason; never a crash of the batch.
    nested = str(zoo["nested"])
    assert nested in files.index or nested in zoo_run["errors"].index


def test_exit_code_tells_the_truth(zoo: dict[str, Path], zoo_run: dict, tmp_path: Path) -> None:
    assert zoo_run["proc"].returncode == 1  # finished, some files failed
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(zoo["good_txt"], good / "a.txt")
    ok = _run(["ingest", str(good), "--db", str(tmp_path / "ok.duckdb"), "-q"])
    assert ok.returncode == 0, ok.stderr
    strict = _run(["ingest", str(zoo["good_txt"]), str(zoo["zero_txt"]), str(zoo["unicode_path"]),
                   "--db", str(tmp_path / "strict.duckdb"), "-q", "--strict"])
    assert strict.returncode == 3, strict.stderr
    with CorpusDB(tmp_path / "strict.duckdb", read_only=True) as store:
        done = set(store.table("files").source_path)
    # Paths are read in sorted order: the batch stopped at zero.txt, before the file after it.
    assert str(zoo["good_txt"]) in done and str(zoo["unicode_path"]) not in done
    missing = _run(["ingest", str(tmp_path / "nothing_here"), "--db", str(tmp_path / "m.duckdb"), "-q"])
    assert missing.returncode == 2 and "nothing_here" in missing.stderr  # a usage error, nothing to ingest
    assert not (tmp_path / "m.duckdb").exists()  # and no empty database left behind


def test_failed_files_are_not_retried_until_they_change(zoo: dict[str, Path], zoo_run: dict, tmp_path: Path) -> None:
    folder = tmp_path / "retry"
    folder.mkdir()
    shutil.copy(zoo["truncated"], folder / "t.pdf")
    db = tmp_path / "r.duckdb"
    first = ingest_paths([folder], db, options=IngestOptions(timeout=None))
    again = ingest_paths([folder], db, options=IngestOptions(timeout=None))
    assert (first.failed, again.failed, again.failed_before) == (1, 0, 1)
    assert not again.ok  # still reported as failing
    shutil.copy(zoo["good_pdf"], folder / "t.pdf")  # fixed: now it is read
    fixed = ingest_paths([folder], db, options=IngestOptions(timeout=None))
    assert (fixed.ingested, fixed.failed, fixed.failed_before) == (1, 0, 0)
    with CorpusDB(db, read_only=True) as store:
        assert store.table("errors").empty


def test_a_file_removed_during_the_run(zoo: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "vanishing"
    folder.mkdir()
    for i in range(8):
        (folder / f"doc_{i}.txt").write_text(zoo["good_txt"].read_text("utf-8") + f"\n第{i}份。\n", "utf-8")
    victim = folder / "doc_7.txt"

    def remove_victim(done: int, total: int, path: str) -> None:
        if done == 1:
            victim.unlink()

    summary = ingest_paths([folder], tmp_path / "v.duckdb", options=IngestOptions(timeout=None),
                           progress=remove_victim)
    assert summary.ingested == 7
    assert summary.errors == [(str(victim), "file_vanished", summary.errors[0][2])]
    assert "doc_7.txt" in summary.errors[0][2]


def test_an_unreadable_folder_is_reported(zoo: dict[str, Path], tmp_path: Path) -> None:
    """Root ignores permission bits, so as root the run drops the two capabilities that let it
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) with setpriv: the folder is then really unreadable."""
    folder = tmp_path / "archive"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    shutil.copy(zoo["good_txt"], folder / "open.txt")
    shutil.copy(zoo["good_txt"], locked / "hidden.txt")
    locked.chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux): cannot make a folder unreadable")
        caps = "-dac_override,-dac_read_search"
        prefix = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]
    try:
        proc = subprocess.run([*prefix, *CLI, "ingest", str(folder), "--db", str(tmp_path / "u.duckdb"), "-q"],
                              capture_output=True, text=True, timeout=300)
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert str(locked) in proc.stderr and "无法读取文件夹" in proc.stderr
    with CorpusDB(tmp_path / "u.duckdb", read_only=True) as store:
        errors = store.table("errors")
        files = list(store.table("files").source_path)
    assert files == [str(folder / "open.txt")]
    assert list(errors.source_path) == [str(locked)] and errors.error[0] == "folder_unreadable"


def test_a_stuck_parser_is_stopped_by_the_time_limit(zoo: dict[str, Path], tmp_path: Path) -> None:
    folder = shared_path("data", "policy_corpus", "gov_work_reports_hprc_1954_2017", "txt")
    slow = tmp_path / "slow.txt"
    # Slow enough (several times the limit) that a replaced worker's start-up cannot hide the difference.
    slow.write_text("".join(p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))) * 20, "utf-8")
    started = time.monotonic()
    unlimited = read_file(str(slow), IngestOptions(timeout=None, max_chars=None))
    full = time.monotonic() - started
    assert unlimited.error is None
    started = time.monotonic()
    # 3 s: a replaced worker must start (spawn, imports) within the next file's limit, even on a busy machine.
    pairs = [(str(slow), str(slow)), (str(zoo["good_txt"]), str(zoo["good_txt"]))]
    results = list(read_files(pairs, IngestOptions(timeout=3.0, max_chars=None), jobs=1))
    limited = time.monotonic() - started
    assert results[0].error is not None and results[0].error[0] == "timeout"
    assert results[1].error is None and results[1].documents  # the worker was replaced; the batch goes on
    assert full > 6.0, "the slow file is not slow enough on this machine to show the limit"
    assert limited < full, (limited, full)


def _stubborn(seconds: float) -> str:
    """Python code that never returns by itself and swallows every Exception, as a parser's page loop may."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            sum(range(1000))
        except Exception:  # on purpose: the time limit must get through this
            pass
    return "done"


def test_a_single_file_is_read_in_this_process_under_the_time_limit(
        zoo: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    from corpus_tool.parallel import PoolEngine, SerialEngine, TaskTimeout

    engine = SerialEngine(alarm=True)
    started = time.monotonic()
    out = list(engine.map(_stubborn, [600.0, 0.0], timeout=1.0, on_error=lambda item, exc: exc))
    assert isinstance(out[0], TaskTimeout) and out[1] == "done"
    assert time.monotonic() - started < 30  # not the 600 s the stuck item would take
    assert multiprocessing.active_children() == []

    def no_workers(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker process was started for one file")

    monkeypatch.setattr(PoolEngine, "map", no_workers)
    good = str(zoo["good_txt"])
    for jobs in (1, 2):
        results = list(read_files([(good, good)], IngestOptions(timeout=60.0), jobs=jobs))
        assert results[0].error is None and results[0].documents


def test_a_huge_line_costs_bounded_memory(zoo: dict[str, Path], tmp_path: Path) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(TooLongError):
            read_text(zoo["huge_line"], max_chars=5_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 80 * 1024 * 1024  # 50 MB on disk; reading stops at the limit
    # Under the limit, a long line is read and cut into paragraphs at sentence ends.
    line = tmp_path / "line.txt"
    line.write_text("为持续深化改革，推行联合监管，实现全覆盖。" * 20_000, "utf-8")
    result = read_file(str(line), IngestOptions(timeout=None))
    assert result.error is None
    doc = result.documents[0]
    assert any(e.step == "long_lines_split" for e in doc.log)
    assert sum(len(u.text) for u in doc.units) == 21 * 20_000
    assert max(len(u.text) for u in doc.units) <= 20_000


def test_pdfminer_loads_cmaps_from_json_never_pickle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CVE-2025-64512 / GHSA-f83h-ghpp-7wcc: pdfminer.six < 20251107 unpickled CMap files found on
    CMAP_PATH. The pinned release reads only gzipped JSON: a planted pickle is never loaded."""
    import gzip
    import pickle
    from importlib.metadata import version

    import pdfminer.cmapdb as cmapdb

    assert int(version("pdfminer.six")) >= 20260107
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (marker.write_text, ("code ran",))

    with gzip.open(tmp_path / "Evil-H.pickle.gz", "wb") as fh:
        pickle.dump(Payload(), fh)
    monkeypatch.setenv("CMAP_PATH", str(tmp_path))
    with pytest.raises(cmapdb.CMapDB.CMapNotFound):
        cmapdb.CMapDB._load_data("Evil-H")
    assert not marker.exists()
    assert "pickle" not in Path(cmapdb.__file__).read_text("utf-8")
