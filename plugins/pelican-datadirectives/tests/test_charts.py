"""Chart building: every mark and option rendered for real with vl-convert, every error path.

`build_chart` is pure (options + DataFrame in, Altair chart out), so these tests need no
Pelican build: they build a chart from a small frame, render it to SVG with vl-convert and
assert on what a reader would get (marks, labels, axis titles, legend or not, colours).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import time
import tracemalloc

import altair as alt
import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc
from pelican.plugins.datadirectives import chart_theme, options
from pelican.plugins.datadirectives.chart_theme import TOKENS, contrast_ratio
from pelican.plugins.datadirectives.charts import (
    CHART_OPTIONS,
    build_chart,
    check_chart_options,
    prepare_chart,
)
from pelican.plugins.datadirectives.errors import DirectiveError

# --------------------------------------------------------------------------- helpers


def months(n: int) -> list[str]:
    return [f"{2025 + i // 12}-{i % 12 + 1:02d}-01" for i in range(n)]


@pytest.fixture
def growth() -> pd.DataFrame:
    """Long data: three 287(g) models over four months."""
    rows = []
    for model, base in (("jem", 60), ("wso", 75), ("tfm", 0)):
        for i, month in enumerate(months(4)):
            rows.append(
                {"month": month, "model": model, "total": base + i * (40 if model == "tfm" else 2)}
            )
    return pd.DataFrame(rows)


@pytest.fixture
def states() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "state": ["TEXAS", "FLORIDA", "TENNESSEE", "GUAM", "NORTHERN MARIANA ISLANDS"],
            "agreements": [387, 348, 63, 1, 2],
            "stance": ["mandate", "mandate", "neither", "neither", "neither"],
        }
    )


def render(chart) -> str:
    return vlc.vegalite_to_svg(chart.to_dict())


def roles(svg: str, role: str) -> int:
    return svg.count(f'aria-roledescription="{role}"')


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def size(svg: str) -> tuple[int, int]:
    m = re.search(r'<svg[^>]*width="(\d+)" height="(\d+)"', svg)
    return int(m.group(1)), int(m.group(2))


def colours(svg: str) -> set[str]:
    return {v for v in re.findall(r'(?:fill|stroke)="([^"]*)"', svg) if v != "none"}


LINE_COLOURED = {"mark": "line", "x": "month:T", "y": "total:Q", "color": "model:N"}


def prepared(options: dict, frame: pd.DataFrame, **kwargs):
    """The chart prepared once (rows, notes), as the chart directive prepares it."""
    return prepare_chart(check_chart_options(options), frame, **kwargs)


def rows_of_spec(spec: dict) -> list[dict]:
    """The largest list of records a Vega-Lite spec embeds."""
    from pelican.plugins.datadirectives.charts.custom import inline_rows

    return inline_rows(spec)


def rows_of(chart) -> list[dict]:
    """The main dataset a chart embeds (the largest list of records)."""
    spec = chart.to_dict()
    found = list((spec.get("datasets") or {}).values())
    stack = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("data"), dict) and isinstance(node["data"].get("values"), list):
                found.append(node["data"]["values"])
            stack.extend(v for k, v in node.items() if k != "datasets")
        elif isinstance(node, list):
            stack.extend(node)
    return max(found, key=len)


# ------------------------------------------------------------------------------ theme


@pytest.mark.parametrize("role", sorted(chart_theme.MIN_CONTRAST))
@pytest.mark.parametrize("mode", [0, 1], ids=["light", "dark"])
def test_theme_colours_meet_contrast_on_their_background(role, mode):
    background = TOKENS["background"]["light" if mode == 0 else "dark"]
    colour = TOKENS["colors"][role][mode]
    ratio = contrast_ratio(colour, background)
    assert ratio >= chart_theme.MIN_CONTRAST[role], (role, colour, background, ratio)


def test_text_needs_4_5_to_1():
    assert chart_theme.MIN_CONTRAST["text"] == chart_theme.MIN_CONTRAST["muted"] == 4.5


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < 4.5  # the classic just-failing grey


@pytest.mark.parametrize("colour", TOKENS["categorical"])
def test_categorical_palette_is_3_to_1_on_white_and_near_black(colour):
    assert contrast_ratio(colour, TOKENS["background"]["light"]) >= 3.0
    assert contrast_ratio(colour, TOKENS["background"]["dark"]) >= 3.0


# Machado, Oliveira & Fernandes (2009) full-severity simulation matrices (linear RGB).
CVD = {
    "deutan": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "protan": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "tritan": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def _lab(hex_colour: str, matrix=None) -> tuple[float, float, float]:
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [lin(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5)]
    if matrix:
        rgb = [min(1, max(0, sum(m * v for m, v in zip(row, rgb, strict=True)))) for row in matrix]
    r, g, b = rgb
    xyz = (
        0.4124 * r + 0.3576 * g + 0.1805 * b,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        0.0193 * r + 0.1192 * g + 0.9505 * b,
    )

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(xyz[0] / 0.95047), f(xyz[1]), f(xyz[2] / 1.08883)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


@pytest.mark.parametrize("vision", [None, *CVD])
def test_categorical_palette_stays_distinct_for_colour_blind_readers(vision):
    labs = [_lab(c, CVD.get(vision)) for c in TOKENS["categorical"]]
    closest = min(math.dist(a, b) for a, b in itertools.combinations(labs, 2))
    assert closest >= 10, f"two palette colours are only {closest:.1f} CIE76 apart ({vision})"


def test_theme_hex_values_are_lowercase_six_digit():
    config_json = json.dumps(chart_theme.vega_config())
    for value in re.findall(r"#[0-9A-Fa-f]+\b", config_json + chart_theme.charts_css()):
        assert re.fullmatch(r"#[0-9a-f]{6}", value), value


def test_vega_config_is_newsroom_style():
    config = chart_theme.vega_config()
    assert config["view"]["stroke"] is None
    assert config["axisY"]["domain"] is False and config["axisY"]["grid"] is True
    assert config["axisX"]["grid"] is False
    assert config["range"]["category"] == TOKENS["categorical"]


def test_charts_css_remaps_every_changing_colour_in_dark_mode():
    css = chart_theme.charts_css()
    assert css.count("@media screen and (prefers-color-scheme: dark)") == 1
    remaps = chart_theme.dark_remaps()
    assert TOKENS["colors"]["text"][0] in remaps
    for light, dark in remaps.items():
        for attr in ("fill", "stroke"):
            assert f'.dd-graphic svg [{attr}="{light}"] {{ {attr}: {dark}; }}' in css
    # The palette reads on both backgrounds, so it is never remapped.
    assert not set(TOKENS["categorical"]) & set(remaps)


def test_charts_css_is_deterministic_and_refuses_conflicting_pairs():
    assert chart_theme.charts_css() == chart_theme.charts_css()
    broken = json.loads(json.dumps(TOKENS))
    broken["colors"]["grid"] = [broken["colors"]["text"][0], "#000000"]
    with pytest.raises(ValueError, match="two dark counterparts"):
        chart_theme.charts_css(broken)


def test_every_colour_the_svg_uses_is_a_theme_token(growth, states):
    known = {pair[0] for pair in TOKENS["colors"].values()} | set(TOKENS["categorical"])
    known |= set(TOKENS["sequential"]["light"]) | set(TOKENS["diverging"]["light"])
    charts = [
        build_chart(
            {
                "mark": "line",
                "x": "month:T",
                "y": "total:Q",
                "color": "model:N",
                "annotations": [
                    {"rule": "2025-02-15", "label": "Order"},
                    {"point": {"x": "2025-03-01", "y": 84}, "label": "P"},
                ],
            },
            growth,
        ),
        build_chart({"mark": "bar", "x": "month:T", "y": "total:Q", "color": "model:N"}, growth),
        build_chart({"mark": "area", "x": "month:T", "y": "total:Q", "color": "model:N"}, growth),
        build_chart({"mark": "map", "state": "state", "color": "agreements:Q"}, states),
        build_chart({"mark": "map", "state": "state", "color": "stance:N"}, states),
        build_chart({"mark": "line", "x": "month:T", "y": "total:Q", "facet": "model:N"}, growth),
    ]
    for chart in charts:
        svg = render(chart)
        unknown = colours(svg) - known
        assert not unknown, f"colours the dark-mode CSS cannot remap: {unknown}"
        # Transparent background, no border: no full-size rect or view stroke.
        assert "<rect" not in svg


# -------------------------------------------------------------------------- marks


def test_line_chart_single_series(growth):
    frame = growth[growth.model == "tfm"]
    chart = build_chart({"mark": "line", "x": "month:T", "y": "total:Q"}, frame)
    svg = render(chart)
    assert roles(svg, "line mark") == 1
    assert "Total" in texts(svg)  # y title, humanised from the column name
    assert "Month" not in texts(svg)  # dates explain themselves
    assert roles(svg, "legend") == 0
    assert size(svg) == (640, 320)


def test_line_chart_with_few_series_gets_direct_labels_not_a_legend(growth):
    chart = build_chart(
        {"mark": "line", "x": "month:T", "y": "total:Q", "color": "model:N"}, growth
    )
    svg = render(chart)
    assert roles(svg, "line mark") == 3
    assert roles(svg, "legend") == 0
    labels = [t for t in texts(svg) if t in ("jem", "wso", "tfm")]
    assert sorted(labels) == ["jem", "tfm", "wso"]
    assert roles(svg, "circle") == 3  # a coloured dot at each line's end


def test_direct_labels_are_pushed_apart_when_lines_end_close_together():
    frame = pd.DataFrame(
        {"month": months(2) * 2, "s": ["a", "a", "b", "b"], "v": [0, 100, 0, 100.5]}
    )
    svg = render(build_chart({"mark": "line", "x": "month:T", "y": "v:Q", "color": "s:N"}, frame))
    ys = [
        float(y)
        for y in re.findall(
            r'translate\([\d.]+,([\d.]+)\)"[^>]*font-weight="bold"'
            r"[^>]*>[ab]<",
            svg,
        )
    ]
    assert len(ys) == 2 and abs(ys[0] - ys[1]) >= TOKENS["font_size"]["direct_label"]


def test_line_chart_with_many_series_keeps_a_legend():
    frame = pd.DataFrame(
        {"month": months(2) * 7, "s": [f"s{i}" for i in range(7) for _ in "ab"], "v": range(14)}
    )
    svg = render(build_chart({"mark": "line", "x": "month:T", "y": "v:Q", "color": "s:N"}, frame))
    assert roles(svg, "legend") == 1
    assert roles(svg, "circle") == 0


def test_area_stacks_by_default_with_direct_labels(growth):
    chart = build_chart(
        {"mark": "area", "x": "month:T", "y": "total:Q", "color": "model:N"}, growth
    )
    spec = chart.to_dict()
    assert spec["layer"][0]["encoding"]["y"]["stack"] == "zero"
    svg = render(chart)
    assert roles(svg, "area mark") == 3
    assert {"jem", "wso", "tfm"} <= set(texts(svg))


def test_area_normalize_shows_percent_and_stack_false_overlaps(growth):
    svg = render(
        build_chart(
            {
                "mark": "area",
                "x": "month:T",
                "y": "total:Q",
                "color": "model:N",
                "stack": "normalize",
            },
            growth,
        )
    )
    assert "100%" in texts(svg)
    chart = build_chart(
        {"mark": "area", "x": "month:T", "y": "total:Q", "color": "model:N", "stack": False}, growth
    )
    assert "stack" not in chart.to_dict()["layer"][0]["encoding"]["y"]


def test_vertical_bars(growth):
    frame = growth[growth.model == "jem"]
    svg = render(build_chart({"mark": "bar", "x": "month:T", "y": "total:Q"}, frame))
    assert roles(svg, "bar") == 4
    assert "Jan 2025" in texts(svg) or "2025" in texts(svg)


def bar_label_order(svg: str, labels: list[str]) -> list[str]:
    """Category labels of a horizontal bar chart, top to bottom."""
    found = re.findall(r'translate\(-?[\d.]+,([\d.]+)\)"[^>]*>([^<]+)</text>', svg)
    return [t for _, t in sorted((float(y), t) for y, t in found if t in labels)]


def test_horizontal_bars_when_y_is_a_category_ranked_largest_first(growth):
    chart = build_chart({"mark": "bar", "y": "model:N", "x": "sum(total):Q"}, growth)
    svg = render(chart)
    assert roles(svg, "bar") == 3
    bars = re.findall(r'aria-roledescription="bar" d="M[\d.]+,[\d.]+h([\d.]+)v([\d.]+)', svg)
    assert all(float(w) > 0 and float(h) < 40 for w, h in bars)  # horizontal, one row each
    # sums: wso 312, jem 252, tfm 240
    assert bar_label_order(svg, ["jem", "wso", "tfm"]) == ["wso", "jem", "tfm"]
    assert size(svg)[1] == 28 * 3 + 40


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("x", ["tfm", "jem", "wso"]),
        ("-x", ["wso", "jem", "tfm"]),
        (["jem", "tfm", "wso"], ["jem", "tfm", "wso"]),
    ],
)
def test_bar_sort(growth, sort, expected):
    svg = render(
        build_chart({"mark": "bar", "y": "model:N", "x": "sum(total):Q", "sort": sort}, growth)
    )
    assert bar_label_order(svg, ["jem", "wso", "tfm"]) == expected


def test_bars_with_colour_stack(growth):
    chart = build_chart({"mark": "bar", "x": "month:T", "y": "total:Q", "color": "model:N"}, growth)
    spec = chart.to_dict()
    assert spec["encoding"]["y"]["stack"] == "zero"
    assert "xOffset" not in spec["encoding"]
    svg = render(chart)
    assert roles(svg, "bar") == 12
    assert roles(svg, "legend") == 1


@pytest.mark.parametrize("opts", [{"group": True}, {"stack": False}])
def test_grouped_bars_sit_side_by_side(growth, opts):
    chart = build_chart(
        {"mark": "bar", "x": "month:T", "y": "total:Q", "color": "model:N", **opts}, growth
    )
    spec = chart.to_dict()
    assert spec["encoding"]["xOffset"]["field"] == "model"
    svg = render(chart)
    lefts = re.findall(r'aria-roledescription="bar" d="M([\d.]+),', svg)
    assert len(lefts) == 12 and len(set(lefts)) == 12  # no two bars share an x position


def test_grouped_horizontal_bars_use_y_offset(growth):
    spec = build_chart(
        {"mark": "bar", "y": "model:N", "x": "total:Q", "color": "month:O", "group": True}, growth
    ).to_dict()
    assert spec["encoding"]["yOffset"]["field"] == "month"


def test_point_chart_and_tooltips(growth):
    chart = build_chart(
        {
            "mark": "point",
            "x": "total:Q",
            "y": "total:Q",
            "color": "model:N",
            "tooltip": ["month:T", {"field": "total", "title": "Agreements"}],
        },
        growth,
    )
    spec = chart.to_dict()
    tips = spec["encoding"]["tooltip"]
    assert [t["field"] for t in tips] == ["month", "total"]
    assert tips[0]["timeUnit"] == "utcyearmonthdate"  # dates in UTC in every browser
    assert tips[1]["title"] == "Agreements"
    assert roles(render(chart), "point") == 12


def test_fold_turns_wide_columns_into_series():
    wide = pd.DataFrame({"month": months(3), "jem": [1, 2, 3], "tfm": [0, 5, 9]})
    chart = build_chart(
        {
            "mark": "line",
            "x": "month:T",
            "y": "agreements:Q",
            "color": "model:N",
            "fold": ["jem", "tfm"],
            "fold_as": ["model", "agreements"],
        },
        wide,
    )
    svg = render(chart)
    assert roles(svg, "line mark") == 2
    assert "Agreements" in texts(svg)
    assert len(rows_of(chart)) == 6


def test_facet_small_multiples(growth):
    chart = build_chart(
        {"mark": "line", "x": "month:T", "y": "total:Q", "facet": "model:N", "columns": 2}, growth
    )
    spec = chart.to_dict()
    assert spec["columns"] == 2 and spec["facet"]["field"] == "model"
    svg = render(chart)
    assert roles(svg, "line mark") == 3
    assert {"jem", "wso", "tfm"} <= set(texts(svg))


def test_rule_annotation_is_drawn_once_with_its_label(growth):
    big = pd.concat([growth] * 50)  # many rows: the rule must not be drawn per row
    chart = build_chart(
        {
            "mark": "line",
            "x": "month:T",
            "y": "sum(total):Q",
            "annotations": [{"rule": "2025-01-20", "label": "Executive order"}],
        },
        big,
    )
    svg = render(chart)
    assert texts(svg).count("Executive order") == 1
    rule_colour = TOKENS["colors"]["rule"][0]
    rules = re.findall(rf'<line[^>]*stroke="{rule_colour}"[^>]*stroke-dasharray', svg)
    assert len(rules) == 1


def test_rule_annotation_in_every_facet(growth):
    svg = render(
        build_chart(
            {
                "mark": "line",
                "x": "month:T",
                "y": "total:Q",
                "facet": "model:N",
                "annotations": [{"rule": "2025-02-15", "label": "EO"}],
            },
            growth,
        )
    )
    assert texts(svg).count("EO") == 3


def test_point_and_horizontal_rule_annotations(growth):
    svg = render(
        build_chart(
            {
                "mark": "line",
                "x": "month:T",
                "y": "total:Q",
                "color": "model:N",
                "annotations": [
                    {"point": {"x": "2025-04-01", "y": 120}, "label": "Peak"},
                    {"rule": {"y": 100}, "label": "Target"},
                ],
            },
            growth,
        )
    )
    assert "Peak" in texts(svg) and "Target" in texts(svg)


def test_width_and_height(growth):
    svg = render(
        build_chart(
            {"mark": "line", "x": "month:T", "y": "total:Q", "color": "model:N", "height": 200},
            growth,
            width=340,
        )
    )
    assert size(svg) == (340, 200)


def test_titles_formats_and_axis_from_mapping(growth):
    chart = build_chart(
        {
            "mark": "bar",
            "x": "month:T",
            "y": {
                "field": "total",
                "type": "Q",
                "title": "Agreements",
                "format": ",.0f",
                "axis": {"tickCount": 3},
            },
        },
        growth,
    )
    y = chart.to_dict()["encoding"]["y"]
    assert y["title"] == "Agreements" and y["axis"] == {"tickCount": 3, "format": ",.0f"}
    assert "Agreements" in texts(render(chart))


def test_chart_draws_no_title_in_the_svg(growth):
    spec = build_chart({"mark": "line", "x": "month:T", "y": "total:Q"}, growth).to_dict()
    assert "title" not in spec


# --------------------------------------------------------------------- data handling


def test_aggregate_in_pandas_embeds_one_row_per_group(growth):
    chart = build_chart({"mark": "bar", "x": "model:N", "y": "sum(total):Q"}, growth)
    rows = rows_of(chart)
    assert rows == [
        {"model": "jem", "total": 252},
        {"model": "tfm", "total": 240},
        {"model": "wso", "total": 312},
    ]
    assert "aggregate" not in json.dumps(chart.to_dict()["encoding"])


@pytest.mark.parametrize(
    ("y", "field", "values"),
    [
        ("mean(total):Q", "total", [63, 60, 78]),
        ("max(total):Q", "total", [66, 120, 81]),
        ("count():Q", "count", [4, 4, 4]),
        ("distinct(month):Q", "month", [4, 4, 4]),
    ],
)
def test_other_aggregates(growth, y, field, values):
    rows = rows_of(build_chart({"mark": "bar", "x": "model:N", "y": y}, growth))
    assert [r[field] for r in rows] == values


def test_a_million_rows_aggregate_to_a_small_spec(capsys):
    n = 1_000_000
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime("2025-01-01")
            + pd.to_timedelta(rng.integers(0, 12, n) * 31, unit="D"),
            "state": rng.choice(["TX", "FL", "GA", "TN", "NC"], n),
            "total": rng.integers(0, 10, n),
        }
    )
    tracemalloc.start()
    start = time.perf_counter()
    chart = build_chart(
        {"mark": "line", "x": "month:T", "y": "sum(total):Q", "color": "state:N"}, frame
    )
    spec = chart.to_dict()
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rows = rows_of(chart)
    assert len(rows) == 12 * 5
    assert sum(r["total"] for r in rows) == int(frame["total"].sum())
    assert len(json.dumps(spec)) < 50_000
    with capsys.disabled():
        print(
            f"\n1,000,000-row aggregate: build + to_dict {elapsed:.2f} s, "
            f"peak traced memory {peak / 1e6:.0f} MB"
        )


def test_spec_embeds_only_the_columns_it_uses(growth):
    frame = growth.assign(notes="x", secret=1)
    rows = rows_of(
        build_chart({"mark": "line", "x": "month:T", "y": "total:Q", "color": "model:N"}, frame)
    )
    assert set(rows[0]) == {"month", "model", "total"}


def test_dates_are_iso_text_on_utc_scales(growth):
    chart = build_chart({"mark": "line", "x": "month:T", "y": "total:Q"}, growth)
    assert rows_of(chart)[0]["month"] == "2025-01-01"
    assert chart.to_dict()["encoding"]["x"]["scale"] == {"type": "utc"}


def test_years_as_whole_numbers_work_on_a_time_axis():
    frame = pd.DataFrame({"year": [2021, 2022, 2023], "n": [1, 2, 3]})
    chart = build_chart({"mark": "line", "x": "year:T", "y": "n:Q"}, frame)
    assert rows_of(chart)[0]["year"] == "2021-01-01"
    assert {"2021", "2022", "2023"} <= set(texts(render(chart)))


def test_types_are_inferred_when_the_shorthand_has_none(growth):
    chart = build_chart({"mark": "line", "x": "month", "y": "total", "color": "model"}, growth)
    enc = chart.to_dict()["layer"][0]["encoding"]
    assert (enc["x"]["type"], enc["y"]["type"], enc["color"]["type"]) == (
        "temporal",
        "quantitative",
        "nominal",
    )


def test_numeric_text_is_accepted_on_a_quantitative_axis(growth):
    frame = growth.assign(total=growth["total"].astype(str))
    rows = rows_of(build_chart({"mark": "bar", "x": "model:N", "y": "sum(total):Q"}, frame))
    assert rows[0]["total"] == 252


def test_column_names_with_dots_are_escaped():
    frame = pd.DataFrame({"date": months(3), "rate.pct": [1.5, 2.0, 2.5]})
    chart = build_chart({"mark": "line", "x": "date:T", "y": "rate.pct:Q"}, frame)
    assert chart.to_dict()["encoding"]["y"]["field"] == "rate\\.pct"
    assert roles(render(chart), "line mark") == 1


def test_builds_are_deterministic(growth):
    opts = {
        "mark": "line",
        "x": "month:T",
        "y": "total:Q",
        "color": "model:N",
        "annotations": [{"rule": "2025-02-01", "label": "EO"}],
    }
    a, b = build_chart(opts, growth), build_chart(dict(opts), growth.copy())
    assert json.dumps(a.to_dict(), sort_keys=True) == json.dumps(b.to_dict(), sort_keys=True)
    assert render(a) == render(b)


def test_options_validated_twice_give_the_same_chart(growth):
    raw = {"mark": "bar", "x": "model:N", "y": "sum(total):Q", "sort": "-y"}
    validated = options.validate(raw, CHART_OPTIONS)
    assert build_chart(validated, growth).to_dict() == build_chart(raw, growth).to_dict()


@pytest.mark.parametrize(
    "opts",
    [
        {
            "mark": "area",
            "x": "month:T",
            "y": "total:Q",
            "color": "model:N",
            "annotations": [{"rule": "2025-02-01", "label": "EO"}],
        },
        {"mark": "bar", "x": "model:N", "y": "sum(total):Q", "facet": "month:T"},
        {"mark": "map", "state": "state", "color": "agreements:Q"},
        {"mark": "map", "state": "state", "color": "stance:N"},
    ],
    ids=["area", "facets", "map", "map-categories"],
)
def test_specs_built_without_altairs_checks_are_the_schema_valid_ones(opts, growth, states):
    """Mark.spec skips Altair's schema checks (to_dict's and its debug mode's) for speed: the
    specs, phone legends included, are those Altair builds and validates with its checks on."""
    frame = states if opts["mark"] == "map" else growth
    chart = prepared(opts, frame)
    for width in (640, 340):
        assert chart.spec(width) == chart.draw(width).to_dict(validate=True)
    legend = chart.mark.phone_legend(chart, 340)
    if legend is not None:
        assert chart.legend_spec(340) == legend.to_dict(validate=True)


# ------------------------------------------------------------------------------- maps


def test_map_quantitative_choropleth(states):
    chart = build_chart({"mark": "map", "state": "state", "color": "agreements:Q"}, states)
    spec = chart.to_dict()
    # Pre-projected Albers USA shapes, fitted to the chart without projecting them again.
    assert spec["projection"] == {"type": "identity", "reflectY": False}
    svg = render(chart)
    assert roles(svg, "geoshape") == 51  # 50 states and DC
    fills = re.findall(r'aria-roledescription="geoshape"[^>]*fill="(#[0-9a-f]+)"', svg)
    assert fills.count(TOKENS["colors"]["no_data"][0]) == 48  # no row: grey
    # Whole-number counts get the county map's classes (each starts at the next quartile):
    # 63 | 64-347 | 348-386 | 387, in the four darker shades; "None" first, in the grey.
    shades = TOKENS["sequential"]["light"]
    assert [fills.count(c) for c in shades[1:]] == [1, 0, 1, 1]  # Tennessee, Florida, Texas
    legend = re.findall(r">([^<>]+)</text>", svg[svg.index("role-legend") :])
    assert legend[:5] == ["None", "63", "64\u2013347", "348\u2013386", "387"]
    assert prepared({"mark": "map", "state": "state", "color": "agreements:Q"}, states).notes == (
        "Not shown on the map: Commonwealth of the Northern Mariana Islands, Guam.",
    )


def test_map_nominal_colour_has_a_clean_legend(states):
    chart = build_chart(
        {
            "mark": "map",
            "state": "state",
            "color": {"field": "stance", "sort": ["mandate", "neither"]},
        },
        states,
    )
    svg = render(chart)
    assert roles(svg, "legend") == 1
    assert "null" not in texts(svg)
    assert {"mandate", "neither"} <= set(texts(svg))
    fills = re.findall(r'aria-roledescription="geoshape"[^>]*fill="(#[0-9a-f]+)"', svg)
    assert fills.count(TOKENS["categorical"][0]) == 2  # mandate: Texas, Florida


@pytest.mark.parametrize("column", [["TX", "fl"], [48, 12], ["48", "12"], ["Texas", "Florida"]])
def test_map_accepts_names_postal_codes_and_fips(column):
    frame = pd.DataFrame({"st": column, "n": [1, 2]})
    chart = build_chart({"mark": "map", "state": "st", "color": "n:Q"}, frame)
    assert [r["st"] for r in rows_of(chart)] == ["Florida", "Texas"]
    assert prepared({"mark": "map", "state": "st", "color": "n:Q"}, frame).notes == ()


def test_map_without_colour_shows_which_states_have_rows(states):
    svg = render(build_chart({"mark": "map", "state": "state"}, states))
    fills = re.findall(r'aria-roledescription="geoshape"[^>]*fill="(#[0-9a-f]+)"', svg)
    assert fills.count(TOKENS["categorical"][0]) == 3


def test_charts_have_empty_notes_except_maps_with_territories(growth):
    assert prepared({"mark": "line", "x": "month:T", "y": "total:Q"}, growth).notes == ()


# ------------------------------------------------------------------- python escape hatch


BESPOKE = """
import altair as alt

