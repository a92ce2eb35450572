"""``python -m corpus_tool`` runs the command-line interface."""

from corpus_tool.cli import main

main()
