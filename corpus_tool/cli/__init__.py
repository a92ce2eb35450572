"""Command-line interface: thin commands over the corpus_tool functions.

Each stage registers its commands on :data:`corpus_tool.cli.app.app` from its own module.
"""

from __future__ import annotations

import importlib

from corpus_tool.cli.app import app

# Command modules, in the order their commands appear in --help.
_MODULES = ("ingest", "segment", "analyse", "topics", "report")

for _name in _MODULES:
    try:
        importlib.import_module(f"corpus_tool.cli.{_name}")
    except ModuleNotFoundError as exc:  # a stage not written yet
        if exc.name != f"corpus_tool.cli.{_name}":
            raise


def main() -> None:
    app()


__all__ = ["app", "main"]
