"""The sites the benchmark builds, made in a temporary folder so nothing depends on the live tree.

- `snapshot(dest)`: a frozen copy of the explainer (content/, data/, theme/, pelican.conf.py and
  plugins/), so an author or developer editing the work tree mid-run cannot change a measurement.
  The chart runtime ships prebuilt inside the plugin: no node_modules is needed. The copy's
  plugin is the one its builds import (measure.py puts it first on the path), byte-compiled
  once as an installed plugin is (`copy_plugins`); `plugins=DIR` copies another version.
- `add_synthetic(site, articles)`: articles of 10 charts each over the real data/ CSVs. Each
  chart is one of the explainer's own chart blocks with a numbered title, so every chart is a
  distinct cache entry (a cold render) and the mix of marks (maps, areas, bars, lines) is real.
- `strip_directives(site)`: the floor, the same pages with every directive block and every
  `{{ value }}` removed (the plugin stays on: it is part of the site).
- `data_site(dest, rows)`: one page, one aggregated bar chart over a synthetic CSV of `rows`
  rows, declared in datapackage.json so it is validated like the real data;
  `arrests_site(dest, rows)`: one page, two `sql:` charts over a generated Parquet file (both
  made by `one_page_site`).
"""

from __future__ import annotations

import compileall
import csv
import json
import random
import shutil
from pathlib import Path

from pelican.plugins.datadirectives.markdown_ext import VALUE, fences

ROOT = Path(__file__).resolve().parent.parent
# The plugins/ folder under test (run.py --plugins DIR measures another version, e.g. an older
# commit's; run.py --before REV measures one side by side).
PLUGINS = {"dir": ROOT / "plugins"}
DIRECTIVES = ("chart", "table", "datasets")
CHARTS_PER_ARTICLE = 10


def _ignore(folder, names):
    return [n for n in names if n in ("node_modules", "__pycache__", ".pytest_cache")]


def copy_plugins(dest: Path, plugins: Path | None = None) -> None:
    """Put a copy of `plugins` (default: the one under test) at dest/plugins, byte-compiled
    once, so no build of the copy pays for compiling the plugin (an installed one is compiled
    at install time, and the bench's builds write no bytecode)."""
    if (dest / "plugins").exists():
        shutil.rmtree(dest / "plugins")
    shutil.copytree(plugins or PLUGINS["dir"], dest / "plugins", ignore=_ignore)
    compileall.compile_dir(dest / "plugins", quiet=1)


def snapshot(dest: Path, source: Path = ROOT, plugins: Path | None = None) -> Path:
    """Copy the site's inputs and the plugin into `dest`; return it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("content", "data", "theme"):
        shutil.copytree(source / name, dest / name, ignore=_ignore)
    copy_plugins(dest, plugins)
    shutil.copy2(source / "pelican.conf.py", dest / "pelican.conf.py")
    return dest


def blocks(text: str, kinds=DIRECTIVES) -> list[tuple[int, int, str]]:
    """(first line, last line, info) of each directive fence in a Markdown text."""
    return [(f.line - 1, f.end_line - 1, f.lang) for f in fences(text) if f.directive(kinds)]


def chart_bodies(site: Path) -> list[str]:
    """The YAML body of every ```chart block in the site's content, in file order.

    Page-set templates (content/page-sets/) are left out: their charts hold `${column}`
    placeholders and exist only once expanded, one per generated page."""
    bodies = []
    for md in sorted((site / "content").rglob("*.md")):
        if "page-sets" in md.relative_to(site / "content").parts:
            continue
        lines = md.read_text(encoding="utf-8").split("\n")
        for start, end, _ in blocks("\n".join(lines), ("chart",)):
            bodies.append("\n".join(lines[start + 1 : end]))
    return bodies


def count_charts(site: Path) -> int:
    return len(chart_bodies(site))


def numbered(title_line: str, suffix: str) -> str:
    """A `title: ...` YAML line with `suffix` added to its text (quoted titles too)."""
    import yaml

    title = yaml.safe_load(title_line)["title"]
    return f"title: {json.dumps(f'{title} {suffix}', ensure_ascii=False)}"


def add_synthetic(site: Path, articles: int) -> int:
    """Write `articles` synthetic chapters of 10 charts each; return the number of charts."""
    templates = chart_bodies(site)
    if not templates:
        raise SystemExit("bench: the explainer has no ```chart blocks to copy")
    folder = site / "content" / "chapters"
    n = 0
    for a in range(1, articles + 1):
        parts = [
            f"Title: Synthetic article {a}",
            f"Slug: synthetic-{a:03d}",
            "Date: 2026-01-01",
            "Summary: A generated article for the benchmark.",
            "",
        ]
        for c in range(1, CHARTS_PER_ARTICLE + 1):
            body = templates[n % len(templates)]
            # A new title gives a new cache key and a new figure id: a distinct chart.
            body = "\n".join(
                numbered(line, f"(synthetic {a}.{c})") if line.startswith("title:") else line
                for line in body.split("\n")
            )
            parts += [
                f"## Section {c}",
                "",
                "Some prose between the charts, as in a chapter. " * 6,
                "",
                "```chart",
                body,
                "```",
                "",
            ]
            n += 1
        (folder / f"synthetic-{a:03d}.md").write_text("\n".join(parts), encoding="utf-8")
    return n


