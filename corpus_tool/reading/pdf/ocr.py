"""Optional OCR of scanned pages with the tesseract command-line tool (no Python bindings needed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus_tool.reading.pdf.ocr_chars import MIN_PAGE_CONF, OcrLine, OcrPage, OcrWord, mean_conf, parse_tsv

OCR_DPI = 300
INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-chi-sim"
OCR_PSM = 3  # tesseract's fully automatic page segmentation


def ocr_problem(lang: str) -> str | None:
    """Why OCR in ``lang`` cannot run here, or None when it can."""
    exe = shutil.which("tesseract")
    if exe is None:
        return f"OCR requested but the tesseract program is not on PATH; {INSTALL_HINT}"
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as e:
        return f"OCR requested but tesseract does not run ({e}); {INSTALL_HINT}"
    langs = set((done.stdout + done.stderr).split())
    missing = [part for part in lang.split("+") if part not in langs]
    if missing:
        return f"OCR requested but tesseract has no traineddata for {'+'.join(missing)}; {INSTALL_HINT}"
    return None


def tesseract_version() -> str:
    """The tesseract program's version (``5.3.0``), for the log; "unknown" when it does not say."""
    try:
        done = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    first = (done.stdout or done.stderr).split()
    return first[1] if len(first) > 1 and first[0] == "tesseract" else "unknown"


def tesseract_pages(pdf_path: Path, page_nos: list[int], lang: str, dpi: int = OCR_DPI) -> Iterator[OcrPage]:
    """Render each page (1-based numbers) at ``dpi`` with PDFium and read it with tesseract (``--psm 3``,
    TSV: words with boxes and confidence)."""
    from corpus_tool.reading.pdf.pdfium_chars import open_document  # pypdfium2 only when a page is OCRed

    doc = open_document(pdf_path)
    try:
        for no in page_nos:
            page = doc[no - 1]
            width, height = page.get_size()
            image, _ = drop_seals(page.render(scale=dpi / 72).to_pil(), dpi)
            yield parse_tsv(_tesseract(image, no, lang, dpi), no, width, height, dpi)
    finally:
        doc.close()


SEAL_RED = 60  # a pixel whose red exceeds its green and blue by this much (0–255) is seal ink ...
SEAL_MIN_RED = 120  # ... and is not dark
SEAL_MIN_INCH = 0.8  # a seal is a red blob at least this wide and high (an official seal is 4–5 cm) ...
SEAL_ASPECT = 1.4  # ... and about as wide as high: a red header (红头) is a wide band of red text and stays
SEAL_CELL = 8  # pixels: the red mask is looked at in cells this size, so the ring and its text make one blob


