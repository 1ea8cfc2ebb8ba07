"""`mark: map` with `county:`: a county choropleth keyed on FIPS codes (issue 12).

Real builds: counties with a row are shapes over the "no data" ground, rows without a code are
counted in the notes, bad codes fail at the directive, and the paths are relative steps that
draw the same points as the absolute ones.
"""

import re

import pytest
from pelican.plugins.datadirectives.figure import relative_path
from tiny_site import article_html, build, make_site

CSV = (
    "state,county,county_fips,agreements\n"
    "Alabama,Autauga County,01001,3\n"
    "Alabama,Baldwin County,1003,7\n"  # read as a number: the leading 0 comes back
    "Florida,No county listed,,157\n"
    "Guam,Kattan District,,1\n"
    "Texas,Harris County,48201,12\n"
)


def county_map(extra: str = "") -> str:
    return (
        "```chart\ndata: c.csv\nmark: map\ncounty: county_fips\nstate: state\n"
        "color: {field: agreements, type: Q, title: Agreements}\n"
        + extra
        + "title: Counties\ndescription: Map.\nsource: S\nas_of: 2026-05-18\n```\n"
    )


def test_a_county_map_draws_counties_with_rows_and_notes_the_rest(tmp_path):
    html = article_html(build(make_site(tmp_path, county_map(), csvs={"c.csv": CSV})))
    notes = re.search(r'<p class="dd-notes">(.*?)</p>', html).group(1)
    # 158 agreements have no county code: counted through the data, by state.
    assert "Not placed on a county (no county code): 158 agreements: Florida 157, Guam 1." in notes
    # A missing row is not read as a zero unless the author says so (`missing`).
    assert "Grey: no row for the county." in notes
    said = "No agreements on the list"
    html = article_html(
        build(make_site(tmp_path / "said", county_map(f"missing: {said}\n"), csvs={"c.csv": CSV}))
    )
    assert "Grey: no agreements on the list." in html
    assert "Grey: no row for the county." not in html
    svg = html[html.index('class="dd-svg dd-has-legend"') :]
    svg = svg[: svg.index("</svg>")]
    # The ground (nation), three counties, the state borders (one mesh).
    marks = re.findall(r'<g class="mark-shape role-mark ([^"]*)">(.*?)</g>', svg, re.S)
    paths = [len(re.findall(r"<path ", body)) for _, body in marks]
    assert paths == [1, 3, 1]
    # Counties with a row use the four darker shades, never the lightest (too near the grey).
    county_fills = set(re.findall(r'fill="(#[0-9a-f]{6})"', marks[1][1]))
    assert "#c6dbef" not in county_fills and county_fills <= {
        "#9ecae1",
        "#6baed6",
        "#3182bd",
        "#08519c",
    }
    assert 'fill="#d9d9d9"' in marks[0][1]
    # Relative whole-pixel steps: no absolute L command, no decimals.
    ds = re.findall(r' d="([^"]*)"', "".join(body for _, body in marks))
    assert all("L" not in d and not re.search(r"\d\.\d", d) for d in ds)
    table = html[html.index("<table") :]
    assert "01003" in table  # the code as the shapes know it


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("county_fips,agreements\n99999,1\n", "not a county FIPS code"),
        ("county_fips,agreements\nAutauga,1\n", "not a county FIPS code"),
        ("county_fips,agreements\n01001,1\n1001,2\n", "01001 appears in more than one row"),
    ],
)
def test_bad_county_codes_fail_at_the_directive(tmp_path, capsys, csv, message):
    body = (
        "```chart\ndata: c.csv\nmark: map\ncounty: county_fips\ncolor: agreements:Q\n"
        "title: T\ndescription: D\nsource: S\nas_of: 2026-05-18\n```\n"
    )
    with pytest.raises(RuntimeError):
        build(make_site(tmp_path, body, csvs={"c.csv": csv}))
    err = capsys.readouterr().err
    assert "content/article.md:" in err and message in err


def absolute_points(d: str) -> list[list[tuple[int, int]]]:
    """The points of each subpath of an M/L/Z or relative m/l/z path."""
    subpaths, x, y = [], 0, 0
    for command, args in re.findall(r"([MLZlz])([^MLZlz]*)", d):
        numbers = [int(n) for n in re.findall(r"-?\d+", args)]
        pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
        if command == "M":
            x, y = pairs[0]
            subpaths.append([(x, y)])
            pairs = pairs[1:]
        for dx, dy in pairs:
            x, y = (x + dx, y + dy) if command == "l" else (dx, dy)
            if subpaths[-1][-1] != (x, y):
                subpaths[-1].append((x, y))
        if command in "Zz":
            x, y = subpaths[-1][0]
    return subpaths


def test_relative_paths_draw_the_same_points():
    d = "M187,176L190,176L190,176L195,177L193,170ZM10,10L12,8L9,-3Z"
    out = relative_path(d)
    assert out == "M187,176l3,0 5,1-2,-7zM10,10l2,-2-3,-11z"
    assert absolute_points(out) == absolute_points(d)
    # Paths with curves or decimals are left alone.
    assert relative_path("M0,0A5,5,0,1,1,5,0Z") == "M0,0A5,5,0,1,1,5,0Z"
    assert relative_path("M0.5,0L1,1") == "M0.5,0L1,1"
