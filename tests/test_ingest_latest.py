"""The latest sheet agreement by agreement (data/ingest/latest.py): document links read from
cell hyperlinks, "#N/A" counties kept as "not listed", every agreement exactly once, and the
per-state files (states.csv, agreements_by_state_month.csv) equal to counts of sheet rows."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from ingest import latest
from ingest.read import read_snapshot

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SNAPSHOTS = ROOT.parent / "shared" / "data" / "ice-287g-snapshots"
LATEST = SNAPSHOTS / "participatingAgencies05182026am.xlsx"
HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA"]


def _sheet(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    rows = [
        [
            "TEXAS ",
            "Harris County Sheriff's Office ",
            "County ",
            "Harris County",
            "Task Force Model",
            dt.datetime(2025, 3, 1),
            "link",
        ],
        [
            "TEXAS",
            "Texas Department of Public Safety",
            "State",
            "#N/A",
            "Jail Enforcement Model",
            dt.datetime(2025, 4, 2),
            "",
        ],
        ["GUAM", "Guam Customs", "Territory", None, "Warrant Service Officer", None, None],
    ]
    for row in rows:
        sheet.append(row)
    sheet["G2"].hyperlink = "https://www.ice.gov/doclib/287gMOA/HarrisTX_TFM.pdf"
    book.save(path)
    return path


def test_agreement_rows_keep_links_and_unlisted_counties(tmp_path):
    path = _sheet(tmp_path / "participatingAgencies05182026am.xlsx")
    rows = latest.agreement_rows(read_snapshot(path), path)
    by_agency = {r["agency"]: r for r in rows}
    harris = by_agency["Harris County Sheriff's Office"]
    assert harris["document_url"] == "https://www.ice.gov/doclib/287gMOA/HarrisTX_TFM.pdf"
    assert harris["document"] == "ICE agreement"
    assert (harris["id"], harris["county"], harris["model"]) == (
        "tx-r2",
        "Harris County",
        "Task force",
    )
    assert harris["county_fips"] == "48201" and harris["signed"] == "2025-03-01"
    dps = by_agency["Texas Department of Public Safety"]
    assert (dps["county"], dps["document"], dps["document_url"]) == ("not listed", "", "")
    guam = by_agency["Guam Customs"]
    assert (guam["county"], guam["signed"], guam["state_slug"]) == ("not listed", "", "guam")
    assert [r["row"] for r in rows] == [4, 2, 3]  # by state name, then sheet row


@pytest.mark.parametrize(
    "name,slug",
    [
        ("Texas", "texas"),
        ("U.S. Virgin Islands", "us-virgin-islands"),
        ("District of Columbia", "district-of-columbia"),
    ],
)
def test_slug(name, slug):
    assert latest.slug(name) == slug


def _csv(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


needs_snapshots = pytest.mark.skipif(not LATEST.is_file(), reason=f"no {LATEST}")


@needs_snapshots
def test_every_agreement_on_the_may_18_sheet_appears_exactly_once():
    snapshot = read_snapshot(LATEST)
    rows = _csv("agreements_latest.csv")
    assert len(rows) == len(snapshot.agreements) == 1843
    assert sorted(int(r["row"]) for r in rows) == sorted(a.row for a in snapshot.agreements)
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["source_file"] for r in rows} == {LATEST.name}
    # "#N/A" and blank counties are listed, not dropped
    assert sum(r["county"] == "not listed" for r in rows) > 200
    assert sum(bool(r["document_url"]) for r in rows) > 1500


@needs_snapshots
def test_state_counts_equal_rows_of_the_sheet():
    snapshot = read_snapshot(LATEST)
    sheet = Counter(a.state.name for a in snapshot.agreements)
    states = _csv("states.csv")
    assert len(states) == 56  # 50 states, DC and 5 territories
    for row in states:
        assert int(row["agreements"]) == sheet.get(row["state"], 0), row["state"]
        models = sum(
            int(row[m]) for m in ("jail_enforcement", "warrant_service_officer", "task_force")
        )
        assert models == int(row["agreements"])
    monthly = [r for r in _csv("agreements_by_state_month.csv") if r["month"] == "2026-05"]
    assert {r["state"]: int(r["total"]) for r in monthly if int(r["total"])} == dict(sheet)


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("https://www.ice.gov/doclib/287gMOA/a.pdf", "https://www.ice.gov/doclib/287gMOA/a.pdf"),
        (
            "https://gcc02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.ice.gov%2F"
            "doclib%2F287gMOA%2Fb.pdf&data=05%7C02&reserved=0",
            "https://www.ice.gov/doclib/287gMOA/b.pdf",
        ),
        (
            "chrome-extension://efaidnbmnnnibpcajpcglclefindmkaj/https:/www.ice.gov/doclib/c.pdf",
            "https://www.ice.gov/doclib/c.pdf",
        ),
        ("https:/www.ice.gov/doclib/d.pdf", "https://www.ice.gov/doclib/d.pdf"),
        ("link", ""),
    ],
)
def test_document_links_lose_their_wrappers(raw, clean):
    assert latest.clean_url(raw) == clean


@needs_snapshots
def test_document_links_point_at_ice():
    urls = [r["document_url"] for r in _csv("agreements_latest.csv") if r["document_url"]]
    assert all(u.startswith(("https://www.ice.gov/", "http://www.ice.gov/")) for u in urls)
