"""Loading data files from the data folder, and the `filter` conditions directives apply to them.

Paths are resolved under the configured data folder and refused if they leave it. A build's
`Tables` keeps each loaded table for the rest of that build, keyed by the file's size and
modification time, so ten charts on one file read it once (nothing is kept between builds,
nor at module level). The frame is the interface to the charts:

- a CSV is read by pandas' C parser as `utf-8-sig` (Excel writes a BOM), types inferred;
- a Parquet file is read by DuckDB (engine.py) into the same kind of frame a CSV of the same
  data gives (dates and times as ISO text, nullable numbers), so a chart does not care which.

Why pandas still parses the CSVs a chart reads whole: measured on the 1M-row bench CSV, DuckDB
reading it into a pandas frame costs about twice pandas' own parser (0.35 s against 0.17 s of
CPU), and pandas' type inference is what every chart was built and tested against. DuckDB
wins where the rows need not become a frame: validation (tableschema.py) and the `sql:`
option (sql.py), which aggregates inside DuckDB and hands the charts only the result.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DirectiveError, did_you_mean
from .render import file_sha256


@dataclass(frozen=True)
class Table:
    """A loaded CSV: its name under data/, absolute path, bytes hash and frame."""

    name: str
    path: Path
    sha256: str
    frame: object  # pandas.DataFrame; typed loosely so this module imports pandas lazily


DATA_SUFFIXES = (".csv", ".parquet")


def resolve_csv(name, data_dir: Path, key: str = "data") -> Path:
    """Return the absolute path of data file `name` (a CSV or a Parquet file) under
    `data_dir`, or raise a located error."""
    if not isinstance(name, str) or not name.strip():
        raise DirectiveError(
            "'data' must name a CSV or Parquet file under data/, e.g. "
            "'data: agreements_by_month.csv'",
            key=key,
        )
    name = name.strip()
    candidate = (data_dir / name).resolve()
    if not candidate.is_relative_to(data_dir):
        raise DirectiveError(
            f"{name!r} is outside the data folder; directives may only read CSVs under "
            f"{data_dir.name}/ (write the name relative to it, without '..')",
            key=key,
        )
    suffix = candidate.suffix.lower()
    if suffix not in DATA_SUFFIXES:
        raise DirectiveError(
            f"{name!r} is not a .csv file or a .parquet file; give a CSV or Parquet file under "
            f"{data_dir.name}/",
            key=key,
        )
    if not candidate.is_file():
        available = sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob(f"*{suffix}"))
        kind = "CSV" if suffix == ".csv" else "Parquet file"
        raise DirectiveError(
            f"no {kind} named {name!r} in {data_dir.name}/{did_you_mean(name, available)}",
            fix=f"available: {', '.join(available) or '(none)'}",
            key=key,
        )
    return candidate


def load_table(name, data_dir: Path, key: str = "data") -> Table:
    """Resolve and load a CSV or Parquet file (read afresh; a build reads through `Tables`)."""
    path = resolve_csv(name, data_dir, key=key)
    load = _load_parquet if path.suffix.lower() == ".parquet" else _load
    return load(str(path), path.relative_to(data_dir).as_posix())


class Tables:
    """The data files one build has loaded: each read once while its size and mtime hold."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self._loaded: dict[tuple[str, int, int], Table] = {}

    def load(self, name, key: str = "data") -> Table:
        """Resolve and load a CSV or Parquet file under the data folder (a located error if
        it cannot be)."""
        path = resolve_csv(name, self.data_dir, key=key)
        stat = path.stat()
        known = (str(path), stat.st_size, stat.st_mtime_ns)
        if known not in self._loaded:
            self._loaded[known] = load_table(name, self.data_dir, key)
        return self._loaded[known]


def _load_parquet(path: str, name: str) -> Table:
    from . import engine

    con = engine.connect(Path(path).parent)
    try:
        columns = con.execute(f"DESCRIBE SELECT * FROM {engine.parquet_source(path)}").fetchall()
        select = ", ".join(engine.as_text_if_temporal(c[0], c[1]) for c in columns)
        frame = con.execute(f"SELECT {select} FROM {engine.parquet_source(path)}").df()
    except Exception as exc:  # duckdb.Error: a file that is not Parquet
        raise DirectiveError(
            f"{name} could not be read as Parquet: {str(exc).splitlines()[0]}", key="data"
        ) from None
    finally:
        con.close()
    return Table(
        name=name, path=Path(path), sha256=file_sha256(Path(path)), frame=as_csv_like(frame)
    )


