"""The ingest (data/ingest): each of ICE's layouts and each kind of mess, on small .xlsx files
the tests build; the committed CSVs re-derived from the shared snapshots byte for byte; and
our counts against the totals ICE and DHS published."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from ingest import derive, places
from ingest.__main__ import derive_all, main
from ingest.read import IngestError, parse_signed, read_folder, read_snapshot, snapshot_date
from ingest.write import csv_bytes

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SNAPSHOTS = ROOT.parent / "shared" / "data" / "ice-287g-snapshots"

OLD = ["STATE", "LAW ENFORCEMENT AGENCY", "SUPPORT TYPE", "SIGNED", "MOA"]
FEB25 = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "SUPPORT TYPE", "SIGNED", "MOA"]
NEW = [
    "STATE",
    "LAW ENFORCEMENT AGENCY",
    "TYPE",
    "COUNTY",
    "SUPPORT TYPE",
    "SIGNED",
    "MOA",
    "ADDENDUM",
]


def xlsx(path: Path, header: list, rows: list[list], date_format: bool = False) -> Path:
    """Write a one-sheet workbook like ICE's; datetimes get a date format when asked."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        if date_format:
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "m/d/yyyy"
    book.save(path)
    return path


# ---- file names and dates


@pytest.mark.parametrize(
    "name,expected",
    [
        ("ParticipatingEntities-20250131031421.xlsx", dt.date(2025, 1, 31)),
        ("participatingAgencies-20250228192630.xlsx", dt.date(2025, 2, 28)),
        ("participatingAgencies02172026pm.xlsx", dt.date(2026, 2, 17)),
        ("participatingAgencies05182026am.xlsx", dt.date(2026, 5, 18)),
    ],
)
def test_snapshot_date_from_file_name(name, expected):
    assert snapshot_date(Path(name)) == expected


def test_unknown_file_name_is_an_error():
    with pytest.raises(IngestError, match=r"agencies\.xlsx: cannot tell the snapshot date"):
        snapshot_date(Path("agencies.xlsx"))


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2016-06-08", dt.date(2016, 6, 8)),  # ISO text (2021-2025 page tables)
        (45714, dt.date(2025, 2, 26)),  # Excel serial day, unformatted
        (45714.0, dt.date(2025, 2, 26)),
        ("45714", dt.date(2025, 2, 26)),
        (dt.datetime(2025, 9, 22), dt.date(2025, 9, 22)),  # a formatted date cell
        ("05/082025", dt.date(2025, 5, 8)),  # ICE's typo, seen in May and June 2025
        ("8/282025", dt.date(2025, 8, 28)),
        ("09/03/2025", dt.date(2025, 9, 3)),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_signed(value, expected):
    assert parse_signed(value) == expected


def test_unreadable_date_is_an_error():
    with pytest.raises(ValueError, match="unreadable date 'soon'"):
        parse_signed("soon")


# ---- the three layouts


def test_layout_2021_iso_dates(tmp_path):
    path = xlsx(
        tmp_path / "ParticipatingEntities-20210131051047.xlsx",
        OLD,
        [
            [
                "ALABAMA",
                "Etowah County Sheriff's Office",
                "Jail Enforcement Model",
                "2016-06-08",
                "x",
            ],
            [
                "FLORIDA",
                "Hernando County Sheriff's Office",
                "Jail Enforcement Model",
                "2019-01-01",
                "",
            ],
            [
                "FLORIDA",
                "Hernando County Sheriff's Office",
                "Warrant Service Officer",
                "2019-02-01",
                "",
            ],
        ],
    )
    snap = read_snapshot(path)
    assert snap.layout == "2021"
    assert snap.date == dt.date(2021, 1, 31)
    assert [a.model for a in snap.agreements] == [
        "jail_enforcement",
        "jail_enforcement",
        "warrant_service_officer",
    ]
    assert snap.agreements[0].signed == dt.date(2016, 6, 8)
    assert snap.agreements[0].county == ""
    row = derive.snapshot_counts(snap)
    assert (row["total"], row["agencies"], row["states_and_territories"]) == (3, 2, 2)


