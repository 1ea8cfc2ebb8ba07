"""The data package: validate every CSV in data/ against data/datapackage.json, and describe it.

`validate_package(data_dir)` checks each resource of the Frictionless Data Package with the
`frictionless` library (field types, constraints, header, primary key) and raises one
`DataPackageError` listing every problem, each located as

    data/<file>.csv:<row>:<column>: <what is wrong>; <how to fix it>

where <row> is the line in the CSV file (the header is line 1) and <column> the column's
name ("-" when a problem concerns the whole file or row). Checked: the package file itself,
a missing or undescribed CSV, bytes that are not UTF-8, missing, extra or misplaced
columns, values of the wrong type or outside their constraints, duplicate primary keys.

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
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataPackageError, Problem

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
            _at(where, 1, "-", f"missing file; describe every CSV in data/ in {DESCRIPTOR}")
        ]
    try:
        desc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        line = getattr(e, "lineno", 1)
        return {}, [_at(where, line, "-", f"not valid JSON ({e}); fix the syntax")]
    if not isinstance(desc, dict) or not isinstance(desc.get("resources"), list):
        return {}, [_at(where, 1, "-", "no 'resources' list; see docs/data.md for the layout")]
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


def _locate(where: str, err, primary_key: list[str]) -> Problem:
    """One frictionless error as a located, actionable message."""
    kind = err.type
    row = getattr(err, "row_number", None) or 1
    column = getattr(err, "field_name", None) or getattr(err, "label", None) or "-"
    cell = getattr(err, "cell", None)
    note = getattr(err, "note", "") or ""
    if kind == "missing-label":
        return _at(
            where,
            1,
            column,
            f"missing column '{column}' (position "
            f"{err.field_number}); add it, or remove the field from data/{DESCRIPTOR}",
        )
    if kind == "extra-label":
        return _at(
            where,
            1,
            err.label,
            f"extra column '{err.label}' not in the schema; remove "
            f"it, or describe it in data/{DESCRIPTOR}",
        )
    if kind == "incorrect-label":
        return _at(
            where,
            1,
            err.label,
            f"column {err.field_number} is '{err.label}' but the "
            f"schema expects '{err.field_name}' there; rename or reorder the columns",
        )
    if kind == "duplicate-label":
        return _at(where, 1, err.label, f"column '{err.label}' appears twice; remove one")
    if kind == "type-error":
        m = re.search(r'type is "(\w+)/(\w+)"', note)
        expected = note
        if m:
            expected = m.group(1) + ("" if m.group(2) == "default" else f" ({m.group(2)})")
        return _at(
            where,
            row,
            column,
            f"wrong type: {cell!r} is not a valid {expected}; fix "
            f"the value, or the field's type in data/{DESCRIPTOR}",
        )
    if kind == "constraint-error":
        m = re.search(r'constraint "(\w+)" is "(.*)"', note)
        name, rule = (m.group(1), m.group(2)) if m else ("", note)
        if name == "required":
            return _at(
                where,
                row,
                column,
                f"bad value: empty, but column '{column}' is required; fill it in",
            )
        return _at(
            where,
            row,
            column,
            f"bad value {cell!r}: breaks the schema's constraint "
            f"{name} {rule}; fix the value or the constraint in data/{DESCRIPTOR}",
        )
    if kind in ("primary-key", "unique-error"):
        m = re.search(r"position \"?(\d+)", note)
        first = f" as line {m.group(1)}" if m else " as an earlier row"
        key = ", ".join(primary_key) or column
        return _at(
            where,
            row,
            primary_key[0] if primary_key else column,
            f"duplicate primary "
            f"key ({key}): same{first}; each row needs its own key, remove or fix one",
        )
    if kind == "extra-cell":
        return _at(
            where,
            row,
            "-",
            f"row has more values than the header has columns (value "
            f"{cell!r}); quote values that contain commas",
        )
    if kind == "missing-cell":
        return _at(where, row, column, f"row ends before column '{column}'; add the value")
    if kind == "blank-row":
        return _at(where, row, "-", "blank row; remove it")
    if kind == "encoding-error":
        return _at(where, 1, "-", f"bad encoding: {note}; save the file as UTF-8")
    return _at(where, row, column, f"{err.message}")


def _validate_resource(data_dir: Path, res: dict) -> list[Problem]:
    """Problems in one resource's CSV (its metadata is checked separately)."""
    import frictionless  # imported here: ~0.4 s that only validation should pay

    rel = str(res.get("path", ""))
    where = f"{data_dir.name}/{rel}"
    path = data_dir / rel
    if not rel or not path.resolve().is_relative_to(data_dir.resolve()):
        return [
            _at(
                f"{data_dir.name}/{DESCRIPTOR}",
                1,
                "-",
                f"resource '{res.get('name')}' has path {rel!r}; give a CSV file name inside data/",
            )
        ]
    if not path.is_file():
        return [
            _at(
                where,
                1,
                "-",
                f"missing file: data/{DESCRIPTOR} describes it but it does not "
                "exist; add the CSV or remove the resource",
            )
        ]
    problem = _encoding_problem(where, path.read_bytes())
    if problem:
        return [problem]
    try:
        resource = frictionless.Resource(res, basepath=str(data_dir))
        report = resource.validate()
    except frictionless.FrictionlessException as e:
        return [
            _at(
                f"{data_dir.name}/{DESCRIPTOR}",
                1,
                "-",
                f"resource '{res.get('name')}': {e.error.message}; fix the resource's schema",
            )
        ]
    pk = res.get("schema", {}).get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else list(pk)
    errors = [err for task in report.tasks for err in task.errors]
    # A blank row also breaks the primary key (its key is empty): report the blank row only.
    blank = {err.row_number for err in errors if err.type == "blank-row"}
    problems = [
        _locate(where, err, pk)
        for err in errors
        if err.type == "blank-row" or getattr(err, "row_number", None) not in blank
    ]
    problems += [
        _at(f"{data_dir.name}/{DESCRIPTOR}", 1, "-", f"resource '{res.get('name')}': {err.message}")
        for err in report.errors
    ]
    return problems


