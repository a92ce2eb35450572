"""The document filter parser: grammar, types, whitelisting, and that user text never becomes SQL."""

from __future__ import annotations

import json

import duckdb
import pytest

from corpus_tool.analyse.query import FilterError, parse_filter

FIELDS = {"collection", "省份", "year"}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute(
        "CREATE TABLE documents (doc_id VARCHAR, title VARCHAR, year INTEGER, issuer VARCHAR, "
        "date VARCHAR, canonical_id VARCHAR, fields JSON)"
    )
    rows = [
        (
            "a",
            "关于推动高质量发展的意见",
            2017,
            "国务院",
            "2017-03-05",
            None,
            {"collection": "wks", "省份": "山东", "year": "2016"},
        ),
        ("b", "政府工作报告", 2018, "国务院", "2018-03-05", None, {"collection": "hprc", "省份": "北京"}),
        ("c", "通知", 2020, "工业和信息化部", "2020-01-01", "a", {"collection": "wks", "n": 3}),
        ("d", "x' OR 1=1 --", None, None, None, None, {}),
    ]
    for r in rows:
        c.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)", [*r[:6], json.dumps(r[6], ensure_ascii=False)])
    return c


def ids(con: duckdb.DuckDBPyConnection, expression: str) -> list[str]:
    f = parse_filter(expression, FIELDS)
    return [
        r[0]
        for r in con.execute(f"SELECT doc_id FROM documents d WHERE {f.sql} ORDER BY doc_id", list(f.params)).fetchall()
    ]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("year >= 2018", ["b", "c"]),
        ("year ≥ 2018", ["b", "c"]),
        ("YEAR>=2018 AND issuer = 国务院", ["b"]),
        ("year < 2018 or issuer = '工业和信息化部'", ["a", "c"]),
        ("not year >= 2018", ["a", "d"]),  # a missing year is not ≥ 2018
        ("year between 2017 and 2018", ["a", "b"]),
        ("issuer in (国务院, 工业和信息化部)", ["a", "b", "c"]),
        ("issuer not in (国务院)", ["c", "d"]),
        ("title contains 高质量发展", ["a"]),
        ("collection = wks", ["a", "c"]),
        ("省份 = 山东", ["a"]),
        ("year is null", ["d"]),
        ("canonical_id is not null", ["c"]),
        ("date >= 2018-01-01", ["b", "c"]),
        ("(year = 2017 or year = 2020) and collection = wks", ["a", "c"]),
        ('title = "x\' OR 1=1 --"', ["d"]),  # a quote inside a value is a value, not SQL
        ("fields.year = 2016", ["a"]),  # the manifest's own year, not the documents column
        ("year = 2016", []),
    ],
)
def test_filters_select_the_right_documents(
    con: duckdb.DuckDBPyConnection, expression: str, expected: list[str]
) -> None:
    assert ids(con, expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "year >= 2018; DROP TABLE documents",
        "year >= 2018) OR (1=1",
        "title = x or 1=1",
        "fields = 1",
        "unknown_field = 1",
        "year >= abc",
        "year >=",
        "year ~ 2018",
        "",
        "year in (2018",
    ],
)
def test_bad_filters_are_rejected(con: duckdb.DuckDBPyConnection, expression: str) -> None:
    with pytest.raises(FilterError):
        parse_filter(expression, FIELDS)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (4,)


def test_unknown_field_error_lists_the_fields() -> None:
    with pytest.raises(FilterError, match="collection"):
        parse_filter("colection = wks", FIELDS)


def test_values_are_parameters_not_sql() -> None:
    f = parse_filter("issuer = 国务院 and year >= 2018", FIELDS)
    assert "国务院" not in f.sql and "2018" not in f.sql
    assert f.params == ("国务院", 2018)