def test_layout_2025_02_excel_serial_dates(tmp_path):
    path = xlsx(
        tmp_path / "participatingAgencies-20250228192630.xlsx",
        FEB25,
        [
            [
                "WYOMING",
                "Campbell County Sheriff's Office",
                "County",
                "Warrant Service Officer",
                45714,
                "link pending",
            ],
            [
                "TEXAS",
                "Texas Department of Public Safety",
                "State Agency",
                "Task Force Model",
                45700,
                "",
            ],
        ],
    )
    snap = read_snapshot(path)
    assert snap.layout == "2025-02"
    assert [a.signed for a in snap.agreements] == [dt.date(2025, 2, 26), dt.date(2025, 2, 12)]
    assert derive.snapshot_counts(snap)["task_force"] == 1


def test_layout_2025_03_with_every_kind_of_mess(tmp_path):
    path = xlsx(
        tmp_path / "participatingAgencies02172026pm.xlsx",
        NEW + [None, None],
        [
            # trailing spaces everywhere, a date cell
            [
                "ALABAMA ",
                "Autauga County Sheriff's Office ",
                "County ",
                "Autauga County",
                "Jail Enforcement Model ",
                dt.datetime(2025, 9, 22),
                "",
                "",
            ],
            # one agency, three models; once with a curly apostrophe
            [
                "TEXAS",
                "Galveston County Sheriff's Office",
                "County",
                "Galveston County",
                "Jail Enforcement Model",
                dt.datetime(2025, 3, 1),
                "",
                "",
            ],
            [
                "TEXAS",
                "Galveston County Sheriff\u2019s Office",
                "County",
                "Galveston County",
                "Warrant Service Officer",
                dt.datetime(2025, 3, 1),
                "",
                "",
            ],
            [
                "TEXAS ",
                "Galveston County  Sheriff's Office",
                "County",
                "Galveston County ",
                "Task Force Model",
                dt.datetime(2025, 4, 1),
                "",
                "",
            ],
            [None] * 8,  # a blank row
            # misspelled state and support type, mistyped date, county typo
            [
                "PENNSLYVANIA",
                "Mifflin County Sheriff's Office",
                "County",
                "Miffin County",
                "Warrant Service Office",
                "05/082025",
                "",
                "",
            ],
            [
                "WEST VIRIGINIA",
                "Berkeley County Sheriff's Office",
                "County",
                "Berkeley Conty",
                "Task Force Model",
                45800,
                "",
                "",
            ],
            # territories, no county
            [
                "GUAM",
                "Guam Police Department",
                "State Agency",
                "#N/A",
                "Task Force Model",
                dt.datetime(2025, 6, 1),
                "",
                "",
            ],
            [
                "NORTHERN MARIANA ISLANDS",
                "CNMI Department of Public Safety",
                "State Agency",
                "#NA",
                "Task Force Model",
                dt.datetime(2025, 7, 1),
                "",
                "",
            ],
            [None] * 8,
            ["Last updated February 17, 2026", None, None, None, None, None, None, None],  # footer
        ],
        date_format=True,
    )
    snap = read_snapshot(path)
    assert snap.layout == "2025-03"
    assert len(snap.agreements) == 8
    codes = [a.state.code for a in snap.agreements]
    assert codes == ["AL", "TX", "TX", "TX", "PA", "WV", "GU", "MP"]
    assert snap.agreements[0].agency == "Autauga County Sheriff's Office"
    assert snap.agreements[4].model == "warrant_service_officer"
    assert snap.agreements[4].signed == dt.date(2025, 5, 8)
    assert snap.agreements[6].county == ""

    row = derive.snapshot_counts(snap)
    assert row["total"] == 8
    assert row["agencies"] == 6  # Galveston's three spellings are one agency
    assert (row["states"], row["territories"], row["states_and_territories"]) == (4, 2, 6)
    assert (row["jail_enforcement"], row["warrant_service_officer"], row["task_force"]) == (2, 2, 4)

    counties = {(r["state_code"], r["county"]): r for r in derive.by_county(snap)}
    assert counties[("TX", "Galveston County")]["county_fips"] == "48167"
    assert counties[("TX", "Galveston County")]["agreements"] == 3
    assert counties[("TX", "Galveston County")]["agencies"] == 1
    assert counties[("PA", "Mifflin County")]["county_fips"] == "42087"  # "Miffin" typo
    assert counties[("WV", "Berkeley County")]["county_fips"] == "54003"  # "Conty" typo
    assert counties[("GU", derive.NO_COUNTY_LABEL)]["county_fips"] == ""


