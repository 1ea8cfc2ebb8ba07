"""sql.py and data.py's Parquet loading: queries over the data package's resources by name, in
a sandboxed DuckDB, with DuckDB's own message for every wrong query."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pelican.plugins.datadirectives import sql
from pelican.plugins.datadirectives.data import load_table
from pelican.plugins.datadirectives.errors import DirectiveError
from pelican.plugins.datadirectives.package import load_package
from pelican.plugins.datadirectives.plugin import package_index
from test_directive_errors import stopped
from tiny_site import article_html, build, make_site, tree_digest

CSV = "state,day,total\nTexas,2025-01-31,3\nOhio,2025-01-31,1\nTexas,2025-02-28,5\n"


def fields(names: str) -> dict:
    types = {"day": "date", "total": "integer", "id": "integer"}
    return {"fields": [{"name": n, "type": types.get(n, "string")} for n in names.split()]}


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
            {"name": "counts", "path": "counts.csv", **meta, "schema": fields("state day total")},
            {
                "name": "arrests",
                "path": "arrests.parquet",
                **meta,
                "schema": fields("day state id"),
            },
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
        (
            "SELECT * FROM count",
            r"no resource named count in the data package; did you mean 'counts'",
        ),
        ("SELEC 1", r"sql: Parser Error: syntax error at or near \"SELEC\""),
        ("SELECT nope FROM counts", r"Binder Error: .*\"nope\""),
        ("SELECT 1; SELECT 2", r"single SELECT query \(found 2 statement"),
        ("DROP TABLE counts", r"single SELECT query \(found 1 statement\(s\), a DROP"),
        ("SELECT * FROM read_csv('/etc/passwd')", r"table function read_csv\(\.\.\.\) reads"),
        ("SELECT * FROM 'https://example.org/x.csv'", r"'https://example.org/x.csv' reads a file"),
        ("SELECT * FROM arrests", r"more than 100 rows; aggregate in the query"),
        ("SELECT * FROM counts WHERE total > 100", r"returns no rows"),
    ],
)
def test_wrong_queries_carry_duckdbs_message(data, query, message):
    with pytest.raises(DirectiveError, match=message) as info:
        run(query, data, max_rows=100)
    assert info.value.key == "sql"  # reported at the option's line


# Every table a query names is a resource of the data package (or its own CTE), and it reads
# one at least: what it prints then has a source, and the cache key (the resources its text
# names) sees every change to what it read.
@pytest.mark.parametrize(
    "query,message",
    [
        ("SELECT 1425 AS total", "the query reads no resource of the data package"),
        ("SELECT 'Ohio and Texas' AS states", "the query reads no resource"),
        ("WITH counts AS (SELECT 1 AS x) SELECT x FROM counts", "reads no resource"),
        (
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "
            "SELECT count(*) AS n FROM r",
            "reads no resource",
        ),
        (
            "SELECT sum(total) AS t FROM read_csv('{data}/counts.csv')",
            "the table function read_csv(...) reads outside the data package; did you mean "
            "'counts'?; name a resource of the data package, e.g. FROM counts",
        ),
        ("SELECT sum(total) AS t FROM '{data}/counts.csv'", "counts.csv' reads a file by its path"),
        ("SELECT sum(total) AS t FROM 'data/counts.csv'", "'data/counts.csv' reads a file by its"),
        ('SELECT sum(total) AS t FROM "counts.csv"', "'counts.csv' reads a file by its path"),
        ("SELECT content FROM read_text('{data}/counts.csv')", "read_text(...) reads outside"),
        ("SELECT count(*) AS n FROM glob('{data}/*')", "glob(...) reads outside"),
        (
            "SELECT count(*) AS n FROM counts, read_parquet('{data}/arrests.parquet')",
            "read_parquet(...) reads outside the data package; did you mean 'arrests'?",
        ),
        ("SELECT count(*) AS n FROM main.counts", "main.counts is not a resource"),
        ("SELECT count(*) AS n FROM duckdb_tables", "no resource named duckdb_tables"),
        ("SELECT count(*) AS n FROM information_schema.tables", "information_schema.tables is"),
        (
            "SELECT (SELECT count(*) FROM read_csv('{data}/counts.csv')) AS n FROM counts",
            "read_csv(...) reads outside",
        ),
    ],
)
def test_a_query_reads_resources_and_nothing_else(data, query, message):
    with pytest.raises(DirectiveError) as info:
        run(query.format(data=data.as_posix()), data)
    assert message in str(info.value), str(info.value)
    assert "resources (tables): arrests, counts" in str(info.value)
    assert info.value.key == "sql"


@pytest.mark.parametrize(
    "query,read",
    [
        ("WITH t AS (SELECT * FROM counts) SELECT sum(total) AS n FROM t", ["counts"]),
        (
            "WITH c AS (SELECT * FROM Counts) SELECT count(*) AS n FROM c, ARRESTS",
            ["arrests", "counts"],
        ),
        ("SELECT (SELECT max(id) FROM arrests) AS n FROM counts LIMIT 1", ["arrests", "counts"]),
        ("SELECT i AS n FROM range(2) t(i) WHERE i < (SELECT count(*) FROM counts)", ["counts"]),
    ],
)
def test_ctes_subqueries_and_generators_beside_a_resource_are_fine(data, query, read):
    used, _ = run(query, data)
    assert [r.name for r in used] == read


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


# -- the `sql:` option and Parquet files in real builds ----------------------------------------

SQL_CHART = """\
```chart
sql: |
  SELECT date_trunc('month', day) AS month, count(*) AS arrests
  FROM arrests GROUP BY ALL ORDER BY month
mark: line
x: month:T
y: arrests:Q
title: Arrests by month
description: Line chart of arrests by month.
```

