"""Chart building: validated options plus a pandas DataFrame in, an Altair chart out.

Pure functions, no Pelican and no Markdown: `build_chart(options, frame, width=640)`.
Every option and every column it names is checked against the frame before Altair sees
it, so a wrong directive gives a DirectiveError (with `key=` set to the option) that says
what is wrong and how to fix it, never a blank chart or a Vega stack trace.

Where things are:
- encodings.py: an option like `sum(total):Q` checked against the data, and Altair channels;
- prepare.py: fold, relabel, aggregate in pandas, rows for the spec (dates as ISO text);
- xy.py: the x/y marks (line, area, bar, point), small multiples included;
- labels.py: direct labels at line ends, legend wrapping, label placement, the theme on top;
- annotations.py: dated rules and labelled points over an x/y chart;
- maps.py: `mark: map`, a US choropleth;
- custom.py: `mark: python`, a function from the configured functions folder.
The theme (colours, type, gridlines) comes from chart_theme.py.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from ..errors import DirectiveError
from ..options import (
    boolean,
    closest,
    int_between,
    list_of,
    module_function,
    one_of,
    pair_of_strings,
    shorthand_or_mapping,
    string,
    validate,
)
from .annotations import annotation_option
from .custom import python_chart
from .labels import set_notes
from .maps import map_chart
from .prepare import fold, labels_option, relabel
from .xy import sort_option, xy_chart

# Charts from `mark: python` functions usually carry a DataFrame: inline it whatever its
# length (the directive layer caps the rows it lets through).
alt.data_transformers.disable_max_rows()


MARKS = ("line", "area", "bar", "point", "map", "python")


CHART_OPTIONS = {
    "mark": (None, one_of(*MARKS)),
    "x": (None, shorthand_or_mapping),
    "y": (None, shorthand_or_mapping),
    "color": (None, shorthand_or_mapping),
    "tooltip": (None, list_of(shorthand_or_mapping)),
    "sort": (None, sort_option),
    "fold": (None, list_of(string, allow_single=False)),
    "fold_as": (None, pair_of_strings),
    "stack": (None, one_of(True, False, "normalize")),
    "group": (False, boolean),
    "facet": (None, shorthand_or_mapping),
    "columns": (None, int_between(1, 12)),
    "annotations": (None, list_of(annotation_option)),
    "height": (None, int_between(80, 1200)),
    "function": (None, module_function),
    "state": (None, string),
    "labels": (None, labels_option),
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


def build_chart(
    options: dict, frame: pd.DataFrame, *, width: int = 640, functions_dir: str | Path | None = None
) -> alt.TopLevelMixin:
    """Build the Altair chart a chart directive describes, from its chart options and data.

    `options` holds only the chart keys of CHART_OPTIONS (validated or raw); `frame` is the
    CSV after the directive's filter; `width` is the rendered width in pixels;
    `functions_dir` is where `mark: python` looks for modules. Raises DirectiveError.
    For maps, `chart.dd_notes` lists a note about rows the map cannot show (else empty).
    """
    opts = validate(options, CHART_OPTIONS)
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
        chart = python_chart(opts, frame, functions_dir, width)
    else:
        if frame.empty:
            raise DirectiveError("the data has no rows; check the CSV and the filter", key="data")
        frame = relabel(opts, fold(opts, frame))
        chart = map_chart(opts, frame, width) if mark == "map" else xy_chart(opts, frame, width)
    if not hasattr(chart, "dd_notes"):
        set_notes(chart, [])
    return chart


__all__ = ["CHART_OPTIONS", "MARKS", "build_chart", "closest"]
