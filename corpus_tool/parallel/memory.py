"""How much memory DuckDB may use in the process that writes the database during a streaming stage.

DuckDB's default limit is 80 % of the machine's memory, and it keeps what it reads and writes cached up
to that limit, so on a large corpus the writing process would grow with the database. Ingest and segment
need little of it (they write as they go; segment's ordered read of all paragraphs spills to a
temporary file beside the database instead), so they run under a fixed limit and restore the previous
one afterwards: analyses that run later in the same process keep DuckDB's default.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import duckdb

STREAMING_MEMORY_LIMIT = "512MB"
MEMORY_ENV = "CORPUS_TOOL_DB_MEMORY"  # e.g. "2GB" for another limit, "" to keep DuckDB's default


def limit_database_memory(con: duckdb.DuckDBPyConnection) -> Callable[[], None]:
    """Set DuckDB's memory limit for a streaming stage; return the function that restores the old one."""
    limit = os.environ.get(MEMORY_ENV, STREAMING_MEMORY_LIMIT).strip()
    if not limit:
        return lambda: None
    row = con.execute("SELECT current_setting('memory_limit')").fetchone()
    before = row[0] if row else None
    con.execute(f"SET memory_limit = '{_checked(limit)}'")

    def restore() -> None:
        if before is not None:
            con.execute(f"SET memory_limit = '{_checked(before)}'")

    return restore


def _checked(limit: str) -> str:
    """A size such as 512MB or 18.8 GiB; anything else is refused rather than pasted into SQL."""
    if not limit.replace(" ", "").replace(".", "").isalnum():
        raise ValueError(f"{MEMORY_ENV} must be a size such as 512MB or 2GB, not {limit!r}")
    return limit