```table
sql: SELECT state, sum(total) AS total FROM counts GROUP BY ALL ORDER BY state
title: Totals by state
```

```chart
data: arrests.parquet
mark: bar
x: count():Q
y: state:N
title: Arrests by state
description: Bars, one per state.
```
"""


def sql_site(tmp_path: Path, data: Path, article: str) -> Path:
    site = make_site(tmp_path / "site", article, csvs={})
    for f in data.iterdir():
        (site / "data" / f.name).write_bytes(f.read_bytes())
    return site


def links(figure_html: str) -> list[tuple[str, str]]:
    """(text, href) of the figure's download links."""
    download = re.search(r'<p class="dd-download">(.*?)</p>', figure_html).group(1)
    return [(t, h) for h, t in re.findall(r'<a href="([^"]+)" download>([^<]+)</a>', download)]


def test_sql_and_parquet_figures_build(tmp_path, data):
    site = sql_site(tmp_path, data, SQL_CHART)
    output = build(site)
    figures = article_html(output).split('<figure class="dd-figure')[1:]
    assert len(figures) == 3
    month, table, state = figures
    assert month.count("<tr>") - 1 == 3  # the data table: the query's three months
    # "Get the data": the rows the figure shows, as CSV, and the full resource.
    for fig, full in (
        (month, "arrests.parquet"),
        (table, "counts.csv"),
        (state, "arrests.parquet"),
    ):
        (get, shown), (whole, href) = links(fig)
        assert get == "Get the data (CSV)"
        assert (output / shown.removeprefix("./")).is_file() and "/figures/" in shown
        assert whole == f"Full data: {full}"
        assert (output / href.removeprefix("./")).is_file()
    rows = (output / links(month)[0][1].removeprefix("./")).read_text()
    assert rows.splitlines()[0] == "month,arrests"
    assert len(rows.splitlines()) == 4
    totals = (output / links(table)[0][1].removeprefix("./")).read_text()
    assert totals == "state,total\nOhio,1\nTexas,8\n"
    # The source line comes from the resources the query reads.
    assert "Source: s." in month


def test_sql_build_is_the_same_warm(tmp_path, data):
    site = sql_site(tmp_path, data, SQL_CHART)
    first = tree_digest(build(site))
    assert tree_digest(build(site)) == first


def test_a_wrong_query_is_reported_at_the_sql_line(tmp_path, data):
    article = SQL_CHART.replace("FROM arrests GROUP BY ALL", "FROM arests GROUP BY ALL")
    site = sql_site(tmp_path, data, article)
    [problem] = stopped(site).problems
    assert problem.line == 6  # the line of 'sql: |' (the header is 4 lines, the fence 5)
    assert "no resource named arests in the data package" in problem.message
    assert "did you mean 'arrests'" in problem.message


