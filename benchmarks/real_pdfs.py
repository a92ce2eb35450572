"""What the tool stores from each real PDF, against pdfium's own text, and what it costs against pdfplumber.

For every file in ``../shared/data/pdfs/real/``, in this one process: a real ingest into a fresh
DuckDB (``ingest_paths``, as ``corpus-tool ingest`` runs it), then from the stored text (paragraphs
of every field, footnotes and table cells) and the stored ``log``/``errors`` tables:

* CJK coverage: Han characters the tool stored that pdfium's text also has (multiset intersection),
  as a share of pdfium's; ``extra`` is what the tool has beyond pdfium (doubled glyphs, OCR ...).
  Removed running headers and page numbers count as missing, so 100 % is not the goal for every file.
* mid-sentence: share of body paragraphs of 30 characters or more that end without a sentence mark
  (a paragraph cut at a page or column break, or one that swallowed a header).
* numbers with units: ``2024年``, ``35%``, ``1.2亿元`` ... found in the stored text, against pdfium's
  (multiset intersection over pdfium's count; full-width digits read as ASCII on both sides).
* headers / page numbers left: lines that pdfium finds in the top or bottom band of the page and that
  repeat on several pages (digits read as ``#``), found again inside stored body paragraphs; stored
  units that are nothing but the page number pdfium finds in their page's bands, and decorated page
  numbers (``- 12 -``, ``第12页``) anywhere in the stored text.
* artifacts: ``(cid:``, U+FFFD, private use, Latin-1 mojibake runs, Yi syllables, Kangxi radicals,
  vertical presentation forms, left in the stored text.
* reported: ``errors`` rows and ``log`` entries of the scanned / suspect / vertical / unreadable / dropped-font /
  sideways / engine-fallback kinds.
* cost: CPU seconds over pdfplumber's plain ``extract_text`` on the same file, both in this run, of
  the PDF stage in this process (``extract_pdf`` and repair) and of the whole ingest (this process and
  its worker: a worker start, structure, metadata and a new database, so a small file costs much more).

    python benchmarks/real_pdfs.py [--md FILE] [--code DIR] [PDF ...]

``--code DIR`` imports ``corpus_tool`` from DIR instead of this checkout (a "before" run of another
branch exported with ``git archive``). About 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "pdfs" / "real"
BAND = 0.08  # top and bottom band: this share of the page height (as the extractor's furniture step)
REPEAT = 0.4  # a band line on this share of pages (at least 2) is a running header or footer

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_UNIT = re.compile(
    r"\d+(?:[.,]\d+)*[ \t]?(?:%|‰|亿元|万元|千元|元|亿|万|年|月|日|个|项|家|人|次|倍|公里|千米|平方米|米|公顷|亩|吨"
    r"|千克|克|户|件|天|小时|条|章|节|期|卷)"
)
_SENTENCE_END = set("。！？；：…”’」』）)!?;:.．") | {"\ufe12", "\ufe42", "\ufe44", "\ufe36"}
_TRAILING_MARKERS = re.compile(r"(?:\s|\[[\d,:\-]+\])+$")
_PAGE_NO = re.compile(
    r"[\s\-–—·•]*(?:\d{1,4}|[ivxlIVXL]{1,6}|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|[〇一二三四五六七八九十百]{1,6})[\s\-–—·•]*"
)
_DECORATED_PAGE_NO = re.compile(r"(?:^|(?<=\s))[-–—]\s?\d{1,4}\s?[-–—](?=\s|$)|第\s?\d{1,4}\s?页\s?共", re.M)
_ARTIFACTS = {
    "cid": re.compile(r"\(cid:\d+\)"),
    "fffd": re.compile("\ufffd"),
    "pua": re.compile("[\ue000-\uf8ff\U000f0000-\U0010fffd]"),
    "latin1": re.compile("[\u00c0-\u00ff][\u00a1-\u00ff]+"),  # ¹ØÓÚ: GBK bytes read as Latin-1
    "yi": re.compile("[\ua000-\ua4cf]"),
    "kangxi": re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]"),
    "vert": re.compile("[\ufe10-\ufe19\ufe30-\ufe4f]"),
}
REPORTED = ("pdf_scanned_page", "pdf_suspect_text_layer", "pdf_vertical_text", "pdf_ocr", "pdf_unreadable_page",
            "pdf_unmapped_font_dropped", "pdf_rotated_text_dropped", "pdf_engine_fallback",
            "pdf_sideways_read", "pdf_unmapped_symbols_dropped")


def _digits(text: str) -> str:
    return re.sub("[０-９]", lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# ---------------------------------------------------------------- the references


def pdfium_pages(path: Path) -> tuple[list[str], list[list[str]]]:
    """pdfium's text of each page, and the lines pdfium finds in each page's top and bottom bands."""
    import pypdfium2 as pdfium

    texts: list[str] = []
    bands: list[list[str]] = []
    doc = pdfium.PdfDocument(path)
    try:
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            width, height = page.get_size()
            texts.append(tp.get_text_range())
            top = tp.get_text_bounded(0, height * (1 - BAND), width, height)
            bottom = tp.get_text_bounded(0, 0, width, height * BAND)
            bands.append([ln.strip() for ln in (top + "\n" + bottom).splitlines() if ln.strip()])
            tp.close()
            page.close()
    finally:
        doc.close()
    return texts, bands


def plain_seconds(path: Path) -> float | None:
    """CPU seconds of pdfplumber's default ``extract_text`` over every page (None: it cannot open the file)."""
    import pdfplumber

    start = _cpu()
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
    except Exception:  # pdfminer raises many types on a broken file
        return None
    return _cpu() - start


