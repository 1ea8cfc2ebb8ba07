"""Where a cold chart's time goes: each stage of the chart directive, timed per chart.

For every ```chart block of a site: preparing the chart once (options, columns, conversion,
aggregation: charts.prepare_chart), the wide Vega-Lite spec (chart.spec), the static SVG
(vl-convert, which compiles the Vega-Lite to Vega and renders it), the narrow phone drawing
(spec at the narrow width and its SVG, from the same prepared chart; not for maps), the
interactive spec (an enhanced Vega-Lite compiled to Vega by vl-convert, plus post-processing)
and the share card PNG (one per article, counted here per chart to show its size). Each stage
is timed after one untimed pass over all charts, so one-off start-up costs (V8 start, schema
loading, font registration) are left out; they are reported separately as `first call`.
"""

from __future__ import annotations

import time
from pathlib import Path

STAGES = ("prepare", "spec", "svg", "narrow svg", "live spec", "card png")


def _timed(fn):
    """(result, CPU seconds of this process, all threads: vl-convert renders in its own)."""
    t = time.process_time()
    result = fn()
    return result, time.process_time() - t


def stage_times(site: Path) -> dict:
    """{"first call": s, "charts": [{title, mark, build, to_dict, svg, live spec, card png}]}."""
    import pelican.plugins.datadirectives.charts as charts
    from pelican.plugins.datadirectives import annotation_rows, render
    from pelican.plugins.datadirectives.cards import card_spec
    from pelican.plugins.datadirectives.chart_theme import use_font
    from pelican.plugins.datadirectives.directives import DIRECTIVES
    from pelican.plugins.datadirectives.interactive import interactive_spec
    from pelican.plugins.datadirectives.parsing import read_yaml
    from pelican.plugins.datadirectives.renderer import Renderer
    from pelican.plugins.datadirectives.settings import load_config
    from sites import chart_bodies

    settings = {
        "PATH": str(site / "content"),
        "DATA_DIRECTIVES": {"DATA_DIR": str(site / "data"), "CACHE_DIR": str(site / ".stages")},
    }
    config = load_config(settings)
    renderer = Renderer(config, {})
    directive = DIRECTIVES["chart"]
    jobs = []
    for body in chart_bodies(site):
        options, _ = read_yaml(body)
        opts = directive.check(options)
        # As the chart directive does: annotation values from CSV rows become plain values.
        opts["annotations"] = annotation_rows.resolve(opts["annotations"], config.data_dir)
        _, frame = renderer.context.frame(opts)
        jobs.append((opts, frame))

    def one(opts, frame):
        times = {}
        chart_opts = {k: opts[k] for k in charts.CHART_OPTIONS}
        chart, times["prepare"] = _timed(
            lambda: charts.prepare_chart(chart_opts, frame, config.functions_dir)
        )
        vl, times["spec"] = _timed(lambda: use_font(chart.spec(config.width), config.font_family))
        _, times["svg"] = _timed(lambda: render.to_svg(vl))
        times["narrow svg"] = 0.0
        if chart.mark.phone_drawing and config.narrow_width < config.width:
            _, times["narrow svg"] = _timed(
                lambda: render.to_svg(use_font(chart.spec(config.narrow_width), config.font_family))
            )
        _, times["live spec"] = _timed(lambda: interactive_spec(vl))
        card = {**vl, "title": {"text": opts["title"], "subtitle": "Source"}}
        _, times["card png"] = _timed(lambda: render.to_png(card_spec(card)))
        return times

    started = time.process_time()
    for opts, frame in jobs:  # untimed pass: start-up costs
        one(opts, frame)
    first = time.process_time() - started
    rows = []
    for opts, frame in jobs:
        times = one(opts, frame)
        rows.append({"title": opts["title"], "mark": str(opts["mark"]), **times})
    warm_total = sum(sum(r[s] for s in STAGES) for r in rows)
    return {"first call": first - warm_total, "charts": rows}
