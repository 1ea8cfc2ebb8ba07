"""The `chart` directive: a CSV drawn as an accessible figure (SVG, data table, source line).

    ```chart
    data: agreements_by_month.csv
    mark: line
    x: month:T
    y: total:Q
    title: 287(g) agreements grew tenfold in a year
    description: Line chart. Agreements rose from 135 in January 2025 to 1,425 in Feb. 2026.
    ```

Every option: docs/directives.md, "Chart". The options are the figure's own (FIGURE_OPTIONS,
`description`, `interactive`) plus every mark's (charts.CHART_OPTIONS), validated once; the
chart is prepared once (charts.prepare_chart: columns checked, data aggregated) and drawn per
width: the wide SVG, and a phone drawing for marks that ask for one. The data table shows the
rows the prepared chart embeds, never rows found by searching the spec.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from .. import annotation_rows, figure, render
from ..chart_theme import use_font
from ..errors import DirectiveError
from ..options import REQUIRED, boolean, one_of, text
from .base import FIGURE_OPTIONS, Context, Directive, Rendered, check_data_source

if TYPE_CHECKING:
    from ..charts import Mark, PreparedChart

CHART_FIGURE_OPTIONS = {
    **FIGURE_OPTIONS,
    "description": (REQUIRED, text),
    "interactive": (None, boolean),
    # `small`: one drawing at NARROW_WIDTH for every screen (see `drawings`).
    "size": ("full", one_of("full", "small")),
}


class ChartDirective(Directive):
    name = "chart"
    cached = True

    # The charts package (Altair, pandas) is imported only when a chart is checked or drawn:
    # a warm build, every chart from the cache, never loads it.
    @property
    def options(self) -> dict:
        from .. import charts

        return {**CHART_FIGURE_OPTIONS, **charts.CHART_OPTIONS}

    def check(self, raw: dict) -> dict:
        from .. import charts

        opts = check_data_source(super().check(raw))
        charts.check_mark(opts)
        return opts

    def render(self, opts: dict, ctx: Context) -> Rendered:
        from .. import charts

        config = ctx.config
        # Annotation values from CSV rows (annotation_rows.py) become plain values first.
        opts = {
            **opts,
            "annotations": annotation_rows.resolve(opts["annotations"], config.data_dir),
        }
        source, as_of = ctx.source_line(opts)
        table, frame = ctx.frame(opts)
        chart_opts = {k: opts[k] for k in charts.CHART_OPTIONS}
        chart = charts.prepare_chart(chart_opts, frame, config.functions_dir)
        rows = tidy_dates(chart.rows)
        if len(rows) > config.max_rows:
            raise DirectiveError(
                f"the chart would embed {len(rows):,} rows of {table.name} (limit "
                f"{config.max_rows:,}); aggregate (e.g. 'y: sum(total):Q') or add a "
                "filter, or raise DATA_DIRECTIVES['MAX_ROWS']",
                key="data",
            )
        if ctx.dry_run:
            return Rendered("", tuple(ctx.data_files(opts)))
        small = opts["size"] == "small" and 0 < config.narrow_width < config.width
        width = config.narrow_width if small else config.width
        vl = use_font(chart.spec(width), config.font_family)
        fig_id = "fig-" + (opts["id"] or figure.slugify(opts["title"]))
        # Ids come from the chart's own spec only, so editing the plugin does not churn them.
        prefix = "dd" + hashlib.sha256(render.canonical_json(vl).encode()).hexdigest()[:8]
        graphic = drawings(chart, vl, config, fig_id, prefix, small=small)
        notes = " ".join(n for n in [opts["notes"], *chart.notes] if n)
        columns = list(rows[0]) if rows else []
        href, full, files = ctx.downloads(opts, fig_id, rows, columns)
        live = live_spec(opts, chart.mark, vl, config)
        # A static map's regions, for the lazily loaded map explorer (a live chart has its own).
        # 'interactive: false' (or INTERACTIVE: False) means the static SVG and no script.
        off = opts["interactive"] is False or not config.interactive
        regions = None if live or off else chart.mark.regions(chart, rows, date_formats(rows))
        explore = ""
        if regions:
            name = f"figures/{fig_id}-{hashlib.sha256(regions.encode()).hexdigest()[:8]}.json"
            files = {**files, name: regions}
            explore = f' data-dd-regions="{ctx.csv_href(name)}"'
        data_table = ""
        if chart.mark.data_table:
            data_table = "".join(
                [
                    '<details class="dd-data"><summary>Data table</summary>',
                    figure.data_table(
                        rows[: config.table_max_rows],
                        columns,
                        caption_text=f"Data for the chart: {opts['title']}",
                        table_id=f"{fig_id}-table",
                        total_rows=len(rows),
                        formats=date_formats(rows),
                    ),
                    "</details>",
                ]
            )
        parts = [
            f'<figure class="dd-figure dd-chart" id="{fig_id}" data-dd-key="{prefix}"{explore}>',
            figure.caption(fig_id, opts["title"], opts["subtitle"]),
            f'<div class="dd-graphic">{graphic}</div>',
            chart.mark.figure_html(chart, figure.escape),
            f'<p class="dd-desc dd-visually-hidden" id="{fig_id}-desc">'
            f"{figure.escape(opts['description'])}</p>",
            keys_hint(fig_id) if explore else "",
            live,
            figure.meta(source, as_of, notes or None, href, full),
            data_table,
            "</figure>",
        ]
        card = {**vl, "title": {"text": opts["title"], "subtitle": f"Source: {source}"}}
        return Rendered("".join(parts), tuple(ctx.data_files(opts)), card, files)


# The map explorer's key hint: hidden, read only as the map's description once the loader
# makes the map a Tab stop (it adds the id to the SVG's aria-describedby). Written here, not
# by the loader, to keep the loader small.
KEYS_HINT = (
    "Arrow keys move between places, Home and End go to the first and last, "
    "Escape hides the details."
)


def keys_hint(fig_id: str) -> str:
    return f'<p hidden id="{fig_id}-keys">{KEYS_HINT}</p>'


def drawings(
    chart: PreparedChart, vl: dict, config, fig_id: str, prefix: str, *, small: bool = False
) -> str:
    """The static SVG, plus a narrower drawing for phones where the wide one would shrink its
    type below reading size (the mark says whether it wants one), from the same prepared chart;
    or, for a mark that scales well but for its legend (a map), the legend alone for phones.

    A `size: small` chart (`vl` drawn at NARROW_WIDTH) is drawn once: that drawing is the
    phone's, and wider screens show it at its own width (class dd-small, charts.css) rather
    than stretch its type. One vl-convert render instead of two: a state page's growth chart
    cost ~20 ms of spec and SVG less, and its page one SVG less."""
    wide = render.to_svg(vl)
    if chart.mark.whole_pixels:
        wide = figure.whole_pixel_paths(wide)
    if chart.mark.relative_paths(chart):
        wide = figure.relative_paths(wide)
    if small:
        return figure.accessible_svg(wide, fig_id, prefix, "dd-small")
    if config.narrow_width >= config.width or config.narrow_width == 0:
        return figure.accessible_svg(wide, fig_id, prefix)
    if not chart.mark.phone_drawing:
        legend = chart.legend_spec(config.narrow_width)
        if legend is None:
            return figure.accessible_svg(wide, fig_id, prefix)
        legend_svg = render.to_svg(use_font(legend, config.font_family))
        if chart.mark.whole_pixels:
            legend_svg = figure.whole_pixel_paths(legend_svg)
        # The legend first, where the wide drawing has its own (hidden on phones by charts.css).
        return figure.decorative_svg(
            legend_svg, prefix + "l", "dd-narrow dd-legend"
        ) + figure.accessible_svg(wide, fig_id, prefix, "dd-has-legend")
    narrow = render.to_svg(use_font(chart.spec(config.narrow_width), config.font_family))
    return figure.accessible_svg(wide, fig_id, prefix, "dd-wide dd-has-narrow") + (
        figure.accessible_svg(narrow, fig_id, prefix + "n", "dd-narrow")
    )


def live_spec(opts: dict, mark: Mark, vl: dict, config) -> str:
    """The compiled Vega spec the browser runtime swaps in (docs/interactive.md)."""
    live = opts["interactive"]
    if live is None:
        live = config.interactive and mark.interactive
    if not live:
        return ""
    from ..interactive import InteractiveSpecError, interactive_spec

    try:
        spec = interactive_spec(vl)
    except InteractiveSpecError as exc:
        raise DirectiveError(
            f"this chart cannot be made interactive ({exc}); add 'interactive: false'",
            key="interactive",
        ) from None
    return f'<script type="application/json" class="dd-spec">{spec}</script>'


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(T00:00:00(\.000)?Z?)?$")


_ISO_DAY_OR_MONTH = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def date_formats(rows: list[dict]) -> dict[str, str]:
    """The data table prints date columns like the prose (AP style: "May 2026", "Feb. 17,
    2026"), not as ISO text; a year column is already a plain year."""
    if not rows:
        return {}
    return {
        column: "date"
        for column in rows[0]
        if all(isinstance(r.get(column), str) and _ISO_DAY_OR_MONTH.match(r[column]) for r in rows)
    }


def tidy_dates(rows: list[dict]) -> list[dict]:
    """Show a date column at the precision its data has: a month column drawn as
    2025-01-01 is shown as 2025-01 in the data table, a year column as 2025."""
    if not rows:
        return rows
    cut = {}
    for column in rows[0]:
        cells = [r.get(column) for r in rows]
        if not all(isinstance(c, str) and _ISO_DAY.match(c) for c in cells):
            continue
        if all(c[4:10] == "-01-01" for c in cells):
            cut[column] = 4
        elif all(c[7:10] == "-01" for c in cells):
            cut[column] = 7
        else:
            cut[column] = 10
    if not cut:
        return rows
    return [{k: (v[: cut[k]] if k in cut else v) for k, v in r.items()} for r in rows]
