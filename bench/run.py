"""The build and page-weight benchmark: `make bench` prints one table (docs/performance.md).

    .venv/bin/python bench/run.py [--sizes 1,10,100] [--rows 1000,100000,1000000]
                                  [--arrests 10000000] [--keep]

Everything runs on copies in a temporary folder (bench/sites.py), built the way `make html`
builds (bench/measure.py), so the numbers do not depend on what is being edited in the tree:

- build, at three sizes: the explainer; 10x and 100x its charts (synthetic articles of 10
  charts each over the real CSVs). cold = empty chart cache; warm = rebuild, all cached (best of
  2); floor = the same site with every directive block and value removed (best of 2 after a
  warm-up). Targets: warm <= 1.2 x floor; the explainer's cold <= 2 x floor; 10x and 100x
  cold <= floor + 100 ms per chart.
- data: one aggregated chart over a CSV of 1 thousand, 100 thousand and 1 million rows,
  declared in datapackage.json (so validated like real data). Target: the first build after the
  1M-row CSV changes <= floor + 3 s, < 1 GB.
- arrests: a generated 10-million-row Parquet file (date, state, county, agency, model,
  outcome; deterministic, cached in bench/results/) charted by month and by state with `sql:`,
  cold and warm. Target: < 1 GB for the whole build tree.
- chart stages: where one chart's CPU time goes (bench/stages.py).
- pages: for every page of the built explainer, first-load and lazy bytes (bench/pages.py),
  next to the same charts saved by Altair with a CDN (default) and with inline=True.
  Target: every first load <= 100 KB gzip.

Results are also written to bench/results/latest.json (git-ignored).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
import pages  # noqa: E402
import sites  # noqa: E402
import stages  # noqa: E402
from pelican.plugins.datadirectives.progress import progress  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def frozen_explainer(tmp: Path) -> Path:
    """A copy of the work tree's site; if it does not build (mid-edit), the last commit's."""
    site = sites.snapshot(tmp / "explainer")
    try:
        measure.build(site, tmp / "probe")
        return site
    except RuntimeError as exc:
        print(
            f"bench: the work tree's site does not build now; using HEAD's content and data\n"
            f"{str(exc)[-600:]}",
            file=sys.stderr,
        )
    shutil.rmtree(site)
    site = sites.snapshot(tmp / "explainer")
    for name in ("content", "data"):
        shutil.rmtree(site / name)
    archive = subprocess.run(
        ["git", "archive", "HEAD", "content", "data"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(site)], input=archive, check=True)
    measure.build(site, tmp / "probe")  # raises with the build log if HEAD fails too
    return site


def bench_size(base: Path, tmp: Path, factor: int) -> dict:
    site = tmp / f"site-{factor}x"
    shutil.copytree(base, site, symlinks=True, ignore=shutil.ignore_patterns(".cache"))
    charts = sites.count_charts(site)
    if factor > 1:
        articles = math.ceil((factor - 1) * charts / sites.CHARTS_PER_ARTICLE)
        charts += sites.add_synthetic(site, articles)
    floor = tmp / f"floor-{factor}x"
    shutil.copytree(site, floor, symlinks=True)
    sites.strip_directives(floor)
    out = tmp / f"out-{factor}x"
    measure.build(floor, out)  # warm-up: the data package is validated once
    floor_run = measure.best([measure.build(floor, out) for _ in range(2)])
    cold = measure.build(site, out)
    cold_hash = tree_hash(out)
    warm = measure.best([measure.build(site, out) for _ in range(2)])
    pages_built = len(list(out.rglob("*.html")))
    return {
        "factor": factor,
        "charts": charts,
        "pages": pages_built,
        "cold": cold.seconds,
        "warm": warm.seconds,
        "floor": floor_run.seconds,
        "cold_cpu": cold.cpu,
        "warm_cpu": warm.cpu,
        "floor_cpu": floor_run.cpu,
        "cold_rss": cold.peak_rss,
        "cold_tree": cold.peak_tree,
        "warm_rss": warm.peak_rss,
        "floor_rss": floor_run.peak_rss,
        "identical": tree_hash(out) == cold_hash,
        "output": str(out),
        "site": str(site),
    }


def bench_rows(tmp: Path, rows: int) -> dict:
    site = sites.data_site(tmp / f"data-{rows}", rows)
    floor = sites.data_site(tmp / f"data-{rows}-floor", rows, chart=False)
    out = tmp / f"data-out-{rows}"
    alone = sites.data_site(tmp / f"data-{rows}-alone", rows, validate=False)
    # The floor's cold build validates the CSV against datapackage.json (DuckDB) as the
    # chart's does: floor_cold - floor is the validation. The chart's own cost is timed on a
    # site with validation off (alone - floor), as the validation's noise can swamp it.
    floor_cold = measure.build(floor, out)
    floor_run = measure.build(floor, out)
    cold = measure.build(site, out)
    warm = measure.best([measure.build(site, out) for _ in range(2)])
    chart = measure.build(alone, out)
    return {
        "rows": rows,
        "csv_bytes": (site / "data" / "big.csv").stat().st_size,
        "cold": cold.seconds,
        "warm": warm.seconds,
        "floor": floor_run.seconds,
        "floor_cold": floor_cold.seconds,
        "chart_alone": chart.seconds,
        "chart_alone_cpu": chart.cpu,
        "chart_alone_tree": chart.peak_tree,
        "cold_cpu": cold.cpu,
        "floor_cpu": floor_run.cpu,
        "floor_cold_cpu": floor_cold.cpu,
        "cold_rss": cold.peak_rss,
        "cold_tree": cold.peak_tree,
        "floor_cold_tree": floor_cold.peak_tree,
    }


def bench_arrests(tmp: Path, rows: int) -> dict:
    """The large example: a Parquet file of `rows` arrests charted by month and by state
    with `sql:`. floor_cold - floor is the file's validation; cold - floor is the first build
    after the file changes (validation and both charts)."""
    site = sites.arrests_site(tmp / f"arrests-{rows}", rows)
    floor = sites.arrests_site(tmp / f"arrests-{rows}-floor", rows, chart=False)
    out = tmp / f"arrests-out-{rows}"
    floor_cold = measure.build(floor, out)
    floor_run = measure.build(floor, out)
    cold = measure.build(site, out)
    cold_hash = tree_hash(out)
    warm = measure.best([measure.build(site, out) for _ in range(2)])
    return {
        "rows": rows,
        "parquet_bytes": (site / "data" / "arrests.parquet").stat().st_size,
        "cold": cold.seconds,
        "warm": warm.seconds,
        "floor": floor_run.seconds,
        "floor_cold": floor_cold.seconds,
        "cold_cpu": cold.cpu,
        "warm_cpu": warm.cpu,
        "floor_cpu": floor_run.cpu,
        "floor_cold_cpu": floor_cold.cpu,
        "cold_rss": cold.peak_rss,
        "cold_tree": cold.peak_tree,
        "floor_cold_tree": floor_cold.peak_tree,
        "warm_tree": warm.peak_tree,
        "identical": tree_hash(out) == cold_hash,
    }


def bench_pages(result: dict) -> list[dict]:
    output, site = Path(result["output"]), Path(result["site"])
    ours = pages.our_weights(output)
    try:
        altair = pages.altair_weights(output, site, ours)
    except Exception as exc:  # noqa: BLE001 (the comparison probe out of step with the plugin)
        print(f"bench: Altair comparison skipped ({exc!r})", file=sys.stderr, flush=True)
        altair = {}
    rows = []
    for name, (first, lazy, ids) in ours.items():
        row = {"page": name, "charts": len(ids), "first": vars(first), "lazy": vars(lazy)}
        if name in altair:
            row["altair_cdn"], row["altair_inline"] = (vars(w) for w in altair[name])
        rows.append(row)
    index = output / "search" / "index.json"
    if index.is_file():  # the search box's index: fetched only when a reader focuses the box
        lazy = pages.Weight().add(index.read_bytes())
        rows.append({"page": "search/index.json", "index": True, "lazy": vars(lazy)})
    return rows


def kb(n: int) -> str:
    return f"{n / 1000:,.0f} KB"


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


# Targets (issue 14): warm ≤ 1.2 × floor everywhere; the real site's cold build ≤ 2 × its
# floor; bigger sites' cold builds ≤ floor + 100 ms per chart; the first build after a
# 1M-row CSV changes ≤ floor + 3 s; the 10M-row example under 1 GB for the whole build tree.
WARM_RATIO, COLD_RATIO_1X, COLD_MS_PER_CHART, DATA_FIRST_BUILD_S = 1.2, 2.0, 100, 3.0


def table(sizes: list[dict], data: list[dict], weights: list[dict], parts=None, arrests=()) -> str:
    lines = [
        "| part | case | measured | ratio / per unit | target | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in sizes:
        ratio = r["warm"] / r["floor"]
        per_chart = (r["cold"] - r["floor"]) / r["charts"] * 1000
        cold_ratio = r["cold"] / r["floor"]
        if r["factor"] == 1:
            cold_text = f"cold/floor {cold_ratio:.2f}"
            cold_target, cold_ok = f"≤ {COLD_RATIO_1X:g}", cold_ratio <= COLD_RATIO_1X
        else:
            cold_text = f"(cold−floor)/chart {per_chart:,.0f} ms"
            cold_target, cold_ok = f"≤ {COLD_MS_PER_CHART} ms", per_chart <= COLD_MS_PER_CHART
        lines.append(
            f"| build | {r['factor']}x: {r['pages']} pages, {r['charts']} charts "
            f"| cold {r['cold']:.2f} s · warm {r['warm']:.2f} s · floor {r['floor']:.2f} s "
            f"(CPU {r['cold_cpu']:.1f} / {r['warm_cpu']:.1f} / {r['floor_cpu']:.1f} s) · "
            f"peak {r['cold_rss'] / MB:,.0f} MB (tree {r['cold_tree'] / MB:,.0f} MB)"
            f"{'' if r['identical'] else ' · OUTPUT DIFFERS warm vs cold'} "
            f"| warm/floor {ratio:.2f} · {cold_text} "
            f"| ≤ {WARM_RATIO} · {cold_target} | {verdict(ratio <= WARM_RATIO)} · "
            f"{verdict(cold_ok)} |"
        )
    if len(sizes) > 1:
        a, b = sizes[0], sizes[-1]
        grow = ((b["cold"] - b["floor"]) / b["charts"]) / ((a["cold"] - a["floor"]) / a["charts"])
        lines.append(
            f"| build | growth {a['factor']}x → {b['factor']}x | charts ×"
            f"{b['charts'] / a['charts']:.0f}, cold ×{b['cold'] / a['cold']:.1f}, "
            f"warm ×{b['warm'] / a['warm']:.1f} | per-chart cost ×{grow:.2f} "
            f"| linear or better (≤ 1) | {verdict(grow <= 1.1)} |"
        )
    for r in data:
        chart = r["chart_alone"] - r["floor"]
        validation = r["floor_cold"] - r["floor"]
        # The same split in CPU time: steadier than wall time when the machine is shared.
        chart_cpu = r["chart_alone_cpu"] - r["floor_cpu"]
        validation_cpu = r["floor_cold_cpu"] - r["floor_cpu"]
        peak = max(r["cold_tree"], r["floor_cold_tree"], r["chart_alone_tree"])
        first = r["cold"] - r["floor"]
        lines.append(
            f"| data | {r['rows']:,} rows ({r['csv_bytes'] / MB:,.1f} MB CSV) "
            f"| cold {r['cold']:.2f} s: floor {r['floor']:.2f} s, data-package validation "
            f"+{validation:.2f} s, chart +{chart:.2f} s (CPU {r['floor_cpu']:.1f}, "
            f"+{validation_cpu:.1f}, +{chart_cpu:.1f} s) · warm {r['warm']:.2f} s · "
            f"peak {r['cold_rss'] / MB:,.0f} MB (tree {peak / MB:,.0f} MB) "
            f"| first build after a change: floor +{first:.2f} s · validation "
            f"{validation_cpu / r['rows'] * 1e6:,.2f} µs CPU/row "
            f"| ≤ floor + {DATA_FIRST_BUILD_S:g} s, < 1 GB | "
            f"{verdict(first <= DATA_FIRST_BUILD_S)} · memory {verdict(peak < 1024 * MB)} |"
        )
    for r in arrests:
        validation = r["floor_cold"] - r["floor"]
        charts = r["cold"] - r["floor_cold"]
        peak = max(r["cold_tree"], r["floor_cold_tree"], r["warm_tree"])
        ratio = r["warm"] / r["floor"]
        lines.append(
            f"| data | {r['rows']:,} arrests, Parquet ({r['parquet_bytes'] / MB:,.0f} MB), "
            f"2 `sql:` charts by month and by state | cold {r['cold']:.2f} s: floor "
            f"{r['floor']:.2f} s, validation +{validation:.2f} s, charts +{charts:.2f} s "
            f"(CPU {r['floor_cpu']:.1f}, +{r['floor_cold_cpu'] - r['floor_cpu']:.1f}, "
            f"+{r['cold_cpu'] - r['floor_cold_cpu']:.1f} s) · warm {r['warm']:.2f} s (CPU "
            f"{r['warm_cpu']:.1f} s) · tree peak {peak / MB:,.0f} MB"
            f"{'' if r['identical'] else ' · OUTPUT DIFFERS warm vs cold'} "
            f"| warm/floor {ratio:.2f} | < 1 GB tree · warm ≤ {WARM_RATIO} × floor | "
            f"{verdict(peak < 1024 * MB)} · {verdict(ratio <= WARM_RATIO)} |"
        )
    for w in weights:
        if w.get("index"):
            lazy = w["lazy"]
            lines.append(
                f"| page | {w['page']} (search index, loaded on focus) "
                f"| lazy {kb(lazy['gzip'])} gz ({kb(lazy['raw'])} raw) | — | ≤ 40 KB gz "
                f"| {verdict(lazy['gzip'] <= 40 * 1024)} |"
            )
            continue
        first, lazy = w["first"], w["lazy"]
        alt = ""
        if "altair_cdn" in w:
            c, i = w["altair_cdn"], w["altair_inline"]
            alt = (
                f"Altair CDN {kb(c['gzip'])} gz ({kb(c['raw'])}) · "
                f"inline {kb(i['gzip'])} gz ({kb(i['raw'])})"
            )
        lazy_txt = f" · lazy {kb(lazy['gzip'])} gz" if lazy["raw"] else ""
        lines.append(
            f"| page | {w['page']} ({w['charts']} charts) "
            f"| first load {kb(first['gzip'])} gz ({kb(first['raw'])} raw){lazy_txt} "
            f"| {alt or '—'} | ≤ 100 KB gz | {verdict(first['gzip'] <= 100_000)} |"
        )
    for c in (parts or {}).get("charts", []):
        total = sum(c[k] for k in stages.STAGES) * 1000
        cells = " · ".join(f"{k} {c[k] * 1000:,.0f} ms" for k in stages.STAGES)
        lines.append(
            f"| chart stages | {c['mark']}: {c['title'][:40]} | {cells} "
            f"| {total:,.0f} ms CPU, one process | — | — |"
        )
    if parts:
        lines.append(
            f"| chart stages | first call in a process | {parts['first call']:.2f} s "
            "(V8 start, schemas) | paid once per process | — | — |"
        )
    load = os.getloadavg()
    lines.append(
        f"| machine | {os.cpu_count()} cores | load average {load[0]:.1f} / {load[1]:.1f} "
        f"/ {load[2]:.1f} (1/5/15 min) at the end | wall times suffer when it is > 2 "
        "| — | — |"
    )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--rows", default="1000,100000,1000000")
    parser.add_argument(
        "--arrests", default="10000000", help="rows of the Parquet example ('' to skip)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary sites")
    parser.add_argument(
        "--plugins",
        type=Path,
        help="measure this plugins/ folder instead "
        "(e.g. `git archive REV plugins | tar -x -C DIR`, then DIR/plugins)",
    )
    args = parser.parse_args(argv)
    if args.plugins:
        sites.PLUGINS["dir"] = args.plugins.resolve()
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="dd-bench-"))
    factors = [int(x) for x in args.sizes.split(",") if x]
    row_counts = [int(x) for x in args.rows.split(",") if x]
    arrest_counts = [int(x) for x in args.arrests.split(",") if x]
    steps = 2 + len(factors) + len(row_counts) + len(arrest_counts)
    try:
        # On a terminal, a bar (done / total steps, elapsed); in a log, the lines below only.
        with progress("make bench", steps) as advance:
            base = frozen_explainer(tmp)
            sizes = []
            for f in factors:
                print(f"bench: build {f}x ...", file=sys.stderr, flush=True)
                sizes.append(bench_size(base, tmp, f))
                print(f"  {sizes[-1]}", file=sys.stderr, flush=True)
                advance()
            data = []
            for n in row_counts:
                print(f"bench: data {n:,} rows ...", file=sys.stderr, flush=True)
                data.append(bench_rows(tmp, n))
                print(f"  {data[-1]}", file=sys.stderr, flush=True)
                advance()
            arrests = []
            for n in arrest_counts:
                print(f"bench: {n:,} arrests (Parquet, sql:) ...", file=sys.stderr, flush=True)
                arrests.append(bench_arrests(tmp, n))
                print(f"  {arrests[-1]}", file=sys.stderr, flush=True)
                advance()
            print("bench: page weights ...", file=sys.stderr, flush=True)
            weights = bench_pages(sizes[0]) if sizes else []
            advance()
            print("bench: chart stages ...", file=sys.stderr, flush=True)
            parts = stages.stage_times(base)
            advance()
        print(table(sizes, data, weights, parts, arrests))
        results = ROOT / "bench" / "results"
        results.mkdir(exist_ok=True)
        (results / "latest.json").write_text(
            json.dumps(
                {
                    "sizes": sizes,
                    "data": data,
                    "arrests": arrests,
                    "pages": weights,
                    "stages": parts,
                },
                indent=1,
                sort_keys=True,
            )
        )
        print(
            f"\n(bench took {time.perf_counter() - started:.0f} s; temp {tmp}"
            f"{' kept' if args.keep else ''})",
            file=sys.stderr,
        )
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
