"""Names the command line offers as choices: plain data, so that ``--help`` imports no analysis code."""

from __future__ import annotations

TEXT_FIELDS = ("title", "abstract", "keywords", "heading", "body")  # the text fields of a document's units
TOPIC_MODELS = ("nmf", "lda", "gensim-lda")  # analyse.topics.models.MODELS, in this order
DEFAULT_TOPIC_POS: tuple[str, ...] = ("n", "v", "a", "b", "i", "j", "l", "eng")  # POS prefixes topics keep
