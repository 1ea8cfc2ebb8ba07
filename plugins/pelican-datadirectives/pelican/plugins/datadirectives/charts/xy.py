"""The x/y marks: line, area, bar and point charts, small multiples included.

Prepared once (encodings resolved against the data, aggregated, stacked, sorted, annotations
checked), drawn per width (heights, direct labels or a legend, panel widths, label places).

Bars turn horizontal when y is a category and x a number; colour stacks them, `group` sets
them side by side; lines and areas with a few series get labels at their ends instead of a
legend (labels.py); annotations are layers (annotations.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import altair as alt
import pandas as pd

from ..chart_theme import TOKENS
from ..errors import DirectiveError
from ..options import (
    boolean,
    did_you_mean,
    int_between,
    list_of,
    one_of,
    pair_of_strings,
    shorthand_or_mapping,
    string,
)
from .annotations import Annotation, annotation_layers, annotation_option, resolve_annotations
from .encodings import (
    Enc,
    color_channel,
    position_channel,
    resolve,
    time_unit_of,
    tooltip_channel,
    vl_field,
)
from .labels import (
    CHAR_WIDTH,
    FACET_SPACING,
    MAX_DIRECT_LABELS,
    direct_labels,
    direct_labels_fit,
    finish,
    legend_columns,
    panel_width,
)
from .marks import SHARED_OPTIONS, Mark, PreparedChart
from .prepare import prepare_data, shaped, to_records

SORTS = ("-x", "x", "-y", "y")
DEFAULT_HEIGHT = 320
FACET_HEIGHT = 160


MAX_FACETS = 60


def sort_option(value: Any) -> Any:
    """`-x`, `x`, `-y`, `y`, or a list of category values in the order wanted."""
    if isinstance(value, list) and value and all(isinstance(v, str | int | float) for v in value):
        return value
    return one_of(*SORTS)(value)


# Options every x/y mark takes; bar and area add stacking, bar adds sorting and grouping.
XY_OPTIONS = {
    "x": (None, shorthand_or_mapping),
    "y": (None, shorthand_or_mapping),
    "color": SHARED_OPTIONS["color"],
    "tooltip": SHARED_OPTIONS["tooltip"],
    "fold": (None, list_of(string, allow_single=False)),
    "fold_as": (None, pair_of_strings),
    "facet": (None, shorthand_or_mapping),
    "columns": (None, int_between(1, 12)),
    "annotations": (None, list_of(annotation_option)),
    "height": SHARED_OPTIONS["height"],
    "labels": SHARED_OPTIONS["labels"],
}
STACK_OPTION = {"stack": (None, one_of(True, False, "normalize"))}
BAR_OPTIONS = {"sort": (None, sort_option), "group": (False, boolean)}


@dataclass(frozen=True)
class XYState:
    """An x/y chart prepared once: resolved encodings and the rows to draw, at no width."""

    opts: dict
    x: Enc
    y: Enc
    color: Enc | None
    facet: Enc | None
    tips: list[Enc]
    data: pd.DataFrame  # the prepared (maybe aggregated) rows
    horizontal: bool  # bars along x: y is a category, x a number
    stack: Any  # Vega-Lite's stack value for the value axis (None: not stacked)
    sort: Any  # the category axis' order
    annotations: list[Annotation]
    time_unit: str | None  # bars on a time axis: the unit each bar fills


class XYMark(Mark):
    """line, area, bar and point: two position channels, maybe colour, facets, annotations.

    Each subclass says how it differs, as data, and draws its own layer (`layer`):
    `series` (lines and areas: rows in x order per series, names at the line ends when they
    fit), `stackable` (a colour stacks it), `bars` (ranked when horizontal, a row height per
    bar, side by side with `group`, a band per time unit), `aggregate_colour` (colour may be
    an aggregate).
    """

    options = XY_OPTIONS
    series: ClassVar[bool] = False
    stackable: ClassVar[bool] = False
    bars: ClassVar[bool] = False
    aggregate_colour: ClassVar[bool] = False

    def layer(self, base: alt.Chart, s: XYState) -> alt.Chart:
        """The mark's own layer over the shared encoding."""
        raise NotImplementedError

    def encode_more(self, enc: dict, s: XYState) -> None:
        """Channels only this mark needs (stack order, side-by-side offsets)."""

    def _stack(self, opts: dict, color: Enc | None) -> Any:
        """Vega-Lite's stack value for the value axis (None: not stacked)."""
        stack = opts["stack"]
        if opts["group"] and stack not in (None, False):
            raise DirectiveError(
                "group: true and stack cannot both be set; choose one", key="group"
            )
        if stack is not None and not self.stackable:
            raise DirectiveError(
                f"stack applies to bar and area charts, not {self.name}", key="stack"
            )
        if (opts["group"] or stack is not None) and color is None:
            key = "group" if opts["group"] else "stack"
            raise DirectiveError(f"{key} needs color: <column> to split bars into series", key=key)
        if opts["group"] or stack is False or not self.stackable:
            return None
        return "normalize" if stack == "normalize" else "zero"

    def prepare(self, opts: dict, frame: pd.DataFrame, functions_dir: Path | None) -> PreparedChart:
        mark = self.name
        frame = shaped(opts, frame)
        for key in ("x", "y"):
            if opts[key] is None:
                raise DirectiveError(
                    f"option {key!r} is required for mark: {mark}, e.g. {key}: "
                    f"{'month:T' if key == 'x' else 'total:Q'}",
                    key=key,
                )
        converted: dict[str, pd.Series] = {}
        x = resolve("x", opts["x"], frame, converted)
        y = resolve("y", opts["y"], frame, converted)
        color = resolve("color", opts["color"], frame, converted) if opts["color"] else None
        facet = resolve("facet", opts["facet"], frame, converted) if opts["facet"] else None
        if facet and facet.aggregate:
            raise DirectiveError("facet: use a plain column, not an aggregate", key="facet")
        if color and color.aggregate and not self.aggregate_colour:
            raise DirectiveError(
                "color: an aggregate colour only works with mark: point; "
                "colour by a category column instead",
                key="color",
            )
        tips = [
            resolve("tooltip", t, frame, converted, f"tooltip item {i}")
            for i, t in enumerate(opts["tooltip"] or [], start=1)
        ]
        encs = [e for e in (x, y, color, facet) if e] + tips
        data = prepare_data(frame, encs, converted)
        horizontal = y.type in "NO" and x.type == "Q"
        category = y if horizontal else x
        if self.series:
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
        stack = self._stack(opts, color)
        sort = _category_sort(opts, self.bars, horizontal, category, data)
        rows = to_records(data)
        annotations = resolve_annotations(opts["annotations"] or [], x, y, data)
        timed = self.bars and x.type == "T" and not horizontal
        state = XYState(
            opts=opts,
            x=x,
            y=y,
            color=color,
            facet=facet,
            tips=tips,
            data=data,
            horizontal=horizontal,
            stack=stack,
            sort=sort,
            annotations=annotations,
            time_unit=time_unit_of(data[x.field]) if timed else None,
        )
        return PreparedChart(self, opts, rows, (), state)

    def draw(self, chart: PreparedChart, width: int) -> alt.TopLevelMixin:
        s: XYState = chart.state
        opts, data = s.opts, s.data
        x, y, color, facet, stack, sort = s.x, s.y, s.color, s.facet, s.stack, s.sort
        horizontal = s.horizontal
        category = y if horizontal else x
        height = opts["height"] or (FACET_HEIGHT if facet else DEFAULT_HEIGHT)
        if self.bars and horizontal and not opts["height"]:
            # One comfortable row per bar (28 px), instead of a fixed height.
            height = min(1200, max(80, 28 * int(data[category.field].nunique()) + 40))

        enc: dict[str, Any] = {
            "x": position_channel(
                alt.X, x, stack if horizontal else None, None if horizontal else sort
            ),
            "y": position_channel(
                alt.Y, y, None if horizontal else stack, sort if horizontal else None
            ),
        }
        direct = (
            self.series
            and color is not None
            and facet is None
            and color.type in "NO"
            and data[color.field].nunique() <= MAX_DIRECT_LABELS
            # On a narrow drawing, long labels at the line ends would squeeze the plot (or be
            # cut off by a reader's wider font): a legend above the chart wraps instead.
            and direct_labels_fit(data[color.field], width)
        )
        if color is not None:
            values = list(data[color.field].dropna().unique())
            enc["color"] = color_channel(
                color, legend=not direct, legend_columns=legend_columns(color, values, width)
            )
            self.encode_more(enc, s)
        enc["tooltip"] = [tooltip_channel(e) for e in (s.tips or [e for e in (x, y, color) if e])]
        if s.time_unit:
            enc["x"] = position_channel(alt.X, x, None, None, time_unit=s.time_unit)

        layers = [self.layer(alt.Chart().encode(**enc), s)]
        if direct:
            layers += direct_labels(
                data, x, y, color, stack, height, stacked=self.stackable, dots=not self.stackable
            )
        columns = 1
        if facet is not None:
            columns = opts["columns"] or min(data[facet.field].nunique(dropna=False), 3)
        panel = panel_width(width, columns) if facet is not None else width
        # Roughly what is left for the plot once the y labels and direct labels take their
        # room, so that annotation labels can be kept inside it.
        plot_width = panel - 45
        if direct:
            longest = max(len(str(v)) for v in data[color.field].dropna().unique())
            plot_width -= longest * CHAR_WIDTH * TOKENS["font_size"]["direct_label"] + 8
        layers += annotation_layers(s.annotations, x, data, max(plot_width, 60))

        chart_data = alt.Data(values=chart.rows)
        if facet is None:
            top = (
                alt.layer(*layers, data=chart_data)
                if len(layers) > 1
                else layers[0].properties(data=chart_data)
            )
            return finish(
                top,
                width=width,
                height=height,
                autosize=alt.AutoSizeParams(type="fit", contains="padding"),
            )
        inner = alt.layer(*layers).properties(width=panel, height=height)
        top = inner.facet(
            facet=alt.Facet(
                field=vl_field(facet.field),
                type=facet.vl_type,
                title=None,
                sort=facet.sort,
                header=alt.Header(labelAnchor="start", labelPadding=22),
            ),
            columns=columns,
            data=chart_data,
            spacing=FACET_SPACING,
        )
        return finish(top)


