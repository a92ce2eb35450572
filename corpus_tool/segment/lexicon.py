"""Dictionary and stopword files: read, validate (with line numbers) and hash.

Dictionary files use jieba's user-dictionary format, one entry a line: ``word [freq] [pos]``.
Stopword files hold one word a line. In both, lines starting with ``#`` are comments.

Nothing is dropped silently: a BOM, CRLF line endings, blank lines and duplicates are reported as
warnings with their line numbers; malformed lines (bad frequency, extra fields, undecodable bytes,
whitespace inside a stopword) are errors that stop the run, all listed at once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

_DATA = "corpus_tool.segment.data"
POLICY_LEXICON = "policy_lexicon.txt"
POLICY_STOPWORDS = "stopwords_policy.txt"

_TAG = re.compile(r"^[A-Za-z]+$")
# Characters jieba keeps inside one block (its re_han_default); a word with any other character
# (、，space ...) can never come out as one jieba token.
_JIEBA_BLOCK = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")


@dataclass(frozen=True)
class DictEntry:
    """One dictionary word with its optional frequency and POS tag."""

    word: str
    freq: int | None = None
    tag: str | None = None


@dataclass(frozen=True)
class FileIssue:
    """A problem found in a dictionary or stopword file."""

    path: str
    line: int  # 1-based; 0 for the whole file
    severity: str  # "warning" | "error"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


class WordFileError(ValueError):
    """A dictionary or stopword file has malformed lines; ``issues`` lists every one."""

    def __init__(self, issues: list[FileIssue]) -> None:
        self.issues = issues
        errors = [i for i in issues if i.severity == "error"]
        super().__init__(
            f"{len(errors)} 处格式错误 / malformed line(s):\n" + "\n".join(f"  {i}" for i in errors)
        )


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes (first 16 hex digits): settings change when a dictionary's content does."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def data_path(name: str) -> Path:
    """Path of a file shipped in ``corpus_tool/segment/data``."""
    return Path(str(resources.files(_DATA).joinpath(name)))


def _lines(path: Path, issues: list[FileIssue]) -> list[tuple[int, str]]:
    """Decode a file as UTF-8 and split it into numbered lines, reporting BOM, CRLF and bad bytes."""
    data = path.read_bytes()
    p = str(path)
    if data.startswith(b"\xef\xbb\xbf"):
        issues.append(FileIssue(p, 1, "warning", "UTF-8 BOM at start of file (ignored) / 文件开头有 BOM（已忽略）"))
        data = data[3:]
    out: list[tuple[int, str]] = []
    crlf: list[int] = []
    pieces = data.split(b"\n")
    if pieces and pieces[-1] == b"":
        pieces.pop()  # the final newline does not start a blank line
    for n, raw in enumerate(pieces, 1):
        if raw.endswith(b"\r"):
            crlf.append(n)
            raw = raw[:-1]
        try:
            out.append((n, raw.decode("utf-8")))
        except UnicodeDecodeError as exc:
            issues.append(FileIssue(p, n, "error", f"not UTF-8 / 非 UTF-8 编码: {exc.reason} at byte {exc.start}"))
    if crlf:
        shown = ", ".join(map(str, crlf[:5])) + (" ..." if len(crlf) > 5 else "")
        issues.append(FileIssue(p, crlf[0], "warning",
                                f"CRLF line endings on {len(crlf)} line(s) ({shown}) (accepted) / Windows 换行"))
    return out


def _blank_and_dupes(p: str, blank: list[int], dupes: list[tuple[int, str, int]],
                     issues: list[FileIssue]) -> None:
    if blank:
        shown = ", ".join(map(str, blank[:10])) + (" ..." if len(blank) > 10 else "")
        issues.append(FileIssue(p, blank[0], "warning", f"{len(blank)} blank line(s) skipped: {shown} / 空行"))
    for n, word, first in dupes:
        issues.append(FileIssue(p, n, "warning", f"duplicate {word!r} (first on line {first}) / 重复"))


def read_dictionary(path: str | Path) -> tuple[list[DictEntry], list[FileIssue]]:
    """Read a jieba-format user dictionary; raise :class:`WordFileError` if any line is malformed."""
    path = Path(path)
    p = str(path)
    issues: list[FileIssue] = []
    entries: list[DictEntry] = []
    blank: list[int] = []
    seen: dict[str, int] = {}
    dupes: list[tuple[int, str, int]] = []
    for n, line in _lines(path, issues):
        text = line.strip()
        if not text:
            blank.append(n)
            continue
        if text.startswith("#"):
            continue
        fields = text.split()
        word, rest = fields[0], fields[1:]
        freq: int | None = None
        tag: str | None = None
        if rest and rest[0].isdigit():
            freq = int(rest.pop(0))
        if rest and _TAG.match(rest[0]):
            tag = rest.pop(0)
        if rest:
            issues.append(FileIssue(p, n, "error",
                                    f"expected 'word [freq] [pos]', got {line!r} / 应为「词 [词频] [词性]」"))
            continue
        if not _JIEBA_BLOCK.match(word):
            issues.append(FileIssue(p, n, "warning",
                                    f"{word!r} has a character jieba splits at (punctuation, symbol); "
                                    "it cannot come out as one jieba token / 含 jieba 必然切开的字符"))
        if word in seen:
            dupes.append((n, word, seen[word]))
        else:
            seen[word] = n
        entries.append(DictEntry(word, freq, tag))
    _blank_and_dupes(p, blank, dupes, issues)
    if any(i.severity == "error" for i in issues):
        raise WordFileError(issues)
    return entries, issues


def read_stopwords(path: str | Path) -> tuple[list[str], list[FileIssue]]:
    """Read a stopword file (one word a line); raise :class:`WordFileError` if any line is malformed."""
    path = Path(path)
    p = str(path)
    issues: list[FileIssue] = []
    words: list[str] = []
    blank: list[int] = []
    seen: dict[str, int] = {}
    dupes: list[tuple[int, str, int]] = []
    for n, line in _lines(path, issues):
        text = line.strip()
        if not text:
            blank.append(n)
            continue
        if text.startswith("#"):
            continue
        if len(text.split()) > 1:
            issues.append(FileIssue(p, n, "error",
                                    f"one stopword per line expected, got {line!r} / 每行应只有一个停用词"))
            continue
        if text in seen:
            dupes.append((n, text, seen[text]))
        else:
            seen[text] = n
        words.append(text)
    _blank_and_dupes(p, blank, dupes, issues)
    if any(i.severity == "error" for i in issues):
        raise WordFileError(issues)
    return words, issues
