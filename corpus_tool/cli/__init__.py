"""Command-line interface: thin commands over the corpus_tool functions.

Each stage registers its commands on :data:`corpus_tool.cli.app.app` from its own module.
"""

from __future__ import annotations

import importlib

import typer

from corpus_tool.cli.app import app

# Command modules, in the order their commands appear in --help.
_MODULES = ("ingest", "segment", "analyse", "topics", "meaning", "policy", "reuse", "doctor")

for _name in _MODULES:
    importlib.import_module(f"corpus_tool.cli.{_name}")


def _app_for(argv: list[str]) -> typer.Typer:
    """The application with only the command named first in ``argv``: typer builds the parameters of every
    command it holds before it runs one (about 0.05 s of CPU for all of them). ``--help``, ``--version``, an
    unknown name, anything else: the whole application."""
    import copy

    from typer.main import get_command_name

    name = argv[0] if argv else None
    named = [c for c in app.registered_commands if (c.name or get_command_name(c.callback.__name__)) == name]
    if len(named) != 1 or app.registered_groups:
        return app
    one = copy.copy(app)
    one.registered_commands = named
    return one


def main() -> None:
    """Run the CLI; a fault the tool can name ends with its message and exit code, never a traceback."""
    import os
    import sys

    try:
        _app_for(sys.argv[1:])()
    except KeyboardInterrupt:
        typer.secho("已中断，重新运行即可继续 / interrupted; run the same command again to continue", err=True)
        sys.exit(130)
    except Exception as exc:
        # Imported only now: it imports DuckDB, which `--help` and the commands that never open a database
        # would otherwise pay for (0.1 s).
        from corpus_tool.store.opening import DatabaseError, translate_any

        if isinstance(exc, DatabaseError):
            typer.secho(f"错误 / error: {exc}", err=True, fg=typer.colors.RED)
            sys.exit(exc.exit_code)
        # a bug: say so plainly, keep the traceback for CORPUS_TOOL_DEBUG=1
        if os.environ.get("CORPUS_TOOL_DEBUG") == "1":
            raise
        if "interrupt" in str(exc).lower():  # DuckDB turns Ctrl-C inside a query into its own error
            typer.secho("已中断，重新运行即可继续 / interrupted; run the same command again to continue", err=True)
            sys.exit(130)
        named = translate_any(exc)  # a DuckDB fault outside the store's own calls (autocommit statements)
        if named is not None:
            typer.secho(f"错误 / error: {named}", err=True, fg=typer.colors.RED)
            sys.exit(named.exit_code)
        typer.secho(
            f"内部错误 / internal error: {type(exc).__name__}: {exc}\n"
            "请附上 `corpus-tool doctor` 的输出报告此问题；设 CORPUS_TOOL_DEBUG=1 可看完整的调用栈 / "
            "please report it with the output of `corpus-tool doctor`; CORPUS_TOOL_DEBUG=1 shows the traceback.",
            err=True, fg=typer.colors.RED,
        )
        sys.exit(70)


__all__ = ["app", "main"]
