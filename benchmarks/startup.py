"""Start-up of the command line, each in a fresh process, against a bare Python and plain pdfplumber.

    python benchmarks/startup.py [--runs 5]

Prints the median of ``--runs`` fresh processes: ``corpus-tool --help``, ``info`` on the demo corpus,
``kwic`` before its own work (``kwic --help``), ingesting one text file, and ingesting a one-page PDF beside
plain pdfplumber ``extract_text`` of its pages in a fresh process (issue 14's targets: 0.3 s, 0.5 s,
0.5 s, 2×). ``benchmarks/run_all.py`` reuses :func:`measure` for its start-up and one-file rows.

Both sides run with compiled bytecode, as an installed package does (pip writes it at install time): the
children get a bytecode cache of their own in the scratch folder, filled by a warm-up run, even where
``PYTHONDONTWRITEBYTECODE`` is set (it would make every run compile corpus_tool's ~90 modules from source
while pdfplumber's site-packages bytecode is already there). ``--no-bytecode-cache`` keeps the environment.
"""

from __future__ import annotations

import argparse
import os
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


CPU: dict[str, float] = {}  # median CPU seconds (user + system) of the last measurement of each command


def timed(args: list[str], cwd: Path, runs: int = 5, key: str = "", env: dict[str, str] | None = None) -> float:
    """Median wall seconds of ``runs`` fresh processes (``{i}`` in an argument becomes the run's number); their
    median CPU seconds go to ``CPU[key]`` (less sensitive than wall time to other processes on the cores)."""
    times, cpus = [], []
    for i in range(runs):
        before = _children_cpu()
        started = time.perf_counter()
        subprocess.run([a.replace("{i}", str(i)) for a in args], cwd=cwd, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - before)
    if key:
        CPU[key] = statistics.median(cpus)
    return statistics.median(times)


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:  # Windows: CPU time not measured
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(runs: int = 5, code: Path = REPO, bytecode_cache: bool = True) -> dict[str, Any]:
    """Median seconds of each command in fresh processes, run from a scratch folder with the ``corpus_tool``
    package of ``code`` (this checkout by default; another one, e.g. ``git archive`` of a commit, to compare);
    with ``bytecode_cache`` every child reads compiled bytecode from a cache in the scratch folder."""
    py = sys.executable
    cli = [py, "-m", "corpus_tool"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = None
        if bytecode_cache:  # nothing is written into the checkout or site-packages: the cache is in `work`
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        (work / "corpus_tool").symlink_to(code / "corpus_tool")  # `python -m corpus_tool` runs this checkout
        plain = f"import pdfplumber; [p.extract_text() for p in pdfplumber.open({str(PDF)!r}).pages]"
        # warm-up (and, with the cache, compiling): the demo corpus has PDF and text files
        subprocess.run([*cli, "ingest", str(DEMO), "-q"], cwd=work, check=True, capture_output=True, env=env)
        subprocess.run([py, "-c", plain], cwd=work, check=True, capture_output=True, env=env)
        subprocess.run([*cli, "kwic", "--help"], cwd=work, check=True, capture_output=True, env=env)
        out: dict[str, Any] = {"code": str(code), "runs": runs, "pdf": PDF.name, "text": TEXT.name,
                               "bytecode_cache": bytecode_cache}
        out["python"] = timed([py, "-c", "pass"], work, runs, "python", env)
        out["help"] = timed([*cli, "--help"], work, runs, "help", env)
        out["info"] = timed([*cli, "info"], work, runs, "info", env)
        out["kwic_help"] = timed([*cli, "kwic", "--help"], work, runs, "kwic_help", env)
        out["pdfplumber_page"] = timed([py, "-c", plain], work, runs, "pdfplumber_page", env)
        # a new database each time: a re-ingest would read nothing
        out["ingest_pdf_page"] = timed([*cli, "ingest", str(PDF), "--db", "pdf{i}.duckdb", "-q"], work, runs,
                                       "ingest_pdf_page", env)
        out["ingest_text"] = timed([*cli, "ingest", str(TEXT), "--db", "text{i}.duckdb", "-q"], work, runs,
                                   "ingest_text", env)
    out["cpu"] = dict(CPU)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--code", type=Path, default=REPO, help="a checkout whose corpus_tool to measure")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="run the children in this environment as it is (PYTHONDONTWRITEBYTECODE kept)")
    args = ap.parse_args()
    r = measure(args.runs, args.code.resolve(), not args.no_bytecode_cache)
    print(f"bytecode: {'cached (as installed)' if r['bytecode_cache'] else 'as the environment says'}; "
          f"load average {os.getloadavg()[0]:.2f}")
    rows = [("python -c pass", r["python"], None), ("corpus-tool --help", r["help"], 0.3),
            ("corpus-tool info", r["info"], 0.5), ("corpus-tool kwic --help", r["kwic_help"], 0.5),
            ("ingest one text file", r["ingest_text"], None)]
    keys = ["python", "help", "info", "kwic_help", "ingest_text"]
    cpu = r["cpu"]
    print(f"{'command':<28}{'median s':>10}{'CPU s':>8}{'target':>10}")
    for key, (name, seconds, target) in zip(keys, rows, strict=True):
        print(f"{name:<28}{seconds:>10.3f}{cpu.get(key, 0):>8.3f}{'' if target is None else f'{target:>10.1f}'}")
    print(f"{'pdfplumber one page':<28}{r['pdfplumber_page']:>10.3f}{cpu.get('pdfplumber_page', 0):>8.3f}")
    print(f"{'ingest one page':<28}{r['ingest_pdf_page']:>10.3f}{cpu.get('ingest_pdf_page', 0):>8.3f}   ratio "
          f"{r['ingest_pdf_page'] / r['pdfplumber_page']:.2f} (CPU "
          f"{cpu.get('ingest_pdf_page', 0) / max(cpu.get('pdfplumber_page', 0), 1e-9):.2f}; target <= 2)")


if __name__ == "__main__":
    main()
