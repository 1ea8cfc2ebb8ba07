"""The inline value directive: `{{ file.csv[column=value].column | format }}` in prose.

Syntax (docs/directives.md, "Values in prose"):

    {{ agreements_by_snapshot.csv[snapshot_date=2026-02-17].total }}      -> 1,425
    {{ sum agreements_by_state.csv[snapshot_date=2026-02-17].total }}     -> sum of matching rows
    {{ count agreements_by_state.csv[snapshot_date=2026-02-17] }}         -> number of rows
    {{ last agreements_by_month.csv.total | , }}                          -> last row's value
    {{ list state_policies.csv[stance=ban].state }}                       -> "A, B and C"
    {{ asof agreements_by_month.csv }}   {{ source agreements_by_month.csv }}
    {{ sql SELECT count(DISTINCT state) FROM agreements_latest | , }}   -> a query's one cell
    {{ sql texas_agencies | , }}       -> the one cell of the page's ```query named texas_agencies

Without an aggregate, the conditions must pick exactly one row: a value that silently came from
"the first of several matches" would be a number nobody checked. Likewise a `sql` value's
query must return one row of one column (sql.one_cell says what to fix when it does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .data import check_column, condition_mask, load_table, parse_condition
from .errors import DirectiveError, did_you_mean
from .formats import check_format, format_date, format_value, plain
from .sql import NAME, check_sql, one_cell

AGGREGATES = ("sum", "max", "min", "mean", "count", "first", "last", "list")
META = ("asof", "source")

SYNTAX = (
    "{{ file.csv[column=value, ...].column | format }}; aggregates: "
    + ", ".join(AGGREGATES)
    + "; also {{ asof file.csv }}, {{ source file.csv }} and {{ sql SELECT ... | format }}"
)


_EXPR = re.compile(
    r"^(?:(?P<verb>[a-z]+)\s+)?"
    r"(?P<file>[\w./-]+?\.csv)"
    r"(?:\[(?P<where>(?:[^\[\]]|\[[^\]]*\])*)\])?"
    r"(?:\.(?P<column>[\w -]+?))?"
    r"\s*(?:\|\s*(?P<format>.*?))?\s*$"
)


@dataclass(frozen=True)
class ValueRef:
    """A parsed value expression."""

    verb: str | None
    file: str | None  # None for a `sql` value
    conditions: tuple
    column: str | None
    format: str | None
    text: str
    sql: str | None = None  # `{{ sql ... }}`: the query (its `file` is None)
    name: str | None = None  # `{{ sql name }}`: a ```query block's name (sql set on resolving)
    query_line: int | None = None  # the line of that block's `sql:` (its faults go there)


def parse(text: str) -> ValueRef:
    """Parse the inside of `{{ ... }}`, raising a DirectiveError that shows the syntax."""
    if re.match(r"sql(\s|$)", text.strip()):
        return _parse_sql(text.strip())
    m = _EXPR.match(text.strip())
    if not m:
        raise DirectiveError(f"cannot read the value {{{{ {text.strip()} }}}}; write {SYNTAX}")
    verb = m["verb"]
    if verb and verb not in AGGREGATES + META:
        raise DirectiveError(
            f"unknown aggregate {verb!r} in {{{{ {text.strip()} }}}}; "
            f"use one of {', '.join(AGGREGATES + META)}"
        )
    conditions = ()
    if m["where"] is not None:
        # Split on commas outside [lists]: "state in [Texas, Florida], year=2025".
        parts = [p for p in re.split(r",(?![^\[]*\])", m["where"]) if p.strip()]
        conditions = tuple(parse_condition(p, key="value") for p in parts)
    column = m["column"].strip() if m["column"] else None
    if verb not in ("count", "asof", "source") and not column:
        raise DirectiveError(
            f"{{{{ {text.strip()} }}}} names no column; add '.column' after "
            f"the file or the [conditions], e.g. {m['file']}[...].total"
        )
    fmt = check_format(m["format"].strip()) if m["format"] else None
    return ValueRef(verb, m["file"], conditions, column, fmt, text.strip())


def _parse_sql(text: str) -> ValueRef:
    """`sql QUERY | format`: a value that is the one cell a SELECT returns."""
    query, fmt = split_format(text[3:])
    query = query.strip()
    if not query:
        raise DirectiveError(
            f"{{{{ {text} }}}} has no query; write {{{{ sql SELECT ... }}}}, e.g. "
            "{{ sql SELECT count(*) FROM agreements_latest WHERE state = 'Texas' | , }}"
        )
    fmt = check_format(fmt.strip()) if fmt and fmt.strip() else None
    if NAME.fullmatch(query):  # {{ sql texas_agencies }}: a ```query block of the page
        return ValueRef("sql", None, (), None, fmt, text, name=query)
    return ValueRef("sql", None, (), None, fmt, text, sql=check_sql(query))


def split_format(text: str) -> tuple[str, str | None]:
    """(query, format) of `QUERY | format`: the format follows the last `|` outside quotes
    ('...' and "...", a doubled quote escaping itself) that is not part of SQL's `||`.

    So `SELECT 'a|b' ...`, `LIKE '%|%'` and `a || b` stay in the query. A bitwise `|` with
    no format after it would read as the format (an unknown-format error): write
    bitwise_or(a, b)."""
    cut, quote, i = None, None, 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == quote:
                if text[i + 1 : i + 2] == quote:
                    i += 1  # '' inside '...': an escaped quote
                else:
                    quote = None
        elif char in "'\"":
            quote = char
        elif char == "|":
            if text[i + 1 : i + 2] == "|":
                i += 1  # SQL's || (string concatenation)
            else:
                cut = i
        i += 1
    if cut is None:
        return text, None
    return text[:cut], text[cut + 1 :]


def resolve(ref: ValueRef, queries: dict) -> ValueRef:
    """A `{{ sql name }}` value with its query, from the page's ```query blocks
    ({name: (SQL, line of its sql:)}); other values as they are."""
    if ref.name is None:
        return ref
    if ref.name not in queries:
        defined = f" (this page defines: {', '.join(sorted(queries))})" if queries else ""
        raise DirectiveError(
            f"no query named {ref.name!r} on this page{did_you_mean(ref.name, queries)}" + defined,
            fix=f"define it in a ```query block (name: {ref.name}, sql: SELECT ...), or write "
            "the query in the value: {{ sql SELECT ... }}",
        )
    sql, line = queries[ref.name]
    return replace(ref, sql=sql, query_line=line)


def evaluate_sql(ref: ValueRef, data_dir, package, spill_dir=None) -> tuple[str, tuple[str, ...]]:
    """(the formatted cell of a `sql` value, the data files its query reads)."""
    used, cell = one_cell(ref.sql, data_dir, package or {}, spill_dir)
    return format_value(plain(cell), ref.format), tuple(r.path for r in used)


def evaluate(ref: ValueRef, data_dir, package=None, tables=None) -> str:
    """Compute and format a CSV value. `package` maps CSV names to their metadata (as_of,
    sources). A `sql` value is evaluate_sql's (one path, with DuckDB's spill folder)."""
    if ref.verb == "sql":
        raise ValueError("a sql value is computed by evaluate_sql")
    if ref.verb in META:
        return _meta(ref, data_dir, package, tables)
    table = _load(ref.file, data_dir, tables)
    frame = table.frame
    for column, op, value in ref.conditions:
        check_column(frame, column, table.name, key="value")
        frame = frame[condition_mask(frame[column], op, value, f"{column} {op} {value}", "value")]
    if ref.verb == "count":
        return format_value(len(frame), ref.format)
    check_column(frame, ref.column, table.name, key="value")
    series = frame[ref.column]
    conditions = ", ".join(f"{c}{o}{v}" for c, o, v in ref.conditions)
    where = f" where {conditions}" if conditions else ""
    if series.empty:
        raise DirectiveError(
            f"no row of {table.name}{where}; check the conditions against the "
            "CSV (values are case-sensitive)"
        )
    if ref.verb is None:
        if len(series) > 1:
            raise DirectiveError(
                f"{len(series)} rows of {table.name} match{where}; add a "
                "condition so one row matches, or use an aggregate "
                f"(sum, max, ...): {SYNTAX}"
            )
        value = series.iloc[0]
    elif ref.verb == "list":
        return join_list([format_value(plain(v), ref.format) for v in series])
    elif ref.verb in ("first", "last"):
        value = series.iloc[0 if ref.verb == "first" else -1]
    else:
        import pandas as pd

        if not pd.api.types.is_numeric_dtype(series.dtype):
            raise DirectiveError(
                f"{ref.verb} needs numbers, but column {ref.column!r} of {table.name} holds text"
            )
        value = getattr(series, ref.verb)()
    return format_value(plain(value), ref.format)


def join_list(items: list[str]) -> str:
    """Distinct items in the CSV's order, as prose: "A", "A and B", "A, B and C" (AP style:
    no comma before "and"). A value listed twice in the CSV is printed once."""
    items = list(dict.fromkeys(i for i in items if i))
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _load(name: str, data_dir, tables):
    """The table, through the build's `Tables` when there is one (each file read once)."""
    return tables.load(name, key="value") if tables else load_table(name, data_dir, key="value")


def _meta(ref: ValueRef, data_dir, package, tables=None) -> str:
    _load(ref.file, data_dir, tables)  # the file must exist under data/ and be readable
    info = (package or {}).get(ref.file)
    if info is None:
        raise DirectiveError(
            f"{ref.file} is not described in datapackage.json, so it has no "
            f"{ref.verb}; add a resource for it"
        )
    if ref.verb == "asof":
        if not info.get("as_of"):
            raise DirectiveError(f"{ref.file} has no 'as_of' in datapackage.json; add one")
        return format_date(info["as_of"], ref.format or "date")
    return source_text(info)


def source_text(info: dict) -> str:
    """The sources of a data package resource as one line: 'A; B'."""
    titles = [s.get("title", "") for s in info.get("sources") or [] if s.get("title")]
    return "; ".join(titles)
