"""The inline value directive: parsing and evaluation against real CSVs."""

import pytest
from pelican.plugins.datadirectives.errors import DirectiveError
from pelican.plugins.datadirectives.values import evaluate, parse

CSV = (
    "snapshot_date,state,total,agencies\n"
    "2025-01-31,Florida,48,47\n"
    "2025-01-31,Texas,26,26\n"
    "2026-02-17,Florida,342,279\n"
    "2026-02-17,Texas,304,245\n"
)


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "states.csv").write_text(CSV, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("states.csv[snapshot_date=2026-02-17, state=Florida].total", "342"),
        ("sum states.csv[snapshot_date=2026-02-17].total", "646"),
        ("max states.csv.total", "342"),
        ("min states.csv[state=Texas].agencies", "26"),
        ("count states.csv[snapshot_date=2025-01-31]", "2"),
        ("count states.csv", "4"),
        ("last states.csv.snapshot_date | date", "Feb. 17, 2026"),
        ("first states.csv.state", "Florida"),
        ("states.csv[state=Texas, total>100].total | ,", "304"),
        ("sum states.csv[state in [Texas, Florida], snapshot_date=2026-02-17].total | ,", "646"),
        ("mean states.csv[snapshot_date=2026-02-17].total | ,.1f", "323.0"),
    ],
)
def test_values(data_dir, expr, expected):
    assert evaluate(parse(expr), data_dir) == expected


def test_asof_and_source_come_from_the_data_package(data_dir):
    package = {"states.csv": {"as_of": "2026-02-17", "sources": [{"title": "ICE lists"}]}}
    assert evaluate(parse("asof states.csv"), data_dir, package) == "Feb. 17, 2026"
    assert evaluate(parse("source states.csv"), data_dir, package) == "ICE lists"


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (
            "states.csv[state=Florida].total",
            r"2 rows of states.csv match where state==Florida; add a",
        ),
        ("states.csv[state=Ohio].total", r"no row of states.csv where state==Ohio"),
        (
            "states.csv[state=Texas, snapshot_date=2026-02-17].totl",
            r"column 'totl' not in states.csv; did you mean 'total'\?; "
            r"columns: snapshot_date, state",
        ),
        ("median states.csv.total", r"unknown aggregate 'median'"),
        ("states.csv[snapshot_date=2026-02-17, state=Texas]", r"names no column"),
        ("nope.csv[a=1].b", r"no CSV named 'nope.csv'.*available: states.csv"),
        ("../etc.csv[a=1].b", r"outside the data folder"),
        ("sum states.csv.state", r"sum needs numbers, but column 'state'"),
        ("states.csv[total=lots].total", r"'lots' in .* is not a number"),
        ("just words", r"cannot read the value"),
        ("asof states.csv", r"not described in datapackage.json"),
    ],
)
def test_value_errors(data_dir, expr, message):
    with pytest.raises(DirectiveError, match=message):
        evaluate(parse(expr), data_dir)