# ---------------------------------------------------------------- the tool


def extract_seconds(path: Path) -> float | None:
    """CPU seconds of the PDF stage in this process: ``extract_pdf`` and the repair of every block."""
    from corpus_tool.reading.pdf import extract_pdf
    from corpus_tool.reading.repair import CleaningLog, clean_text

    start = _cpu()
    try:
        log = CleaningLog()
        for block in extract_pdf(path).blocks:
            clean_text(block.text, log)
    except Exception:  # a file the tool refuses (broken, encrypted): the ingest reports it
        return None
    return _cpu() - start


def ingest_one(path: Path) -> tuple[dict[str, Any], float]:
    """Ingest ``path`` into a fresh database; return what was stored and the CPU seconds it took."""
    from corpus_tool.reading.pipeline import ingest_paths
    from corpus_tool.store.db import CorpusDB

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "real.duckdb"
        start = _cpu()
        ingest_paths([path], db)
        cpu = _cpu() - start
        store = CorpusDB(db)
        try:
            con = store.con
            stored = {
                "units": con.execute("SELECT field, text, page FROM paragraphs ORDER BY doc_id, para_no").fetchall(),
                "footnotes": [r[0] for r in con.execute("SELECT text FROM footnotes").fetchall()],
                # table cells are stored apart from the prose (one row per cell), in reading order
                "cells": [r[0] for r in con.execute(
                    'SELECT text FROM main.tables ORDER BY doc_id, table_no, "row", col').fetchall()],
                "log": con.execute("SELECT step, count, detail FROM log").fetchall(),
                "errors": con.execute("SELECT error, detail FROM errors").fetchall(),
            }
        finally:
            store.close()
    return stored, cpu


# ---------------------------------------------------------------- measures


def coverage(tool: str, ref: str) -> tuple[int, float | None, float | None]:
    """(pdfium Han count, share of it the tool has, tool's extra Han as a share of pdfium's)."""
    # NFC on both sides: pdfium gives CJK compatibility ideographs (U+F9xx) where the tool stores the unified one
    t = Counter(_HAN.findall(unicodedata.normalize("NFC", tool)))
    r = Counter(_HAN.findall(unicodedata.normalize("NFC", ref)))
    n = sum(r.values())
    if not n:
        return 0, None, None
    common = sum((t & r).values())
    return n, common / n, (sum(t.values()) - common) / n