def as_csv_like(frame):
    """The frame pandas' CSV reader would give for the same data: nullable numbers and text."""
    return frame.convert_dtypes(dtype_backend="numpy_nullable")


def _load(path: str, name: str) -> Table:
    import pandas as pd

    raw = Path(path).read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DirectiveError(
            f"{name} is not valid UTF-8 (byte {exc.start}); save it as UTF-8 "
            "(in Excel: 'CSV UTF-8')",
            key="data",
        ) from None
    try:
        # keep_default_na=False: "NA" or "None" in a CSV are text, only empty cells are missing.
        frame = pd.read_csv(
            Path(path),
            encoding="utf-8-sig",
            keep_default_na=False,
            na_values=[""],
            dtype_backend="numpy_nullable",
        )
    except pd.errors.EmptyDataError:
        raise DirectiveError(
            f"{name} is empty; a CSV needs a header row and data rows", key="data"
        ) from None
    except pd.errors.ParserError as exc:
        raise DirectiveError(f"{name} could not be read as CSV: {exc}", key="data") from None
    return Table(name=name, path=Path(path), sha256=hashlib.sha256(raw).hexdigest(), frame=frame)


def check_column(frame, column: str, table: str, key: str) -> str:
    """Return `column` if the frame has it, else raise naming the closest match and all columns."""
    columns = [str(c) for c in frame.columns]
    if column in columns:
        return column
    raise DirectiveError(
        f"column {column!r} not in {table}{did_you_mean(column, columns)}",
        fix=f"columns: {', '.join(columns)}",
        key=key,
    )


_CONDITION = re.compile(
    r"^\s*(?P<column>[^=!<>]+?)\s*(?P<op>==|!=|<=|>=|<|>|=| in )\s*"
    r"(?P<value>.+?)\s*$"
)
FILTER_HELP = (
    "write 'column op value' with op one of ==, !=, <, <=, >, >=, in "
    "(e.g. 'snapshot_date == 2026-02-17' or 'state in [Texas, Florida]')"
)


def parse_condition(text: str, key: str = "filter") -> tuple[str, str, object]:
    """Parse 'column op value' into (column, op, value); 'in' takes a [list]."""
    if not isinstance(text, str):
        raise DirectiveError(f"each filter must be a string; {FILTER_HELP}", key=key)
    m = _CONDITION.match(text)
    if not m:
        raise DirectiveError(f"cannot read the filter {text!r}; {FILTER_HELP}", key=key)
    op = m["op"].strip()
    op = "==" if op == "=" else op
    value = m["value"]
    if op == "in":
        if not (value.startswith("[") and value.endswith("]")):
            raise DirectiveError(
                f"'in' needs a list in brackets in {text!r}; {FILTER_HELP}", key=key
            )
        value = [v.strip().strip("'\"") for v in value[1:-1].split(",") if v.strip()]
    else:
        value = value.strip("'\"")
    return m["column"].strip(), op, value


def apply_filters(frame, conditions, table: str, key: str = "filter"):
    """Keep the rows that meet every condition (a string or a list of strings)."""
    if conditions is None:
        return frame
    if isinstance(conditions, str):
        conditions = [conditions]
    if not isinstance(conditions, list):
        raise DirectiveError(
            f"'filter' must be a condition or a list of them; {FILTER_HELP}", key=key
        )
    for text in conditions:
        column, op, value = parse_condition(text, key)
        check_column(frame, column, table, key)
        frame = frame[condition_mask(frame[column], op, value, text, key)]
    return frame


def condition_mask(series, op: str, value, text: str, key: str):
    import pandas as pd

    def typed(v):
        if pd.api.types.is_numeric_dtype(series.dtype):
            try:
                return float(v)
            except ValueError:
                raise DirectiveError(
                    f"{v!r} in {text!r} is not a number, but column {series.name!r} holds numbers",
                    key=key,
                ) from None
        return str(v)

    if op == "in":
        return series.isin([typed(v) for v in value]).fillna(False)
    v = typed(value)
    ops = {
        "==": series.__eq__,
        "!=": series.__ne__,
        "<": series.__lt__,
        "<=": series.__le__,
        ">": series.__gt__,
        ">=": series.__ge__,
    }
    return ops[op](v).fillna(False).astype(bool)