@pytest.mark.parametrize(
    "row,message",
    [
        (
            ["TEXAS", "X Sheriff", "Jail Model", "2025-01-01", ""],
            r"snap\.xlsx:3: SUPPORT TYPE: unknown 'Jail Model'",
        ),
        (
            ["TEXASS", "X Sheriff", "Jail Enforcement Model", "2025-01-01", ""],
            r"snap\.xlsx:3: STATE: unknown state or territory 'TEXASS'",
        ),
        (
            ["TEXAS", "X Sheriff", "Jail Enforcement Model", "someday", ""],
            r"snap\.xlsx:3: SIGNED: unreadable date 'someday'",
        ),
        (
            ["", "X Sheriff", "Jail Enforcement Model", "2025-01-01", ""],
            r"snap\.xlsx:3: row has no STATE",
        ),
    ],
)
def test_unreadable_rows_are_located_errors(tmp_path, row, message):
    good = ["TEXAS", "Y Sheriff", "Jail Enforcement Model", "2025-01-01", ""]
    path = xlsx(tmp_path / "ParticipatingEntities-20250131031421.xlsx", OLD, [good, row])
    with pytest.raises(IngestError, match=message.replace("snap", path.stem)):
        read_snapshot(path)


def test_missing_header_is_an_error(tmp_path):
    path = xlsx(tmp_path / "participatingAgencies05182026am.xlsx", ["STATE", "AGENCY"], [])
    with pytest.raises(IngestError, match="no header row with the columns"):
        read_snapshot(path)


def test_two_snapshots_of_one_date_are_an_error(tmp_path):
    row = ["TEXAS", "Y Sheriff", "Jail Enforcement Model", "2025-01-01", ""]
    xlsx(tmp_path / "participatingAgencies01312025am.xlsx", OLD, [row])
    xlsx(tmp_path / "ParticipatingEntities-20250131031421.xlsx", OLD, [row])
    with pytest.raises(IngestError, match="same snapshot date 2025-01-31"):
        read_folder(tmp_path)


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(IngestError, match="no .xlsx snapshots found"):
        read_folder(tmp_path)


# ---- derived tables


def _folder(tmp_path: Path) -> Path:
    def rows(n, model="Task Force Model", state="FLORIDA"):
        return [
            [
                state,
                f"Agency {i}",
                "County",
                f"County {i}",
                model,
                dt.datetime(2025, 1 + i % 3, 1),
                "",
                "",
            ]
            for i in range(n)
        ]

    xlsx(tmp_path / "participatingAgencies01102025am.xlsx", NEW, rows(2))
    xlsx(tmp_path / "participatingAgencies01312025am.xlsx", NEW, rows(3))
    xlsx(tmp_path / "participatingAgencies03152025am.xlsx", NEW, rows(4) + rows(1, state="GUAM"))
    return tmp_path


def test_by_month_takes_the_last_snapshot_of_each_month(tmp_path):
    rows = derive.by_month(read_folder(_folder(tmp_path)))
    assert [(r["month"], r["snapshot_date"], r["total"]) for r in rows] == [
        ("2025-01", "2025-01-31", 3),
        ("2025-03", "2025-03-15", 5),
    ]
    assert rows[1]["source_file"] == "participatingAgencies03152025am.xlsx"
    assert rows[1]["states_and_territories"] == 2


def test_by_state_and_signing_month(tmp_path):
    snaps = read_folder(_folder(tmp_path))
    rows = derive.by_state(snaps, [dt.date(2025, 3, 15)])
    assert [(r["state"], r["state_code"], r["state_fips"], r["total"]) for r in rows] == [
        ("Florida", "FL", "12", 4),
        ("Guam", "GU", "66", 1),
    ]
    months = derive.by_signing_month(snaps[-1])
    assert [(r["month"], r["total"]) for r in months] == [
        ("2025-01", 3),
        ("2025-02", 1),
        ("2025-03", 1),
    ]


def test_signing_months_without_agreements_are_zero(tmp_path):
    path = xlsx(
        tmp_path / "participatingAgencies05182026am.xlsx",
        OLD,
        [
            ["TEXAS", "A", "Jail Enforcement Model", "2025-01-05", ""],
            ["TEXAS", "B", "Jail Enforcement Model", "2025-04-05", ""],
        ],
    )
    months = derive.by_signing_month(read_snapshot(path))
    assert [(r["month"], r["total"]) for r in months] == [
        ("2025-01", 1),
        ("2025-02", 0),
        ("2025-03", 0),
        ("2025-04", 1),
    ]


