"""sql.py and data.py's Parquet loading: queries over the data package's resources by name, in
a sandboxed DuckDB, with DuckDB's own message for every wrong query."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pelican.plugins.datadirectives import sql
from pelican.plugins.datadirectives.data import load_table
from pelican.plugins.datadirectives.errors import DirectiveError
from pelican.plugins.datadirectives.package import load_package
from pelican.plugins.datadirectives.plugin import package_index

CSV = "state,day,total\nTexas,2025-01-31,3\nOhio,2025-01-31,1\nTexas,2025-02-28,5\n"


@pytest.fixture
def data(tmp_path) -> Path:
    """data/ with a CSV resource `counts` and a Parquet resource `arrests`."""
    import duckdb

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "counts.csv").write_text(CSV)
    duckdb.sql(
        "COPY (SELECT DATE '2025-01-01' + (i % 60)::INTEGER AS day, "
        "CASE WHEN i % 3 = 0 THEN 'TX' ELSE 'OH' END AS state, i AS id "
        f"FROM range(1000) t(i)) TO '{folder / 'arrests.parquet'}' (FORMAT parquet)"
    )
    meta = {"title": "t", "description": "d", "sources": [{"title": "s"}], "as_of": "2026-01-01"}
    package = {
        "resources": [
            {"name": "counts", "path": "counts.csv", **meta, "schema": {"fields": []}},
            {"name": "arrests", "path": "arrests.parquet", **meta, "schema": {"fields": []}},
        ]
    }
    (folder / "datapackage.json").write_text(json.dumps(package))
    return folder


def run(query: str, data: Path, max_rows: int = 5000):
    return sql.run(sql.check_sql(query), data, package_index(load_package(data)), max_rows)


def test_aggregate_over_a_csv_resource(data):
    used, frame = run("SELECT state, sum(total) AS total FROM counts GROUP BY ALL ORDER BY 1", data)
    assert [r.name for r in used] == ["counts"]
    assert frame.to_dict("records") == [
        {"state": "Ohio", "total": 1},
        {"state": "Texas", "total": 8},
    ]
    assert str(frame["total"].dtype) == "Int64"  # the frame a CSV of the result would give


def test_dates_come_back_as_iso_text(data):
    query = (
        "SELECT date_trunc('month', day) AS month, count(*) AS n FROM arrests "
        "GROUP BY ALL ORDER BY month"
    )
    used, frame = run(query, data)
    assert [r.name for r in used] == ["arrests"]
    assert frame["month"].tolist() == ["2025-01-01", "2025-02-01", "2025-03-01"]
    assert frame["n"].sum() == 1000


def test_a_join_reads_both_resources(data):
    query = "SELECT count(*) AS n FROM arrests JOIN counts ON arrests.day = counts.day::DATE"
    used, frame = run(query, data)
    assert [r.name for r in used] == ["arrests", "counts"]


@pytest.mark.parametrize(
    "query,message",
    [
        ("SELECT * FROM count", r"Table with name count does not exist.*did you mean 'counts'"),
        ("SELEC 1", r"sql: Parser Error: syntax error at or near \"SELEC\""),
        ("SELECT nope FROM counts", r"Binder Error: .*\"nope\""),
        ("SELECT 1; SELECT 2", r"single SELECT query \(found 2 statement"),
        ("DROP TABLE counts", r"single SELECT query \(found 1 statement\(s\), a DROP"),
        ("SELECT * FROM read_csv('/etc/passwd')", r"Permission Error"),
        ("SELECT * FROM 'https://example.org/x.csv'", r"Permission Error"),
        ("SELECT * FROM arrests", r"more than 100 rows; aggregate in the query"),
        ("SELECT * FROM counts WHERE total > 100", r"returns no rows"),
    ],
)
def test_wrong_queries_carry_duckdbs_message(data, query, message):
    with pytest.raises(DirectiveError, match=message) as info:
        run(query, data, max_rows=100)
    assert info.value.key == "sql"  # reported at the option's line


def test_mentioned_is_a_superset_for_cache_keys(data):
    package = package_index(load_package(data))
    assert [r.name for r in sql.mentioned("select * from COUNTS", package)] == ["counts"]
    assert sql.mentioned("select 1", package) == []


def test_parquet_loads_like_a_csv(data):
    import duckdb

    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{data / 'counts.csv'}')) TO "
        f"'{data / 'counts.parquet'}' (FORMAT parquet)"
    )
    csv_frame = load_table("counts.csv", data).frame
    parquet_frame = load_table("counts.parquet", data).frame
    assert parquet_frame.to_dict("records") == csv_frame.to_dict("records")
    assert list(parquet_frame.dtypes.astype(str)) == list(csv_frame.dtypes.astype(str))
