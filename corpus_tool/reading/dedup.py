"""Near-duplicate documents: the same text from two websites, re-posted or forwarded copies.

Each document gets a MinHash signature (datasketch) over the character 5-grams of its
normalised text: simplified Han characters and Latin letters only, so formatting, spacing,
punctuation and traditional characters do not hide a copy. MinHash LSH finds candidate pairs;
a candidate is linked when its estimated Jaccard similarity reaches the threshold and its
metadata does not contradict it (two different years or document numbers are two documents,
e.g. two versions of a regulation). Two documents with the same 发文字号
need less similarity: a page that drops an attachment's tables is still that document.

Every group gets one canonical document, chosen by a fixed rule (the longest text, then the
smallest doc_id), so the result depends only on the set of documents, never on the order or
the number of workers that read them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from corpus_tool.reading.convert import to_simplified

if TYPE_CHECKING:
    import duckdb

NUM_PERM = 128
SHINGLE = 5
SEED = 1
SCHEME = "affine32"  # datasketch >= 2.0; stored signatures are 128 little-endian uint32
DEFAULT_THRESHOLD = 0.7
SAME_NUMBER_THRESHOLD = 0.4
MIN_SHINGLES = 30  # shorter texts (stubs, one-line notices) are not compared
_KEEP_RE = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fffa-z]+")


def normalise(text: str) -> str:
    """The text a copy keeps: simplified Han characters and lower-case letters.

    Digits are left out: tables of numbers are laid out differently by every site, and the
    year check below tells two years' documents apart.
    """
    return _KEEP_RE.sub("", to_simplified(text).lower())


def _shingle_hashes(text: str) -> np.ndarray:
    """Distinct 32-bit hashes of the character 5-grams (deterministic, unlike Python's hash())."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cps) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(len(cps) - SHINGLE + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            h = h * np.uint64(1_000_003) + cps[k:len(cps) - SHINGLE + 1 + k]
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    h = np.sort(h & np.uint64(0xFFFFFFFF))  # distinct by sort: numpy's hash-based np.unique is far slower
    return h[np.concatenate(([True], h[1:] != h[:-1]))]


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine permutations for (NUM_PERM, SEED, SCHEME): h → a·h + b mod 2³², as columns.

    Drawn as datasketch draws them (odd ``a``; tests compare with datasketch), without importing it: its
    package import pulls in scipy, a third of a one-file ingest in a fresh process.
    """
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, which datasketch applies to every value before the permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(text: str) -> tuple[bytes, int]:
    """MinHash signature of a document's text (already joined) and its number of distinct shingles.

    The values of datasketch's ``MinHash(num_perm=128, seed=1, scheme="affine32", hashfunc=int)`` updated
    with every shingle hash, computed in numpy on whole blocks of shingles instead of one Python int each.
    """
    hashes = _shingle_hashes(normalise(text))
    a, b = _permutations()
    values = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    if len(hashes):
        mixed = _fmix32(hashes.astype(np.uint32))
        permuted = np.empty_like(mixed)  # one permutation at a time: memory n, not n × NUM_PERM
        for i in range(NUM_PERM):  # uint32 arithmetic wraps: mod 2³² as datasketch's affine32
            np.multiply(mixed, a[i], out=permuted)
            np.add(permuted, b[i], out=permuted)
            values[i] = permuted.min()
    return values.astype("<u4").tobytes(), len(hashes)


@dataclass(frozen=True)
class Candidate:
    """What the detector needs to know of one document."""

    doc_id: str
    signature: bytes
    n_shingles: int
    n_chars: int
    year: int | None = None
    doc_number: str | None = None


def _minhash(sig: bytes):  # type: ignore[no-untyped-def]
    from datasketch import LeanMinHash, MinHash

    return LeanMinHash(MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME,
                               hashvalues=np.frombuffer(sig, dtype="<u4").astype(np.uint32)))


def _compatible(a: Candidate, b: Candidate) -> bool:
    if a.year is not None and b.year is not None and a.year != b.year:
        return False
    return not (a.doc_number and b.doc_number and a.doc_number != b.doc_number)


def find_near_duplicates(docs: Iterable[Candidate], threshold: float = DEFAULT_THRESHOLD,
                         same_number_threshold: float = SAME_NUMBER_THRESHOLD) -> dict[str, tuple[str, float]]:
    """Map each near-duplicate doc_id to (canonical doc_id, estimated similarity).

    Documents with the same 发文字号 need only ``same_number_threshold``.
    """
    from datasketch import MinHashLSH

    pool = sorted((d for d in docs if d.n_shingles >= MIN_SHINGLES), key=lambda d: (-d.n_chars, d.doc_id))
    if len(pool) < 2:
        return {}
    hashes = {d.doc_id: _minhash(d.signature) for d in pool}
    by_id = {d.doc_id: d for d in pool}
    # LSH at a lower threshold than the link: candidates are then checked one by one.
    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.2), num_perm=NUM_PERM)
    canonical_by_number: dict[str, list[str]] = {}
    out: dict[str, tuple[str, float]] = {}
    for d in pool:
        best: tuple[float, str] | None = None
        same_number = canonical_by_number.get(d.doc_number or "", [])
        for other in sorted(set(lsh.query(hashes[d.doc_id])) | set(same_number)):
            if not _compatible(d, by_id[other]):
                continue
            sim = float(hashes[d.doc_id].jaccard(hashes[other]))
            # One 发文字号 names one document: a shorter copy of it (a page without its
            # attachment tables) is the same document at a lower similarity.
            needed = min(threshold, same_number_threshold) if other in same_number else threshold
            if sim >= needed and (best is None or sim > best[0]):
                best = (sim, other)
        if best is None:
            lsh.insert(d.doc_id, hashes[d.doc_id])  # only canonicals are matched against
            if d.doc_number:
                canonical_by_number.setdefault(d.doc_number, []).append(d.doc_id)
        else:
            out[d.doc_id] = (best[1], round(best[0], 4))
    return out


@functools.cache
def _lsh_bands(threshold: float) -> tuple[int, int]:
    """datasketch's band count and rows per band for an LSH index at ``threshold`` (128 permutations).

    ``MinHashLSH``'s choice: the (bands, rows) with bands × rows ≤ 128 minimising the false-positive plus
    false-negative probability mass (weights ½, ½). Its integrands are polynomials of degree ≤ 128, which
    80-point Gauss–Legendre quadrature integrates exactly, so the choice equals datasketch's (tested)
    without importing scipy.
    """
    t = max(0.3, threshold - 0.2)
    nodes, weights = np.polynomial.legendre.leggauss(80)
    below = (nodes + 1) * t / 2  # nodes on [0, t] and [t, 1]
    above = t + (nodes + 1) * (1 - t) / 2
    best, choice = float("inf"), (0, 0)
    for bands in range(1, NUM_PERM + 1):
        for rows in range(1, NUM_PERM // bands + 1):
            fp = t / 2 * float(weights @ (1 - (1 - below ** rows) ** bands))
            fn = (1 - t) / 2 * float(weights @ ((1 - above ** rows) ** bands))
            error = 0.5 * fp + 0.5 * fn
            if error < best:
                best, choice = error, (bands, rows)
    return choice


_BATCH = 8192  # signatures (or candidate pairs) per Arrow batch: 4 MB of signatures


def near_duplicates_in_database(con: duckdb.DuckDBPyConnection, threshold: float = DEFAULT_THRESHOLD,
                                same_number_threshold: float = SAME_NUMBER_THRESHOLD
                                ) -> dict[str, tuple[str, float]]:
    """The links of :func:`find_near_duplicates` over the ``documents`` and ``signatures`` tables of ``con``,
    with the LSH index in the database: the band keys of every signature in a table, the candidate pairs
    by a self-join on them (and on the 发文字号), their similarity computed there too; Python reads only
    the pairs similar enough to link, in the order the documents are matched (longest first).

    Python holds one batch of signatures at a time and the links found, never a row per document.
    """
    for table in ("dedup_docs", "dedup_bands", "dedup_sigs"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(
        "CREATE TEMP TABLE dedup_docs AS SELECT row_number() OVER (ORDER BY coalesce(d.n_chars, 0) DESC, d.doc_id) "
        "  AS rank, d.doc_id, d.year, nullif(d.doc_number, '') AS doc_number, s.minhash "
        "FROM documents d JOIN signatures s USING (doc_id) "
        f"WHERE s.minhash IS NOT NULL AND coalesce(s.n_shingles, 0) >= {int(MIN_SHINGLES)}")
    n_docs = con.execute("SELECT count(*) FROM dedup_docs").fetchall()[0][0]
    if n_docs < 2:  # no pair to compare (one file ingested into a new corpus)
        con.execute("DROP TABLE dedup_docs")
        return {}
    bands, rows = _lsh_bands(threshold)
    hs = [f"h{i}" for i in range(NUM_PERM)]
    # A band's key is its slice of the signature blob (`rows` little-endian uint32): cut in SQL, no Python per row.
    con.execute("CREATE TEMP TABLE dedup_bands AS SELECT rank, band::INTEGER AS band, "
                f"minhash[band * {4 * rows} + 1 : (band + 1) * {4 * rows}]::BLOB AS key "
                f"FROM dedup_docs CROSS JOIN range(0, {bands}) AS b(band)")
    con.execute(f"CREATE TEMP TABLE dedup_sigs (rank BIGINT, {', '.join(f'{h} UINTEGER' for h in hs)})")
    for first in range(1, n_docs + 1, _BATCH):  # ranks are 1..n: one batch of signatures at a time
        batch = con.execute(f"SELECT rank, minhash FROM dedup_docs WHERE rank >= {first} AND rank < {first + _BATCH} "
                            "ORDER BY rank").fetchnumpy()
        sigs = np.frombuffer(b"".join(batch["minhash"]), dtype="<u4").reshape(-1, NUM_PERM)
        # a dict of NumPy arrays, which DuckDB scans as it is (pyarrow would load pandas for a table)
        values = {"rank": np.asarray(batch["rank"], dtype=np.int64),  # noqa: F841 - read by DuckDB below
                  **{h: sigs[:, i] for i, h in enumerate(hs)}}
        con.execute(f"INSERT INTO dedup_sigs SELECT rank, {', '.join(hs)} FROM values")
    equal = " + ".join(f"(x.{h} = y.{h})::INTEGER" for h in hs)
    lowered = min(threshold, same_number_threshold)
    result = con.execute(
        "WITH candidates AS ("
        "  SELECT a.rank AS a, b.rank AS b FROM dedup_bands a JOIN dedup_bands b"
        "    ON a.band = b.band AND a.key = b.key AND b.rank < a.rank"
        "  UNION SELECT a.rank, b.rank FROM dedup_docs a JOIN dedup_docs b"
        "    ON a.doc_number = b.doc_number AND b.rank < a.rank), "
        "compatible AS ("
        "  SELECT c.a, c.b, a.doc_id AS doc_id, b.doc_id AS other, "
        "    coalesce(a.doc_number = b.doc_number, false) AS same_number "
        "  FROM candidates c JOIN dedup_docs a ON a.rank = c.a JOIN dedup_docs b ON b.rank = c.b "
        "  WHERE NOT coalesce(a.year <> b.year, false) AND NOT coalesce(a.doc_number <> b.doc_number, false)), "
        f"scored AS (SELECT p.*, {equal} AS equal FROM compatible p "
        "  JOIN dedup_sigs x ON x.rank = p.a JOIN dedup_sigs y ON y.rank = p.b) "
        f"SELECT doc_id, other, equal FROM scored "
        f"WHERE equal / {float(NUM_PERM)!r} >= CASE WHEN same_number THEN {lowered!r} ELSE {float(threshold)!r} END "
        "ORDER BY a, other")
    out: dict[str, tuple[str, float]] = {}
    current, best = None, None  # the document being matched, and (similarity, canonical) so far
    pairs = (pair for chunk in iter(lambda: result.fetchmany(_BATCH), []) for pair in chunk)
    for doc_id, other, n_equal in pairs:  # only pairs that would link: a few per near duplicate
        if doc_id != current:
            if current is not None and best is not None:
                out[current] = (best[1], round(best[0], 4))
            current, best = doc_id, None
        sim = n_equal / float(NUM_PERM)  # as datasketch's jaccard
        if other in out:  # linked itself: only canonical documents are matched against
            continue
        if best is None or sim > best[0]:  # pairs come by other doc_id: the smallest wins a tie
            best = (sim, other)
    if current is not None and best is not None:
        out[current] = (best[1], round(best[0], 4))
    for table in ("dedup_docs", "dedup_bands", "dedup_sigs"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return out