class LineMark(XYMark):
    name = "line"
    # `stack` is declared so that "stack applies to bar and area charts" can say why.
    options = {**XY_OPTIONS, **STACK_OPTION}
    series = True

    def layer(self, base: alt.Chart, s: XYState) -> alt.Chart:
        return base.mark_line()


class AreaMark(XYMark):
    name = "area"
    options = {**XY_OPTIONS, **STACK_OPTION}
    series = True
    stackable = True

    def layer(self, base: alt.Chart, s: XYState) -> alt.Chart:
        return base.mark_area(line=False, opacity=0.85 if s.stack else 0.5)

    def encode_more(self, enc: dict, s: XYState) -> None:
        if s.color is not None and s.stack:  # stacked in the legend's order
            c = s.color
            enc["order"] = alt.Order(field=vl_field(c.field), type=c.vl_type, sort="ascending")


class BarMark(XYMark):
    name = "bar"
    options = {**XY_OPTIONS, **STACK_OPTION, **BAR_OPTIONS}
    stackable = True
    bars = True

    def layer(self, base: alt.Chart, s: XYState) -> alt.Chart:
        # Bars on a time axis fill their month (or year, day); leave a gap between them.
        if s.x.type == "T" and not s.horizontal:
            return base.mark_bar(width=alt.RelativeBandSize(0.85))
        return base.mark_bar()

    def encode_more(self, enc: dict, s: XYState) -> None:
        c = s.color
        if c is not None and s.stack is None and c.type in "NO":  # grouped: side by side
            offset = alt.YOffset if s.horizontal else alt.XOffset
            enc["yOffset" if s.horizontal else "xOffset"] = offset(
                field=vl_field(c.field), type=c.vl_type, sort=c.sort or "ascending"
            )


class PointMark(XYMark):
    name = "point"
    aggregate_colour = True

    def layer(self, base: alt.Chart, s: XYState) -> alt.Chart:
        return base.mark_point()


def _category_sort(
    opts: dict, bars: bool, horizontal: bool, category: Enc, data: pd.DataFrame
) -> Any:
    sort = opts["sort"]
    if sort is None:
        if category.sort is not None:
            return category.sort
        # Newsroom default: horizontal bars ranked, largest on top.
        return "-x" if bars and horizontal else None
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
