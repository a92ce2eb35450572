"""Start-up of the command line, each in a fresh process, against a bare Python and plain pdfplumber.

    python benchmarks/startup.py

Prints the median of 5 runs: ``corpus-tool --help``, ``info`` on the demo corpus, ``kwic`` before its
own work (``kwic --help``), and ingesting a one-page PDF in a fresh process beside plain pdfplumber
``extract_text`` of the same page in a fresh process (issue 14's targets: 0.3 s, 0.5 s, 2×).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "demo"
PDF = next(DEMO.glob("*.pdf"))


def timed(args: list[str], cwd: Path, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, cwd=cwd, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([py, "-m", "corpus_tool", "ingest", str(DEMO), "-q"], cwd=work, check=True,
                       capture_output=True)
        bare = timed([py, "-c", "pass"], work)
        rows = [
            ("python -c pass", bare, None),
            ("corpus-tool --help", timed([py, "-m", "corpus_tool", "--help"], work), 0.3),
            ("corpus-tool info", timed([py, "-m", "corpus_tool", "info"], work), 0.5),
            ("corpus-tool kwic --help", timed([py, "-m", "corpus_tool", "kwic", "--help"], work), 0.5),
        ]
        plain = timed([py, "-c", f"import pdfplumber; pdfplumber.open({str(PDF)!r}).pages[0].extract_text()"], work)
        ours = timed([py, "-m", "corpus_tool", "ingest", str(PDF), "--db", "one.duckdb", "-q"], work, runs=3)
    print(f"{'command':<28}{'median s':>10}{'target':>10}")
    for name, seconds, target in rows:
        print(f"{name:<28}{seconds:>10.3f}{'' if target is None else f'{target:>10.1f}'}")
    print(f"{'pdfplumber one page':<28}{plain:>10.3f}")
    print(f"{'ingest one page':<28}{ours:>10.3f}   ratio {ours / plain:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
