"""States, territories and counties: ICE's spelling to names, USPS codes and FIPS codes.

ICE's sheets spell states in capitals, with stray spaces and the odd typo ("PENNSLYVANIA",
"WEST VIRIGINIA"). `state()` turns any of these into one `State`; an unknown spelling is an
error (add it to ALIASES), never a silent drop.

County FIPS codes come from `us_counties.csv` beside this file: the county ids and names of
the npm package us-atlas 3.0.1 (`counties-10m.json`, ISC licence, derived from the U.S. Census
Bureau's 2017 cartographic boundary files, which are public domain). Refresh it with
`npm pack us-atlas@3.0.1` and the two-line conversion in docs/data.md.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class State:
    name: str  # title case, e.g. "Northern Mariana Islands"
    code: str  # USPS, e.g. "MP"
    fips: str  # two digits, e.g. "69"
    territory: bool


# name, USPS code, FIPS (Census), territory?
_STATES = [
    ("Alabama", "AL", "01"),
    ("Alaska", "AK", "02"),
    ("Arizona", "AZ", "04"),
    ("Arkansas", "AR", "05"),
    ("California", "CA", "06"),
    ("Colorado", "CO", "08"),
    ("Connecticut", "CT", "09"),
    ("Delaware", "DE", "10"),
    ("District of Columbia", "DC", "11"),
    ("Florida", "FL", "12"),
    ("Georgia", "GA", "13"),
    ("Hawaii", "HI", "15"),
    ("Idaho", "ID", "16"),
    ("Illinois", "IL", "17"),
    ("Indiana", "IN", "18"),
    ("Iowa", "IA", "19"),
    ("Kansas", "KS", "20"),
    ("Kentucky", "KY", "21"),
    ("Louisiana", "LA", "22"),
    ("Maine", "ME", "23"),
    ("Maryland", "MD", "24"),
    ("Massachusetts", "MA", "25"),
    ("Michigan", "MI", "26"),
    ("Minnesota", "MN", "27"),
    ("Mississippi", "MS", "28"),
    ("Missouri", "MO", "29"),
    ("Montana", "MT", "30"),
    ("Nebraska", "NE", "31"),
    ("Nevada", "NV", "32"),
    ("New Hampshire", "NH", "33"),
    ("New Jersey", "NJ", "34"),
    ("New Mexico", "NM", "35"),
    ("New York", "NY", "36"),
    ("North Carolina", "NC", "37"),
    ("North Dakota", "ND", "38"),
    ("Ohio", "OH", "39"),
    ("Oklahoma", "OK", "40"),
    ("Oregon", "OR", "41"),
    ("Pennsylvania", "PA", "42"),
    ("Rhode Island", "RI", "44"),
    ("South Carolina", "SC", "45"),
    ("South Dakota", "SD", "46"),
    ("Tennessee", "TN", "47"),
    ("Texas", "TX", "48"),
    ("Utah", "UT", "49"),
    ("Vermont", "VT", "50"),
    ("Virginia", "VA", "51"),
    ("Washington", "WA", "53"),
    ("West Virginia", "WV", "54"),
    ("Wisconsin", "WI", "55"),
    ("Wyoming", "WY", "56"),
]
_TERRITORIES = [
    ("American Samoa", "AS", "60"),
    ("Guam", "GU", "66"),
    ("Northern Mariana Islands", "MP", "69"),
    ("Puerto Rico", "PR", "72"),
    ("U.S. Virgin Islands", "VI", "78"),
]
# DC is neither a state nor a territory; we count it with the states (none appear in ICE's lists).
STATES: dict[str, State] = {
    **{n.upper(): State(n, c, f, False) for n, c, f in _STATES},
    **{n.upper(): State(n, c, f, True) for n, c, f in _TERRITORIES},
}
BY_CODE: dict[str, State] = {s.code: s for s in STATES.values()}

# Misspellings seen in ICE's sheets, mapped to the right name (upper case).
ALIASES = {
    "PENNSLYVANIA": "PENNSYLVANIA",
    "WEST VIRIGINIA": "WEST VIRGINIA",
    "VIRGIN ISLANDS": "U.S. VIRGIN ISLANDS",
    "US VIRGIN ISLANDS": "U.S. VIRGIN ISLANDS",
    "COMMONWEALTH OF THE NORTHERN MARIANA ISLANDS": "NORTHERN MARIANA ISLANDS",
}


def state(text: str) -> State:
    """The State an ICE spelling names ("TEXAS ", "UTAh", "TX"); KeyError if unknown."""
    key = " ".join(str(text).split()).upper()
    key = ALIASES.get(key, key)
    if key in STATES:
        return STATES[key]
    if key in BY_CODE:
        return BY_CODE[key]
    raise KeyError(
        f"unknown state or territory {text!r}; add its spelling to ALIASES in data/ingest/places.py"
    )


# What ICE writes when an agency has no county.
NO_COUNTY = {"", "#N/A", "#NA", "N/A", "NA", "NONE", "-"}
# County-type suffixes, including ICE's typos ("Lake Conty", "Custer Countey").
_SUFFIX = re.compile(
    r"\s+(count(?:y|ey)|conty|cnty|co\.?|parish|borough|census area|city and borough|"
    r"municipality|city|district)$",
    re.IGNORECASE,
)
_TYPO_COUNTY = re.compile(r"\s+(countey|conty|cnty)$", re.IGNORECASE)


def clean_county(text: object) -> str:
    """ICE's county cell, trimmed and with typos in 'County' fixed; '' when none is given."""
    value = " ".join(str(text or "").split())
    if value.upper() in NO_COUNTY:
        return ""
    return _TYPO_COUNTY.sub(" County", value)


