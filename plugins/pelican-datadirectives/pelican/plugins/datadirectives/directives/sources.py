"""The `sources` directive: a page's Sources section, or the sources page, from sources.csv.

    ```sources
    ```                        the rows of data/sources.csv this page links to
    ```sources
    all: true
    ```                        every row, grouped by kind

Reading the CSV, the list's HTML and `make check`'s sourcing rules live in ../sources.py.
Not cached: its HTML depends on the page's own links, which the render cache does not key.
"""

from __future__ import annotations

from .. import sources
from .base import Context, Directive, Rendered


class SourcesDirective(Directive):
    name = "sources"
    options = sources.OPTIONS
    reads_page = True  # render_page gets the Markdown of the page the block is in

    def render_page(self, opts: dict, ctx: Context, page_text: str) -> Rendered:
        html = sources.render(opts, page_text, ctx.config.data_dir)
        return Rendered("" if ctx.dry_run else html)
