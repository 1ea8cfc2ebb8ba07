"""The data package: validate every CSV and Parquet file in data/ against data/datapackage.json,
and describe it.

`validate_package(data_dir)` checks each resource of the (Frictionless) Data Package, its
field types, constraints, header and primary key, in DuckDB (tableschema.py: vectorised, about
0.3 s for a million rows), and raises one `DataPackageError` listing every problem, each
located as

    data/<file>.csv:<row>:<column>: <what is wrong>; <how to fix it>

where <row> is the record in the CSV file (the header is 1; a Parquet file's first row is 1)
and <column> the column's name ("-" when a problem concerns the whole file or row). Checked:
the package file itself, a missing or undescribed data file, bytes that are not UTF-8,
missing, extra or misplaced columns, rows of the wrong width, blank rows, values of the wrong
type or outside their constraints, duplicate primary keys.

Encoding: files must be UTF-8. A leading byte-order mark (what Excel writes with "CSV UTF-8")
is accepted on purpose: it is still UTF-8, the plugin reads CSVs as `utf-8-sig`, and refusing
it would punish the most common way authors save a CSV. Any other non-UTF-8 byte is refused
with its line and column.

`load_package(data_dir)` returns what the data page shows for each resource: name, path,
title, description, sources, licences, as-of date, row count, byte size, SHA-256 and fields.

Generic: nothing here knows what the data is about.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataPackageError, Problem
from .render import file_sha256

DESCRIPTOR = "datapackage.json"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ResourceInfo:
    """One CSV of the package, as the data page lists it."""

    name: str
    path: str  # relative to data/, e.g. "agreements_by_month.csv"
    title: str
    description: str
    sources: list[dict] = field(default_factory=list)
    licenses: list[dict] = field(default_factory=list)
    as_of: str = ""
    rows: int = 0  # data rows, header excluded
    bytes: int = 0
    sha256: str = ""
    fields: list[dict] = field(default_factory=list)  # name, type, title, description


def _at(path: str, row: int, column: str, text: str) -> Problem:
    """A problem at `row` (the header is 1) and `column` ('-': the whole file or row)."""
    return Problem(text, path=path, line=row, column=column)


def _descriptor(data_dir: Path) -> tuple[dict, list[Problem]]:
    """The package descriptor as a dict, and problems reading it."""
    where = f"{data_dir.name}/{DESCRIPTOR}"
    path = data_dir / DESCRIPTOR
    if not path.is_file():
        return {}, [
            _at(
                where,
                1,
                "-",
                f"missing file; describe every CSV in {data_dir.name}/ in {DESCRIPTOR}",
            )
        ]
    try:
        desc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        line = getattr(e, "lineno", 1)
        return {}, [_at(where, line, "-", f"not valid JSON ({e}); fix the syntax")]
    if not isinstance(desc, dict) or not isinstance(desc.get("resources"), list):
        return {}, [
            _at(
                where,
                1,
                "-",
                "no 'resources' list; see https://datapackage.org/standard/data-package/",
            )
        ]
    return desc, []


def _metadata_problems(where: str, res: dict) -> list[Problem]:
    """What the site needs besides the schema: a path, title, sources and an as-of date."""
    name = res.get("name", "?")
    problems = []
    for key in ("name", "path", "title", "description", "schema"):
        if not res.get(key):
            problems.append(_at(where, 1, "-", f"resource '{name}' has no '{key}'; add it"))
    if not res.get("sources"):
        problems.append(
            _at(
                where,
                1,
                "-",
                f"resource '{name}' has no 'sources'; name where the "
                "data comes from ([{title, path}])",
            )
        )
    as_of = str(res.get("as_of", ""))
    if not _ISO_DATE.match(as_of):
        problems.append(
            _at(
                where,
                1,
                "-",
                f"resource '{name}' has as_of {as_of!r}; give the date "
                "the data is current to as YYYY-MM-DD",
            )
        )
    return problems


def _encoding_problem(where: str, raw: bytes) -> Problem | None:
    """A located message for the first non-UTF-8 byte, or None. A BOM is allowed."""
    body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as e:
        before = body[: e.start]
        line = before.count(b"\n") + 1
        header = next(csv.reader([body.split(b"\n", 1)[0].decode("utf-8", "replace")]), [])
        line_start = before.rfind(b"\n") + 1
        prefix = before[line_start:].decode("utf-8", "replace")
        position = len(next(csv.reader([prefix]), [""])) - 1 if prefix else 0
        column = header[position] if 0 <= position < len(header) else "-"
        return _at(
            where,
            line,
            column,
            f"bad encoding: byte 0x{body[e.start]:02x} is not "
            "UTF-8; save the file as UTF-8 (in Excel: 'CSV UTF-8')",
        )
    return None


def file_kind(rel: str) -> str | None:
    """'csv' or 'parquet' from a data file's name, None for anything else."""
    return {".csv": "csv", ".parquet": "parquet"}.get(Path(rel).suffix.lower())


def data_files(data_dir: Path) -> list[Path]:
    """Every CSV and Parquet file at the top of the data folder, sorted (subfolders such as
    data/ingest/ hold inputs of the data's own tools, not resources)."""
    return sorted(p for p in Path(data_dir).iterdir() if p.is_file() and file_kind(p.name))


