"""The `table` directive: rows of a CSV as an accessible, sortable-by-the-author HTML table.

    ```table
    data: incentives.csv
    title: What ICE offers partner agencies
    columns: [item, amount, date]
    rename: {amount: Amount offered}
    format: {amount: "$,", date: date}
    ```

Every option: docs/directives.md, "Table". Columns named in `columns`, `rename`, `format`,
`sort`, `links` and `row_id` are checked against the CSV, with the closest name offered.
"""

from __future__ import annotations

from .. import figure
from ..data import check_column
from ..formats import check_format
from ..options import int_between, list_of, mapping_of, text
from .base import FIGURE_OPTIONS, Context, Directive, Rendered, check_data_source

TABLE_OPTIONS = {
    **FIGURE_OPTIONS,
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


class TableDirective(Directive):
    name = "table"
    options = TABLE_OPTIONS
    cached = True

    def check(self, raw: dict) -> dict:
        return check_data_source(super().check(raw))

    def render(self, opts: dict, ctx: Context) -> Rendered:
        config = ctx.config
        source, as_of = ctx.source_line(opts)
        table, frame = ctx.frame(opts)
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
        limit = min(opts["limit"] or config.table_max_rows, config.table_max_rows)
        rows = [
            {c: _plain(v) for c, v in r.items()}
            for r in frame[columns].head(limit).to_dict("records")
        ]
        from ..table_links import cell_links, row_ids

        links = cell_links(frame[: len(rows)], opts["links"], table.name, ctx.root_href)
        ids = row_ids(frame[: len(rows)], opts["row_id"], table.name)
        fig_id = "tbl-" + (opts["id"] or figure.slugify(opts["title"]))
        href, full, files = ctx.downloads(opts, fig_id, rows, columns)
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
            figure.meta(source, as_of, opts["notes"], href, full),
            "</figure>",
        ]
        return Rendered("".join(parts), tuple(ctx.data_files(opts)), files=files)


def _plain(value):
    """A cell as plain Python (numpy scalars unwrapped, pandas' NA as None)."""
    if hasattr(value, "item"):
        value = value.item()
    import pandas as pd

    return None if value is pd.NA else value
