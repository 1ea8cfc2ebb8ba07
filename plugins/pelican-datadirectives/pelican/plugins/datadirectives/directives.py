"""The directives: `chart` and `table` blocks and inline values, from options to HTML.

Syntax and every option: docs/directives.md. Example:

    ```chart
    data: agreements_by_month.csv
    mark: line
    x: month:T
    y: total:Q
    title: 287(g) agreements grew tenfold in a year
    description: Line chart. Agreements rose from 135 in January 2025 to 1,425 in Feb. 2026.
    ```

`Renderer` is created once per build (Pelican reuses one Markdown extension for every file),
so it holds only build-wide things: settings, the data package, the render cache, and the
records the plugin needs after reading (CSVs used, share-card specs, values printed).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field

from . import figure, render, values
from .data import apply_filters, load_table, resolve_csv
from .errors import DirectiveError
from .formats import check_format, format_date
from .options import REQUIRED, boolean, int_between, list_of, mapping_of, text, validate
from .parsing import read_yaml

logger = logging.getLogger(__name__)


def _id(value) -> str:
    value = text(value)
    if not figure.slugify(value) == value:
        raise DirectiveError(
            f"ids use lowercase letters, digits and hyphens, e.g. {figure.slugify(value)!r}"
        )
    return value


def _as_of(value) -> str:
    return format_date(text(value))


def _filters(value):
    return value if isinstance(value, list) else [value]


# Options every figure directive shares.
COMMON_OPTIONS = {
    "data": (REQUIRED, text),
    "title": (REQUIRED, text),
    "subtitle": (None, text),
    "source": (None, text),
    "as_of": (None, _as_of),
    "notes": (None, text),
    "filter": (None, _filters),
    "id": (None, _id),
}

CHART_COMMON = {
    **COMMON_OPTIONS,
    "description": (REQUIRED, text),
    "interactive": (None, boolean),
}

TABLE_OPTIONS = {
    **COMMON_OPTIONS,
    "description": (None, text),
    "columns": (None, list_of(text)),
    "rename": (None, mapping_of(text)),
    "format": (None, mapping_of(check_format)),
    "sort": (None, list_of(text)),
    "limit": (None, int_between(1, 100000)),
    "links": (None, mapping_of(text)),
    "row_id": (None, text),
    "empty": (None, text),
}


@dataclass
class Records:
    """What reading the content found, for the plugin's work after reading."""

    csvs: set = field(default_factory=set)  # CSV names under data/ that pages link to
    cards: dict = field(default_factory=dict)  # source path -> Vega-Lite spec of its first chart
    printed: dict = field(default_factory=dict)  # (source, line, expr) -> text printed
    charts: int = 0
    tables: int = 0
    values: int = 0


