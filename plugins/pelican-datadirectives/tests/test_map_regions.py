"""Explorable maps (issue 12): the region JSON a static map ships for the map explorer, and the
county map's whole-number legend.

The explorer reuses the static SVG's own paths, so the JSON must list the regions in the order
the SVG draws them: proved here against vl-convert's own output (the same spec with each
region's name as its ARIA description, read back from the SVG's paths in order). The numbers
are proved against the CSVs in the explainer's data/ folder.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import vl_convert
from pelican.plugins.datadirectives.charts import check_chart_options, prepare_chart
from pelican.plugins.datadirectives.charts.maps import class_label, county_classes, legend_rows
from pelican.plugins.datadirectives.errors import DirectiveError
from tiny_site import ROOT, article_html, build, make_site

DATA = ROOT / "data"


def state_map(**more):
    frame = pd.read_csv(DATA / "agreements_by_state.csv", dtype={"state_fips": str})
    frame = frame[frame["snapshot_date"] == "2026-05-18"]
    opts = {
        "mark": "map",
        "state": "state_code",
        "color": {"field": "total", "type": "Q", "title": "Agreements"},
        "tooltip": ["state:N", "total:Q", "task_force:Q", "agencies:Q"],
        **more,
    }
    return prepare_chart(check_chart_options(opts), frame), frame


def county_map():
    frame = pd.read_csv(DATA / "agreements_by_county.csv", dtype={"county_fips": str})
    opts = {
        "mark": "map",
        "county": "county_fips",
        "county_name": "county",
        "state": "state",
        "color": {"field": "agreements", "type": "Q", "title": "Agreements"},
        "tooltip": ["state:N", "county:N", "agencies:Q"],
    }
    return prepare_chart(check_chart_options(opts), frame), frame


def drawn_names(spec: dict, layer: int | None, field: str) -> list[str]:
    """Render `spec` with vl-convert, each region described by `field`; return the
    descriptions of the region paths, in the SVG's order."""
    target = spec if layer is None else spec["layer"][layer]
    target["encoding"]["description"] = {"field": field, "type": "nominal"}
    svg = vl_convert.vegalite_to_svg(spec)
    groups = re.findall(r'<g class="mark-shape role-mark [^"]*"[^>]*>(.*?)</g>', svg, re.S)
    return re.findall(r'<path[^>]*aria-label="([^"]*)"', groups[0 if layer is None else layer])


def test_state_regions_are_in_the_order_of_the_svg_paths():
    chart, _ = state_map()
    data = json.loads(chart.mark.regions(chart, chart.rows, {}))
    assert data["mark"] == 0
    names = [r[0] for r in data["regions"]]
    assert drawn_names(chart.spec(640), None, "properties.name") == names
    # Each of the 50 states and DC once, by its full name.
    assert len(set(names)) == len(names) == 51
    assert {"Texas", "Florida", "District of Columbia", "Alaska", "Hawaii"} <= set(names)


def test_county_regions_are_in_the_order_of_the_svg_paths():
    chart, _ = county_map()
    data = json.loads(chart.mark.regions(chart, chart.rows, {}))
    assert data["mark"] == 1  # the ground is mark 0, the counties 1, the borders 2
    drawn = drawn_names(chart.spec(640), 1, "properties.name")
    assert len(drawn) == len(data["regions"]) > 900
    # Each region's name starts with its shape's own ("Harris" -> "Harris County, Texas").
    for shape_name, (name, *_) in zip(drawn, data["regions"], strict=True):
        assert name.startswith(shape_name), (shape_name, name)


