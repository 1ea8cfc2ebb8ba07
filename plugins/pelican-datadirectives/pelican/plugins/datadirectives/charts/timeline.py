"""The `timeline` mark: dated events as numbered markers on a time axis, with a list.

Syntax (docs/directives.md, "Timelines"):

    ```chart
    data: minneapolis_timeline.csv
    mark: timeline
    x: date
    text: event
    detail: [who_said, claim_type]
    title: Operation Metro Surge, day by day
    description: Timeline of ...
    ```

Each row is one event. The drawing puts a numbered circle at each event's date; events too
close to share a line at the drawn width move up to the next lane, so markers never overlap
(lanes are worked out per drawing, so the phone drawing has its own). The figure then lists
every event in order, numbered like the markers: the list is what screen readers and readers
without the graphic use, and the text stays out of the SVG, where long labels would not fit
a phone. A date given only as a month (2025-12) is drawn at the month's start with a dashed
circle and listed as "Dec. 2025".
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from ..chart_theme import TOKENS
from ..data import check_column
from ..errors import DirectiveError
from ..formats import format_date
from ..options import list_of, string
from .labels import finish
from .marks import Mark, PreparedChart
from .xy import XY_OPTIONS

MARKER = 24  # marker diameter in pixels (its number is drawn at 12 px)
LANE = 30  # vertical distance between lanes, in pixels
AXIS_ROOM = 34  # the time axis and its labels below the lanes


@dataclass(frozen=True)
class Event:
    """One row of the timeline, as the figure's list shows it."""

    number: int
    iso: str  # the date as in the CSV (YYYY-MM-DD or YYYY-MM)
    when: str  # AP style: "Jan. 7, 2026" or "Dec. 2025"
    text: str
    detail: str


def events(opts: dict, frame: pd.DataFrame) -> list[Event]:
    """The events in date order (ties keep the CSV's order), numbered from 1."""
    x, text = _column(opts, "x", frame), _column(opts, "text", frame)
    details = [_column_name(d, frame, "detail") for d in opts.get("detail") or []]
    rows = []
    for position, row in enumerate(frame.to_dict("records")):
        iso = row[x].strftime("%Y-%m-%d") if isinstance(row[x], pd.Timestamp) else str(row[x])
        iso = iso.strip()
        when = _when(iso, x)
        label = str(row[text]).strip() if pd.notna(row[text]) else ""
        if not label:
            raise DirectiveError(
                f"text: the row dated {iso} has an empty {text!r}; every event needs words",
                key="text",
            )
        extra = "; ".join(str(row[d]).strip() for d in details if pd.notna(row[d]) and row[d])
        # A month-only date sorts (and is drawn) at the start of its month.
        rows.append((iso if len(iso) == 10 else iso + "-00", position, iso, when, label, extra))
    rows.sort()
    return [
        Event(i, iso, when, label, extra)
        for i, (_, _, iso, when, label, extra) in enumerate(rows, start=1)
    ]


class TimelineMark(Mark):
    """`mark: timeline`: numbered events on a time axis; the figure lists the events."""

    name = "timeline"
    options = {
        "x": XY_OPTIONS["x"],  # the date column (the same option as the x/y marks')
        "text": (None, string),  # the column of each event's words
        "detail": (None, list_of(string)),  # columns printed after the words, in brackets
    }
    interactive = False  # the list already gives everything a tooltip would
    data_table = False  # the list replaces the data table

    def prepare(self, opts: dict, frame: pd.DataFrame, functions_dir=None) -> PreparedChart:
        found = events(opts, frame)
        return PreparedChart(self, opts, [], tuple(notes(found)), found)

    def draw(self, chart: PreparedChart, width: int) -> alt.TopLevelMixin:
        return build(chart.state, width)

    def figure_html(self, chart: PreparedChart, escape) -> str:
        return list_html(chart.state, escape)