def _validate_resource(con, data_dir: Path, res: dict) -> tuple[list[Problem], int]:
    """Problems in one resource's file (its metadata is checked separately), and its rows."""
    from .tableschema import check_file

    rel = str(res.get("path", ""))
    where = f"{data_dir.name}/{rel}"
    path = data_dir / rel
    kind = file_kind(rel)
    if not rel or not path.resolve().is_relative_to(data_dir.resolve()) or kind is None:
        return [
            _at(
                f"{data_dir.name}/{DESCRIPTOR}",
                1,
                "-",
                f"resource '{res.get('name')}' has path {rel!r}; give a CSV or Parquet file "
                "name inside data/",
            )
        ], 0
    if not path.is_file():
        return [
            _at(
                where,
                1,
                "-",
                f"missing file: data/{DESCRIPTOR} describes it but it does not exist; add the "
                f"{'CSV' if kind == 'csv' else 'Parquet file'} or remove the resource",
            )
        ], 0
    if kind == "csv":
        encoding = str(res.get("encoding", "utf-8")).lower().replace("_", "-")
        if encoding not in ("utf-8", "utf-8-sig"):
            return [
                _at(
                    f"{data_dir.name}/{DESCRIPTOR}",
                    1,
                    "-",
                    f"resource '{res.get('name')}' has encoding {encoding!r}; save the CSV as "
                    "UTF-8 and say 'utf-8'",
                )
            ], 0
        problem = _encoding_problem(where, path.read_bytes())
        if problem:
            return [problem], 0
    return check_file(con, path, where, res, kind)


def validate_package(data_dir: Path, spill_dir: Path | None = None) -> dict:
    """Check every data file in `data_dir` against its datapackage.json; raise
    DataPackageError listing every problem (all of them, not just the first).

    Returns {resource path: data rows}, so the data page need not count them again."""
    from .engine import connect

    data_dir = Path(data_dir)
    desc, problems = _descriptor(data_dir)
    where = f"{data_dir.name}/{DESCRIPTOR}"
    described = set()
    rows = {}
    con = connect(data_dir, spill_dir) if desc else None
    for res in desc.get("resources", []):
        if not isinstance(res, dict):
            problems.append(
                _at(
                    where,
                    1,
                    "-",
                    "a resource is not an object; see https://datapackage.org/standard/data-package/",
                )
            )
            continue
        described.add(str(res.get("path", "")))
        problems += _metadata_problems(where, res)
        found, count = _validate_resource(con, data_dir, res)
        problems += found
        rows[str(res.get("path", ""))] = count
    if desc:
        for path in data_files(data_dir):
            rel = path.relative_to(data_dir).as_posix()
            if rel not in described:
                problems.append(
                    _at(
                        f"{data_dir.name}/{rel}",
                        1,
                        "-",
                        f"not described in data/{DESCRIPTOR}; add a resource with its schema "
                        "and sources",
                    )
                )
    if con is not None:
        con.close()
    if problems:
        raise DataPackageError(problems)
    return rows


def _row_count(path: Path) -> int:
    """Data rows of a CSV (quoted newlines do not end a row; the header is not a row) or of a
    Parquet file (from its footer)."""
    if file_kind(path.name) == "parquet":
        from .engine import connect, parquet_source

        con = connect(path.parent)
        try:
            return con.execute(f"SELECT count(*) FROM {parquet_source(path)}").fetchone()[0]
        finally:
            con.close()
    text = path.read_bytes().decode("utf-8-sig")
    return max(sum(1 for _ in csv.reader(io.StringIO(text, newline=""))) - 1, 0)


def load_package(data_dir: Path, row_counts: dict | None = None) -> list[ResourceInfo]:
    """Metadata of every resource, in the package's order, for the data page.

    `row_counts` ({path: rows}, from validate_package) saves counting the rows again.
    Raises DataPackageError when the descriptor or a file is missing (validate first for
    the full check)."""
    data_dir = Path(data_dir)
    desc, problems = _descriptor(data_dir)
    if problems:
        raise DataPackageError(problems)
    infos = []
    counts = row_counts or {}
    for res in desc["resources"]:
        path = data_dir / res.get("path", "")
        if not path.is_file():
            problems.append(_at(f"{data_dir.name}/{res.get('path')}", 1, "-", "missing file"))
            continue
        infos.append(
            ResourceInfo(
                name=res["name"],
                path=res["path"],
                title=res.get("title", res["name"]),
                description=res.get("description", ""),
                sources=list(res.get("sources", desc.get("sources", []))),
                licenses=list(res.get("licenses", desc.get("licenses", []))),
                as_of=str(res.get("as_of", "")),
                rows=counts[res["path"]] if res["path"] in counts else _row_count(path),
                bytes=path.stat().st_size,
                sha256=file_sha256(path),
                fields=[
                    {k: f.get(k, "") for k in ("name", "type", "title", "description")}
                    for f in res.get("schema", {}).get("fields", [])
                ],
            )
        )
    if problems:
        raise DataPackageError(problems)
    return infos