@pytest.mark.parametrize(
    "options,message",
    [
        ("data: counts.csv\nsql: SELECT 1 AS x", "data: give either 'sql:' or 'data:'"),
        ("sql: SELECT * FROM counts\nfilter: total > 1", "filter: give either 'sql:' or"),
        ("title: No data", "data: missing; a figure needs 'data:'"),
        # A figure's query reads a resource, even when the block names a source itself.
        (
            "sql: SELECT 1425 AS total\nsource: ICE\nas_of: 2026-02-17",
            "sql: the query reads no resource of the data package",
        ),
        (
            "sql: SELECT * FROM read_csv('data/counts.csv')\nsource: ICE\nas_of: 2026-02-17",
            "sql: the table function read_csv(...) reads outside the data package",
        ),
    ],
)
def test_data_or_sql(tmp_path, data, options, message):
    site = sql_site(
        tmp_path,
        data,
        f"```table\n{options}\ntitle: T\n```\n".replace(
            "title: No data\ntitle: T", "title: No data"
        ),
    )
    problems = stopped(site).problems
    assert any(message in str(p) for p in problems), problems


def test_rows_without_order_by_come_sorted(data):
    # A GROUP BY's order depends on DuckDB's threads; the figure must not.
    _, frame = run("SELECT state, count(*) AS n FROM arrests GROUP BY state", data)
    assert frame["state"].tolist() == ["OH", "TX"]
    _, frame = run("SELECT state, count(*) AS n FROM arrests GROUP BY state ORDER BY n", data)
    assert frame["state"].tolist() == ["TX", "OH"]  # the query's own order is kept


# -- `{{ sql ... }}`: a value in prose that is the one cell a query returns ---------------------

SQL_VALUES = """\
Texas had {{ sql SELECT sum(total) FROM counts WHERE state = 'Texas' }} agreements,
{{ sql SELECT count(*) FROM arrests | , }} arrests in all, the first on
{{ sql SELECT min(day) FROM arrests | date }}; the leader was
{{ sql SELECT state FROM counts GROUP BY state ORDER BY sum(total) DESC LIMIT 1 }},
{{ sql SELECT min(state) || ' and ' || max(state) FROM counts }} together.
"""


def value_spans(html: str) -> list[tuple[str, str]]:
    """(data-dd-source, text) of every value in the article."""
    return re.findall(r'<span class="dd-value" data-dd-source="([^"]*)">([^<]*)</span>', html)


def test_sql_values_build(tmp_path, data):
    site = sql_site(tmp_path, data, SQL_VALUES)
    output = build(site)
    assert value_spans(article_html(output)) == [
        ("counts.csv", "8"),
        ("arrests.parquet", "1,000"),
        ("arrests.parquet", "Jan. 1, 2025"),
        ("counts.csv", "Texas"),
        ("counts.csv", "Ohio and Texas"),  # SQL's || is not the format's |
    ]
    first = tree_digest(output)
    assert tree_digest(build(site)) == first  # warm, from the render cache: the same page


def test_a_sql_value_is_rendered_again_when_its_data_changes(tmp_path, data):
    site = sql_site(tmp_path, data, SQL_VALUES)
    build(site)
    counts = site / "data" / "counts.csv"
    counts.write_text(counts.read_text() + "Texas,2025-03-31,4\n")
    assert value_spans(article_html(build(site)))[0] == ("counts.csv", "12")


def test_the_cache_key_covers_the_query(tmp_path, data):
    # Two values whose text differs only in the query are two cache entries.
    site = sql_site(
        tmp_path,
        data,
        "{{ sql SELECT sum(total) FROM counts WHERE state = 'Ohio' }} and "
        "{{ sql SELECT sum(total) FROM counts WHERE state = 'Texas' }}\n",
    )
    build(site)
    assert [t for _, t in value_spans(article_html(build(site)))] == ["1", "8"]


@pytest.mark.parametrize(
    "value,message",
    [
        (
            "{{ sql SELECT state, sum(total) FROM counts GROUP BY state }}",
            "the query returns 2 columns (state, sum(total)); a value is one cell; "
            "select only the column to print",
        ),
        (
            "{{ sql SELECT total FROM counts }}",
            "the query returns 3 rows; a value is one cell; add a WHERE that picks one row, "
            "or aggregate",
        ),
        (
            "{{ sql SELECT id FROM arrests }}",
            "the query returns more than 10 rows; a value is one cell",
        ),
        (
            "{{ sql SELECT total FROM counts WHERE state = 'Utah' }}",
            "the query returns 0 rows; a value is one cell; check its WHERE",
        ),
        (
            "{{ sql SELECT sum(total) FROM counts WHERE state = 'Utah' }}",
            "the query returns NULL (no value)",
        ),
        (
            "{{ sql SELECT count(*) FROM count }}",
            "sql: no resource named count in the data package; did you mean 'counts'?; name a "
            "resource of the data package, e.g. FROM counts",
        ),
        ("{{ sql SELECT 1425 }}", "sql: the query reads no resource of the data package"),
        ("{{ sql SELECT content FROM read_text('data/counts.csv') }}", "read_text(...) reads"),
        ("{{ sql SELEC 1 }}", 'sql: Parser Error: syntax error at or near "SELEC"'),
        ("{{ sql SELECT 1; SELECT 2 }}", "sql must be a single SELECT query (found 2"),
        ("{{ sql SELECT * FROM read_csv('/etc/passwd') }}", "read_csv(...) reads outside"),
        ("{{ sql }}", "{{ sql }} has no query; write {{ sql SELECT ... }}"),
        ("{{ sql SELECT 1 | nope }}", "nope"),
    ],
)
def test_sql_value_errors_are_located_with_duckdbs_message(tmp_path, data, value, message):
    site = sql_site(tmp_path, data, f"A first line.\n\nA value: {value}.\n")
    [problem] = stopped(site).problems
    assert (problem.path, problem.line) == ("content/article.md", 7), problem
    assert message in str(problem), str(problem)


