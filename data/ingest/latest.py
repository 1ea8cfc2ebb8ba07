"""The latest ICE sheet, agreement by agreement, and what the state pages need besides.

- `agreement_rows()`: agreements_latest.csv, one row per row of ICE's latest sheet (every
  agreement exactly once), with what the sheet says as it says it: the agency, its TYPE, the
  county as written ("#N/A" and blanks shown as "not listed", never dropped), the model, the
  signing date and the link to ICE's agreement document where the cell has one. Each row has
  an `id` made of the state's code and the sheet row ("tx-r1204"): the anchor search links to.
- `state_rows()`: states.csv, one row per state, DC and territory, on the list or not, with
  its counts on the latest sheet and on Jan. 31, 2025 (the pages generated per state).
- `state_month_rows()`: agreements_by_state_month.csv, each state's agreements at the end of
  every month since January 2025 (zeros included), for the small growth chart.

The document links are cell hyperlinks, which openpyxl's read-only mode does not expose, so
the latest sheet is opened a second time in full mode (one file, about a second).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl

from . import places
from .derive import _models, agency_key
from .read import MODELS, IngestError, Snapshot, _find_header, _text

MODEL_LABELS = {
    "jail_enforcement": "Jail enforcement",
    "warrant_service_officer": "Warrant service officer",
    "task_force": "Task force",
}
NOT_LISTED = "not listed"
GROWTH_FROM = "2025-01"  # the month the state pages' growth charts start


def slug(name: str) -> str:
    """URL slug of a state name: "U.S. Virgin Islands" -> "us-virgin-islands"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace(".", "")).strip("-")


def clean_url(url: str) -> str:
    """ICE's link to an agreement without the wrappers some cells carry: an Outlook
    "safelinks" redirect (the real address is its `url` parameter), a PDF viewer's
    chrome-extension:// prefix, and "https:/" with one slash. '' if no web address is left."""
    url = url.strip()
    if urlsplit(url).hostname and urlsplit(url).hostname.endswith(
        "safelinks.protection.outlook.com"
    ):
        url = parse_qs(urlsplit(url).query).get("url", [""])[0]
    if url.startswith("chrome-extension://"):
        url = url.split("/", 3)[3] if url.count("/") >= 3 else ""
    url = re.sub(r"^(https?):/(?!/)", r"\1://", url)
    return url if re.match(r"^https?://\S+$", url) else ""


def sheet_cells(path: Path) -> dict[int, dict[str, str]]:
    """{sheet row: {"type", "county", "document_url"}} as written in ICE's sheet."""
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a corrupt or wrong file
        raise IngestError(f"{path.name}: not a readable .xlsx file ({e})") from None
    try:
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows())
        header_at, cols = _find_header([[c.value for c in r] for r in rows], path.name)
        out = {}
        for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):

            def cell(col, row=row):
                j = cols.get(col)
                return row[j] if j is not None and j < len(row) else None

            moa = cell("MOA")
            url = ""
            if moa is not None:
                if moa.hyperlink is not None and moa.hyperlink.target:
                    url = clean_url(moa.hyperlink.target)
                elif _text(moa.value).lower().startswith(("https://", "http://")):
                    url = clean_url(_text(moa.value))
            county = cell("COUNTY")
            out[offset] = {
                "type": _text(cell("TYPE").value) if cell("TYPE") is not None else "",
                "county": _text(county.value) if county is not None else "",
                "document_url": url,
            }
        return out
    finally:
        book.close()


def agreement_rows(s: Snapshot, snapshot_path: Path) -> list[dict]:
    """agreements_latest.csv: every agreement of one sheet, by state name then sheet row."""
    cells = sheet_cells(snapshot_path)
    rows = []
    for a in s.agreements:
        c = cells.get(a.row, {"type": "", "county": "", "document_url": ""})
        county = c["county"]
        if county.upper() in places.NO_COUNTY:
            county = NOT_LISTED
        rows.append(
            {
                "id": f"{a.state.code.lower()}-r{a.row}",
                "state": a.state.name,
                "state_code": a.state.code,
                "state_slug": slug(a.state.name),
                "agency": a.agency,
                "agency_type": c["type"],
                "county": county,
                "county_fips": places.county_fips(a.state, a.county),
                "model": MODEL_LABELS[a.model],
                "signed": a.signed.isoformat() if a.signed else "",
                "document": "ICE agreement" if c["document_url"] else "",
                "document_url": c["document_url"],
                "snapshot_date": s.date.isoformat(),
                "source_file": s.file,
                "row": a.row,
            }
        )
    rows.sort(key=lambda r: (r["state"], r["row"]))
    return rows


def state_rows(latest: Snapshot, january: Snapshot) -> list[dict]:
    """states.csv: every state, DC and territory with its counts on two sheets."""
    now, then = defaultdict(list), Counter()
    for a in latest.agreements:
        now[a.state].append(a)
    for a in january.agreements:
        then[a.state] += 1
    rows = []
    for st in sorted(places.STATES.values(), key=lambda st: st.name):
        group = now.get(st, [])
        rows.append(
            {
                "state": st.name,
                "state_code": st.code,
                "state_fips": st.fips,
                "slug": slug(st.name),
                "kind": "territory" if st.territory else "state",
                "agreements": len(group),
                **_models(group),
                "agencies": len({agency_key(a) for a in group}),
                "agreements_jan_2025": then.get(st, 0),
                "snapshot_date": latest.date.isoformat(),
                "january_date": january.date.isoformat(),
                "source_file": latest.file,
            }
        )
    return rows


def state_month_rows(snapshots: list[Snapshot]) -> list[dict]:
    """agreements_by_state_month.csv: the last sheet of each month from GROWTH_FROM on, per
    state or territory on any of those sheets, zeros included; by state, then month."""
    last: dict[str, Snapshot] = {}
    for s in sorted(snapshots, key=lambda s: s.date):
        month = s.date.strftime("%Y-%m")
        if month >= GROWTH_FROM:
            last[month] = s
    counts: dict[str, dict[places.State, list]] = {}
    states = set()
    for month, s in last.items():
        counts[month] = defaultdict(list)
        for a in s.agreements:
            counts[month][a.state].append(a)
            states.add(a.state)
    rows = []
    for st in sorted(states, key=lambda st: st.name):
        for month in sorted(last):
            group = counts[month].get(st, [])
            rows.append(
                {
                    "state": st.name,
                    "state_code": st.code,
                    "month": month,
                    "snapshot_date": last[month].date.isoformat(),
                    "total": len(group),
                    **{m: _models(group)[m] for m in MODELS},
                    "source_file": last[month].file,
                }
            )
    return rows


def january_2025(snapshots: list[Snapshot]) -> Snapshot:
    """The last sheet of January 2025 (the baseline the explainer cites)."""
    found = [s for s in snapshots if s.date.strftime("%Y-%m") == "2025-01"]
    if not found:
        raise IngestError("no snapshot from January 2025: states.csv needs one as its baseline")
    return max(found, key=lambda s: s.date)
