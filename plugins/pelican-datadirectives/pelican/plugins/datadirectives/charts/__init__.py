"""Chart building: validated options plus a pandas DataFrame in, a prepared chart out.

Pure functions, no Pelican and no Markdown:

    opts = check_chart_options(raw)               # validate; which mark; what applies to it
    chart = prepare_chart(opts, frame)            # once: check columns, convert, aggregate
    chart.rows, chart.notes                       # the figure's data table and footer notes
    chart.spec(640), chart.spec(340)              # the Vega-Lite spec, drawn per width

(`build_chart(raw, frame, width=640)` does all three, for tests and benchmarks.) Every option
and every column it names is checked against the frame before Altair sees it, so a wrong
directive gives a DirectiveError (with `key=` set to the option) that says what is wrong and
how to fix it, never a blank chart or a Vega stack trace.

The marks are registered by name in MARKS below; each declares its options, whether it gets a
phone drawing and whether it is interactive (marks.py says how to add one). Where things are:
- marks.py: what a mark is (`Mark`) and what preparing gives (`PreparedChart`);
- xy.py: the x/y marks (line, area, bar, point), small multiples included;
- maps.py: `mark: map`, a US choropleth;
- custom.py: `mark: python`, a function from the configured functions folder;
- timeline.py: `mark: timeline`, numbered events on a time axis (the figure lists them);
- encodings.py: an option like `sum(total):Q` checked against the data, and Altair channels;
- prepare.py: fold, relabel, aggregate in pandas, rows for the spec (dates as ISO text);
- labels.py: direct labels at line ends, legend wrapping, label placement, the theme on top;
- annotations.py: dated rules and labelled points over an x/y chart.
The theme (colours, type, gridlines) comes from chart_theme.py.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from ..errors import DirectiveError, closest
from ..options import one_of, validate
from ..registry import Registry
from .custom import PythonMark
from .maps import MapMark
from .marks import Mark, PreparedChart
from .timeline import TimelineMark
from .xy import AreaMark, BarMark, LineMark, PointMark

MARKS: Registry[Mark] = Registry(
    "mark",
    [LineMark(), AreaMark(), BarMark(), PointMark(), MapMark(), PythonMark(), TimelineMark()],
)


def _chart_options(marks: Registry[Mark]) -> dict:
    """`mark` and every option of every mark (an option shared by marks must be one option)."""
    spec: dict = {"mark": (None, one_of(*marks.names()))}
    for mark in marks.values():
        for name, option in mark.options.items():
            if name in spec and spec[name] != option:
                raise ValueError(f"marks declare option {name!r} twice, differently ({mark!r})")
            spec[name] = option
    return spec


CHART_OPTIONS = _chart_options(MARKS)


def check_mark(opts: dict) -> Mark:
    """The mark of validated chart options; refuses an option that does not apply to it."""
    if opts["mark"] is None:
        raise DirectiveError(
            f"option 'mark' is required; use one of: {', '.join(MARKS.names())}", key="mark"
        )
    mark = MARKS[opts["mark"]]
    for key, (default, _) in CHART_OPTIONS.items():
        value = opts.get(key)
        if key != "mark" and key not in mark.options and value is not None and value != default:
            raise DirectiveError(
                f"option {key!r} does not apply to mark: {mark.name}; remove it", key=key
            )
    return mark


def check_chart_options(options: dict) -> dict:
    """Validate raw chart options (only the keys of CHART_OPTIONS) and check the mark."""
    opts = validate(options, CHART_OPTIONS)
    check_mark(opts)
    return opts


def prepare_chart(
    opts: dict, frame: pd.DataFrame, functions_dir: str | Path | None = None
) -> PreparedChart:
    """Prepare a chart once from validated options (check_chart_options, or the directive's
    own validation, which checked the mark) and the CSV after the directive's filter.
    Raises DirectiveError."""
    mark = MARKS[opts["mark"]]
    return mark.prepare(opts, frame, Path(functions_dir) if functions_dir else None)


def build_chart(
    options: dict, frame: pd.DataFrame, *, width: int = 640, functions_dir: str | Path | None = None
) -> alt.TopLevelMixin:
    """Validate, prepare and draw at `width` in one call (tests and benchmarks)."""
    return prepare_chart(check_chart_options(options), frame, functions_dir).draw(width)


__all__ = [
    "CHART_OPTIONS",
    "MARKS",
    "Mark",
    "PreparedChart",
    "build_chart",
    "check_chart_options",
    "check_mark",
    "closest",
    "prepare_chart",
]
