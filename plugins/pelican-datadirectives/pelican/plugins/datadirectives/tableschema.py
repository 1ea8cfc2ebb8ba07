"""Table Schema checks of one CSV or Parquet file, vectorised in DuckDB.

`check_file(con, path, where, schema, kind)` returns located problems,
`<where>:<row>:<column>: <what is wrong>; <how to fix it>`, for: the header (missing, extra,
misplaced or repeated columns), rows with too many or too few values, blank rows, values of the
wrong type, empty required values, values outside their constraints, duplicate keys.

How: one pass over the file counts the faults of every check at once (DuckDB reads the file in
parallel and evaluates each check as a column expression: no Python per row); only the checks
that fail are queried again, for their first rows. A million-row CSV takes about 0.3 s.

Row numbers are the file's records, the header being 1, as frictionless counted them (a
quoted value with a line break inside is one record). For the common case DuckDB's record
order gives the number; a file whose rows do not all have the header's width, or with blank
lines, is read by Python's csv module instead (slower, exact), which locates each such row.
Parquet rows are numbered from 1.

The subset of the Frictionless Table Schema it implements (what the data page needs;
anything else is refused, never silently ignored): types string (formats default, uri,
email, uuid), integer, number, boolean, date, datetime, time, year, yearmonth, any;
constraints required, unique, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
minLength, maxLength, pattern (a full match, RE2 syntax), enum; primaryKey; missingValues.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .engine import csv_source, ident, literal, parquet_source
from .errors import Problem

DESCRIPTOR = "datapackage.json"
SHOWN = 20  # rows listed per failing check; the rest are counted in one line

TYPES = (
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
    "time",
    "year",
    "yearmonth",
    "any",
)
STRING_FORMATS = {
    "default": None,
    "uri": r"[A-Za-z][A-Za-z0-9+.\-]*:\S*",
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
}
CONSTRAINTS = (
    "required",
    "unique",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
)
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]


@dataclass(frozen=True)
class Field:
    """One field of the schema, with the SQL that checks and types its values."""

    name: str
    position: int  # 1-based
    type: str
    format: str
    constraints: dict
    true_values: tuple
    false_values: tuple

    @property
    def label(self) -> str:
        return self.type if self.format in ("default", "") else f"{self.type} ({self.format})"

    def typed(self, v: str) -> str:
        """SQL: the value of text expression `v` as this type (NULL when it is not one)."""
        t = self.type
        if t == "integer":
            return f"TRY_CAST(trim({v}) AS HUGEINT)"
        if t == "number":
            return f"TRY_CAST(trim({v}) AS DOUBLE)"
        if t == "boolean":
            trues = ", ".join(literal(x) for x in self.true_values)
            falses = ", ".join(literal(x) for x in self.false_values)
            return f"(CASE WHEN {v} IN ({trues}) THEN true WHEN {v} IN ({falses}) THEN false END)"
        if t == "date":
            if self.format == "any":
                return f"TRY_CAST({v} AS DATE)"
            fmt = "%Y-%m-%d" if self.format in ("default", "") else self.format
            return f"CAST(try_strptime({v}, {literal(fmt)}) AS DATE)"
        if t == "datetime":
            if self.format in ("default", "", "any"):
                return f"TRY_CAST({v} AS TIMESTAMP)"
            return f"try_strptime({v}, {literal(self.format)})"
        if t == "time":
            if self.format in ("default", "", "any"):
                return f"TRY_CAST({v} AS TIME)"
            return f"CAST(try_strptime({v}, {literal(self.format)}) AS TIME)"
        if t == "year":
            return f"(CASE WHEN regexp_full_match({v}, '[0-9]{{4}}') THEN CAST({v} AS INTEGER) END)"
        if t == "yearmonth":
            year = f"TRY_CAST(split_part({v}, '-', 1) AS INTEGER)"
            month = f"TRY_CAST(split_part({v}, '-', 2) AS INTEGER)"
            return (
                f"(CASE WHEN regexp_full_match({v}, '\\s*[0-9]+\\s*-\\s*[0-9]+\\s*') "
                f"AND {month} BETWEEN 1 AND 12 THEN {year} * 100 + {month} END)"
            )
        return v  # string, any

    def valid(self, v: str) -> str:
        """SQL: whether the non-empty text `v` is a value of this type."""
        if self.type == "integer":
            return (
                f"(regexp_full_match({v}, '\\s*[+-]?[0-9]+\\s*') AND {self.typed(v)} IS NOT NULL)"
            )
        if self.type == "string":
            pattern = STRING_FORMATS.get(self.format or "default")
            return f"regexp_full_match({v}, {literal(pattern)})" if pattern else "true"
        if self.type == "any":
            return "true"
        return f"({self.typed(v)} IS NOT NULL)"


def read_fields(schema: dict) -> tuple[list[Field], list[str]]:
    """The schema's fields, and what is wrong with the schema (in words, unlocated)."""
    problems = []
    fields = []
    raw_fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(raw_fields, list) or not raw_fields:
        return [], ["its schema has no 'fields' list; describe each column"]
    for i, f in enumerate(raw_fields, start=1):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f["name"]:
            problems.append(f"field {i} has no name; give each field a 'name'")
            continue
        name = f["name"]
        kind = f.get("type", "string")
        fmt = str(f.get("format", "default"))
        if kind not in TYPES:
            problems.append(
                f"field '{name}' has type {kind!r}, which the build does not check; "
                f"use one of {', '.join(TYPES)}"
            )
            continue
        if kind == "string" and fmt not in STRING_FORMATS:
            problems.append(
                f"field '{name}' has format {fmt!r}; string formats: {', '.join(STRING_FORMATS)}"
            )
            continue
        constraints = f.get("constraints") or {}
        unknown = sorted(set(constraints) - set(CONSTRAINTS))
        if unknown:
            problems.append(
                f"field '{name}' has constraint(s) {', '.join(unknown)}, which the build does "
                f"not check; use {', '.join(CONSTRAINTS)}"
            )
            continue
        if "enum" in constraints and not isinstance(constraints["enum"], list):
            problems.append(f"field '{name}': constraint enum must be a list of values")
            continue
        fields.append(
            Field(
                name=name,
                position=i,
                type=kind,
                format=fmt,
                constraints=constraints,
                true_values=tuple(f.get("trueValues", TRUE_VALUES)),
                false_values=tuple(f.get("falseValues", FALSE_VALUES)),
            )
        )
    names = [f["name"] for f in raw_fields if isinstance(f, dict)]
    for key in primary_key(schema):
        if key not in names:
            problems.append(f"primaryKey names '{key}', which is not a field; fix the name")
    missing = schema.get("missingValues", [""])
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        problems.append('missingValues must be a list of strings, e.g. [""]')
    return fields, problems