def waffle(frame):
    return alt.Chart(frame).mark_square().encode(x="model:N", y="total:Q")

def not_a_chart(frame):
    return {"mark": "bar"}

def broken(frame):
    return frame["nope"]
"""


@pytest.fixture
def functions_dir(tmp_path):
    (tmp_path / "bespoke.py").write_text(BESPOKE, encoding="utf-8")
    (tmp_path / "bad_import.py").write_text("import does_not_exist\n", encoding="utf-8")
    return tmp_path


def test_python_function_chart_gets_the_theme_and_width(growth, functions_dir):
    chart = build_chart(
        {"mark": "python", "function": "bespoke:waffle", "height": 200},
        growth,
        functions_dir=functions_dir,
        width=500,
    )
    spec = chart.to_dict()
    assert spec["config"]["range"]["category"] == TOKENS["categorical"]
    svg = render(chart)
    assert size(svg) == (500, 200)
    assert roles(svg, "square") == 12


@pytest.mark.parametrize(
    ("function", "match"),
    [
        ("bespoke:wafle", r"bespoke has no function 'wafle'; did you mean 'waffle'\?"),
        (
            "bespok:waffle",
            r"no module 'bespok' in .*; did you mean 'bespoke'\?; modules: "
            r"bad_import, bespoke",
        ),
        ("bespoke:not_a_chart", r"returned dict, not an Altair chart"),
        ("bespoke:broken", r"bespoke:broken raised KeyError: 'nope'"),
        ("bad_import:x", r"importing bad_import.py failed: ModuleNotFoundError"),
    ],
)
def test_python_function_errors(growth, functions_dir, function, match):
    with pytest.raises(DirectiveError, match=match) as err:
        build_chart({"mark": "python", "function": function}, growth, functions_dir=functions_dir)
    assert err.value.key == "function"


@pytest.mark.parametrize(
    ("function", "match"),
    [
        ("../evil:waffle", r"'\.\./evil:waffle' names a path, not a module inside the functions"),
        ("/tmp/evil:waffle", r"'/tmp/evil:waffle' names a path, not a module inside the"),
        ("charts/../../evil:waffle", r"names a path, not a module inside the functions folder"),
        ("evil..up:waffle", r"'evil\.\.up' is not a module name inside the functions folder"),
        ("escape:waffle", r"'escape' resolves to .*outside.*; keep chart functions inside"),
        ("linked.inside:waffle", r"'linked\.inside' resolves to .*outside the functions folder"),
    ],
)
def test_python_function_must_stay_inside_its_folder(growth, tmp_path, function, match):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.py").write_text(BESPOKE, encoding="utf-8")
    (outside / "inside.py").write_text(BESPOKE, encoding="utf-8")
    folder = tmp_path / "functions"
    folder.mkdir()
    (folder / "bespoke.py").write_text(BESPOKE, encoding="utf-8")
    (folder / "escape.py").symlink_to(outside / "evil.py")  # a link that leaves the folder
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(DirectiveError, match=match) as err:
        build_chart({"mark": "python", "function": function}, growth, functions_dir=folder)
    assert err.value.key == "function"
    # A module inside the folder (also in a sub-package) is found.
    (folder / "sub").mkdir()
    (folder / "sub" / "more.py").write_text(BESPOKE, encoding="utf-8")
    build_chart({"mark": "python", "function": "sub.more:waffle"}, growth, functions_dir=folder)


def test_python_needs_a_function_and_a_folder(growth, functions_dir):
    with pytest.raises(DirectiveError, match="needs function: module:function"):
        build_chart({"mark": "python"}, growth, functions_dir=functions_dir)
    with pytest.raises(DirectiveError, match=r"FUNCTIONS_DIR"):
        build_chart({"mark": "python", "function": "bespoke:waffle"}, growth)


# ------------------------------------------------------------------------ error paths

LINE = {"mark": "line", "x": "month:T", "y": "total:Q"}
TEXT_FRAME = pd.DataFrame(
    {"month": ["2025-01-01", "01/02/2025", "March"], "total": [1, 2, 3], "model": ["a", "b", "c"]}
)

ERRORS = [
    # (options, key, message pattern)
    (
        {**LINE, "y": "totl:Q"},
        "y",
        r"column 'totl' is not in the data; did you mean 'total'\?; columns: month, model, total",
    ),
    ({**LINE, "color": "modle:N"}, "color", r"did you mean 'model'\?"),
    ({**LINE, "x": "Month:T"}, "x", r"column 'Month' .*did you mean 'month'\?"),
    ({**LINE, "tooltip": ["month:T", "totals:Q"]}, "tooltip", r"'totals' .*'total'"),
    ({**LINE, "facet": "modl:N"}, "facet", r"did you mean 'model'"),
    ({**LINE, "fold": ["jem"]}, "fold", r"column 'jem' is not in the data"),
    (
        {**LINE, "y": "model:Q"},
        "y",
        r"column 'model' \(used as :Q\) has values that are not numbers: 'jem', 'wso', 'tfm'; "
        r"a text column goes on a :N",
    ),
    ({**LINE, "x": "total:T"}, "x", r"holds numbers, not dates; use :Q or :O"),
    ({**LINE, "x": "model:T"}, "x", r"not dates: 'jem', 'wso', 'tfm'; write dates as YYYY-MM-DD"),
    ({**LINE, "y": "sum(model):Q"}, "y", r"not numbers"),
    ({**LINE, "y": "sum(total):N"}, "y", r"sum\(total\) gives numbers; use :Q"),
    ({**LINE, "y": "summ(total):Q"}, "y", r"unknown aggregate 'summ'; did you mean 'sum'\?"),
    ({**LINE, "y": "total:X"}, "y", r"unknown type 'X'; use Q \(quantitative\)"),
    ({**LINE, "y": "sum(total:Q"}, "y", r"cannot read 'sum\(total:Q'"),
    ({**LINE, "y": {"field": "total", "typ": "Q"}}, "y", r"unknown key 'typ'; did you mean 'type'"),
    ({**LINE, "y": {"field": "total", "axis": {"colour": "red"}}}, "y", r"unknown axis key"),
    ({**LINE, "y": ["total"]}, "y", r"expected a shorthand like month:T"),
    ({"x": "month:T", "y": "total:Q"}, "mark", r"option 'mark' is required"),
    ({**LINE, "mark": "lines"}, "mark", r"'lines' is not allowed; did you mean 'line'\?"),
    ({"mark": "line", "y": "total:Q"}, "x", r"option 'x' is required for mark: line"),
    ({**LINE, "colour": "model:N"}, "colour", r"unknown option 'colour'; did you mean 'color'"),
    ({**LINE, "state": "model"}, "state", r"'state' does not apply to mark: line"),
    ({**LINE, "sort": "-x"}, "sort", r"'sort' does not apply to mark: line"),
    ({**LINE, "mark": "bar", "group": True}, "group", r"group needs color"),
    (
        {**LINE, "mark": "bar", "color": "model:N", "group": True, "stack": True},
        "group",
        r"cannot both be set",
    ),
    ({**LINE, "stack": "yes"}, "stack", r"'yes' is not allowed; use one of: true, false"),
    ({**LINE, "stack": True}, "stack", r"stack applies to bar and area charts"),
    ({**LINE, "height": 50}, "height", r"50 is out of range; use a number from 80 to 1200"),
    ({**LINE, "height": "tall"}, "height", r"expected a whole number"),
    ({**LINE, "columns": 2.5}, "columns", r"expected a whole number"),
    ({**LINE, "group": "yes"}, "group", r"expected true or false"),
    ({**LINE, "fold_as": ["a", "b"]}, "fold_as", r"add fold"),
    ({**LINE, "fold": ["total"], "fold_as": ["model", "v"]}, "fold_as", r"already a column"),
    ({**LINE, "fold_as": "ab"}, "fold_as", r"expected two names"),
    ({**LINE, "annotations": [{"rule": "2025-01-20"}]}, "annotations", r"needs a label"),
    (
        {**LINE, "annotations": [{"rule": "2025-01-20", "point": {"x": 1, "y": 1}, "label": "a"}]},
        "annotations",
        r"either rule or point",
    ),
    (
        {**LINE, "annotations": [{"rule": "Jan 20", "label": "EO"}]},
        "annotations",
        r"annotation 1: rule: 'Jan 20' is not a date; write YYYY-MM-DD",
    ),
    (
        {**LINE, "annotations": [{"point": {"x": "2025-01-01"}, "label": "EO"}]},
        "annotations",
        r"point takes \{x: value, y: value\}",
    ),
    (
        {**LINE, "annotations": [{"point": {"x": "2025-01-01", "y": "lots"}, "label": "EO"}]},
        "annotations",
        r"'lots' is not a number",
    ),
    (
        {**LINE, "annotations": [{"rule": "2025-01-20", "label": "EO", "colour": "red"}]},
        "annotations",
        r"unknown annotation key 'colour'",
    ),
    (
        {
            "mark": "bar",
            "x": "model:N",
            "y": "total:Q",
            "annotations": [{"rule": "jemm", "label": "x"}],
        },
        "annotations",
        r"'jemm' is not a value of 'model'; did you mean 'jem'\?",
    ),
    (
        {"mark": "bar", "y": "model:N", "x": "total:Q", "sort": ["jem", "wos"]},
        "sort",
        r"'wos' is not a value of 'model'; did you mean 'wso'\?",
    ),
    (
        {"mark": "bar", "y": "model:N", "x": "total:Q", "sort": "z"},
        "sort",
        r"use one of: -x, x, -y, y",
    ),
    ({**LINE, "function": "a:b"}, "function", r"does not apply to mark: line"),
    ({"mark": "python", "function": "not a function"}, "function", r"expected module:function"),
    ({"mark": "map", "color": "total:Q"}, "state", r"mark: map needs state: <column>"),
    ({"mark": "map", "state": "modle"}, "state", r"did you mean 'model'"),
    (
        {"mark": "map", "state": "model"},
        "state",
        r"'jem' in column 'model' is not a US state, territory, postal code or FIPS code",
    ),
    ({"mark": "map", "state": "month", "x": "month:T"}, "x", r"'x' does not apply to mark: map"),
    (
        {"mark": "map", "state": "model", "tooltip": ["sum(total):Q"]},
        "tooltip",
        r"its tooltips are plain columns",
    ),
    (
        {"mark": "bar", "x": "month:T", "y": "total:Q", "sort": "-y"},
        "sort",
        r"sort orders the bars of a category axis, but x \(month\) is :T",
    ),
]


@pytest.mark.parametrize(
    ("opts", "key", "match"), ERRORS, ids=[f"{i}-{e[1]}" for i, e in enumerate(ERRORS)]
)
def test_errors_name_the_option_and_the_fix(growth, opts, key, match):
    with pytest.raises(DirectiveError, match=match) as err:
        build_chart(opts, growth)
    assert err.value.key == key


def test_map_errors_on_typos_duplicates_and_empty_cells():
    with pytest.raises(DirectiveError, match=r"'Texsa' .*did you mean 'Texas'\?") as err:
        build_chart({"mark": "map", "state": "s"}, pd.DataFrame({"s": ["Texsa"]}))
    assert err.value.key == "state"
    with pytest.raises(
        DirectiveError,
        match=r"Texas appears in more than one row \('TX' and "
        r"'Texas'\).*filter the data",
    ):
        build_chart({"mark": "map", "state": "s"}, pd.DataFrame({"s": ["TX", "Texas"]}))
    with pytest.raises(DirectiveError, match=r"column 's' has an empty cell"):
        build_chart({"mark": "map", "state": "s"}, pd.DataFrame({"s": ["TX", None]}))


def test_bad_dates_are_listed():
    with pytest.raises(DirectiveError, match=r"not dates: '01/02/2025', 'March'"):
        build_chart(LINE, TEXT_FRAME)


def test_empty_data_and_too_many_facets(growth):
    with pytest.raises(DirectiveError, match="no rows"):
        build_chart(LINE, growth.iloc[0:0])
    many = pd.DataFrame(
        {"month": months(1) * 61, "total": range(61), "model": [f"m{i}" for i in range(61)]}
    )
    with pytest.raises(DirectiveError, match=r"facet: 'model' has 61 values \(limit 60\)"):
        build_chart({**LINE, "facet": "model:N"}, many)


# ------------------------------------------------------------------------- validators


def test_shorthand_parsing():
    parse = options.shorthand_or_mapping
    assert parse("sum(total):Q") | {} == {
        **dict.fromkeys(options.ENCODING_KEYS),
        "field": "total",
        "aggregate": "sum",
        "type": "Q",
        "title_set": False,
    }
    assert parse("count()")["aggregate"] == "count" and parse("count()")["field"] is None
    assert parse("month:temporal")["type"] == "T"
    assert parse("average(total)")["aggregate"] == "mean"
    assert parse({"field": "rate (%)", "type": "Q"})["field"] == "rate (%)"
    assert parse(parse({"field": "x", "title": None}))["title_set"] is True  # idempotent


def test_small_validators():
    assert options.one_of(True, False, "normalize")(False) is False
    with pytest.raises(DirectiveError):
        options.one_of(True, False)("true")
    assert options.list_of(options.string)("a") == ["a"]
    with pytest.raises(DirectiveError, match="item 2: expected text"):
        options.list_of(options.string)(["a", 3])
    assert options.int_between(1, 3)(2) == 2
    with pytest.raises(DirectiveError):
        options.int_between(1, 3)(True)
    assert options.module_function(" m.sub:f ") == "m.sub:f"


def test_validate_options_fills_defaults_and_sets_keys():
    out = options.validate({"mark": "bar"}, CHART_OPTIONS)
    assert out["group"] is False and out["height"] is None and set(out) == set(CHART_OPTIONS)
    with pytest.raises(DirectiveError) as err:
        options.validate({"mark": "bar", "height": 2}, CHART_OPTIONS)
    assert err.value.key == "height" and str(err.value).startswith("height: ")


def test_importing_the_plugin_changes_no_global_setting():
    # A fresh interpreter: Altair's settings before and after importing every plugin module.
    import subprocess
    import sys

    code = (
        "import altair as alt, json\n"
        "before = json.dumps([alt.data_transformers.active, alt.data_transformers.options,"
        " alt.themes.active], default=str)\n"
        "import pelican.plugins.datadirectives.charts, pelican.plugins.datadirectives.renderer\n"
        "import pelican.plugins.datadirectives.plugin, pelican.plugins.datadirectives.prerender\n"
        "after = json.dumps([alt.data_transformers.active, alt.data_transformers.options,"
        " alt.themes.active], default=str)\n"
        "assert before == after, (before, after)\n"
        "print(before)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_python_chart_may_carry_any_number_of_rows(tmp_path):
    # Altair refuses more than 5,000 DataFrame rows by default; a python chart's are inlined
    # (the directive caps rows itself), and Altair's own setting is left as it was.
    (tmp_path / "many.py").write_text(
        "import altair as alt\n"
        "def dots(frame):\n"
        "    return alt.Chart(frame).mark_point().encode(x='a:Q', y='b:Q')\n",
        encoding="utf-8",
    )
    frame = pd.DataFrame({"a": range(6000), "b": range(6000)})
    before = dict(alt.data_transformers.options)
    chart = prepared({"mark": "python", "function": "many:dots"}, frame, functions_dir=tmp_path)
    assert len(chart.rows) == 6000
    assert len(rows_of_spec(chart.spec(640))) == 6000
    assert dict(alt.data_transformers.options) == before


@pytest.mark.parametrize(
    "options",
    [
        {**LINE_COLOURED, "annotations": [{"rule": "2025-02-01", "label": "A long label"}]},
        {"mark": "bar", "x": "model:N", "y": "sum(total):Q", "labels": {"jem": "Jail model"}},
        {"mark": "area", "x": "month:T", "y": "total:Q", "color": "model:N", "stack": True},
        {**LINE_COLOURED, "facet": "model:N"},
    ],
    ids=["line-annotated", "bar-relabelled", "area-stacked", "facets"],
)
def test_a_prepared_chart_draws_the_same_at_any_width_any_number_of_times(growth, options):
    # The phone drawing reuses the prepared chart: drawing must not change it.
    chart = prepared(options, growth)
    wide, narrow, wide_again = chart.spec(640), chart.spec(340), chart.spec(640)
    assert wide == wide_again and wide != narrow
    assert wide == build_chart(options, growth, width=640).to_dict(validate=False)
    assert narrow == build_chart(options, growth, width=340).to_dict(validate=False)


def test_annotation_labels_flip_or_wrap_to_stay_inside_the_plot():
    from pelican.plugins.datadirectives.charts.labels import place_label as _place_label

    assert _place_label("Order", 0.1, 600, 5) == ("left", "Order")  # text right of the rule
    assert _place_label("Order", 0.9, 600, 5) == ("right", "Order")  # text left of the rule
    # Near the right edge of a narrow plot with no room on the left either: wrapped.
    align, text = _place_label("Executive order, Jan. 20, 2025", 0.7, 150, 5)
    assert (
        align == "right"
        and isinstance(text, list)
        and " ".join(text) == ("Executive order, Jan. 20, 2025")
    )


def test_long_annotation_label_wraps_in_a_narrow_chart(growth):
    label = "Executive order on immigration enforcement, Jan. 20, 2025"
    narrow = build_chart(
        {**LINE, "annotations": [{"rule": "2025-03-20", "label": label}]}, growth, width=340
    )
    texts_in_spec = [
        layer["encoding"]["text"]["value"]
        for layer in narrow.to_dict()["layer"]
        if "text" in layer.get("encoding", {})
    ]
    assert isinstance(texts_in_spec[0], list) and len(texts_in_spec[0]) > 1
    svg = render(narrow)
    assert all(word in svg for word in label.split())
    wide = build_chart({**LINE, "annotations": [{"rule": "2025-01-20", "label": "EO"}]}, growth)
    assert "EO" in texts(render(wide))


def test_map_state_column_may_also_be_a_tooltip():
    frame = pd.DataFrame({"st": ["TX", "GU"], "n": [3, 1]}, index=[7, 7])  # duplicate labels
    chart = build_chart({"mark": "map", "state": "st", "tooltip": ["st:N", "n:Q"]}, frame)
    assert rows_of(chart) == [{"st": "Texas", "n": 3}]
    chart = prepared({"mark": "map", "state": "st", "tooltip": ["st:N", "n:Q"]}, frame)
    assert chart.rows == [{"st": "Texas", "n": 3}]
    assert chart.notes == ("Not shown on the map: Guam.",)


def test_label_layers_never_look_like_the_chart_rows():
    # One point per series: the label layer has as many rows as the data; the data table
    # (built from the records the spec embeds) must still get the chart's own rows.
    frame = pd.DataFrame({"month": months(1) * 3, "s": ["a", "b", "c"], "v": [1, 2, 3]})
    chart = build_chart({"mark": "line", "x": "month:T", "y": "v:Q", "color": "s:N"}, frame)
    assert rows_of(chart) == [
        {"month": "2025-01-01", "s": s, "v": v} for s, v in (("a", 1), ("b", 2), ("c", 3))
    ]
    assert {"a", "b", "c"} <= set(texts(render(chart)))


def test_long_legends_wrap_in_narrow_charts():
    names = ["jail_enforcement", "task_force", "warrant_service_officer"]
    frame = pd.DataFrame({"state": ["TX"] * 3 + ["FL"] * 3, "model": names * 2, "n": range(6)})
    opts = {"mark": "bar", "y": "state:N", "x": "n:Q", "color": "model:N"}
    narrow = build_chart(opts, frame, width=340)
    assert narrow.to_dict()["encoding"]["color"]["legend"]["columns"] == 1
    svg = render(narrow)
    assert size(svg)[0] == 340 and set(names) <= set(texts(svg))
    wide = build_chart(opts, frame, width=640).to_dict()
    wide_columns = wide["encoding"]["color"].get("legend", {}).get("columns", len(names))
    assert wide_columns > 1  # more room, more legend entries per row


def test_long_direct_labels_become_a_legend_on_narrow_drawings():
    frame = pd.DataFrame(
        {
            "month": ["2025-01", "2025-02"] * 2,
            "model": ["Warrant service officer"] * 2 + ["Task force"] * 2,
            "n": [1, 2, 3, 4],
        }
    )
    opts = {"mark": "line", "x": "month:T", "y": "n:Q", "color": "model:N"}
    wide = build_chart(opts, frame, width=640).to_dict()
    narrow = build_chart(opts, frame, width=340).to_dict()
    assert "layer" in wide  # the lines plus their end labels, no legend
    assert "layer" not in narrow or all(
        layer.get("mark", {}).get("type") != "text" for layer in narrow["layer"]
    )
    assert "Warrant service officer" in texts(render(build_chart(opts, frame, width=340)))
