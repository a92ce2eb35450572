"""Topic models on the stored tokens: units → models → coherence, stability, sweep → prevalence → outputs.

Main entry: :func:`fit_topics` (returns a :class:`TopicsResult` of DataFrames) and :func:`write_topics`.
"""

from __future__ import annotations

from corpus_tool.analyse.topics.models import DEFAULT_MODEL, MODELS, make_model
from corpus_tool.analyse.topics.run import TopicSettings, TopicsResult, fit_topics, parse_k, write_topics
from corpus_tool.analyse.topics.units import DEFAULT_POS, TopicUnits, TopicUnitsError, UnitSettings, build_units

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_POS",
    "MODELS",
    "TopicSettings",
    "TopicUnits",
    "TopicUnitsError",
    "TopicsResult",
    "UnitSettings",
    "build_units",
    "fit_topics",
    "make_model",
    "parse_k",
    "write_topics",
]