@pytest.mark.parametrize(
    "state,county,fips",
    [
        ("VA", "Richmond city", "51760"),
        ("VA", "Richmond County", "51159"),
        ("MD", "Baltimore County", "24005"),
        ("MO", "St. Louis County", "29189"),
        ("LA", "Calcasieu Parish", "22019"),
        ("LA", "Calacasieu Parish", "22019"),
        ("FL", "Saint Lucie County", "12111"),
        ("GA", "Decatur", "13087"),
        ("TX", "Overton County", ""),  # a town, not a Texas county: left unmatched
        ("GU", "Kattan District", ""),
        ("TX", "", ""),
    ],
)
def test_county_fips(state, county, fips):
    assert places.county_fips(places.BY_CODE[state], county) == fips


def test_state_names_and_codes():
    assert places.state("WEST VIRIGINIA ").code == "WV"
    assert places.state("UTAh").name == "Utah"
    assert places.state("Northern Mariana Islands").fips == "69"
    assert places.state("PR").territory
    with pytest.raises(KeyError, match="ALIASES"):
        places.state("Atlantis")


def test_csv_bytes_are_deterministic():
    rows = [{"a": 1, "b": "x, y"}, {"a": 2, "b": "z"}]
    assert csv_bytes(rows) == b'a,b\n1,"x, y"\n2,z\n'