def test_state_region_numbers_are_the_csvs():
    chart, frame = state_map()
    data = json.loads(chart.mark.regions(chart, chart.rows, {}))
    # The state column repeats the region's name: left out; the numbers stay, titled.
    assert data["labels"] == ["Agreements", "Task force", "Agencies"]
    by_name = {r[0]: r[1:] for r in data["regions"]}
    drawn = frame[frame["state_fips"].astype(int) < 60]  # Guam and the like are in the notes
    assert len(drawn) > 35
    for row in drawn.itertuples():
        expected = [f"{row.total:,}", f"{row.task_force:,}", f"{row.agencies:,}"]
        assert by_name[row.state] == expected, row.state
    assert by_name["Texas"] == ["387", "194", "306"]
    # A state without a row is listed by name only; the explorer says `empty` for it.
    missing = set(by_name) - set(drawn["state"])
    assert missing and all(by_name[m] == [None] for m in missing)
    # A missing row is not a zero: the explorer does not say "No agreements" for it...
    assert data["empty"] == "No row in the data"
    # ...unless the author says what it means (`empty`).
    said = "No agreements on ICE's list"
    chart, _ = state_map(missing=said)
    assert json.loads(chart.mark.regions(chart, chart.rows, {}))["empty"] == said
    # Home/End follow the data table (its rows first, in its order), then the rest.
    order = [data["regions"][i][0] for i in data["order"]]
    assert order[: len(drawn)] == [r["state_code"] for r in chart.rows]
    assert sorted(data["order"]) == list(range(51))


def test_county_region_numbers_are_the_csvs():
    chart, frame = county_map()
    data = json.loads(chart.mark.regions(chart, chart.rows, {}))
    assert data["labels"] == ["Agreements", "Agencies"]
    placed = frame.dropna(subset=["county_fips"])
    placed = placed[placed["county_fips"].astype(int) < 60000]
    by_name = {r[0]: r[1:] for r in data["regions"]}
    assert len(by_name) == len(data["regions"]) == len(placed)
    for row in placed.itertuples():
        assert by_name[f"{row.county}, {row.state}"] == [
            f"{row.agreements:,}",
            f"{row.agencies:,}",
        ]


@pytest.mark.parametrize(
    ("values", "classes"),
    [
        # ICE's May 18, 2026 list: most counties have one agreement.
        (
            [1] * 536 + [2] * 205 + [3] * 99 + [4] * 35 + [5] * 21 + [6] * 10 + [7] * 4 + [11, 12],
            ((1, 1), (2, 2), (3, 3), (4, 12)),
        ),
        (list(range(1, 101)), ((1, 25), (26, 50), (51, 75), (76, 100))),
        ([2, 2, 2], ((2, 2),)),
        ([1, 2], ((1, 1), (2, 2))),
        ([1.5, 2], ()),  # not whole numbers: the quantize scale as before
        ([], ()),
    ],
)
def test_county_classes_are_whole_numbers(values, classes):
    assert county_classes(values) == classes
    assert county_classes(list(reversed(values))) == classes  # order does not matter


def test_class_labels():
    assert [class_label(c) for c in ((1, 1), (4, 12), (1000, 2500))] == [
        "1",
        "4\u201312",
        "1,000\u20132,500",
    ]


CSV = (
    "state,county,county_fips,agreements\n"
    "Alabama,Autauga County,01001,3\n"
    "Alabama,Baldwin County,01003,7\n"
    "Texas,Harris County,48201,12\n"
    "Texas,Brazos County,48041,1\n"
    "Florida,No county listed,,157\n"
)
CHART = (
    "```chart\ndata: c.csv\nmark: map\ncounty: county_fips\ncounty_name: county\nstate: state\n"
    "color: {field: agreements, type: Q, title: Agreements}\n"
    "tooltip: [county:N]\n"
    "title: Counties\ndescription: Map.\nsource: S\nas_of: 2026-05-18\n```\n"
)


def test_a_static_map_links_its_region_file_and_the_county_legend_is_whole(tmp_path):
    out = build(make_site(tmp_path, CHART, csvs={"c.csv": CSV}))
    html = article_html(out)
    href = re.search(r'<figure [^>]*data-dd-regions="([^"]+)"', html).group(1)
    assert re.fullmatch(r"\.{1,2}/data/figures/fig-counties-[0-9a-f]{8}\.json", href), href
    page = next(p for p in out.rglob("*.html") if 'class="dd-figure' in p.read_text())
    data = json.loads((page.parent / href).read_text(encoding="utf-8"))
    # Counties in the shapes' order; the data's own county names; numbers as in the table.
    assert sorted(data["regions"]) == [
        ["Autauga County, Alabama", "3"],
        ["Baldwin County, Alabama", "7"],
        ["Brazos County, Texas", "1"],
        ["Harris County, Texas", "12"],
    ]
    # The legend: "None" in the no-data grey first, then whole-number classes; no 3.8.
    svg = html[html.index('class="dd-svg dd-has-legend"') :]
    svg = svg[: svg.index("</svg>")]
    legend = svg[svg.index("role-legend") :]
    labels = re.findall(r">([^<>]+)</text>", legend)
    assert labels == ["None", "1\u20132", "3\u20136", "7\u201311", "12", "Agreements"]
    fills = re.findall(r'role-legend-symbol[^>]*><path[^>]*fill="([^"]+)"', legend)
    assert fills[0] == "#d9d9d9" and "#d9d9d9" not in fills[1:]
    assert not re.search(r">\d+\.\d+<", legend)