def mid_sentence(bodies: list[str]) -> tuple[int, int]:
    long = [_TRAILING_MARKERS.sub("", b) for b in bodies if len(b.strip()) >= 30]
    return sum(1 for b in long if b and b[-1] not in _SENTENCE_END), len(long)


def units_kept(tool: str, ref: str) -> tuple[int, int]:
    t = Counter(m.replace(" ", "") for m in _UNIT.findall(_digits(tool)))
    r = Counter(m.replace(" ", "") for m in _UNIT.findall(_digits(ref)))
    return sum((t & r).values()), sum(r.values())


def headers_left(bands: list[list[str]], bodies: list[str]) -> tuple[int, int]:
    """(repeated band lines found again in body paragraphs, repeated band lines), page-number lines aside."""
    key = [{re.sub(r"\d+", "#", re.sub(r"\s+", "", ln)) for ln in page} for page in bands]
    counts = Counter(k for page in key for k in page)
    need = max(2, int(REPEAT * len(bands) + 0.999))
    repeated = [
        re.sub(r"\s+", "", ln)
        for page in bands
        for ln in page
        if counts[re.sub(r"\d+", "#", re.sub(r"\s+", "", ln))] >= need
        and len(re.sub(r"\s+", "", ln)) >= 4
        and not _PAGE_NO.fullmatch(ln)
    ]
    body = re.sub(r"\s+", "", "\n".join(bodies))
    return sum(1 for ln in repeated if ln in body), len(repeated)


def page_numbers_left(bands: list[list[str]], units: list[tuple[str, str, int | None]], tool: str) -> int:
    """Stored units that are nothing but the page number pdfium finds in their page's bands, plus
    decorated page numbers (``- 12 -``, ``第12页``) anywhere in the stored text."""
    numbers = {i + 1: {re.sub(r"\s+", "", ln) for ln in page if _PAGE_NO.fullmatch(ln)} for i, page in enumerate(bands)}
    bare = sum(
        1
        for field, text, page in units
        if field in ("body", "heading") and page and re.sub(r"\s+", "", text) in numbers.get(page, ())
    )
    return bare + len(_DECORATED_PAGE_NO.findall(tool))


def artifacts(text: str) -> dict[str, int]:
    return {name: n for name, rx in _ARTIFACTS.items() if (n := len(rx.findall(text)))}


def reported(stored: dict[str, Any]) -> str:
    parts = [f"error {e}" for e, _ in stored["errors"]]
    counts: dict[str, int] = {}
    for step, n, _ in stored["log"]:
        if step in REPORTED:  # one row per unreadable page: summed per kind
            counts[step] = counts.get(step, 0) + n
    parts += [f"{step.removeprefix('pdf_')} {n}" for step, n in sorted(counts.items())]
    return "; ".join(parts) or "–"


def measure(path: Path) -> dict[str, Any]:
    texts, bands = pdfium_pages(path)
    ref = "\n".join(texts)
    plain = plain_seconds(path)
    extract = extract_seconds(path)
    stored, cpu = ingest_one(path)
    units = [t for _, t, _ in stored["units"]]
    bodies = [t for f, t, _ in stored["units"] if f == "body"]
    tool = "\n".join(units + stored["footnotes"] + stored["cells"])
    n_han, cov, extra = coverage(tool, ref)
    mid, n_long = mid_sentence(bodies)
    kept, n_units = units_kept(tool, ref)
    left, n_headers = headers_left(bands, bodies)
    bare = page_numbers_left(bands, stored["units"], tool)
    return {
        "file": path.name, "pages": len(texts), "han": n_han, "cov": cov, "extra": extra,
        "mid": mid, "long": n_long, "kept": kept, "units": n_units, "hdr_left": left, "hdr": n_headers,
        "bare_pn": bare, "artifacts": artifacts(tool), "reported": reported(stored),
        "cpu": cpu, "extract": extract, "plain": plain,
    }  # fmt: skip


