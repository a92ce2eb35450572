"""corpus-tool: clean, segmented, citable data from Chinese policy documents and articles.

Python API: ``ct.ingest(paths, db="corpus.duckdb")`` returns a :class:`corpus_tool.api.Corpus`;
``ct.Corpus("corpus.duckdb")`` opens an existing database.
"""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any

from corpus_tool import ingest as _ingest_package  # the ingest stage; its __init__ is empty, so cheap

__version__ = "0.1.0"

if TYPE_CHECKING:
    from corpus_tool.api import Corpus

__all__ = ["Corpus", "__version__", "ingest"]


class _CallableIngestPackage(types.ModuleType):
    """``corpus_tool.ingest`` is the ingest subpackage and, when called, :func:`corpus_tool.api.ingest`.

    A plain function named ``ingest`` here would be replaced by the subpackage as soon as anything
    imports ``corpus_tool.ingest.*`` (Python sets submodules as attributes of their parent), so the
    subpackage itself is made callable: ``ct.ingest(paths, db=...)`` and ``corpus_tool.ingest.pipeline``
    both keep working.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Corpus:
        from corpus_tool.api import ingest

        return ingest(*args, **kwargs)


_ingest_package.__class__ = _CallableIngestPackage
ingest = _ingest_package


def __getattr__(name: str) -> Any:
    # Lazy: `import corpus_tool` stays cheap for the CLI and for worker processes.
    if name == "Corpus":
        from corpus_tool.api import Corpus

        return Corpus
    raise AttributeError(f"module 'corpus_tool' has no attribute {name!r}")