class Renderer:
    """Turns directive text into HTML. One per build."""

    block_names = ("chart", "table", "datasets")

    def __init__(self, config, package: dict | None = None, *, dry_run: bool = False):
        self.config = config
        self.dry_run = dry_run  # check everything, render nothing (`make check`)
        self.package = package or {}  # CSV name -> {title, sources, as_of, ...}
        self.cache = render.Cache(config.cache_dir)
        self.records = Records()

    # -- blocks ---------------------------------------------------------------------------

    def render_block(self, kind: str, body: str, *, source: str, line: int) -> str:
        """Render a ```chart or ```table block whose opening fence is on `line`."""
        key_lines: dict[str, int] = {}
        try:
            options, key_lines = read_yaml(body, first_line=line + 1)
            if kind == "datasets":
                from .catalog import render_catalog

                return render_catalog(options, self.package, self.config.output_data_dir)
            return self._render(kind, options, body, source)
        except DirectiveError as exc:
            # A fault in an option is reported at that option's line, others at the fence.
            raise exc.located(source, exc.line or key_lines.get(exc.key) or line) from None

    def _render(self, kind: str, options: dict, body: str, source: str) -> str:
        csv_name = options.get("data")
        key = self.cache_key(kind, body, csv_name)
        entry = None if self.dry_run else self.cache.get(key)
        if entry is None:
            entry = self._chart(options) if kind == "chart" else self._table(options)
            if not self.dry_run:
                self.cache.put(key, entry)
        self.records.csvs.add(str(csv_name).strip())
        if kind == "chart":
            self.records.charts += 1
            if entry.get("card") and source not in self.records.cards:
                self.records.cards[source] = entry["card"]
        else:
            self.records.tables += 1
        return entry["html"]

    def cache_key(self, kind: str, body: str, csv_name) -> str:
        """The render-cache key of a block: a hash of everything that can change its HTML.

        Public because prerender.py computes the same keys to find the blocks to render in
        parallel before Pelican reads the content; one definition keeps the two in step.
        """
        csv_path = resolve_csv(csv_name, self.config.data_dir)
        csv_sha = render.file_sha256(csv_path)
        return render.cache_key(
            kind,
            body,
            csv_sha,
            render.canonical_json(self._meta(csv_name)),
            str(self.config.width),
            str(self.config.narrow_width),
            str(self.config.max_rows),
            str(self.config.interactive),
            render.folder_fingerprint(str(self.config.functions_dir or "")),
        )

    def _meta(self, csv_name) -> dict:
        return self.package.get(str(csv_name).strip(), {})

    def _source_line(self, opts: dict) -> tuple[str, str | None]:
        """The source and 'as of' text: the directive's own, else the data package's."""
        info = self._meta(opts["data"])
        source = opts["source"] or values.source_text(info)
        if not source:
            raise DirectiveError(
                f"no source for {opts['data']}: add 'source:' to the directive, or sources "
                "to its resource in datapackage.json",
                key="source",
            )
        as_of = opts["as_of"] or (format_date(info["as_of"]) if info.get("as_of") else None)
        if not as_of:
            raise DirectiveError(
                f"no 'as of' date for {opts['data']}: add 'as_of: YYYY-MM-DD' to the directive,"
                " or 'as_of' to its resource in datapackage.json",
                key="as_of",
            )
        return source, as_of

    def _frame(self, opts: dict):
        table = load_table(opts["data"], self.config.data_dir)
        frame = apply_filters(table.frame, opts["filter"], table.name)
        if frame.empty and not opts.get("empty"):
            detail = " after the filter" if opts["filter"] else ""
            raise DirectiveError(
                f"{table.name} has no rows{detail}; a chart needs data "
                "(check the filter values against the CSV)",
                key="filter" if opts["filter"] else "data",
            )
        return table, frame

    def _chart(self, options: dict) -> dict:
        from . import charts

        spec = {**CHART_COMMON, **charts.CHART_OPTIONS}
        opts = validate(options, spec)
        source, as_of = self._source_line(opts)
        table, frame = self._frame(opts)
        chart_opts = {k: opts[k] for k in charts.CHART_OPTIONS}
        chart = charts.build_chart(
            chart_opts, frame, width=self.config.width, functions_dir=self.config.functions_dir
        )
        # The builder checked every option and column; Altair's schema pass would cost ~30 ms
        # per drawing, and vl-convert still rejects an invalid spec loudly.
        vl = chart.to_dict(validate=False)
        rows = _tidy_dates(_inline_rows(vl))
        if len(rows) > self.config.max_rows:
            raise DirectiveError(
                f"the chart would embed {len(rows):,} rows of {table.name} (limit "
                f"{self.config.max_rows:,}); aggregate (e.g. 'y: sum(total):Q') or add a "
                "filter, or raise DATA_DIRECTIVES['MAX_ROWS']",
                key="data",
            )
        if self.dry_run:
            return {"html": "", "card": None}
        fig_id = "fig-" + (opts["id"] or figure.slugify(opts["title"]))
        # Ids come from the chart's own spec only, so editing the plugin does not churn them.
        prefix = "dd" + hashlib.sha256(render.canonical_json(vl).encode()).hexdigest()[:8]
        graphic = self._drawings(vl, chart_opts, frame, fig_id, prefix)
        notes = " ".join(n for n in [opts["notes"], *getattr(chart, "dd_notes", [])] if n)
        columns = list(rows[0]) if rows else []
        parts = [
            f'<figure class="dd-figure dd-chart" id="{fig_id}" data-dd-key="{prefix}">',
            figure.caption(fig_id, opts["title"], opts["subtitle"]),
            f'<div class="dd-graphic">{graphic}</div>',
            f'<p class="dd-desc dd-visually-hidden" id="{fig_id}-desc">'
            f"{figure.escape(opts['description'])}</p>",
            self._live_spec(opts, vl),
            figure.meta(source, as_of, notes or None, self._csv_href(table.name)),
            '<details class="dd-data"><summary>Data table</summary>',
            figure.data_table(
                rows[: self.config.table_max_rows],
                columns,
                caption_text=f"Data for the chart: {opts['title']}",
                table_id=f"{fig_id}-table",
                total_rows=len(rows),
            ),
            "</details></figure>",
        ]
        card = {**vl, "title": {"text": opts["title"], "subtitle": f"Source: {source}"}}
        return {"html": "".join(parts), "card": card}

    def _drawings(self, vl: dict, chart_opts: dict, frame, fig_id: str, prefix: str) -> str:
        """The static SVG, plus a narrower drawing for phones where the wide one would shrink
        its type below reading size (maps and custom charts scale well enough: one drawing)."""
        from . import charts

        wide = render.to_svg(vl)
        if chart_opts["mark"] == "map":
            wide = figure.whole_pixel_paths(wide)
        if chart_opts["mark"] in ("map", "python") or self.config.narrow_width >= self.config.width:
            return figure.accessible_svg(wide, fig_id, prefix)
        narrow_vl = charts.build_chart(
            chart_opts,
            frame,
            width=self.config.narrow_width,
            functions_dir=self.config.functions_dir,
        ).to_dict(validate=False)
        narrow = render.to_svg(narrow_vl)
        return figure.accessible_svg(
            wide, fig_id, prefix, "dd-wide dd-has-narrow"
        ) + figure.accessible_svg(narrow, fig_id, prefix + "n", "dd-narrow")

    def _live_spec(self, opts: dict, vl: dict) -> str:
        """The compiled Vega spec the browser runtime swaps in (docs/interactive.md)."""
        live = opts["interactive"]
        if live is None:
            # Maps stay static unless asked: their shapes would add ~40 KB (gzip) to the page,
            # and the data table beside the map already gives every state's value.
            live = self.config.interactive and vl_mark(vl) != "geoshape"
        if not live:
            return ""
        from .interactive import InteractiveSpecError, interactive_spec

        try:
            spec = interactive_spec(vl)
        except InteractiveSpecError as exc:
            raise DirectiveError(
                f"this chart cannot be made interactive ({exc}); add 'interactive: false'",
                key="interactive",
            ) from None
        return f'<script type="application/json" class="dd-spec">{spec}</script>'

    def _table(self, options: dict) -> dict:
        opts = validate(options, TABLE_OPTIONS)
        source, as_of = self._source_line(opts)
        table, frame = self._frame(opts)
        from .data import check_column

        columns = opts["columns"] or [str(c) for c in frame.columns]
        for c in columns:
            check_column(frame, c, table.name, key="columns")
        for c in opts["rename"] or {}:
            check_column(frame, c, table.name, key="rename")
        for c in opts["format"] or {}:
            check_column(frame, c, table.name, key="format")
        if opts["sort"]:
            by = [s.lstrip("-") for s in opts["sort"]]
            for c in by:
                check_column(frame, c, table.name, key="sort")
            frame = frame.sort_values(
                by, ascending=[not s.startswith("-") for s in opts["sort"]], kind="stable"
            )
        total = len(frame)
        limit = min(opts["limit"] or self.config.table_max_rows, self.config.table_max_rows)
        rows = [
            {c: _plain(v) for c, v in r.items()}
            for r in frame[columns].head(limit).to_dict("records")
        ]
        from .table_links import cell_links, row_ids

        links = cell_links(frame[: len(rows)], opts["links"], table.name, self._root_href)
        ids = row_ids(frame[: len(rows)], opts["row_id"], table.name)
        fig_id = "tbl-" + (opts["id"] or figure.slugify(opts["title"]))
        parts = [
            f'<figure class="dd-figure dd-table-figure" id="{fig_id}">',
            figure.caption(fig_id, opts["title"], opts["subtitle"]),
        ]
        if opts["description"]:
            parts.append(f'<p class="dd-desc">{figure.escape(opts["description"])}</p>')
        parts += [
            f'<p class="dd-empty">{figure.escape(opts["empty"])}</p>'
            if not rows
            else figure.data_table(
                rows,
                columns,
                caption_text=opts["title"],
                table_id=f"{fig_id}-table",
                headers=opts["rename"],
                formats=opts["format"],
                total_rows=total,
                links=links,
                row_ids=ids,
            ),
            figure.meta(source, as_of, opts["notes"], self._csv_href(table.name)),
            "</figure>",
        ]
        return {"html": "".join(parts)}

    def _root_href(self, path: str) -> str:
        """A site-relative path as a link that works from any page (see plugin.relative_root)."""
        return f"{figure.ROOT_MARKER}/{path.lstrip('/')}"

    def _csv_href(self, name: str) -> str:
        return f"{figure.ROOT_MARKER}/{self.config.output_data_dir}/{name}"

    # -- inline values --------------------------------------------------------------------

    def render_value(self, expr: str, *, source: str, line: int) -> str:
        """Render `{{ expr }}` found on `line` of `source`."""
        ref = values.parse(expr)
        text_out = self._value_text(ref)
        self.records.values += 1
        self.records.printed[(source, line, ref.text)] = text_out
        return (
            f'<span class="dd-value" data-dd-source="{figure.escape(ref.file)}">'
            f"{figure.escape(text_out)}</span>"
        )

    def _value_text(self, ref) -> str:
        """The formatted value, from the render cache when its CSV and expression are unchanged.

        Cached like blocks so that a warm build never loads pandas or parses a CSV: values
        were most of a warm rebuild's cost. Only successes are cached; a failing expression
        is evaluated every build and raises its own located error.
        """
        try:
            key = self.cache_key("value", ref.text, ref.file)
        except DirectiveError:
            key = None  # no such CSV: evaluate() says so, in its own words
        entry = None if key is None or self.dry_run else self.cache.get(key)
        if entry is not None:
            return entry["text"]
        text_out = values.evaluate(ref, self.config.data_dir, self.package)
        if key is not None and not self.dry_run:
            self.cache.put(key, {"text": text_out})
        return text_out


def vl_mark(vl: dict) -> str | None:
    """The first mark type in a Vega-Lite spec (layers searched in order)."""
    for unit in [vl, *vl.get("layer", []), *(vl.get("spec", {}) and [vl["spec"]])]:
        mark = unit.get("mark")
        if mark:
            return mark if isinstance(mark, str) else mark.get("type")
        for layer in unit.get("layer", []):
            found = vl_mark(layer)
            if found:
                return found
    return None


def _inline_rows(vl: dict) -> list[dict]:
    """The data rows a Vega-Lite spec embeds (the largest inline dataset of records)."""
    candidates = list((vl.get("datasets") or {}).values())
    stack = [vl]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("values"), list):
                candidates.append(data["values"])
            stack.extend(v for k, v in node.items() if k != "datasets")
        elif isinstance(node, list):
            stack.extend(node)
    records = [c for c in candidates if c and all(isinstance(r, dict) for r in c[:5])]
    return max(records, key=len) if records else []


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(T00:00:00(\.000)?Z?)?$")


def _tidy_dates(rows: list[dict]) -> list[dict]:
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


def _plain(value):
    if hasattr(value, "item"):
        value = value.item()
    try:
        import pandas as pd

        if value is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value
