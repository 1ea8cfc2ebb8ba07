"""The data engine: one sandboxed DuckDB connection per use, reading only the data folder.

DuckDB reads the CSV and Parquet files of data/ for validation (tableschema.py), for Parquet
resources and for the `sql:` option (data.py). Every connection is locked down the same way:

- file access only under the data folder (and DuckDB's own spill folder in the cache): a
  query naming `/etc/passwd`, `../x.csv` or an `https://` address is refused by DuckDB itself;
- no extension is installed or loaded behind the author's back (that would reach the network);
- two threads and a memory ceiling, so a 10-million-row file is streamed, spilling to disk
  rather than growing past what the build machine has.

Generic: nothing here knows what the data is about.
"""

from __future__ import annotations

import os
from pathlib import Path

# Per connection. The render pool runs one connection per worker, so keep this modest; DuckDB
# spills to the cache folder beyond it (aggregates, sorts, window functions).
MEMORY_LIMIT = "512MB"


def threads() -> int:
    """DuckDB's threads: the cores this process may use, at most 2 (the build's own cores)."""
    try:
        return max(1, min(2, len(os.sched_getaffinity(0))))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, min(2, os.cpu_count() or 1))


def connect(data_dir: Path, spill_dir: Path | None = None):
    """A DuckDB connection that may read `data_dir` and nothing else."""
    import duckdb

    data_dir = Path(data_dir).resolve()
    con = duckdb.connect(
        config={
            "threads": threads(),
            "memory_limit": MEMORY_LIMIT,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    )
    allowed = [data_dir.as_posix() + "/"]
    if spill_dir is not None:
        spill_dir = Path(spill_dir).resolve()
        spill_dir.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = {literal(spill_dir.as_posix())}")
        allowed.append(spill_dir.as_posix() + "/")
    else:
        con.execute("SET temp_directory = ''")  # no spilling: nowhere it may write
    con.execute(f"SET allowed_directories = [{', '.join(literal(a) for a in allowed)}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")  # a `sql:` option cannot undo the above
    return con


def literal(text: str) -> str:
    """A SQL string literal (standard SQL: backslashes are plain characters)."""
    return "'" + str(text).replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


def csv_source(path: Path, columns: list[str], *, delimiter=",", quote='"', nulls=("",)) -> str:
    """`read_csv(...)` of a CSV whose header names `columns`, every column as text.

    Strict: a row with too many or too few values raises (the caller then locates it)."""
    cols = ", ".join(f"{literal(c)}: 'VARCHAR'" for c in columns)
    null_list = ", ".join(literal(n) for n in nulls)
    return (
        f"read_csv({literal(Path(path).as_posix())}, header = true, auto_detect = false, "
        f"delim = {literal(delimiter)}, quote = {literal(quote)}, escape = {literal(quote)}, "
        f"columns = {{{cols}}}, nullstr = [{null_list}], strict_mode = true)"
    )


def parquet_source(path: Path, row_number: bool = False) -> str:
    """`read_parquet(...)` of one Parquet file (with its 0-based `file_row_number` if asked)."""
    extra = ", file_row_number = true" if row_number else ""
    return f"read_parquet({literal(Path(path).as_posix())}{extra})"


def as_text_if_temporal(column: str, sql_type: str) -> str:
    """A select item: the column, with dates and times as ISO text (as a CSV holds them)."""
    name = ident(column)
    kind = sql_type.upper()
    if kind == "DATE":
        return f"strftime({name}, '%Y-%m-%d') AS {name}"
    if kind.startswith("TIMESTAMP"):
        # Midnight is a day (date_trunc('month', a DATE) gives a TIMESTAMP): written as one.
        return (
            f"CASE WHEN {name} = date_trunc('day', {name}) THEN strftime({name}, '%Y-%m-%d') "
            f"ELSE strftime({name}, '%Y-%m-%dT%H:%M:%S') END AS {name}"
        )
    if kind.startswith("TIME"):
        return f"CAST({name} AS VARCHAR) AS {name}"
    return name
