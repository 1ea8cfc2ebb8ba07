"""The `sql:` option: one SELECT over the data package's resources, by name, run in DuckDB.

    ```chart
    sql: |
      SELECT date_trunc('month', date) AS month, state, count(*) AS arrests
      FROM arrests GROUP BY ALL ORDER BY month, state
    mark: line
    x: month:T
    y: arrests:Q
    color: state:N
    ...
    ```

Each resource of data/datapackage.json is a table named by its `name` (`arrests`,
`agreements_by_month`), whether its file is a CSV (read with DuckDB's type detection: ISO dates
become DATE, so `date_trunc` works) or a Parquet file. The query runs in a sandboxed DuckDB
(engine.py): it may read the data folder and nothing else, and only a single SELECT (or WITH
... SELECT) is accepted. Every table it names must be a resource (or its own CTE), and it must
read one at least (`read_by`): a literal, a file read by its path or a table function would
print a number with no source, which the cache (keyed by resources) would serve stale.
The result becomes the same kind of pandas frame a CSV gives (dates as ISO text), so every
chart option works on it, aggregates included.

A value in prose may be a query too, `{{ sql SELECT ... | format }}` (values.py): the one cell
it returns (`one_cell`: more than one row or column, no row, or NULL is an error, never "the
first cell").

Aggregating in SQL is how a chart reads a file far past a spreadsheet: DuckDB streams a
10-million-row Parquet file through the GROUP BY and hands the chart a few hundred rows.

Faults are DirectiveErrors on the `sql` option (so they are reported at its line) carrying
DuckDB's own message: a syntax error, an unknown table or column (DuckDB names the closest),
a query that returns too many rows for a chart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DirectiveError, closest, did_you_mean

# A ```query block's name, which `{{ sql name }}` prints (directives/query.py, values.py).
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Resource:
    """A table the query may name: the resource's name and its file under data/."""

    name: str
    path: str  # relative to data/


def resources(package: dict) -> dict[str, Resource]:
    """{name: Resource} of every resource in the data package (package_index's values)."""
    found = {}
    for path, info in sorted(package.items()):
        name = str(info.get("name") or Path(path).stem)
        found[name.lower()] = Resource(name, path)
    return found


def mentioned(sql: str, package: dict) -> list[Resource]:
    """The resources whose name appears in the query text: a superset of those it reads
    (cheap, no parsing), for cache keys and the files a figure links to."""
    words = set(re.findall(r"[A-Za-z0-9_.\-]+", sql.lower()))
    text = sql.lower()
    return [
        r for key, r in sorted(resources(package).items()) if key in words or f'"{key}"' in text
    ]


def read_by(sql: str, package: dict) -> list[Resource]:
    """The resources the query reads, exactly, from DuckDB's parse tree.

    Every table the query names must be a resource of the data package or one of its own
    CTEs, and it must read at least one resource: a number is printed only with the source
    it came from, and the render cache (keyed by the resources a query names) can only see a
    change in a resource. So a table function (`read_csv(...)`, `read_text(...)`, `glob(...)`),
    a file path as a table (`'data/x.csv'`), a schema-qualified or system table and a query
    that reads nothing (`SELECT 1425`) are refused, each a DirectiveError (key 'sql') saying
    what to name instead. A query that does not parse raises DuckDB's own message."""
    import json

    import duckdb

    tables = resources(package)
    con = duckdb.connect()
    try:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise _error(exc, tables) from None
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            raise DirectiveError(
                "sql must be a single SELECT query (found "
                f"{len(statements)} statement(s)"
                + (f", a {statements[0].type.name}" if len(statements) == 1 else "")
                + ")",
                fix="write one SELECT (or WITH ... SELECT) over the data package's resources",
                key="sql",
            )
        tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0])
    finally:
        con.close()
    if tree.get("error"):  # pragma: no cover - extract_statements parsed it already
        raise DirectiveError(f"sql: {tree.get('error_message')}", key="sql")
    used = {}
    for ref, scope in _table_refs(tree["statements"], frozenset()):
        resource = _resource(ref, scope, tables)
        if resource is not None:
            used[resource.name.lower()] = resource
    if not used:
        raise _not_a_resource("the query reads no resource of the data package", None, tables)
    return [used[k] for k in sorted(used)]