def test_command_line_writes_every_csv_and_is_idempotent(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--snapshots", str(_snaps(tmp_path)), "--out", str(out)]) == 0
    names = sorted(p.name for p in out.glob("*.csv"))
    assert names == [
        "agreements_by_county.csv",
        "agreements_by_month.csv",
        "agreements_by_signing_month.csv",
        "agreements_by_snapshot.csv",
        "agreements_by_state.csv",
        "agreements_by_state_month.csv",
        "agreements_latest.csv",
        "states.csv",
    ]
    first = {n: (out / n).read_bytes() for n in names}
    assert main(["--snapshots", str(_snaps(tmp_path)), "--out", str(out)]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert first == {n: (out / n).read_bytes() for n in names}


def _snaps(tmp_path: Path) -> Path:
    folder = tmp_path / "snaps"
    if not folder.exists():
        folder.mkdir()
        _folder(folder)
    return folder


def test_command_line_fails_loud_on_a_bad_sheet(tmp_path, capsys):
    xlsx(
        tmp_path / "participatingAgencies05182026am.xlsx",
        OLD,
        [["TEXAS", "A", "Jail Model", "2025-01-05", ""]],
    )
    assert main(["--snapshots", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    assert "participatingAgencies05182026am.xlsx:2: SUPPORT TYPE" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ---- the real snapshots

needs_snapshots = pytest.mark.skipif(
    not SNAPSHOTS.is_dir(),
    reason=f"ICE snapshots not found at {SNAPSHOTS} (shared/ sits beside the clone in CI)",
)


@pytest.fixture(scope="module")
def derived():
    return derive_all(SNAPSHOTS)


@needs_snapshots
def test_committed_csvs_match_a_fresh_derivation(derived):
    """data/ can never drift from the code: `make data` must reproduce every byte."""
    for name, rows in derived.items():
        committed = (DATA / name).read_bytes()
        fresh = csv_bytes(rows)
        assert fresh == committed, f"data/{name} differs from a fresh `make data`; run it"


# Published totals, with their sources (research/FACTS.md). ICE's and DHS's totals equal our
# row count, or our count plus one: they appear to count the spreadsheet's header row.
PUBLISHED = [
    # (sheet date, published total, who and where)
    ("2025-01-31", 135, "DHS, Sept 2, 2025: 'from 135 agreements' (einpresswire 845414058)"),
    ("2025-09-03", 958, "DHS, Sept 2, 2025: '609%, from 135 agreements to 958'"),
    ("2025-09-17", 1001, "DHS, Sept 18, 2025: '641%, from 135 agreements to 1,001'"),
    ("2026-01-26", 1372, "FWD.us (via The Hill), late Jan 2026: 1,372 agreements"),
    ("2026-02-13", 1415, "pano.news / FWD.us: 1,415 MOUs as of Feb 13, 2026"),
]
# Published figures that are not exact totals, with how ours relate to them.
LOOSER = [
    # (sheet date, test on our total, who said what)
    ("2026-03-06", lambda ours: ours > 1500, "Titus Consulting: 'over 1,500 by early March 2026'"),
    # NPR's figure is two below the sheet of that day (ICE may have updated the list after
    # NPR read it); pano.news/FWD.us's 1,415 for the same day fits the header-row rule.
    ("2026-02-13", lambda ours: ours - 2 == 1412, "NPR: 'As of Feb. 13, ICE reported 1,412'"),
]


@needs_snapshots
@pytest.mark.parametrize("date,check,source", LOOSER, ids=[p[2][:20] for p in LOOSER])
def test_totals_against_approximate_published_figures(derived, date, check, source):
    rows = {r["snapshot_date"]: r for r in derived["agreements_by_snapshot.csv"]}
    assert check(rows[date]["total"]), (source, rows[date]["total"])


# Known counts of rows (header excluded) from the snapshots' README.
README_COUNTS = {
    "2025-01-31": (135, 60, 75, 0),
    "2025-09-17": (1000, None, None, None),
    "2026-02-13": (1414, None, None, None),
    "2026-02-17": (1425, 152, 465, 808),
    "2026-05-18": (1843, 182, 499, 1162),
}


@needs_snapshots
@pytest.mark.parametrize("date,published,source", PUBLISHED, ids=[p[0] for p in PUBLISHED])
def test_totals_match_published_figures(derived, date, published, source):
    rows = {r["snapshot_date"]: r for r in derived["agreements_by_snapshot.csv"]}
    ours = rows[date]["total"]
    assert published in (ours, ours + 1), f"{source}: published {published}, ours {ours}"


@needs_snapshots
@pytest.mark.parametrize("date", sorted(README_COUNTS))
def test_counts_match_the_snapshot_readme(derived, date):
    rows = {r["snapshot_date"]: r for r in derived["agreements_by_snapshot.csv"]}
    row = rows[date]
    got = (row["total"], row["jail_enforcement"], row["warrant_service_officer"], row["task_force"])
    want = README_COUNTS[date]
    assert all(w is None or w == g for w, g in zip(want, got, strict=True)), (date, got, want)


@needs_snapshots
def test_feb_17_2026_is_39_states_and_2_territories(derived):
    rows = {r["snapshot_date"]: r for r in derived["agreements_by_snapshot.csv"]}
    row = rows["2026-02-17"]
    assert (row["states"], row["territories"]) == (39, 2)
    assert len(derived["agreements_by_snapshot.csv"]) == 71
    assert derived["agreements_by_month.csv"][0]["month"] == "2021-01"
    assert len(derived["agreements_by_month.csv"]) == 65


# ---- consistency of the committed package


def _csv(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_derived_as_of_is_the_latest_snapshot():
    latest = max(r["snapshot_date"] for r in _csv("agreements_by_snapshot.csv"))
    package = json.loads((DATA / "datapackage.json").read_text())
    for res in package["resources"]:
        if res["name"].startswith("agreements_by_"):
            assert res["as_of"] == latest, res["name"]


def test_reported_counts_sheet_column_matches_our_counts():
    snaps = {r["snapshot_date"]: r for r in _csv("agreements_by_snapshot.csv")}
    checked = 0
    for row in _csv("reported_counts.csv"):
        if not row["sheet_date"]:
            continue
        ours = snaps[row["sheet_date"]]
        unit = row["unit"]
        column = (
            "states_and_territories"
            if unit.startswith("states")
            else "agencies"
            if unit.startswith("agencies")
            else "total"
        )
        assert int(row["sheet_count"]) == int(ours[column]), row
        checked += 1
    assert checked >= 8


def test_curated_data_has_no_unverified_facts_and_the_corrections():
    for name in (
        "state_policies.csv",
        "incentives.csv",
        "minneapolis_timeline.csv",
        "reported_counts.csv",
    ):
        for row in _csv(name):
            assert row["confidence"].startswith(("VERIFIED", "DERIVED")), (name, row)
    policies = _csv("state_policies.csv")
    delaware = [r for r in policies if r["state_code"] == "DE"]
    assert [r["date_signed"] for r in delaware] == ["2025-07-14"]
    # One row per law: Maryland's deadline is reported two ways, and its one row names both.
    maryland = [r for r in policies if r["state_code"] == "MD"]
    assert len(maryland) == 1
    assert "immediately" in maryland[0]["effective"] and "July 2026" in maryland[0]["effective"]
    # The national package is Sheahan's own figure; a lower one from an untraceable repost is gone.
    package = _csv("incentives.csv")
    assert [
        r["amount"] for r in package if r["item"] == "National package for state and local partners"
    ] == ["1.7"]
