"""A safe parser for document filters such as ``year >= 2018 and issuer = 国务院``.

User text never reaches SQL: the filter is tokenised and parsed into a small tree, field names
are looked up in a whitelist (the ``documents`` columns, plus the manifest fields stored in
``documents.fields``), operators come from a fixed table, and every value is a bound parameter.

Grammar (keywords are case-insensitive)::

    expr       := term (("or" | "||") term)*
    term       := factor (("and" | "&&" | "&") factor)*
    factor     := "not" factor | "(" expr ")" | comparison
    comparison := FIELD OP VALUE | FIELD ["not"] "in" "(" VALUE ("," VALUE)* ")"
                | FIELD "between" VALUE "and" VALUE | FIELD "contains" VALUE | FIELD "is" ["not"] "null"
    OP         := = == != <> < <= > >=   (full-width ＝ ＞ ＜ ≥ ≤ ≠ accepted)
    VALUE      := number | 'text' | "text" | 「text」 | a bare word such as 国务院 or 2018-03-05

A FIELD is a ``documents`` column (year, issuer, doc_type ...) or a manifest field; a manifest field
named like a column (a manifest's own ``doc_type``) is reached as ``fields.doc_type``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# documents columns a filter may name, with their SQL type (numbers compare as numbers).
DOCUMENT_FIELDS: dict[str, str] = {
    "doc_id": "text", "source_path": "text", "title": "text", "year": "number", "date": "text",
    "issuer": "text", "doc_number": "text", "doc_type": "text", "abstract": "text", "keywords": "text",
    "n_chars": "number", "authors": "text", "format": "text", "encoding": "text", "script": "text",
    "n_pages": "number", "canonical_id": "text", "similarity": "number", "classification": "text", "doi": "text",
}

_COMPARE = {"=": "=", "==": "=", "!=": "<>", "<>": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_FULLWIDTH = str.maketrans({"＝": "=", "＞": ">", "＜": "<", "≥": ">=", "≤": "<=", "≠": "!=", "（": "(",
                            "）": ")", "，": ","})
_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<str>'(?:[^']|'')*'|"(?:[^"]|"")*"|「[^」]*」)
      | (?P<op>==|!=|<>|<=|>=|&&|\|\||[=<>(),&])
      | (?P<word>[^\s'"=<>!(),&|「」]+)
    )""",
    re.VERBOSE,
)
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_KEYWORDS = {"and", "or", "not", "in", "between", "contains", "is", "null"}


class FilterError(ValueError):
    """A filter expression that cannot be parsed or names an unknown field."""


@dataclass(frozen=True)
class _Tok:
    kind: str  # str | op | word
    text: str
    pos: int


@dataclass(frozen=True)
class Filter:
    """A parsed filter: SQL over the ``documents`` table aliased ``alias``, with bound parameters."""

    expression: str
    sql: str
    params: tuple[Any, ...]


def parse_filter(expression: str, manifest_fields: set[str] | frozenset[str] = frozenset(),
                 *, alias: str = "d") -> Filter:
    """Parse ``expression`` into SQL over ``documents`` (alias ``alias``); raise :class:`FilterError`.

    ``manifest_fields`` are the user metadata keys present in ``documents.fields``.
    """
    parser = _Parser(expression, manifest_fields, alias)
    sql = parser.parse()
    return Filter(expression, sql, tuple(parser.params))


