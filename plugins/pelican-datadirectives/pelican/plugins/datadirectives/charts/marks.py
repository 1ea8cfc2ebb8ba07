"""What a mark is: its options as data, how it is prepared once, and how it is drawn per width.

A mark (`mark: line`, `mark: map`, ...) is a subclass of `Mark` registered by name in
charts/__init__.py's MARKS. It declares

- `name`, and `options`: {option: (default, validator)}, the chart options it takes besides
  `mark` (an option another mark takes is refused for this one: "does not apply"); options
  several marks share come from SHARED_OPTIONS;
- `phone_drawing`: whether a second, narrower drawing is made for phones (charts whose type
  would shrink below reading size); a mark that scales well but for its legend (a map)
  draws just the legend for phones instead (`phone_legend`); `interactive`: whether the
  chart is live in the browser by default (the `interactive` option and the INTERACTIVE
  setting still decide);
  `whole_pixels`: whether the SVG's path coordinates are rounded to whole pixels (page weight
  of maps);
- `prepare(opts, frame, functions_dir)`: everything that depends on the data and not on the
  width, done once per chart: check every option and column against the frame (raising
  DirectiveError with `key=` the option), convert, aggregate; returns a `PreparedChart` with
  the rows the chart embeds (the figure's data table) and notes for its footer;
- `draw(chart, width)`: the Altair chart at one width, from the prepared chart; it raises
  nothing an author can cause (every check was made in `prepare`), and changes nothing in
  the prepared chart (it is drawn again at another width).

How to add a mark (e.g. `timeline`): write charts/timeline.py with a `Mark` subclass (take
xy.py or maps.py as the model), add an instance to MARKS in charts/__init__.py, document its
options under "Chart" in docs/directives.md (tests/test_docs.py fails until they are), and
add tests beside the plugin's tests/test_charts.py: every option, every error, rendered
with vl-convert.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

from ..options import int_between, list_of, shorthand_or_mapping
from .prepare import labels_option

# Options several marks take, declared once so that each means one thing everywhere (the
# registry refuses two different declarations of one option name).
SHARED_OPTIONS = {
    "color": (None, shorthand_or_mapping),
    "tooltip": (None, list_of(shorthand_or_mapping)),
    "height": (None, int_between(80, 1200)),
    "labels": (None, labels_option),
}


@dataclass(frozen=True)
class PreparedChart:
    """A chart validated, loaded and aggregated once, ready to be drawn at any width."""

    mark: Mark
    options: dict  # the validated chart options
    rows: list[dict]  # the rows the chart embeds (JSON-ready), for the figure's data table
    notes: tuple[str, ...]  # notes for the figure's footer (e.g. places a map cannot show)
    state: Any  # what the mark's `draw` needs (resolved encodings, prepared data)

    def draw(self, width: int) -> alt.TopLevelMixin:
        """The Altair chart at `width` pixels."""
        return self.mark.draw(self, width)

    def spec(self, width: int) -> dict:
        """The Vega-Lite spec at `width` pixels."""
        return self.mark.spec(self, width)

    def legend_spec(self, width: int) -> dict | None:
        """The Vega-Lite spec of the mark's phone legend (None: the mark has none)."""
        return self.mark.legend_spec(self, width)


class InlineRows:
    """A prepared chart's rows as one value Altair passes through whole.

    `alt.Data(values=rows)` with a list makes Altair copy every row each time a chart is
    layered or copied and walk every cell in `to_dict`: ~50 us a row, 50 ms for a county
    map's 900 rows, per drawing. Altair keeps an object it does not know as it is and asks
    a schema-like one (`_schema`, `to_dict`) for its value once, in `to_dict`: these rows,
    as new dicts (the spec must not share the figure's rows). The same spec either way
    (tests/test_charts.py compares it with Altair's own).
    """

    __slots__ = ("rows",)
    _schema = {"type": "array"}

    def __init__(self, rows: list[dict]):
        self.rows = rows

    def to_dict(self, *args, **kwargs) -> list[dict]:
        return [dict(row) for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, index):
        return self.rows[index]


class Mark:
    """A kind of chart. Subclasses set the class attributes and implement prepare and draw."""

    name: ClassVar[str]
    options: ClassVar[Mapping[str, tuple[Any, Any]]] = {}
    phone_drawing: ClassVar[bool] = True
    interactive: ClassVar[bool] = True
    whole_pixels: ClassVar[bool] = False
    # Whether the figure carries the "Data table" of the embedded rows (a timeline's list of
    # events replaces it); `figure_html` is HTML the mark adds under its drawing.
    data_table: ClassVar[bool] = True

    def figure_html(self, chart: PreparedChart, escape) -> str:
        """HTML the figure shows right under the drawing (none by default)."""
        return ""

    def prepare(self, opts: dict, frame: pd.DataFrame, functions_dir: Path | None) -> PreparedChart:
        raise NotImplementedError

    def draw(self, chart: PreparedChart, width: int) -> alt.TopLevelMixin:
        raise NotImplementedError

    def relative_paths(self, chart: PreparedChart) -> bool:
        """Whether the static SVG's whole-pixel paths are written in relative steps
        (figure.relative_paths; a county map's thousands of shapes)."""
        return False

    def regions(self, chart: PreparedChart, rows: list[dict], formats: dict) -> str | None:
        """JSON for the browser's map explorer: each region's name and the data table's
        values, in the order the static SVG draws the regions (None: nothing to explore)."""
        return None

    def phone_legend(self, chart: PreparedChart, width: int) -> alt.TopLevelMixin | None:
        """The legend alone, laid out for a phone `width` wide (None: no separate legend).

        For marks without a phone drawing whose wide drawing scales down well except for its
        legend: the page shows this legend on phones and hides the drawing's own."""
        return None

    def spec(self, chart: PreparedChart, width: int) -> dict:
        """The Vega-Lite spec of `draw`."""
        # Every option and column was checked in `prepare`, and vl-convert still rejects an
        # invalid spec loudly, so Altair's schema checks are skipped: the one in to_dict
        # (~30 ms per drawing) and those of its debug mode, on by default, which validates
        # every object as it is built (the chart's rows once per alt.Data, the theme once per
        # alt.Config): 10 to 250 ms more per drawing, the same spec either way.
        with debug_mode(False):
            return self.draw(replace(chart, rows=InlineRows(chart.rows)), width).to_dict(
                validate=False
            )

    def legend_spec(self, chart: PreparedChart, width: int) -> dict | None:
        """The Vega-Lite spec of `phone_legend` (None: no separate legend); unchecked, as spec."""
        with debug_mode(False):
            legend = self.phone_legend(replace(chart, rows=InlineRows(chart.rows)), width)
            return None if legend is None else legend.to_dict(validate=False)

    def __repr__(self) -> str:
        return f"<mark {self.name}>"