def strip_directives(site: Path) -> None:
    """Remove every directive block and inline value from the site's Markdown (the floor)."""
    for md in sorted((site / "content").rglob("*.md")):
        lines = md.read_text(encoding="utf-8").split("\n")
        for start, end, _ in reversed(blocks("\n".join(lines))):
            del lines[start : end + 1]
        text = "\n".join(VALUE.sub("", line) for line in lines)
        md.write_text(text, encoding="utf-8")


STATES = [
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Florida",
    "Georgia",
    "Idaho",
    "Indiana",
    "Iowa",
    "Kansas",
    "Louisiana",
    "Missouri",
    "Montana",
    "Nebraska",
    "Ohio",
    "Oklahoma",
    "Tennessee",
    "Texas",
    "Utah",
    "Virginia",
    "Wyoming",
]
KINDS = ["jail_enforcement", "warrant_service_officer", "task_force"]


def write_big_csv(path: Path, rows: int, seed: int = 287) -> None:
    """A deterministic CSV: date, state, model, value."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["date", "state", "model", "value"])
        for i in range(rows):
            w.writerow(
                [
                    f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    rng.choice(STATES),
                    KINDS[i % 3],
                    rng.randint(0, 500),
                ]
            )


BIG_RESOURCE = {
    "name": "big",
    "path": "big.csv",
    "profile": "tabular-data-resource",
    "format": "csv",
    "mediatype": "text/csv",
    "encoding": "utf-8",
    "title": "Synthetic rows for the benchmark",
    "description": "Generated rows: date, state, model, value.",
    "sources": [{"title": "bench/sites.py (generated)"}],
    "as_of": "2026-01-01",
    "licenses": [{"name": "other-pd", "title": "Generated"}],
    "schema": {
        "fields": [
            {"name": "date", "type": "date"},
            {"name": "state", "type": "string"},
            {"name": "model", "type": "string"},
            {"name": "value", "type": "integer"},
        ]
    },
}

BIG_CHART = """```chart
data: big.csv
mark: bar
x: {field: value, type: Q, aggregate: sum, title: Total}
y: {field: state, type: N, title: null, sort: -x}
color: {field: model, type: N, title: Model}
title: A sum over every row of a large CSV
description: Horizontal stacked bars, one per state, summing the value column by model.
source: Generated by bench/sites.py
as_of: 2026-01-01
```
"""


def one_page_site(
    dest: Path, slug: str, title: str, resource: dict, charts: str, tree: Path | None = None
) -> Path:
    """A site of one article (`charts`, the Markdown of its directive blocks, may be '') over
    one data resource, declared in datapackage.json; the caller writes data/<resource path>.
    Theme, plugins and settings from `tree` (another commit's, run.py --before), else today's."""
    dest.mkdir(parents=True)
    shutil.copytree((tree or ROOT) / "theme", dest / "theme", ignore=_ignore)
    copy_plugins(dest, tree / "plugins" if tree else None)
    shutil.copy2((tree or ROOT) / "pelican.conf.py", dest / "pelican.conf.py")
    (dest / "content" / "chapters").mkdir(parents=True)
    (dest / "content" / "pages").mkdir()
    (dest / "data").mkdir()
    package = {"name": "bench", "resources": [resource]}
    (dest / "data" / "datapackage.json").write_text(json.dumps(package, indent=1))
    body = [f"Title: {title}", f"Slug: {slug}", "Date: 2026-01-01", "", "Charts over many rows."]
    text = "\n".join([*body, "", charts])
    (dest / "content" / "chapters" / f"{slug}.md").write_text(text, encoding="utf-8")
    return dest


def data_site(
    dest: Path, rows: int, chart: bool = True, validate: bool = True, tree: Path | None = None
) -> Path:
    """A one-page site whose single chart aggregates a CSV of `rows` rows.

    validate=False turns the data-package validation off, to time the chart alone.
    """
    one_page_site(dest, "big", "Big data", BIG_RESOURCE, BIG_CHART if chart else "", tree)
    write_big_csv(dest / "data" / "big.csv", rows)
    if not validate:
        with (dest / "pelican.conf.py").open("a", encoding="utf-8") as conf:
            conf.write('\nDATA_DIRECTIVES["VALIDATE_PACKAGE"] = False  # bench: the chart alone\n')
    return dest


# -- a realistic large example: 10 million arrests-like rows in Parquet ----------------------

STATE_CODES = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
]

# Every column is a hash of the row number: the same file on every machine, no seed, no clock.
ARRESTS_SQL = """
COPY (
  WITH s AS (SELECT * FROM (VALUES {states}) t(k, code))
  SELECT DATE '2024-01-01' + CAST(hash(i, 'd') % 730 AS INTEGER) AS date,
         s.code AS state,
         s.code || '-' || lpad(CAST(hash(i, 'c') % 60 AS VARCHAR), 3, '0') AS county,
         s.code || ' agency ' || CAST(hash(i, 'a') % 400 AS VARCHAR) AS agency,
         ['Jail enforcement', 'Warrant service officer', 'Task force']
           [1 + CAST(hash(i, 'm') % 3 AS INTEGER)] AS model,
         ['Detained', 'Released', 'Removed', 'Transferred']
           [1 + CAST(hash(i, 'o') % 4 AS INTEGER)] AS outcome
  FROM range({rows}) r(i) JOIN s ON s.k = CAST(hash(i, 's') % 50 AS INTEGER)
  ORDER BY date, state, county, agency, model, outcome
) TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)
"""


def write_arrests(path: Path, rows: int) -> Path:
    """A deterministic arrests-like Parquet file (date, state, county, agency, model,
    outcome), generated by DuckDB; kept in bench/results/ (git-ignored) between runs."""
    import hashlib
    import subprocess
    import sys

    states = ", ".join(f"({i}, '{c}')" for i, c in enumerate(STATE_CODES))
    sql = ARRESTS_SQL.format(states=states, rows=rows, path="{path}")
    cached = (
        ROOT
        / "bench"
        / "results"
        / (f"arrests-{rows}-{hashlib.sha256(sql.encode()).hexdigest()[:12]}.parquet")
    )
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        # In a child process: a forked build inherits its parent's peak memory (ru_maxrss),
        # so generating 10M rows in the bench's own process would inflate every later build's.
        code = (
            "import duckdb, sys; con = duckdb.connect(config={'threads': 2, "
            "'memory_limit': '1GB'}); con.execute(sys.stdin.read())"
        )
        subprocess.run(
            [sys.executable, "-c", code],
            input=sql.format(path=tmp.as_posix()),
            text=True,
            check=True,
        )
        tmp.replace(cached)
    shutil.copyfile(cached, path)
    return path


ARRESTS_RESOURCE = {
    "name": "arrests",
    "path": "arrests.parquet",
    "profile": "tabular-data-resource",
    "format": "parquet",
    "mediatype": "application/vnd.apache.parquet",
    "title": "Synthetic arrests for the benchmark",
    "description": "Generated rows: date, state, county, agency, 287(g) model, outcome.",
    "sources": [{"title": "bench/sites.py (generated)"}],
    "as_of": "2026-01-01",
    "licenses": [{"name": "other-pd", "title": "Generated"}],
    "schema": {
        "fields": [
            {"name": "date", "type": "date", "constraints": {"required": True}},
            {
                "name": "state",
                "type": "string",
                "constraints": {"required": True, "pattern": "[A-Z]{2}"},
            },
            {"name": "county", "type": "string", "constraints": {"required": True}},
            {"name": "agency", "type": "string", "constraints": {"required": True}},
            {
                "name": "model",
                "type": "string",
                "constraints": {
                    "required": True,
                    "enum": ["Jail enforcement", "Warrant service officer", "Task force"],
                },
            },
            {
                "name": "outcome",
                "type": "string",
                "constraints": {
                    "required": True,
                    "enum": ["Detained", "Released", "Removed", "Transferred"],
                },
            },
        ]
    },
}

ARRESTS_CHARTS = """```chart
sql: |
  SELECT date_trunc('month', date) AS month, outcome, count(*) AS arrests
  FROM arrests GROUP BY ALL ORDER BY ALL
mark: line
x: month:T
y: arrests:Q
color: outcome:N
title: Arrests by month and outcome
description: Line chart, one line per outcome, of the synthetic arrests counted by month.
```

```chart
sql: |
  SELECT state, count(*) AS arrests FROM arrests
  GROUP BY ALL ORDER BY arrests DESC, state LIMIT 15
mark: bar
x: arrests:Q
y: {field: state, type: N, sort: -x}
title: The 15 states with the most arrests
description: Horizontal bars, one per state, of the synthetic arrests counted by state.
```
"""


def arrests_site(dest: Path, rows: int, chart: bool = True, tree: Path | None = None) -> Path:
    """A one-page site charting a Parquet file of `rows` arrests by month and by state, with
    `sql:` (DuckDB streams the file through the GROUP BY; the charts get the totals)."""
    charts = ARRESTS_CHARTS if chart else ""
    one_page_site(dest, "arrests", "Arrests", ARRESTS_RESOURCE, charts, tree)
    write_arrests(dest / "data" / "arrests.parquet", rows)
    return dest