def field_sql(name: str, manifest_fields: set[str] | frozenset[str], *, alias: str = "d") -> tuple[str, list[Any], str]:
    """SQL for one whitelisted field: (expression, parameters, kind 'number' | 'text' | 'json')."""
    key = name.strip()
    for prefix in ("fields.", "manifest."):
        # A manifest column that shares a documents column's name (doc_type, year ...) is reached with a prefix.
        if key.lower().startswith(prefix) and key[len(prefix):] in manifest_fields:
            return f"json_extract_string({alias}.fields, ?)", [f'$."{key[len(prefix):]}"'], "json"
    if key.lower() in DOCUMENT_FIELDS:
        key = key.lower()
        return f'{alias}."{key}"', [], DOCUMENT_FIELDS[key]
    if key in manifest_fields:
        return f"json_extract_string({alias}.fields, ?)", [f'$."{key}"'], "json"
    manifest = [f"fields.{m}" if m.lower() in DOCUMENT_FIELDS else m for m in sorted(manifest_fields)]
    raise FilterError(
        f"未知字段 / unknown field {name!r}; 内置字段 built-in fields: {', '.join(sorted(DOCUMENT_FIELDS))}"
        + (f"; 元数据表字段 manifest fields: {', '.join(manifest)}" if manifest else "")
    )


def shadowed_fields(expression: str, manifest_fields: set[str] | frozenset[str]) -> list[str]:
    """Built-in fields named in ``expression`` that a manifest column shares the name of (``doc_type``):
    the filter read the built-in value, the user may have meant the manifest's (``fields.doc_type``)."""
    try:
        words = {t.text.lower() for t in _tokenise(expression) if t.kind == "word"}
    except FilterError:
        return []
    return sorted(name for name in manifest_fields if name.lower() in words and name.lower() in DOCUMENT_FIELDS)


def shadow_hint(expression: str, manifest_fields: set[str] | frozenset[str]) -> str:
    """A sentence for an empty selection whose filter named a shadowed field ('' when it named none)."""
    names = shadowed_fields(expression, manifest_fields)
    if not names:
        return ""
    used = ", ".join(f"fields.{n}" for n in names)
    return (f"; 元数据表中也有同名列 {', '.join(names)}：筛选清单中的值请写 {used} / the manifest also has a "
            f"column named {', '.join(names)}: the filter read the built-in field; to filter on the manifest's "
            f"values write {used}")


def _tokenise(expression: str) -> list[_Tok]:
    text = expression.translate(_FULLWIDTH)
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN_RE.match(text, pos)
        if m is None or m.end() == pos:
            raise FilterError(f"筛选条件无法解析 / cannot parse filter at {text[pos:pos + 20]!r} in {expression!r}")
        kind = m.lastgroup or "word"
        tokens.append(_Tok(kind, m.group(kind), m.start(kind)))
        pos = m.end()
    return tokens


def _literal(tok: _Tok) -> str | float | int:
    if tok.kind == "str":
        body = tok.text[1:-1]
        return body if tok.text[0] == "「" else body.replace(tok.text[0] * 2, tok.text[0])
    if _NUMBER_RE.match(tok.text):
        return float(tok.text) if "." in tok.text else int(tok.text)
    return tok.text


