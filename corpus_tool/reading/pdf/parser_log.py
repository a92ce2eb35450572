"""pdfminer's and pdfplumber's own warnings, caught during one extraction and summed up as a log row.

pdfminer warns on stderr for every font without a usable /FontBBox (dozens per file) and for
other repairs it makes silently (a corrupt stream, a ToUnicode map it ignores). Printed they bury
the tool's own warnings; dropped they would hide what the parser did. So while a file is read they
go to a handler of their own and come back as one ``pdf_parser_warnings`` row: each kind of
message (numbers masked) with its count and one example.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from corpus_tool.reading.model import LogEntry

LOGGERS = ("pdfminer", "pdfplumber")
MAX_KINDS = 5  # distinct messages spelled out in the row; the rest are counted
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.kinds: Counter[str] = Counter()
        self.example: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record must not break the extraction
            message = str(record.msg)
        kind = _NUMBER_RE.sub("N", message)[:160]
        self.kinds[kind] += 1
        self.example.setdefault(kind, message[:200])


@contextmanager
def parser_warnings(log: list[LogEntry]) -> Iterator[None]:
    """Catch the parsers' warnings while the block runs; append their summary to ``log`` after it."""
    handler = _Collect()
    saved = []
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate, logger.level))
        logger.addHandler(handler)
        logger.propagate = False  # not printed on stderr by the root logger's handler
        if logger.level == logging.NOTSET or logger.level > logging.WARNING:
            logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, propagate, level in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate
            logger.setLevel(level)
        if handler.kinds:
            log.append(summary(handler.kinds, handler.example))


def summary(kinds: Counter[str], example: dict[str, str]) -> LogEntry:
    """One row: every kind of parser message by count, the most frequent spelled out."""
    ranked = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = "; ".join(f"{n}× {example[kind]}" for kind, n in ranked[:MAX_KINDS])
    more = f"; {len(ranked) - MAX_KINDS} more kinds" if len(ranked) > MAX_KINDS else ""
    return LogEntry("pdf_parser_warnings", sum(kinds.values()),
                    f"pdfminer/pdfplumber warnings while reading (解析器警告): {shown}{more}")
