"""What a directive is: a name, its options as data, and how it renders; and what it may use.

A directive is a subclass of `Directive` registered by name in directives/__init__.py. The
Renderer (renderer.py) reads a block's YAML, validates it against `options` (options.validate:
one mechanism, one message shape), and calls `render(opts, context)`, which returns a
`Rendered` record: the HTML, and what the plugin needs after reading (the CSVs the figure
links to, a share-card spec). Faults are raised as DirectiveError with `key=` the option they
concern; the Renderer reports them at that option's line.

`Context` is what a directive may use: the settings, the data package, the build's tables
(each data file loaded once per build), and the helpers every figure shares (source line,
filtered frame, links).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .. import figure, values
from .. import sql as queries
from ..data import Table, Tables, apply_filters
from ..errors import DirectiveError
from ..formats import format_date
from ..options import REQUIRED, text, validate
from ..sql import check_sql


@dataclass(frozen=True)
class Rendered:
    """What a directive made: its HTML and what the plugin needs after reading."""

    html: str
    csvs: tuple[str, ...] = ()  # data files under data/ the figure links to (copied to output)
    card: dict | None = None  # the Vega-Lite spec of a share card (a page's first chart)
    # Files the figure links to that it made itself, {path under OUTPUT_DATA_DIR: text}: the
    # rows a `sql:` or Parquet figure shows, as CSV ("Get the data").
    files: dict = field(default_factory=dict)
    # Named queries the block defines for its page, {name: SQL} (the `query` directive): values
    # of the same page print them as {{ sql name }}. Not cached (the block is not).
    queries: dict = field(default_factory=dict)

    def entry(self) -> dict:
        """The render-cache entry (JSON)."""
        entry = {"html": self.html, "csvs": list(self.csvs), "card": self.card}
        if self.files:
            entry["files"] = self.files
        return entry

    @classmethod
    def from_entry(cls, entry: dict) -> Rendered:
        return cls(
            entry["html"], tuple(entry.get("csvs", ())), entry.get("card"), entry.get("files", {})
        )


class Directive:
    """A directive. Subclasses set `name` and `options` and implement `render`.

    `block`: written as a fenced ```name block of YAML options (else inline, like values);
    `cached`: its HTML goes into the render cache, keyed by its text and the bytes of the
    CSV named by its `data` option (so prerender.py can render it ahead, in parallel).
    """

    name: ClassVar[str]
    options: ClassVar[dict[str, tuple[Any, Any]]] = {}
    block: ClassVar[bool] = True
    cached: ClassVar[bool] = False
    # `reads_page`: the directive renders from the page it is in as well (its own links, for
    # `sources`): the Renderer calls render_page(opts, ctx, page_text) instead of render.
    reads_page: ClassVar[bool] = False

    def render_page(self, opts: dict, ctx: Context, page_text: str) -> Rendered:
        raise NotImplementedError

    def check(self, raw: dict) -> dict:
        """The options, validated (once) against `options`."""
        return validate(raw, self.options)

    def render(self, opts: dict, ctx: Context) -> Rendered:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<directive {self.name}>"


def figure_id(value) -> str:
    """An `id:` option: lowercase letters, digits and hyphens."""
    value = text(value)
    if not figure.slugify(value) == value:
        raise DirectiveError(
            f"ids use lowercase letters, digits and hyphens, e.g. {figure.slugify(value)!r}"
        )
    return value


def as_of_date(value) -> str:
    """An `as_of:` option, as the date readers see."""
    return format_date(text(value))


def filters(value):
    """A `filter:` option: one condition or a list of them (data.apply_filters reads them)."""
    return value if isinstance(value, list) else [value]


def check_data_source(opts: dict) -> dict:
    """A figure reads either a data file (`data:`, maybe `filter:`) or a query (`sql:`)."""
    if opts.get("sql"):
        for key in ("data", "filter"):
            if opts.get(key):
                raise DirectiveError(
                    f"{key}: give either 'sql:' or '{key}:', not both",
                    fix="a query names its resources in FROM; filter rows in its WHERE",
                    key=key,
                )
    elif not opts.get("data"):
        raise DirectiveError(
            "data: missing; a figure needs 'data:' (a CSV or Parquet file under data/) or "
            "'sql:' (a SELECT over the data package's resources)",
            fix="e.g. 'data: agreements_by_month.csv'",
        )
    return opts


# Options every figure directive (chart, table) shares; one of data and sql is required.
FIGURE_OPTIONS = {
    "data": (None, text),
    "sql": (None, check_sql),
    "title": (REQUIRED, text),
    "subtitle": (None, text),
    "source": (None, text),
    "as_of": (None, as_of_date),
    "notes": (None, text),
    "filter": (None, filters),
    "id": (None, figure_id),
}


@dataclass
class Context:
    """What a directive may use while rendering: build-wide, read-only."""

    config: Any  # settings.Config
    package: dict = field(default_factory=dict)  # CSV name -> {title, sources, as_of, ...}
    dry_run: bool = False  # check everything, draw nothing (`make check`)
    tables: Tables | None = None  # the build's loaded data files (each read once)

    def __post_init__(self):
        if self.tables is None:
            self.tables = Tables(self.config.data_dir)

    def meta(self, csv_name) -> dict:
        """The data package's description of a CSV ({} if none)."""
        return self.package.get(str(csv_name).strip(), {})

    def data_files(self, opts: dict) -> list[str]:
        """The data files a figure reads: its `data:`, or the resources its `sql:` names."""
        if opts.get("sql"):
            return [r.path for r in queries.read_by(opts["sql"], self.package)]
        return [str(opts["data"]).strip()]

    def source_line(self, opts: dict) -> tuple[str, str]:
        """The source and 'as of' text: the directive's own, else the data package's (for a
        query over several resources: every source, and the earliest 'as of')."""
        files = self.data_files(opts)  # a query reads one resource at least (sql.read_by)
        infos = [self.meta(f) for f in files]
        what = ", ".join(files) or "the query"
        sources = list(dict.fromkeys(t for i in infos for t in [values.source_text(i)] if t))
        source = opts["source"] or "; ".join(sources)
        if not source:
            raise DirectiveError(
                f"no source for {what}: add 'source:' to the directive, or sources "
                "to its resource in datapackage.json",
                key="source",
            )
        dates = sorted(i["as_of"] for i in infos if i.get("as_of"))
        as_of = opts["as_of"] or (format_date(dates[0]) if dates else None)
        if not as_of:
            raise DirectiveError(
                f"no 'as of' date for {what}: add 'as_of: YYYY-MM-DD' to the directive,"
                " or 'as_of' to its resource in datapackage.json",
                key="as_of",
            )
        return source, as_of

    def frame(self, opts: dict):
        """(table, rows after the directive's filter); no rows is an error unless `empty:`.

        With `sql:`, the rows are the query's result (DuckDB, sql.py)."""
        if opts.get("sql"):
            _, frame = queries.run(
                opts["sql"],
                self.config.data_dir,
                self.package,
                self.config.max_rows,
                self.config.cache_dir / "duckdb",
            )
            return Table("the query's result", None, "", frame), frame
        table = self.tables.load(opts["data"])
        frame = apply_filters(table.frame, opts["filter"], table.name)
        if frame.empty and not opts.get("empty"):
            detail = " after the filter" if opts["filter"] else ""
            raise DirectiveError(
                f"{table.name} has no rows{detail}; a chart needs data "
                "(check the filter values against the CSV)",
                key="filter" if opts["filter"] else "data",
            )
        return table, frame

    def csv_href(self, name: str) -> str:
        """The link to a CSV's copy in the output, from any page."""
        return f"{figure.ROOT_MARKER}/{self.config.output_data_dir}/{name}"

    def downloads(self, opts: dict, fig_id: str, rows: list[dict], columns: list[str]):
        """("Get the data" link, full-data links, files to write) for a figure.

        A figure over one CSV links that CSV, as it always did. A figure over a query or a
        Parquet file links a CSV of the rows it shows (written beside the data copies as
        figures/<id>-<hash>.csv), and each full resource it reads."""
        files = self.data_files(opts)
        if not opts.get("sql") and not files[0].lower().endswith(".parquet"):
            return self.csv_href(files[0]), [], {}
        text = rows_csv(rows, columns)
        name = f"figures/{fig_id}-{hashlib.sha256(text.encode()).hexdigest()[:8]}.csv"
        full = [(f, self.csv_href(f)) for f in files]
        return self.csv_href(name), full, {name: text}

    def root_href(self, path: str) -> str:
        """A site-relative path as a link that works from any page (see plugin.relative_root)."""
        return f"{figure.ROOT_MARKER}/{path.lstrip('/')}"


def rows_csv(rows: list[dict], columns: list[str]) -> str:
    """The rows as CSV text (header first; missing values empty; LF line ends)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return out.getvalue()