def test_a_map_made_interactive_has_no_region_file(tmp_path):
    chart = CHART.replace("tooltip:", "interactive: true\ntooltip:")
    html = article_html(build(make_site(tmp_path, chart, csvs={"c.csv": CSV})))
    assert "data-dd-regions" not in html and 'class="dd-spec"' in html


def test_interactive_false_leaves_the_static_map_without_explorer(tmp_path):
    """docs/directives.md: `interactive: false` is the static SVG only, and no script for it
    (the loader is put on a page only for a live chart or a region file)."""
    chart = CHART.replace("tooltip:", "interactive: false\ntooltip:")
    out = build(make_site(tmp_path, chart, csvs={"c.csv": CSV}))
    html = article_html(out)
    assert 'class="dd-figure dd-chart"' in html
    assert "data-dd-regions" not in html and 'class="dd-spec"' not in html
    assert not list(out.rglob("figures/*.json"))


def test_a_site_with_interactive_off_has_no_map_explorer(tmp_path):
    site = make_site(
        tmp_path, CHART, csvs={"c.csv": CSV}, settings={"DATA_DIRECTIVES": {"INTERACTIVE": False}}
    )
    out = build(site)
    html = article_html(out)
    assert 'class="dd-figure dd-chart"' in html and "data-dd-regions" not in html
    assert not list(out.rglob("figures/*.json"))


def test_charts_that_are_not_maps_carry_no_region_file(tmp_path):
    chart = (
        "```chart\ndata: months.csv\nmark: line\nx: month:T\ny: total:Q\ntitle: T\n"
        "description: D.\nsource: S\nas_of: 2026-02-17\n```\n"
    )
    out = build(make_site(tmp_path, chart))
    assert "data-dd-regions" not in article_html(out)
    assert not list(out.rglob("figures/*.json"))


def test_a_presence_map_tells_states_with_a_row_from_those_without():
    frame = pd.DataFrame({"state": ["TX", "Florida"]})
    chart = prepare_chart(check_chart_options({"mark": "map", "state": "state"}), frame)
    data = json.loads(chart.mark.regions(chart, chart.rows, {}))
    by_name = {r[0]: r[1:] for r in data["regions"]}
    assert data["labels"] == [] and data["empty"] == "No data"
    assert by_name["Texas"] == [] and by_name["Florida"] == []  # a row, nothing more to say
    assert by_name["Ohio"] == [None]  # no row
    assert [data["regions"][i][0] for i in data["order"][:2]] == ["Florida", "Texas"]
    assert sorted(data["order"]) == list(range(51))  # each region once


def test_a_county_map_with_no_placed_county_has_no_region_file(tmp_path):
    """Nothing to explore (every row lacks a drawable county): no region file, no explorer,
    rather than an explorer whose first region is undefined."""
    frame = pd.DataFrame({"state": ["Florida"], "county_fips": [None], "agreements": [157]})
    opts = {"mark": "map", "county": "county_fips", "state": "state"}
    chart = prepare_chart(check_chart_options(opts), frame)
    assert chart.mark.regions(chart, chart.rows, {}) is None
    csv = "state,county,county_fips,agreements\nFlorida,No county listed,,157\n"
    html = article_html(build(make_site(tmp_path, CHART, csvs={"c.csv": csv})))
    assert 'class="dd-figure dd-chart"' in html and "data-dd-regions" not in html


def county_regions(rows: list[dict], **opts) -> dict:
    frame = pd.DataFrame(rows)
    base = {"mark": "map", "county": "county_fips", "state": "state", **opts}
    chart = prepare_chart(check_chart_options(base), frame)
    return json.loads(chart.mark.regions(chart, chart.rows, {}))


