"""Chart annotations that take their values from one CSV row, so no annotation figure is typed.

Syntax (docs/directives.md, "Annotations from the data"):

    annotations:
      - point: {x: as_of_date, y: count}
        row: reported_counts.csv[as_of_date=2025-09-17, unit=agreements]
        label: "DHS said {count}, {publication_date|date}"

With `row`, the values under `point` (or `rule`) name columns of that one row, and each
`{column}` or `{column|format}` in the label prints one of its cells, formatted as values in
prose are. The row is picked with the same conditions as `{{ file.csv[...] }}` values and must
be exactly one row. A point's label must print its y cell, so the number a reader sees is the
number drawn; the author's words around it say whose number it is ("DHS said ...").

`resolve` runs before the chart is built and hands the chart builder plain values, so the
builder checks them against the axis exactly as it checks typed values.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import values
from .data import check_column, condition_mask, load_table
from .errors import DirectiveError
from .formats import check_format, format_value, plain

ROW_EXAMPLE = "row: reported_counts.csv[as_of_date=2025-09-17, unit=agreements]"
_PLACEHOLDER = re.compile(r"\{(?P<column>[^{}|]+?)\s*(?:\|\s*(?P<format>[^{}]*?))?\s*\}")
_CSV_NAME = re.compile(r"[\w./-]+?\.csv")


def csv_names(body: str) -> set[str]:
    """Every CSV a directive body names (for cache keys: an annotation row's CSV counts)."""
    return set(_CSV_NAME.findall(body))


def resolve(items: list[dict] | None, data_dir: Path) -> list[dict] | None:
    """Replace every annotation's `row` by the plain values and label it stands for."""
    if not items:
        return items
    return [
        _resolve_one(item, i, data_dir) if "row" in item else item
        for i, item in enumerate(items, start=1)
    ]


def _resolve_one(item: dict, number: int, data_dir: Path) -> dict:
    where = f"annotation {number}"
    row, table = _one_row(item["row"], where, data_dir)
    kind = "rule" if "rule" in item else "point"
    cells = {}
    for axis, column in item[kind].items():
        if not isinstance(column, str):
            raise DirectiveError(
                f"{where}: with 'row', {kind} {axis} names a column of {table} "
                f"(e.g. {{x: as_of_date, y: count}}), not a value; got {column!r}",
                key="annotations",
            )
        check_column(row, column, table, key="annotations")
        cells[axis] = plain(row[column].iloc[0])
    label = _fill(item["label"], row, table, where)
    if kind == "point":
        y_column = item["point"]["y"]
        printed = {m["column"].strip() for m in _PLACEHOLDER.finditer(item["label"])}
        if y_column not in printed:
            raise DirectiveError(
                f"{where}: the label must print the number it marks: add "
                f"'{{{y_column}}}' to it, e.g. label: \"DHS said {{{y_column}}}\"",
                key="annotations",
            )
    return {kind: cells, "label": label}


def _one_row(text, where: str, data_dir: Path):
    """The one row that `file.csv[conditions]` picks, and the CSV's name."""
    if not isinstance(text, str) or "[" not in text:
        raise DirectiveError(
            f"{where}: 'row' takes a CSV and conditions that pick one row, e.g. {ROW_EXAMPLE}",
            key="annotations",
        )
    try:
        # The value grammar already reads `file.csv[conditions]`; `count` needs no column.
        ref = values.parse(f"count {text.strip()}")
    except DirectiveError as exc:
        raise DirectiveError(
            f"{where}: cannot read row {text!r} ({exc.message}); write e.g. {ROW_EXAMPLE}",
            key="annotations",
        ) from None
    table = load_table(ref.file, data_dir, key="annotations")
    frame = table.frame
    for column, op, value in ref.conditions:
        check_column(frame, column, table.name, key="annotations")
        frame = frame[
            condition_mask(frame[column], op, value, f"{column} {op} {value}", "annotations")
        ]
    conditions = ", ".join(f"{c}{o}{v}" for c, o, v in ref.conditions)
    if len(frame) != 1:
        found = "no row" if frame.empty else f"{len(frame)} rows"
        verb = "matches" if frame.empty else "match"
        fix = (
            "check the values against the CSV (they are case-sensitive)"
            if frame.empty
            else "add a condition so exactly one row matches"
        )
        raise DirectiveError(
            f"{where}: {found} of {table.name} {verb} where {conditions or '(no conditions)'}; "
            f"{fix}",
            key="annotations",
        )
    return frame, table.name


def _fill(label: str, row, table: str, where: str) -> str:
    """The label with each {column} or {column|format} replaced by the row's cell."""

    def cell(match: re.Match) -> str:
        column = match["column"].strip()
        if column not in row.columns:
            check_column(row, column, table, key="annotations")
        fmt = match["format"]
        try:
            fmt = check_format(fmt.strip()) if fmt else None
        except (DirectiveError, ValueError) as exc:
            raise DirectiveError(
                f"{where}: label format {{{match.group(0)[1:-1]}}}: {exc}", key="annotations"
            ) from None
        return format_value(plain(row[column].iloc[0]), fmt)

    return _PLACEHOLDER.sub(cell, label)
