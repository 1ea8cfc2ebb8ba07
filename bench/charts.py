"""Chart builder benchmark: time per mark (build, to_dict, SVG) and a 1,000,000-row aggregate.

    .venv/bin/python bench/charts.py

Measures `datadirectives.charts.build_chart` alone, without Pelican: for each mark the best
of 5 warm runs, in CPU time (so other work on the machine does not inflate it), of the build,
of Altair's validating `to_dict()` and of the vl-convert SVG render; and, for one line chart
of `sum(total)` over a million rows, the time and the peak traced Python memory
(tracemalloc) of build + `to_dict()`, with the number of rows the spec embeds.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import vl_convert as vlc

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT)]

from pelican.plugins.datadirectives.charts import build_chart  # noqa: E402


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    months = pd.date_range("2021-01-01", periods=65, freq="MS").strftime("%Y-%m-%d")
    long = pd.DataFrame(
        [
            {"month": m, "model": model, "total": i * k}
            for i, m in enumerate(months)
            for k, model in enumerate(["jem", "wso", "tfm"], start=1)
        ]
    )
    states = pd.DataFrame({"state": ["TX", "FL", "GA", "TN", "GU"], "n": [387, 348, 80, 63, 1]})
    return long, states


CASES = {
    "line, 3 series, direct labels": (
        {
            "mark": "line",
            "x": "month:T",
            "y": "total:Q",
            "color": "model:N",
            "annotations": [{"rule": "2025-01-20", "label": "Executive order"}],
        },
        0,
    ),
    "area, stacked": ({"mark": "area", "x": "month:T", "y": "total:Q", "color": "model:N"}, 0),
    "bar, horizontal, aggregated": ({"mark": "bar", "y": "model:N", "x": "sum(total):Q"}, 0),
    "bar, grouped by month": (
        {"mark": "bar", "x": "month:T", "y": "total:Q", "color": "model:N", "group": True},
        0,
    ),
    "point": ({"mark": "point", "x": "total:Q", "y": "total:Q", "color": "model:N"}, 0),
    "facet, 3 panels": ({"mark": "line", "x": "month:T", "y": "total:Q", "facet": "model:N"}, 0),
    "map, quantitative": ({"mark": "map", "state": "state", "color": "n:Q"}, 1),
}


def main() -> None:
    data = frames()
    vlc.vegalite_to_svg(build_chart(CASES["point"][0], data[0]).to_dict())  # engine warm-up
    print(f"{'chart (CPU ms, best of 5)':32} {'build':>6} {'to_dict':>8} {'svg':>6} {'bytes':>8}")
    for name, (opts, which) in CASES.items():
        builds, dicts, renders = [], [], []
        for _ in range(5):
            start = time.process_time()
            chart = build_chart(opts, data[which])
            builds.append(time.process_time() - start)
            start = time.process_time()
            spec = chart.to_dict()
            dicts.append(time.process_time() - start)
            start = time.process_time()
            svg = vlc.vegalite_to_svg(spec)
            renders.append(time.process_time() - start)
        print(
            f"{name:32} {min(builds) * 1000:6.0f} {min(dicts) * 1000:8.0f} "
            f"{min(renders) * 1000:6.0f} {len(svg):8,}"
        )

    n = 1_000_000
    rng = np.random.default_rng(0)
    big = pd.DataFrame(
        {
            "month": rng.choice(pd.date_range("2021-01-01", periods=60, freq="MS"), n),
            "state": rng.choice(["TX", "FL", "GA", "TN", "NC", "MO"], n),
            "total": rng.integers(0, 10, n),
        }
    )
    tracemalloc.start()
    start = time.perf_counter()
    chart = build_chart(
        {"mark": "line", "x": "month:T", "y": "sum(total):Q", "color": "state:N"}, big
    )
    spec = chart.to_dict()
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rows = len(spec["layer"][0].get("data", spec.get("data", {})).get("values", []))
    print(
        f"\n1,000,000 rows, sum(total) by month and state: {elapsed:.2f} s, "
        f"peak traced memory {peak / 1e6:.0f} MB, spec embeds {rows} rows"
    )


if __name__ == "__main__":
    main()