def primary_key(schema: dict) -> list[str]:
    pk = schema.get("primaryKey", []) if isinstance(schema, dict) else []
    return [pk] if isinstance(pk, str) else list(pk or [])


@dataclass(frozen=True)
class Check:
    """One vectorised check: the SQL condition that marks a bad cell, and its message."""

    position: int  # column position, to order problems within a row (0: whole row)
    column: str
    bad: str  # SQL condition over the file's text columns
    message: object  # (row, value) -> what is wrong and the fix


def _checks(fields: list[Field], con) -> tuple[list[Check], list[str]]:
    """Every per-cell check the schema asks for, and problems with its constraint values."""
    columns = [ident(f.name) for f in fields]
    blank = "(" + " AND ".join(f"{c} IS NULL" for c in columns) + ")"
    checks = [Check(0, "-", blank, lambda row, v: "blank row; remove it")]
    problems = []
    for f in fields:
        v = ident(f.name)
        c = f.constraints
        name = f.name
        if c.get("required"):
            checks.append(
                Check(
                    f.position,
                    name,
                    f"{v} IS NULL AND NOT {blank}",
                    lambda row, val, name=name: (
                        f"bad value: empty, but column '{name}' is required; fill it in"
                    ),
                )
            )
        checks.append(
            Check(
                f.position,
                name,
                f"{v} IS NOT NULL AND NOT {f.valid(v)}",
                lambda row, val, f=f: (
                    f"wrong type: {val!r} is not a valid {f.label}; fix the value, "
                    f"or the field's type in data/{DESCRIPTOR}"
                ),
            )
        )
        ok = f"{v} IS NOT NULL AND {f.valid(v)}"
        for rule, value in c.items():
            if rule in ("required", "unique"):
                continue
            if rule == "pattern":
                cond = f"regexp_full_match({v}, {literal(value)})"
            elif rule in ("minLength", "maxLength"):
                op = ">=" if rule == "minLength" else "<="
                cond = f"length({v}) {op} {int(value)}"
            elif rule == "enum":
                if f.type in ("string", "any"):
                    cond = f"{v} IN ({', '.join(literal(x) for x in value)})"
                else:
                    cond = f"{f.typed(v)} IN ({', '.join(f.typed(literal(x)) for x in value)})"
            else:
                op = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">"}.get(rule, "<")
                bound = f.typed(literal(_as_text(value)))
                if con.execute(f"SELECT {bound} IS NULL").fetchone()[0]:
                    problems.append(
                        f"field '{name}': constraint {rule} {value!r} is not a valid "
                        f"{f.label}; fix it"
                    )
                    continue
                cond = f"{f.typed(v)} {op} {bound}"
            shown = repr(value) if rule == "enum" else value
            checks.append(
                Check(
                    f.position,
                    name,
                    f"{ok} AND NOT ({cond})",
                    lambda row, val, name=name, rule=rule, shown=shown: (
                        f"bad value {val!r}: breaks the schema's constraint {rule} "
                        f"{shown}; fix the value or the constraint in data/{DESCRIPTOR}"
                    ),
                )
            )
    return checks, problems


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def at(where: str, row: int, column: str, text: str) -> Problem:
    """A problem at `row` of file `where` and `column` ('-': the whole file or row)."""
    return Problem(text, path=where, line=row, column=column)


