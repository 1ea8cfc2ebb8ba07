"""Write tables as CSV with deterministic bytes: UTF-8 without BOM, LF line ends, a header,
minimal quoting, integers as plain digits. Same rows in, same bytes out."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def csv_bytes(rows: list[dict], columns: list[str] | None = None) -> bytes:
    """The CSV bytes of `rows` (dicts), columns in the order given or of the first row."""
    if columns is None:
        if not rows:
            raise ValueError("cannot infer columns of an empty table; pass columns")
        columns = list(rows[0])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> bool:
    """Write the CSV if its bytes changed (keeps mtimes of unchanged files); True if written."""
    data = csv_bytes(rows, columns)
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return False
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a reader never sees half a file
    return True
