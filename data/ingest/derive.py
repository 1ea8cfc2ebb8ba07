"""Turn read snapshots into the derived tables (lists of dicts, rows in a stable order).

Counting rules (docs/data.md, content/pages/methodology.md):
- an agreement is one row of ICE's sheet (agency x support type); the header row is not one;
- an agency is a distinct (state, agency name) pair, names compared without case, extra
  spaces or curly apostrophes, so "Autauga County Sheriff's Office " counts once;
- a state or territory counts when at least one agreement names it.
Every row carries `source_file`: the snapshot file it was counted from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from . import places
from .read import MODELS, Agreement, Snapshot

NO_COUNTY_LABEL = "No county listed"


def agency_key(a: Agreement) -> tuple[str, str]:
    """How two rows are told to be the same agency."""
    name = a.agency.replace("\u2019", "'").replace("\u2018", "'").casefold()
    return a.state.code, " ".join(name.split()).rstrip(".")


def _models(agreements: Iterable[Agreement]) -> dict[str, int]:
    counts = Counter(a.model for a in agreements)
    return {m: counts.get(m, 0) for m in MODELS}


def snapshot_counts(s: Snapshot) -> dict[str, object]:
    """One row of agreements_by_snapshot.csv."""
    states = {a.state for a in s.agreements}
    return {
        "snapshot_date": s.date.isoformat(),
        "total": len(s.agreements),
        **_models(s.agreements),
        "agencies": len({agency_key(a) for a in s.agreements}),
        "states": sum(not st.territory for st in states),
        "territories": sum(st.territory for st in states),
        "states_and_territories": len(states),
        "source_file": s.file,
    }


def by_snapshot(snapshots: list[Snapshot]) -> list[dict]:
    """agreements_by_snapshot.csv: one row per snapshot file, oldest first."""
    return [snapshot_counts(s) for s in sorted(snapshots, key=lambda s: s.date)]


def by_month(snapshots: list[Snapshot]) -> list[dict]:
    """agreements_by_month.csv: the last snapshot of each month, oldest month first.

    A month without any snapshot gets no row (there is none in 2021-2026).
    """
    last: dict[str, Snapshot] = {}
    for s in sorted(snapshots, key=lambda s: s.date):
        last[s.date.strftime("%Y-%m")] = s
    rows = []
    for month, s in sorted(last.items()):
        row = snapshot_counts(s)
        rows.append(
            {
                "month": month,
                "snapshot_date": row["snapshot_date"],
                "total": row["total"],
                **{m: row[m] for m in MODELS},
                "agencies": row["agencies"],
                "states_and_territories": row["states_and_territories"],
                "source_file": s.file,
            }
        )
    return rows


def by_state(snapshots: list[Snapshot], dates: Iterable[dt.date]) -> list[dict]:
    """agreements_by_state.csv: per state at each of `dates`; by date, then state name."""
    wanted = {s.date: s for s in snapshots}
    rows = []
    for date in sorted(set(dates)):
        if date not in wanted:
            raise KeyError(f"no snapshot dated {date} for agreements_by_state.csv")
        s = wanted[date]
        groups: dict[places.State, list[Agreement]] = defaultdict(list)
        for a in s.agreements:
            groups[a.state].append(a)
        for st in sorted(groups, key=lambda st: st.name):
            group = groups[st]
            rows.append(
                {
                    "snapshot_date": date.isoformat(),
                    "state": st.name,
                    "state_code": st.code,
                    "state_fips": st.fips,
                    "total": len(group),
                    **_models(group),
                    "agencies": len({agency_key(a) for a in group}),
                    "source_file": s.file,
                }
            )
    return rows


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def by_signing_month(s: Snapshot) -> list[dict]:
    """agreements_by_signing_month.csv: the agreements in one sheet by the month ICE says
    they were signed, every month from the earliest to the latest (zeros included).

    Rows without a signing date are left out; `undated()` counts them for the report.
    """
    groups: dict[str, list[Agreement]] = defaultdict(list)
    for a in s.agreements:
        if a.signed is not None:
            groups[a.signed.strftime("%Y-%m")].append(a)
    if not groups:
        return []
    rows = []
    for month in _months(min(groups), max(groups)):
        group = groups.get(month, [])
        rows.append({"month": month, **_models(group), "total": len(group), "source_file": s.file})
    return rows


def undated(s: Snapshot) -> int:
    """How many agreements in a sheet have no signing date."""
    return sum(a.signed is None for a in s.agreements)


def by_county(s: Snapshot) -> list[dict]:
    """agreements_by_county.csv: agencies and agreements per county in one sheet.

    Rows are grouped by county FIPS code where the name matches one, else by ICE's spelling;
    agreements with no county (state agencies, many city police) are grouped as
    "No county listed". Sorted by state name, then county name.
    """
    groups: dict[tuple[places.State, str], list[Agreement]] = defaultdict(list)
    names: dict[tuple[places.State, str], Counter] = defaultdict(Counter)
    for a in s.agreements:
        fips = places.county_fips(a.state, a.county)
        key = (a.state, fips or a.county.casefold())
        groups[key].append(a)
        names[key][places.county_name(fips, a.county) or NO_COUNTY_LABEL] += 1
    rows = []
    for (st, key), group in groups.items():
        # The most used spelling names the county (ties: alphabetical, for stable output).
        name = sorted(names[(st, key)].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        fips = key if key.isdigit() else ""
        rows.append(
            {
                "state": st.name,
                "state_code": st.code,
                "county": name,
                "county_fips": fips,
                "agencies": len({agency_key(a) for a in group}),
                "agreements": len(group),
                "source_file": s.file,
            }
        )
    rows.sort(
        key=lambda r: (r["state"], r["county"] == NO_COUNTY_LABEL, r["county"], r["county_fips"])
    )
    return rows
