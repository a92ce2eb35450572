"""Markdown structure: ``#`` headings, comments and inline markup, before the text layout step."""

from __future__ import annotations

import re

from corpus_tool.reading.model import HEADING, RAW, TITLE, Block, LogEntry

_ATX_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_LIST_RE = re.compile(r"^[ \t]*[-*+][ \t]+")  # bullets only: "1." numbering is content
_RULE_RE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$")
_RULE_LEADS = frozenset("-*_")  # the first character after the indentation of a rule, and of a list item
_LIST_LEADS = frozenset("-*+")


def markdown_blocks(text: str) -> tuple[list[Block], list[LogEntry]]:
    """Split Markdown into heading blocks and raw text runs; markup is removed and counted.

    The first level-1 heading is the title; deeper headings keep their ``#`` depth as level.
    """
    log: list[LogEntry] = []
    text, n = _COMMENT_RE.subn("", text)
    if n:
        log.append(LogEntry("markdown_comments_removed", n, "<!-- … -->"))
    blocks: list[Block] = []
    run: list[str] = []
    markup = 0
    title_seen = False

    def flush() -> None:
        if any(line.strip() for line in run):
            blocks.append(Block(RAW, "\n".join(run)))
        run.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        # each pattern needs its first character (after indentation): most lines are prose and try none
        lead = line.lstrip(" \t")[:1]
        if line.startswith("```") or (lead in _RULE_LEADS and _RULE_RE.match(line)):
            markup += 1
            continue
        m = _ATX_RE.match(line) if line.startswith("#") else None
        if m:
            flush()
            depth, heading = len(m.group(1)), _inline(m.group(2))
            if depth == 1 and not title_seen:
                blocks.append(Block(TITLE, heading))
                title_seen = True
            else:
                blocks.append(Block(HEADING, heading, level=max(1, depth - 1)))
            markup += 1
            continue
        stripped, k = _LIST_RE.subn("", line) if lead in _LIST_LEADS else (line, 0)
        inline = _inline(stripped)
        markup += k + (inline != stripped)
        run.append(inline)
    flush()
    if markup:
        log.append(LogEntry("markdown_markup_removed", markup, "headings, emphasis, links, list markers"))
    return blocks, log


def _inline(text: str) -> str:
    # each pattern needs these characters: most lines have none and are passed over without a substitution
    if "](" in text:
        text = _LINK_RE.sub(r"\1", text)
    if "*" in text or "__" in text or "`" in text:
        text = _EMPHASIS_RE.sub(r"\2", text)
    return text
