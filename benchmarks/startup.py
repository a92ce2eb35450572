"""Start-up of the command line, each in a fresh process, against a bare Python and plain pdfplumber.

    python benchmarks/startup.py [--runs 5]

Prints the median of ``--runs`` fresh processes: ``corpus-tool --help``, ``info`` on the demo corpus,
``kwic`` before its own work (``kwic --help``), ingesting one text file, and ingesting a one-page PDF beside
plain pdfplumber ``extract_text`` of its pages in a fresh process (issue 14's targets: 0.3 s, 0.5 s,
0.5 s, 2×). ``benchmarks/run_all.py`` reuses :func:`measure` for its start-up and one-file rows.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "demo"
# A one-page real PDF from the shared data when present (a standard's first page), else the demo PDF.
_ONE_PAGE = REPO.parent / "shared" / "data" / "pdfs" / "real" / "std_anhui_land_use_2020_p1.pdf"
PDF = _ONE_PAGE if _ONE_PAGE.is_file() else next(DEMO.glob("*.pdf"))
TEXT = next(DEMO.glob("*.txt"))


def timed(args: list[str], cwd: Path, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, cwd=cwd, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(runs: int = 5, code: Path = REPO) -> dict[str, Any]:
    """Median seconds of each command in fresh processes, run from a scratch folder with the ``corpus_tool``
    package of ``code`` (this checkout by default; another one, e.g. ``git archive`` of a commit, to compare)."""
    py = sys.executable
    cli = [py, "-m", "corpus_tool"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "corpus_tool").symlink_to(code / "corpus_tool")  # `python -m corpus_tool` runs this checkout
        subprocess.run([*cli, "ingest", str(DEMO), "-q"], cwd=work, check=True, capture_output=True)
        out: dict[str, Any] = {"code": str(code), "runs": runs, "pdf": PDF.name, "text": TEXT.name}
        out["python"] = timed([py, "-c", "pass"], work, runs)
        out["help"] = timed([*cli, "--help"], work, runs)
        out["info"] = timed([*cli, "info"], work, runs)
        out["kwic_help"] = timed([*cli, "kwic", "--help"], work, runs)
        plain = f"import pdfplumber; [p.extract_text() for p in pdfplumber.open({str(PDF)!r}).pages]"
        out["pdfplumber_page"] = timed([py, "-c", plain], work, runs)
        out["ingest_pdf_page"] = _fresh_dbs(cli, PDF, work, runs)
        out["ingest_text"] = _fresh_dbs(cli, TEXT, work, runs)
    return out


def _fresh_dbs(cli: list[str], path: Path, work: Path, runs: int) -> float:
    """Median seconds of ingesting ``path`` into a new database each time (a re-ingest would read nothing)."""
    times = []
    for i in range(runs):
        started = time.perf_counter()
        subprocess.run([*cli, "ingest", str(path), "--db", f"{path.suffix[1:]}{i}.duckdb", "-q"], cwd=work,
                       capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--code", type=Path, default=REPO, help="a checkout whose corpus_tool to measure")
    args = ap.parse_args()
    r = measure(args.runs, args.code.resolve())
    rows = [("python -c pass", r["python"], None), ("corpus-tool --help", r["help"], 0.3),
            ("corpus-tool info", r["info"], 0.5), ("corpus-tool kwic --help", r["kwic_help"], 0.5),
            ("ingest one text file", r["ingest_text"], None)]
    print(f"{'command':<28}{'median s':>10}{'target':>10}")
    for name, seconds, target in rows:
        print(f"{name:<28}{seconds:>10.3f}{'' if target is None else f'{target:>10.1f}'}")
    print(f"{'pdfplumber one page':<28}{r['pdfplumber_page']:>10.3f}")
    print(f"{'ingest one page':<28}{r['ingest_pdf_page']:>10.3f}   ratio "
          f"{r['ingest_pdf_page'] / r['pdfplumber_page']:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