# ---------------------------------------------------------------- report


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


HEADERS = [
    "file", "pages", "CJK pdfium", "CJK cov", "extra", "mid-sentence", "num+unit kept", "headers left",
    "bare page no.", "artifacts", "reported", "extract ×plain", "ingest ×plain",
]  # fmt: skip


MIN_PLAIN = 0.05  # CPU seconds: below this (a scan, a one-page file) a ratio is clock resolution


def _ratio(ours: float | None, plain: float | None) -> str:
    return "n/a" if ours is None or plain is None or plain < MIN_PLAIN else f"{ours / plain:.2f}"


def row(r: dict[str, Any]) -> list[str]:
    return [
        r["file"].removesuffix(".pdf"),
        str(r["pages"]),
        str(r["han"]),
        _pct(r["cov"]),
        _pct(r["extra"]),
        f"{_pct(r['mid'] / r['long'])} of {r['long']}" if r["long"] else "–",
        f"{r['kept']}/{r['units']}" if r["units"] else "–",
        f"{r['hdr_left']}/{r['hdr']}" if r["hdr"] else "–",
        str(r["bare_pn"]),
        ", ".join(f"{k} {v}" for k, v in r["artifacts"].items()) or "–",
        r["reported"],
        _ratio(r["extract"], r["plain"]),
        _ratio(r["cpu"], r["plain"]),
    ]


def totals(results: list[dict[str, Any]]) -> list[str]:
    han = sum(r["han"] for r in results)
    cov = sum((r["cov"] or 0) * r["han"] for r in results) / han if han else None
    extra = sum((r["extra"] or 0) * r["han"] for r in results) / han if han else None
    long = sum(r["long"] for r in results)
    timed = [r for r in results if r["plain"] and r["extract"]]
    plain = sum(r["plain"] for r in timed)
    return [
        f"all {len(results)} files", str(sum(r["pages"] for r in results)), str(han), _pct(cov), _pct(extra),
        f"{_pct(sum(r['mid'] for r in results) / long)} of {long}" if long else "–",
        f"{sum(r['kept'] for r in results)}/{sum(r['units'] for r in results)}",
        f"{sum(r['hdr_left'] for r in results)}/{sum(r['hdr'] for r in results)}",
        str(sum(r["bare_pn"] for r in results)),
        str(sum(sum(r["artifacts"].values()) for r in results)),
        f"{sum(1 for r in results if r['reported'] != '–')} files",
        _ratio(sum(r["extract"] for r in timed), plain),
        _ratio(sum(r["cpu"] for r in timed), plain),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--md", type=Path, help="also write the table as Markdown to this file")
    parser.add_argument("--code", type=Path, help="import corpus_tool from this directory")
    args = parser.parse_args(argv)
    code = (args.code or ROOT).resolve()
    sys.path.insert(0, str(code))
    os.environ["PYTHONPATH"] = os.pathsep.join([str(code), *filter(None, [os.environ.get("PYTHONPATH")])])
    sys.path.insert(1, str(ROOT))
    from benchmarks._common import machine, markdown_table

    files = args.pdfs or sorted(REAL.glob("*.pdf"))
    if not files:
        print(f"no PDFs given and none in {REAL}", file=sys.stderr)
        return 2
    import pdfplumber  # noqa: F401  imports and font caches before the first file is timed
    import pypdfium2  # noqa: F401

    import corpus_tool.reading.pdf  # noqa: F401

    info = machine()
    start = time.perf_counter()
    results = []
    for path in files:
        results.append(measure(path))
        print(f"  {path.name}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    table = markdown_table(HEADERS, [row(r) for r in results] + [totals(results)])
    head = (
        f"{info['date']}; {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB; load "
        f"{info['load_1min']} at start; Python {info['python']}; code {code}; "
        f"total {time.perf_counter() - start:.0f} s."
    )
    print(head)
    print(table)
    if args.md:
        args.md.write_text(head + "\n\n" + table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
