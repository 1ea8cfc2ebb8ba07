"""Chart building: validated options plus a pandas DataFrame in, an Altair chart out.

Pure functions, no Pelican and no Markdown: `build_chart(options, frame, width=640)`.
Every option and every column it names is checked against the frame before Altair sees
it, so a wrong directive gives a DirectiveError (with `key=` set to the option) that says
what is wrong and how to fix it, never a blank chart or a Vega stack trace.

How a chart is made:
- aggregates in the shorthand (`sum(total):Q`) are computed in pandas, so the spec embeds
  one row per group and never the raw rows (a million-row CSV is fine);
- only the columns the chart uses are embedded, with dates as ISO text on UTC scales, so
  the output does not depend on the build machine's time zone;
- bars turn horizontal when y is a category and x a number; colour stacks them, `group`
  sets them side by side; lines and areas with a few series get labels at their ends
  instead of a legend; annotations are layers (a dated rule, a labelled point);
- `mark: map` is a US choropleth (albersUsa) from geo/states-10m.json; rows for places the
  projection cannot draw (Guam, Puerto Rico...) are listed in `chart.dd_notes` for the
  figure's notes;
- `mark: python` calls `module:function` from the configured functions folder.
The theme (colours, type, gridlines) comes from chart_theme.py.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from . import us_states
from .chart_theme import TOKENS, vega_config
from .errors import DirectiveError
from .options import (
    TYPE_CODES,
    boolean,
    closest,
    did_you_mean,
    int_between,
    list_of,
    module_function,
    one_of,
    pair_of_strings,
    shorthand_or_mapping,
    string,
    validate_options,
)

# Charts from `mark: python` functions usually carry a DataFrame: inline it whatever its
# length (the directive layer caps the rows it lets through).
alt.data_transformers.disable_max_rows()

GEO_FILE = Path(__file__).parent / "geo" / "states-10m.json"
MARKS = ("line", "area", "bar", "point", "map", "python")
SORTS = ("-x", "x", "-y", "y")
DEFAULT_HEIGHT = 320
FACET_HEIGHT = 160
MAX_DIRECT_LABELS = 6  # more series than this get a legend
MAX_FACETS = 60
FACET_SPACING = 16
CHAR_WIDTH = 0.66  # generous glyph width of bold system sans fonts, in em: labels must not clip


def _sort_option(value: Any) -> Any:
    """`-x`, `x`, `-y`, `y`, or a list of category values in the order wanted."""
    if isinstance(value, list) and value and all(isinstance(v, str | int | float) for v in value):
        return value
    return one_of(*SORTS)(value)


def _annotation(value: Any) -> dict:
    """{rule: <x value>, label: ...}, {rule: {y: <value>}, label: ...} or {point: {x, y}, label}."""
    example = "{rule: 2025-01-20, label: Executive order} or {point: {x: .., y: ..}, label: ..}"
    if not isinstance(value, dict):
        raise DirectiveError(f"each annotation is a mapping like {example}; got {value!r}")
    unknown = [str(k) for k in value if k not in ("rule", "point", "label")]
    if unknown:
        raise DirectiveError(
            f"unknown annotation key {unknown[0]!r}"
            f"{did_you_mean(unknown[0], ('rule', 'point', 'label'))}; use rule, point and label"
        )
    label = value.get("label")
    if label is None or not str(label).strip():
        raise DirectiveError(f"an annotation needs a label, e.g. {example}")
    kinds = [k for k in ("rule", "point") if k in value]
    if len(kinds) != 1:
        raise DirectiveError(f"an annotation has either rule or point (not both), e.g. {example}")
    kind = kinds[0]
    where = value[kind]
    if kind == "rule":
        if not isinstance(where, dict):
            where = {"x": where}
        if len(where) != 1 or next(iter(where)) not in ("x", "y"):
            raise DirectiveError("rule takes an x value (rule: 2025-01-20) or {y: value}")
    else:
        if not isinstance(where, dict) or set(where) != {"x", "y"}:
            raise DirectiveError("point takes {x: value, y: value}")
    if any(v is None for v in where.values()):
        raise DirectiveError(f"annotation {kind} has an empty value")
    return {kind: dict(where), "label": str(label).strip()}


# Options as data: name -> (default, validator). docs/directives.md documents each one.
def _direct_labels_fit(values: pd.Series, width: int) -> bool:
    """Whether end-of-line labels leave at least two thirds of the width to the plot."""
    longest = max((len(str(v)) for v in values.dropna().unique()), default=0)
    return longest * CHAR_WIDTH * TOKENS["font_size"]["direct_label"] <= width / 3


def _labels_option(value: Any) -> dict:
    """`labels: {jail_enforcement: Jail enforcement}`: display names for values."""
    if not isinstance(value, dict) or not value:
        raise DirectiveError(
            "labels takes pairs 'value: Display name' in braces, e.g. {task_force: Task force}",
            key="labels",
        )
    return {str(k): string(v) for k, v in value.items()}


CHART_OPTIONS = {
    "mark": (None, one_of(*MARKS)),
    "x": (None, shorthand_or_mapping),
    "y": (None, shorthand_or_mapping),
    "color": (None, shorthand_or_mapping),
    "tooltip": (None, list_of(shorthand_or_mapping)),
    "sort": (None, _sort_option),
    "fold": (None, list_of(string, allow_single=False)),
    "fold_as": (None, pair_of_strings),
    "stack": (None, one_of(True, False, "normalize")),
    "group": (False, boolean),
    "facet": (None, shorthand_or_mapping),
    "columns": (None, int_between(1, 12)),
    "annotations": (None, list_of(_annotation)),
    "height": (None, int_between(80, 1200)),
    "function": (None, module_function),
    "state": (None, string),
    "labels": (None, _labels_option),
}

# Which options mean something for which mark (others are refused, not silently ignored).
# Options every x/y mark takes; each mark adds its own (stacking, bar sorting and grouping).
_XY = {
    "x",
    "y",
    "color",
    "tooltip",
    "fold",
    "fold_as",
    "facet",
    "columns",
    "annotations",
    "height",
    "labels",
}
_APPLIES = {
    "line": _XY | {"stack"},
    "area": _XY | {"stack"},
    "bar": _XY | {"stack", "sort", "group"},
    "point": _XY,
    "map": {"state", "color", "tooltip", "height", "labels"},
    "python": {"function", "height"},
}


@dataclass
class Enc:
    """One resolved encoding: a column of the prepared frame and how to draw it."""

    channel: str  # the option it came from: x, y, color, facet, tooltip
    field: str  # the column in the prepared (maybe aggregated) frame
    source: str | None  # the CSV column (None for count())
    type: str  # Q, N, O or T
    aggregate: str | None
    title: str | None
    format: str | None
    sort: Any
    axis: Any

    @property
    def vl_type(self) -> str:
        return TYPE_CODES[self.type]


# ----------------------------------------------------------------------------- entry point


def build_chart(
    options: dict, frame: pd.DataFrame, *, width: int = 640, functions_dir: str | Path | None = None
) -> alt.TopLevelMixin:
    """Build the Altair chart a chart directive describes, from its chart options and data.

    `options` holds only the chart keys of CHART_OPTIONS (validated or raw); `frame` is the
    CSV after the directive's filter; `width` is the rendered width in pixels;
    `functions_dir` is where `mark: python` looks for modules. Raises DirectiveError.
    For maps, `chart.dd_notes` lists a note about rows the map cannot show (else empty).
    """
    opts = validate_options(options, CHART_OPTIONS)
    mark = opts["mark"]
    if mark is None:
        raise DirectiveError(
            f"option 'mark' is required; use one of: {', '.join(MARKS)}", key="mark"
        )
    for key, value in opts.items():
        if key == "mark" or key == "group" and value is False:
            continue
        if value is not None and key not in _APPLIES[mark]:
            raise DirectiveError(
                f"option {key!r} does not apply to mark: {mark}; remove it", key=key
            )
    if mark == "python":
        chart = _python_chart(opts, frame, functions_dir, width)
    else:
        if frame.empty:
            raise DirectiveError("the data has no rows; check the CSV and the filter", key="data")
        frame = _relabel(opts, _fold(opts, frame))
        chart = _map_chart(opts, frame, width) if mark == "map" else _xy_chart(opts, frame, width)
    if not hasattr(chart, "dd_notes"):
        _set_notes(chart, [])
    return chart


def _set_notes(chart: alt.TopLevelMixin, notes: list[str]) -> None:
    # Altair's __setattr__ would put the attribute into the spec; keep it beside it.
    object.__setattr__(chart, "dd_notes", notes)


@lru_cache(maxsize=1)
def _config() -> alt.Config:
    return alt.Config(**vega_config())


def _finish(chart: alt.TopLevelMixin, **props: Any) -> alt.TopLevelMixin:
    """Apply the theme, transparent background and sizing to a top-level chart."""
    chart = chart.properties(**props) if props else chart
    # Set directly: `properties(config=...)` re-validates the whole theme on every chart.
    chart.background = "transparent"
    chart.config = _config()
    return chart


# ---------------------------------------------------------------------- columns and types


def _columns(frame: pd.DataFrame) -> str:
    return ", ".join(str(c) for c in frame.columns)


def _require_column(name: str, frame: pd.DataFrame, key: str) -> None:
    if name not in frame.columns:
        raise DirectiveError(
            f"{key}: column {name!r} is not in the data{did_you_mean(name, frame.columns)}; "
            f"columns: {_columns(frame)}",
            key=key,
        )


def _examples(values: pd.Series) -> str:
    uniq = list(dict.fromkeys(str(v) for v in values))
    shown = ", ".join(repr(v) for v in uniq[:3])
    return shown + (f" and {len(uniq) - 3} more" if len(uniq) > 3 else "")


def _infer_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "N"
    if pd.api.types.is_numeric_dtype(series):
        return "Q"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "T"
    sample = series.dropna().astype(str)
    if len(sample) and sample.str.fullmatch(r"\d{4}-\d{2}(-\d{2}([T ].*)?)?").all():
        return "T"
    return "N"


def _as_numbers(series: pd.Series, where: str, key: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(series) or not (
        pd.api.types.is_numeric_dtype(series)
        or pd.api.types.is_object_dtype(series)
        or pd.api.types.is_string_dtype(series)
    ):
        raise DirectiveError(f"{where} is not numeric; use :N or :O for it", key=key)
    if pd.api.types.is_numeric_dtype(series):
        return series
    numbers = pd.to_numeric(series, errors="coerce")
    bad = series[numbers.isna() & series.notna() & (series.astype(str).str.strip() != "")]
    if len(bad):
        raise DirectiveError(
            f"{where} has values that are not numbers: {_examples(bad)}; a text column goes "
            "on a :N (nominal) or :O (ordinal) axis, or fix those cells in the CSV "
            "(plain digits, no thousands separators or units)",
            key=key,
        )
    return numbers


def _as_dates(series: pd.Series, where: str, key: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        dates = series
    elif pd.api.types.is_integer_dtype(series) and series.dropna().between(1000, 2999).all():
        dates = pd.to_datetime(series.astype("Int64").astype(str), format="%Y", errors="coerce")
    elif pd.api.types.is_numeric_dtype(series):
        raise DirectiveError(
            f"{where} holds numbers, not dates; use :Q or :O for numbers, or write dates "
            "as YYYY-MM-DD in the CSV",
            key=key,
        )
    else:
        text = series.astype("string").str.strip()
        dates = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
        bad = series[dates.isna() & series.notna() & (text != "")]
        if len(bad):
            raise DirectiveError(
                f"{where} has values that are not dates: {_examples(bad)}; write dates as "
                "YYYY-MM-DD (or YYYY-MM, YYYY) in the CSV, or use :N or :O for labels",
                key=key,
            )
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    return dates


def _default_title(source: str | None, aggregate: str | None) -> str:
    if source is None:
        return "Count"
    name = source.replace("_", " ")
    name = name[:1].upper() + name[1:]
    prefix = {
        "mean": "Average",
        "median": "Median",
        "min": "Lowest",
        "max": "Highest",
        "count": "Count of",
        "distinct": "Distinct",
    }.get(aggregate or "")
    return f"{prefix} {name[:1].lower() + name[1:]}" if prefix else name


def _resolve(
    key: str, spec: dict, frame: pd.DataFrame, converted: dict, label: str | None = None
) -> Enc:
    """Check an encoding against the frame; convert its column; return it resolved."""
    label = label or key
    source, aggregate = spec["field"], spec["aggregate"]
    if source is not None:
        _require_column(source, frame, key)
    kind = spec["type"]
    if aggregate in ("count", "distinct"):
        kind = kind or "Q"
    elif kind is None:
        kind = _infer_type(frame[source])
    if aggregate in ("count", "distinct") and kind != "Q":
        raise DirectiveError(f"{label}: {aggregate}() gives numbers; use :Q", key=key)
    if aggregate and aggregate not in ("count", "distinct") and kind != "Q":
        raise DirectiveError(f"{label}: {aggregate}({source}) gives numbers; use :Q", key=key)
    if source is not None and aggregate not in ("count", "distinct"):
        where = f"{label}: column {source!r} (used as :{kind})"
        if kind == "Q":
            converted[source] = _as_numbers(converted.get(source, frame[source]), where, key)
        elif kind == "T":
            converted[source] = _as_dates(converted.get(source, frame[source]), where, key)
    if spec.get("title_set"):
        title = spec["title"]
    elif kind == "T" and key in ("x", "y"):
        title = None  # dates explain themselves; newsroom axes leave them untitled
    else:
        title = _default_title(source, aggregate)
    field = source if aggregate is None else (source or "count")
    return Enc(
        key,
        field,
        source,
        kind,
        aggregate,
        title or None,
        spec["format"],
        spec["sort"],
        spec["axis"],
    )


def _relabel(opts: dict, frame: pd.DataFrame) -> pd.DataFrame:
    """Show readers names, not codes: replace label keys in every text column."""
    labels = opts.get("labels")
    if not labels:
        return frame
    text_columns = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c].dtype)]
    found = {k for c in text_columns for k in labels if (frame[c].astype(str) == k).any()}
    missing = sorted(set(labels) - found)
    if missing:
        raise DirectiveError(
            f"labels: no text value {', '.join(map(repr, missing))} in the data (after fold); "
            "labels rename values, e.g. the folded column names",
            key="labels",
        )
    frame = frame.copy()
    for c in text_columns:
        frame[c] = frame[c].astype(object).replace(labels)
    # A sort order written in the data's own values follows the renaming.
    for channel in ("x", "y", "color", "facet"):
        enc = opts.get(channel)
        if isinstance(enc, dict) and isinstance(enc.get("sort"), list):
            enc["sort"] = [labels.get(str(v), v) for v in enc["sort"]]
    if isinstance(opts.get("sort"), list):
        opts["sort"] = [labels.get(str(v), v) for v in opts["sort"]]
    return frame


def _fold(opts: dict, frame: pd.DataFrame) -> pd.DataFrame:
    """Wide to long: `fold: [a, b]` becomes rows of (key, value) named by `fold_as`."""
    if not opts["fold"]:
        if opts["fold_as"]:
            raise DirectiveError(
                "fold_as names the columns that fold makes; add fold: [..]", key="fold_as"
            )
        return frame
    for name in opts["fold"]:
        _require_column(name, frame, "fold")
    key_name, value_name = opts["fold_as"] or ["key", "value"]
    for name in (key_name, value_name):
        if name in frame.columns and name not in opts["fold"]:
            raise DirectiveError(
                f"fold_as: {name!r} is already a column; choose another name", key="fold_as"
            )
    keep = [c for c in frame.columns if c not in opts["fold"]]
    return frame.melt(
        id_vars=keep, value_vars=opts["fold"], var_name=key_name, value_name=value_name
    )


# ------------------------------------------------------------------------ data to records


_AGG_FUNCS = {
    "sum": "sum",
    "mean": "mean",
    "median": "median",
    "min": "min",
    "max": "max",
    "count": "count",
    "distinct": "nunique",
}


def _prepare(frame: pd.DataFrame, encs: list[Enc], converted: dict) -> pd.DataFrame:
    """The columns the chart uses, converted, aggregated in pandas when asked."""
    used = list(dict.fromkeys(e.source for e in encs if e.source is not None))
    data = pd.DataFrame({c: converted.get(c, frame[c]) for c in used})
    aggs = [e for e in encs if e.aggregate]
    if not aggs:
        return data
    keys = list(dict.fromkeys(e.field for e in encs if not e.aggregate))
    taken = set(keys)
    named: dict[str, tuple[str | None, str]] = {}
    for e in aggs:
        if (e.source, e.aggregate) in named.values():
            e.field = next(n for n, v in named.items() if v == (e.source, e.aggregate))
            continue
        name = e.field
        if name in taken:
            name = f"{e.aggregate}_{e.field}"
        e.field = name
        taken.add(name)
        named[name] = (e.source, e.aggregate)
    if keys:
        grouped = data.groupby(keys, sort=True, dropna=False, observed=True)
        out = grouped.size().rename("__size").to_frame()
        for name, (source, agg) in named.items():
            out[name] = out["__size"] if source is None else grouped[source].agg(_AGG_FUNCS[agg])
        return out.drop(columns="__size").reset_index()
    row = {}
    for name, (source, agg) in named.items():
        row[name] = len(data) if source is None else data[source].agg(_AGG_FUNCS[agg])
    return pd.DataFrame([row])


def _iso(value: pd.Timestamp) -> str:
    if value.hour == value.minute == value.second == value.microsecond == 0:
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _plain(value: Any) -> Any:
    """A JSON-ready Python value (numpy scalars unwrapped, NaN/NaT as null)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return _iso(value)
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _records(data: pd.DataFrame) -> list[dict]:
    columns = [str(c) for c in data.columns]
    return [
        dict(zip(columns, map(_plain, row), strict=True))
        for row in data.itertuples(index=False, name=None)
    ]