def test_a_county_is_named_by_county_name_only_not_by_another_text_column():
    """An agency column that starts with the county's name is not the county's name."""
    rows = [
        {
            "state": "Texas",
            "county": "Harris County",
            "county_fips": "48201",
            "agency": "Harris County Sheriff's Office",
            "agreements": 12,
        },
    ]
    data = county_regions(rows, tooltip=["agency:N", "agreements:Q"], county_name="county")
    assert [r[0] for r in data["regions"]] == ["Harris County, Texas"]
    assert len(data["labels"]) == 2  # the agency stays a value, not the name
    # Without county_name: the shape's own name, never the agency's.
    data = county_regions(rows, tooltip=["agency:N", "agreements:Q"])
    assert [r[0] for r in data["regions"]] == ["Harris, Texas"]


def test_independent_cities_are_told_from_counties_of_the_same_name():
    rows = [
        {"state": st, "county_fips": code, "agreements": 1}
        for st, code in [
            ("Maryland", "24005"),
            ("Maryland", "24510"),
            ("Missouri", "29189"),
            ("Missouri", "29510"),
            ("Virginia", "51760"),
            ("Virginia", "51087"),
            ("Virginia", "51059"),
            ("Virginia", "51600"),
            ("Virginia", "51067"),
            ("Virginia", "51620"),
            ("Nevada", "32510"),
        ]
    ]
    names = sorted(r[0] for r in county_regions(rows)["regions"])
    assert names == [
        "Baltimore city, Maryland",
        "Baltimore, Maryland",
        "Carson City, Nevada",
        "Fairfax city, Virginia",
        "Fairfax, Virginia",
        "Franklin city, Virginia",
        "Franklin, Virginia",
        "Henrico, Virginia",
        "Richmond city, Virginia",
        "St. Louis city, Missouri",
        "St. Louis, Missouri",
    ]
    assert len(set(names)) == len(names)


def test_county_name_needs_a_county_map():
    frame = pd.DataFrame({"state": ["Texas"], "county": ["Harris County"]})
    opts = check_chart_options({"mark": "map", "state": "state", "county_name": "county"})
    with pytest.raises(DirectiveError, match="county_name"):
        prepare_chart(opts, frame)


def legend_svg(chart) -> str:
    return vl_convert.vegalite_to_svg(chart.mark.phone_legend(chart, 375).to_dict())


@pytest.mark.parametrize("make", [state_map, county_map], ids=["states", "counties"])
def test_the_phone_legend_draws_only_the_rows_that_give_its_domain(make):
    """The phone legend's marks are invisible: it needs only the rows that set the colour
    domain (the county map drew 912 of them, ~90 KB), and shows the same entries."""
    chart, _ = make()
    rows = legend_rows(chart)
    assert len(rows) <= 2 < len(chart.rows)
    svg = legend_svg(chart)
    labels = re.findall(r">([^<>]+)</text>", svg)
    # Whole-number counts: "None" in the grey, then the classes (no quantize breaks).
    assert labels[0] == "None" and labels[1:-1] == [class_label(c) for c in chart.state.classes]
    assert not any(re.fullmatch(r"\d+\.\d+", lab) for lab in labels)
    assert len(svg) < 10_000, len(svg)


def test_a_fractional_colour_keeps_quantize_and_its_legend_needs_only_min_and_max():
    frame = pd.DataFrame(
        {"state": ["Texas", "Ohio", "Utah", "Iowa"], "rate": [0.5, 2.25, 1.75, 1.0]}
    )
    opts = {"mark": "map", "state": "state", "color": {"field": "rate", "type": "Q"}}
    chart = prepare_chart(check_chart_options(opts), frame)
    assert chart.state.classes == ()
    assert [r["rate"] for r in legend_rows(chart)] == [0.5, 2.25]
    full = chart.mark.phone_legend(chart, 375).to_dict()
    full["data"] = {"values": chart.rows}  # every row, as before
    labels = re.findall(r">([^<>]+)</text>", legend_svg(chart))
    assert labels == re.findall(r">([^<>]+)</text>", vl_convert.vegalite_to_svg(full))
    assert len(labels) > 2
