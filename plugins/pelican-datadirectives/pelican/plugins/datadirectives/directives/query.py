"""The `query` directive: a named SELECT that values in the same page print by its name.

    ```query
    name: texas_agencies
    sql: |
      SELECT count(DISTINCT agency) FROM agreements_latest
      WHERE state = 'Texas'
    ```

    ICE's list names {{ sql texas_agencies | , }} agencies in Texas.

The block shows nothing on the page: it keeps a long query out of the sentence, so the prose
reads as prose. It is only checked here (a name, the text of one query); the query runs when a
value prints it, with every rule of a `{{ sql SELECT ... }}` value (one row of one column,
cached by its text and the resources it mentions), and a fault in it is reported at this
block's `sql:` line. A name belongs to its page; two blocks of one page may not share one, and
a block that no value of its page prints is an error (Renderer.unused_queries).
"""

from __future__ import annotations

from ..errors import DirectiveError
from ..options import REQUIRED, text
from ..sql import NAME, check_sql
from .base import Context, Directive, Rendered


def query_name(value) -> str:
    """A `name:` option: letters, digits and underscores, not starting with a digit."""
    value = text(value)
    if not NAME.fullmatch(value):
        raise DirectiveError(
            "a query's name is letters, digits and underscores (not starting with a digit), "
            "e.g. texas_agencies"
        )
    return value


class QueryDirective(Directive):
    name = "query"
    options = {"name": (REQUIRED, query_name), "sql": (REQUIRED, check_sql)}

    def render(self, opts: dict, ctx: Context) -> Rendered:
        return Rendered("", queries={opts["name"]: opts["sql"]})
