"""Links and row anchors for the table directive (`links`, `row_id`).

`links: {agency: "states/{state_slug}.html#{id}", document: "{document_url}"}` makes each cell
of a column a link whose address is filled in from the row's own cells. An address with a
scheme (https://...) is used as it is; any other is a path from the site root, so it works
from every page. A row where a cell the address needs is empty keeps plain text (no link to
nowhere). `row_id: id` gives each table row the HTML id in that column, so other pages (and
the search box) can link to the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .data import check_column
from .errors import DirectiveError

_FIELD = re.compile(r"\{(\w+)\}")
_ID = re.compile(r"^[A-Za-z][\w-]*$")


def _cell(value) -> str:
    if value is None or value != value:  # None, NaN
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def cell_links(frame, links: dict | None, table: str, root_href: Callable[[str], str]) -> dict:
    """{column: [href or None per row]} for the `links` option."""
    out = {}
    for column, template in (links or {}).items():
        check_column(frame, column, table, key="links")
        fields = _FIELD.findall(template)
        if not fields:
            raise DirectiveError(
                f"links: the address for {column!r} names no column; write e.g. "
                f"'{column}: \"{{url_column}}\"' or 'states/{{slug}}.html'",
                key="links",
            )
        for field in fields:
            check_column(frame, field, table, key="links")
        hrefs = []
        for record in frame[fields].to_dict("records"):
            cells = {f: _cell(record[f]) for f in fields}
            if not all(cells.values()):
                hrefs.append(None)
                continue
            href = _FIELD.sub(lambda m, cells=cells: cells[m[1]], template)
            hrefs.append(href if re.match(r"^[a-z][a-z0-9+.-]*:", href) else root_href(href))
        out[column] = hrefs
    return out


def row_ids(frame, column: str | None, table: str) -> list[str] | None:
    """The `row_id` column's cells, checked to be usable, unique HTML ids."""
    if not column:
        return None
    check_column(frame, column, table, key="row_id")
    ids = [_cell(v) for v in frame[column]]
    bad = [i for i in ids if not _ID.match(i)]
    if bad:
        raise DirectiveError(
            f"row_id: {bad[0]!r} in column {column!r} is not a usable id (a letter, then "
            "letters, digits, '-' or '_')",
            key="row_id",
        )
    if len(set(ids)) != len(ids):
        raise DirectiveError(
            f"row_id: column {column!r} repeats values; ids must be unique", key="row_id"
        )
    return ids
