"""Maps: `mark: map`, a US choropleth (Albers USA) of states (geo/states-albers-10m.json) or,
with `county:`, of counties (geo/counties-albers-10m.json). The shapes come projected by
us-atlas, so Vega draws them through the `identity` projection fitted to the chart: a quarter
of the CPU of projecting them with `albersUsa` at every drawing, for the same picture.

The `state` column may hold names, postal codes or FIPS codes (us_states.py); a state may have
one row. Rows for places the projection cannot draw (Guam, Puerto Rico...) are listed in the
chart's notes for the figure's footer; states without a row are painted "no data".

A county map is keyed on 5-digit county FIPS codes, one row per county. Only the counties with
a row are drawn as shapes (about 900 on ICE's list), over the states painted "no data": the
static SVG stays a third of the size of one with all 3,200 counties. Rows without a code (an
agency ICE lists with no county) are counted in the notes, by `state` when given. Whole-number
counts are shaded in whole-number classes (county_classes), with a "None" legend entry for the
grey counties.

A static map can be explored in the browser (docs/directives.md, "Exploring a map"): `regions`
writes, per map, the name and values of each region in the order the SVG draws their paths,
and the lazily loaded map explorer (js/src/map-explorer.js) puts them on hover, tap and focus.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from .. import us_states
from ..chart_theme import TOKENS
from ..errors import DirectiveError
from ..formats import format_value
from ..options import did_you_mean, string
from .encodings import (
    Enc,
    color_channel,
    require_column,
    resolve,
    tooltip_channel,
    vl_field,
)
from .labels import CHAR_WIDTH, finish, legend_columns
from .marks import SHARED_OPTIONS, InlineRows, Mark, PreparedChart
from .prepare import prepare_data, shaped, to_records

GEO_FILE = Path(__file__).parent.parent / "geo" / "states-albers-10m.json"
COUNTY_FILE = Path(__file__).parent.parent / "geo" / "counties-albers-10m.json"
# Counties of the territories: real codes the projected shapes do not have (geo/README.md).
TERRITORY_FILE = Path(__file__).parent.parent / "geo" / "territory-counties.json"
# The shapes are in screen units already (y down): fit them to the chart, do not flip them.
PROJECTION = {"type": "identity", "reflectY": False}


# The shape files ship with the plugin and do not change while a build runs: each is read
# and parsed once per process (a county map's prepare spent ~190 ms of CPU parsing the
# 0.9 MB county file twice; a 100-chart build has a county map in about every twelfth chart).
@functools.cache
def topology(path: Path = GEO_FILE) -> str:
    """The state shapes as compact JSON text (read once per map: in `prepare`, not per width).

    Inlined as a string (Vega-Lite parses it with the topojson format), not as a dict:
    Altair copies and walks every nested list of a dict on each method call, which costs
    about a second per map for this file; a string costs nothing.
    """
    return json.dumps(json.loads(path.read_text(encoding="utf-8")), separators=(",", ":"))


@functools.lru_cache(maxsize=4)
def parsed(shapes: str) -> dict:
    """A topology's JSON text parsed, once per process (the map explorer's regions read it
    for every map drawn: ~100 ms for the county file). Read it, never change it."""
    return json.loads(shapes)


@functools.cache
def county_ids() -> frozenset[str]:
    """The county FIPS codes of the Census's 2017 counties (5 digits, as text): those the
    county shapes draw and those of the territories, which no shape draws."""
    topo = parsed(topology(COUNTY_FILE))
    drawn = {g["id"] for g in topo["objects"]["counties"]["geometries"]}
    return frozenset(drawn | set(json.loads(TERRITORY_FILE.read_text(encoding="utf-8"))))


def county_code(raw: Any) -> str | None:
    """A county FIPS code as 5-digit text (a CSV read as numbers loses the leading 0)."""
    if raw is None or (not isinstance(raw, str) and pd.isna(raw)):
        return None
    text = str(raw).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text:
        return None
    if not text.isdigit() or len(text) > 5:
        return "?" + text
    return text.zfill(5)


MAP_OPTIONS = {
    "state": (None, string),
    "county": (None, string),
    "county_name": (None, string),
    # What a region without a row means, in the author's words ("No agreements on ICE's
    # list"): the plugin cannot know whether a missing row is a zero, so it says only
    # "No row in the data" unless told.
    "missing": (None, string),
    "color": SHARED_OPTIONS["color"],
    "tooltip": SHARED_OPTIONS["tooltip"],
    "height": SHARED_OPTIONS["height"],
    "labels": SHARED_OPTIONS["labels"],
}


@dataclass(frozen=True)
class MapState:
    """A map prepared once: one row per drawable state, its colour and tooltips."""

    opts: dict
    state: str  # the column of state names (the map's own names after prepare)
    color: Enc | None
    tips: list[Enc]
    fields: list[str]  # the columns besides `state` that the shapes look up
    domain: list[str] | None  # a category colour's values, in legend order
    shapes: str  # the topology, as JSON text
    county: str | None = None  # a county map's column of 5-digit FIPS codes
    classes: tuple[tuple[int, int], ...] = ()  # a county map's whole-number classes (lo, hi)


# The states with independent cities (Maryland, Missouri, Nevada, Virginia): their county
# codes 500 and up are cities (Texas's codes also pass 500: Zavala County is 48507).
INDEPENDENT_CITY_STATES = {"24", "29", "32", "51"}


def legend_rows(chart: PreparedChart) -> list[dict]:
    """The fewest rows that give the phone legend the map's colour domain: each is drawn as
    an invisible mark (912 of them were ~90 KB of <path opacity="0"/> on the county map)."""
    s: MapState = chart.state
    field = s.color.field
    if s.classes:  # the classes' labels are an explicit domain: one row shows them all
        return classed_rows(chart)[:1]
    if s.domain:
        return chart.rows[:1]
    valued = [r for r in chart.rows if r.get(field) is not None]
    if s.color.type == "Q":  # a quantize scale: its domain is the values' min and max
        if not valued:
            return chart.rows[:1]
        low = min(valued, key=lambda r: r[field])
        high = max(valued, key=lambda r: r[field])
        return [low] if low is high else [low, high]
    seen: dict = {}  # categories: one row per value
    for r in chart.rows:
        seen.setdefault(r.get(field), r)
    return list(seen.values())


def shape_name(g: dict) -> str:
    """A county shape's own name; an independent city (Baltimore, St. Louis, Virginia's
    cities: see INDEPENDENT_CITY_STATES) is "<name> city", as the Census names it, so it is not
    mistaken for the county of the same name."""
    name = g["properties"]["name"]
    independent = g["id"][:2] in INDEPENDENT_CITY_STATES and int(g["id"][2:]) >= 500
    if independent and not name.lower().endswith("city"):
        return f"{name} city"
    return name


class MapMark(Mark):
    """`mark: map`: a US choropleth; one drawing (it scales well), static unless asked."""

    name = "map"
    options = MAP_OPTIONS
    phone_drawing = False
    # Maps stay static unless asked: their shapes would add ~40 KB (gzip) to the page, and
    # the data table beside the map already gives every state's value.
    interactive = False
    whole_pixels = True

    def prepare(self, opts: dict, frame: pd.DataFrame, functions_dir: Path | None) -> PreparedChart:
        frame = shaped(opts, frame)
        if opts["county"]:
            return self.prepare_counties(opts, frame)
        if opts["county_name"]:
            raise DirectiveError(
                "county_name names the county column of a county map; add county: <column of "
                "county FIPS codes>, or remove county_name",
                key="county_name",
            )
        if not opts["state"]:
            raise DirectiveError(
                "mark: map needs state: <column> holding state names, postal codes or FIPS codes",
                key="state",
            )
        state = opts["state"]
        require_column(state, frame, "state")
        converted: dict[str, pd.Series] = {}
        color = resolve("color", opts["color"], frame, converted) if opts["color"] else None
        if color is not None and color.aggregate:
            raise DirectiveError(
                "color: a map takes one row per state; aggregate the CSV first or use a plain "
                "column",
                key="color",
            )
        tips = [
            resolve("tooltip", t, frame, converted, f"tooltip item {i}")
            for i, t in enumerate(opts["tooltip"] or [], start=1)
        ]
        if any(t.aggregate for t in tips):
            raise DirectiveError(
                "tooltip: a map takes one row per state, so its tooltips are plain columns "
                "(e.g. total:Q, not sum(total):Q)",
                key="tooltip",
            )
        matched, not_shown, seen = [], [], {}
        for position, raw in enumerate(frame[state].tolist()):
            hit = us_states.lookup(raw)
            if hit is None:
                if pd.isna(raw) or str(raw).strip() == "":
                    raise DirectiveError(
                        f"state: column {state!r} has an empty cell; fill it or filter that "
                        "row out",
                        key="state",
                    )
                hint = did_you_mean(str(raw).title(), us_states.names())
                raise DirectiveError(
                    f"state: {raw!r} in column {state!r} is not a US state, "
                    f"territory, postal code or FIPS code{hint}",
                    key="state",
                )
            fips, name = hit
            if fips in seen:
                raise DirectiveError(
                    f"state: {name} appears in more than one row ({seen[fips]!r} and {raw!r}); "
                    "a map takes one row per state, so filter the data (e.g. to one date)",
                    key="state",
                )
            seen[fips] = raw
            if fips in us_states.DRAWABLE:
                matched.append((position, name))
            else:
                not_shown.append(name)
        encs = [e for e in [color, *tips] if e]
        data = prepare_data(frame, encs, converted)
        if state not in data.columns:
            data.insert(0, state, frame[state].to_numpy())
        data = data.iloc[[p for p, _ in matched]].copy()
        data[state] = [name for _, name in matched]  # the map's own names, for the table too
        data = data.loc[:, ~data.columns.duplicated()].sort_values(state, kind="mergesort")
        domain = None
        if color is not None and color.type in "NO":
            if isinstance(color.sort, list):
                domain = [str(v) for v in color.sort]
            else:
                domain = sorted({str(v) for v in data[color.field].dropna()})
        # Whole-number counts: the county map's classes and "None" legend entry (the legend
        # then reads 1-10, 11-40, ..., not quantize breaks such as 78 or 155).
        classes: tuple = ()
        if color is not None and color.type == "Q":
            classes = county_classes(data[color.field].dropna().tolist())
        notes = []
        if not_shown:
            notes.append("Not shown on the map: " + ", ".join(sorted(set(not_shown))) + ".")
        state_ = MapState(
            opts=opts,
            state=state,
            color=color,
            tips=tips,
            fields=[c for c in data.columns if c != state] + ([CLASS_FIELD] if classes else []),
            domain=[NONE, *(class_label(c) for c in classes)] if classes else domain,
            classes=classes,
            shapes=topology(),
        )
        return PreparedChart(self, opts, to_records(data), tuple(notes), state_)

    def prepare_counties(self, opts: dict, frame: pd.DataFrame) -> PreparedChart:
        """A county map: one row per county FIPS code; rows without a code go to the notes."""
        county = opts["county"]
        require_column(county, frame, "county")
        if opts["county_name"]:
            require_column(opts["county_name"], frame, "county_name")
        if opts["state"]:
            require_column(opts["state"], frame, "state")
        converted: dict[str, pd.Series] = {}
        color = resolve("color", opts["color"], frame, converted) if opts["color"] else None
        tips = [
            resolve("tooltip", t, frame, converted, f"tooltip item {i}")
            for i, t in enumerate(opts["tooltip"] or [], start=1)
        ]
        if any(e.aggregate for e in [color, *tips] if e):
            raise DirectiveError(
                "a county map takes one row per county, so color and tooltip are plain columns "
                "(e.g. agreements:Q, not sum(agreements):Q)",
                key="color" if color is not None and color.aggregate else "tooltip",
            )
        known = county_ids()
        placed, unplaced, seen = [], [], {}
        for position, raw in enumerate(frame[county].tolist()):
            code = county_code(raw)
            if code is None:
                unplaced.append(position)
                continue
            if code.startswith("?") or code not in known:
                raise DirectiveError(
                    f"county: {raw!r} in column {county!r} is not a county FIPS code of the "
                    "Census's 2017 counties (5 digits: state code + county code, e.g. 01001); "
                    "leave the cell empty for a row that has no county",
                    key="county",
                )
            if code in seen:
                raise DirectiveError(
                    f"county: {code} appears in more than one row; a county map takes one row "
                    "per county, so aggregate or filter the data first",
                    key="county",
                )
            seen[code] = position
            if int(code[:2]) < 60:  # the shapes are the states and DC, not the territories
                placed.append((position, code))
            else:
                unplaced.append(position)
        encs = [e for e in [color, *tips] if e]
        data = prepare_data(frame, encs, converted)
        for column in (opts["county_name"], county, opts["state"]):
            if column and column not in data.columns:
                data.insert(0, column, frame[column].to_numpy())
        data = data.loc[:, ~data.columns.duplicated()]
        left_out = data.iloc[unplaced]
        data = data.iloc[[p for p, _ in placed]].copy()
        data[county] = [code for _, code in placed]
        data = data.sort_values(county, kind="mergesort")
        classes: tuple = ()
        if color is not None and color.type == "Q":
            classes = county_classes(data[color.field].dropna().tolist())
        notes = ["Grey: no row for the county."]
        if opts.get("missing"):
            notes = [f"Grey: {sentence_start(opts['missing'])}."]
        if len(left_out):
            notes.append(unplaced_note(left_out, color, opts["state"]))
        state_ = MapState(
            opts=opts,
            state=county,
            color=color,
            tips=tips,
            fields=[c for c in data.columns if c != county],
            domain=[NONE, *(class_label(c) for c in classes)] if classes else None,
            shapes=topology(COUNTY_FILE),
            county=county,
            classes=classes,
        )
        return PreparedChart(self, opts, to_records(data), tuple(notes), state_)

    def regions(self, chart: PreparedChart, rows: list[dict], formats: dict) -> str | None:
        """What the map explorer shows for each region, as compact JSON, in path order.

        `regions` lists each region the SVG draws as a shape, in the order of its paths in
        the shapes' mark group (the `mark`-th `g.mark-shape` of the SVG): the topology's
        order, filtered as `draw` filters it (Vega keeps data order; tests prove it against
        vl-convert's own output). Each is [name, value per label...]: the values the data
        table shows for that row (`rows` and `formats`, the table's), "" where the row has
        none; a region without a row is [name, null] and the explorer says `empty` for it.
        `order` is the reading order for Home and End: the data table's, then the rest.
        None when the map draws no region to explore (no script for it then)."""
        s: MapState = chart.state
        topo = parsed(s.shapes)
        encs: list[Enc] = []
        for e in [s.color, *s.tips]:
            if e is not None and e.field not in {x.field for x in encs}:
                encs.append(e)
        if s.county:
            by_key = {r[s.county]: (i, r) for i, r in enumerate(rows)}
            # "Tangipahoa Parish, Louisiana": the `county_name` column's text where the author
            # names one (and the row has it), else the shape's own name, with "city" for an
            # independent city (county code 5xx: "Baltimore city" beside Baltimore County).
            name_col = s.opts.get("county_name")
            shapes = []
            for g in topo["objects"]["counties"]["geometries"]:
                if int(g["id"]) >= 60000 or g["id"] not in by_key:
                    continue
                row = by_key[g["id"]][1]
                own = str(row.get(name_col) or "").strip() if name_col else ""
                state_name = us_states.lookup(g["id"][:2])[1]
                shapes.append((g["id"], f"{own or shape_name(g)}, {state_name}"))
        else:
            by_key = {r[s.state]: (i, r) for i, r in enumerate(rows)}
            shapes = [
                (g["properties"]["name"], g["properties"]["name"])
                for g in topo["objects"]["states"]["geometries"]
                if int(g["id"]) < 60
            ]
        # A label whose values only repeat the region's name (a state column) is left out.
        names = {part for _, name in shapes for part in (name, *name.rsplit(", ", 1))}
        encs = [
            e
            for e in encs
            if e.type not in "NO"
            or any(str(r.get(e.field)) not in names for _, r in by_key.values())
        ]
        if not shapes:
            return None  # nothing drawn to explore (a county map with no placed county)
        out, order, rest = [], [], []
        for key, name in shapes:
            hit = by_key.get(key)
            if hit is None:
                rest.append((name, len(out)))
                out.append([name, None])
                continue
            table_row, row = hit
            order.append((table_row, len(out)))
            out.append(
                [name, *(format_value(row.get(e.field), formats.get(e.field)) for e in encs)]
            )
        # A missing row is not a zero: the data does not say "No agreements" for it; the
        # author may (the `missing` option).
        if s.opts.get("missing"):
            empty = s.opts["missing"]
        elif s.color is not None and s.color.type == "Q":
            empty = "No row in the data"
        elif s.color is not None and s.color.title:
            empty = f"No {s.color.title.lower()} shown"
        else:
            empty = "No data"
        return json.dumps(
            {
                "mark": 1 if s.county else 0,
                "labels": [e.title or e.field for e in encs],
                "regions": out,
                "order": [i for _, i in sorted(order)] + [i for _, i in sorted(rest)],
                "empty": empty,
                "kind": "county" if s.county else "state",
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )

    def relative_paths(self, chart: PreparedChart) -> bool:
        """County maps only (about 900 shapes: relative steps take the SVG from 79 KB gzip to
        about 33); state maps keep their absolute paths, byte for byte."""
        return bool(chart.state.county)

    def phone_legend(self, chart: PreparedChart, width: int) -> alt.TopLevelMixin | None:
        """The map's colour legend drawn `width` wide, title above, entries wrapped to fit.

        The map itself scales down on a phone (its shapes read at any size, a second drawing
        would double the page's heaviest SVG); its legend would shrink to ~6 px, so phones
        get this one instead, at reading size."""
        s: MapState = chart.state
        if s.color is None:
            return None
        fill = (
            county_fill(s.color, s.classes)
            if s.county or s.classes
            else color_channel(s.color, legend=True, domain=s.domain)
        )
        values = s.domain or []
        # Quantize classes are short numbers; categories are as long as their longest name.
        longest = max((len(str(v)) for v in values), default=8)
        entry_chars = 8 if s.color.type == "Q" and not s.classes else longest
        entry = entry_chars * CHAR_WIDTH * TOKENS["font_size"]["label"] + 12 + 5 + 20
        columns = max(1, min(len(values) or 5, int((width - 16) // entry)))
        fill.legend = alt.Legend(columns=columns, titleOrient="top", offset=0)
        rows = InlineRows(legend_rows(chart))
        marks = alt.Chart(alt.Data(values=rows)).mark_square(opacity=0, size=0)
        return finish(marks.encode(color=fill), width=width - 24, height=0)

    def draw(self, chart: PreparedChart, width: int) -> alt.TopLevelMixin:
        s: MapState = chart.state
        if s.county:
            return self.draw_counties(chart, width)
        state, color = s.state, s.color
        height = s.opts["height"] or round(width * 0.62)
        nodata = TOKENS["colors"]["no_data"][0]
        rows = InlineRows(classed_rows(chart)) if s.classes else chart.rows
        lookup = alt.LookupData(
            data=alt.Data(values=rows),
            key=vl_field(state),
            fields=[vl_field(state), *[vl_field(f) for f in s.fields]],
        )
        shapes = alt.Data(values=s.shapes, format=alt.DataFormat(type="topojson", feature="states"))
        if color is None:  # a presence map: states with a row in the theme's first colour
            present = f"isValid(datum[{json.dumps(state)}])"
            fill: Any = alt.condition(
                present, alt.value(TOKENS["categorical"][0]), alt.value(nodata)
            )
        elif s.classes:  # whole-number classes; a state without a row is "None", grey
            fill = county_fill(color, s.classes)
            valid = f"isValid(datum[{json.dumps(CLASS_FIELD)}])"
            fill = alt.condition(valid, fill, alt.value(nodata))
        else:
            # A state without a row has a null value. On a quantitative scale the theme's
            # scale.invalid paints it "no data"; a category scale would show "null", so test.
            fill = color_channel(color, legend=True)
            if s.domain is not None:
                fill = color_channel(
                    color,
                    legend=True,
                    domain=s.domain,
                    legend_columns=legend_columns(color, s.domain, width),
                )
                valid = f"isValid(datum[{json.dumps(color.field)}])"
                fill = alt.condition(valid, fill, alt.value(nodata))
        tooltip = [alt.Tooltip(field="properties.name", type="nominal", title="State")]
        tooltip += [tooltip_channel(e) for e in ([color] if color else []) + s.tips]
        top = (
            alt.Chart(shapes)
            # The states and DC (FIPS below 60; the projected shapes have no territories).
            .transform_filter("toNumber(datum.id) < 60")
            .transform_lookup(lookup="properties.name", from_=lookup)
            .mark_geoshape(invalid="show")
            .encode(color=fill, tooltip=tooltip)
            .project(**PROJECTION)
        )
        return finish(
            top,
            width=width,
            height=height,
            autosize=alt.AutoSizeParams(type="fit", contains="padding"),
        )

    def draw_counties(self, chart: PreparedChart, width: int) -> alt.TopLevelMixin:
        """States in "no data" grey, the counties with a row over them, state borders on top."""
        s: MapState = chart.state
        county, color = s.county, s.color
        height = s.opts["height"] or round(width * 0.62)
        nodata = TOKENS["colors"]["no_data"][0]

        def shapes(feature: str) -> alt.Data:
            return alt.Data(
                values=s.shapes, format=alt.DataFormat(type="topojson", feature=feature)
            )

        fields = [county, *s.fields, *([CLASS_FIELD] if s.classes else [])]
        lookup = alt.LookupData(
            data=alt.Data(values=InlineRows(classed_rows(chart)) if s.classes else chart.rows),
            key=vl_field(county),
            fields=[vl_field(f) for f in fields],
        )
        # The ground is the nation's outline (one shape), the borders the states' mesh (each
        # shared border once): half the bytes of drawing every state twice.
        ground = (
            alt.Chart(shapes("nation"))
            .mark_geoshape(fill=nodata, stroke=None)
            .project(**PROJECTION)
        )
        fill: Any = (
            alt.value(TOKENS["categorical"][0]) if color is None else county_fill(color, s.classes)
        )
        tooltip = [alt.Tooltip(field="properties.name", type="nominal", title="County")]
        tooltip += [tooltip_channel(e) for e in ([color] if color else []) + s.tips]
        counties = (
            alt.Chart(shapes("counties"))
            .transform_filter("toNumber(datum.id) < 60000")
            .transform_lookup(lookup="id", from_=lookup)
            .transform_filter(f"isValid(datum[{json.dumps(county)}])")
            .mark_geoshape(strokeWidth=0.25)
            .encode(color=fill, tooltip=tooltip)
            .project(**PROJECTION)
        )
        borders = (
            alt.Chart(
                alt.Data(values=s.shapes, format=alt.DataFormat(type="topojson", mesh="states"))
            )
            .mark_geoshape(filled=False, strokeWidth=0.75)
            .project(**PROJECTION)
        )
        return finish(
            alt.layer(ground, counties, borders),
            width=width,
            height=height,
            autosize=alt.AutoSizeParams(type="fit", contains="padding"),
        )


def sentence_start(text: str) -> str:
    """ "No agreements on ICE's list" -> "no agreements on ICE's list" (an acronym stays)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


NONE = "None"  # the legend entry of the grey ("no data") counties of a classed county map
CLASS_FIELD = "dd_class"  # the class label of each county row (drawing only, not the table)


def county_classes(values: list) -> tuple[tuple[int, int], ...]:
    """Whole-number classes (lo, hi) for counts: none when a value is not a whole number.

    At most four classes (the four darker shades): each starts at the data's next quartile
    or one above the previous class, whichever is higher, so a skewed count (most counties
    have one agreement) still spreads over the shades, and every break is a whole number a
    reader can check ("1", "2", "3", "4-12"), never 3.8. Deterministic: depends only on
    the values."""
    nums = sorted(float(v) for v in values)
    if not nums or not all(v.is_integer() for v in nums):
        return ()
    lo, hi = int(nums[0]), int(nums[-1])
    starts = [lo]
    for quarter in (1, 2, 3):
        at = int(nums[min(len(nums) - 1, quarter * len(nums) // 4)])
        start = max(at, starts[-1] + 1)
        if start > hi:
            break
        starts.append(start)
    ends = [s - 1 for s in starts[1:]] + [hi]
    return tuple(zip(starts, ends, strict=True))


def class_label(c: tuple[int, int]) -> str:
    """'1' or '4–12' (an en dash between whole numbers)."""
    return f"{c[0]:,}" if c[0] == c[1] else f"{c[0]:,}–{c[1]:,}"


def classed_rows(chart: PreparedChart) -> list[dict]:
    """The map's rows with each row's class label (CLASS_FIELD), for the drawing only."""
    s: MapState = chart.state
    labels = [class_label(c) for c in s.classes]

    def label(v) -> str | None:
        if v is None:
            return None
        hits = (lab for (_, hi), lab in zip(s.classes, labels, strict=True) if v <= hi)
        return next(hits, labels[-1])

    return [{**r, CLASS_FIELD: label(r.get(s.color.field))} for r in chart.rows]


def county_fill(color: Enc, classes: tuple = ()) -> alt.Color:
    """A county map's colour: numbers in the four darker shades (the lightest of five sits
    too close to the "no data" grey; a county with one agreement must read as not "none").

    Whole-number counts get one legend entry per class, with "None" first in the grey of the
    counties without a row: the legend explains every colour on the map."""
    if classes:
        labels = [class_label(c) for c in classes]
        shades = TOKENS["sequential"]["light"][1:][: len(labels)]
        return alt.Color(
            field=CLASS_FIELD,
            type="ordinal",
            title=color.title,
            scale=alt.Scale(
                domain=[NONE, *labels], range=[TOKENS["colors"]["no_data"][0], *shades]
            ),
            sort=None,
        )
    fill = color_channel(color, legend=True)
    if color.type == "Q":
        fill.scale = alt.Scale(type="quantize", range=TOKENS["sequential"]["light"][1:])
    return fill


def unplaced_note(rows: pd.DataFrame, color: Enc | None, state: str | None) -> str:
    """'Not on the map (no county code): 245 agreements: Florida 157, ...' from the rows."""
    counted = color is not None and color.type == "Q"
    what = color.title.lower() if counted and color.title else "rows"
    amounts = rows[color.field] if counted else pd.Series(1, index=rows.index)
    total = int(amounts.sum())
    if state:
        by_state = amounts.groupby(rows[state].astype(str), sort=True).sum()
        parts = ", ".join(f"{name} {int(n):,}" for name, n in by_state.items())
        return f"Not placed on a county (no county code): {total:,} {what}: {parts}."
    return f"Not placed on a county (no county code): {total:,} {what}."