# -- ```query: a named query that values of the same page print by name -----------------------

NAMED = """\
```query
name: texas_total
sql: |
  SELECT sum(total) FROM counts
  WHERE state = 'Texas'
```

Texas had {{ sql texas_total }} agreements ({{ sql texas_total | ,.1f }} with a decimal).
"""


def test_a_named_query_prints_where_its_name_is_and_shows_nothing_itself(tmp_path, data):
    site = sql_site(tmp_path, data, NAMED)
    output = build(site)
    html = article_html(output)
    assert value_spans(html) == [("counts.csv", "8"), ("counts.csv", "8.0")]
    assert "<p></p>" not in html and "texas_total" not in html and "SELECT" not in html
    first = tree_digest(output)
    assert tree_digest(build(site)) == first  # warm: the same page, from the cache


def test_a_named_querys_text_is_in_the_cache_key(tmp_path, data):
    site = sql_site(tmp_path, data, NAMED)
    build(site)
    article = site / "content" / "article.md"
    article.write_text(article.read_text().replace("'Texas'", "'Ohio'"))
    assert value_spans(article_html(build(site)))[0] == ("counts.csv", "1")


@pytest.mark.parametrize(
    "article,line,message",
    [
        # The value's own faults: an unknown name, at the value's line.
        (
            NAMED.replace("{{ sql texas_total }}", "{{ sql texas_totl }}"),
            12,
            "no query named 'texas_totl' on this page; did you mean 'texas_total'?",
        ),
        # A fault in the query itself: at the block's sql: line, naming the value's line.
        (
            NAMED.replace("sum(total)", "total"),
            7,
            "query 'texas_total' (printed by the value on line 12): the query returns 2 rows; "
            "a value is one cell",
        ),
        (
            NAMED.replace("FROM counts", "FROM count"),
            7,
            "query 'texas_total' (printed by the value on line 12): sql: no resource named "
            "count in the data package; did you mean 'counts'?",
        ),
        # The block's own faults, at its option's line.
        (NAMED.replace("name: texas_total", "name: 2texas"), 6, "name: a query's name is"),
        (NAMED + "\n```query\nname: texas_total\nsql: SELECT 1\n```\n", 15, "defined on line 7"),
    ],
)
def test_named_query_errors_are_located(tmp_path, data, article, line, message):
    site = sql_site(tmp_path, data, article)
    problems = stopped(site).problems
    assert any(p.line == line and message in str(p) for p in problems), [str(p) for p in problems]


# -- the format's `|`: the last one outside quotes that is not SQL's `||` ----------------------


@pytest.mark.parametrize(
    "value,query,fmt",
    [
        ("sql SELECT 'a|b' FROM t", "SELECT 'a|b' FROM t", None),
        ("sql SELECT 'a|b' FROM t | ,", "SELECT 'a|b' FROM t", ","),
        (
            "sql SELECT count(*) FROM t WHERE x LIKE '%|%' | ,",
            "SELECT count(*) FROM t WHERE x LIKE '%|%'",
            ",",
        ),
        ("sql SELECT 'it''s | here' FROM t", "SELECT 'it''s | here' FROM t", None),
        (
            "sql SELECT count(*) FROM t WHERE x LIKE '%|%'",
            "SELECT count(*) FROM t WHERE x LIKE '%|%'",
            None,
        ),
        ('sql SELECT "odd|name" FROM t | ,.1f', 'SELECT "odd|name" FROM t', ",.1f"),
        ("sql SELECT a || '|' || b FROM t | text", "SELECT a || '|' || b FROM t", "text"),
        ("sql SELECT a || b FROM t", "SELECT a || b FROM t", None),
        ("sql SELECT bitwise_or(a, b) FROM t | ,", "SELECT bitwise_or(a, b) FROM t", ","),
    ],
)
def test_the_format_follows_the_last_unquoted_bar(value, query, fmt):
    from pelican.plugins.datadirectives.values import parse

    ref = parse(value)
    assert (ref.sql, ref.format) == (query, fmt)