def _vl_field(name: str) -> str:
    """Escape a column name for Vega-Lite, where '.' and '[' mean nested access."""
    for ch in ("\\", ".", "[", "]"):
        name = name.replace(ch, "\\" + ch)
    return name


# ----------------------------------------------------------------------- x/y charts


def _xy_chart(opts: dict, frame: pd.DataFrame, width: int) -> alt.TopLevelMixin:
    mark = opts["mark"]
    for key in ("x", "y"):
        if opts[key] is None:
            raise DirectiveError(
                f"option {key!r} is required for mark: {mark}, e.g. {key}: "
                f"{'month:T' if key == 'x' else 'total:Q'}",
                key=key,
            )
    converted: dict[str, pd.Series] = {}
    x = _resolve("x", opts["x"], frame, converted)
    y = _resolve("y", opts["y"], frame, converted)
    color = _resolve("color", opts["color"], frame, converted) if opts["color"] else None
    facet = _resolve("facet", opts["facet"], frame, converted) if opts["facet"] else None
    if facet and facet.aggregate:
        raise DirectiveError("facet: use a plain column, not an aggregate", key="facet")
    if color and color.aggregate and mark != "point":
        raise DirectiveError(
            "color: an aggregate colour only works with mark: point; "
            "colour by a category column instead",
            key="color",
        )
    tips = [
        _resolve("tooltip", t, frame, converted, f"tooltip item {i}")
        for i, t in enumerate(opts["tooltip"] or [], start=1)
    ]
    encs = [e for e in (x, y, color, facet) if e] + tips
    data = _prepare(frame, encs, converted)
    horizontal = y.type in "NO" and x.type == "Q"
    category = y if horizontal else x
    if mark in ("line", "area"):
        order = [e.field for e in (color, facet) if e] + [x.field]
        data = data.sort_values(order, kind="mergesort").reset_index(drop=True)
    if facet is not None:
        n = data[facet.field].nunique(dropna=False)
        if n > MAX_FACETS:
            raise DirectiveError(
                f"facet: {facet.source!r} has {n} values (limit {MAX_FACETS}); "
                "filter the data or facet by a coarser column",
                key="facet",
            )
    stack = _stack(opts, mark, color)
    sort = _category_sort(opts, mark, horizontal, category, data)
    records = _records(data)
    height = opts["height"] or (FACET_HEIGHT if facet else DEFAULT_HEIGHT)
    if mark == "bar" and horizontal and not opts["height"]:
        # One comfortable row per bar (28 px), instead of a fixed height.
        height = min(1200, max(80, 28 * int(data[category.field].nunique()) + 40))

    enc: dict[str, Any] = {
        "x": _position(alt.X, x, stack if horizontal else None, None if horizontal else sort),
        "y": _position(alt.Y, y, None if horizontal else stack, sort if horizontal else None),
    }
    direct = (
        mark in ("line", "area")
        and color is not None
        and facet is None
        and color.type in "NO"
        and data[color.field].nunique() <= MAX_DIRECT_LABELS
        # On a narrow drawing, long labels at the line ends would squeeze the plot (or be
        # cut off by a reader's wider font): a legend above the chart wraps instead.
        and _direct_labels_fit(data[color.field], width)
    )
    if color is not None:
        values = list(data[color.field].dropna().unique())
        enc["color"] = _color(color, legend=not direct, values=values, width=width)
        if mark == "bar" and stack is None and color.type in "NO":
            offset = alt.YOffset if horizontal else alt.XOffset
            enc["yOffset" if horizontal else "xOffset"] = offset(
                field=_vl_field(color.field), type=color.vl_type, sort=color.sort or "ascending"
            )
        if mark == "area" and stack:
            enc["order"] = alt.Order(
                field=_vl_field(color.field), type=color.vl_type, sort="ascending"
            )
    enc["tooltip"] = [_tooltip(e) for e in (tips or [e for e in (x, y, color) if e])]
    if mark == "bar" and x.type == "T" and not horizontal:
        enc["x"] = _position(alt.X, x, None, None, time_unit=_time_unit(data[x.field]))

    base = alt.Chart().encode(**enc)
    if mark == "line":
        layers = [base.mark_line()]
    elif mark == "area":
        layers = [base.mark_area(line=False, opacity=0.85 if stack else 0.5)]
    elif mark == "bar":
        # Bars on a time axis fill their month (or year, day); leave a gap between them.
        timed = x.type == "T" and not horizontal
        layers = [base.mark_bar(width=alt.RelativeBandSize(0.85)) if timed else base.mark_bar()]
    else:
        layers = [base.mark_point()]
    if direct:
        layers += _direct_labels(data, x, y, color, stack, mark, height)
    columns = 1
    if facet is not None:
        columns = opts["columns"] or min(data[facet.field].nunique(dropna=False), 3)
    panel = _panel_width(width, columns) if facet is not None else width
    # Roughly what is left for the plot once the y labels and direct labels take their room,
    # so that annotation labels can be kept inside it.
    plot_width = panel - 45
    if direct:
        longest = max(len(str(v)) for v in data[color.field].dropna().unique())
        plot_width -= longest * CHAR_WIDTH * TOKENS["font_size"]["direct_label"] + 8
    layers += _annotations(opts["annotations"] or [], x, y, data, max(plot_width, 60))

    chart_data = alt.Data(values=records)
    if facet is None:
        chart = (
            alt.layer(*layers, data=chart_data)
            if len(layers) > 1
            else layers[0].properties(data=chart_data)
        )
        return _finish(
            chart,
            width=width,
            height=height,
            autosize=alt.AutoSizeParams(type="fit", contains="padding"),
        )
    inner = alt.layer(*layers).properties(width=panel, height=height)
    chart = inner.facet(
        facet=alt.Facet(
            field=_vl_field(facet.field),
            type=facet.vl_type,
            title=None,
            sort=facet.sort,
            header=alt.Header(labelAnchor="start", labelPadding=22),
        ),
        columns=columns,
        data=chart_data,
        spacing=FACET_SPACING,
    )
    return _finish(chart)