def drop_seals(image: Any, dpi: int) -> tuple[Any, int]:
    """The page image with the ink of red seals (公章) turned white, so tesseract reads the black text they
    cover (a signature, a date); returns the image and the number of seals dropped.

    Only red blobs shaped like a seal go: roughly square and at least :data:`SEAL_MIN_INCH` across. Red text
    (a red header, a red title) is wide or small, and is read as before. Black text under a seal keeps its
    dark pixels, which are not red.
    """
    import numpy as np
    from scipy import ndimage

    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    red = (r - np.maximum(g, b) > SEAL_RED) & (r > SEAL_MIN_RED)
    min_px = SEAL_MIN_INCH * dpi
    if red.sum() < min_px:  # not even a ring's worth of red ink
        return image, 0
    h, w = red.shape
    cells = red[: h // SEAL_CELL * SEAL_CELL, : w // SEAL_CELL * SEAL_CELL]
    cells = cells.reshape(h // SEAL_CELL, SEAL_CELL, w // SEAL_CELL, SEAL_CELL).any(axis=(1, 3))
    labels, _ = ndimage.label(ndimage.binary_dilation(cells, iterations=2))
    out, seals = None, 0
    for box in ndimage.find_objects(labels):
        bh, bw = ((sl.stop - sl.start) * SEAL_CELL for sl in box)
        if min(bh, bw) < min_px or max(bh, bw) > SEAL_ASPECT * min(bh, bw):
            continue
        if out is None:
            out = np.asarray(image.convert("RGB")).copy()
        ys, xs = (slice(sl.start * SEAL_CELL, sl.stop * SEAL_CELL) for sl in box)
        # in the red channel red ink is as light as the paper and black text (even where the seal overlaps it)
        # stays dark: the seal's box is set in it
        out[ys, xs] = rgb[ys, xs, :1].astype(np.uint8)
        seals += 1
    if out is None:
        return image, 0
    from PIL import Image

    return Image.fromarray(out), seals


def _tesseract(image: Any, page_no: int, lang: str, dpi: int, psm: int = OCR_PSM, whitelist: str | None = None) -> str:
    """Tesseract's TSV for ``image``; ``whitelist``: the only characters it may read."""
    config = ["-c", f"tessedit_char_whitelist={whitelist}"] if whitelist else []
    with tempfile.TemporaryDirectory(prefix="corpus_tool_ocr_") as tmp:
        png = Path(tmp) / "page.png"
        image.save(png)
        done = subprocess.run(
            ["tesseract", str(png), "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(dpi), *config, "tsv"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            # one thread per tesseract: the same output, and on a busy machine (or with --jobs) about three
            # times faster, since OpenMP threads waiting for a core spin
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    if done.returncode != 0:
        raise RuntimeError(f"tesseract failed on page {page_no}: {done.stderr.strip()[:300]}")
    return done.stdout


# -- regions of a page whose glyphs were withheld (fonts without a Unicode map) ------------------------
REGION_GAP = 1.5  # × glyph size: withheld glyphs this close belong to one region
REGION_PAD = 0.4  # × glyph size: the margin around a region copied for tesseract (a glyph's box in a font
# without a Unicode map is often too narrow or too low)
MIN_EM_PIXELS = 60  # a glyph's em rendered at least this many pixels high ...
MAX_DPI = 900  # ... up to this resolution
RULE_WIDTH = 0.6  # points: the least width of a rule painted out
REGION_PSM = 6  # one uniform block: a table's rows read across, its figures whole (sparse mode drops the 0. of 0.10)
UP, DOWN = "up", "down"  # as in :mod:`.sideways`: the page turned clockwise / anticlockwise to read upright


@dataclass(slots=True)
class Region:
    """A box of withheld glyphs on one page, in points of the frame its text reads upright in."""

    x0: float
    top: float
    x1: float
    bottom: float
    glyphs: int
    size: float  # the median size of its glyphs


def glyph_regions(chars: list[dict[str, Any]]) -> list[Region]:
    """Withheld glyphs grouped into boxes: glyphs within :data:`REGION_GAP` × their size of each other."""
    ink = sorted((c for c in chars if not c["text"].isspace()), key=lambda c: (c["top"], c["x0"]))
    boxes: list[list[Any]] = []  # [x0, top, x1, bottom, [sizes]]
    for c in ink:
        gap = REGION_GAP * float(c["size"])
        x0, top, x1, bottom = float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"])
        near = [b for b in boxes
                if x0 - gap <= b[2] and b[0] <= x1 + gap and top - gap <= b[3] and b[1] <= bottom + gap]
        merged = [x0, top, x1, bottom, [float(c["size"])]]
        for b in near:
            merged = [min(merged[0], b[0]), min(merged[1], b[1]), max(merged[2], b[2]), max(merged[3], b[3]),
                      merged[4] + b[4]]
            boxes.remove(b)
        boxes.append(merged)
    boxes.sort(key=lambda b: (round(b[1], 1), round(b[0], 1)))
    return [Region(b[0], b[1], b[2], b[3], len(b[4]), sorted(b[4])[len(b[4]) // 2]) for b in boxes]


def region_dpi(size: float) -> int:
    """The resolution that renders glyphs of ``size`` points at least :data:`MIN_EM_PIXELS` high (table
    figures in 5 pt are too small for tesseract at 300 dpi), never below :data:`OCR_DPI` nor above :data:`MAX_DPI`."""
    return int(min(MAX_DPI, max(OCR_DPI, MIN_EM_PIXELS * 72 / max(size, 1.0))))


def tesseract_regions(pdf_doc: Any, page_no: int, regions: list[Region], readable: list[dict[str, Any]],
                      rules: list[dict[str, Any]], way: str | None, width: float, height: float, lang: str,
                      origin: tuple[float, float] = (0.0, 0.0), dpi: int = OCR_DPI, image: Any = None) -> OcrPage:
    """Tesseract's reading of just the ``regions`` of a page (1-based ``page_no``) whose glyphs were withheld.

    The page is rendered at ``dpi`` by PDFium and turned into the frame the regions' text reads upright in
    (``way``: :data:`UP` or :data:`DOWN`, None for an upright page; ``width`` × ``height`` is that frame's size).
    Only the regions are copied onto a blank page, with the ``rules`` (edges: lines and the sides of rectangles)
    and the ``readable`` glyphs (the page's text that was read) painted out: a rule reads as ``|`` or ``一``, and
    text read twice would be stored twice. ``origin`` is the frame's top left corner (pdfplumber's page
    box need not start at 0, 0); word boxes come back in points from it. ``image``: that frame already
    rendered (:func:`frame_image`).
    """
    from PIL import Image

    if image is None:
        image = frame_image(pdf_doc, page_no, readable, rules, way, origin, dpi)
    px = dpi / 72
    ox, oy = origin
    canvas = Image.new("L", image.size, 255)
    for r in regions:
        pad = REGION_PAD * r.size
        box = (max(0, int((r.x0 - ox - pad) * px)), max(0, int((r.top - oy - pad) * px)),
               min(image.width, int((r.x1 - ox + pad) * px) + 1),
               min(image.height, int((r.bottom - oy + pad) * px) + 1))
        if box[2] > box[0] and box[3] > box[1]:
            canvas.paste(image.crop(box), box[:2])
    return parse_tsv(_tesseract(canvas, page_no, lang, dpi, REGION_PSM), page_no, width, height, dpi)


def frame_image(pdf_doc: Any, page_no: int, readable: list[dict[str, Any]], rules: list[dict[str, Any]],
                way: str | None, origin: tuple[float, float], dpi: int) -> Any:
    """The page rendered at ``dpi`` in grey, turned ``way`` upright, with ``rules`` and ``readable`` glyphs
    painted out (see :func:`tesseract_regions`)."""
    from PIL import Image, ImageDraw

    image = pdf_doc[page_no - 1].render(scale=dpi / 72).to_pil().convert("L")
    if way == UP:
        image = image.transpose(Image.Transpose.ROTATE_270)  # clockwise: the text ran up the page
    elif way == DOWN:
        image = image.transpose(Image.Transpose.ROTATE_90)
    px = dpi / 72
    ox, oy = origin
    draw = ImageDraw.Draw(image)
    for e in rules:
        pad = max(float(e.get("linewidth") or 0.0), RULE_WIDTH) * px / 2 + 1
        draw.rectangle(((e["x0"] - ox) * px - pad, (e["top"] - oy) * px - pad, (e["x1"] - ox) * px + pad,
                        (e["bottom"] - oy) * px + pad), fill=255)
    for c in readable:
        if not c["text"].isspace():
            draw.rectangle(((c["x0"] - ox) * px, (c["top"] - oy) * px, (c["x1"] - ox) * px, (c["bottom"] - oy) * px),
                           fill=255)
    return image


@dataclass(slots=True)
class RegionRead:
    """One region of withheld glyphs as tesseract read it: kept as text, or withheld for low confidence."""

    region: Region
    words: int
    chars: int
    mean_conf: float
    kept: bool
    turned: bool = False

    def describe(self) -> str:
        r = self.region
        return (f"x {r.x0:.0f}–{r.x1:.0f}, y {r.top:.0f}–{r.bottom:.0f} pt, {r.glyphs} glyphs → {self.chars} "
                f"characters, mean confidence {self.mean_conf:.0f}")


def summarise_regions(reads: list[RegionRead]) -> str:
    """Several regions of one page in a few words: how many, their glyphs and characters, the confidence."""
    chars = sum(r.chars for r in reads)
    mean = sum(r.mean_conf * r.chars for r in reads) / chars if chars else 0.0
    return (f"{len(reads)} regions, {sum(r.region.glyphs for r in reads)} glyphs → {chars} characters, "
            f"mean confidence {mean:.0f} (lowest {min(r.mean_conf for r in reads):.0f})")


def keep_confident_regions(page: OcrPage, regions: list[Region], origin: tuple[float, float]
                           ) -> tuple[OcrPage, list[RegionRead]]:
    """``page`` (tesseract's reading of ``regions``, measured from ``origin``) with only the words of the regions
    read with a mean confidence of :data:`.ocr_chars.MIN_PAGE_CONF` or more, and a record of every region."""
    ox, oy = origin
    pt = 72 / page.dpi

    def region_of(w: OcrWord) -> int | None:
        cx, cy = (w.x0 + w.x1) / 2 * pt + ox, (w.top + w.bottom) / 2 * pt + oy
        for i, r in enumerate(regions):
            pad = REGION_PAD * r.size
            if r.x0 - pad <= cx <= r.x1 + pad and r.top - pad <= cy <= r.bottom + pad:
                return i
        return None

    by_region: dict[int | None, list[OcrWord]] = {}
    for ln in page.lines:
        for w in ln.words:
            by_region.setdefault(region_of(w), []).append(w)
    records, good = [], set()
    for i, r in enumerate(regions):
        words = by_region.get(i, [])
        conf = mean_conf(words)
        kept = bool(words) and conf >= MIN_PAGE_CONF
        if kept:
            good.add(i)
        records.append(RegionRead(r, len(words), sum(len(w.text) for w in words), conf, kept))
    lines = []
    for ln in page.lines:
        words = [w for w in ln.words if region_of(w) in good]
        if words:
            lines.append(OcrLine(words, ln.top, ln.bottom, ln.size, ln.base))
    page.lines = lines
    return page, records
