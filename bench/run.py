"""The build and page-weight benchmark: `make bench` prints one table (docs/performance.md).

    .venv/bin/python bench/run.py [--sizes 1,10,100] [--rows 1000,100000,1000000]
                                  [--arrests 10000000] [--before REV] [--keep]

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

--before REV measures every build, data and arrests case a second time as commit REV had
the site (`git archive REV content data theme plugins pelican.conf.py`: its own plugin with
the content it could build), right after today's, and prints its numbers in a column beside
today's (`make bench` passes BENCH_BEFORE, the commit the issue's last round started from).

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
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
import pages  # noqa: E402
import sites  # noqa: E402
import stages  # noqa: E402
from pelican.plugins.datadirectives.progress import progress  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
CHART_FIGURE = 'class="dd-figure dd-chart"'  # one per chart drawn (figure.py)


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def frozen_explainer(tmp: Path, tree: Path | None = None) -> Path:
    """A copy of the work tree's site; if it does not build (mid-edit), the last commit's.
    With `tree` (run.py --before), a copy of that commit's site, unprobed."""
    if tree is not None:
        return sites.snapshot(tmp / f"explainer-{tree.name}", tree, tree / "plugins")
    site = sites.snapshot(tmp / "explainer")
    imported = measure.plugin_folder(site)
    if not imported.is_relative_to(site):
        raise SystemExit(f"bench: builds of the copy would import the plugin in {imported}")
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


def size_sites(base: Path, tmp: Path, factor: int, tag: str = "") -> tuple[Path, Path, int]:
    """(site, floor, charts) of the explainer at `factor` times its charts."""
    site = tmp / f"site-{factor}x{tag}"
    shutil.copytree(base, site, symlinks=True, ignore=shutil.ignore_patterns(".cache"))
    charts = sites.count_charts(site)
    if factor > 1:
        articles = math.ceil((factor - 1) * charts / sites.CHARTS_PER_ARTICLE)
        charts += sites.add_synthetic(site, articles)
    floor = tmp / f"floor-{factor}x{tag}"
    shutil.copytree(site, floor, symlinks=True)
    sites.strip_directives(floor)
    return site, floor, charts


def bench_size(site: Path, floor: Path, charts: int, factor: int) -> dict:
    out = site.parent / f"out-{site.name}"
    measure.build(floor, out)  # warm-up: the data package is validated once
    floor_run = measure.best([measure.build(floor, out) for _ in range(2)])
    cold = measure.build(site, out)
    cold_hash = tree_hash(out)
    warm = measure.best([measure.build(site, out) for _ in range(2)])
    pages_built = list(out.rglob("*.html"))
    return {
        "factor": factor,
        # Charts drawn: those of the page sets' generated pages too (40 on the real site),
        # which `charts` (blocks in content/, what the sizes multiply) leaves out.
        "charts": sum(p.read_text(encoding="utf-8").count(CHART_FIGURE) for p in pages_built),
        "chart_blocks": charts,
        "pages": len(pages_built),
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
        "output_hash": cold_hash,
        "output": str(out),
        "site": str(site),
    }


def one_page_runs(site: Path, floor: Path, out: Path) -> dict:
    """Cold (validation and charts), warm (best of 2) and floor builds of a one-page site.

    The floor's first build validates the data as the charted site's does, so floor_cold -
    floor is the validation and cold - floor the first build after the data changes."""
    floor_cold = measure.build(floor, out)
    floor_run = measure.build(floor, out)
    cold = measure.build(site, out)
    cold_hash = tree_hash(out)
    warm = measure.best([measure.build(site, out) for _ in range(2)])
    return {
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
        "output_hash": cold_hash,
    }


def bench_rows(tmp: Path, rows: int, tree: Path | None = None) -> dict:
    tag = "-before" if tree else ""
    site = sites.data_site(tmp / f"data-{rows}{tag}", rows, tree=tree)
    floor = sites.data_site(tmp / f"data-{rows}-floor{tag}", rows, chart=False, tree=tree)
    # The chart's own cost is timed on a site with validation off (alone - floor), as the
    # validation's noise can swamp it.
    alone = sites.data_site(tmp / f"data-{rows}-alone{tag}", rows, validate=False, tree=tree)
    out = tmp / f"data-out-{rows}{tag}"
    runs = one_page_runs(site, floor, out)
    chart = measure.build(alone, out)
    return {
        "rows": rows,
        "csv_bytes": (site / "data" / "big.csv").stat().st_size,
        **runs,
        "chart_alone": chart.seconds,
        "chart_alone_cpu": chart.cpu,
        "chart_alone_tree": chart.peak_tree,
    }