def build(found: list[Event], width: int) -> alt.LayerChart:
    """The drawing: numbered circles in lanes above a time axis."""
    stamps = [pd.Timestamp(e.iso + ("-01" if len(e.iso) == 7 else "")) for e in found]
    lo, hi = min(stamps), max(stamps)
    pad = max((hi - lo) * 0.04, pd.Timedelta(days=1))
    lo, hi = lo - pad, hi + pad
    span = (hi - lo).total_seconds()
    plot = max(width - MARKER, 60)
    lanes: list[float] = []  # the right edge (px) of the last marker in each lane
    records = []
    for event, stamp in zip(found, stamps, strict=True):
        px = (stamp - lo).total_seconds() / span * plot
        lane = next((i for i, edge in enumerate(lanes) if px - edge >= MARKER + 2), len(lanes))
        if lane == len(lanes):
            lanes.append(px)
        lanes[lane] = px
        records.append(
            {
                "n": event.number,
                "date": stamp.strftime("%Y-%m-%d"),
                "lane": lane,
                "month_only": len(event.iso) == 7,
            }
        )
    height = LANE * len(lanes) + AXIS_ROOM
    text_colour = TOKENS["colors"]["text"][0]
    x = alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(domain=[_iso(lo), _iso(hi)], type="utc"),
        axis=alt.Axis(format="%b %-d", grid=False, tickCount=6, labelOverlap=True),
    )
    y = alt.Y(
        "lane:Q",
        title=None,
        axis=None,
        scale=alt.Scale(domain=[-0.5, len(lanes) - 0.5], nice=False, zero=False),
    )
    base = alt.Chart().encode(x=x, y=y)
    circles = base.mark_point(
        shape="circle", size=MARKER * MARKER, filled=False, strokeWidth=1.5, color=text_colour
    ).encode(
        strokeDash=alt.StrokeDash(
            "month_only:N",
            scale=alt.Scale(domain=[False, True], range=[[1, 0], [3, 2]]),
            legend=None,
        )
    )
    numbers = base.mark_text(
        baseline="middle", align="center", fontSize=12, fontWeight="bold", color=text_colour
    ).encode(text="n:Q")
    chart = alt.layer(circles, numbers, data=alt.Data(values=records))
    return finish(
        chart,
        width=width,
        height=height,
        autosize=alt.AutoSizeParams(type="fit", contains="padding"),
    )


def notes(found: list[Event]) -> list[str]:
    """A note for the figure when some events are dated to the month only."""
    if any(len(e.iso) == 7 for e in found):
        return ["Events dated only by month are drawn at the month's start, in dashed circles."]
    return []


def list_html(found: list[Event], escape) -> str:
    """The ordered list that carries the timeline's words (numbered like the markers)."""
    items = []
    for e in found:
        detail = (
            f' <span class="dd-timeline-detail">({escape(e.detail)})</span>' if e.detail else ""
        )
        items.append(
            f'<li><time datetime="{e.iso}">{escape(e.when)}</time>: {escape(e.text)}{detail}</li>'
        )
    return f'<ol class="dd-timeline-list">{"".join(items)}</ol>'


def _column(opts: dict, key: str, frame: pd.DataFrame) -> str:
    value = opts.get(key)
    if value is None:
        example = "x: date" if key == "x" else "text: event"
        raise DirectiveError(
            f"option {key!r} is required for mark: timeline, e.g. {example}", key=key
        )
    if isinstance(value, dict):
        value = value.get("field")
    name = str(value).split(":")[0].strip()
    return _column_name(name, frame, key)


def _column_name(name, frame: pd.DataFrame, key: str) -> str:
    return check_column(frame, str(name), "the data", key=key)


def _when(iso: str, column: str) -> str:
    """AP-style date of an ISO day or month, or an error naming the cell."""
    try:
        return format_date(iso, "month" if len(iso) == 7 else "date")
    except DirectiveError:
        raise DirectiveError(
            f"x: {iso!r} in column {column!r} is not a date; write YYYY-MM-DD (or YYYY-MM "
            "for an event known only by month)",
            key="x",
        ) from None


def _iso(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%Y-%m-%dT%H:%M:%S")
