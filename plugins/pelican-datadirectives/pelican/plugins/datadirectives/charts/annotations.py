"""Annotations: a dated rule or a labelled point, drawn as layers over an x/y chart.

    annotations:
      - {rule: 2025-01-20, label: Executive order}
      - {rule: {y: 1000}, label: "1,000 agreements"}
      - {point: {x: 2026-02, y: 1425}, label: Feb. 17 list}

Each value is checked and typed like the axis it sits on (a date on a :T axis, a number on a
:Q axis, one of the values on a category axis), and each label is kept inside the plot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from ..chart_theme import TOKENS
from ..errors import DirectiveError
from ..options import did_you_mean
from .encodings import Enc
from .labels import place_label


def annotation_option(value: Any) -> dict:
    """{rule: <x value>, label: ...}, {rule: {y: <value>}, label: ...} or {point: {x, y}, label}."""
    example = "{rule: 2025-01-20, label: Executive order} or {point: {x: .., y: ..}, label: ..}"
    if not isinstance(value, dict):
        raise DirectiveError(f"each annotation is a mapping like {example}; got {value!r}")
    keys = ("rule", "point", "label", "row")  # row: values from a CSV row (annotation_rows.py)
    unknown = [str(k) for k in value if k not in keys]
    if unknown:
        raise DirectiveError(
            f"unknown annotation key {unknown[0]!r}"
            f"{did_you_mean(unknown[0], keys)}; use rule, point, label and row"
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
    result = {kind: dict(where), "label": str(label).strip()}
    if "row" in value:
        result["row"] = value["row"]
    return result


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


@dataclass(frozen=True)
class Annotation:
    """One annotation checked against its axes: a rule at `x` or `y`, or a point at both."""

    kind: str  # "rule" or "point"
    label: str
    x: Any = None  # typed like the x axis (a Timestamp on a :T axis); None for a y rule
    y: Any = None  # typed like the y axis; None for an x rule
    axis: str = ""  # the axis a rule crosses: "x" (a vertical rule) or "y"


def resolve_annotations(items: list[dict], x: Enc, y: Enc, data: pd.DataFrame) -> list:
    """Check each annotation's values against the axes they sit on (done once per chart)."""
    out = []
    for i, item in enumerate(items, start=1):
        where = f"annotation {i}"
        if "rule" in item:
            ((axis_name, raw),) = item["rule"].items()
            enc = x if axis_name == "x" else y
            value = _annotation_value(raw, enc, data, f"{where}: rule")
            out.append(Annotation("rule", item["label"], axis=axis_name, **{axis_name: value}))
        else:
            xv = _annotation_value(item["point"]["x"], x, data, f"{where}: point x")
            yv = _annotation_value(item["point"]["y"], y, data, f"{where}: point y")
            out.append(Annotation("point", item["label"], xv, yv))
    return out


def annotation_layers(
    items: list[Annotation], x: Enc, data: pd.DataFrame, plot_width: float
) -> list[alt.Chart]:
    """Rules and labelled points, each drawn once (per panel) whatever the data's length;
    labels beside an x position go on the side with room in a plot `plot_width` wide."""
    layers = []
    text_colour = TOKENS["colors"]["text"][0]
    size = TOKENS["font_size"]["annotation"]
    for item in items:
        # An aggregate down to one row, so the datum-positioned mark is drawn once.
        one = alt.Chart().transform_aggregate(dd_count="count()")
        if item.kind == "rule" and item.axis == "x":
            value = item.x
            align, text = place_label(item.label, _fraction(value, x, data), plot_width, 5)
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
        elif item.kind == "rule":
            value = item.y
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
                    alt.TextValue(value=item.label),
                )
            )
        else:
            xv, yv = item.x, item.y
            align, text = place_label(item.label, _fraction(xv, x, data), plot_width, 8)
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