class _Parser:
    def __init__(self, expression: str, manifest_fields: set[str] | frozenset[str], alias: str) -> None:
        self.expression = expression
        self.tokens = _tokenise(expression)
        self.i = 0
        self.manifest = manifest_fields
        self.alias = alias
        self.params: list[Any] = []
        if not self.tokens:
            raise FilterError("筛选条件为空 / empty filter expression")

    # -- token helpers ---------------------------------------------------------------------------
    def _peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _is_kw(self, tok: _Tok | None, *words: str) -> bool:
        return tok is not None and tok.kind in ("word", "op") and tok.text.lower() in words

    def _next(self, what: str) -> _Tok:
        tok = self._peek()
        if tok is None:
            raise FilterError(f"筛选条件不完整 / filter ends early, expected {what}: {self.expression!r}")
        self.i += 1
        return tok

    def _expect(self, *texts: str) -> None:
        tok = self._next(" or ".join(texts))
        if tok.text.lower() not in texts:
            raise FilterError(f"expected {' or '.join(texts)} at {tok.text!r} in {self.expression!r} (语法错误)")

    def _value(self) -> str | float | int:
        tok = self._next("a value")
        if tok.kind == "op" or (tok.kind == "word" and tok.text.lower() in _KEYWORDS):
            raise FilterError(f"expected a value at {tok.text!r} in {self.expression!r} (此处应为取值)")
        return _literal(tok)

    # -- grammar ---------------------------------------------------------------------------------
    def parse(self) -> str:
        sql = self._or()
        tok = self._peek()
        if tok is not None:
            raise FilterError(f"unexpected {tok.text!r} in {self.expression!r} (多余的内容)")
        return sql

    def _or(self) -> str:
        parts = [self._and()]
        while self._is_kw(self._peek(), "or", "||"):
            self.i += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def _and(self) -> str:
        parts = [self._not()]
        while self._is_kw(self._peek(), "and", "&&", "&"):
            self.i += 1
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def _not(self) -> str:
        tok = self._peek()
        if self._is_kw(tok, "not"):
            self.i += 1
            return f"(NOT coalesce({self._not()}, FALSE))"
        if tok is not None and tok.text == "(":
            self.i += 1
            inner = self._or()
            self._expect(")")
            return inner
        return self._comparison()

    def _comparison(self) -> str:
        tok = self._next("a field name")
        if tok.kind != "word" or tok.text.lower() in _KEYWORDS:
            raise FilterError(f"expected a field name at {tok.text!r} in {self.expression!r} (此处应为字段名)")
        col, col_params, kind = field_sql(tok.text, self.manifest, alias=self.alias)
        op_tok = self._next("an operator")
        op = op_tok.text.lower()
        negate = False
        if op == "not":
            negate = True
            op = self._next("in").text.lower()
            if op != "in":
                raise FilterError(f"expected 'in' after 'not' in {self.expression!r}")
        if op in _COMPARE:
            value = self._value()
            return self._compare(col, col_params, kind, _COMPARE[op], value)
        if op == "in":
            self._expect("(")
            values = [self._value()]
            while self._peek() is not None and self._peek().text == ",":  # type: ignore[union-attr]
                self.i += 1
                values.append(self._value())
            self._expect(")")
            parts = [self._compare(col, col_params, kind, "=", v) for v in values]
            sql = "(" + " OR ".join(parts) + ")"
            return f"(NOT coalesce({sql}, FALSE))" if negate else sql
        if op == "between":
            low = self._value()
            self._expect("and")
            high = self._value()
            return "(" + self._compare(col, col_params, kind, ">=", low) + " AND " + \
                self._compare(col, col_params, kind, "<=", high) + ")"
        if op == "contains":
            value = str(self._value())
            self.params += [*col_params, value]
            return f"(strpos(CAST({col} AS VARCHAR), ?) > 0)"
        if op == "is":
            nxt = self._next("null").text.lower()
            not_null = nxt == "not"
            if not_null:
                nxt = self._next("null").text.lower()
            if nxt != "null":
                raise FilterError(f"expected 'null' in {self.expression!r}")
            self.params += col_params
            empty = f"({col} IS NULL OR CAST({col} AS VARCHAR) = '')"
            return f"(NOT {empty})" if not_null else empty
        raise FilterError(
            f"未知运算符 / unknown operator {op_tok.text!r} in {self.expression!r}; "
            "use = != < <= > >= in, not in, between, contains, is null"
        )

    def _compare(self, col: str, col_params: list[Any], kind: str, op: str, value: str | float | int) -> str:
        numeric = isinstance(value, (int, float))
        if kind == "number":
            if not numeric:
                raise FilterError(f"{value!r} is not a number (此字段需要数字) in {self.expression!r}")
            self.params += [*col_params, value]
            return f"({col} {op} ?)"
        if kind == "json" and numeric:
            self.params += [*col_params, float(value)]
            return f"(TRY_CAST({col} AS DOUBLE) {op} ?)"
        self.params += [*col_params, str(value)]
        return f"({col} {op} ?)"