def bench_arrests(tmp: Path, rows: int, tree: Path | None = None) -> dict:
    """The large example: a Parquet file of `rows` arrests charted by month and by state
    with `sql:`. floor_cold - floor is the file's validation; cold - floor is the first build
    after the file changes (validation and both charts)."""
    tag = "-before" if tree else ""
    site = sites.arrests_site(tmp / f"arrests-{rows}{tag}", rows, tree=tree)
    floor = sites.arrests_site(tmp / f"arrests-{rows}-floor{tag}", rows, False, tree)
    runs = one_page_runs(site, floor, tmp / f"arrests-out-{rows}{tag}")
    parquet = (site / "data" / "arrests.parquet").stat().st_size
    return {"rows": rows, "parquet_bytes": parquet, **runs}


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


def size_row(r: dict) -> tuple[str, str, str, str, str]:
    """(case, measured, ratio, target, met) of a build size."""
    ratio = r["warm"] / r["floor"]
    per_chart = (r["cold"] - r["floor"]) / r["charts"] * 1000
    cold_ratio = r["cold"] / r["floor"]
    if r["factor"] == 1:
        cold_text = f"cold/floor {cold_ratio:.2f}"
        cold_target, cold_ok = f"≤ {COLD_RATIO_1X:g}", cold_ratio <= COLD_RATIO_1X
    else:
        cold_text = f"(cold−floor)/chart {per_chart:,.0f} ms"
        cold_target, cold_ok = f"≤ {COLD_MS_PER_CHART} ms", per_chart <= COLD_MS_PER_CHART
    return (
        f"{r['factor']}x: {r['pages']} pages, {r['charts']} charts",
        f"cold {r['cold']:.2f} s · warm {r['warm']:.2f} s · floor {r['floor']:.2f} s "
        f"(CPU {r['cold_cpu']:.1f} / {r['warm_cpu']:.1f} / {r['floor_cpu']:.1f} s) · "
        f"peak {r['cold_rss'] / MB:,.0f} MB (tree {r['cold_tree'] / MB:,.0f} MB)"
        f"{'' if r['identical'] else ' · OUTPUT DIFFERS warm vs cold'}",
        f"warm/floor {ratio:.2f} · {cold_text}",
        f"≤ {WARM_RATIO} · {cold_target}",
        f"{verdict(ratio <= WARM_RATIO)} · {verdict(cold_ok)}",
    )


def data_row(r: dict) -> tuple[str, str, str, str, str]:
    """(case, measured, ratio, target, met) of a data size."""
    chart = r["chart_alone"] - r["floor"]
    validation = r["floor_cold"] - r["floor"]
    # The same split in CPU time: steadier than wall time when the machine is shared.
    chart_cpu = r["chart_alone_cpu"] - r["floor_cpu"]
    validation_cpu = r["floor_cold_cpu"] - r["floor_cpu"]
    peak = max(r["cold_tree"], r["floor_cold_tree"], r["chart_alone_tree"])
    first = r["cold"] - r["floor"]
    return (
        f"{r['rows']:,} rows ({r['csv_bytes'] / MB:,.1f} MB CSV)",
        f"cold {r['cold']:.2f} s: floor {r['floor']:.2f} s, data-package validation "
        f"+{validation:.2f} s, chart +{chart:.2f} s (CPU {r['floor_cpu']:.1f}, "
        f"+{validation_cpu:.1f}, +{chart_cpu:.1f} s) · warm {r['warm']:.2f} s · "
        f"peak {r['cold_rss'] / MB:,.0f} MB (tree {peak / MB:,.0f} MB)",
        f"first build after a change: floor +{first:.2f} s · validation "
        f"{validation_cpu / r['rows'] * 1e6:,.2f} µs CPU/row",
        f"≤ floor + {DATA_FIRST_BUILD_S:g} s, < 1 GB",
        f"{verdict(first <= DATA_FIRST_BUILD_S)} · memory {verdict(peak < 1024 * MB)}",
    )