def test_a_bitwise_bar_with_no_format_reads_as_a_format():
    from pelican.plugins.datadirectives.values import parse

    with pytest.raises(DirectiveError, match="b FROM t"):
        parse("sql SELECT a | b FROM t")


def test_a_bar_inside_quotes_builds(tmp_path, data):
    site = sql_site(
        tmp_path,
        data,
        "{{ sql SELECT count(*) FROM counts WHERE state || '|' LIKE '%|%' }} rows, "
        "{{ sql SELECT min(state) || '|' || max(state) FROM counts }}.\n",
    )
    assert value_spans(article_html(build(site))) == [
        ("counts.csv", "3"),
        ("counts.csv", "Ohio|Texas"),
    ]


# -- prerender's prefill: a named query's value is the page's, skipped there -------------------


def test_prefill_skips_named_query_values(tmp_path, data):
    from pelican.plugins.datadirectives.renderer import Renderer
    from pelican.plugins.datadirectives.settings import load_config

    site = sql_site(tmp_path, data, NAMED)
    settings = {
        "PATH": str(site / "content"),
        "DATA_DIRECTIVES": {"DATA_DIR": "data", "CACHE_DIR": ".cache"},
    }
    package = package_index(load_package(site / "data"))
    renderer = Renderer(load_config(settings), package)
    assert renderer.prefill_value("sql texas_total") is False  # skipped, not a failure
    assert renderer.prefill_value("sql SELECT sum(total) FROM counts") is True
    assert renderer.prefill_value("corrections open an issue") is False


def test_a_sql_value_has_one_evaluation_path(data):
    from pelican.plugins.datadirectives import values

    ref = values.parse("sql SELECT sum(total) FROM counts")
    with pytest.raises(ValueError, match="evaluate_sql"):
        values.evaluate(ref, data)
    package = package_index(load_package(data))
    assert values.evaluate_sql(ref, data, package) == ("9", ("counts.csv",))


def test_the_query_name_rule_has_one_home():
    from pelican.plugins.datadirectives import sql as sql_module
    from pelican.plugins.datadirectives import values
    from pelican.plugins.datadirectives.directives import query

    assert values.NAME is sql_module.NAME is query.NAME


# -- named queries belong to one conversion of their page --------------------------------------


def test_named_queries_do_not_outlive_a_build_in_the_same_process(tmp_path, data):
    # One Renderer serves every run of a Pelican instance (`pelican --autoreload`): a page's
    # queries are those its current text defines, not those an earlier run saw.
    from pelican import Pelican
    from tiny_site import fatal_errors, site_settings

    site = sql_site(tmp_path, data, NAMED)
    article = site / "content" / "article.md"
    with fatal_errors():
        pelican = Pelican(site_settings(site))
        pelican.run()
        assert value_spans(article_html(site / "output"))[0] == ("counts.csv", "8")
        # A line inserted above the block moves it: the same query, not a second one.
        article.write_text(article.read_text().replace("```query", "A new line.\n\n```query"))
        pelican.run()
        assert value_spans(article_html(site / "output"))[0] == ("counts.csv", "8")
        # The block deleted: its name no longer resolves.
        text = article.read_text()
        article.write_text(text[: text.index("```query")] + text[text.index("Texas had") :])
        with pytest.raises(RuntimeError) as ended:
            pelican.run()
    problems = ended.value.__context__.problems
    assert [p.line for p in problems] == [7, 7]  # the two values of the paragraph
    assert all("no query named 'texas_total' on this page" in p.message for p in problems)


def test_a_query_no_value_prints_is_an_error(tmp_path, data):
    unused = NAMED + "\n```query\nname: ohio_total\nsql: SELECT sum(total) FROM counts\n```\n"
    [problem] = stopped(sql_site(tmp_path, data, unused)).problems
    assert (problem.path, problem.line) == ("content/article.md", 16)  # its sql: line
    assert str(problem) == (
        "content/article.md:16: the query 'ohio_total' is printed by no value of this page, "
        "so it is never run; print it with {{ sql ohio_total }}, or delete its ```query block"
    )
