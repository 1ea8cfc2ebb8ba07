"""Read one ICE participating-agencies spreadsheet into clean agreement rows.

ICE's sheet has had three column layouts (see docs/data.md), so columns are found by their
header name, never by position:

- 2021 to Jan 2025: STATE, LAW ENFORCEMENT AGENCY, SUPPORT TYPE, SIGNED (ISO text), MOA
- Feb 2025:         STATE, LAW ENFORCEMENT AGENCY, TYPE, SUPPORT TYPE, SIGNED (Excel date), MOA
- Mar 2025 on:      STATE, LAW ENFORCEMENT AGENCY, TYPE, COUNTY, SUPPORT TYPE, SIGNED, MOA
                    [, ADDENDUM]

The mess it copes with: stray spaces in every cell, blank rows and footer rows (skipped),
signing dates as Excel serial numbers, as dates, as ISO text or as mistyped text
("05/082025"), misspelled states and support types. Anything it cannot read is an
`IngestError` naming the file, the row and the cell, so the fix is one look away.

One row is one agreement (agency x support type): an agency can hold two or three models.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils.datetime import from_excel

from . import places

MODELS = ("jail_enforcement", "warrant_service_officer", "task_force")

# ICE's support-type labels (upper case, spaces collapsed) and the typos seen in the sheets.
_SUPPORT = {
    "JAIL ENFORCEMENT MODEL": "jail_enforcement",
    "JAIL ENFORCEMENT": "jail_enforcement",
    "WARRANT SERVICE OFFICER": "warrant_service_officer",
    "WARRANT SERVICE OFFICE": "warrant_service_officer",
    "TASK FORCE MODEL": "task_force",
    "TASK FORCE": "task_force",
}
REQUIRED = ("STATE", "LAW ENFORCEMENT AGENCY", "SUPPORT TYPE", "SIGNED")

# File names: ParticipatingEntities-<YYYYMMDDhhmmss>.xlsx (Wayback captures of ICE's page),
# participatingAgencies-<YYYYMMDDhhmmss>.xlsx and participatingAgencies<MMDDYYYY><am|pm>.xlsx.
_STAMP = re.compile(r"^(?:ParticipatingEntities|participatingAgencies)-(\d{4})(\d{2})(\d{2})\d{6}$")
_ICE_NAME = re.compile(r"^participatingAgencies(\d{2})(\d{2})(\d{4})(am|pm)$", re.IGNORECASE)


class IngestError(Exception):
    """A snapshot the ingest cannot read, located as `<file>:<row>: <what>`."""


@dataclass(frozen=True)
class Agreement:
    state: places.State
    agency: str  # trimmed, spaces collapsed
    model: str  # one of MODELS
    signed: dt.date | None
    county: str  # trimmed, '' when ICE gives none (older layouts have no county column)
    row: int  # 1-based row in the sheet, for error messages and audits


@dataclass(frozen=True)
class Snapshot:
    date: dt.date
    file: str  # file name only: the provenance written into every derived row
    layout: str  # "2021", "2025-02" or "2025-03"
    agreements: tuple[Agreement, ...]


def snapshot_date(path: Path) -> dt.date:
    """The date a snapshot file stands for, read from its name."""
    stem = path.stem
    if m := _STAMP.match(stem):
        year, month, day = m.groups()
    elif m := _ICE_NAME.match(stem):
        month, day, year, _ = m.groups()
    else:
        raise IngestError(
            f"{path.name}: cannot tell the snapshot date from the file name; expected "
            "participatingAgencies<MMDDYYYY><am|pm>.xlsx or "
            "participatingAgencies-/ParticipatingEntities-<YYYYMMDDhhmmss>.xlsx"
        )
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError as e:
        raise IngestError(f"{path.name}: file name holds an impossible date ({e})") from None


def _text(value: object) -> str:
    """A cell as text: stripped, inner runs of spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def parse_signed(value: object) -> dt.date | None:
    """A SIGNED cell as a date; None when empty. ValueError when unreadable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        # An Excel serial day number (1900 date system), e.g. 45713 = 2025-02-26.
        return from_excel(value).date()
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return from_excel(float(text)).date()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    # US order with or without the second slash: "05/08/2025", "05/082025", "8/282025".
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/?(\d{4})", text):
        return dt.date(int(m[3]), int(m[1]), int(m[2]))
    raise ValueError(f"unreadable date {value!r}")


def _layout(headers: dict[str, int]) -> str:
    if "COUNTY" in headers:
        return "2025-03"
    if "TYPE" in headers:
        return "2025-02"
    return "2021"


def _find_header(rows: list[tuple], name: str) -> tuple[int, dict[str, int]]:
    """The header row (index) and its columns by name; tolerates title rows above it."""
    for i, row in enumerate(rows[:10]):
        cells = {_text(v).upper(): j for j, v in enumerate(row) if _text(v)}
        if all(col in cells for col in REQUIRED):
            return i, cells
    raise IngestError(
        f"{name}: no header row with the columns {', '.join(REQUIRED)} in the "
        "first 10 rows; has ICE renamed a column? Update REQUIRED in "
        "data/ingest/read.py"
    )


def read_snapshot(path: Path) -> Snapshot:
    """Read one ICE .xlsx into a Snapshot; IngestError on anything it cannot read."""
    path = Path(path)
    date = snapshot_date(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a corrupt or wrong file
        raise IngestError(f"{path.name}: not a readable .xlsx file ({e})") from None
    try:
        # ICE's file has one sheet; a workbook with more is read from its first.
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    header_at, cols = _find_header(rows, path.name)

    def cell(row: tuple, col: str) -> object:
        j = cols.get(col)
        return row[j] if j is not None and j < len(row) else None

    agreements = []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        state_text = _text(cell(row, "STATE"))
        agency = _text(cell(row, "LAW ENFORCEMENT AGENCY"))
        support = _text(cell(row, "SUPPORT TYPE"))
        if not agency and not support:
            # A blank row, or a footer ("Last updated ...", a note) in the first column.
            continue
        where = f"{path.name}:{offset}"
        if not (state_text and agency and support):
            missing = [
                n
                for n, v in (
                    ("STATE", state_text),
                    ("LAW ENFORCEMENT AGENCY", agency),
                    ("SUPPORT TYPE", support),
                )
                if not v
            ]
            raise IngestError(
                f"{where}: row has no {', '.join(missing)}; fix the sheet or "
                "teach read.py to skip this kind of row"
            )
        try:
            state = places.state(state_text)
        except KeyError as e:
            raise IngestError(f"{where}: STATE: {e.args[0]}") from None
        model = _SUPPORT.get(support.upper())
        if model is None:
            raise IngestError(
                f"{where}: SUPPORT TYPE: unknown {support!r}; expected one of "
                "Jail Enforcement Model, Warrant Service Officer, Task Force "
                "Model (add a new spelling to _SUPPORT in data/ingest/read.py)"
            )
        try:
            signed = parse_signed(cell(row, "SIGNED"))
        except ValueError as e:
            raise IngestError(f"{where}: SIGNED: {e}; expected a date") from None
        agreements.append(
            Agreement(
                state, agency, model, signed, places.clean_county(cell(row, "COUNTY")), offset
            )
        )
    return Snapshot(date, path.name, _layout(cols), tuple(agreements))


def read_folder(folder: Path, progress=lambda files: files) -> list[Snapshot]:
    """Every *.xlsx snapshot in a folder, oldest first; IngestError if two share a date.

    `progress` wraps the list of files read (the command line shows a bar on a terminal)."""
    folder = Path(folder)
    files = sorted(folder.glob("*.xlsx"))
    if not files:
        raise IngestError(
            f"{folder}: no .xlsx snapshots found; pass the folder of ICE "
            "spreadsheets (make data SNAPSHOTS=dir)"
        )
    snapshots = sorted((read_snapshot(f) for f in progress(files)), key=lambda s: s.date)
    for a, b in zip(snapshots, snapshots[1:], strict=False):
        if a.date == b.date:
            raise IngestError(f"{b.file}: same snapshot date {b.date} as {a.file}; keep one")
    return snapshots