def _panel_width(width: int, columns: int) -> int:
    """Width of one small multiple so that `columns` of them (and one y axis) fill `width`."""
    return max(60, int((width - 60 - (columns - 1) * FACET_SPACING) / columns))


def _stack(opts: dict, mark: str, color: Enc | None) -> Any:
    """Vega-Lite's stack value for the value axis (None: not stacked)."""
    stack = opts["stack"]
    if opts["group"] and mark != "bar":
        raise DirectiveError("group: true sets bars side by side; it needs mark: bar", key="group")
    if opts["group"] and stack not in (None, False):
        raise DirectiveError("group: true and stack cannot both be set; choose one", key="group")
    if stack is not None and mark not in ("bar", "area"):
        raise DirectiveError(f"stack applies to bar and area charts, not {mark}", key="stack")
    if (opts["group"] or stack is not None) and color is None:
        key = "group" if opts["group"] else "stack"
        raise DirectiveError(f"{key} needs color: <column> to split bars into series", key=key)
    if opts["group"] or stack is False or mark not in ("bar", "area"):
        return None
    return "normalize" if stack == "normalize" else "zero"


def _category_sort(
    opts: dict, mark: str, horizontal: bool, category: Enc, data: pd.DataFrame
) -> Any:
    sort = opts["sort"]
    if sort is None:
        if category.sort is not None:
            return category.sort
        # Newsroom default: horizontal bars ranked, largest on top.
        return "-x" if mark == "bar" and horizontal else None
    if category.type in "QT":
        axis = "y" if horizontal else "x"
        raise DirectiveError(
            f"sort orders the bars of a category axis, but {axis} ({category.source}) is "
            f":{category.type}; remove sort, or make {axis} a category (:N or :O)",
            key="sort",
        )
    if isinstance(sort, list):
        known = [str(v) for v in data[category.field].dropna().unique()]
        for v in sort:
            if str(v) not in known:
                raise DirectiveError(
                    f"sort: {v!r} is not a value of {category.source!r}"
                    f"{did_you_mean(str(v), known)}; values: {', '.join(sorted(known)[:20])}",
                    key="sort",
                )
    return sort


