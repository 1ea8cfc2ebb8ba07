"""Labels and layout: text that must fit, sizes that must add up, the theme on top.

Direct labels name the series at the end of each line or area (instead of a legend) and are
pushed apart so they never overlap; a long legend wraps into rows; an annotation's label goes
on the side of its mark with room; small multiples share the width; `finish` applies the theme.
Widths are estimated from CHAR_WIDTH, a generous glyph width, so text never clips.
"""

from __future__ import annotations

import json
import math
from typing import Any

import altair as alt
import pandas as pd

from ..chart_theme import TOKENS, vega_config
from .encodings import Enc, color_channel, position_channel, vl_field
from .prepare import plain

MAX_DIRECT_LABELS = 6  # more series than this get a legend
FACET_SPACING = 16
CHAR_WIDTH = 0.66  # generous glyph width of bold system sans fonts, in em: labels must not clip


def direct_labels_fit(values: pd.Series, width: int) -> bool:
    """Whether end-of-line labels leave at least two thirds of the width to the plot."""
    longest = max((len(str(v)) for v in values.dropna().unique()), default=0)
    return longest * CHAR_WIDTH * TOKENS["font_size"]["direct_label"] <= width / 3


def finish(chart: alt.TopLevelMixin, **props: Any) -> alt.TopLevelMixin:
    """Apply the theme, transparent background and sizing to a top-level chart."""
    chart = chart.properties(**props) if props else chart
    # Set directly: `properties(config=...)` re-validates the whole theme on every chart.
    chart.background = "transparent"
    chart.config = alt.Config(**vega_config())
    return chart


def panel_width(width: int, columns: int) -> int:
    """Width of one small multiple so that `columns` of them (and one y axis) fill `width`."""
    return max(60, int((width - 60 - (columns - 1) * FACET_SPACING) / columns))


def legend_columns(enc: Enc, values: list | None, width: int | None) -> int | None:
    """How many entries per row keep a category legend within `width` (None: all fit in one)."""
    if enc.type not in "NO" or not values or not width:
        return None
    title = enc.title
    char = CHAR_WIDTH * TOKENS["font_size"]["label"]
    entry = max(len(str(v)) for v in values) * char + 12 + 5 + 10  # symbol, gap, padding
    title_width = len(title) * char + 8 if title else 0
    if title_width + entry * len(values) <= width:
        return None
    return max(1, int((width - title_width) // entry))


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


def direct_labels(
    data: pd.DataFrame,
    x: Enc,
    y: Enc,
    color: Enc,
    stack: Any,
    height: int,
    *,
    stacked: bool,
    dots: bool,
) -> list[alt.Chart]:
    """Series names at the right end of each line/area, in place of a legend.

    `stacked`: the series are bands stacked when `stack` is set (areas), so a name sits in
    the middle of its band; `dots`: a dot marks each line's end (lines, not areas).
    """
    valid = data.dropna(subset=[x.field, y.field])
    if valid.empty:
        return []
    last_x = valid[x.field].max() if x.type in "QT" else valid[x.field].iloc[-1]
    ends = valid[valid[x.field] == last_x].groupby(color.field, sort=True)[y.field].sum()
    if stack and stacked:
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
        {x.field: plain(last_x), y.field: plain(pos), "label": str(name)}
        for name, pos in zip(ends.index, positions, strict=True)
    ]
    label_x = position_channel(alt.X, x, None, None)
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
            y=alt.Y(field=vl_field(y.field), type="quantitative", stack=None),
            text=alt.Text(field="label", type="nominal"),
        )
    )
    layers = [text]
    if dots:
        end_points = [
            {x.field: plain(last_x), y.field: plain(v), color.field: plain(name)}
            for name, v in ends.items()
        ]
        layers.insert(
            0,
            alt.Chart(_side_data(end_points))
            .mark_circle(size=36, opacity=1)
            .encode(
                x=label_x,
                y=alt.Y(field=vl_field(y.field), type="quantitative"),
                color=color_channel(color, legend=False),
            ),
        )
    return layers


def place_label(label: str, frac: float, plot_width: float, gap: float) -> tuple[str, Any]:
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
