"""The policy measures as :class:`corpus_tool.api.Corpus` methods (mixed into ``Corpus``), mirroring the CLI:
same parameter names and defaults; ``options`` is what the command line would say, for the run record."""

from __future__ import annotations


class PolicyMethods:
    """Policy strength, two-dimensional coding, terms over time, text reuse, compare."""
