"""corpus-tool: clean, segmented, citable data from Chinese policy documents and articles.

Python API: ``ct.ingest(paths, db="corpus.duckdb")`` returns a :class:`corpus_tool.api.Corpus`;
``ct.Corpus("corpus.duckdb")`` opens an existing database. The stages are packages of their own:
``reading`` (files → cleaned, structured documents), ``store``, ``segment``, ``analyse``, ``export``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from corpus_tool.api import Corpus

__all__ = ["Corpus", "__version__", "ingest"]


def ingest(*args: Any, **kwargs: Any) -> Corpus:
    """Ingest files and folders into a corpus database: :func:`corpus_tool.api.ingest`."""
    from corpus_tool.api import ingest as _ingest

    return _ingest(*args, **kwargs)


def __getattr__(name: str) -> Any:
    # Lazy: `import corpus_tool` stays cheap for the CLI and for worker processes.
    if name == "Corpus":
        from corpus_tool.api import Corpus

        return Corpus
    raise AttributeError(f"module 'corpus_tool' has no attribute {name!r}")