# County names ICE misspells, by (USPS code, ICE's spelling without suffix) -> Census name.
# Only unambiguous typos; names that could be a town or a former name (Arcadia, LA; German
# Coast, LA; Overton, TX; Sparta-White, TN) stay unmatched rather than guessed.
COUNTY_TYPOS = {
    ("AL", "frankin"): "franklin",
    ("AR", "pop"): "pope",
    ("AR", "pulaksi"): "pulaski",
    ("FL", "flager"): "flagler",
    ("FL", "st. luice"): "st. lucie",
    ("IN", "stueben"): "steuben",
    ("KY", "whitely"): "whitley",
    ("LA", "calacasieu"): "calcasieu",
    ("MI", "berrian"): "berrien",
    ("OK", "bryant"): "bryan",
    ("PA", "miffin"): "mifflin",
    ("SC", "lexignton"): "lexington",
    ("TX", "fall"): "falls",
}


@cache
def _names() -> dict[str, str]:
    """County FIPS -> Census name (without suffix), from us_counties.csv."""
    path = Path(__file__).with_name("us_counties.csv")
    with path.open(encoding="utf-8", newline="") as f:
        return {row["county_fips"]: row["name"] for row in csv.DictReader(f)}


@cache
def _county_index() -> dict[tuple[str, str], list[str]]:
    """(state FIPS, lower-case bare name) -> county FIPS codes, from us_counties.csv."""
    index: dict[tuple[str, str], list[str]] = {}
    for fips, name in _names().items():
        index.setdefault((fips[:2], _bare(name)), []).append(fips)
    return index


def _bare(name: str) -> str:
    """Lower-case name without its county-type suffix, with 'Saint' spelled 'st.'."""
    name = _SUFFIX.sub("", " ".join(name.split())).lower()
    return re.sub(r"^(saint|ste?\.?)\s+", "st. ", name)


def county_fips(state: State, county: str) -> str:
    """The 5-digit FIPS code of a county named by ICE, or '' when it cannot be matched.

    Where one name is both a county and an independent city (Richmond, Virginia; Baltimore,
    Maryland; St. Louis, Missouri), Census gives the city a code of 510 or more: "city" in
    ICE's name picks the city, anything else the county.
    """
    if not county:
        return ""
    bare = _bare(county)
    bare = COUNTY_TYPOS.get((state.code, bare), bare)
    codes = _county_index().get((state.fips, bare), [])
    if len(codes) > 1:
        is_city = county.lower().endswith(" city")
        codes = [c for c in codes if (int(c[2:]) >= 510) == is_city]
    return codes[0] if len(codes) == 1 else ""


def county_name(fips: str, ice_name: str) -> str:
    """The Census spelling of a matched county, with the kind ICE gave ("Lake County",
    "Calcasieu Parish", "Richmond city"); ICE's own spelling when unmatched."""
    if not fips:
        return ice_name
    m = _SUFFIX.search(ice_name)
    suffix = m.group(1).lower() if m else ""
    if suffix in ("co", "co.", "countey", "conty", "cnty"):
        suffix = "county"
    if not suffix:  # ICE gave the bare name ("Decatur"): use the state's usual kind
        suffix = {"22": "parish", "02": ""}.get(fips[:2], "county")
    kind = suffix if suffix == "city" else suffix.title()
    return f"{_names()[fips]} {kind}".strip()