def _axis(enc: Enc, stack: Any) -> Any:
    if enc.axis is False:
        return None
    props = dict(enc.axis or {})
    if enc.format and "format" not in props:
        props["format"] = enc.format
    if stack == "normalize" and "format" not in props:
        props["format"] = ".0%"
    if enc.type == "Q" and "format" not in props:
        props["format"] = ",~r"
    return alt.Axis(**props)


def _position(cls: Any, enc: Enc, stack: Any, sort: Any, time_unit: str | None = None) -> Any:
    kwargs: dict[str, Any] = {
        "field": _vl_field(enc.field),
        "type": enc.vl_type,
        "title": enc.title,
        "axis": _axis(enc, stack),
    }
    if stack is not None:
        kwargs["stack"] = stack
    if sort is not None:
        kwargs["sort"] = sort
    if enc.type == "T":
        kwargs["scale"] = alt.Scale(type="utc")
        if time_unit:
            kwargs["timeUnit"] = time_unit
    return cls(**kwargs)


def _time_unit(dates: pd.Series) -> str:
    """Bars on a time axis need a unit to be a sensible width: years, months or days."""
    d = dates.dropna()
    if len(d) and (d.dt.month == 1).all() and (d.dt.day == 1).all():
        return "utcyear"
    if len(d) and (d.dt.day == 1).all():
        return "utcyearmonth"
    return "utcyearmonthdate"


