"""Where a cold chart's time goes: each stage of Renderer._chart, timed per chart.

For every ```chart block of a site: Altair chart building (charts.build_chart), Vega-Lite
export with Altair's schema validation (to_dict), the static SVG (vl-convert), the narrow
SVG for phones (built and drawn again at the narrow width; not for maps), the interactive
spec (Vega-Lite compiled to Vega by vl-convert, plus post-processing) and the share card PNG
(one per article, counted here per chart to show its size). Each stage is timed after one
untimed pass over all charts, so one-off start-up costs (V8 start, schema loading) are left
out; they are reported separately as `first call`.
"""

from __future__ import annotations

import time
from pathlib import Path

STAGES = ("build", "to_dict", "svg", "narrow svg", "live spec", "card png")


def _timed(fn):
    t = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t


def stage_times(site: Path) -> dict:
    """{"first call": s, "charts": [{title, mark, build, to_dict, svg, live spec, card png}]}."""
    import pelican.plugins.datadirectives.charts as charts
    from pelican.plugins.datadirectives import render
    from pelican.plugins.datadirectives.cards import card_spec
    from pelican.plugins.datadirectives.directives import CHART_FIGURE_OPTIONS as CHART_COMMON
    from pelican.plugins.datadirectives.interactive import interactive_spec
    from pelican.plugins.datadirectives.options import validate as check_options
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
    jobs = []
    for body in chart_bodies(site):
        options, _ = read_yaml(body)
        opts = check_options(options, {**CHART_COMMON, **charts.CHART_OPTIONS})
        _, frame = renderer._frame(opts)
        jobs.append((opts, frame))

    def one(opts, frame):
        times = {}
        chart, times["build"] = _timed(
            lambda: charts.build_chart(
                {k: opts[k] for k in charts.CHART_OPTIONS}, frame, width=config.width
            )
        )
        vl, times["to_dict"] = _timed(chart.to_dict)
        _, times["svg"] = _timed(lambda: render.to_svg(vl))
        # Directives draw non-map charts a second time, narrower, for phones (_drawings).
        narrow = getattr(config, "narrow_width", config.width)
        times["narrow svg"] = 0.0
        if opts["mark"] not in ("map", "python") and narrow < config.width:
            _, times["narrow svg"] = _timed(
                lambda: render.to_svg(
                    charts.build_chart(
                        {k: opts[k] for k in charts.CHART_OPTIONS}, frame, width=narrow
                    ).to_dict()
                )
            )
        _, times["live spec"] = _timed(lambda: interactive_spec(vl))
        card = {**vl, "title": {"text": opts["title"], "subtitle": "Source"}}
        _, times["card png"] = _timed(lambda: render.to_png(card_spec(card)))
        return times

    started = time.perf_counter()
    for opts, frame in jobs:  # untimed pass: start-up costs
        one(opts, frame)
    first = time.perf_counter() - started
    rows = []
    for opts, frame in jobs:
        times = one(opts, frame)
        rows.append({"title": opts["title"], "mark": str(opts["mark"]), **times})
    warm_total = sum(sum(r[s] for s in STAGES) for r in rows)
    return {"first call": first - warm_total, "charts": rows}
