"""US states and territories: names, postal codes and FIPS codes, for `mark: map`.

The map's shapes (geo/states-albers-10m.json) are keyed by two-digit FIPS code and carry the
Census name in `properties.name`. A CSV may name a state any of three ways ("Texas",
"TEXAS", "TX", 48, "48"); `lookup()` turns each into the shape's name. The shapes (Albers USA,
pre-projected) are the 50 states and DC only: territories are known (so they are not typos)
but are not drawable, and the chart builder lists them in the figure's notes.
"""

from __future__ import annotations

# (FIPS, USPS code, name as in states-albers-10m.json, other names seen in data)
STATES = [
    ("01", "AL", "Alabama", ()),
    ("02", "AK", "Alaska", ()),
    ("04", "AZ", "Arizona", ()),
    ("05", "AR", "Arkansas", ()),
    ("06", "CA", "California", ()),
    ("08", "CO", "Colorado", ()),
    ("09", "CT", "Connecticut", ()),
    ("10", "DE", "Delaware", ()),
    ("11", "DC", "District of Columbia", ("Washington, D.C.", "Washington DC", "D.C.")),
    ("12", "FL", "Florida", ()),
    ("13", "GA", "Georgia", ()),
    ("15", "HI", "Hawaii", ()),
    ("16", "ID", "Idaho", ()),
    ("17", "IL", "Illinois", ()),
    ("18", "IN", "Indiana", ()),
    ("19", "IA", "Iowa", ()),
    ("20", "KS", "Kansas", ()),
    ("21", "KY", "Kentucky", ()),
    ("22", "LA", "Louisiana", ()),
    ("23", "ME", "Maine", ()),
    ("24", "MD", "Maryland", ()),
    ("25", "MA", "Massachusetts", ()),
    ("26", "MI", "Michigan", ()),
    ("27", "MN", "Minnesota", ()),
    ("28", "MS", "Mississippi", ()),
    ("29", "MO", "Missouri", ()),
    ("30", "MT", "Montana", ()),
    ("31", "NE", "Nebraska", ()),
    ("32", "NV", "Nevada", ()),
    ("33", "NH", "New Hampshire", ()),
    ("34", "NJ", "New Jersey", ()),
    ("35", "NM", "New Mexico", ()),
    ("36", "NY", "New York", ()),
    ("37", "NC", "North Carolina", ()),
    ("38", "ND", "North Dakota", ()),
    ("39", "OH", "Ohio", ()),
    ("40", "OK", "Oklahoma", ()),
    ("41", "OR", "Oregon", ()),
    ("42", "PA", "Pennsylvania", ()),
    ("44", "RI", "Rhode Island", ()),
    ("45", "SC", "South Carolina", ()),
    ("46", "SD", "South Dakota", ()),
    ("47", "TN", "Tennessee", ()),
    ("48", "TX", "Texas", ()),
    ("49", "UT", "Utah", ()),
    ("50", "VT", "Vermont", ()),
    ("51", "VA", "Virginia", ()),
    ("53", "WA", "Washington", ()),
    ("54", "WV", "West Virginia", ()),
    ("55", "WI", "Wisconsin", ()),
    ("56", "WY", "Wyoming", ()),
    ("60", "AS", "American Samoa", ()),
    ("66", "GU", "Guam", ()),
    (
        "69",
        "MP",
        "Commonwealth of the Northern Mariana Islands",
        ("Northern Mariana Islands", "CNMI"),
    ),
    ("72", "PR", "Puerto Rico", ()),
    ("78", "VI", "United States Virgin Islands", ("U.S. Virgin Islands", "US Virgin Islands")),
]

# What albersUsa can draw: the 50 states and DC (FIPS below 60).
DRAWABLE = frozenset(fips for fips, *_ in STATES if int(fips) < 60)

_INDEX: dict[str, tuple[str, str]] = {}
for _fips, _usps, _name, _aliases in STATES:
    for _key in (_fips, str(int(_fips)), _usps, _name, *_aliases):
        _INDEX[_key.casefold()] = (_fips, _name)


def lookup(value: object) -> tuple[str, str] | None:
    """(FIPS, map name) for a state written as a name, postal code or FIPS code, else None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _INDEX.get(str(value).strip().casefold())


def names() -> list[str]:
    """Every known name and code, for 'did you mean' hints."""
    return [name for _, _, name, _ in STATES] + [usps for _, usps, _, _ in STATES]