# Table functions that generate rows and read nothing (a date spine beside a resource).
GENERATORS = frozenset({"range", "generate_series", "unnest"})


def _table_refs(node, scope: frozenset):
    """(table reference, CTE names in scope) of every BASE_TABLE and TABLE_FUNCTION in a
    json_serialize_sql tree. A CTE is in scope in the query after its WITH, in the CTEs
    defined after it, and in itself when recursive."""
    if isinstance(node, list):
        for item in node:
            yield from _table_refs(item, scope)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "RECURSIVE_CTE_NODE":
        scope = scope | {str(node.get("cte_name", "")).lower()}
    ctes = (node.get("cte_map") or {}).get("map") or []
    for entry in ctes:
        yield from _table_refs(entry.get("value"), scope)
        scope = scope | {str(entry.get("key", "")).lower()}
    if node.get("type") in ("BASE_TABLE", "TABLE_FUNCTION"):
        yield node, scope
    for key, value in node.items():
        if key != "cte_map":
            yield from _table_refs(value, scope)


def _resource(ref: dict, scope: frozenset, tables: dict[str, Resource]) -> Resource | None:
    """The resource a table reference reads (None for a CTE or a generator); a
    DirectiveError for anything else."""
    if ref["type"] == "TABLE_FUNCTION":
        function = ref.get("function") or {}
        name = str(function.get("function_name", "")).lower()
        if name in GENERATORS:
            return None
        # Its first text argument, if any, is usually the file: name that file's resource.
        path = next(
            (
                a["expression"]["literal"]["text"]
                for a in function.get("arguments") or []
                if (a.get("expression") or {}).get("literal", {}).get("kind") == "STRING"
            ),
            None,
        )
        problem = f"the table function {name}(...) reads outside the data package"
        raise _not_a_resource(problem, path, tables)
    name = str(ref.get("table_name", ""))
    catalog, schema = ref.get("catalog_name"), ref.get("schema_name")
    if catalog or schema:
        qualified = ".".join(p for p in (catalog, schema, name) if p)
        raise _not_a_resource(f"{qualified} is not a resource of the data package", name, tables)
    if name.lower() in scope:
        return None
    if name.lower() in tables:
        return tables[name.lower()]
    if re.search(r"[/\\.:]", name):
        raise _not_a_resource(f"'{name}' reads a file by its path", name, tables)
    raise _not_a_resource(f"no resource named {name} in the data package", name, tables)


def _not_a_resource(problem: str, name: str | None, tables: dict[str, Resource]) -> DirectiveError:
    """The fault of a table that is not a resource: what to name instead (the resource of
    that file, or the closest name, else the first) and every resource."""
    stem = Path(name.replace("\\", "/")).stem.lower() if name else ""
    by_path = {Path(r.path).stem.lower(): r.name for r in tables.values()}
    names = [r.name for r in tables.values()]
    suggestion = by_path.get(stem) or (closest(name, names) if name else None)
    hint = f"; did you mean '{suggestion}'?" if suggestion else ""
    example = suggestion or (names[0] if names else "agreements_latest")
    return DirectiveError(
        f"sql: {problem}{hint}",
        fix=f"name a resource of the data package, e.g. FROM {example}, so the figure or value "
        "names its source; resources (tables): " + (", ".join(names) or "none"),
        key="sql",
    )


def check_sql(value) -> str:
    """The `sql:` option's value: the text of one query (checked against DuckDB at render)."""
    if not isinstance(value, str) or not value.strip():
        raise DirectiveError(
            "must be the text of a SELECT query",
            fix="e.g. 'sql: SELECT state, sum(total) AS total FROM agreements_by_state GROUP BY "
            "state'; write a long query as a YAML block ('sql: |' and indented lines)",
        )
    return value.strip().rstrip(";").strip()