def _legend_columns(values: list, title: str | None, width: int) -> int | None:
    """How many entries per row keep a top legend within `width` (None: all fit in one)."""
    char = CHAR_WIDTH * TOKENS["font_size"]["label"]
    entry = max(len(str(v)) for v in values) * char + 12 + 5 + 10  # symbol, gap, padding
    title_width = len(title) * char + 8 if title else 0
    if title_width + entry * len(values) <= width:
        return None
    return max(1, int((width - title_width) // entry))


def _color(
    enc: Enc,
    legend: bool,
    domain: list | None = None,
    values: list | None = None,
    width: int | None = None,
) -> alt.Color:
    """The colour channel; `values` and `width` let a long category legend wrap into rows."""
    kwargs: dict[str, Any] = {
        "field": _vl_field(enc.field),
        "type": enc.vl_type,
        "title": enc.title,
    }
    if enc.sort is not None:
        kwargs["sort"] = enc.sort
    if not legend:
        kwargs["legend"] = None
    elif enc.type in "NO" and values and width:
        columns = _legend_columns(values, enc.title, width)
        if columns:
            kwargs["legend"] = alt.Legend(columns=columns)
    if enc.type == "Q":
        # Classed (quantize), not continuous: each class is an exact theme colour the
        # dark-mode CSS can remap, and readers compare five shades more reliably than many.
        kwargs["scale"] = alt.Scale(type="quantize", range=TOKENS["sequential"]["light"])
    elif domain is not None:
        kwargs["scale"] = alt.Scale(domain=domain)
    return alt.Color(**kwargs)


def _tooltip(enc: Enc) -> alt.Tooltip:
    kwargs: dict[str, Any] = {
        "field": _vl_field(enc.field),
        "type": enc.vl_type,
        "title": enc.title or enc.field,
    }
    if enc.type == "T":
        kwargs["timeUnit"] = "utcyearmonthdate"  # formatted in UTC in every reader's browser
    elif enc.type == "Q":
        kwargs["format"] = enc.format or ","
    return alt.Tooltip(**kwargs)


# ------------------------------------------------------------------- direct labels


def _tick_step(lo: float, hi: float, count: int = 5) -> float:
    """d3's tickStep: the step Vega's `nice` rounds the domain to."""
    step0 = abs(hi - lo) / max(count, 1)
    if step0 == 0:
        return 1.0
    power = math.floor(math.log10(step0))
    error = step0 / 10**power
    factor = 10 if error >= 7.07 else 5 if error >= 3.16 else 2 if error >= 1.41 else 1
    return factor * 10**power


def _spread(values: list[float], lo: float, hi: float, gap: float) -> list[float]:
    """Push label positions apart by at least `gap`, keeping them inside [lo, hi]."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    pos = [values[i] for i in order]
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + gap)
    overflow = pos[-1] - hi if pos else 0
    if overflow > 0:
        pos[-1] -= overflow
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - gap)
    out = [0.0] * len(values)
    for rank, i in enumerate(order):
        out[i] = max(pos[rank], lo)
    return out


def _side_data(rows: list[dict]) -> alt.Data:
    """Inline data for a helper layer, as JSON text.

    The figure's data table and row limit read the chart's records (lists of objects); a
    label layer's few rows must never be mistaken for them, so they travel as text.
    """
    return alt.Data(values=json.dumps(rows, separators=(",", ":")), format={"type": "json"})


def _direct_labels(
    data: pd.DataFrame, x: Enc, y: Enc, color: Enc, stack: Any, mark: str, height: int
) -> list[alt.Chart]:
    """Series names at the right end of each line/area, in place of a legend."""
    valid = data.dropna(subset=[x.field, y.field])
    if valid.empty:
        return []
    last_x = valid[x.field].max() if x.type in "QT" else valid[x.field].iloc[-1]
    ends = valid[valid[x.field] == last_x].groupby(color.field, sort=True)[y.field].sum()
    if stack and mark == "area":
        totals = valid.groupby(x.field)[y.field].sum()
        if stack == "normalize":
            ends = ends / ends.sum()
            hi = 1.0
        else:
            hi = float(totals.max())
        lower = ends.cumsum() - ends
        positions = list(lower + ends / 2)
        lo = 0.0
    else:
        lo = min(0.0, float(valid[y.field].min()))
        hi = float(valid[y.field].max())
        positions = [float(v) for v in ends]
    step = _tick_step(lo, hi)
    hi_nice = math.ceil(hi / step) * step if step else hi
    lo_nice = math.floor(lo / step) * step if step else lo
    plot_height = max(height - 24, 40)  # minus the x axis
    gap = (TOKENS["font_size"]["direct_label"] + 2) * (hi_nice - lo_nice) / plot_height
    positions = _spread(positions, lo_nice, hi_nice, gap)
    rows = [
        {x.field: _plain(last_x), y.field: _plain(pos), "label": str(name)}
        for name, pos in zip(ends.index, positions, strict=True)
    ]
    label_x = _position(alt.X, x, None, None)
    text = (
        alt.Chart(_side_data(rows))
        .mark_text(
            align="left",
            baseline="middle",
            dx=8,
            fontSize=TOKENS["font_size"]["direct_label"],
            fontWeight="bold",
        )
        .encode(
            x=label_x,
            y=alt.Y(field=_vl_field(y.field), type="quantitative", stack=None),
            text=alt.Text(field="label", type="nominal"),
        )
    )
    layers = [text]
    if mark == "line":
        end_points = [
            {x.field: _plain(last_x), y.field: _plain(v), color.field: _plain(name)}
            for name, v in ends.items()
        ]
        layers.insert(
            0,
            alt.Chart(_side_data(end_points))
            .mark_circle(size=36, opacity=1)
            .encode(
                x=label_x,
                y=alt.Y(field=_vl_field(y.field), type="quantitative"),
                color=_color(color, legend=False),
            ),
        )
    return layers


# --------------------------------------------------------------------- annotations


def _annotation_value(value: Any, enc: Enc, data: pd.DataFrame, where: str) -> Any:
    """An annotation's x or y value, checked and typed like the axis it sits on."""
    if enc.type == "T":
        try:
            # ISO only: a lenient parser would read "Jan 20" as this year's January 20.
            stamp = pd.to_datetime(str(value).strip(), format="ISO8601")
        except (ValueError, TypeError):
            stamp = pd.NaT
        if pd.isna(stamp):
            raise DirectiveError(
                f"{where}: {value!r} is not a date; write YYYY-MM-DD", key="annotations"
            )
        return stamp
    if enc.type == "Q":
        if isinstance(value, bool) or not isinstance(value, int | float):
            try:
                return float(str(value).replace(",", ""))
            except ValueError:
                raise DirectiveError(
                    f"{where}: {value!r} is not a number (the axis is {enc.source}:Q)",
                    key="annotations",
                ) from None
        return value
    known = [str(v) for v in data[enc.field].dropna().unique()]
    if str(value) not in known:
        raise DirectiveError(
            f"{where}: {value!r} is not a value of {enc.source!r}{did_you_mean(str(value), known)}",
            key="annotations",
        )
    return str(value)


def _datum(channel: str, value: Any) -> Any:
    """A datum-positioned channel (explicit classes: `alt.datum` costs ~6 ms to infer)."""
    if isinstance(value, pd.Timestamp):
        value = alt.DateTime(
            year=value.year,
            month=value.month,
            date=value.day,
            hours=value.hour,
            minutes=value.minute,
            utc=True,
        )
    return (alt.XDatum if channel == "x" else alt.YDatum)(datum=value)


def _fraction(value: Any, enc: Enc, data: pd.DataFrame) -> float:
    """Where a value sits along its axis (0 to 1), to keep labels inside the chart."""
    col = data[enc.field].dropna()
    if enc.type in "QT" and len(col):
        lo, hi = col.min(), col.max()
        if enc.type == "Q":
            lo = min(lo, 0)
        span = hi - lo
        if not span or pd.isna(span):
            return 0.5
        return float((value - lo) / span)
    known = [str(v) for v in col.unique()]
    return known.index(value) / max(len(known) - 1, 1) if value in known else 0.5


def _place_label(label: str, frac: float, plot_width: float, gap: float) -> tuple[str, Any]:
    """Align a label beside an x position so it stays inside the plot, wrapping if need be.

    Returns (align, text): "left" puts the text to the right of the point, "right" to its
    left; text is a string, or a list of lines when neither side has room for one line.
    """
    char = CHAR_WIDTH * TOKENS["font_size"]["annotation"]
    room = {"left": plot_width * (1 - frac) - gap, "right": plot_width * frac - gap}
    preferred = "right" if frac > 0.6 else "left"
    other = "left" if preferred == "right" else "right"
    for align in (preferred, other):
        if len(label) * char <= room[align]:
            return align, label
    align = max((preferred, other), key=lambda a: room[a])
    per_line = max(int(room[align] / char), 8)
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return align, lines if len(lines) > 1 else label


def _annotations(
    items: list[dict], x: Enc, y: Enc, data: pd.DataFrame, plot_width: float
) -> list[alt.Chart]:
    """Rules and labelled points, each drawn once (per panel) whatever the data's length."""
    layers = []
    text_colour = TOKENS["colors"]["text"][0]
    size = TOKENS["font_size"]["annotation"]
    for i, item in enumerate(items, start=1):
        where = f"annotation {i}"
        # An aggregate down to one row, so the datum-positioned mark is drawn once.
        one = alt.Chart().transform_aggregate(dd_count="count()")
        if "rule" in item:
            ((axis_name, raw),) = item["rule"].items()
            enc = x if axis_name == "x" else y
            value = _annotation_value(raw, enc, data, f"{where}: rule")
            if axis_name == "x":
                align, text = _place_label(item["label"], _fraction(value, x, data), plot_width, 5)
                layers.append(one.mark_rule(strokeDash=[4, 3]).encode(_datum("x", value)))
                layers.append(
                    one.mark_text(
                        align=align,
                        dx=-5 if align == "right" else 5,
                        baseline="top",
                        color=text_colour,
                        fontSize=size,
                    ).encode(_datum("x", value), alt.YValue(value=0), alt.TextValue(value=text))
                )
            else:
                layers.append(one.mark_rule(strokeDash=[4, 3]).encode(_datum("y", value)))
                layers.append(
                    one.mark_text(
                        align="right",
                        baseline="bottom",
                        dy=-3,
                        color=text_colour,
                        fontSize=size,
                    ).encode(
                        _datum("y", value),
                        alt.XValue(value="width"),
                        alt.TextValue(value=item["label"]),
                    )
                )
        else:
            xv = _annotation_value(item["point"]["x"], x, data, f"{where}: point x")
            yv = _annotation_value(item["point"]["y"], y, data, f"{where}: point y")
            align, text = _place_label(item["label"], _fraction(xv, x, data), plot_width, 8)
            pos = [_datum("x", xv), _datum("y", yv)]
            layers.append(
                one.mark_point(filled=False, size=90, strokeWidth=1.5, color=text_colour).encode(
                    *pos
                )
            )
            layers.append(
                one.mark_text(
                    align=align,
                    dx=-8 if align == "right" else 8,
                    dy=-8,
                    baseline="bottom",
                    color=text_colour,
                    fontSize=size,
                ).encode(alt.TextValue(value=text), *pos)
            )
    return layers


# ---------------------------------------------------------------------------- maps


@lru_cache(maxsize=1)
def _topology() -> str:
    """The state shapes as compact JSON text.

    Inlined as a string (Vega-Lite parses it with the topojson format), not as a dict:
    Altair copies and walks every nested list of a dict on each method call, which costs
    about a second per map for this file; a string costs nothing.
    """
    return json.dumps(json.loads(GEO_FILE.read_text(encoding="utf-8")), separators=(",", ":"))


def _map_chart(opts: dict, frame: pd.DataFrame, width: int) -> alt.TopLevelMixin:
    if not opts["state"]:
        raise DirectiveError(
            "mark: map needs state: <column> holding state names, postal codes or FIPS codes",
            key="state",
        )
    state = opts["state"]
    _require_column(state, frame, "state")
    converted: dict[str, pd.Series] = {}
    color = _resolve("color", opts["color"], frame, converted) if opts["color"] else None
    if color is not None and color.aggregate:
        raise DirectiveError(
            "color: a map takes one row per state; aggregate the CSV first or use a plain column",
            key="color",
        )
    tips = [
        _resolve("tooltip", t, frame, converted, f"tooltip item {i}")
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
                    f"state: column {state!r} has an empty cell; fill it or filter that row out",
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
                f"state: {name} appears in more than one row ({seen[fips]!r} and {raw!r}); a "
                "map takes one row per state, so filter the data (e.g. to one date)",
                key="state",
            )
        seen[fips] = raw
        if fips in us_states.DRAWABLE:
            matched.append((position, name))
        else:
            not_shown.append(name)
    encs = [e for e in [color, *tips] if e]
    data = _prepare(frame, encs, converted)
    if state not in data.columns:
        data.insert(0, state, frame[state].to_numpy())
    data = data.iloc[[p for p, _ in matched]].copy()
    data[state] = [name for _, name in matched]  # the map's own names, for the table too
    data = data.loc[:, ~data.columns.duplicated()].sort_values(state, kind="mergesort")
    rows = _records(data)
    height = opts["height"] or round(width * 0.62)
    nodata = TOKENS["colors"]["no_data"][0]
    fields = [c for c in data.columns if c != state]
    lookup = alt.LookupData(
        data=alt.Data(values=rows),
        key=_vl_field(state),
        fields=[_vl_field(state), *[_vl_field(f) for f in fields]],
    )
    shapes = alt.Data(values=_topology(), format=alt.DataFormat(type="topojson", feature="states"))
    if color is None:  # a presence map: states with a row in the theme's first colour
        present = f"isValid(datum[{json.dumps(state)}])"
        fill: Any = alt.condition(present, alt.value(TOKENS["categorical"][0]), alt.value(nodata))
    else:
        # A state without a row has a null value. On a quantitative scale the theme's
        # scale.invalid paints it "no data"; a category scale would show "null", so test.
        fill = _color(color, legend=True)
        if color.type in "NO":
            if isinstance(color.sort, list):
                domain = [str(v) for v in color.sort]
            else:
                domain = sorted({str(v) for v in data[color.field].dropna()})
            fill = _color(color, legend=True, domain=domain, values=domain, width=width)
            valid = f"isValid(datum[{json.dumps(color.field)}])"
            fill = alt.condition(valid, fill, alt.value(nodata))
    tooltip = [alt.Tooltip(field="properties.name", type="nominal", title="State")]
    tooltip += [_tooltip(e) for e in ([color] if color else []) + tips]
    chart = (
        alt.Chart(shapes)
        # Only the shapes albersUsa can draw (FIPS below 60: the states and DC).
        .transform_filter("toNumber(datum.id) < 60")
        .transform_lookup(lookup="properties.name", from_=lookup)
        .mark_geoshape(invalid="show")
        .encode(color=fill, tooltip=tooltip)
        .project(type="albersUsa")
    )
    chart = _finish(
        chart,
        width=width,
        height=height,
        autosize=alt.AutoSizeParams(type="fit", contains="padding"),
    )
    notes = []
    if not_shown:
        notes.append("Not shown on the map: " + ", ".join(sorted(set(not_shown))) + ".")
    _set_notes(chart, notes)
    return chart


# ------------------------------------------------------------------ python escape hatch


def _python_chart(
    opts: dict, frame: pd.DataFrame, functions_dir: str | Path | None, width: int
) -> alt.TopLevelMixin:
    spec = opts["function"]
    if not spec:
        raise DirectiveError(
            "mark: python needs function: module:function (a Python "
            "function that takes the DataFrame and returns an Altair chart)",
            key="function",
        )
    if functions_dir is None:
        raise DirectiveError(
            "mark: python needs a functions folder; set "
            "DATA_DIRECTIVES['FUNCTIONS_DIR'] in pelican.conf.py",
            key="function",
        )
    folder = Path(functions_dir)
    module_name, func_name = spec.split(":")
    path = folder.joinpath(*module_name.split(".")).with_suffix(".py")
    if not path.is_file():
        available = sorted(p.stem for p in folder.glob("*.py")) if folder.is_dir() else []
        raise DirectiveError(
            f"function: no module {module_name!r} in {folder}"
            f"{did_you_mean(module_name, available)}; modules: {', '.join(available) or 'none'}",
            key="function",
        )
    module_spec = importlib.util.spec_from_file_location(f"dd_functions.{module_name}", path)
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:  # the author's code: report it where the directive is
        raise DirectiveError(
            f"function: importing {path.name} failed: {type(exc).__name__}: {exc}", key="function"
        ) from exc
    func = getattr(module, func_name, None)
    if not callable(func):
        public = [n for n in vars(module) if not n.startswith("_") and callable(vars(module)[n])]
        raise DirectiveError(
            f"function: {module_name} has no function {func_name!r}"
            f"{did_you_mean(func_name, public)}",
            key="function",
        )
    try:
        chart = func(frame.copy())
    except Exception as exc:
        raise DirectiveError(
            f"function: {spec} raised {type(exc).__name__}: {exc}", key="function"
        ) from exc
    if not isinstance(chart, alt.TopLevelMixin):
        raise DirectiveError(
            f"function: {spec} returned {type(chart).__name__}, not an "
            "Altair chart; return e.g. alt.Chart(frame).mark_bar()...",
            key="function",
        )
    props: dict[str, Any] = {}
    if isinstance(chart, alt.Chart | alt.LayerChart) and chart.width is alt.Undefined:
        props["width"] = width
        props["autosize"] = alt.AutoSizeParams(type="fit", contains="padding")
    if opts["height"] and isinstance(chart, alt.Chart | alt.LayerChart):
        props["height"] = opts["height"]
    if chart.config is not alt.Undefined:
        return chart.properties(**props) if props else chart
    return _finish(chart, **props)


__all__ = ["CHART_OPTIONS", "MARKS", "build_chart", "closest"]