def validate_package(data_dir: Path) -> None:
    """Check every CSV in `data_dir` against its datapackage.json; raise DataPackageError
    listing every problem (all of them, not just the first)."""
    data_dir = Path(data_dir)
    desc, problems = _descriptor(data_dir)
    where = f"{data_dir.name}/{DESCRIPTOR}"
    described = set()
    for res in desc.get("resources", []):
        if not isinstance(res, dict):
            problems.append(_at(where, 1, "-", "a resource is not an object; see docs/data.md"))
            continue
        described.add(str(res.get("path", "")))
        problems += _metadata_problems(where, res)
        problems += _validate_resource(data_dir, res)
    if desc:
        for csv_path in sorted(data_dir.glob("*.csv")):
            if csv_path.name not in described:
                problems.append(
                    _at(
                        f"{data_dir.name}/{csv_path.name}",
                        1,
                        "-",
                        f"not described in data/{DESCRIPTOR}; add a resource with its schema "
                        "and sources",
                    )
                )
    if problems:
        raise DataPackageError(problems)


def _row_count(raw: bytes) -> int:
    """Data rows in a CSV (quoted newlines do not end a row; the header is not a row)."""
    text = raw.decode("utf-8-sig")
    return max(sum(1 for _ in csv.reader(io.StringIO(text, newline=""))) - 1, 0)


def load_package(data_dir: Path) -> list[ResourceInfo]:
    """Metadata of every resource, in the package's order, for the data page.

    Raises DataPackageError when the descriptor or a file is missing (validate first for
    the full check)."""
    data_dir = Path(data_dir)
    desc, problems = _descriptor(data_dir)
    if problems:
        raise DataPackageError(problems)
    infos = []
    for res in desc["resources"]:
        path = data_dir / res.get("path", "")
        if not path.is_file():
            problems.append(_at(f"{data_dir.name}/{res.get('path')}", 1, "-", "missing file"))
            continue
        raw = path.read_bytes()
        infos.append(
            ResourceInfo(
                name=res["name"],
                path=res["path"],
                title=res.get("title", res["name"]),
                description=res.get("description", ""),
                sources=list(res.get("sources", desc.get("sources", []))),
                licenses=list(res.get("licenses", desc.get("licenses", []))),
                as_of=str(res.get("as_of", "")),
                rows=_row_count(raw),
                bytes=len(raw),
                sha256=hashlib.sha256(raw).hexdigest(),
                fields=[
                    {k: f.get(k, "") for k in ("name", "type", "title", "description")}
                    for f in res.get("schema", {}).get("fields", [])
                ],
            )
        )
    if problems:
        raise DataPackageError(problems)
    return infos