def check_file(con, path: Path, where: str, resource: dict, kind: str) -> tuple[list[Problem], int]:
    """Problems in one CSV or Parquet file against its resource's schema, and its row count."""
    schema = resource.get("schema") or {}
    fields, problems = read_fields(schema)
    if not problems:
        checks, problems = _checks(fields, con)
    if problems:
        descriptor = f"{where.rsplit('/', 1)[0]}/{DESCRIPTOR}"
        name = resource.get("name")
        return [at(descriptor, 1, "-", f"resource '{name}': {p}") for p in problems], 0
    pk = primary_key(schema)
    if kind == "parquet":
        return _check_parquet(con, path, where, fields, checks, pk)
    return _check_csv(con, path, where, resource, schema, fields, checks, pk)


# -- CSV --------------------------------------------------------------------------------------


def _header_problems(where: str, header: list[str], names: list[str]) -> list[str]:
    """The header against the schema's field names, position by position (as frictionless)."""
    repeated = [label for i, label in enumerate(header) if label in header[:i]]
    if repeated:
        return [at(where, 1, x, f"column '{x}' appears twice; remove one") for x in repeated]
    problems = []
    for i in range(max(len(header), len(names))):
        if i >= len(header):
            problems.append(
                at(
                    where,
                    1,
                    names[i],
                    f"missing column '{names[i]}' (position {i + 1}); add it, or remove the "
                    f"field from data/{DESCRIPTOR}",
                )
            )
        elif i >= len(names):
            problems.append(
                at(
                    where,
                    1,
                    header[i],
                    f"extra column '{header[i]}' not in the schema; remove it, or describe it "
                    f"in data/{DESCRIPTOR}",
                )
            )
        elif header[i] != names[i]:
            problems.append(
                at(
                    where,
                    1,
                    header[i],
                    f"column {i + 1} is '{header[i]}' but the schema expects '{names[i]}' "
                    "there; rename or reorder the columns",
                )
            )
    return problems


