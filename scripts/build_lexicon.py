"""Build the shipped policy lexicon from the curated candidate list, keeping only attested terms.

Usage (from the repository root)::

    python scripts/build_lexicon.py [--shared ../shared]

Reads ``scripts/policy_terms.txt`` (curated by hand, grouped by section), counts every term in
``<shared>/data/policy_corpus`` (the ``txt/`` and ``md/`` files of each collection) and in the seed article
``<shared>/seed/000_dad38d6db3becc45.txt`` (after the naive ꎬꎮꎻ/line-break cleanup described in
``docs/segmenters-notes.md``), and writes:

- ``corpus_tool/segment/data/policy_lexicon.txt``: the attested terms in jieba user-dictionary format;
- ``corpus_tool/segment/data/policy_lexicon_provenance.csv``: per term, its section, counts per collection and
  in the seed, the number of documents, one document it occurs in, and how plain jieba splits it.

Candidates that occur nowhere are dropped and listed on stderr, so the lexicon holds no unattested term.

Frequencies are calibrated: a term written without a frequency gets jieba's suggested one, which is enough to
join its own parts but can lose to a neighbouring dictionary word (特色产业|创新 instead of 特色|产业创新).
For each term, up to 200 of its attested contexts (12 characters either side) are cut with the whole
lexicon loaded; a term that is not one token everywhere gets an explicit frequency, doubled until it is
(at most 2**6 times the suggestion); a longer token that holds the term counts as whole. The provenance
file records the frequency and how many contexts stay split.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "corpus_tool" / "segment" / "data"
SEED_NAME = "000_dad38d6db3becc45.txt"
# PDF-artifact glyphs of the seed (see ../shared/docs/pdf-ingest-notes.md) and the line-break join.
_SEED_MAP = str.maketrans({"ꎬ": "，", "ꎮ": "。", "ꎻ": "；"})
_BREAK = re.compile(r"[ \t\u3000]*\n[\s\u3000]*")


def read_candidates(path: Path) -> list[tuple[str, str, str]]:
    """(term, tag, section) in file order; duplicates keep their first section."""
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    section = ""
    for lineno, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if " / " in line:  # a section header such as "# 改革 / reform"
                section = line.lstrip("# ").split(" / ")[0]
            continue
        parts = line.split()
        term, tag = parts[0], (parts[1] if len(parts) > 1 else "nz")
        if re.search(r"[\s、，,+]", term):
            sys.exit(f"{path}:{lineno}: term {term!r} holds a separator jieba never joins across")
        if term in seen:
            print(f"duplicate candidate dropped: {term} ({path.name}:{lineno})", file=sys.stderr)
            continue
        seen.add(term)
        out.append((term, tag, section))
    return out


def corpus_texts(shared: Path) -> dict[str, list[tuple[str, str]]]:
    """collection → [(relative path, text)], plus the cleaned seed as collection "seed"."""
    root = shared / "data" / "policy_corpus"
    out: dict[str, list[tuple[str, str]]] = {}
    for coll in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted([*coll.glob("txt/*.txt"), *coll.glob("md/**/*.md")])
        out[coll.name] = [(str(f.relative_to(root)), f.read_text("utf-8")) for f in files]
    seed = (shared / "seed" / SEED_NAME).read_text("utf-8").translate(_SEED_MAP)
    out["seed"] = [(f"seed/{SEED_NAME}", _BREAK.sub("", seed))]
    return out


def _contexts(term: str, texts: dict[str, list[tuple[str, str]]], limit: int = 200) -> list[str]:
    out: list[str] = []
    for docs in texts.values():
        for _, t in docs:
            i = t.find(term)
            while i >= 0 and len(out) < limit:
                out.append(t[max(0, i - 12):i + len(term) + 12])
                i = t.find(term, i + len(term))
    return out


def _whole(tok, term: str, contexts: list[str]) -> int:
    """How many contexts cut ``term`` apart (a longer token holding it, 第一个五年计划, counts as whole)."""
    return sum(1 for c in contexts if not any(term in t for t in tok.lcut(c)))


def calibrate(rows: list[dict], texts: dict[str, list[tuple[str, str]]]) -> None:
    """Give each term the smallest explicit frequency (suggestion x 2**k) that keeps it whole in its contexts."""
    import jieba

    def build(freqs: dict[str, int]):
        tok = jieba.Tokenizer()
        tok.initialize()
        for r in rows:
            if tok.FREQ.get(r["term"], 0) > 0 and r["term"] not in freqs:
                continue  # the segmenter skips re-adding known words without a frequency too
            tok.add_word(r["term"], freqs.get(r["term"]), r["tag"])
        return tok

    freqs: dict[str, int] = {}
    contexts = {r["term"]: _contexts(r["term"], texts) for r in rows}
    tok = build(freqs)
    for _round in range(6):
        failing = [r["term"] for r in rows if _whole(tok, r["term"], contexts[r["term"]])]
        if not failing:
            break
        for term in failing:
            freqs[term] = max(freqs.get(term, 0) * 2, tok.FREQ.get(term, 0) * 2, 2)
        tok = build(freqs)
    for r in rows:
        r["freq"] = freqs.get(r["term"], "")
        r["split_contexts"] = _whole(tok, r["term"], contexts[r["term"]])
        r["contexts_checked"] = len(contexts[r["term"]])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    import jieba  # only to record how plain jieba splits each term

    plain = jieba.Tokenizer()
    candidates = read_candidates(ROOT / "scripts" / "policy_terms.txt")
    texts = corpus_texts(args.shared)
    collections = list(texts)
    rows, dropped = [], []
    for term, tag, section in candidates:
        counts = {c: sum(t.count(term) for _, t in docs) for c, docs in texts.items()}
        docs_with = [p for docs in texts.values() for p, t in docs if term in t]
        if not docs_with:
            dropped.append(term)
            continue
        rows.append({
            "term": term, "tag": tag, "section": section,
            "total": sum(counts.values()), "n_docs": len(docs_with),
            **{f"n_{c}": counts[c] for c in collections},
            "example_doc": docs_with[0],
            "plain_jieba": "|".join(plain.lcut(term)),
        })
    calibrate(rows, texts)
    DATA.mkdir(parents=True, exist_ok=True)
    with open(DATA / "policy_lexicon.txt", "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(f"{r['term']} {r['freq']} {r['tag']}\n" if r["freq"] else f"{r['term']} {r['tag']}\n")
    with open(DATA / "policy_lexicon_provenance.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    split = sum(1 for r in rows if "|" in r["plain_jieba"])
    print(f"{len(rows)} terms kept ({split} split by plain jieba); {len(dropped)} unattested dropped: "
          + " ".join(dropped))


if __name__ == "__main__":
    main()