def arrests_row(r: dict) -> tuple[str, str, str, str, str]:
    """(case, measured, ratio, target, met) of the Parquet example."""
    validation = r["floor_cold"] - r["floor"]
    charts = r["cold"] - r["floor_cold"]
    peak = max(r["cold_tree"], r["floor_cold_tree"], r["warm_tree"])
    ratio = r["warm"] / r["floor"]
    return (
        f"{r['rows']:,} arrests, Parquet ({r['parquet_bytes'] / MB:,.0f} MB), "
        "2 `sql:` charts by month and by state",
        f"cold {r['cold']:.2f} s: floor {r['floor']:.2f} s, validation +{validation:.2f} s, "
        f"charts +{charts:.2f} s (CPU {r['floor_cpu']:.1f}, "
        f"+{r['floor_cold_cpu'] - r['floor_cpu']:.1f}, "
        f"+{r['cold_cpu'] - r['floor_cold_cpu']:.1f} s) · warm {r['warm']:.2f} s (CPU "
        f"{r['warm_cpu']:.1f} s) · tree peak {peak / MB:,.0f} MB"
        f"{'' if r['identical'] else ' · OUTPUT DIFFERS warm vs cold'}",
        f"warm/floor {ratio:.2f}",
        f"< 1 GB tree · warm ≤ {WARM_RATIO} × floor",
        f"{verdict(peak < 1024 * MB)} · {verdict(ratio <= WARM_RATIO)}",
    )


def table(
    sizes: list[dict],
    data: list[dict],
    weights: list[dict],
    parts=None,
    arrests=(),
    before: dict | None = None,
) -> str:
    """The issue's table; with `before` ({"rev", "sizes", "data", "arrests"}, measured with
    that commit's plugin), a column of its numbers beside today's on each measured row."""
    then = f" {before['rev']}" if before else ""
    lines = [
        f"| part | case | measured |{' before' + then + ' |' if before else ''} "
        "ratio / per unit | target | met |",
        "| --- | --- | --- |" + (" --- |" if before else "") + " --- | --- | --- |",
    ]

    def add(part: str, row: tuple, old: tuple | None = None, note: str = "") -> None:
        case, measured, ratio, target, met = row
        cells = [part, case, measured]
        if before:
            cells.append(" · ".join(x for x in old[1:3] if x) + note if old else "—")
        lines.append("| " + " | ".join([*cells, ratio, target, met]) + " |")

    kinds = (
        ("sizes", size_row, "build"),
        ("data", data_row, "data"),
        ("arrests", arrests_row, "data"),
    )
    for key, row, part in kinds:
        now = {"sizes": sizes, "data": data, "arrests": arrests}[key]
        olds = before[key] if before else []
        for i, r in enumerate(now):
            then = olds[i] if i < len(olds) else None
            if then and "error" in then:
                failed = ("", f"did not build: {then['error']}", "")
                add(part, row(r), failed)
                continue
            note = ""
            if then and "output_hash" in then:  # the cold builds' output, byte for byte
                same = then["output_hash"] == r["output_hash"]
                note = " · same output" if same else " · output differs"
            add(part, row(r), row(then) if then else None, note)
        if key == "sizes" and len(sizes) > 1:
            a, b = sizes[0], sizes[-1]
            grow = ((b["cold"] - b["floor"]) / b["charts"]) / (
                (a["cold"] - a["floor"]) / a["charts"]
            )
            add(
                "build",
                (
                    f"growth {a['factor']}x → {b['factor']}x",
                    f"charts ×{b['charts'] / a['charts']:.0f}, cold ×{b['cold'] / a['cold']:.1f}, "
                    f"warm ×{b['warm'] / a['warm']:.1f}",
                    f"per-chart cost ×{grow:.2f}",
                    "linear or better (≤ 1)",
                    verdict(grow <= 1.1),
                ),
            )
    for w in weights:
        if w.get("index"):
            lazy = w["lazy"]
            add(
                "page",
                (
                    f"{w['page']} (search index, loaded on focus)",
                    f"lazy {kb(lazy['gzip'])} gz ({kb(lazy['raw'])} raw)",
                    "—",
                    "≤ 40 KB gz",
                    verdict(lazy["gzip"] <= 40 * 1024),
                ),
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
        add(
            "page",
            (
                f"{w['page']} ({w['charts']} charts)",
                f"first load {kb(first['gzip'])} gz ({kb(first['raw'])} raw){lazy_txt}",
                alt or "—",
                "≤ 100 KB gz",
                verdict(first["gzip"] <= 100_000),
            ),
        )
    for c in (parts or {}).get("charts", []):
        total = sum(c[k] for k in stages.STAGES) * 1000
        cells = " · ".join(f"{k} {c[k] * 1000:,.0f} ms" for k in stages.STAGES)
        add(
            "chart stages",
            (
                f"{c['mark']}: {c['title'][:40]}",
                cells,
                f"{total:,.0f} ms CPU, one process",
                "—",
                "—",
            ),
        )
    if parts:
        add(
            "chart stages",
            (
                "first call in a process",
                f"{parts['first call']:.2f} s (V8 start, schemas)",
                "paid once per process",
                "—",
                "—",
            ),
        )
    load = os.getloadavg()
    add(
        "machine",
        (
            f"{os.cpu_count()} cores",
            f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) at the end",
            "wall times suffer when it is > 2",
            "—",
            "—",
        ),
    )
    return "\n".join(lines)