def _has_blank_line(text: bytes, start: int) -> bool:
    """Whether a line from `start` on is blank. DuckDB skips blank lines silently, so the record
    numbers it gives would be off: such files take the exact (Python) path, which reports them.
    (bytes.find, not a regex: a regex scan of a 40 MB file took 0.7 s.)"""
    return (
        text.startswith((b"\n", b"\r\n"), start)
        or text.find(b"\n\n", start) >= 0
        or text.find(b"\n\r\n", start) >= 0
    )


def _check_csv(con, path, where, resource, schema, fields, checks, pk):
    import duckdb

    raw = path.read_bytes()
    text = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    dialect = resource.get("dialect") or {}
    delimiter = dialect.get("delimiter", ",")
    quote = dialect.get("quoteChar", '"')
    nulls = tuple(schema.get("missingValues", [""]))
    names = [f.name for f in fields]
    if not text.strip():
        return [at(where, 1, "-", "empty file: no header row; add the header and the data rows")], 0
    end = text.find(b"\n") + 1 or len(text)
    simple_header = text[:end].count(quote.encode()) % 2 == 0  # no line break in a name
    reader = csv.reader(
        io.StringIO(text[: end if simple_header else len(text)].decode("utf-8"), newline=""),
        delimiter=delimiter,
        quotechar=quote,
    )
    header_problems = _header_problems(where, next(reader), names)
    if header_problems:
        return header_problems, 0  # rows are not checked against a header that does not fit
    if simple_header and not _has_blank_line(text, end):
        source = csv_source(path, names, delimiter=delimiter, quote=quote, nulls=nulls)
        try:
            return _run_checks(
                con, source, "row_number() OVER () + 1", where, fields, checks, pk, "line"
            )
        except duckdb.InvalidInputException:
            pass  # a row of the wrong width: locate it exactly below
    return _check_csv_exactly(con, raw, where, fields, checks, pk, delimiter, quote, nulls)


def _check_csv_exactly(con, raw, where, fields, checks, pk, delimiter, quote, nulls):
    """The same checks, after Python's csv module has numbered every record and located the
    rows whose width is wrong and the blank ones (those are left out of the value checks)."""
    import pandas as pd

    reader = csv.reader(
        io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=delimiter, quotechar=quote
    )
    next(reader)
    names = [f.name for f in fields]
    width = len(names)
    problems = []
    kept = []
    missing = set(nulls)
    count = 0
    for row, record in enumerate(reader, start=2):
        count += 1
        if not record:
            problems.append((row, 0, at(where, row, "-", "blank row; remove it")))
        elif len(record) > width:
            problems.append(
                (
                    row,
                    0,
                    at(
                        where,
                        row,
                        "-",
                        f"row has more values than the header has columns (value "
                        f"{record[width]!r}); quote values that contain commas",
                    ),
                )
            )
        elif len(record) < width:
            for i in range(len(record), width):
                problems.append(
                    (
                        row,
                        i + 1,
                        at(
                            where,
                            row,
                            names[i],
                            f"row ends before column '{names[i]}'; add the value",
                        ),
                    )
                )
        else:
            kept.append([row, *(None if cell in missing else cell for cell in record)])
    frame = pd.DataFrame(kept, columns=["__row", *names], dtype=object)
    frame["__row"] = frame["__row"].astype("int64")
    cur = con.cursor()
    try:
        cur.register("dd_exact", frame)
        found, _ = _run_checks_on(cur, "dd_exact", "__row", where, fields, checks, pk, "line")
    finally:
        cur.close()
    return _ordered(problems, found), count


# -- Parquet ----------------------------------------------------------------------------------


def _check_parquet(con, path, where, fields, checks, pk):
    import duckdb

    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {parquet_source(path)}").fetchall()
    except duckdb.Error as exc:
        return [at(where, 1, "-", f"not a readable Parquet file ({_first_line(exc)})")], 0
    columns = [c[0] for c in described]
    names = [f.name for f in fields]
    problems = [
        at(where, 1, n, f"missing column '{n}'; add it, or remove the field from data/{DESCRIPTOR}")
        for n in names
        if n not in columns
    ] + [
        at(
            where,
            1,
            c,
            f"extra column '{c}' not in the schema; remove it, or describe it in data/{DESCRIPTOR}",
        )
        for c in columns
        if c not in names
    ]
    if problems:
        return problems, 0
    # Each column as text, as a CSV would give it: the same checks then apply to both.
    text = ", ".join(f"CAST({ident(n)} AS VARCHAR) AS {ident(n)}" for n in names)
    source = f"(SELECT file_row_number, {text} FROM {parquet_source(path, row_number=True)})"
    return _run_checks(con, source, "file_row_number + 1", where, fields, checks, pk, "row")