def run(sql: str, data_dir: Path, package: dict, max_rows: int, spill_dir: Path | None = None):
    """(the resources the query reads, the result as a pandas frame).

    Raises DirectiveError (key 'sql') with DuckDB's message when the query is wrong, and
    when it returns more than `max_rows` rows (a chart or table of that many rows is a
    query that forgot to aggregate)."""
    used, frame = _result(sql, data_dir, package, max_rows + 1, spill_dir)
    if len(frame) > max_rows:
        raise DirectiveError(
            f"the query returns more than {max_rows:,} rows",
            fix="aggregate in the query (GROUP BY) or add a WHERE, or raise "
            "DATA_DIRECTIVES['MAX_ROWS']",
            key="sql",
        )
    if frame.empty:
        raise DirectiveError(
            "the query returns no rows", fix="check its WHERE against the data", key="sql"
        )
    if not _ORDER_BY.search(sql):
        # DuckDB returns a GROUP BY's groups in whatever order its threads finish: without an
        # ORDER BY the rows are sorted by every column, so each build gives the same figure.
        frame = frame.sort_values(list(frame.columns), kind="stable", na_position="last")
        frame = frame.reset_index(drop=True)
    return used, frame


# A value's query may return this many rows before the error stops counting them.
_ROWS_SHOWN = 10


def one_cell(sql: str, data_dir: Path, package: dict, spill_dir: Path | None = None):
    """(the resources the query reads, the one cell it returns), for a value in prose.

    A query that returns more than one row or column, no row, or NULL is an error that says
    so and how to fix it: a value is never "the first cell of several"."""
    used, frame = _result(sql, data_dir, package, _ROWS_SHOWN + 1, spill_dir)
    if len(frame.columns) != 1:
        raise DirectiveError(
            f"the query returns {len(frame.columns)} columns ({', '.join(frame.columns)}); "
            "a value is one cell",
            fix="select only the column to print, e.g. SELECT sum(total) FROM ...",
            key="sql",
        )
    if len(frame) != 1:
        rows = f"more than {_ROWS_SHOWN}" if len(frame) > _ROWS_SHOWN else str(len(frame))
        raise DirectiveError(
            f"the query returns {rows} rows; a value is one cell",
            fix="add a WHERE that picks one row, or aggregate (count(*), sum(...), max(...))"
            if len(frame)
            else "check its WHERE against the data (count(*) gives 0 when nothing matches)",
            key="sql",
        )
    import pandas as pd

    cell = frame.iloc[0, 0]
    if pd.isna(cell):
        raise DirectiveError(
            "the query returns NULL (no value)",
            fix="check its WHERE against the data, or use coalesce(..., 0) where none means 0",
            key="sql",
        )
    return used, cell


def _result(sql: str, data_dir: Path, package: dict, limit: int, spill_dir: Path | None):
    """(the resources the query reads, its first `limit` rows as a frame like a CSV's)."""
    import duckdb

    from . import engine
    from .data import as_csv_like

    tables = resources(package)
    used = read_by(sql, package)  # a single SELECT reading only resources, or a fault
    con = engine.connect(data_dir, spill_dir)
    try:
        try:
            for res in used:
                source = (
                    engine.parquet_source(data_dir / res.path)
                    if res.path.lower().endswith(".parquet")
                    else f"read_csv({engine.literal((data_dir / res.path).as_posix())})"
                )
                con.execute(f"CREATE VIEW {engine.ident(res.name)} AS SELECT * FROM {source}")
            relation = con.sql(f"SELECT * FROM ({sql}) AS dd_query LIMIT {limit}")
            select = ", ".join(
                engine.as_text_if_temporal(c, str(t))
                for c, t in zip(relation.columns, relation.types, strict=True)
            )
            frame = con.sql(f"SELECT {select} FROM ({sql}) AS dd_query LIMIT {limit}").df()
        except duckdb.Error as exc:
            raise _error(exc, tables) from None
    finally:
        con.close()
    return used, as_csv_like(frame)


_ORDER_BY = re.compile(r"\border\s+by\b", re.I)


def _error(exc, tables: dict[str, Resource]) -> DirectiveError:
    """DuckDB's message, first line, as a fault in the `sql` option."""
    message = " ".join(str(exc).strip().splitlines()[0].split())
    fix = "resources (tables): " + ", ".join(r.name for r in tables.values())
    match = re.search(r"Table with name (\S+) does not exist", message)
    if match:
        message += did_you_mean(match.group(1), [r.name for r in tables.values()])
    return DirectiveError(f"sql: {message}", fix=fix, key="sql")