def tree_of(rev: str, tmp: Path) -> Path:
    """The site as commit `rev` had it (content, data, theme, plugins, settings), under `tmp`."""
    dest = tmp / f"tree-{rev}"
    dest.mkdir(parents=True)
    names = ["content", "data", "theme", "plugins", "pelican.conf.py"]
    archive = subprocess.run(
        ["git", "archive", rev, *names], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--rows", default="1000,100000,1000000")
    parser.add_argument(
        "--arrests", default="10000000", help="rows of the Parquet example ('' to skip)"
    )
    parser.add_argument(
        "--before",
        metavar="REV",
        help="measure each build, data and arrests case with this commit's plugin too, "
        "printed beside today's ('' for none)",
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
    old = tree_of(args.before, tmp) if args.before else None
    before = {"rev": args.before, "sizes": [], "data": [], "arrests": []} if old else None
    try:
        # On a terminal, a bar (done / total steps, elapsed); in a log, the lines below only.
        with progress("make bench", steps) as advance:

            def step(label: str, now, then=None):
                """now() (today's site and plugin), then then() (--before: the commit's) right
                after; (today's result, the commit's or None). A commit that fails to build is
                reported in its column, not fatal."""
                print(f"bench: {label} ...", file=sys.stderr, flush=True)
                result, old_result = now(), None
                print(f"  {result}", file=sys.stderr, flush=True)
                if before and then:
                    print(f"bench: {label}, as of {args.before} ...", file=sys.stderr)
                    try:
                        old_result = then()
                    except RuntimeError as exc:  # measure.build: the old tree does not build
                        first = next((x for x in str(exc).splitlines() if "error" in x), "")
                        old_result = {"error": first[:200] or str(exc)[:200]}
                    print(f"  {old_result}", file=sys.stderr, flush=True)
                advance()
                return result, old_result

            base = frozen_explainer(tmp)
            base_then = frozen_explainer(tmp, old) if old else None
            results = {"sizes": [], "data": [], "arrests": []}
            cases = [
                *(
                    (
                        "sizes",
                        f"build {f}x",
                        partial(bench_size, *size_sites(base, tmp, f), f),
                        old and partial(bench_size, *size_sites(base_then, tmp, f, "-before"), f),
                    )
                    for f in factors
                ),
                *(
                    (
                        "data",
                        f"data {n:,} rows",
                        partial(bench_rows, tmp, n),
                        old and partial(bench_rows, tmp, n, old),
                    )
                    for n in row_counts
                ),
                *(
                    (
                        "arrests",
                        f"{n:,} arrests (Parquet, sql:)",
                        partial(bench_arrests, tmp, n),
                        old and partial(bench_arrests, tmp, n, old),
                    )
                    for n in arrest_counts
                ),
            ]
            for key, label, now, then in cases:
                result, old_result = step(label, now, then)
                results[key].append(result)
                if old_result is not None:
                    before[key].append(old_result)
            sizes, data, arrests = results["sizes"], results["data"], results["arrests"]
            weights = step("page weights", partial(bench_pages, sizes[0]))[0] if sizes else []
            parts = step("chart stages", partial(stages.stage_times, base))[0]
        print(table(sizes, data, weights, parts, arrests, before))
        folder = ROOT / "bench" / "results"
        folder.mkdir(exist_ok=True)
        (folder / "latest.json").write_text(
            json.dumps(
                {**results, "pages": weights, "stages": parts, "before": before},
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