def _first_line(exc) -> str:
    return str(exc).strip().splitlines()[0]


# -- running the checks -----------------------------------------------------------------------


def _run_checks(con, source, row_sql, where, fields, checks, pk, noun):
    """Count every check's faults in one pass; list the first rows of each failing one."""
    cur = con.cursor()  # its own result state: a failed read leaves `con` usable
    try:
        found, total = _run_checks_on(cur, source, row_sql, where, fields, checks, pk, noun)
    finally:
        cur.close()
    return _ordered(found), total


def _run_checks_on(con, source, row_sql, where, fields, checks, pk, noun):
    counts = ", ".join(f"count(*) FILTER (WHERE {c.bad})" for c in checks)
    total, *faults = con.execute(f"SELECT count(*), {counts} FROM {source}").fetchone()
    numbered = f"(SELECT {row_sql} AS dd_row, * FROM {source})"
    blank = checks[0].bad
    found = []
    for check, n in zip(checks, faults, strict=True):
        if not n:
            continue
        value = ident(check.column) if check.column != "-" else "NULL"
        rows = con.execute(
            f"SELECT dd_row, {value} FROM {numbered} WHERE {check.bad} "
            f"ORDER BY dd_row LIMIT {SHOWN + 1}"
        ).fetchall()
        for row, val in rows[:SHOWN]:
            found.append(
                (row, check.position, at(where, row, check.column, check.message(row, val)))
            )
        if n > SHOWN:
            row = rows[SHOWN][0]
            found.append(
                (
                    row,
                    check.position,
                    at(
                        where,
                        row,
                        check.column,
                        f"and {n - SHOWN:,} more {noun}s from here on with the same problem "
                        "(not listed); fix the ones above first",
                    ),
                )
            )
    found += _duplicates(con, numbered, where, fields, pk, blank, noun)
    return found, total


def _duplicates(con, numbered, where, fields, pk, blank, noun):
    """Rows whose primary key, or a unique column, repeats an earlier row's."""
    by_name = {f.name: f for f in fields}
    found = []
    groups = []
    pk = [k for k in pk if k in by_name]
    if pk:
        groups.append((pk, True))
    groups += [([f.name], False) for f in fields if f.constraints.get("unique") and [f.name] != pk]
    for keys, is_pk in groups:
        typed = [by_name[k].typed(ident(k)) for k in keys]
        present = " AND ".join(f"{t} IS NOT NULL" for t in typed)
        query = (
            f"SELECT dd_row, first, {ident(keys[0])} FROM (SELECT dd_row, {ident(keys[0])}, "
            f"min(dd_row) OVER (PARTITION BY {', '.join(typed)}) AS first FROM {numbered} "
            f"WHERE {present} AND NOT {blank}) WHERE dd_row > first ORDER BY dd_row LIMIT {SHOWN}"
        )
        for row, first, value in con.execute(query).fetchall():
            if is_pk:
                text = (
                    f"duplicate primary key ({', '.join(keys)}): same as {noun} {first}; each row "
                    "needs its own key, remove or fix one"
                )
            else:
                text = (
                    f"bad value {value!r}: breaks the schema's constraint unique (same as {noun} "
                    f"{first}); fix the value or the constraint in data/{DESCRIPTOR}"
                )
            found.append((row, by_name[keys[0]].position, at(where, row, keys[0], text)))
    return found


def _ordered(*lists) -> list[Problem]:
    """Problems in file order: by row, then by column position."""
    merged = [p for items in lists for p in items]
    return [text for _, _, text in sorted(merged, key=lambda p: (p[0], p[1]))]
