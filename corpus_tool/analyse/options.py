"""Names the command line offers as choices: plain data, so that ``--help`` imports no analysis code."""

from __future__ import annotations

# the text fields of a document's units (``--fields`` chooses among them; all by default)
TEXT_FIELDS = ("title", "abstract", "keywords", "heading", "body", "caption", "reference")
TOPIC_MODELS = ("nmf", "lda", "gensim-lda")  # analyse.topics.models.MODELS, in this order
DEFAULT_TOPIC_POS: tuple[str, ...] = ("n", "v", "a", "b", "i", "j", "l", "eng")  # POS prefixes topics keep


def split_list(value: str | None) -> tuple[str, ...]:
    """``"n, v，vn、a"`` → ``("n", "v", "vn", "a")`` (ASCII and full-width commas, 顿号)."""
    return tuple(v.strip() for v in (value or "").replace("，", ",").replace("、", ",").split(",") if v.strip())


def split_terms(values: str | list[str] | tuple[str, ...]) -> list[str]:
    """Terms given as separate values or joined by commas (``数字经济,数字化``), in order, each once: the command
    line and the ``Corpus`` methods read them alike."""
    values = [values] if isinstance(values, str) else list(values)
    return list(dict.fromkeys(t for v in values for t in split_list(v)))
