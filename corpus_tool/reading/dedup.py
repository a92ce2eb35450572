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
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpus_tool.reading.convert import to_simplified
from corpus_tool.reading.textstats import keep_in_ranges

if TYPE_CHECKING:
    import duckdb
    import numpy as np

NUM_PERM = 128
SHINGLE = 5
SEED = 1
SCHEME = "affine32"  # datasketch >= 2.0; stored signatures are 128 little-endian uint32
DEFAULT_THRESHOLD = 0.7
SAME_NUMBER_THRESHOLD = 0.4
MIN_SHINGLES = 30  # shorter texts (stubs, one-line notices) are not compared
_KEEP = (("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("a", "z"))  # the characters normalise keeps
# Up to this many characters a signature is computed in plain Python (at most ~10 ms): a one-file ingest in a
# fresh process then does not import numpy (~0.1 s) for it. Both ways give the same bytes (tested).
PLAIN_MAX_CHARS = 1000
_M32 = 0xFFFFFFFF
_BLOCK = 1 << 16  # permuted shingle values computed at once (256 KB of uint32)
_M64 = 0xFFFFFFFFFFFFFFFF

# datasketch's affine permutations for (NUM_PERM, SEED, SCHEME) as numpy's RandomState(SEED) draws them
# (odd ``a``); tests compare them with datasketch's.
_PERM_A = (
    3582191691, 4270784983, 1892572953, 3715639441, 982527, 1100580627, 2597016983, 4286725387, 1260623519,
    2027988865, 793182497, 3406602499, 1599963033, 3332127887, 2968344027, 1458107385, 3408206605, 3741252147,
    333433189, 2974788137, 3600853501, 2690998987, 1591023397, 210867113, 1756231447, 3809231353, 3248004053,
    1972053305, 235257659, 295613213, 1464304741, 3555906697, 3584620975, 3927359407, 504141779, 3699672547,
    1205914607, 3772079037, 1701678785, 2391345325, 2583376155, 1855172563, 4022336275, 2600667151, 2692293247,
    797152891, 1652038701, 155929203, 3233158147, 3135500033, 3389645433, 2827350435, 730524177, 2831271345,
    335478043, 2345481447, 1458832223, 508895189, 3248219379, 1464824721, 844792893, 799426703, 3617286919,
    1474497421, 3933241131, 3537230947, 284887667, 1696949255, 1648211849, 2487899697, 2710258659, 1220802647,
    1602030745, 2433652789, 2874412649, 3543681697, 157095131, 293529319, 2148723283, 1065409445, 4199284767,
    1379850369, 2131726729, 2564055091, 2408995551, 3832266181, 2484890543, 1908035343, 886704693, 630193459,
    3847376081, 4030728237, 3509808659, 826113415, 2522126287, 3464923389, 2471971375, 1026415355, 1116936905,
    213025079, 166360907, 718316147, 1536185511, 3580811597, 1817871633, 3525724737, 2281028421, 2567790101,
    4222581295, 724897055, 458380767, 566180015, 636665395, 978722703, 1260388839, 3921611449, 767128725,
    2241792381, 1715911261, 1984407361, 879046065, 287320367, 3556713839, 3864939139, 1669884643, 4235349659,
    3557772807, 348755713,
)
_PERM_B = (
    214548472, 3287733501, 2301657549, 194758406, 2850976308, 601149909, 2211431878, 3403347458, 4057003596,
    127995867, 2519234709, 3792995019, 3880081671, 2322667597, 590449352, 1924060235, 598187340, 3831694379,
    3467719188, 1621712414, 1708008996, 2312516455, 710190855, 2801602349, 3983619012, 1551604281, 1493642992,
    2452463100, 3224713426, 2739486816, 3118137613, 542518282, 3793770775, 2964406140, 2678651729, 2782062471,
    3225273209, 1520156824, 1498506954, 3278061020, 1159331476, 1531292064, 3847801996, 3233201345, 1838637662,
    3785334332, 4143956457, 50118808, 2849459538, 2139362163, 2670162785, 316934274, 492830188, 3379930844,
    4078025319, 275167074, 1932357898, 1526046390, 2484164448, 4045158889, 1752934226, 1631242710, 1018023110,
    3276716738, 3879985479, 3313975271, 2463934640, 1294333494, 12327951, 3318889349, 2650617233, 656828586,
    1402929172, 2485213814, 2263697328, 38689046, 3805092325, 3045314445, 1534461937, 2021386866, 3902128737,
    3283900085, 2677311316, 2007436298, 67951712, 1155350711, 3991902525, 3572092472, 2967379673, 2367922581,
    4283469031, 300997728, 740196857, 2029264851, 588993561, 3190150641, 4005467022, 824445069, 2992811220,
    1994202740, 283468587, 989400710, 3244689101, 2182906552, 3237873595, 895794063, 3964360216, 211760123,
    3055975561, 2228494786, 533739719, 739929909, 85384517, 1702152612, 112575333, 461130488, 121575445, 2189618472,
    1057468493, 438667483, 3693791921, 1240033649, 2314261807, 995395021, 2374352296, 4156102094, 3616495149,
    1195370327,
)


def normalise(text: str) -> str:
    """The text a copy keeps: simplified Han characters and lower-case letters.

    Digits are left out: tables of numbers are laid out differently by every site, and the
    year check below tells two years' documents apart.
    """
    return keep_in_ranges(to_simplified(text).lower(), _KEEP)


def _shingle_hashes(text: str) -> np.ndarray:
    """Distinct 32-bit hashes of the character 5-grams (deterministic, unlike Python's hash())."""
    import numpy as np

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


def _plain_shingle_hashes(text: str) -> set[int]:
    """:func:`_shingle_hashes` in plain Python ints (mod 2⁶⁴ as numpy's uint64), for short texts."""
    cps = [ord(c) for c in text]
    out = set()
    for i in range(len(cps) - SHINGLE + 1):
        h = 0
        for k in range(SHINGLE):
            h = (h * 1_000_003 + cps[i + k]) & _M64
        h ^= h >> 29
        h = (h * 0xBF58476D1CE4E5B9) & _M64
        h ^= h >> 32
        out.add(h & _M32)
    return out


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The permutations h → a·h + b mod 2³² as numpy columns."""
    import numpy as np

    return np.array(_PERM_A, dtype=np.uint32), np.array(_PERM_B, dtype=np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, which datasketch applies to every value before the permutations."""
    import numpy as np

    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _plain_fmix32(h: int) -> int:
    """:func:`_fmix32` of one value."""
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _M32
    return h ^ (h >> 16)


def signature(text: str) -> tuple[bytes, int]:
    """MinHash signature of a document's text (already joined) and its number of distinct shingles.

    The values of datasketch's ``MinHash(num_perm=128, seed=1, scheme="affine32", hashfunc=int)`` updated
    with every shingle hash, computed in numpy on whole blocks of shingles instead of one Python int each;
    short texts in plain Python unless numpy is loaded already.
    """
    norm = normalise(text)
    if len(norm) <= PLAIN_MAX_CHARS and "numpy" not in sys.modules:
        return _plain_signature(norm)
    import numpy as np

    hashes = _shingle_hashes(norm)
    a, b = _permutations()
    values = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    if len(hashes):
        mixed = _fmix32(hashes.astype(np.uint32))
        # Several permutations at a time, a block of about _BLOCK values (it stays in cache): a document of a
        # few thousand shingles costs a few numpy calls, not three per permutation; memory stays bounded.
        rows = max(1, _BLOCK // len(mixed))
        for i in range(0, NUM_PERM, rows):  # uint32 arithmetic wraps: mod 2³² as datasketch's affine32
            permuted = np.multiply(a[i:i + rows, None], mixed[None, :])
            permuted += b[i:i + rows, None]
            values[i:i + rows] = permuted.min(axis=1)
    return values.astype("<u4").tobytes(), len(hashes)


def _plain_signature(norm: str) -> tuple[bytes, int]:
    """:func:`signature` of a normalised text in plain Python: the same bytes."""
    hashes = _plain_shingle_hashes(norm)
    mixed = [_plain_fmix32(h) for h in hashes]
    if not mixed:
        values = [_M32] * NUM_PERM
    else:
        values = [min([(a * m + b) & _M32 for m in mixed]) for a, b in zip(_PERM_A, _PERM_B, strict=True)]
    return b"".join(v.to_bytes(4, "little") for v in values), len(hashes)


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
    import numpy as np
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
    import numpy as np

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
    import numpy as np

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
